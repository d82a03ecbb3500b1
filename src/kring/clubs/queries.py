"""Permission-checked reads of club meetings."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.clubs.models import (
    Attendance,
    Meeting,
    MeetingTable,
    OneToOne,
    Referral,
    SeatingRule,
    WantToMeet,
)
from kring.core.dates import at_local_time, month_start, months_between
from kring.core.names import split_name
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.people.models import Person
from kring.workspaces.models import Departure, Membership, Workspace
from kring.workspaces.queries import access_workspace_by_id

MAX_CHART_MONTHS = 36  # three years of bars still fit a page


def meetings_of(user: User, workspace_id: object) -> QuerySet[Meeting]:
    """The meetings of a club the user is in, the latest first; not found otherwise."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    return Meeting.objects.filter(workspace=workspace).select_related("workspace")


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


def meetings_with_answers(
    user: User, workspace_id: object
) -> list[tuple[Meeting, int, str | None]]:
    """The club's meetings, the latest first, each with how many come and the user's answer;
    not found for a club the user is not in."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    answers = dict(
        Attendance.objects.filter(user=user, meeting__workspace=workspace).values_list(
            "meeting_id", "answer"
        )
    )
    found = Meeting.objects.filter(workspace=workspace).annotate(
        coming=Count("attendances", filter=Q(attendances__answer=Attendance.Answer.YES))
    )
    return [(m, m.coming, answers.get(m.pk)) for m in found]


def attendance_of(user: User, meeting: Meeting, *, coming: bool = False) -> Attendance | None:
    """The user's own answer to a meeting (with ``coming``: only a yes), if any."""
    found = meeting.attendances.filter(user=user).select_related("table")
    if coming:
        found = found.filter(answer=Attendance.Answer.YES)
    return found.first()


def access_attendance_by_id(meeting: Meeting, attendance_id: object) -> Attendance:
    """One answer (a member's or a guest's) to a meeting the caller may see; not found for
    an answer to another meeting."""
    found = (
        meeting.attendances.filter(pk=_id(attendance_id, "attendance"))
        .select_related("user", "guest")
        .first()
    )
    if found is None:
        raise NotFound("attendance", attendance_id)
    return found


def access_table_by_id(meeting: Meeting, table_id: object) -> MeetingTable:
    """One table of a meeting the caller may see; not found for another meeting's table."""
    found = meeting.tables.filter(pk=_id(table_id, "table")).first()
    if found is None:
        raise NotFound("table", table_id)
    return found


