"""Re-seating after a change: kept seats move as little as the even spread allows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.core.seating import (
    Attendee,
    SeatingInputError,
    SeatingProblem,
    SeatingRules,
    Table,
    plan_seating,
    table_sizes,
)


def _seats(plan, meeting=0):
    return {name: table for table, names in plan.meetings[meeting].tables for name in names}


def _club(n=40, tables=5, capacity=8):
    people = tuple(Attendee(f"p{i:02d}", sector=f"s{i % 6}") for i in range(n))
    return people, tuple(Table(f"T{t + 1}", capacity) for t in range(tables))


@settings(max_examples=25, deadline=None)
@given(
    gone=st.sets(st.integers(0, 39), min_size=1, max_size=6),
    seed=st.integers(0, 1000),
)
def test_after_cancellations_only_the_even_spread_moves_anyone(gone, seed):
    people, tables = _club()
    everyone = tuple(p.name for p in people)
    first = _seats(plan_seating(SeatingProblem(people, tables, (everyone,)), seed=seed))
    present = tuple(n for i, n in enumerate(everyone) if i not in gone)
    keep = tuple((n, first[n]) for n in present)
    plan = plan_seating(
        SeatingProblem(people, tables, (present,), rules=SeatingRules(keep=keep)), seed=seed
    )
    again = _seats(plan)
    moved = sum(first[n] != again[n] for n in present)
    # The fewest moves that reach an even spread: people above the even target must move.
    left = {t.name: sum(1 for n in present if first[n] == t.name) for t in tables}
    sizes = table_sizes([t.capacity for t in tables], len(present), prefer=list(left.values()))
    needed = sum(max(0, left[t.name] - size) for t, size in zip(tables, sizes, strict=True))
    assert moved == needed
    assert sorted(len(names) for _, names in plan.meetings[0].tables) == sorted(sizes)


def test_without_keep_the_plan_is_free_to_change():
    people, tables = _club()
    everyone = tuple(p.name for p in people)
    first = _seats(plan_seating(SeatingProblem(people, tables, (everyone,)), seed=1))
    present = everyone[2:]
    again = _seats(plan_seating(SeatingProblem(people, tables, (present,)), seed=2))
    assert sum(first[n] != again[n] for n in present) > 5


def test_hard_rules_beat_kept_seats():
    people, tables = _club(n=8, tables=2, capacity=4)
    names = tuple(p.name for p in people)
    keep = tuple((n, "T1" if i < 4 else "T2") for i, n in enumerate(names))
    rules = SeatingRules(keep=keep, never_together=(("p00", "p01"),))
    seats = _seats(plan_seating(SeatingProblem(people, tables, (names,), rules=rules)))
    assert seats["p00"] != seats["p01"]
    assert sum(seats[n] != t for n, t in keep) == 2  # one swap, two people moved


def test_table_sizes_prefer_the_tables_people_stay_at():
    assert table_sizes([8, 8, 8], 23) == [8, 8, 7]
    assert table_sizes([8, 8, 8], 23, prefer=[8, 7, 8]) == [8, 7, 8]
    assert table_sizes([8, 8, 8], 22, prefer=[8, 8, 6]) == [8, 7, 7]


@pytest.mark.parametrize(
    ("keep", "message"),
    [
        ((("nobody", "T1"),), "unknown person 'nobody' in a keep-seat rule"),
        ((("p00", "T9"),), "'p00' keeps a seat at unknown table 'T9'"),
        ((("p00", "T1"), ("p00", "T2")), "'p00' keeps seats at two tables"),
    ],
)
def test_bad_keep_rules_are_named(keep, message):
    people, tables = _club(n=8, tables=2, capacity=4)
    problem = SeatingProblem(
        people, tables, (tuple(p.name for p in people),), rules=SeatingRules(keep=keep)
    )
    with pytest.raises(SeatingInputError, match=message):
        plan_seating(problem)


def test_fixed_people_count_where_the_spread_goes():
    # T3 holds a host (fixed) and three kept people, T2 lost one of its four: the even spread
    # 4 + 3 + 4 must leave T3 at four and T2 at three, so nobody moves.
    people, tables = _club(n=12, tables=3, capacity=4)
    names = [p.name for p in people]
    where = {n: f"T{i // 4 + 1}" for i, n in enumerate(names)}
    present = tuple(n for n in names if n != "p04")
    host = "p08"
    keep = tuple((n, where[n]) for n in present if n != host)
    rules = SeatingRules(fixed=((host, "T3"),), keep=keep)
    seats = _seats(plan_seating(SeatingProblem(people, tables, (present,), rules=rules)))
    assert all(seats[n] == t for n, t in keep)
