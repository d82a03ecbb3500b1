"""Hypothesis strategies for the keep-warm planner: touches, tier inputs, plan people."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from kring.core.planning import PlanPerson
from kring.core.strength import CHANNELS, Touch
from kring.core.tiers import TierInput

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
WEEK = date(2026, 6, 1)  # a Monday

ages = st.floats(0, 3 * 365, allow_nan=False, allow_infinity=False)  # days before NOW
channels = st.sampled_from(CHANNELS)
initiatives = st.sampled_from(
    [("me", True), ("me", False), ("me", None), ("them", None), ("them", True), ("both", None)]
)


@st.composite
def touches(draw: st.DrawFn, max_age: float = 3 * 365) -> Touch:
    """One interaction at most ``max_age`` days before :data:`NOW`."""
    age = draw(st.floats(0, max_age, allow_nan=False, allow_infinity=False))
    initiated_by, answered = draw(initiatives)
    return Touch(
        NOW - timedelta(days=age),
        draw(channels),
        draw(st.integers(0, 300)),
        initiated_by,
        answered,
    )


histories = st.lists(touches(), max_size=25)


@st.composite
def tier_inputs(draw: st.DrawFn, max_size: int = 40) -> list[TierInput]:
    """Relationships to review, with distinct keys."""
    n = draw(st.integers(0, max_size))
    return [
        TierInput(
            key=i,
            strength=draw(st.floats(0, 100, allow_nan=False)),
            favours_given=draw(st.integers(0, 6)),
            favours_received=draw(st.integers(0, 6)),
            asks_matched=draw(st.integers(0, 4)),
            stars=draw(st.integers(0, 3)),
            current=draw(st.sampled_from([None, "A", "B", "C"])),
        )
        for i in range(n)
    ]


optional_days = st.one_of(st.none(), st.integers(-400, 400))


def _day(offset: int | None) -> date | None:
    return None if offset is None else WEEK + timedelta(days=offset)


@st.composite
def plan_people(draw: st.DrawFn, max_size: int = 30) -> list[PlanPerson]:
    """People for a weekly plan, every field drawn independently (guards often in force)."""
    n = draw(st.integers(0, max_size))
    people = []
    for i in range(n):
        people.append(
            PlanPerson(
                key=i,
                tier=draw(st.sampled_from(["A", "B", "C"])),
                strength=draw(st.floats(0, 100, allow_nan=False)),
                cooling=draw(st.booleans()),
                last_touch=_day(draw(st.one_of(st.none(), st.integers(-400, 0)))),
                birthday=_day(draw(optional_days)),
                last_shared_meeting=_day(draw(st.one_of(st.none(), st.integers(-30, 6)))),
                open_asks_answerable=draw(st.integers(0, 3)),
                favours_owed=draw(st.integers(-2, 3)),
                familiarity=draw(st.integers(0, 8)),
                unanswered_in_row=draw(st.integers(0, 3)),
                snoozed_until=_day(draw(st.one_of(st.none(), st.integers(-30, 30)))),
                dont_contact_before=_day(draw(st.one_of(st.none(), st.integers(-30, 30)))),
                planned_this_week=draw(st.booleans()),
            )
        )
    return people
