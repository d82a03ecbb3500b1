"""Plan club meetings: validate a :class:`SeatingProblem`, weigh pairs, search, report."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from kring.core.seating.model import (
    InfeasibleSeating,
    MeetingPlan,
    SeatingInputError,
    SeatingPlan,
    SeatingProblem,
)
from kring.core.seating.report import seating_report
from kring.core.seating.search import HARD, SearchInstance, tabu_search

__all__ = ["plan_seating", "table_sizes"]

# Soft weights, in "cost of sitting again with someone you sat with at the last meeting" units.
# The dial (policy p) decides how many of each member's table-mates may be people they are
# getting to know: up to p * (table-mates - NEW_SEATS) of them, chosen among the pairs on the
# road to five (met one to four times), affinity pairs first. Every other earlier table-mate
# costs, so the rest of the table is new people; the chosen number grows linearly with p, so the
# plan changes smoothly as the dial turns (a pairwise reward alone flips the plan at one point).
_MIX = 1.0  # any earlier shared table (less as p grows)
_RECENCY = 0.8  # plus RECENCY**(k-1) for a shared table k meetings ago
_FREQUENCY = 0.25  # plus this much per earlier shared table, however old
_KNOWN = 2.0  # at p = 1, what an earlier table-mate not chosen for tonight costs
_ROAD = 1.5  # reward of a chosen pair on the road to five, once spaced out
_NEW_SEATS = 2  # at every p, table-mates kept for people one never sat with
_ROAD_SPACING = 3  # meetings apart before the road reward is whole (it grows linearly)
_NEXT = 30.0  # any p: the same table-mates two meetings in a row (above any reward)
_TOO_OFTEN = 30.0  # any p: a fifth shared table within twelve meetings
_WINDOW = 12  # meetings the "too often" rule looks at, this one included
_ROAD_END = 4  # met this many times or fewer: still on the road to five
_AFFINITY = 1.5  # pairs whose relationship data says they matter, times their weight
_SECTOR = 0.3  # two people of one sector at a table
_ORGANISATION = 1.0  # two colleagues at a table
_MEET_AGAIN = 6.0  # a meet-again pair that is due
_FRESH = 20.0  # each of the two never-met table-mates a member misses, where the club allows them
_FRESH_SEATS = 2  # never-met table-mates every member gets at each meeting where possible
_KEEP = 100.0  # leaving one's seat of the plan being revised: above any soft gain of a move
OBJECTIVES = ("fewest_repeats", "smallest_maximum")


def plan_seating(
    problem: SeatingProblem,
    *,
    seed: int = 0,
    iterations: int | None = None,
    time_limit: float | None = None,
    joint: bool = False,
) -> SeatingPlan:
    """Seat the people present at each meeting, keeping every hard rule.

    Parameters
    ----------
    problem : people, tables, the meetings to plan, history and rules.
    seed : the same seed (and budget) gives the same plan.
    iterations : tabu-search swaps per meeting (``joint``: for the whole season); by default
        a budget that grows with the number of people present.
    time_limit : an optional safety stop in seconds per search; when it triggers, the plan may
        depend on the machine's speed.
    joint : plan all meetings in one search (fewer repeats over a season) instead of meeting
        by meeting (each meeting sees the ones planned before it as history).

    Returns
    -------
    SeatingPlan
        One :class:`MeetingPlan` per meeting and a :class:`SeatingReport`.

    Raises
    ------
    SeatingInputError
        Duplicate names, unknown people or tables, a person fixed at two tables, a policy
        outside [0, 1], a meet-again interval below 1.
    InfeasibleSeating
        A hard rule cannot hold: more people than seats, more fixed people than a table seats,
        two never-together people fixed at one table, more mutual never-together people than
        tables.

    Examples
    --------
    >>> from kring.core.seating import Attendee, SeatingProblem, SeatingRules, Table
    >>> problem = SeatingProblem(
    ...     people=(Attendee("Ann"), Attendee("Bob"), Attendee("Cas"), Attendee("Dee")),
    ...     tables=(Table("T1", 2), Table("T2", 2)),
    ...     meetings=(("Ann", "Bob", "Cas", "Dee"),),
    ...     rules=SeatingRules(never_together=(("Ann", "Bob"),), fixed=(("Ann", "T1"),)),
    ... )
    >>> plan = plan_seating(problem)
    >>> plan.meetings[0].table_of("Ann"), plan.meetings[0].table_of("Bob")
    ('T1', 'T2')

    Notes
    -----
    A joint search's iteration costs O(w n^2 + n^2 t) for w meetings, n people and t tables
    (one matrix product over all swaps); meeting by meeting, O(n^2) in one compiled pass, and
    the default budget plans a meeting of 100 people in about 0.1 s of processor time. Each
    member is charged for each of the two never-met table-mates they miss where the attendance
    allows them (:func:`fresh_mates`).
    """
    index = _validate(problem)
    names = [p.name for p in problem.people]
    n = len(names)
    table_index = {t.name: i for i, t in enumerate(problem.tables)}
    fixed_of = {index[p]: table_index[t] for p, t in problem.rules.fixed}
    keep_of = {index[p]: table_index[t] for p, t in problem.rules.keep}
    hard = np.zeros((n, n), dtype=bool)
    for a, b in problem.rules.never_together:
        hard[index[a], index[b]] = hard[index[b], index[a]] = True

    present = [
        np.array(sorted(index[x] for x in meeting), dtype=np.int64) for meeting in problem.meetings
    ]
    sizes = []
    fixed = []
    for m, people in enumerate(present):
        attending = set(people.tolist())
        fixed_here = {p: t for p, t in fixed_of.items() if p in attending}
        # Fixed people stay too: the spread should match where everyone sits now.
        kept_here = [t for p, t in keep_of.items() if p in attending and p not in fixed_here]
        kept_here += list(fixed_here.values()) if kept_here else []
        sizes.append(_sizes_or_raise(problem, m, len(people), fixed_here, kept_here))
        fixed.append(fixed_here)
        _check_never_together(problem, m, people, fixed_here, hard, names, sizes[-1])

    history = [[[index[x] for x in table] for table in past.tables] for past in problem.history]
    static = _static_weights(problem, index, hard) + _affinity_weights(problem, index, n)
    planned: list[NDArray[np.int64]] = []
    if joint and problem.rules.keep and len(present) > 1:
        raise SeatingInputError("keeping seats works when meetings are planned one by one")
    if joint and present:
        lin = static + _history_weights(problem, index, history, n, _mates(sizes[0]))
        lin += _meet_again_weights(problem, index, history, n)
        np.fill_diagonal(lin, 0.0)
        # Repeats within the planned meetings always cost (less as the dial turns to deepen),
        # so a season never freezes into the same tables; "smallest maximum" spreads harder.
        quad = _MIX * (1.0 - 0.75 * problem.rules.policy)
        if problem.rules.objective == "smallest_maximum":
            quad *= 3.0
        inst = SearchInstance(n, present, sizes, fixed, lin, np.zeros((n, n)), quad)
        budget = iterations or _default_budget(sum(len(p) for p in present))
        result = tabu_search(inst, seed=seed, max_iterations=budget, time_limit=time_limit)
        planned = list(result.tables)
    else:
        for m in range(len(present)):
            lin = static + _history_weights(problem, index, history, n, _mates(sizes[m]))
            lin += _meet_again_weights(problem, index, history, n)
            np.fill_diagonal(lin, 0.0)
            # Search over the people present only: smaller matrices, same answer.
            here = present[m]
            local = {int(p): i for i, p in enumerate(here)}
            fresh = fresh_mates(history, hard, fixed_of, here, n)
            inst = _with_anchors(
                SearchInstance(
                    len(here),
                    [np.arange(len(here), dtype=np.int64)],
                    [sizes[m]],
                    [{local[p]: t for p, t in fixed[m].items()}],
                    lin[np.ix_(here, here)],
                    np.zeros((len(here), len(here))),
                    0.0,
                    fresh=fresh.astype(np.float64),
                    need=np.minimum(
                        fresh.sum(axis=1), max(0, min(_FRESH_SEATS, max(sizes[m]) - 1))
                    ).astype(np.float64),
                    fresh_weight=_FRESH,
                ),
                {local[p]: t for p, t in keep_of.items() if p in local},
            )
            budget = iterations or _default_budget(len(here))
            result = tabu_search(inst, seed=seed + m, max_iterations=budget, time_limit=time_limit)
            row = np.full(n, -1, dtype=np.int64)
            row[here] = result.tables[0][: len(here)]
            planned.append(row)
            history.append([np.flatnonzero(row == t).tolist() for t in range(len(problem.tables))])

    meetings = tuple(
        MeetingPlan(
            tuple(
                (table.name, tuple(names[p] for p in np.flatnonzero(row == t)))
                for t, table in enumerate(problem.tables)
            )
        )
        for row in planned
    )
    report = seating_report(problem, meetings)
    if report.hard_violations:
        raise InfeasibleSeating(
            "no plan found that keeps every hard rule: " + "; ".join(report.hard_violations),
            rule="never together",
        )
    return SeatingPlan(meetings, report)


def _with_anchors(inst: SearchInstance, keep: dict[int, int]) -> SearchInstance:
    """Add one fixed anchor per table that pulls the people kept there (``keep``: person ->
    table) with weight ``_KEEP``, so a move away from one's kept seat costs ``_KEEP``.

    The anchors are people ``n..n+t-1`` of the returned instance; drop them from its plan.
    """
    if not keep:
        return inst
    n, t = inst.n, len(inst.sizes[0])
    lin = np.zeros((n + t, n + t))
    lin[:n, :n] = inst.lin
    for person, table in keep.items():
        lin[person, n + table] = lin[n + table, person] = -_KEEP
    fixed = dict(inst.fixed[0])
    fixed.update({n + table: table for table in range(t)})
    fresh = need = None
    if inst.fresh is not None and inst.need is not None:
        fresh = np.zeros((n + t, n + t))
        fresh[:n, :n] = inst.fresh
        need = np.concatenate([inst.need, np.zeros(t)])
    return SearchInstance(
        n + t,
        [np.arange(n + t, dtype=np.int64)],
        [[size + 1 for size in inst.sizes[0]]],
        [fixed],
        lin,
        np.zeros((n + t, n + t)),
        inst.quad,
        fresh=fresh,
        need=need,
        fresh_weight=inst.fresh_weight,
    )


def fresh_mates(
    history: list[list[list[int]]],
    hard: NDArray[np.bool_],
    fixed: dict[int, int],
    here: NDArray[np.int64],
    n: int,
) -> NDArray[np.bool_]:
    """Which of the people ``here`` could sit with someone they never sat with: ``out[i, j]``
    for ``here[i]`` and ``here[j]`` who never shared a table in ``history``, are not kept apart
    by a never-together rule and are not fixed at two different tables.

    A member may count on two such table-mates (``_FRESH_SEATS``) where their row has two.
    """
    met = np.zeros((n, n), dtype=bool)
    for meeting in history:
        for table in meeting:
            ix = np.array(table, dtype=np.int64)
            if len(ix) > 1:
                met[np.ix_(ix, ix)] = True
    table_of = np.full(n, -1, dtype=np.int64)
    for p, t in fixed.items():
        table_of[p] = t
    apart = (table_of[:, None] >= 0) & (table_of[None, :] >= 0)
    apart &= table_of[:, None] != table_of[None, :]
    out = ~(met | hard | apart)
    np.fill_diagonal(out, False)
    return out[np.ix_(here, here)]


def table_sizes(
    capacities: Sequence[int],
    people: int,
    minimum: Sequence[int] = (),
    prefer: Sequence[int] = (),
) -> list[int]:
    """Spread ``people`` over tables as evenly as the capacities allow.

    Parameters
    ----------
    capacities : seats per table.
    people : how many to seat.
    minimum : people already bound to each table (hosts); defaults to zeros.
    prefer : people who would like to stay at each table (a plan being revised); among equally
        even spreads, the one closest to it. Defaults to zeros.

    Returns
    -------
    The number to seat at each table; each person goes to the emptiest table with room
    (ties: a table with more people wishing to stay than seated so far, then the larger
    table, then the earlier one).

    Raises
    ------
    InfeasibleSeating
        If there are more people than seats or a minimum exceeds a capacity.

    Examples
    --------
    >>> table_sizes([8, 8, 8, 10], 30)
    [8, 7, 7, 8]
    >>> table_sizes([4, 4], 5, minimum=[0, 3])
    [2, 3]
    >>> table_sizes([8, 8, 8], 23), table_sizes([8, 8, 8], 23, prefer=[8, 7, 8])
    ([8, 8, 7], [8, 7, 8])
    """
    sizes = list(minimum) or [0] * len(capacities)
    wish = list(prefer) or [0] * len(capacities)
    for t, (size, cap) in enumerate(zip(sizes, capacities, strict=True)):
        if size > cap:
            raise InfeasibleSeating(
                f"{size} people are fixed at table {t + 1}, which seats {cap}", rule="fixed"
            )
    if people > sum(capacities):
        raise InfeasibleSeating(
            f"{people} people but only {sum(capacities)} seats", rule="capacity"
        )
    for _ in range(people - sum(sizes)):
        open_tables = [t for t in range(len(sizes)) if sizes[t] < capacities[t]]
        t = min(open_tables, key=lambda t: (sizes[t], sizes[t] >= wish[t], -capacities[t], t))
        sizes[t] += 1
    return sizes


def _default_budget(people: int) -> int:
    return 300 + 6 * people


def _validate(problem: SeatingProblem) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, person in enumerate(problem.people):
        if not person.name.strip():
            raise SeatingInputError(f"person {i + 1} has an empty name")
        if person.name in index:
            raise SeatingInputError(f"duplicate person name {person.name!r}")
        index[person.name] = i
    table_names: set[str] = set()
    for table in problem.tables:
        if table.name in table_names:
            raise SeatingInputError(f"duplicate table name {table.name!r}")
        if table.capacity < 0:
            raise SeatingInputError(f"table {table.name!r} has a negative capacity")
        table_names.add(table.name)
    if not problem.tables:
        raise SeatingInputError("no tables")

    def known(name: str, where: str) -> None:
        if name not in index:
            raise SeatingInputError(f"unknown person {name!r} in {where}")

    for m, meeting in enumerate(problem.meetings):
        seen: set[str] = set()
        for name in meeting:
            known(name, f"meeting {m + 1}")
            if name in seen:
                raise SeatingInputError(f"{name!r} is listed twice at meeting {m + 1}")
            seen.add(name)
    for h, past in enumerate(problem.history):
        seen = set()
        for names in past.tables:
            for name in names:
                known(name, f"the history (past meeting {h + 1})")
                if name in seen:
                    raise SeatingInputError(f"{name!r} sits at two tables in past meeting {h + 1}")
                seen.add(name)
    rules = problem.rules
    for a, b in rules.never_together:
        known(a, "a never-together rule")
        known(b, "a never-together rule")
        if a == b:
            raise SeatingInputError(f"never-together rule pairs {a!r} with themself")
    fixed_at: dict[str, str] = {}
    for name, table_name in rules.fixed:
        known(name, "a fixed-seat rule")
        if table_name not in table_names:
            raise SeatingInputError(f"{name!r} is fixed at unknown table {table_name!r}")
        if fixed_at.get(name, table_name) != table_name:
            raise SeatingInputError(
                f"{name!r} is fixed at two tables: {fixed_at[name]!r} and {table_name!r}"
            )
        fixed_at[name] = table_name
    kept: set[str] = set()
    for name, table_name in rules.keep:
        known(name, "a keep-seat rule")
        if table_name not in table_names:
            raise SeatingInputError(f"{name!r} keeps a seat at unknown table {table_name!r}")
        if name in kept:
            raise SeatingInputError(f"{name!r} keeps seats at two tables")
        kept.add(name)
    for rule in rules.meet_again:
        for name in rule.people:
            known(name, "a meet-again rule")
        if len(set(rule.people)) < 2:
            raise SeatingInputError("a meet-again rule needs at least two different people")
        if rule.every < 1:
            raise SeatingInputError(f"meet-again interval must be at least 1, not {rule.every}")
    never = {frozenset(pair) for pair in rules.never_together}
    for rule in rules.meet_again:
        for a, b in itertools.combinations(sorted(set(rule.people)), 2):
            if frozenset((a, b)) in never:
                raise SeatingInputError(
                    f"{a} and {b} must never sit together but should meet again",
                    code="contradictory_rules",
                    params={"a": a, "b": b},
                )
    for item in rules.affinity:
        known(item.a, "an affinity")
        known(item.b, "an affinity")
        if item.a == item.b:
            raise SeatingInputError(f"an affinity pairs {item.a!r} with themself")
        if not 0.0 <= item.weight <= 1.0:
            raise SeatingInputError(
                f"affinity weight must be between 0 and 1, not {item.weight} "
                f"({item.a!r} and {item.b!r})"
            )
    if rules.objective not in OBJECTIVES:
        raise SeatingInputError(
            f"unknown objective {rules.objective!r}; choose one of {', '.join(OBJECTIVES)}"
        )
    if not 0.0 <= rules.policy <= 1.0:
        raise SeatingInputError(f"policy must be between 0 and 1, not {rules.policy}")
    if rules.variety < 0:
        raise SeatingInputError(f"variety weight must be at least 0, not {rules.variety}")
    return index


def _sizes_or_raise(
    problem: SeatingProblem,
    meeting: int,
    people: int,
    fixed: dict[int, int],
    kept: Sequence[int] = (),
) -> list[int]:
    capacities = [t.capacity for t in problem.tables]
    minimum = [0] * len(capacities)
    for t in fixed.values():
        minimum[t] += 1
    prefer = [0] * len(capacities)
    for t in kept:
        prefer[t] += 1
    try:
        return table_sizes(capacities, people, minimum, prefer)
    except InfeasibleSeating as exc:
        if exc.rule == "fixed":
            t = next(t for t in range(len(minimum)) if minimum[t] > capacities[t])
            raise InfeasibleSeating(
                f"meeting {meeting + 1}: {minimum[t]} people are fixed at table "
                f"{problem.tables[t].name!r}, which seats {capacities[t]}",
                rule="fixed",
            ) from None
        raise InfeasibleSeating(f"meeting {meeting + 1}: {exc}", rule=exc.rule) from None


def _check_never_together(
    problem: SeatingProblem,
    meeting: int,
    people: NDArray[np.int64],
    fixed: dict[int, int],
    hard: NDArray[np.bool_],
    names: list[str],
    sizes: list[int],
) -> None:
    for a, b in itertools.combinations(sorted(fixed), 2):
        if hard[a, b] and fixed[a] == fixed[b]:
            raise InfeasibleSeating(
                f"meeting {meeting + 1}: {names[a]} and {names[b]} must never sit together "
                f"but are both fixed at table {problem.tables[fixed[a]].name!r}",
                rule="never together",
            )
    used = sum(1 for s in sizes if s > 0)
    clique = _max_clique(hard, [int(p) for p in people if hard[p].any()])
    if len(clique) > used:
        shown = ", ".join(names[p] for p in clique)
        raise InfeasibleSeating(
            f"meeting {meeting + 1}: {len(clique)} mutual competitors ({shown}) "
            f"but only {used} tables",
            rule="never together",
        )


def _max_clique(adjacent: NDArray[np.bool_], nodes: list[int]) -> list[int]:
    """A maximum clique by simple branch and bound (never-together graphs are small)."""
    best: list[int] = []

    def grow(clique: list[int], candidates: list[int]) -> None:
        nonlocal best
        if len(clique) > len(best):
            best = list(clique)
        for i, v in enumerate(candidates):
            if len(clique) + len(candidates) - i <= len(best):
                return
            grow([*clique, v], [u for u in candidates[i + 1 :] if adjacent[v, u]])

    grow([], sorted(nodes, key=lambda v: -int(adjacent[v].sum())))
    return best


def _static_weights(
    problem: SeatingProblem, index: dict[str, int], hard: NDArray[np.bool_]
) -> NDArray[np.float64]:
    n = len(problem.people)
    lin = np.where(hard, HARD, 0.0)
    variety = problem.rules.variety
    if variety:
        for attr, weight in (("sector", _SECTOR), ("organisation", _ORGANISATION)):
            values = [getattr(p, attr).strip().casefold() for p in problem.people]
            groups: dict[str, list[int]] = {}
            for i, v in enumerate(values):
                if v:
                    groups.setdefault(v, []).append(i)
            for members in groups.values():
                if len(members) > 1:
                    ix = np.array(members)
                    lin[np.ix_(ix, ix)] += variety * weight
    np.fill_diagonal(lin, 0.0)
    assert lin.shape == (n, n)
    return lin


def _together(history: Iterable[list[list[int]]], n: int) -> list[NDArray[np.bool_]]:
    out = []
    for meeting in history:
        t = np.zeros((n, n), dtype=bool)
        for table in meeting:
            ix = np.array(table, dtype=np.int64)
            if len(ix):
                t[np.ix_(ix, ix)] = True
        np.fill_diagonal(t, False)
        out.append(t)
    return out


def _mates(sizes: Sequence[int]) -> float:
    """How many table-mates the average person present has at a meeting of these table sizes."""
    seated = sum(sizes)
    return sum(s * (s - 1) for s in sizes) / seated if seated else 0.0


def _history_weights(
    problem: SeatingProblem,
    index: dict[str, int],
    history: list[list[list[int]]],
    n: int,
    mates: float,
) -> NDArray[np.float64]:
    """Cost of sitting together again, from the history and the dial (see docs/seating.md).

    With ``c`` earlier shared tables, the last ``k`` meetings ago, and ``p`` the policy, an
    earlier table-mate costs ``(1 - p) * (MIX + RECENCY**(k-1) + FREQUENCY * c) + p * KNOWN``
    (``FREQUENCY * c**2 / 2`` with the "smallest maximum" objective, so the most-met pairs are
    avoided first). Each member ranks their partners on the road to five (c = 1..4): affinity
    weight first, then the longest gap, then the most meetings; the first ``ROAD_SEATS * p`` of
    them (a fraction for the last) are *chosen* and earn ``ROAD * min(1, (k - 1) /
    ROAD_SPACING)`` instead. Never-met pairs cost 0. At every setting, ``NEXT`` for last
    meeting's table-mates and ``TOO_OFTEN`` for a pair already together 4 times in the last 11
    meetings, except within meet-again rules.
    """
    policy = problem.rules.policy
    weight = np.zeros((n, n))
    if not history:
        return weight
    count = np.zeros((n, n))
    recent = np.zeros((n, n))
    together = _together(history, n)
    for age, meeting in enumerate(reversed(together)):
        count += meeting
        if age < _WINDOW - 1:
            recent += meeting
    gaps = meeting_gaps(history, n).astype(np.float64)
    met = count > 0
    if problem.rules.objective == "smallest_maximum":
        frequency = _FREQUENCY * count * count / 2
    else:
        frequency = _FREQUENCY * count
    avoid = _MIX + _RECENCY ** np.maximum(gaps - 1, 0) + frequency
    weight = np.where(met, (1.0 - policy) * avoid + policy * _KNOWN, 0.0)
    circles = np.zeros((n, n), dtype=bool)
    for rule in problem.rules.meet_again:
        ix = np.array(sorted({index[x] for x in rule.people}), dtype=np.int64)
        circles[np.ix_(ix, ix)] = True
    np.fill_diagonal(circles, False)
    free = mates - _NEW_SEATS - circles.sum(axis=1)
    seats: NDArray[np.float64] = np.maximum(0.0, policy * free).astype(np.float64)
    if seats.any():
        road = met & (count <= _ROAD_END) & ~circles
        chosen = _chosen(road, _affinity_matrix(problem, index, n), gaps, count, seats)
        spacing = np.clip((gaps - 1) / _ROAD_SPACING, 0.0, 1.0)
        weight = (1.0 - chosen) * weight - chosen * _ROAD * spacing
    guard = np.where(circles, 0.0, (gaps == 1) * _NEXT + (recent >= _ROAD_END) * _TOO_OFTEN)
    return weight + guard


def _chosen(
    road: NDArray[np.bool_],
    affinity: NDArray[np.float64],
    gaps: NDArray[np.float64],
    count: NDArray[np.float64],
    seats: NDArray[np.float64],
) -> NDArray[np.float64]:
    """How much each pair on the road to five is chosen (0..1), nobody in more than their
    ``seats``.

    A greedy b-matching: pairs in order of affinity, then the longest gap, then the most
    meetings (then their numbers, so the order is total) are chosen while both members have
    room; the last one a member takes may be a fraction.
    """
    a, b = np.nonzero(np.triu(road, 1))
    chosen = np.zeros(road.shape)
    if not len(a):
        return chosen
    order = np.lexsort((b, a, -count[a, b], -gaps[a, b], -affinity[a, b]))
    room = seats.astype(np.float64).tolist()
    for x, y in zip(a[order].tolist(), b[order].tolist(), strict=True):
        share = min(1.0, room[x], room[y])
        if share <= 0:
            continue
        chosen[x, y] = chosen[y, x] = share
        room[x] -= share
        room[y] -= share
    return chosen


def _affinity_matrix(problem: SeatingProblem, index: dict[str, int], n: int) -> NDArray[np.float64]:
    weight = np.zeros((n, n))
    for item in problem.rules.affinity:
        a, b = index[item.a], index[item.b]
        weight[a, b] = weight[b, a] = max(weight[a, b], item.weight)
    return weight


def _affinity_weights(
    problem: SeatingProblem, index: dict[str, int], n: int
) -> NDArray[np.float64]:
    """Rewards for pairs whose relationship data says they matter, growing with the dial.

    Even at 0 such a pair is worth a little (they are new people worth meeting); at 1 their
    full weight. Recency and the "too often" guard of :func:`_history_weights` still apply, so
    they are spaced out like any other pair.
    """
    reward = np.zeros((n, n))
    scale = _AFFINITY * (0.2 + 0.8 * problem.rules.policy)
    for item in problem.rules.affinity:
        a, b = index[item.a], index[item.b]
        value = -scale * item.weight
        reward[a, b] = reward[b, a] = min(reward[a, b], value)
    return reward


def _meet_again_weights(
    problem: SeatingProblem, index: dict[str, int], history: list[list[list[int]]], n: int
) -> NDArray[np.float64]:
    """Rewards (negative costs) for meet-again pairs, strong once their interval is due."""
    reward = np.zeros((n, n))
    if not problem.rules.meet_again:
        return reward
    gaps = meeting_gaps(history, n)
    scale = _MEET_AGAIN * (0.5 + problem.rules.policy)
    for rule in problem.rules.meet_again:
        ix = sorted({index[x] for x in rule.people})
        for a, b in itertools.combinations(ix, 2):
            gap = gaps[a, b]
            if gap >= rule.every:
                r = scale * (1.0 + 0.5 * min(gap - rule.every, 4))
            else:
                r = 0.2 * scale * gap / rule.every
            reward[a, b] = reward[b, a] = min(reward[a, b], -r)
    return reward


def meeting_gaps(history: list[list[list[int]]], n: int) -> NDArray[np.int64]:
    """Meetings since each pair last shared a table (history length + 1 when never)."""
    gaps = np.full((n, n), len(history) + 1, dtype=np.int64)
    for age, together in enumerate(reversed(_together(history, n))):
        gaps = np.where(together & (gaps > age + 1), age + 1, gaps)
    return gaps
