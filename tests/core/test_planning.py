"""The weekly plan: hard rules as properties, optimality against brute force, worked examples."""

from __future__ import annotations

import doctest
import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kring.core.planning as planning
from kring.core.planning import (
    Cadence,
    InvalidPlanInput,
    PlanPerson,
    WeeklyPlan,
    plan_week,
    solve_knapsack,
)
from tests.core.planner_strategies import WEEK, plan_people

END = WEEK + timedelta(days=6)


def plan(people: list[PlanPerson], budget: int = 60, **kwargs: object) -> WeeklyPlan:
    return plan_week(people, week_start=WEEK, budget_minutes=budget, **kwargs)  # type: ignore[arg-type]


def touch_of(result: WeeklyPlan, key: object):
    return next(t for t in result.touches if t.key == key)


def left_of(result: WeeklyPlan, key: object):
    return next(x for x in result.left_out if x.key == key)


def brute_force(values: list[float], minutes: list[int], budget: int) -> float:
    best = 0.0
    n = len(values)
    for r in range(n + 1):
        for subset in itertools.combinations(range(n), r):
            if sum(minutes[i] for i in subset) <= budget:
                best = max(best, sum(values[i] for i in subset))
    return best


def test_it_keeps_its_docstring_examples_true():
    result = doctest.testmod(planning, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_it_exports_its_public_surface():
    for name in planning.__all__:
        assert hasattr(planning, name), name


# --- the knapsack --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 100), st.integers(1, 40)), max_size=11),
    st.integers(0, 120),
)
def test_it_solves_the_knapsack_as_well_as_brute_force(items, budget):
    values = [v for v, _ in items]
    minutes = [m for _, m in items]
    chosen = solve_knapsack(values, minutes, budget)
    assert sum(m for m, c in zip(minutes, chosen, strict=True) if c) <= budget
    got = sum(v for v, c in zip(values, chosen, strict=True) if c)
    assert got == pytest.approx(brute_force(values, minutes, budget), abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 60), st.sampled_from([5, 10, 15, 30])), min_size=1, max_size=12
    ),
    st.integers(0, 90),
)
def test_it_solves_the_knapsack_on_typical_touch_lengths(items, budget):
    values = [float(v) for v, _ in items]
    minutes = [m for _, m in items]
    chosen = solve_knapsack(values, minutes, budget)
    got = sum(v for v, c in zip(values, chosen, strict=True) if c)
    assert got == pytest.approx(brute_force(values, minutes, budget))


def test_it_solves_5000_candidates_within_the_budget():
    rng = np.random.default_rng(7)
    values = rng.uniform(5, 100, 5_000)
    minutes = rng.choice([5, 10, 15, 30], 5_000)
    solve_knapsack(values, minutes, 2400)  # warm up
    chosen = solve_knapsack(values, minutes, 2400)
    assert minutes[chosen].sum() <= 2400
    odd = rng.integers(1, 61, 5_000)  # lengths with no common divisor: the hard case
    chosen = solve_knapsack(values, odd, 2400)
    assert odd[chosen].sum() <= 2400


def test_it_takes_everything_when_everything_fits_a_huge_budget():
    assert solve_knapsack([1.0, 0.0, 2.0], [5, 5, 7], 10**9).tolist() == [True, False, True]


def test_it_refuses_bad_knapsack_input():
    with pytest.raises(InvalidPlanInput, match="minutes"):
        solve_knapsack([1.0], [0], 10)
    with pytest.raises(InvalidPlanInput, match="values"):
        solve_knapsack([-1.0], [5], 10)
    with pytest.raises(InvalidPlanInput, match="same length"):
        solve_knapsack([1.0, 2.0], [5], 10)
    with pytest.raises(InvalidPlanInput, match="budget"):
        solve_knapsack([1.0], [5], -1)


