"""What one meeting's plan does to the club's history: the pairs who sit together again tonight,
how often each met before, and how few repeats any plan of tonight could have had.

The engine's own report counts the whole season; an organiser judging tonight's tables needs
tonight's figures against a bound for tonight ("6 pairs sit together again tonight, 2 of them for
the third time; at least 4 were unavoidable"). Plain data in and out, no Django.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

__all__ = ["TonightReport", "fewest_pairs_seated", "most_times_together", "tonight_report"]


@dataclass(frozen=True, slots=True)
class TonightReport:
    """Tonight's tables measured against the history.

    Attributes
    ----------
    repeats : pairs at one table tonight who shared a table at some earlier meeting.
    by_times : ``(times, pairs)`` sorted by ``times``: ``pairs`` pairs sit together for the
        ``times``-th time tonight (2 = the second time). Sums to ``repeats``.
    lower_bound : no plan of tonight's people at tonight's tables has fewer repeats than this
        (a proven bound, not always reachable).
    most_times : the most often any pair tonight has now sat together (1 when nobody repeats,
        0 when nobody shares a table).
    """

    repeats: int
    by_times: tuple[tuple[int, int], ...]
    lower_bound: int
    most_times: int


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def fewest_pairs_seated(people: int, capacities: Sequence[int]) -> int:
    """The fewest pairs sharing a table when ``people`` sit at tables of these capacities.

    Spreading people as evenly as the capacities allow minimises the sum of C(size, 2) (it is
    convex in each table's size, so filling the emptiest table with room first is optimal).

    Raises ValueError when the tables cannot seat everyone.

    Examples
    --------
    >>> fewest_pairs_seated(10, [4, 4, 4])
    12
    >>> fewest_pairs_seated(6, [2, 8])
    7
    """
    if people < 0 or any(c < 0 for c in capacities):
        raise ValueError("people and capacities must not be negative")
    if people > sum(capacities):
        raise ValueError(f"{people} people but only {sum(capacities)} seats")
    sizes = [0] * len(capacities)
    for _ in range(people):
        open_tables = [i for i, c in enumerate(capacities) if sizes[i] < c]
        emptiest = min(open_tables, key=lambda i: sizes[i])
        sizes[emptiest] += 1
    return sum(s * (s - 1) // 2 for s in sizes)


def tonight_report(
    tables: Sequence[Sequence[str]],
    history: Iterable[Sequence[Sequence[str]]],
    *,
    capacities: Sequence[int] | None = None,
    apart: Iterable[tuple[str, str]] = (),
) -> TonightReport:
    """Measure tonight's ``tables`` (names per table) against ``history`` (past meetings, each a
    list of tables of names).

    ``capacities`` are the seats per table (defaults to the number seated at each table);
    ``apart`` are pairs a hard rule keeps apart: they are no way to avoid a repeat, so the
    bound does not count on them.

    The lower bound: every plan seats at least P pairs together, P the fewest pairs the
    capacities allow (:func:`fewest_pairs_seated`). A person p can be given at most
    ``min(new_p, largest - 1)`` table-mates they never sat with, ``new_p`` the people present
    whom p never met and may sit with, ``largest`` the largest table. Each table-mate beyond
    that is a repeat seen from p's side, and each repeated pair is seen from both sides, so at
    least ``ceil((2P - sum_p min(new_p, largest - 1)) / 2)`` pairs repeat. Second, the tables
    of one past meeting are disjoint groups: each group's members present tonight can at best
    be spread evenly over tonight's tables, so at least the sum over its groups of the fewest
    pairs that spreading leaves repeat. The bound is the larger of the two (the largest over
    past meetings for the second); it is 0 without a history. O(n^2) in the people present
    plus the history's size.

    Examples
    --------
    >>> past = [[["a", "b"], ["c", "d"]]]
    >>> r = tonight_report([["a", "b"], ["c", "d"]], past)
    >>> (r.repeats, r.by_times, r.lower_bound, r.most_times)
    (2, ((2, 2),), 0, 2)
    >>> tonight_report([["a", "b", "c"]], [[["a", "b", "c"]]]).lower_bound
    3
    """
    tonight = [tuple(t) for t in tables]
    seated = [name for table in tonight for name in table]
    if len(set(seated)) != len(seated):
        raise ValueError("someone is seated twice tonight")
    if capacities is None:
        capacities = [len(t) for t in tonight]
    if len(capacities) < len(tonight) or any(
        len(t) > c for t, c in zip(tonight, capacities, strict=False)
    ):
        raise ValueError("a table seats more people than its capacity")
    present = set(seated)
    met: Counter[tuple[str, str]] = Counter()
    spread = 0
    for meeting in history:
        groups = [sorted({n for n in table if n in present}) for table in meeting]
        for here in groups:
            for a, b in combinations(here, 2):
                met[(a, b)] += 1
        # Someone listed at two tables of one meeting counts in the first only: the groups
        # must be disjoint for their pairs to be distinct.
        seen: set[str] = set()
        sizes = []
        for here in groups:
            sizes.append(len(set(here) - seen))
            seen.update(here)
        spread = max(spread, sum(fewest_pairs_seated(size, capacities) for size in sizes))
    times: Counter[int] = Counter()
    for table in tonight:
        for a, b in combinations(sorted(table), 2):
            before = met.get((a, b), 0)
            if before:
                times[before + 1] += 1
    most = max(times, default=1 if any(len(t) > 1 for t in tonight) else 0)
    return TonightReport(
        repeats=sum(times.values()),
        by_times=tuple(sorted(times.items())),
        lower_bound=max(spread, _lower_bound(sorted(present), met, capacities, apart)),
        most_times=most,
    )


def _lower_bound(
    people: list[str],
    met: Counter[tuple[str, str]],
    capacities: Sequence[int],
    apart: Iterable[tuple[str, str]],
) -> int:
    n = len(people)
    if n < 2 or not met:
        return 0
    blocked = {_pair(a, b) for a, b in apart} | set(met)
    fresh = Counter[str]()
    for a, b in combinations(people, 2):
        if (a, b) not in blocked:
            fresh[a] += 1
            fresh[b] += 1
    largest = max(capacities)
    pairs = fewest_pairs_seated(n, capacities)
    new_mates = sum(min(fresh[p], largest - 1) for p in people)
    return max(0, math.ceil((2 * pairs - new_mates) / 2))


def most_times_together(meetings: Iterable[Sequence[Sequence[str]]]) -> int:
    """The most meetings at which one pair shared a table (0 when no pair ever did).

    >>> most_times_together([[["a", "b"]], [["a", "b", "c"]]])
    2
    """
    together: Counter[tuple[str, str]] = Counter()
    for meeting in meetings:
        for table in meeting:
            for a, b in combinations(sorted(set(table)), 2):
                together[(a, b)] += 1
    return max(together.values(), default=0)
