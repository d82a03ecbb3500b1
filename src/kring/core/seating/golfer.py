"""Pure social-golfer seasons: g tables of s seats over w meetings, fewest repeated pairs."""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections import Counter

import numpy as np

from kring.core.seating.constructions import Rounds, construct
from kring.core.seating.cyclic import (
    CyclicShape,
    ExactCover,
    cyclic_backtrack,
    cyclic_shapes,
    multipliers,
    rotations,
)
from kring.core.seating.model import GolferSeason, SeatingInputError
from kring.core.seating.search import SearchInstance, tabu_search
from kring.core.seating.spread import meeting_cap, orbit_shapes, spread_search, table_pairs_floor

__all__ = [
    "clean_first",
    "count_repeats",
    "golfer_lower_bound",
    "max_meetings",
    "social_golfer_season",
]

# Swaps per phase of the spread search (repeats forced): enough for 5-8-10 in about 3 s.
_SPREAD_ITERATIONS = 150_000
# Tabu swaps for the rounds after a constructed prefix (8-6-10: about 1 s per prefix).
_EXTEND_ITERATIONS = 2_000
# Cyclic shapes the spread search tries (the most promising come first).
_SPREAD_SHAPES = 2
# Work of the cyclic searches, in exact-cover "candidate rows scanned"; a backtracking node
# counts as players x seats of them. Work, not the clock, ends the searches, so the same seed
# gives the same season on a fast or a busy machine. The 18 pure instances that need it succeed
# within 4 million; 15-8-12 spent the whole budget in about 5 s before its design was embedded.
_CYCLIC_WORK = 12_000_000
# Sets of rounds tried when looking for the longest clean start of a season.
_CLEAN_NODES = 20_000
# Work of the last-resort tabu search over whole seasons, in "pair-meeting cells" (a swap
# costs about weeks x players^2 of them), at most 2,000 swaps: 8-6-10 gets 2,000 (about 2 s),
# a 120-player season over 12 rounds 266.
_SEARCH_WORK = 46_000_000