# --- the hard rules, as properties ---------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(plan_people(), st.integers(0, 120), st.integers(1, 3))
def test_it_never_breaks_a_hard_rule(people, budget, max_unanswered):
    result = plan(people, budget, max_unanswered=max_unanswered)
    by_key = {p.key: p for p in people}
    assert result.minutes_used <= budget
    keys = [t.key for t in result.touches]
    assert len(keys) == len(set(keys))  # at most one touch per person
    assert not set(keys) & {x.key for x in result.left_out}
    for t in result.touches:
        p = by_key[t.key]
        assert p.tier != "C"
        assert p.unanswered_in_row < max_unanswered
        assert not p.planned_this_week
        assert WEEK <= t.day <= END
        assert p.dont_contact_before is None or t.day >= p.dont_contact_before
        assert p.snoozed_until is None or t.day >= p.snoozed_until
        assert t.reasons and t.value > 0 and t.minutes >= 5
    for x in result.left_out:
        p = by_key[x.key]
        if p.tier == "C":
            assert x.reason == "automate"
        elif x.reason == "follow_up_guard":
            assert p.unanswered_in_row >= max_unanswered
            assert x.until == WEEK + timedelta(days=90)
    guarded = [
        p
        for p in people
        if p.tier != "C"
        and p.unanswered_in_row >= max_unanswered
        and not p.planned_this_week
        and (p.snoozed_until is None or p.snoozed_until <= END)
    ]
    assert {p.key for p in guarded} <= set(result.snoozes)


@settings(max_examples=100, deadline=None)
@given(plan_people(max_size=10), st.integers(0, 40))
def test_it_makes_the_best_plan_that_fits(people, budget):
    everyone = plan(people, 2400)  # every candidate fits: the full set of candidates
    values = [t.value for t in everyone.touches]
    minutes = [t.minutes for t in everyone.touches]
    result = plan(people, budget)
    assert result.value == pytest.approx(brute_force(values, minutes, budget))
    chosen = {t.key for t in result.touches}
    over = {x.key for x in result.left_out if x.reason == "over_budget"}
    assert chosen | over == {t.key for t in everyone.touches}


@settings(max_examples=50, deadline=None)
@given(plan_people(), st.integers(0, 120))
def test_it_gives_the_same_plan_for_the_same_input(people, budget):
    assert plan(people, budget) == plan(list(people), budget)


# --- worked examples -----------------------------------------------------------------------------


def test_it_suggests_a_message_for_a_birthday_and_a_call_for_a_cooling_a_tie():
    people = [
        PlanPerson("ann", "A", cooling=True, last_touch=WEEK - timedelta(days=10), familiarity=9),
        PlanPerson("bob", "B", birthday=date(1979, 6, 4), last_touch=WEEK, familiarity=9),
    ]
    result = plan(people)
    ann, bob = touch_of(result, "ann"), touch_of(result, "bob")
    assert (ann.reasons, ann.channel, ann.minutes) == (("cooling_a",), "call", 10)
    assert (bob.reasons, bob.channel, bob.minutes, bob.day) == (
        ("birthday",),
        "message",
        5,
        date(2026, 6, 4),
    )


def test_it_plans_the_day_after_a_shared_meeting():
    people = [
        PlanPerson(
            "ann",
            "B",
            last_shared_meeting=WEEK + timedelta(days=2),
            familiarity=9,
            last_touch=WEEK - timedelta(days=3),
        ),
    ]
    ann = touch_of(plan(people), "ann")
    assert ann.reasons == ("after_meeting",)
    assert ann.day == WEEK + timedelta(days=3)


def test_it_gives_before_it_asks_and_returns_favours():
    people = [
        PlanPerson("ann", "B", open_asks_answerable=2, familiarity=9, last_touch=WEEK),
        PlanPerson("bob", "B", favours_owed=1, familiarity=9, last_touch=WEEK),
        PlanPerson("cas", "B", favours_owed=-2, familiarity=9, last_touch=WEEK),
    ]
    result = plan(people)
    assert touch_of(result, "ann").reasons == ("give_first",)
    assert touch_of(result, "ann").value == 25.0
    assert touch_of(result, "bob").reasons == ("favour_owed",)
    assert "cas" not in {t.key for t in result.touches}  # the user is owed, nothing due


