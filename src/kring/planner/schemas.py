"""The planner's API shapes."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from kring.people.models import Tier


class ReasonOut(Schema):
    code: str
    text: str  # in the caller's language


class TouchOut(Schema):
    id: int
    week: dt.date  # its Monday
    person_id: int
    person_name: str
    organisation: str | None
    tier: str
    channel: str
    minutes: int
    starts_at: dt.datetime | None  # the networking slot
    reasons: list[ReasonOut]
    status: str  # planned, done, skipped or snoozed
    interaction_id: int | None  # the timeline entry a done touch became


class PlanOut(Schema):
    week: dt.date
    budget_minutes: int
    minutes: int
    open_minutes: int
    touches: list[TouchOut]


class RebuildIn(Schema):
    week: dt.date | None = Field(None, description="any day of the week; default: this week")


class DoneIn(Schema):
    answered: bool | None = Field(None, description="did they answer? null: not applicable")
    minutes: int | None = Field(None, ge=1, le=600, description="default: as planned")
    summary: str = Field("", max_length=500)


class SnoozeIn(Schema):
    days: int = Field(90, description="1 to 730")


class SlotOut(Schema):
    weekday: int  # 0 = Monday
    time: str  # HH:MM, in my time zone


class SlotIn(Schema):
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday")
    time: str = Field(..., pattern=r"^[0-2][0-9]:[0-5][0-9]$", description="HH:MM")


class PlannerSettingsOut(Schema):
    weekly_budget_minutes: int
    a_min_days: int
    a_max_days: int
    b_days: int
    max_unanswered: int
    snooze_days: int
    slots: list[SlotOut]
    digest_enabled: bool
    last_review_at: dt.datetime | None


class PlannerSettingsPatch(Schema):
    weekly_budget_minutes: int | None = None
    a_min_days: int | None = Field(None, ge=1, le=365)
    a_max_days: int | None = Field(None, ge=1, le=365)
    b_days: int | None = Field(None, ge=1, le=730)
    max_unanswered: int | None = Field(None, ge=1, le=10)
    snooze_days: int | None = Field(None, ge=1, le=730)
    slots: list[SlotIn] | None = None
    digest_enabled: bool | None = None


class TierProposalOut(Schema):
    id: int
    person_id: int
    person_name: str
    tier: str  # the tier now
    proposed: str
    reason: ReasonOut
    created_at: dt.datetime
    decision: str  # pending, accepted or overridden
    decided_tier: str


class DecideIn(Schema):
    tier: Tier
