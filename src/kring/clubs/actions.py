"""Writes for club meetings: create a meeting, answer, seat everyone, move and lock seats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.clubs.models import Attendance, Meeting, MeetingTable, OneToOne, Referral
from kring.core.seating import (
    Attendee,
    InfeasibleSeating,
    PastMeeting,
    SeatingInputError,
    SeatingProblem,
    SeatingRules,
    Table,
    plan_seating,
)
from kring.lib.errors import NotFound
from kring.lib.mail import mail_after_commit
from kring.people.actions import interaction_log, person_for_user
from kring.workspaces.actions import require_manager
from kring.workspaces.models import Membership, Workspace


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    workspace: Workspace,
    title: str,
    starts_at: dt.datetime,
    tables: Sequence[tuple[str, int, User | None]],
    venue: str = "",
    now: dt.datetime | None = None,
    via: str = "",
) -> Meeting:
    """Plan a meeting with its tables (name, seats, optional host who always sits there)."""
    require_manager(actor, workspace)
    now = now or timezone.now()
    if starts_at < now:
        raise ValidationError({"starts_at": "This meeting would be in the past."})
    if not tables:
        raise ValidationError({"tables": "Give at least one table."})
    names = [name.strip() for name, _, _ in tables]
    if len(set(names)) != len(names):
        raise ValidationError({"tables": "Two tables have the same name."})
    hosts = [host for _, _, host in tables if host is not None]
    if len({h.pk for h in hosts}) != len(hosts):
        raise ValidationError({"tables": "One host cannot host two tables."})
    for host in hosts:
        if not workspace.memberships.filter(user=host).exists():
            raise ValidationError({"tables": f"{host.name} is not a member of the club."})
    meeting = Meeting(
        workspace=workspace, title=title.strip(), starts_at=starts_at, venue=venue.strip()
    )
    meeting.full_clean()
    meeting.save()
    for name, capacity, table_host in tables:
        table = MeetingTable(meeting=meeting, name=name.strip(), capacity=capacity, host=table_host)
        table.full_clean()
        table.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=meeting, via=via)
    return meeting


@transaction.atomic
def attendance_answer(
    *, actor: User, meeting: Meeting, answer: str, member: User | None = None, via: str = ""
) -> Attendance:
    """A member says whether they come; an organiser may answer for any member."""
    member = member or actor
    if member != actor:
        require_manager(actor, meeting.workspace)
    if not meeting.workspace.memberships.filter(user=member).exists():
        raise NotFound("member", member.pk)
    if answer not in Attendance.Answer.values:
        raise ValidationError({"answer": "Answer yes or no."})
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting, user=member, defaults={"answer": answer}
    )
    if answer == Attendance.Answer.NO and (attendance.table_id or attendance.locked):
        attendance.table = None
        attendance.locked = False
        attendance.save(update_fields=["table", "locked"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=attendance,
        fields=["answer"],
        via=via,
    )
    return attendance


def _key(user_id: int) -> str:
    return f"u{user_id}"


@transaction.atomic
def meeting_seat(
    *, actor: User, meeting: Meeting, policy: float | None = None, seed: int = 0, via: str = ""
) -> Meeting:
    """Seat everyone who comes with the seating engine: hosts at their tables, locked seats
    kept, the club's history of who sat with whom avoided (or sought, by the policy)."""
    require_manager(actor, meeting.workspace)
    if policy is not None:
        if not 0.0 <= policy <= 1.0:
            raise ValidationError({"policy": "The policy runs from 0 to 1."})
        meeting.policy = policy
    tables = list(meeting.tables.select_related("host"))
    coming = list(meeting.attendances.filter(answer=Attendance.Answer.YES).select_related("user"))
    present = {a.user_id for a in coming}
    for table in tables:
        if table.host_id is not None and table.host_id not in present:
            raise ValidationError(
                {"tables": f"{table.host.name} hosts {table.name} but is not attending."}  # type: ignore[union-attr]
            )
    seats = sum(t.capacity for t in tables)
    if len(coming) > seats:
        raise ValidationError(
            {"tables": f"{len(coming)} people are coming but the tables seat {seats}."}
        )
    by_id = {t.pk: t for t in tables}
    fixed = {_key(t.host_id): t.name for t in tables if t.host_id is not None}
    for attendance in coming:
        if attendance.locked and attendance.table_id in by_id:
            fixed.setdefault(_key(attendance.user_id), by_id[attendance.table_id].name)
    history = []
    earlier = (
        Meeting.objects.filter(
            workspace=meeting.workspace, starts_at__lt=meeting.starts_at, seated_at__isnull=False
        )
        .order_by("starts_at")
        .prefetch_related("attendances")
    )
    for past in earlier:
        groups: dict[int, list[str]] = {}
        for a in past.attendances.all():
            if a.table_id is not None:
                groups.setdefault(a.table_id, []).append(_key(a.user_id))
        history.append(PastMeeting(tuple(tuple(g) for g in groups.values())))
    people = {_key(m.user_id) for m in Membership.objects.filter(workspace=meeting.workspace)}
    problem = SeatingProblem(
        people=tuple(Attendee(name) for name in sorted(people)),
        tables=tuple(Table(t.name, t.capacity) for t in tables),
        meetings=(tuple(sorted(_key(a.user_id) for a in coming)),),
        history=tuple(
            PastMeeting(tuple(tuple(n for n in g if n in people) for g in h.tables))
            for h in history
        ),
        rules=SeatingRules(fixed=tuple(sorted(fixed.items())), policy=meeting.policy),
    )
    try:
        plan = plan_seating(problem, seed=seed)
    except (InfeasibleSeating, SeatingInputError) as exc:
        raise ValidationError({"tables": str(exc)}) from None
    table_by_name = {t.name: t for t in tables}
    seat_of = {}
    for name, seated in plan.meetings[0].tables:
        for person in seated:
            seat_of[int(person[1:])] = table_by_name[name]
    for attendance in coming:
        attendance.table = seat_of.get(attendance.user_id)
    Attendance.objects.bulk_update(coming, ["table"])
    report = plan.report
    meeting.seated_at = timezone.now()
    meeting.report = {
        "repeated_pairs": report.repeated_pairs_with_history,
        "max_pair_meetings": report.max_pair_meetings,
        "hard_violations": list(report.hard_violations),
        "lower_bound": report.lower_bound,
    }
    meeting.save(update_fields=["policy", "seated_at", "report"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=meeting, fields=["seating"], via=via
    )
    return meeting


@transaction.atomic
def seat_move(
    *,
    actor: User,
    attendance: Attendance,
    table: MeetingTable | None,
    locked: bool,
    via: str = "",
) -> Attendance:
    """Put one attendee at a table by hand (or free them) and lock or unlock the seat."""
    meeting = attendance.meeting
    require_manager(actor, meeting.workspace)
    if table is not None and table.meeting_id != meeting.pk:
        raise NotFound("table", table.pk)
    if table is not None and table.seated.exclude(pk=attendance.pk).count() >= table.capacity:
        raise ValidationError({"table": f"{table.name} is full."})
    attendance.table = table
    attendance.locked = locked and table is not None
    attendance.save(update_fields=["table", "locked"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=attendance,
        fields=["table", "locked"],
        via=via,
    )
    return attendance


@transaction.atomic
def conversation_log(*, actor: User, meeting: Meeting, mate: User, via: str = "") -> None:
    """After the meeting: log the conversation with a table mate in one's own file (an
    interaction on the event channel), one click per person."""
    mine = meeting.attendances.filter(user=actor, table__isnull=False).first()
    theirs = meeting.attendances.filter(user=mate, table__isnull=False).first()
    if mine is None or theirs is None or mine.table_id != theirs.table_id or mate == actor:
        raise NotFound("table mate", mate.pk)
    person = person_for_user(actor, mate, via=via or "club")
    interaction_log(
        owner=actor,
        people=[person],
        occurred_at=meeting.starts_at,
        channel="event",
        minutes=30,
        initiated_by="both",
        summary=meeting.title,
        via=via,
    )


def _require_member(user: User, workspace: Workspace) -> None:
    if not workspace.memberships.filter(user=user).exists():
        raise NotFound("workspace", workspace.pk)


@transaction.atomic
def referral_give(
    *,
    actor: User,
    workspace: Workspace,
    receiver: User,
    contact: str,
    details: str = "",
    temperature: str = Referral.Temperature.WARM,
    given_on: dt.date | None = None,
    via: str = "",
) -> Referral:
    """Record business passed to a fellow member."""
    _require_member(actor, workspace)
    if not workspace.memberships.filter(user=receiver).exists():
        raise ValidationError({"receiver": "The receiver is not a member of this club."})
    if receiver == actor:
        raise ValidationError({"receiver": "A referral to yourself is no referral."})
    referral = Referral(
        workspace=workspace,
        giver=actor,
        receiver=receiver,
        contact=contact.strip(),
        details=details.strip(),
        temperature=temperature,
        given_on=given_on or timezone.localdate(),
    )
    referral.full_clean()
    referral.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=referral, via=via)
    return referral


@transaction.atomic
def referral_update(
    *,
    actor: User,
    referral: Referral,
    status: str,
    amount_eur: Decimal | None = None,
    via: str = "",
) -> Referral:
    """The receiver says how it went; closed business thanks the giver by e-mail."""
    if referral.receiver_id != actor.pk:
        raise NotFound("referral", referral.pk)
    if status not in Referral.Status.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if amount_eur is not None and amount_eur < 0:
        raise ValidationError({"amount_eur": "An amount cannot be negative."})
    if status != Referral.Status.CLOSED:
        amount_eur = None
    referral.status = status
    referral.amount_eur = amount_eur
    referral.full_clean()
    referral.save(update_fields=["status", "amount_eur", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=referral,
        fields=["status", "amount_eur"],
        via=via,
    )
    if status == Referral.Status.CLOSED:
        mail_after_commit(
            language=referral.giver.language,
            to=referral.giver.email,
            template="clubs/thanks",
            context={"referral": referral},
        )
    return referral


@transaction.atomic
def one_to_one_log(
    *,
    actor: User,
    workspace: Workspace,
    with_member: User,
    met_on: dt.date | None = None,
    note: str = "",
    via: str = "",
) -> OneToOne:
    _require_member(actor, workspace)
    if with_member == actor or not workspace.memberships.filter(user=with_member).exists():
        raise ValidationError({"with_member": "Choose another member of the club."})
    meeting = OneToOne(
        workspace=workspace,
        logged_by=actor,
        with_member=with_member,
        met_on=met_on or timezone.localdate(),
        note=note.strip(),
    )
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=meeting, via=via)
    return meeting