def test_it_nudges_a_tie_not_yet_met_five_times_at_most_every_two_weeks():
    fresh = PlanPerson("ann", "B", familiarity=2, last_touch=WEEK - timedelta(days=3))
    quiet = replace(fresh, key="bob", last_touch=WEEK - timedelta(days=20))
    result = plan([fresh, quiet])
    assert [t.key for t in result.touches] == ["bob"]
    assert touch_of(result, "bob").reasons == ("not_familiar",)


def test_it_plans_by_cadence_and_values_overdue_ties_more():
    due = PlanPerson("ann", "A", last_touch=WEEK - timedelta(days=15), familiarity=9)
    overdue = replace(due, key="bob", last_touch=WEEK - timedelta(days=40))
    early = replace(due, key="cas", last_touch=WEEK - timedelta(days=10))
    b_due = PlanPerson("dee", "B", last_touch=WEEK - timedelta(days=100), familiarity=9)
    b_early = replace(b_due, key="eve", last_touch=WEEK - timedelta(days=60))
    result = plan([due, overdue, early, b_due, b_early])
    assert {t.key for t in result.touches} == {"ann", "bob", "dee"}
    assert touch_of(result, "bob").value > touch_of(result, "ann").value
    assert all(t.reasons == ("due",) for t in result.touches)


def test_it_takes_edited_cadences():
    person = PlanPerson("ann", "B", last_touch=WEEK - timedelta(days=40), familiarity=9)
    assert plan([person]).touches == ()
    assert plan([person], cadences={"B": Cadence(30, 60)}).touches[0].reasons == ("due",)


def test_it_puts_c_tier_on_the_automate_list():
    result = plan([PlanPerson("ann", "C", cooling=True, birthday=date(1980, 6, 2))])
    assert result.touches == ()
    assert result.automate == ("ann",)


def test_it_snoozes_someone_after_two_unanswered_messages():
    nagged = PlanPerson("ann", "A", cooling=True, unanswered_in_row=2)
    once = replace(nagged, key="bob", unanswered_in_row=1)
    result = plan([nagged, once])
    assert [t.key for t in result.touches] == ["bob"]
    assert result.snoozes == {"ann": date(2026, 8, 30)}
    more_patient = plan([nagged], max_unanswered=3, snooze_days=30)
    assert [t.key for t in more_patient.touches] == ["ann"]
    assert plan([replace(nagged, unanswered_in_row=3)], snooze_days=30).snoozes == {
        "ann": WEEK + timedelta(days=30)
    }


def test_it_never_plans_before_dont_contact_before_or_a_snooze():
    base = PlanPerson("ann", "A", cooling=True)
    midweek = plan([replace(base, dont_contact_before=WEEK + timedelta(days=3))])
    assert midweek.touches[0].day == WEEK + timedelta(days=3)
    later = plan([replace(base, dont_contact_before=WEEK + timedelta(days=9))])
    assert (later.touches, left_of(later, "ann").reason) == ((), "not_before")
    snoozed = plan([replace(base, snoozed_until=WEEK + timedelta(days=30))])
    assert left_of(snoozed, "ann").reason == "snoozed"
    waking = plan([replace(base, snoozed_until=WEEK + timedelta(days=1))])
    assert waking.touches[0].day == WEEK + timedelta(days=1)


def test_it_drops_a_birthday_that_falls_before_dont_contact_before():
    person = PlanPerson(
        "ann",
        "B",
        birthday=date(1990, 6, 2),
        dont_contact_before=WEEK + timedelta(days=4),
        familiarity=9,
        last_touch=WEEK,
    )
    assert plan([person]).touches == ()


