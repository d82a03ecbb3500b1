"""Club seating: properties of every plan, tiny worked examples, bad input."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kring.core.seating as seating
from kring.core.seating import (
    Attendee,
    InfeasibleSeating,
    MeetAgain,
    PastMeeting,
    SeatingInputError,
    SeatingPlan,
    SeatingProblem,
    SeatingRules,
    Table,
    plan_seating,
    table_sizes,
)
from tests.core.seating_strategies import seating_problems


def people(*names: str) -> tuple[Attendee, ...]:
    return tuple(Attendee(n) for n in names)


def recount(plan: SeatingPlan) -> Counter[frozenset[str]]:
    counts: Counter[frozenset[str]] = Counter()
    for meeting in plan.meetings:
        for _, names in meeting.tables:
            counts.update(frozenset(p) for p in itertools.combinations(names, 2))
    return counts


def assert_valid(problem: SeatingProblem, plan: SeatingPlan) -> None:
    capacity = {t.name: t.capacity for t in problem.tables}
    fixed = dict(problem.rules.fixed)
    never = {frozenset(p) for p in problem.rules.never_together}
    assert len(plan.meetings) == len(problem.meetings)
    for present, meeting in zip(problem.meetings, plan.meetings, strict=True):
        seated = [name for _, names in meeting.tables for name in names]
        assert sorted(seated) == sorted(present), "every present attendee seated exactly once"
        sizes = [len(names) for _, names in meeting.tables]
        for table, names in meeting.tables:
            assert len(names) <= capacity[table]
            for pair in itertools.combinations(names, 2):
                assert frozenset(pair) not in never
        for name, table in fixed.items():
            if name in present:
                assert meeting.table_of(name) == table
        # Uneven numbers spread as evenly as capacities (and fixed people) allow.
        minimum = [
            sum(1 for n, t in fixed.items() if t == table and n in present)
            for table, _ in meeting.tables
        ]
        caps = [capacity[table] for table, _ in meeting.tables]
        assert sizes == table_sizes(caps, len(present), minimum)


def test_it_exposes_a_guarded_public_surface():
    assert sorted(seating.__all__) == sorted(
        [
            "Affinity", "Attendee", "GolferSeason", "InfeasibleSeating", "MeetAgain", "MeetingPlan",
            "PastMeeting", "SeatingError", "SeatingFileError", "SeatingInputError",
            "SeatingPlan", "SeatingProblem", "SeatingReport", "SeatingRules", "Table",
            "TableVariety", "count_repeats", "golfer_lower_bound", "plan_seating",
            "plan_to_json", "plan_to_rows", "read_problem", "read_problem_json",
            "repeat_lower_bound", "seating_report", "social_golfer_season", "table_sizes",
            "SeasonFigures", "season_figures",
        ]
    )  # fmt: skip
    for name in seating.__all__:
        assert getattr(seating, name).__doc__


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seating_problems(), st.booleans())
def test_it_keeps_every_hard_rule_and_reports_a_true_recount(problem: SeatingProblem, joint: bool):
    try:
        plan = plan_seating(problem, seed=1, iterations=150, joint=joint)
    except InfeasibleSeating as exc:
        assert exc.rule in {"never together", "fixed", "capacity"}
        return
    assert_valid(problem, plan)
    counts = recount(plan)
    report = plan.report
    assert report.hard_violations == ()
    assert report.repeated_pairs == sum(c - 1 for c in counts.values())
    assert dict(report.pair_spread) == dict(Counter(counts.values()))
    assert report.max_pair_meetings == max(counts.values(), default=0)
    assert report.meet_again_met <= report.meet_again_total


@settings(max_examples=15, deadline=None)
@given(seating_problems(max_people=10))
def test_it_gives_the_same_plan_for_the_same_seed(problem: SeatingProblem):
    try:
        first = plan_seating(problem, seed=7, iterations=80)
    except InfeasibleSeating:
        return
    assert plan_seating(problem, seed=7, iterations=80) == first
    # The time limit is only a safety stop: a generous one (a busy machine) changes nothing.
    assert plan_seating(problem, seed=7, iterations=80, time_limit=300) == first


def test_it_seats_a_host_at_their_table_and_competitors_apart():
    problem = SeatingProblem(
        people=people("Ann", "Bob", "Cas", "Dee"),
        tables=(Table("T1", 2), Table("T2", 2)),
        meetings=(("Ann", "Bob", "Cas", "Dee"),),
        rules=SeatingRules(never_together=(("Ann", "Bob"),), fixed=(("Ann", "T1"),)),
    )
    meeting = plan_seating(problem).meetings[0]
    assert meeting.table_of("Ann") == "T1"
    assert meeting.table_of("Bob") == "T2"


def test_it_avoids_the_people_you_sat_with_last_time():
    problem = SeatingProblem(
        people=people("Ann", "Bob", "Cas", "Dee"),
        tables=(Table("T1", 2), Table("T2", 2)),
        meetings=(("Ann", "Bob", "Cas", "Dee"),),
        history=(PastMeeting((("Ann", "Bob"), ("Cas", "Dee"))),),
    )
    plan = plan_seating(problem)
    assert plan.report.repeated_pairs_with_history == 0
    assert plan.meetings[0].table_of("Ann") != plan.meetings[0].table_of("Bob")


def test_it_never_seats_last_meetings_table_mates_together_again_even_at_policy_one():
    # Deepening means sitting again, spaced out: never the same table-mates week after week.
    problem = SeatingProblem(
        people=people("Ann", "Bob", "Cas", "Dee"),
        tables=(Table("T1", 2), Table("T2", 2)),
        meetings=(("Ann", "Bob", "Cas", "Dee"),),
        history=(PastMeeting((("Ann", "Bob"), ("Cas", "Dee"))),),
        rules=SeatingRules(policy=1.0),
    )
    meeting = plan_seating(problem).meetings[0]
    assert meeting.table_of("Ann") != meeting.table_of("Bob")


def test_it_seats_a_due_meet_again_pair_together():
    problem = SeatingProblem(
        people=people("Ann", "Bob", "Cas", "Dee", "Eve", "Fay"),
        tables=(Table("T1", 3), Table("T2", 3)),
        meetings=(("Ann", "Bob", "Cas", "Dee", "Eve", "Fay"),),
        history=(PastMeeting((("Ann", "Cas", "Eve"), ("Bob", "Dee", "Fay"))),),
        rules=SeatingRules(meet_again=(MeetAgain(("Ann", "Bob"), 1),)),
    )
    plan = plan_seating(problem)
    assert plan.meetings[0].table_of("Ann") == plan.meetings[0].table_of("Bob")
    assert (plan.report.meet_again_met, plan.report.meet_again_total) == (1, 1)


def test_it_mixes_sectors_and_organisations():
    problem = SeatingProblem(
        people=(
            Attendee("Ann", "law", "acme"),
            Attendee("Bob", "law", "acme"),
            Attendee("Cas", "it", "bolt"),
            Attendee("Dee", "it", "bolt"),
        ),
        tables=(Table("T1", 2), Table("T2", 2)),
        meetings=(("Ann", "Bob", "Cas", "Dee"),),
    )
    plan = plan_seating(problem)
    assert all(v.top_organisation_count == 1 for v in plan.report.variety)


def test_it_spreads_uneven_numbers_over_tables():
    assert table_sizes([8, 8, 8, 10], 30) == [8, 7, 7, 8]
    assert table_sizes([2, 10], 8) == [2, 6]
    assert table_sizes([3, 3], 0) == [0, 0]


def test_it_plans_a_season_jointly_without_repeats_when_possible():
    names = [f"p{i}" for i in range(9)]
    problem = SeatingProblem(
        people=people(*names),
        tables=tuple(Table(f"T{t}", 3) for t in range(3)),
        meetings=(tuple(names),) * 4,
    )
    plan = plan_seating(problem, joint=True, iterations=3000)
    assert plan.report.repeated_pairs == 0
    assert plan.report.lower_bound == 0


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (
            SeatingProblem(people("A", "B", "C"), (Table("T", 2),), (("A", "B", "C"),)),
            "3 people but only 2 seats",
        ),
        (
            SeatingProblem(
                people(*"ABCDEFG"),
                tuple(Table(f"T{t}", 4) for t in range(6)),
                (tuple("ABCDEFG"),),
                rules=SeatingRules(never_together=tuple(itertools.combinations("ABCDEFG", 2))),
            ),
            "7 mutual competitors (A, B, C, D, E, F, G) but only 6 tables",
        ),
        (
            SeatingProblem(
                people("A", "B"),
                (Table("T", 2), Table("U", 2)),
                (("A", "B"),),
                rules=SeatingRules(never_together=(("A", "B"),), fixed=(("A", "T"), ("B", "T"))),
            ),
            "must never sit together but are both fixed at table 'T'",
        ),
        (
            SeatingProblem(
                people("A", "B", "C"),
                (Table("T", 1), Table("U", 3)),
                (("A", "B", "C"),),
                rules=SeatingRules(fixed=(("A", "T"), ("B", "T"))),
            ),
            "2 people are fixed at table 'T', which seats 1",
        ),
    ],
)
def test_it_names_the_rule_that_cannot_hold(problem: SeatingProblem, message: str):
    with pytest.raises(InfeasibleSeating, match=message.replace("(", r"\(").replace(")", r"\)")):
        plan_seating(problem)


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (SeatingProblem(people("A", "A"), (Table("T", 2),), ()), "duplicate person name 'A'"),
        (
            SeatingProblem(
                people("A", "B"), (Table("T", 2),), (), history=(PastMeeting((("A", "Zed"),)),)
            ),
            "unknown person 'Zed' in the history",
        ),
        (
            SeatingProblem(
                people("A"),
                (Table("T", 2), Table("U", 2)),
                (("A",),),
                rules=SeatingRules(fixed=(("A", "T"), ("A", "U"))),
            ),
            "'A' is fixed at two tables",
        ),
        (SeatingProblem(people("A"), (Table("T", 2),), (("B",),)), "unknown person 'B'"),
        (
            SeatingProblem(people("A"), (Table("T", 2),), (), rules=SeatingRules(policy=2)),
            "policy must be between 0 and 1",
        ),
    ],
)
def test_it_rejects_bad_input_clearly(problem: SeatingProblem, message: str):
    with pytest.raises(SeatingInputError, match=message):
        plan_seating(problem)


@pytest.mark.parametrize(
    "module", ["constructions", "cyclic", "golfer", "io", "planner", "report", "search"]
)
def test_it_keeps_the_docstring_examples_true(module: str):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"kring.core.seating.{module}"))
    assert result.failed == 0
