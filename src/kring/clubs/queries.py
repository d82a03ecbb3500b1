"""Permission-checked reads of club meetings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.functions import Lower

from kring.accounts.models import User
from kring.clubs.models import Attendance, Meeting, MeetingTable, OneToOne, Referral
from kring.lib.errors import NotFound
from kring.workspaces.models import Membership
from kring.workspaces.queries import access_workspace_by_id


def access_meeting_by_id(user: User, meeting_id: object) -> tuple[Meeting, Membership]:
    """A meeting of a club the user is in, and the user's membership; not found otherwise."""
    try:
        meeting = Meeting.objects.select_related("workspace").get(
            pk=int(meeting_id)  # type: ignore[call-overload]
        )
    except (Meeting.DoesNotExist, TypeError, ValueError):
        raise NotFound("meeting", meeting_id) from None
    membership = meeting.workspace.memberships.filter(user=user).first()
    if membership is None:
        raise NotFound("meeting", meeting_id)
    return meeting, membership


@dataclass(frozen=True)
class TableView:
    table: MeetingTable
    seated: list[Attendance]


def seating_of(meeting: Meeting) -> tuple[list[TableView], list[Attendance]]:
    """The tables with who sits there, and the attendees not seated yet."""
    tables = list(meeting.tables.select_related("host"))
    coming = list(
        meeting.attendances.filter(answer=Attendance.Answer.YES)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    views = [TableView(t, [a for a in coming if a.table_id == t.pk]) for t in tables]
    return views, [a for a in coming if a.table_id is None]


def sat_with(user: User, meeting: Meeting) -> list[tuple[User, int]]:
    """Who sits at the user's table at this meeting, and how often the two sat together in the
    club before (the road to five conversations)."""
    mine = meeting.attendances.filter(user=user, table__isnull=False).first()
    if mine is None:
        return []
    table_mates = [
        a.user
        for a in meeting.attendances.filter(table_id=mine.table_id)
        .exclude(user=user)
        .select_related("user")
    ]
    counts: Counter[int] = Counter()
    earlier = Attendance.objects.filter(
        meeting__workspace=meeting.workspace,
        meeting__starts_at__lt=meeting.starts_at,
        user=user,
        table__isnull=False,
    ).values_list("table_id", flat=True)
    for other in Attendance.objects.filter(table_id__in=list(earlier)).exclude(user=user):
        counts[other.user_id] += 1
    return [(mate, counts.get(mate.pk, 0)) for mate in table_mates]


def talked_with(user: User, mates: list[User]) -> dict[int, int]:
    """Per table mate: conversations in the user's own file (the road to five, seed 002)."""
    from kring.people.models import ContactPoint, Interaction

    emails = {m.email.lower(): m.pk for m in mates}
    counts: dict[int, int] = {}
    for person_id, value in (
        ContactPoint.objects.filter(person__owner=user, kind=ContactPoint.Kind.EMAIL)
        .annotate(folded=Lower("value"))
        .filter(folded__in=list(emails))
        .values_list("person_id", "value")
    ):
        talks = Interaction.objects.filter(owner=user, people=person_id).count()
        counts[emails[value.lower()]] = counts.get(emails[value.lower()], 0) + talks
    return counts


@dataclass(frozen=True)
class MemberReport:
    member: str
    given: int
    received: int
    closed_eur: Decimal
    one_to_ones: int
    attended: int


def club_report(
    user: User, workspace_id: object, *, start: dt.date, end: dt.date
) -> list[MemberReport]:
    """Per member over a period: referrals given and received, business closed from referrals
    received, one-to-ones, meetings attended."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    members = list(
        User.objects.filter(memberships__workspace=workspace).order_by("display_name", "email")
    )
    referrals = Referral.objects.filter(workspace=workspace, given_on__range=(start, end))
    given = Counter(referrals.values_list("giver_id", flat=True))
    received = Counter(referrals.values_list("receiver_id", flat=True))
    closed: dict[int, Decimal] = {}
    for receiver_id, amount in referrals.filter(status=Referral.Status.CLOSED).values_list(
        "receiver_id", "amount_eur"
    ):
        closed[receiver_id] = closed.get(receiver_id, Decimal(0)) + (amount or Decimal(0))
    talks: Counter[int] = Counter()
    for a, b in OneToOne.objects.filter(
        workspace=workspace, met_on__range=(start, end)
    ).values_list("logged_by_id", "with_member_id"):
        talks[a] += 1
        talks[b] += 1
    attended = Counter(
        Attendance.objects.filter(
            meeting__workspace=workspace,
            answer=Attendance.Answer.YES,
            meeting__starts_at__date__range=(start, end),
        ).values_list("user_id", flat=True)
    )
    return [
        MemberReport(
            m.name,
            given[m.pk],
            received[m.pk],
            closed.get(m.pk, Decimal(0)),
            talks[m.pk],
            attended[m.pk],
        )
        for m in members
    ]


def referrals_for(user: User, workspace_id: object) -> tuple[list[Referral], list[Referral]]:
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    both = Referral.objects.filter(workspace=workspace).select_related("giver", "receiver")
    return list(both.filter(giver=user)[:50]), list(both.filter(receiver=user)[:50])


def access_referral_by_id(user: User, referral_id: object) -> Referral:
    try:
        found = Referral.objects.select_related("giver", "receiver").get(
            pk=int(referral_id)  # type: ignore[call-overload]
        )
    except (Referral.DoesNotExist, TypeError, ValueError):
        raise NotFound("referral", referral_id) from None
    if user.pk not in (found.giver_id, found.receiver_id):
        raise NotFound("referral", referral_id)
    return found
