"""Club meetings, seating, my table, referrals, one-to-ones and the club report in the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.params.functions import Query

from kring.accounts.models import User
from kring.clubs import actions as club_actions
from kring.clubs import queries as club_queries
from kring.clubs import schemas as s
from kring.clubs.models import Attendance, Meeting, OneToOne, Referral
from kring.clubs.reports import reason_for_viewer
from kring.core.dates import year_start
from kring.lib import clock
from kring.lib.api import FAILS, api_user, as_fields
from kring.lib.errors import NotFound
from kring.workspaces.models import Membership, Workspace
from kring.workspaces.queries import access_workspace_by_id

clubs = Router(tags=["clubs"])


def _member(workspace: Workspace, user_id: int, field: str) -> User:
    """A member of the club by user id; a bad id is a bad value of ``field``."""
    member = club_queries.member_by_id(workspace, user_id)
    if member is None:
        raise ValidationError({field: _("No member of this club has id %(id)s.") % {"id": user_id}})
    return member


def _meeting_out(meeting: Meeting, coming: int, my_answer: str | None) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "workspace_id": meeting.workspace_id,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "venue": meeting.venue,
        "policy": meeting.policy,
        "seated_at": meeting.seated_at,
        "coming": coming,
        "my_answer": my_answer,
    }


def _seat_out(attendance: Attendance, host_id: int | None = None) -> dict[str, Any]:
    return {
        "attendance_id": attendance.pk,
        "user_id": attendance.user_id,
        "guest_id": attendance.guest_id,
        # seating_of labels each attendance with the name to show (a former member unnamed)
        "name": attendance.shown,  # type: ignore[attr-defined]
        "host": host_id is not None and attendance.user_id == host_id,
        "locked": attendance.locked,
    }


def _meeting_detail(user: User, meeting: Meeting, membership: Membership) -> dict[str, Any]:
    tables, unseated = club_queries.seating_of(meeting)
    mine = club_queries.attendance_of(user, meeting)
    report = meeting.report or None
    return {
        **_meeting_out(
            meeting,
            sum(len(t.seated) for t in tables) + len(unseated),
            mine.answer if mine else None,
        ),
        "can_manage": membership.can_manage,
        "seats": sum(t.table.capacity for t in tables),
        "seating_state": meeting.seating_state,
        "seating_error": meeting.seating_error,
        "my_table_id": mine.table_id if mine else None,
        "tables": [
            {
                "id": view.table.pk,
                "name": view.table.name,
                "capacity": view.table.capacity,
                "host_id": view.table.host_id,
                "host_name": view.table.host.name if view.table.host else None,
                "seated": [_seat_out(a, view.table.host_id) for a in view.seated],
            }
            for view in tables
        ],
        "unseated": [_seat_out(a) for a in unseated],
        "report": report,
    }


def _attendance_out(attendance: Attendance) -> dict[str, Any]:
    return {
        "id": attendance.pk,
        "meeting_id": attendance.meeting_id,
        "user_id": attendance.user_id,
        "guest_id": attendance.guest_id,
        "name": attendance.name,
        "answer": attendance.answer,
        "table_id": attendance.table_id,
        "locked": attendance.locked,
    }


def _mates(user: User, meeting: Meeting) -> list[dict[str, Any]]:
    mates = club_queries.sat_with(user, meeting)
    talked = club_queries.talked_with(user, [mate for mate, _times in mates])
    mine = club_queries.attendance_of(user, meeting, coming=True)
    why: dict[tuple[str, str], club_queries.Reasons] = {}
    if mine is not None and mine.table is not None and mates:
        mine.shown = user.name  # type: ignore[attr-defined]
        mine.user = user
        table = club_queries.TableView(mine.table, [mine, *(m for m, _ in mates)])
        why = club_queries.seat_reasons(meeting, [table], around=mine.key)

    def reasons(mate: Attendance) -> list[dict[str, str]]:
        if mine is None:
            return []
        a, b = sorted((mine.key, mate.key))
        return [
            {"code": code, "text": reason_for_viewer(mine.key, code, param)}
            for code, param in why.get((a, b), ())
        ]

    return [
        {
            "id": m.pk,
            "user_id": m.user_id,
            "guest_id": m.guest_id,
            "name": m.shown,  # type: ignore[attr-defined]
            "sat_together": times,
            "talked": talked.get(m.pk, 0),
            "reasons": reasons(m),
        }
        for m, times in mates
    ]


def _referral_out(r: Referral) -> dict[str, Any]:
    return {
        "id": r.pk,
        "workspace_id": r.workspace_id,
        "giver_id": r.giver_id,
        "giver": r.giver.name,
        "receiver_id": r.receiver_id,
        "receiver": r.receiver.name,
        "contact": r.contact,
        "details": r.details,
        "temperature": r.temperature,
        "status": r.status,
        "amount_eur": r.amount_eur,
        "given_on": r.given_on,
    }


def _one_to_one_out(o: OneToOne) -> dict[str, Any]:
    return {
        "id": o.pk,
        "workspace_id": o.workspace_id,
        "logged_by_id": o.logged_by_id,
        "with_member_id": o.with_member_id,
        "met_on": o.met_on,
        "note": o.note,
    }


@clubs.get("/workspaces/{workspace_id}/meetings", response={200: list[s.MeetingOut], **FAILS})
@paginate(LimitOffsetPagination)
def list_meetings(request: HttpRequest, workspace_id: int) -> list[dict[str, Any]]:
    """The club's meetings, the latest first, with how many come and my answer."""
    found = club_queries.meetings_with_answers(api_user(request), workspace_id)
    return [_meeting_out(m, coming, answer) for m, coming, answer in found]


