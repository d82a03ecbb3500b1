"""Seasons where repeats are forced: every pair meets, and no pair more often than it must.

When ``w`` rounds hold more pair-meetings ``P`` than there are pairs ``N`` (5-8-10: 1400 for
780), every season repeats at least ``P - N`` times, and reaches that bound exactly when every
pair meets at least once. How often must the most-met pair then meet? Spreading evenly says
``ceil(P / N)`` (2 for 5-8-10), but tables add a second condition:

**The table bound.** Take any table T of ``s`` people in one round. In each of the other
``w - 1`` rounds its people sit at ``g`` tables, so at least ``t(g, s)`` of T's pairs share a
table again (``t`` is the number of pairs when ``s`` people are spread as evenly as possible
over ``g`` tables: 3 for 8 people at 5 tables, as 2+2+2+1+1). Summing over the ``g w`` tables
counts every meeting of a pair met ``c`` times ``c - 1`` times, so

    sum over pairs of c (c - 1)  >=  g w (w - 1) t(g, s)  =  M.

If every pair meets and none more than ``cap`` times, then ``c (c - 1) <= cap (c - 1)`` for
every pair, and the ``c - 1`` add up to the repeats ``P - N``; hence ``cap >= M / (P - N)``.
For 5-8-10, ``M = 5 * 10 * 9 * 3 = 1350`` and ``P - N = 620``, so a season with the fewest
repeats has a pair meeting three times (and, if none meets four times, at least 55 such
pairs: the left side is then ``1240 + 2 * triples``). Conversely, if no pair meets three
times (unmet pairs allowed), the 9 other rounds bring at least 27 of the 28 pairs of every
table together again, each at most once more; so at most one pair per table, 50 in all,
meets exactly once, the other meetings come in twos, and the season repeats at least
``(1400 - 50) / 2 = 675`` times, 8.9% above 620: no season within 1% of the lower bound keeps
every pair to two meetings. :func:`meeting_cap` computes the bound for any instance.

The search looks for such seasons among those a cyclic group develops from a few base rounds
(as in :mod:`kring.core.seating.cyclic`), now with orbits of any length dividing the group
order: players ``(o, x)``, ``x`` in ``Z_L`` for an orbit of length ``L``, and the round shifted
by ``t`` moves ``(o, x)`` to ``(o, x + t mod L)``. A *pair class* is an orbit of pairs; one
occurrence of a class in a base round makes each of its pairs meet ``q / |class|`` times.
Simulated annealing over swaps in the base rounds first removes the violations (pairs unmet,
meetings beyond the cap), then lowers the quadratic spread (sum over pairs of
``c (c - 1) / 2``; for 5-8-10, the pairs met three times) while keeping the best season
without violations. One base round of 40 players instead of ten rounds makes the search small
enough for pure Python.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

__all__ = [
    "OrbitShape",
    "SpreadResult",
    "develop_orbits",
    "meeting_cap",
    "orbit_shapes",
    "pair_classes",
    "spread_search",
    "table_pairs_floor",
]


@dataclass(frozen=True)
class OrbitShape:
    """``m`` base rounds developed by ``Z_q``; players in orbits of the given lengths."""

    q: int
    m: int
    orbits: tuple[int, ...]


@dataclass(frozen=True)
class SpreadResult:
    """The best season found: rounds, pairs left unmet, pairs' meetings beyond the cap, and the
    quadratic spread (sum over pairs of c (c - 1) / 2)."""

    rounds: list[list[list[int]]]
    unmet: int
    over_cap: int
    spread: int
    iterations: int


def table_pairs_floor(groups: int, size: int) -> int:
    """The fewest pairs of one table of ``size`` people that share a table again in another
    round of ``groups`` tables (its people spread as evenly as possible).

    Examples
    --------
    >>> table_pairs_floor(5, 8)  # 2 + 2 + 2 + 1 + 1
    3
    >>> table_pairs_floor(8, 6)
    0
    """
    low, high = divmod(size, groups)
    return high * (low + 1) * low // 2 + (groups - high) * low * (low - 1) // 2


def meeting_cap(groups: int, size: int, weeks: int) -> int:
    """A lower bound on how often the most-met pair meets in a season where every pair meets.

    Parameters
    ----------
    groups, size, weeks : the instance g-s-w.

    Returns
    -------
    ``max(ceil(P / N), ceil(M / (P - N)))`` with ``P`` pair-meetings, ``N`` pairs and ``M`` the
    table bound of the module docstring; 1 when no repeat is forced.

    Examples
    --------
    >>> meeting_cap(5, 8, 10)  # ceil(1400 / 780) = 2, but ceil(1350 / 620) = 3
    3
    >>> meeting_cap(8, 6, 10)
    2
    >>> meeting_cap(8, 4, 10)
    1
    """
    n = groups * size
    pairs = n * (n - 1) // 2
    total = weeks * groups * size * (size - 1) // 2
    if total <= pairs:
        return 1
    second = groups * weeks * (weeks - 1) * table_pairs_floor(groups, size)
    return max(-(-total // pairs), -(-second // (total - pairs)))


def orbit_shapes(groups: int, size: int, weeks: int, cap: int) -> list[OrbitShape]:
    """Cyclic shapes whose pair classes can all meet between once and ``cap`` times.

    For each group order ``q > 1`` dividing ``weeks`` (largest first; the trivial group, the
    season itself, is left to the tabu search), as many orbits of length ``q`` as fit, the rest
    in the fewest shorter orbits (lengths dividing ``q``) that keep every class's meetings per
    occurrence within ``cap``.

    Examples
    --------
    >>> [(s.q, s.m, len(s.orbits)) for s in orbit_shapes(5, 8, 10, 3)]
    [(10, 1, 4), (5, 2, 8), (2, 5, 20)]
    >>> orbit_shapes(4, 4, 6, 2)[0]  # a 3-orbit player meets the fixed one twice a time
    OrbitShape(q=6, m=1, orbits=(6, 6, 3, 1))
    """
    n = groups * size
    shapes = []
    for q in sorted((q for q in range(2, weeks + 1) if weeks % q == 0), reverse=True):
        divisors = [d for d in range(q, 0, -1) if q % d == 0]
        for full in range(n // q, -1, -1):
            rest = _split(n - full * q, divisors, q, cap, [q] * full)
            if rest is not None:
                shapes.append(OrbitShape(q, weeks // q, tuple([q] * full + rest)))
                break
    return shapes


def _split(left: int, divisors: list[int], q: int, cap: int, orbits: list[int]) -> list[int] | None:
    """The fewest orbits (lengths from ``divisors``) making up ``left`` players, or None."""
    if left == 0:
        return []
    for length in divisors:
        if length > left or not _fits(orbits, length, q, cap):
            continue
        rest = _split(left - length, divisors, q, cap, [*orbits, length])
        if rest is not None:
            return [length, *rest]
    return None


def _fits(orbits: list[int], length: int, q: int, cap: int) -> bool:
    """Whether an orbit of ``length`` keeps every class's meetings per occurrence within cap."""
    inner = 1 if length == 1 else (2 * q // length if length % 2 == 0 else q // length)
    if length > 1 and inner > cap:
        return False
    return all(q // math.lcm(length, other) <= cap for other in orbits)


def _players(shape: OrbitShape) -> list[tuple[int, int, int]]:
    """Per player: (orbit, orbit length, position in the orbit)."""
    return [(o, length, x) for o, length in enumerate(shape.orbits) for x in range(length)]


def develop_orbits(shape: OrbitShape, base: list[list[int]], groups: int) -> list[list[list[int]]]:
    """All ``m q`` rounds: base round ``r`` (``base[r][p]`` = table of player p) shifted by t."""
    players = _players(shape)
    start = [0]
    for length in shape.orbits:
        start.append(start[-1] + length)
    rounds = []
    for r in range(shape.m):
        for t in range(shape.q):
            week: list[list[int]] = [[] for _ in range(groups)]
            for p, (o, length, x) in enumerate(players):
                week[base[r][p]].append(start[o] + (x + t) % length)
            rounds.append([sorted(group) for group in week])
    return rounds


def pair_classes(shape: OrbitShape) -> tuple[list[list[int]], list[int], list[int]]:
    """The orbits of pairs under the group: one occurrence of a class in a base round makes
    each of its pairs meet ``q / size`` times in the developed season.

    Returns
    -------
    ``(cls, sizes, meetings)``: ``cls[a][b]`` the class of players a and b (-1 on the
    diagonal), and per class its number of pairs and the meetings per occurrence.

    Examples
    --------
    >>> cls, sizes, meetings = pair_classes(OrbitShape(q=4, m=1, orbits=(4,)))
    >>> cls[0][1] == cls[1][2] == cls[3][0], sizes, meetings  # differences 1 and 2
    (True, [4, 2], [1, 2])
    """
    players = _players(shape)
    n = len(players)
    start = [0]
    for length in shape.orbits:
        start.append(start[-1] + length)

    def shift(p: int, t: int) -> int:
        o, length, x = players[p]
        return start[o] + (x + t) % length

    cls = [[-1] * n for _ in range(n)]
    sizes: list[int] = []
    mult: list[int] = []
    for a in range(n):
        for b in range(a + 1, n):
            if cls[a][b] >= 0:
                continue
            orbit = {tuple(sorted((shift(a, t), shift(b, t)))) for t in range(shape.q)}
            for x, y in orbit:
                cls[x][y] = cls[y][x] = len(sizes)
            sizes.append(len(orbit))
            mult.append(shape.q // len(orbit))
    return cls, sizes, mult


def spread_search(
    groups: int,
    size: int,
    shape: OrbitShape,
    cap: int,
    *,
    seed: int = 0,
    iterations: int = 200_000,
    time_limit: float | None = None,
    target: int | None = None,
    heat: tuple[float, float, float] = (0.3, 1.0, 0.05),
    weight: float = 2.0,
) -> SpreadResult:
    """Simulated annealing over swaps in the base rounds of ``shape``, in two phases.

    First every pair met and none beyond ``cap`` (the violations alone, at a fixed low
    temperature: quick on the shapes of :func:`orbit_shapes`); then, from there, the quadratic
    spread with violations weighed ``weight`` times, cooling from ``heat[1]`` to ``heat[2]``,
    keeping the best season without violations.

    Parameters
    ----------
    groups, size : tables per round and seats per table.
    shape : the cyclic shape (see :func:`orbit_shapes`).
    cap : the most meetings a pair should have (see :func:`meeting_cap`).
    seed : seeds the only random generator; the same seed gives the same season.
    iterations : the number of proposed swaps of each phase (the deterministic budget).
    time_limit : an optional safety stop in seconds.
    target : stop once every pair meets, none beyond the cap, and the spread is at most this.

    Returns
    -------
    SpreadResult
        The best season seen (fewest violations, then smallest spread).
    """
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    rng = random.Random(seed)
    state = _State(groups, size, shape, cap, rng)
    state.anneal(rng, iterations, (heat[0], heat[0]), None, 0.0, deadline)
    if state.best_violations == 0:
        state.restore_best()
        goal = -1.0 if target is None else float(target)
        state.anneal(rng, iterations, (heat[1], heat[2]), weight, goal, deadline)
    return state.result()


class _State:
    """Base rounds, class counts and the best season seen, for the annealing phases."""

    def __init__(
        self, groups: int, size: int, shape: OrbitShape, cap: int, rng: random.Random
    ) -> None:
        self.groups, self.shape, self.cap = groups, shape, cap
        self.cls, self.class_size, self.mult = pair_classes(shape)
        n, m = len(self.cls), shape.m
        self.n = n
        # Per class and count: pairs unmet or beyond the cap, and the quadratic spread.
        self.violation = []
        self.spread = []
        for c, pairs in enumerate(self.class_size):
            meet = [self.mult[c] * k for k in range(m * pairs + 1)]
            self.violation.append([pairs * ((x == 0) + max(0, x - cap)) for x in meet])
            self.spread.append([pairs * x * (x - 1) // 2 for x in meet])
        self.tables: list[list[int]] = []
        self.members: list[list[list[int]]] = []
        for _ in range(m):
            seats = [t for t in range(groups) for _ in range(size)]
            rng.shuffle(seats)
            self.tables.append(seats)
            self.members.append([[p for p in range(n) if seats[p] == t] for t in range(groups)])
        self.count = [0] * len(self.class_size)
        for groups_of_round in self.members:
            for group in groups_of_round:
                for i, a in enumerate(group):
                    for b in group[i + 1 :]:
                        self.count[self.cls[a][b]] += 1
        self.best = [list(row) for row in self.tables]
        self.best_violations = self.total_violations()
        self.best_spread = self.total_spread()
        self.iterations = 0

    def total_violations(self) -> int:
        return sum(self.violation[c][k] for c, k in enumerate(self.count))

    def total_spread(self) -> int:
        return sum(self.spread[c][k] for c, k in enumerate(self.count))

    def restore_best(self) -> None:
        self.tables = [list(row) for row in self.best]
        self.members = [
            [[p for p in range(self.n) if row[p] == t] for t in range(self.groups)]
            for row in self.tables
        ]
        self.count = [0] * len(self.class_size)
        for groups_of_round in self.members:
            for group in groups_of_round:
                for i, a in enumerate(group):
                    for b in group[i + 1 :]:
                        self.count[self.cls[a][b]] += 1

    def anneal(
        self,
        rng: random.Random,
        iterations: int,
        heat: tuple[float, float],
        weight: float | None,
        target: float,
        deadline: float | None,
    ) -> None:
        """Metropolis over random swaps, cooling geometrically from ``heat[0]`` to ``heat[1]``.

        The cost is the violations alone when ``weight`` is None (stopping at none), else
        ``weight * violations + spread`` (stopping once the best season has no violations and a
        spread of at most ``target``); both in units of ``q`` pairs, so that one step of a
        class weighs about 1 whatever the shape.
        """
        cls, count, tables, members = self.cls, self.count, self.tables, self.members
        violation, spread = self.violation, self.spread
        q, m, n = self.shape.q, self.shape.m, self.n
        bad, quad = self.total_violations(), self.total_spread()
        hot, cold = heat
        for step in range(iterations):
            if weight is None and bad == 0:
                break
            if self.best_violations == 0 and self.best_spread <= target:
                break
            if step % 256 == 0 and deadline is not None and time.perf_counter() > deadline:
                break
            self.iterations += 1
            temperature = hot * (cold / hot) ** (step / iterations)
            r = rng.randrange(m)
            a, b = rng.randrange(n), rng.randrange(n)
            row = tables[r]
            ta, tb = row[a], row[b]
            if ta == tb:
                continue
            change: dict[int, int] = {}
            cls_a, cls_b = cls[a], cls[b]
            for x in members[r][ta]:
                if x != a:
                    ca, cb = cls_a[x], cls_b[x]
                    change[ca] = change.get(ca, 0) - 1
                    change[cb] = change.get(cb, 0) + 1
            for y in members[r][tb]:
                if y != b:
                    ca, cb = cls_a[y], cls_b[y]
                    change[cb] = change.get(cb, 0) - 1
                    change[ca] = change.get(ca, 0) + 1
            d_bad = d_quad = 0
            for c, d in change.items():
                if d:
                    k = count[c]
                    d_bad += violation[c][k + d] - violation[c][k]
                    d_quad += spread[c][k + d] - spread[c][k]
            delta = (d_bad if weight is None else weight * d_bad + d_quad) / q
            if delta > 0 and rng.random() >= math.exp(-delta / temperature):
                continue
            for c, d in change.items():
                count[c] += d
            members[r][ta].remove(a)
            members[r][tb].remove(b)
            members[r][ta].append(b)
            members[r][tb].append(a)
            row[a], row[b] = tb, ta
            bad += d_bad
            quad += d_quad
            if (bad, quad) < (self.best_violations, self.best_spread):
                self.best = [list(row) for row in tables]
                self.best_violations, self.best_spread = bad, quad

    def result(self) -> SpreadResult:
        self.restore_best()
        unmet = over = 0
        for c, k in enumerate(self.count):
            meetings = self.mult[c] * k
            unmet += self.class_size[c] * (meetings == 0)
            over += self.class_size[c] * max(0, meetings - self.cap)
        return SpreadResult(
            develop_orbits(self.shape, self.best, self.groups),
            unmet,
            over,
            self.total_spread(),
            self.iterations,
        )
