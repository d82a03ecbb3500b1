"""The club's API shapes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from kring.clubs.models import Attendance, Referral


class MeetingOut(Schema):
    id: int
    workspace_id: int
    title: str
    starts_at: dt.datetime
    venue: str
    policy: float
    seated_at: dt.datetime | None
    coming: int
    my_answer: str | None


class SeatOut(Schema):
    attendance_id: int
    user_id: int | None  # a member
    guest_id: int | None  # or a guest
    name: str
    host: bool
    locked: bool


class TableOut(Schema):
    id: int
    name: str
    capacity: int
    host_id: int | None
    host_name: str | None
    seated: list[SeatOut]


class TonightOut(Schema):
    repeats: int  # pairs at one table tonight who shared a table before
    by_times: list[list[int]]  # [times, pairs]: pairs sitting together for the times-th time
    lower_bound: int  # no plan of tonight's people at these tables repeats fewer pairs
    most_times: int


class SeasonOut(Schema):
    repeated_pairs: int
    most_times: int | None


class AffinityOut(Schema):
    pairs: int  # pairs coming with a reason to meet
    together: int  # of them seated at one table


class SeatingReportOut(Schema):
    repeated_pairs: int  # over the season, tonight included
    max_pair_meetings: int
    hard_violations: list[str]
    lower_bound: int | None
    kept_apart: int | None = None
    moved: int | None = None  # when a plan was revised: people who changed tables
    tonight: TonightOut | None = None  # plans made before tonight's figures have none
    season: SeasonOut | None = None
    policy: float | None = None
    hostless: list[str] = []  # tables seated without their host ("seat anyway")
    affinity: AffinityOut | None = None


class MeetingDetailOut(MeetingOut):
    can_manage: bool
    seats: int
    seating_state: str  # "", "queued", "running" or "failed"
    seating_error: str
    my_table_id: int | None
    tables: list[TableOut]
    unseated: list[SeatOut]
    report: SeatingReportOut | None


class AnswerIn(Schema):
    answer: Attendance.Answer
    member_id: int | None = None  # an organiser answers for another member


class AttendanceOut(Schema):
    id: int
    meeting_id: int
    user_id: int | None
    guest_id: int | None
    name: str
    answer: str
    table_id: int | None
    locked: bool


class SeatEveryoneIn(Schema):
    policy: float | None = Field(None, ge=0, le=1)
    keep: bool = False  # revise the current plan, moving as few people as possible
    hostless: bool = False  # seat even though a host does not come: their table has no host


class SeatMoveIn(Schema):
    table_id: int | None
    locked: bool = False


class ReasonOut(Schema):
    code: str  # ask_offer, ask_sector, ask_network, want_to_meet, introduction, referral
    text: str  # in the caller's language


class MateOut(Schema):
    id: int  # the mate's attendance: what ConversationIn.mate_id names
    user_id: int | None
    guest_id: int | None
    name: str
    sat_together: int
    talked: int
    reasons: list[ReasonOut] = []  # why we sit together


class WantToMeetIn(Schema):
    member_ids: list[int]  # at most five fellow members; empty: none


class WantToMeetOut(Schema):
    meeting_id: int
    member_ids: list[int]


class TableRefOut(Schema):
    id: int
    name: str


class MyTableOut(Schema):
    meeting_id: int
    table: TableRefOut | None
    mates: list[MateOut]


class ConversationIn(Schema):
    mate_id: int  # a table mate's id from my-table


class ReferralIn(Schema):
    receiver_id: int
    contact: str = Field(..., min_length=1, max_length=200)
    details: str = Field("", max_length=300)
    temperature: Referral.Temperature = Referral.Temperature.WARM
    given_on: dt.date | None = None


class ReferralPatch(Schema):
    status: Referral.Status
    amount_eur: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class ReferralOut(Schema):
    id: int
    workspace_id: int
    giver_id: int
    giver: str
    receiver_id: int
    receiver: str
    contact: str
    details: str
    temperature: str
    status: str
    amount_eur: Decimal | None
    given_on: dt.date


class ReferralsOut(Schema):
    given: list[ReferralOut]
    received: list[ReferralOut]


class OneToOneIn(Schema):
    with_member_id: int
    met_on: dt.date | None = None
    note: str = Field("", max_length=300)


class OneToOneOut(Schema):
    id: int
    workspace_id: int
    logged_by_id: int
    with_member_id: int
    met_on: dt.date
    note: str


class MemberReportOut(Schema):
    member: str
    given: int
    received: int
    closed_eur: Decimal
    one_to_ones: int
    attended: int


class ClubReportOut(Schema):
    start: dt.date
    end: dt.date
    members: list[MemberReportOut]
