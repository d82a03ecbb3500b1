"""Hypothesis strategies for seating problems, grown with each seating feature."""

from __future__ import annotations

import random

from hypothesis import strategies as st

from kring.core.seating import (
    Affinity,
    Attendee,
    MeetAgain,
    PastMeeting,
    SeatingProblem,
    SeatingRules,
    Table,
)

SECTORS = ["law", "it", "food", "build"]


@st.composite
def seating_problems(draw: st.DrawFn, max_people: int = 14) -> SeatingProblem:
    """Small club problems that usually have a plan (rare infeasible ones are allowed)."""
    n = draw(st.integers(2, max_people))
    names = [f"p{i}" for i in range(n)]
    people = tuple(
        Attendee(
            name,
            draw(st.sampled_from(["", *SECTORS])),
            draw(st.sampled_from(["", "acme", "bolt", "core"])),
        )
        for name in names
    )
    table_count = draw(st.integers(1, 4))
    capacities = [draw(st.integers(1, 6)) for _ in range(table_count)]
    short = n - sum(capacities)
    if short > 0:
        capacities[0] += short + draw(st.integers(0, 2))
    tables = tuple(Table(f"T{t + 1}", c) for t, c in enumerate(capacities))
    meeting_count = draw(st.integers(1, 3))
    meetings = tuple(
        tuple(name for name in names if draw(st.booleans()) or draw(st.booleans()))
        for _ in range(meeting_count)
    )
    fixed: list[tuple[str, str]] = []
    room = list(capacities)
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=3)):
        t = draw(st.integers(0, table_count - 1))
        if room[t] > 0:
            room[t] -= 1
            fixed.append((name, tables[t].name))
    never: list[tuple[str, str]] = []
    if table_count > 1:
        pairs = st.tuples(st.sampled_from(names), st.sampled_from(names)).filter(
            lambda p: p[0] != p[1]
        )
        never = draw(st.lists(pairs, max_size=3))
        fixed_at = dict(fixed)
        never = [
            (a, b)
            for a, b in never
            if not (a in fixed_at and b in fixed_at and fixed_at[a] == fixed_at[b])
        ]
    meet_again = []
    if n >= 3 and draw(st.booleans()):
        circle = draw(st.lists(st.sampled_from(names), min_size=2, max_size=3, unique=True))
        meet_again.append(MeetAgain(tuple(circle), draw(st.integers(1, 3))))
        # A never-together pair inside a meet-again circle is a contradiction (refused).
        never = [(a, b) for a, b in never if not (a in circle and b in circle)]
    history = []
    for _ in range(draw(st.integers(0, 2))):
        shuffled = draw(st.permutations(names))
        cut = draw(st.integers(1, n))
        history.append(PastMeeting((tuple(shuffled[:cut]), tuple(shuffled[cut:]))))
    return SeatingProblem(
        people=people,
        tables=tables,
        meetings=meetings,
        history=tuple(history),
        rules=SeatingRules(
            never_together=tuple(never),
            fixed=tuple(fixed),
            meet_again=tuple(meet_again),
            policy=draw(st.sampled_from([0.0, 0.3, 1.0])),
        ),
    )


def club_season(
    seed: int, *, members: int = 48, tables: int = 7, meetings: int = 8
) -> SeatingProblem:
    """A small club season like the benchmark's (benchmarks/seating/season.py): 80% attendance,
    tables of 8, a host at all tables but two, competitor pairs, meet-again circles of 4 every
    3 meetings and affinity pairs."""
    rng = random.Random(seed)
    people = tuple(
        Attendee(f"m{i:03d}", rng.choice(SECTORS), f"org{rng.randrange(members // 2):02d}")
        for i in range(members)
    )
    names = [p.name for p in people]
    table_list = tuple(Table(f"T{t + 1}", 8) for t in range(tables))
    hosts = tuple((names[t], table_list[t].name) for t in range(tables - 2))
    never: set[tuple[str, str]] = set()
    while len(never) < members // 6:
        a, b = sorted(rng.sample(names[tables:], 2))
        never.add((a, b))
    circles: list[MeetAgain] = []
    while len(circles) < members // 12:
        circle = tuple(rng.sample(names[tables:], 4))
        if not any((a, b) in never for a in circle for b in circle):
            circles.append(MeetAgain(circle, 3))
    affinity: dict[tuple[str, str], Affinity] = {}
    while len(affinity) < members // 2:
        a, b = sorted(rng.sample(names, 2))
        if (a, b) not in never:
            affinity[(a, b)] = Affinity(a, b, round(rng.uniform(0.3, 1.0), 2))
    planned = tuple(tuple(n for n in names if rng.random() < 0.8) for _ in range(meetings))
    return SeatingProblem(
        people=people,
        tables=table_list,
        meetings=planned,
        rules=SeatingRules(
            never_together=tuple(sorted(never)),
            fixed=hosts,
            meet_again=tuple(circles),
            affinity=tuple(affinity.values()),
        ),
    )