def test_it_keeps_a_leap_day_birthday_in_ordinary_years():
    week = date(2027, 2, 22)
    person = PlanPerson("ann", "B", birthday=date(1996, 2, 29), familiarity=9, last_touch=week)
    result = plan_week([person], week_start=week, budget_minutes=30)
    assert result.touches[0].day == date(2027, 2, 28)


def test_it_plans_at_most_one_touch_a_week_per_person():
    result = plan([PlanPerson("ann", "A", cooling=True, planned_this_week=True)])
    assert result.touches == ()
    assert left_of(result, "ann").reason == "already_planned"


def test_it_reports_who_did_not_fit_the_budget():
    people = [PlanPerson(f"p{i}", "A", cooling=True) for i in range(4)]
    result = plan(people, budget=20)
    assert len(result.touches) == 2
    assert sorted(x.reason for x in result.left_out) == ["over_budget", "over_budget"]
    assert plan(people, budget=0).touches == ()


def test_it_plans_5000_people_quickly():
    people = [
        PlanPerson(
            i,
            "ABBBBCCCCC"[i % 10],
            cooling=i % 7 == 0,
            favours_owed=i % 5 - 2,
            last_touch=WEEK - timedelta(days=i % 200),
            familiarity=i % 8,
            birthday=date(1980, 1, 1) + timedelta(days=i % 365),
            unanswered_in_row=i % 4,
            open_asks_answerable=i % 3,
        )
        for i in range(5_000)
    ]
    plan(people, 600)
    result = plan(people, 600)
    assert result.minutes_used <= 600


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("budget", [-1, 2401, 10_000, 1.5, True, None])
def test_it_refuses_a_negative_or_absurd_budget(budget):
    with pytest.raises(InvalidPlanInput, match="budget_minutes"):
        plan([], budget)


def test_it_refuses_an_unknown_tier():
    with pytest.raises(InvalidPlanInput, match="tier must be A, B or C"):
        plan([PlanPerson("ann", "D")])
    with pytest.raises(InvalidPlanInput, match="unknown tier"):
        plan([], cadences={"D": Cadence(10, 20)})


@pytest.mark.parametrize(
    ("cadences", "message"),
    [
        ({"A": Cadence(0, 28)}, r"cadences\['A'\].min_days"),
        ({"B": Cadence(90, 0)}, r"cadences\['B'\].max_days"),
        ({"B": Cadence(90, 60)}, r"max_days \(60\) must be >= min_days"),
        ({"C": Cadence(30, 60)}, "C-tier never gets a personal touch"),
    ],
)
def test_it_refuses_a_cadence_of_zero_and_other_bad_cadences(cadences, message):
    with pytest.raises(InvalidPlanInput, match=message):
        plan([], cadences=cadences)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"max_unanswered": 0}, "max_unanswered"),
        ({"snooze_days": 0}, "snooze_days"),
    ],
)
def test_it_refuses_a_guard_that_makes_no_sense(kwargs, field):
    with pytest.raises(InvalidPlanInput, match=field):
        plan([], **kwargs)


@pytest.mark.parametrize(
    ("person", "field"),
    [
        (PlanPerson("x", "A", strength=101), "strength"),
        (PlanPerson("x", "A", familiarity=-1), "familiarity"),
        (PlanPerson("x", "A", unanswered_in_row=-1), "unanswered_in_row"),
        (PlanPerson("x", "A", open_asks_answerable=-1), "open_asks_answerable"),
        (PlanPerson("x", "A", birthday=datetime(2026, 1, 1)), "birthday"),
    ],
)
def test_it_refuses_a_bad_person_naming_the_field(person, field):
    with pytest.raises(InvalidPlanInput, match=field):
        plan([person])


def test_it_refuses_duplicate_people_and_a_datetime_week():
    with pytest.raises(InvalidPlanInput, match="duplicate"):
        plan([PlanPerson("x", "A"), PlanPerson("x", "B")])
    with pytest.raises(InvalidPlanInput, match="week_start"):
        plan_week([], week_start=datetime(2026, 6, 1), budget_minutes=60)