def member_by_id(workspace: Workspace, user_id: object) -> User | None:
    """A member of the club by user id; None for anyone else (the caller says why)."""
    try:
        ident = int(user_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return workspace.members.filter(pk=ident).first()


def club_members(workspace: Workspace) -> QuerySet[User]:
    """The members of a club (one the caller got from ``access_workspace_by_id``), by name."""
    return User.objects.filter(memberships__workspace=workspace).order_by("display_name", "email")


def fellow_members(user: User, workspace: Workspace) -> QuerySet[User]:
    """The other members of the user's club (from ``access_workspace_by_id``)."""
    return club_members(workspace).exclude(pk=user.pk)


def not_answered(meeting: Meeting) -> list[User]:
    """The members who did not answer yet (for the organisers' list)."""
    answered = meeting.attendances.filter(user__isnull=False).values_list("user_id", flat=True)
    return [
        m.user
        for m in meeting.workspace.memberships.select_related("user")
        .exclude(user_id__in=answered)
        .order_by("user__display_name", "user__email")
    ]


def seating_rules_of(workspace: Workspace) -> QuerySet[SeatingRule]:
    """The pairs kept apart at table in a club (from ``access_workspace_by_id``)."""
    return workspace.seating_rules.select_related("first", "second")


def access_seating_rule_by_id(user: User, workspace_id: object, rule_id: object) -> SeatingRule:
    """One rule of a club the user is in; not found alike for a missing rule, another club's
    rule and a club the user is not in."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    found = seating_rules_of(workspace).filter(pk=_id(rule_id, "rule")).first()
    if found is None:
        raise NotFound("rule", rule_id)
    return found


def _id(value: object, entity: str) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise NotFound(entity, value) from None


@dataclass(frozen=True)
class TableView:
    table: MeetingTable
    seated: list[Attendance]


def former_members_unnamed(workspace_id: int) -> set[int]:
    """Users who left the club without consenting that its history keeps their name."""
    return set(
        Departure.objects.filter(workspace_id=workspace_id, keep_name=False)
        .exclude(user__memberships__workspace_id=workspace_id)
        .values_list("user_id", flat=True)
    )


def shown_name(user: User | None, unnamed: set[int]) -> str:
    if user is None:
        return ""
    return str(_("former member")) if user.pk in unnamed else user.name


def _label(attendances: list[Attendance], unnamed: set[int]) -> list[Attendance]:
    for a in attendances:
        a.shown = shown_name(a.user, unnamed) if a.user_id else a.name  # type: ignore[attr-defined]
    return attendances


def seating_of(meeting: Meeting) -> tuple[list[TableView], list[Attendance]]:
    """The tables with who sits there (``.shown`` is the name to show), and the attendees not
    seated yet; members and guests alike."""
    tables = list(meeting.tables.select_related("host"))
    coming = _label(
        sorted(
            meeting.attendances.filter(answer=Attendance.Answer.YES).select_related(
                "user", "guest"
            ),
            key=lambda a: a.name.casefold(),
        ),
        former_members_unnamed(meeting.workspace_id),
    )
    views = [TableView(t, [a for a in coming if a.table_id == t.pk]) for t in tables]
    return views, [a for a in coming if a.table_id is None]


Reasons = tuple[tuple[str, str], ...]


def seat_reasons(
    meeting: Meeting, tables: list[TableView], *, around: str | None = None
) -> dict[tuple[str, str], Reasons]:
    """Why the members at each table have a reason to meet, by pair of keys (sorted), from
    the relationship data on the meeting's day (see :mod:`kring.core.affinity`); only pairs
    with ``around`` (a key) when given. Guests and unnamed former members give and get none.
    Five queries, whatever the size of the meeting."""
    from kring.clubs.adapters import meeting_affinities

    pairs = []
    users: dict[int, User] = {}
    for view in tables:
        named = [a for a in view.seated if a.user is not None and a.shown == a.user.name]  # type: ignore[attr-defined]
        users.update({a.user.pk: a.user for a in named if a.user is not None})
        pairs += [
            (a.key, b.key)
            for a, b in itertools.combinations(named, 2)
            if around is None or around in (a.key, b.key)
        ]
    if not pairs:
        return {}
    evening = clock.local_date(meeting.starts_at, clock.zone_of(meeting.workspace))
    found = meeting_affinities(meeting, list(users.values()), today=evening, pairs=pairs)
    return {(x.a, x.b): x.reasons for x in found}


def wishes_of(user: User, meeting: Meeting) -> set[int]:
    """The members ``user`` wants to meet at ``meeting`` (their ids)."""
    return set(
        WantToMeet.objects.filter(meeting=meeting, member=user).values_list("other_id", flat=True)
    )


def attendance_list(meeting: Meeting) -> list[Attendance]:
    """Every answer to this meeting, members and guests, with names to show (organisers)."""
    return _label(
        sorted(
            meeting.attendances.select_related("user", "guest").annotate(
                visits=Count("guest__attendances")
            ),
            key=lambda a: (a.user_id is None, a.name.casefold()),
        ),
        former_members_unnamed(meeting.workspace_id),
    )


def sat_with(user: User, meeting: Meeting) -> list[tuple[Attendance, int]]:
    """Who sits at the user's table at this meeting (members and guests), and how often each
    sat with the user in the club before (the road to five conversations)."""
    mine = meeting.attendances.filter(user=user, table__isnull=False).first()
    if mine is None:
        return []
    table_mates = _label(
        list(
            meeting.attendances.filter(table_id=mine.table_id)
            .exclude(pk=mine.pk)
            .select_related("user", "guest")
        ),
        former_members_unnamed(meeting.workspace_id),
    )
    earlier = Attendance.objects.filter(
        meeting__workspace=meeting.workspace,
        meeting__starts_at__lt=meeting.starts_at,
        user=user,
        table__isnull=False,
    ).values_list("table_id", flat=True)
    counts: Counter[tuple[int | None, int | None]] = Counter(
        (user_id, guest_id)
        for user_id, guest_id in Attendance.objects.filter(table_id__in=earlier)
        .exclude(user=user)
        .values_list("user_id", "guest_id")
    )
    return [(mate, counts.get((mate.user_id, mate.guest_id), 0)) for mate in table_mates]


def talked_with(user: User, mates: list[Attendance]) -> dict[int, int]:
    """Per table mate (by attendance id): conversations in the user's own file, found by the
    member's e-mail or the guest's name (the road to five, seed 002)."""
    counts = dict(
        _talks_by_email(user, {m.user.email.lower(): m.pk for m in mates if m.user is not None})
    )
    guests = {mate.pk: split_name(mate.guest.name) for mate in mates if mate.guest is not None}
    if guests:
        by_name: dict[tuple[str, str], int] = {}
        match = Q()
        for parts in guests.values():
            match |= Q(given_name__iexact=parts.given, surname__iexact=parts.surname)
        for given, surname, talks in (
            Person.objects.filter(owner=user)
            .filter(match)
            .annotate(talks=Count("interactions", distinct=True))
            .values_list("given_name", "surname", "talks")
        ):
            key = (given.casefold(), surname.casefold())
            by_name[key] = by_name.get(key, 0) + talks
        for pk, parts in guests.items():
            counts[pk] = by_name.get((parts.given.casefold(), parts.surname.casefold()), 0)
    return counts


def _talks_by_email(user: User, keys: dict[str, int]) -> Counter[int]:
    """Conversations in the user's own file with the people whose e-mail (lower-cased) is a key
    of ``keys``, counted under its value; one query."""
    talks: Counter[int] = Counter()
    for folded, count in (
        Person.objects.filter(owner=user, contact_points__kind="email")
        .annotate(folded=Lower("contact_points__value"))
        .filter(folded__in=list(keys))
        .annotate(talks=Count("interactions", distinct=True))
        .values_list("folded", "talks")
    ):
        talks[keys[folded]] += count
    return talks


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
    # The period's days are the club's days: from its first midnight to the one after the end.
    zone = clock.zone_of(workspace)
    attended = Counter(
        Attendance.objects.filter(
            meeting__workspace=workspace,
            answer=Attendance.Answer.YES,
            meeting__starts_at__gte=at_local_time(start, dt.time(), zone),
            meeting__starts_at__lt=at_local_time(end + dt.timedelta(days=1), dt.time(), zone),
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


@dataclass(frozen=True)
class Month:
    label: dt.date
    referrals: int
    closed_eur: Decimal
    referrals_percent: int  # of the count axis's top
    closed_percent: int  # of the euro axis's top


@dataclass(frozen=True)
class MonthsChart:
    """The club report's chart: a column pair per month on two axes with round tick values."""

    months: list[Month]
    count_ticks: list[int]  # from 0 up to the count axis's top
    euro_ticks: list[int]  # from 0 up to the euro axis's top

    def __iter__(self) -> Iterator[Month]:
        return iter(self.months)

    def __len__(self) -> int:
        return len(self.months)

    def __getitem__(self, index: int) -> Month:
        return self.months[index]

    @property
    def ticks(self) -> list[tuple[int, int, int]]:
        """(percent of the height, count, euro) per tick line, the top first."""
        steps = len(self.count_ticks) - 1
        return [
            (round(100 * i / steps), self.count_ticks[i], self.euro_ticks[i])
            for i in range(steps, -1, -1)
        ]


def nice_top(value: float, steps: int = 4) -> int:
    """The smallest round number at or above ``value`` that splits into ``steps`` whole,
    round ticks (1, 2 or 5 times a power of ten per step); at least ``steps``.

    >>> nice_top(7), nice_top(13), nice_top(4200)
    (8, 20, 8000)
    """
    step = 1
    while step * steps < value:
        for factor in (2, 5 / 2, 2):  # 1 -> 2 -> 5 -> 10 -> 20 ...
            step = int(step * factor)
            if step * steps >= value:
                break
    return step * steps


def club_months(user: User, workspace_id: object, *, start: dt.date, end: dt.date) -> MonthsChart:
    """Per month of the period: referrals given in the club and business closed from them
    (by the month the referral was given), scaled for a chart with axis values."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    counts: Counter[dt.date] = Counter()
    closed: dict[dt.date, Decimal] = {}
    for given_on, status, amount in Referral.objects.filter(
        workspace=workspace, given_on__range=(start, end)
    ).values_list("given_on", "status", "amount_eur"):
        month = month_start(given_on)
        counts[month] += 1
        if status == Referral.Status.CLOSED and amount:
            closed[month] = closed.get(month, Decimal(0)) + amount
    months = list(itertools.islice(months_between(start, end), MAX_CHART_MONTHS))
    steps = 4
    top_count = nice_top(max((counts[m] for m in months), default=0), steps)
    top_closed = nice_top(
        float(max((closed.get(m, Decimal(0)) for m in months), default=Decimal(0))), steps
    )
    return MonthsChart(
        months=[
            Month(
                m,
                counts[m],
                closed.get(m, Decimal(0)),
                round(100 * counts[m] / top_count),
                round(100 * closed.get(m, Decimal(0)) / top_closed),
            )
            for m in months
        ],
        count_ticks=[top_count * i // steps for i in range(steps + 1)],
        euro_ticks=[top_closed * i // steps for i in range(steps + 1)],
    )


def referrals_for(user: User, workspace_id: object) -> tuple[list[Referral], list[Referral]]:
    """The referrals the user gave and received in the club; ``giver_shown`` and
    ``receiver_shown`` are the names to show (a former member's only by their consent)."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    both = Referral.objects.filter(workspace=workspace).select_related("giver", "receiver")
    given, received = list(both.filter(giver=user)[:50]), list(both.filter(receiver=user)[:50])
    unnamed = former_members_unnamed(workspace.pk)
    for referral in (*given, *received):
        referral.giver_shown = shown_name(referral.giver, unnamed)  # type: ignore[attr-defined]
        referral.receiver_shown = shown_name(referral.receiver, unnamed)  # type: ignore[attr-defined]
    return given, received


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


def road_to_five(user: User, workspace_id: int) -> dict[int, tuple[int, int]]:
    """Per fellow member: how often the user sat at their table at the club's meetings, and how
    many conversations with them are in the user's own file (about five make a name stick,
    seed 002). Three queries, whatever the club's size."""
    mine = Attendance.objects.filter(
        meeting__workspace_id=workspace_id, user=user, table__isnull=False
    ).values_list("table_id", flat=True)
    sat = Counter(
        Attendance.objects.filter(table_id__in=mine, user__isnull=False)
        .exclude(user=user)
        .values_list("user_id", flat=True)
    )
    emails = dict(
        User.objects.filter(memberships__workspace_id=workspace_id)
        .annotate(folded=Lower("email"))
        .values_list("folded", "pk")
    )
    talked = _talks_by_email(user, emails)
    return {pk: (sat[pk], talked[pk]) for pk in set(sat) | set(talked)}
