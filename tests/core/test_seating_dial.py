"""The dial (docs/seating.md): 0 meets new people, 1 deepens ties on the road to five, smoothly,
and at every setting nobody sits with the same table-mates week after week."""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import cache

import pytest

from kring.core.seating import (
    Affinity,
    Attendee,
    MeetAgain,
    MeetingPlan,
    PastMeeting,
    SeasonFigures,
    SeatingInputError,
    SeatingProblem,
    SeatingRules,
    Table,
    plan_seating,
    season_figures,
)
from tests.core.seating_strategies import club_season

DIAL = (0.0, 0.5, 1.0)


def plan_meeting_by_meeting(problem: SeatingProblem, policy: float) -> list[MeetingPlan]:
    rules = replace(problem.rules, policy=policy)
    past: list[PastMeeting] = []
    plans = []
    for m, present in enumerate(problem.meetings):
        single = replace(problem, meetings=(present,), history=tuple(past), rules=rules)
        plan = plan_seating(single, seed=m)
        assert not plan.report.hard_violations
        plans.append(plan.meetings[0])
        past.append(PastMeeting(tuple(names for _, names in plan.meetings[0].tables)))
    return plans


@cache
def figures_at(policy: float) -> SeasonFigures:
    problem = club_season(1)
    return season_figures(problem, plan_meeting_by_meeting(problem, policy))


def test_it_meets_fewer_distinct_people_as_the_dial_turns_to_deepen():
    met = [figures_at(p).distinct_met for p in DIAL]
    assert met == sorted(met, reverse=True)
    assert len(set(met)) == len(met)
    # Smoothly: no step of the dial takes three quarters of the whole fall.
    steps = [a - b for a, b in itertools.pairwise(met)]
    assert max(steps) <= 0.75 * (met[0] - met[-1])


def test_it_seats_pairs_on_the_road_to_five_twice_as_often_at_one_as_at_zero():
    assert figures_at(1.0).road_share >= 2 * figures_at(0.0).road_share


@pytest.mark.parametrize("policy", DIAL)
def test_it_never_freezes_the_tables_at_any_setting(policy):
    figures = figures_at(policy)
    assert figures.in_a_row == 0
    assert figures.max_together <= 4


@pytest.mark.parametrize("policy", DIAL)
def test_each_member_meets_two_new_people_wherever_possible(policy):
    # 8 meetings of about 38 people, hosts and meet-again circles pulling the other way: still
    # every member meets two people they never sat with wherever two such people who may sit
    # with them are present.
    assert figures_at(policy).new_shortfalls == 0


def test_it_seats_an_affinity_pair_together_when_the_dial_deepens():
    people = tuple(Attendee(x) for x in ("Ann", "Bob", "Cas", "Dee", "Eva", "Fay"))
    problem = SeatingProblem(
        people=people,
        tables=(Table("T1", 3), Table("T2", 3)),
        meetings=(tuple(p.name for p in people),),
        rules=SeatingRules(policy=1.0, affinity=(Affinity("Ann", "Fay", 1.0),)),
    )
    meeting = plan_seating(problem).meetings[0]
    assert meeting.table_of("Ann") == meeting.table_of("Fay")


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (SeatingRules(affinity=(Affinity("Ann", "Zed", 0.5),)), "unknown person 'Zed'"),
        (SeatingRules(affinity=(Affinity("Ann", "Ann", 0.5),)), "with themself"),
        (SeatingRules(affinity=(Affinity("Ann", "Bob", 1.5),)), "between 0 and 1"),
        (SeatingRules(objective="fastest"), "unknown objective 'fastest'"),
        (
            SeatingRules(
                never_together=(("Bob", "Ann"),), meet_again=(MeetAgain(("Ann", "Bob"), 2),)
            ),
            "Ann and Bob must never sit together but should meet again",
        ),
    ],
)
def test_it_refuses_bad_affinities_and_objectives(rules, message):
    problem = SeatingProblem(
        people=(Attendee("Ann"), Attendee("Bob")),
        tables=(Table("T1", 2),),
        meetings=(("Ann", "Bob"),),
        rules=rules,
    )
    with pytest.raises(SeatingInputError, match=message):
        plan_seating(problem)


def test_it_avoids_the_most_met_pair_first_with_the_smallest_maximum_objective():
    # Ann met Bob three times and Cas once; someone must sit with Ann: with "smallest maximum"
    # it is never Bob.
    history = (
        PastMeeting((("Ann", "Bob"), ("Cas", "Dee"))),
        PastMeeting((("Ann", "Bob"), ("Cas", "Dee"))),
        PastMeeting((("Ann", "Bob"), ("Cas", "Dee"))),
        PastMeeting((("Ann", "Cas"), ("Bob", "Dee"))),
        PastMeeting((("Ann", "Dee"), ("Bob", "Cas"))),
    )
    problem = SeatingProblem(
        people=tuple(Attendee(x) for x in ("Ann", "Bob", "Cas", "Dee")),
        tables=(Table("T1", 2), Table("T2", 2)),
        meetings=(("Ann", "Bob", "Cas", "Dee"),),
        history=history,
        rules=SeatingRules(objective="smallest_maximum"),
    )
    meeting = plan_seating(problem).meetings[0]
    assert meeting.table_of("Ann") != meeting.table_of("Bob")


def test_a_shortfall_of_new_people_counts_only_where_two_could_sit_with_one():
    # A never met B and G, but B is a competitor: only G could be new for A, so A meeting no
    # one new is no shortfall; C, D and E (B and G possible) meeting no one new are.
    people = tuple(Attendee(x) for x in "ABCDEFG")
    problem = SeatingProblem(
        people=people,
        tables=(Table("T1", 4), Table("T2", 3)),
        meetings=(tuple("ABCDEFG"),),
        history=(PastMeeting((tuple("ACDEF"),)),),
        rules=SeatingRules(never_together=(("A", "B"),)),
    )
    plan = [MeetingPlan((("T1", tuple("ACDE")), ("T2", tuple("BFG"))))]
    assert season_figures(problem, plan).new_shortfalls == 3
    # At tables of two nobody can meet two people at once.
    four = SeatingProblem(
        people=people[:4], tables=(Table("T1", 2), Table("T2", 2)), meetings=(tuple("ABCD"),)
    )
    plan = [MeetingPlan((("T1", ("A", "B")), ("T2", ("C", "D"))))]
    assert season_figures(four, plan).new_shortfalls == 0