def golfer_lower_bound(groups: int, size: int, weeks: int) -> int:
    """The least possible sum of squared-ish repeats: pairs meetings beyond one per pair.

    Every week seats ``groups * C(size, 2)`` pairs; there are ``C(n, 2)`` pairs of players, so at
    least ``max(0, weeks * groups * C(size, 2) - C(n, 2))`` pair-meetings are repeats.

    Examples
    --------
    >>> golfer_lower_bound(5, 8, 10)
    620
    >>> golfer_lower_bound(8, 4, 10)
    0
    """
    n = groups * size
    return max(0, weeks * groups * size * (size - 1) // 2 - n * (n - 1) // 2)


def count_repeats(rounds: Rounds | tuple[tuple[tuple[int, ...], ...], ...]) -> int:
    """Sum over pairs of (times in one group - 1), for pairs that meet at least once.

    Examples
    --------
    >>> count_repeats([[[0, 1], [2, 3]], [[0, 1], [2, 3]]])
    2
    """
    counts: Counter[tuple[int, int]] = Counter()
    for week in rounds:
        for group in week:
            counts.update(itertools.combinations(sorted(group), 2))
    return sum(c - 1 for c in counts.values() if c > 1)


def max_meetings(rounds: Rounds | tuple[tuple[tuple[int, ...], ...], ...]) -> int:
    """How often the most-met pair shares a group (0 when no group has two players).

    Examples
    --------
    >>> max_meetings([[[0, 1, 2]], [[0, 1], [2]], [[1, 2], [0]]])
    2
    """
    counts: Counter[tuple[int, int]] = Counter()
    for week in rounds:
        for group in week:
            counts.update(itertools.combinations(sorted(group), 2))
    return max(counts.values(), default=0)


def social_golfer_season(
    groups: int,
    size: int,
    weeks: int,
    *,
    seed: int = 0,
    time_limit: float | None = 10.0,
    max_iterations: int = 1_000_000,
) -> GolferSeason:
    """Schedule ``groups * size`` players in groups of ``size`` over ``weeks`` rounds.

    Parameters
    ----------
    groups, size, weeks : the instance g-s-w (CSPLib prob010).
    seed : the same seed gives the same season on any machine, unless the safety stop
        triggers.
    time_limit : a safety stop in seconds for all the searches together (None: none).
    max_iterations : a cap on the searches' swap budgets (the last-resort tabu search makes
        fewer on large seasons: about 2,000 for 48 players over 10 rounds).

    Returns
    -------
    GolferSeason
        With ``repeats == 0`` whenever a construction applies or the search finds a
        repeat-free season; otherwise the fewest repeats found, with no pair meeting much more
        often than the others. Where repeats are forced, the searches aim at the lower bound
        with every pair meeting and none more often than :func:`meeting_cap` allows (5-8-10:
        620 repeats, no pair more than three times; at most twice needs 675 repeats or more).

    Raises
    ------
    SeatingInputError
        If a parameter is below 1.

    Examples
    --------
    >>> season = social_golfer_season(3, 3, 4)
    >>> season.repeats, season.method
    (0, 'affine geometry AG(2, 3)')
    >>> season.rounds[0]
    ((0, 1, 2), (3, 4, 5), (6, 7, 8))

    Notes
    -----
    Known designs come first (affine geometries over GF(q), mutually orthogonal Latin squares
    and the transversal designs they give, and seasons embedded as data: 8-4-10 and a
    resolvable (120,8,1) design for 15-8-w, w <= 17). Where repeats are forced
    (``golfer_lower_bound > 0``), two searches aim at a season at the lower bound whose pairs
    all meet at most :func:`meeting_cap` times, and the first to find one is the answer: a
    construction for the first rounds with a tabu search for the others, then a
    simulated annealing over the base rounds of cyclic seasons (see
    :mod:`kring.core.seating.spread`). Then seasons developed from one or two base rounds by a
    cyclic group with no repeat (exact cover and depth-first searches over pair classes, see
    :mod:`kring.core.seating.cyclic`); then a greedy start and a tabu search over swaps (see
    :mod:`kring.core.seating.search`) that minimises the quadratic repeat cost until it
    reaches its floor. The best season found is returned: fewer repeats, then a less-met
    most-met pair, then a smaller quadratic spread.

    Every search is bounded by work (swaps, nodes), never by the clock, so the same seed gives
    the same season on a fast or a busy machine; ``time_limit`` is a safety stop for all of
    them together, read often enough to hold within a few percent, and a season it cut short
    says so in its ``method`` ("... (stopped by the time limit)").
    """
    for name, value in (("groups", groups), ("size", size), ("weeks", weeks)):
        if not isinstance(value, int) or value < 1:
            raise SeatingInputError(f"{name} must be a positive whole number, not {value!r}")
    built = construct(groups, size, weeks)
    if built is not None:
        rounds, method = built
        return _season(groups, size, weeks, rounds, method)
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    found: list[GolferSeason] = []
    best: GolferSeason | None = None
    if golfer_lower_bound(groups, size, weeks) > 0:
        extended = _extend(groups, size, weeks, seed, deadline, max_iterations)
        if extended is not None:
            found.append(extended)
        if not found or not _perfect(found[-1]):
            spread = _spread(groups, size, weeks, seed, deadline, max_iterations)
            if spread is not None:
                found.append(spread)
        if found and _perfect(min(found, key=_rank)):
            best = min(found, key=_rank)
    if best is None:
        best = _cyclic(groups, size, weeks, seed, deadline)
    if best is None:
        n = groups * size
        iterations = min(max(100, _SEARCH_WORK // (weeks * n * n)), 2_000, max_iterations)
        found.append(_search(groups, size, weeks, seed, deadline, iterations))
        best = min(found, key=_rank)
    if deadline is not None and time.perf_counter() > deadline:
        # The safety stop cut a search short: say so, since another machine may do better.
        best = dataclasses.replace(best, method=f"{best.method} (stopped by the time limit)")
    return best


def _left(deadline: float | None) -> float | None:
    """Seconds until ``deadline`` (None: no deadline), never below zero."""
    return None if deadline is None else max(0.0, deadline - time.perf_counter())


def _perfect(season: GolferSeason) -> bool:
    """At the repeat lower bound with no pair beyond the table bound: nothing left to gain."""
    groups, size, weeks = season.groups, season.size, season.weeks
    return season.repeats == golfer_lower_bound(groups, size, weeks) and max_meetings(
        season.rounds
    ) <= meeting_cap(groups, size, weeks)


def _extend(
    groups: int,
    size: int,
    weeks: int,
    seed: int,
    deadline: float | None,
    max_iterations: int,
) -> GolferSeason | None:
    """A repeat-free construction for the first rounds and the tabu search for the others,
    with the construction as their history (8-6-10: the transversal design's first 7 rounds
    and 3 searched ones leave 4 pairs unmet: 76 repeats, no pair more than twice).

    Tries the longest constructible prefix and the two shorter ones; returns the best season,
    or None when no construction gives two rounds or more.
    """
    longest = next((w for w in range(weeks - 1, 1, -1) if construct(groups, size, w)), None)
    if longest is None:
        return None
    iterations = min(_EXTEND_ITERATIONS, max_iterations)
    target = _quadratic_floor(groups, size, weeks)
    n = groups * size
    best: GolferSeason | None = None
    for length in range(longest, max(1, longest - 3), -1):
        built = construct(groups, size, length)
        assert built is not None  # a prefix of a construction is one
        prefix, method = built
        history = np.zeros((n, n))
        for week in prefix:
            for group in week:
                for a, b in itertools.combinations(group, 2):
                    history[a, b] += 1
                    history[b, a] += 1
        left = _left(deadline)
        if left == 0:
            break
        rest = weeks - length
        inst = SearchInstance(
            n=n,
            present=[np.arange(n, dtype=np.int64)] * rest,
            sizes=[[size] * groups] * rest,
            fixed=[{} for _ in range(rest)],
            lin=np.zeros((n, n)),
            base=history,
            quad=1.0,
        )
        result = tabu_search(
            inst, seed=seed, max_iterations=iterations, time_limit=left, target=target
        )
        searched = [
            [np.flatnonzero(result.tables[w] == g).tolist() for g in range(groups)]
            for w in range(rest)
        ]
        season = _season(
            groups,
            size,
            weeks,
            prefix + searched,
            f"{method} for {length} rounds, tabu search for {rest}",
        )
        if best is None or _rank(season) < _rank(best):
            best = season
    return best


def _spread(
    groups: int,
    size: int,
    weeks: int,
    seed: int,
    deadline: float | None,
    max_iterations: int,
) -> GolferSeason | None:
    """The spread search over the cyclic shapes, most promising first: the first season with
    every pair met and none beyond the cap, else the best one (None without a shape)."""
    cap = meeting_cap(groups, size, weeks)
    iterations = min(_SPREAD_ITERATIONS, max_iterations)
    target = int(_quadratic_floor(groups, size, weeks))
    best: GolferSeason | None = None
    for shape in orbit_shapes(groups, size, weeks, cap)[:_SPREAD_SHAPES]:
        left = _left(deadline)
        if left == 0:
            break
        result = spread_search(
            groups,
            size,
            shape,
            cap,
            seed=seed,
            iterations=iterations,
            time_limit=left,
            target=target,
        )
        orbits = "+".join(str(length) for length in shape.orbits)
        method = f"spread search: {shape.m} base round(s) developed by Z_{shape.q}, orbits {orbits}"
        season = _season(groups, size, weeks, result.rounds, method)
        if result.unmet == 0 and result.over_cap == 0:
            return season
        if best is None or _rank(season) < _rank(best):
            best = season
    return best


def _rank(season: GolferSeason) -> tuple[int, int, int]:
    """Fewer repeats first, then a less-met most-met pair, then a smaller quadratic spread."""
    counts: Counter[tuple[int, int]] = Counter()
    for week in season.rounds:
        for group in week:
            counts.update(itertools.combinations(group, 2))
    quadratic = sum(c * (c - 1) // 2 for c in counts.values())
    return season.repeats, max(counts.values(), default=0), quadratic


def _cyclic(
    groups: int, size: int, weeks: int, seed: int, deadline: float | None
) -> GolferSeason | None:
    """Round-robin over the cyclic shapes with growing node budgets (deterministic budgets;
    the time limit is only a safety stop)."""
    shapes = cyclic_shapes(groups, size, weeks)
    if not shapes:
        return None
    spent = 0
    # Per shape: an exact cover search (strong on tight shapes, where every pair class must be
    # used), then the group-by-group search alone and with each symmetry (the symmetric ones
    # are small and often finish, or prove there is nothing, within the first budgets).
    # Earlier shapes (one base round, few fixed players) get larger budgets.
    variants: list[tuple[int, CyclicShape, int | None, int]] = []
    for rank, shape in enumerate(shapes):
        if math.comb(shape.k * shape.q + shape.f, size) <= 40_000:
            variants.append((rank, shape, None, -1))
        variants.extend(
            (rank, shape, u, turn)
            for turn in rotations(shape.k)
            for u in [*multipliers(shape.q), None]
        )
    covers: dict[int, ExactCover] = {}
    finished: set[int] = set()
    for attempt in range(12):
        for index, (rank, shape, u, turn) in enumerate(variants):
            if index in finished:
                continue
            left = _left(deadline)
            if left == 0 or spent >= _CYCLIC_WORK:
                return None
            if turn < 0:
                if rank not in covers:
                    covers[rank] = ExactCover(groups, size, shape, deadline)
                cover = covers[rank]
                # A node costs time in proportion to the candidate groups.
                nodes = max(50, 2_000_000 * 2**attempt // 2**rank // max(1, len(cover.rows)))
                spent += nodes * max(1, len(cover.rows))
                rounds, exhausted = cover.run(seed + attempt, nodes, deadline)
            else:
                # Symmetric searches are small: a quarter of the plain budget is plenty.
                budget = 10_000 if u is None and not turn else 2_500
                node_limit = max(1_000, budget * 2**attempt // 2**rank)
                # A backtracking node scans the players and their classes.
                spent += node_limit * groups * size * size
                rounds, exhausted = cyclic_backtrack(
                    groups,
                    size,
                    shape,
                    seed=seed + attempt,
                    node_limit=node_limit,
                    time_limit=left,
                    multiplier=u,
                    rotate=turn,
                    report_exhausted=True,
                )
            if exhausted:
                finished.add(index)
            if rounds is not None:
                by = f"Z_{shape.q}" + (f", x -> {u}x" if u else "")
                by += f", orbits turned by {turn}" if turn > 0 else ""
                how = "exact cover" if turn < 0 else "cyclic search"
                method = f"{how}: {shape.m} base round(s) developed by {by}, {shape.f} fixed"
                return _season(groups, size, weeks, rounds, method)
    return None


def _search(
    groups: int, size: int, weeks: int, seed: int, deadline: float | None, max_iterations: int
) -> GolferSeason:
    n = groups * size
    inst = SearchInstance(
        n=n,
        present=[np.arange(n, dtype=np.int64)] * weeks,
        sizes=[[size] * groups] * weeks,
        fixed=[{} for _ in range(weeks)],
        lin=np.zeros((n, n)),
        base=np.zeros((n, n)),
        quad=1.0,
    )
    target = _quadratic_floor(groups, size, weeks)
    result = tabu_search(
        inst,
        seed=seed,
        max_iterations=max_iterations,
        time_limit=_left(deadline),
        target=target,
    )
    rounds = [
        [np.flatnonzero(result.tables[w] == g).tolist() for g in range(groups)]
        for w in range(weeks)
    ]
    return _season(groups, size, weeks, rounds, "tabu search")


def _quadratic_floor(groups: int, size: int, weeks: int) -> float:
    """The least possible quadratic cost: pair-meetings spread as evenly as possible, and at
    least half the table bound of :mod:`kring.core.seating.spread` (every table's people
    share tables again in every other round)."""
    n = groups * size
    pairs = n * (n - 1) // 2
    total = weeks * groups * size * (size - 1) // 2
    low, high = divmod(total, pairs) if pairs else (0, 0)
    even = high * (low + 1) * low // 2 + (pairs - high) * low * (low - 1) // 2
    tables = groups * weeks * (weeks - 1) * table_pairs_floor(groups, size)
    return float(max(even, -(-tables // 2)))


def _season(groups: int, size: int, weeks: int, rounds: Rounds, method: str) -> GolferSeason:
    normal = tuple(tuple(sorted(tuple(sorted(group)) for group in week)) for week in rounds)
    ordered = tuple(normal[w] for w in clean_first(normal))
    return GolferSeason(groups, size, weeks, ordered, count_repeats(ordered), method)


def clean_first(rounds: Rounds | tuple[tuple[tuple[int, ...], ...], ...]) -> list[int]:
    """An order of the rounds with the repeats as late as possible.

    First the largest set of rounds in which no pair meets twice (an exact search over sets of
    rounds, cut short on very long seasons), in their order; then, one by one, the round
    that brings the fewest pairs met before (the earliest on a tie). A season without repeats
    keeps its order.

    Examples
    --------
    >>> clean_first([[[0, 1], [2, 3]], [[0, 1], [2, 3]], [[0, 2], [1, 3]]])
    [0, 2, 1]
    """
    pairs = [
        {p for group in week for p in itertools.combinations(sorted(group), 2)} for week in rounds
    ]
    w = len(rounds)
    clash = [[bool(pairs[a] & pairs[b]) for b in range(w)] for a in range(w)]
    best: list[int] = []
    nodes = 0

    def grow(chosen: list[int], start: int) -> None:
        nonlocal best, nodes
        nodes += 1
        if len(chosen) > len(best):
            best = list(chosen)
        if nodes > _CLEAN_NODES:  # long seasons: the best set found so far will do
            return
        for b in range(start, w):
            if len(chosen) + (w - b) <= len(best):
                return
            if not any(clash[a][b] for a in chosen):
                grow([*chosen, b], b + 1)

    grow([], 0)
    order = list(best)
    seen = set().union(*(pairs[a] for a in order)) if order else set()
    left = [b for b in range(w) if b not in order]
    while left:
        b = min(left, key=lambda b: (len(pairs[b] & seen), b))
        order.append(b)
        left.remove(b)
        seen |= pairs[b]
    return order