@clubs.get("/meetings/{meeting_id}", response={200: s.MeetingDetailOut, **FAILS})
def get_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """The tables with who sits where, who is not seated yet, the seating report, my answer."""
    user = api_user(request)
    meeting, membership = club_queries.access_meeting_by_id(user, meeting_id)
    return _meeting_detail(user, meeting, membership)


@clubs.post("/meetings/{meeting_id}/answer", response={200: s.AttendanceOut, **FAILS})
def answer_meeting(request: HttpRequest, meeting_id: int, payload: s.AnswerIn) -> dict[str, Any]:
    """I come or I do not; an organiser may answer for another member (``member_id``)."""
    user = api_user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    member = None
    if payload.member_id is not None:
        member = _member(meeting.workspace, payload.member_id, "member_id")
    with as_fields(member="member_id"):
        attendance = club_actions.attendance_answer(
            actor=user, meeting=meeting, answer=payload.answer, member=member, via="api"
        )
    return _attendance_out(attendance)


@clubs.post(
    "/meetings/{meeting_id}/seat",
    response={200: s.MeetingDetailOut, 202: s.MeetingDetailOut, **FAILS},
)
def seat_meeting(request: HttpRequest, meeting_id: int, payload: s.SeatEveryoneIn) -> Status:
    """Seat everyone who comes (organisers only); hosts and locked seats stay put. A large
    meeting is seated by the worker: 202, and ``seating_state`` says how far it is."""
    user = api_user(request)
    meeting, membership = club_queries.access_meeting_by_id(user, meeting_id)
    ready = club_actions.meeting_seat_request(
        actor=user,
        meeting=meeting,
        policy=payload.policy,
        keep=payload.keep,
        hostless=payload.hostless,
        via="api",
    )
    return Status(200 if ready else 202, _meeting_detail(user, meeting, membership))


@clubs.post(
    "/meetings/{meeting_id}/seats/{attendance_id}", response={200: s.AttendanceOut, **FAILS}
)
def move_seat(
    request: HttpRequest, meeting_id: int, attendance_id: int, payload: s.SeatMoveIn
) -> dict[str, Any]:
    """Put one attendee at a table (or none) and lock or unlock the seat (organisers only)."""
    user = api_user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    attendance = club_queries.access_attendance_by_id(meeting, attendance_id)
    table = None
    if payload.table_id is not None:
        try:
            table = club_queries.access_table_by_id(meeting, payload.table_id)
        except NotFound:
            raise ValidationError(
                {"table_id": _("This meeting has no table %(id)s.") % {"id": payload.table_id}}
            ) from None
    with as_fields(table="table_id"):
        attendance = club_actions.seat_move(
            actor=user, attendance=attendance, table=table, locked=payload.locked, via="api"
        )
    return _attendance_out(attendance)


