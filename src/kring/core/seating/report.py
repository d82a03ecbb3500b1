"""The report on a plan: hard rules, repeats and their spread, meet-again targets, variety."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from kring.core.seating.model import (
    MeetingPlan,
    SeasonFigures,
    SeatingProblem,
    SeatingReport,
    TableVariety,
)

__all__ = ["repeat_lower_bound", "season_figures", "seating_report"]


def repeat_lower_bound(sizes_per_meeting: Sequence[Sequence[int]], people: int) -> int:
    """A lower bound on repeated pairs (sum over pairs of times together minus one).

    Parameters
    ----------
    sizes_per_meeting : the table sizes used at each meeting.
    people : how many distinct people are seated over all meetings.

    Returns
    -------
    ``max(0, P - N)`` where P counts pair-meetings (two people at one table at one meeting) and
    N the pairs of people: every pair-meeting beyond the first of its pair is a repeat.

    Examples
    --------
    >>> repeat_lower_bound([[8] * 5] * 10, 40)  # 5-8-10: the 620 of the benchmark
    620
    >>> repeat_lower_bound([[4] * 8] * 10, 32)
    0
    """
    pair_meetings = sum(s * (s - 1) // 2 for sizes in sizes_per_meeting for s in sizes)
    return max(0, pair_meetings - people * (people - 1) // 2)


def _max_needed(sizes_per_meeting: Sequence[Sequence[int]], people: int) -> int:
    pairs = people * (people - 1) // 2
    pair_meetings = sum(s * (s - 1) // 2 for sizes in sizes_per_meeting for s in sizes)
    return -(-pair_meetings // pairs) if pairs else 0


def seating_report(problem: SeatingProblem, meetings: Sequence[MeetingPlan]) -> SeatingReport:
    """Recount everything about a plan from the names alone.

    Parameters
    ----------
    problem : the problem the plan answers (rules, history, sectors).
    meetings : one plan per meeting, in order.

    Returns
    -------
    SeatingReport

    Examples
    --------
    >>> from kring.core.seating import Attendee, MeetingPlan, SeatingProblem, Table
    >>> problem = SeatingProblem(
    ...     people=(Attendee("Ann"), Attendee("Bob")), tables=(Table("T", 2),),
    ...     meetings=(("Ann", "Bob"), ("Ann", "Bob")),
    ... )
    >>> plan = [MeetingPlan((("T", ("Ann", "Bob")),))] * 2
    >>> seating_report(problem, plan).repeated_pairs
    1

    Notes
    -----
    The lower bound is given when every meeting seats the same people (a season); it is the
    counting bound of :func:`repeat_lower_bound`.
    """
    rules = problem.rules
    capacity = {t.name: t.capacity for t in problem.tables}
    fixed = dict(rules.fixed)
    never = {frozenset(p) for p in rules.never_together}
    violations: list[str] = []
    plan_counts: Counter[frozenset[str]] = Counter()
    for m, meeting in enumerate(meetings):
        expected = set(problem.meetings[m]) if m < len(problem.meetings) else set()
        seated: Counter[str] = Counter()
        for table, names in meeting.tables:
            seated.update(names)
            if table in capacity and len(names) > capacity[table]:
                violations.append(f"meeting {m + 1}: table {table} seats {len(names)} > capacity")
            for a, b in itertools.combinations(names, 2):
                plan_counts[frozenset((a, b))] += 1
                if frozenset((a, b)) in never:
                    violations.append(f"meeting {m + 1}: {a} and {b} share table {table}")
        for name, count in seated.items():
            if count > 1:
                violations.append(f"meeting {m + 1}: {name} is seated {count} times")
        for name in expected - set(seated):
            violations.append(f"meeting {m + 1}: {name} is not seated")
        for name in set(seated) - expected:
            violations.append(f"meeting {m + 1}: {name} is seated but absent")
        for name, table in fixed.items():
            if name in expected and meeting.table_of(name) != table:
                violations.append(f"meeting {m + 1}: {name} is not at fixed table {table}")

    history_counts: Counter[frozenset[str]] = Counter()
    for past in problem.history:
        for names in past.tables:
            for a, b in itertools.combinations(names, 2):
                history_counts[frozenset((a, b))] += 1
    repeated = sum(c - 1 for c in plan_counts.values() if c > 1)
    total = plan_counts + history_counts
    repeated_all = sum(c - 1 for c in total.values() if c > 1)
    spread = tuple(sorted(Counter(plan_counts.values()).items()))

    lower: int | None = None
    needed: int | None = None
    attendees = {frozenset(m) for m in problem.meetings}
    if len(attendees) == 1 and meetings:
        people = len(problem.meetings[0])
        sizes = [[len(names) for _, names in meeting.tables] for meeting in meetings]
        lower = repeat_lower_bound(sizes, people)
        needed = _max_needed(sizes, people)

    met, checks = _meet_again(problem, meetings)
    return SeatingReport(
        hard_violations=tuple(violations),
        repeated_pairs=repeated,
        repeated_pairs_with_history=repeated_all,
        pair_spread=spread,
        max_pair_meetings=max(plan_counts.values(), default=0),
        lower_bound=lower,
        max_pair_meetings_needed=needed,
        meet_again_met=met,
        meet_again_total=checks,
        variety=_variety(problem, meetings),
    )


def _meet_again(problem: SeatingProblem, meetings: Sequence[MeetingPlan]) -> tuple[int, int]:
    """Count (kept, made) checks: a pair due (not together for ``every`` meetings), both present."""
    every: dict[frozenset[str], int] = {}
    for rule in problem.rules.meet_again:
        for a, b in itertools.combinations(sorted(set(rule.people)), 2):
            key = frozenset((a, b))
            every[key] = min(every.get(key, rule.every), rule.every)
    if not every:
        return 0, 0
    timeline = [list(past.tables) for past in problem.history]
    last: dict[frozenset[str], int] = {}
    for i, tables in enumerate(timeline):
        for names in tables:
            for a, b in itertools.combinations(names, 2):
                last[frozenset((a, b))] = i
    met = checks = 0
    start = len(timeline)
    for m, meeting in enumerate(meetings):
        now = start + m
        present = set(problem.meetings[m]) if m < len(problem.meetings) else set()
        together = set()
        for _, names in meeting.tables:
            for a, b in itertools.combinations(names, 2):
                together.add(frozenset((a, b)))
        for key, k in every.items():
            gap = now - last.get(key, -1)
            if key <= present and gap >= k:
                checks += 1
                met += key in together
        for key in together:
            last[key] = now
    return met, checks


def _variety(problem: SeatingProblem, meetings: Sequence[MeetingPlan]) -> tuple[TableVariety, ...]:
    people = {p.name: p for p in problem.people}
    out = []
    for m, meeting in enumerate(meetings):
        for table, names in meeting.tables:
            if not names:
                continue
            sectors = Counter(people[n].sector for n in names if n in people and people[n].sector)
            orgs = Counter(
                people[n].organisation for n in names if n in people and people[n].organisation
            )
            sector, sector_count = _top(sectors)
            org, org_count = _top(orgs)
            out.append(TableVariety(m, table, len(names), sector, sector_count, org, org_count))
    return tuple(out)


def _top(counter: Counter[str]) -> tuple[str, int]:
    if not counter:
        return "", 0
    value, count = min(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return value, count


def season_figures(problem: SeatingProblem, meetings: Sequence[MeetingPlan]) -> SeasonFigures:
    """Count what the dial promises (docs/seating.md) over a planned season.

    Parameters
    ----------
    problem : the problem the plan answers (its history, meetings and rules).
    meetings : one plan per meeting, in order.

    Returns
    -------
    SeasonFigures

    Examples
    --------
    >>> from kring.core.seating import MeetingPlan, SeatingProblem, Attendee, Table
    >>> people = tuple(Attendee(x) for x in "ABCD")
    >>> tables = (Table("1", 2), Table("2", 2))
    >>> problem = SeatingProblem(people, tables, (("A", "B", "C", "D"),) * 2)
    >>> plan = [MeetingPlan((("1", ("A", "B")), ("2", ("C", "D"))))] * 2
    >>> figures = season_figures(problem, plan)
    >>> figures.distinct_met, figures.in_a_row, figures.max_together, figures.road_share
    (1.0, 2, 2, 0.5)
    """
    circle: set[frozenset[str]] = set()
    for rule in problem.rules.meet_again:
        circle.update(frozenset(p) for p in itertools.combinations(sorted(set(rule.people)), 2))
    before: Counter[frozenset[str]] = Counter()
    for past in problem.history:
        for names in past.tables:
            before.update(frozenset(p) for p in itertools.combinations(names, 2))
    season: Counter[frozenset[str]] = Counter()
    partners: dict[str, set[str]] = {}
    shortfalls = in_a_row = road = seated_pairs = 0
    previous: set[frozenset[str]] = set()
    if problem.history:
        for names in problem.history[-1].tables:
            previous.update(frozenset(p) for p in itertools.combinations(names, 2))
    together_ever: set[frozenset[str]] = set()
    attended_together: set[frozenset[str]] = set()
    affinity = {frozenset((a.a, a.b)) for a in problem.rules.affinity}
    never = {frozenset(pair) for pair in problem.rules.never_together}
    fixed = dict(problem.rules.fixed)
    for meeting in meetings:
        here = [n for _, names in meeting.tables for n in names]
        tonight: set[frozenset[str]] = set()
        for _, names in meeting.tables:
            for a, b in itertools.combinations(names, 2):
                tonight.add(frozenset((a, b)))
        largest = max((len(names) for _, names in meeting.tables), default=0)
        for name in here:
            # Possible table-mates one never sat with: not kept apart by a never-together rule
            # nor fixed at another table than one's own fixed table (and no more than a table
            # tonight has other seats: at tables of two, one).
            unmet_present = sum(
                1
                for o in here
                if o != name
                and not before[frozenset((name, o))]
                and frozenset((name, o)) not in never
                and (name not in fixed or o not in fixed or fixed[name] == fixed[o])
            )
            table = next(names for _, names in meeting.tables if name in names)
            new_here = sum(1 for o in table if o != name and not before[frozenset((name, o))])
            if new_here < 2 <= min(unmet_present, largest - 1):
                shortfalls += 1
        for key in tonight:
            seated_pairs += 1
            road += 1 <= before[key] <= 4
            if key in previous and key not in circle:
                in_a_row += 1
            a, b = tuple(key)
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
        attended_together.update(key for key in affinity if key <= set(here))
        together_ever |= tonight & affinity
        season.update(tonight)
        before.update(tonight)
        previous = tonight
    members = {n for meeting in meetings for _, names in meeting.tables for n in names}
    distinct = sum(len(partners.get(n, ())) for n in members) / len(members) if members else 0.0
    outside = [c for key, c in season.items() if key not in circle]
    return SeasonFigures(
        distinct_met=round(distinct, 2),
        new_shortfalls=shortfalls,
        in_a_row=in_a_row,
        max_together=max(outside, default=0),
        road_share=round(road / seated_pairs, 4) if seated_pairs else 0.0,
        affinity_met=len(together_ever),
        affinity_total=len(attended_together),
    )