@clubs.get("/meetings/{meeting_id}/my-table", response={200: s.MyTableOut, **FAILS})
def get_my_table(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """My table tonight: each mate, how often we sat together before and how often we talked."""
    user = api_user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    mine = club_queries.attendance_of(user, meeting)
    table = mine.table if mine else None
    return {
        "meeting_id": meeting.pk,
        "table": {"id": table.pk, "name": table.name} if table else None,
        "mates": _mates(user, meeting),
    }


@clubs.get("/meetings/{meeting_id}/want-to-meet", response={200: s.WantToMeetOut, **FAILS})
def get_want_to_meet(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """The fellow members I want to meet at this meeting."""
    user = api_user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    return {"meeting_id": meeting.pk, "member_ids": sorted(club_queries.wishes_of(user, meeting))}


@clubs.put("/meetings/{meeting_id}/want-to-meet", response={200: s.WantToMeetOut, **FAILS})
def set_want_to_meet(
    request: HttpRequest, meeting_id: int, payload: s.WantToMeetIn
) -> dict[str, Any]:
    """Replace the list of fellow members I want to meet at this meeting (at most five); the
    next seating weighs it by the dial."""
    user = api_user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    others = [_member(meeting.workspace, pk, "member_ids") for pk in payload.member_ids]
    club_actions.want_to_meet_set(
        actor=user, meeting=meeting, others=others, now=clock.now(), via="api"
    )
    return {"meeting_id": meeting.pk, "member_ids": sorted(club_queries.wishes_of(user, meeting))}


@clubs.post("/meetings/{meeting_id}/conversations", response={201: s.MateOut, **FAILS})
def log_conversation(request: HttpRequest, meeting_id: int, payload: s.ConversationIn) -> Status:
    """Log the conversation with a table mate (``mate_id``: their id in my-table) in my own
    file; answers the mate with the new counts."""
    user = api_user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    mate = club_queries.access_attendance_by_id(meeting, payload.mate_id)
    club_actions.conversation_log(actor=user, meeting=meeting, mate=mate, via="api")
    return Status(201, next(m for m in _mates(user, meeting) if m["id"] == mate.pk))


@clubs.get("/workspaces/{workspace_id}/referrals", response={200: s.ReferralsOut, **FAILS})
def list_referrals(request: HttpRequest, workspace_id: int) -> dict[str, Any]:
    """The referrals I gave and received in this club, the latest 50 of each."""
    given, received = club_queries.referrals_for(api_user(request), workspace_id)
    return {
        "given": [_referral_out(r) for r in given],
        "received": [_referral_out(r) for r in received],
    }


@clubs.post("/workspaces/{workspace_id}/referrals", response={201: s.ReferralOut, **FAILS})
def give_referral(request: HttpRequest, workspace_id: int, payload: s.ReferralIn) -> Status:
    """Pass business to a fellow member."""
    user = api_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    fields = payload.dict()
    receiver = _member(workspace, fields.pop("receiver_id"), "receiver_id")
    with as_fields(receiver="receiver_id"):
        referral = club_actions.referral_give(
            actor=user, workspace=workspace, receiver=receiver, via="api", **fields
        )
    return Status(201, _referral_out(referral))


@clubs.post("/referrals/{referral_id}", response={200: s.ReferralOut, **FAILS})
def update_referral(
    request: HttpRequest, referral_id: int, payload: s.ReferralPatch
) -> dict[str, Any]:
    """The receiver says how it went; closed business thanks the giver by e-mail."""
    user = api_user(request)
    referral = club_queries.access_referral_by_id(user, referral_id)
    club_actions.referral_update(
        actor=user,
        referral=referral,
        status=payload.status,
        amount_eur=payload.amount_eur,
        via="api",
    )
    return _referral_out(referral)


@clubs.post("/workspaces/{workspace_id}/one-to-ones", response={201: s.OneToOneOut, **FAILS})
def log_one_to_one(request: HttpRequest, workspace_id: int, payload: s.OneToOneIn) -> Status:
    """Two members met one-to-one to learn each other's business."""
    user = api_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    fields = payload.dict()
    with_member = _member(workspace, fields.pop("with_member_id"), "with_member_id")
    with as_fields(with_member="with_member_id"):
        talk = club_actions.one_to_one_log(
            actor=user, workspace=workspace, with_member=with_member, via="api", **fields
        )
    return Status(201, _one_to_one_out(talk))


# "from" is a Python keyword, so the query parameters take aliases (module-level, as ruff's B008
# asks for defaults that are calls).
_FROM = Query(None, alias="from", description="first day (default: 1 January this year)")
_TO = Query(None, alias="to", description="last day (default: today)")


@clubs.get("/workspaces/{workspace_id}/club-report", response={200: s.ClubReportOut, **FAILS})
def get_club_report(
    request: HttpRequest,
    workspace_id: int,
    start: dt.date | None = _FROM,
    end: dt.date | None = _TO,
) -> dict[str, Any]:
    """Per member over a period (by default this year so far): referrals given and received,
    business closed, one-to-ones and meetings attended."""
    user = api_user(request)
    today = clock.today(clock.zone_of(user))
    start = start or year_start(today)
    end = end or today
    if end < start:
        raise ValidationError({"to": _("The period ends before it starts.")})
    report = club_queries.club_report(user, workspace_id, start=start, end=end)
    return {"start": start, "end": end, "members": [asdict(row) for row in report]}


routers = [clubs]
