"""Writes for club meetings: create a meeting, answer, seat everyone, move and lock seats."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.clubs.models import (
    Attendance,
    Guest,
    Meeting,
    MeetingTable,
    OneToOne,
    Referral,
    SeatingRule,
    SeatingState,
)
from kring.core.names import split_name
from kring.core.seating import (
    Attendee,
    InfeasibleSeating,
    PastMeeting,
    SeatingInputError,
    SeatingProblem,
    SeatingReport,
    SeatingRules,
    Table,
    plan_seating,
)
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.lib.mail import mail_after_commit
from kring.people.actions import interaction_log, person_create, person_for_user
from kring.people.models import Organisation, Person
from kring.workspaces.actions import PROFILE_FIELDS, invitation_create, require_manager
from kring.workspaces.models import Membership, Workspace

# Meetings with more people coming than this are seated by the worker, with progress shown.
SEAT_IN_WORKER_ABOVE = 120
ANSWER_SALT = "kring.clubs.answer"


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
    now = now or clock.now()
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
    attendance, _ = Attendance.objects.get_or_create(
        meeting=meeting, user=member, defaults={"answer": answer}
    )
    return _record_answer(actor, attendance, answer, via)


@transaction.atomic
def attendance_set(
    *, actor: User, attendance: Attendance, answer: str, via: str = ""
) -> Attendance:
    """An organiser edits one answer (a member's or a guest's) on the attendance list."""
    require_manager(actor, attendance.meeting.workspace)
    if attendance.user is not None:
        return attendance_answer(
            actor=actor, meeting=attendance.meeting, answer=answer, member=attendance.user, via=via
        )
    if answer not in Attendance.Answer.values:
        raise ValidationError({"answer": "Answer yes or no."})
    return _record_answer(actor, attendance, answer, via)


def _record_answer(actor: User, attendance: Attendance, answer: str, via: str) -> Attendance:
    """Save an answer; someone who no longer comes gives up their seat and its lock."""
    attendance.answer = answer
    if answer == Attendance.Answer.NO:
        attendance.table = None
        attendance.locked = False
    attendance.save(update_fields=["answer", "table", "locked"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=attendance,
        fields=["answer"],
        via=via,
    )
    return attendance


@transaction.atomic
def guest_add(
    *,
    actor: User,
    meeting: Meeting,
    name: str,
    organisation: str = "",
    sector: str = "",
    invited_by: User | None = None,
    via: str = "",
) -> Attendance:
    """A visitor comes to this meeting; a guest of the club with the same name who came before
    is the same guest (their visits are counted)."""
    require_manager(actor, meeting.workspace)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the guest's name."})
    if invited_by is not None:
        _require_member(invited_by, meeting.workspace)
    guest = Guest.objects.filter(workspace=meeting.workspace, name__iexact=name).first()
    if guest is None:
        guest = Guest(
            workspace=meeting.workspace,
            name=name,
            organisation=organisation.strip(),
            sector=sector.strip(),
            invited_by=invited_by or actor,
        )
        guest.full_clean()
        guest.save()
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=guest, via=via)
    elif meeting.attendances.filter(guest=guest).exists():
        raise ValidationError({"name": f"{guest.name} is already on the list."})
    attendance = Attendance(meeting=meeting, guest=guest, answer=Attendance.Answer.YES)
    attendance.full_clean()
    attendance.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=attendance, via=via)
    return attendance


def answer_token(meeting: Meeting, member: User) -> str:
    """The secret in a member's answer link: signed, so it names one meeting and one member."""
    return signing.dumps({"m": meeting.pk, "u": member.pk}, salt=ANSWER_SALT, compress=True)


def member_by_answer_token(token: str) -> tuple[Meeting, User]:
    """The meeting and member an answer link is for; not found if forged, or the meeting has
    begun, or the member left the club."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT)
        meeting = Meeting.objects.select_related("workspace").get(pk=int(data["m"]))
        member = User.objects.get(pk=int(data["u"]), is_active=True)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("answer link", "") from None
    except (Meeting.DoesNotExist, User.DoesNotExist):
        raise NotFound("answer link", "") from None
    if meeting.starts_at < clock.now():
        raise NotFound("answer link", "")
    if not meeting.workspace.memberships.filter(user=member).exists():
        raise NotFound("answer link", "")
    return meeting, member


@transaction.atomic
def meeting_invite(
    *, actor: User, meeting: Meeting, answer_url_template: str, via: str = ""
) -> int:
    """E-mail every member who has not answered yet an invitation with "I'm coming" and
    "I can't come" links (``answer_url_template`` holds ``{token}`` and ``{answer}``).
    Returns how many were sent."""
    require_manager(actor, meeting.workspace)
    if meeting.starts_at < clock.now():
        raise ValidationError({"meeting": "This meeting has already begun."})
    answered = set(meeting.attendances.filter(user__isnull=False).values_list("user_id", flat=True))
    members = [
        m.user
        for m in meeting.workspace.memberships.select_related("user").order_by("user__email")
        if m.user_id not in answered and m.user.is_active
    ]
    for member in members:
        token = answer_token(meeting, member)
        mail_after_commit(
            language=member.language,
            to=member.email,
            zone=clock.zone_of(member),
            template="clubs/meeting_invitation",
            context={
                "meeting": meeting,
                "member": member,
                "organiser": actor,
                "yes_url": answer_url_template.format(token=token, answer="yes"),
                "no_url": answer_url_template.format(token=token, answer="no"),
            },
        )
    meeting.invited_at = clock.now()
    meeting.save(update_fields=["invited_at"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=meeting, fields=["invited"], via=via
    )
    return len(members)


@transaction.atomic
def seating_rule_add(
    *, actor: User, workspace: Workspace, first: User, second: User, reason: str = "", via: str = ""
) -> SeatingRule:
    """Two members who never share a table."""
    require_manager(actor, workspace)
    for member in (first, second):
        if not workspace.memberships.filter(user=member).exists():
            raise ValidationError({"members": f"{member.name} is not a member of the club."})
    if first == second:
        raise ValidationError({"members": "Choose two different members."})
    low, high = sorted((first, second), key=lambda u: u.pk)
    if SeatingRule.objects.filter(workspace=workspace, first=low, second=high).exists():
        raise ValidationError({"members": f"{low.name} and {high.name} already sit apart."})
    rule = SeatingRule(workspace=workspace, first=low, second=high, reason=reason.strip())
    rule.full_clean()
    rule.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=rule, via=via)
    return rule


@transaction.atomic
def seating_rule_remove(*, actor: User, rule: SeatingRule, via: str = "") -> None:
    require_manager(actor, rule.workspace)
    rule_id = rule.pk
    rule.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.ERASE,
        entity="seatingrule",
        entity_id=rule_id,
        via=via,
    )


def never_together(actor: User, workspace: Workspace) -> list[tuple[User, User, str]]:
    """The pairs of members the seating keeps apart: the organiser's rules, and members whose
    organisations compete according to the organiser's own record ("competes with")."""
    pairs: dict[tuple[int, int], tuple[User, User, str]] = {}
    for rule in SeatingRule.objects.filter(workspace=workspace).select_related("first", "second"):
        pairs[(rule.first_id, rule.second_id)] = (rule.first, rule.second, rule.reason)
    members = [m.user for m in workspace.memberships.select_related("user")]
    by_organisation: dict[str, list[User]] = {}
    for member in members:
        if member.organisation.strip():
            by_organisation.setdefault(member.organisation.strip().casefold(), []).append(member)
    through = Organisation.competes_with.through.objects.filter(
        from_organisation__owner=actor
    ).values_list("from_organisation__name", "to_organisation__name")
    for name_a, name_b in through:
        for a in by_organisation.get(name_a.strip().casefold(), []):
            for b in by_organisation.get(name_b.strip().casefold(), []):
                if a != b:
                    low, high = sorted((a, b), key=lambda u: u.pk)
                    pairs.setdefault((low.pk, high.pk), (low, high, "competitors"))
    return [pairs[key] for key in sorted(pairs)]


def _key(user_id: int) -> str:
    return f"u{user_id}"


@transaction.atomic
def meeting_seat_request(
    *,
    actor: User,
    meeting: Meeting,
    policy: float | None = None,
    keep: bool = False,
    via: str = "",
) -> bool:
    """Seat everyone now, or, for a large meeting, in the worker while the page shows progress.
    Returns True when the plan is ready, False when it was queued."""
    require_manager(actor, meeting.workspace)
    if meeting.seating_state in (SeatingState.QUEUED, SeatingState.RUNNING):
        raise ValidationError({"tables": "This meeting is being seated already."})
    coming = meeting.attendances.filter(answer=Attendance.Answer.YES).count()
    if coming <= SEAT_IN_WORKER_ABOVE:
        meeting_seat(actor=actor, meeting=meeting, policy=policy, keep=keep, via=via)
        return True
    if policy is not None:
        _check_policy(policy)
    meeting.seating_state = SeatingState.QUEUED
    meeting.seating_error = ""
    meeting.save(update_fields=["seating_state", "seating_error"])
    from kring.clubs.tasks import seat_meeting_task

    transaction.on_commit(
        lambda: seat_meeting_task.enqueue(meeting.pk, actor.pk, policy, keep, via)
    )
    return False


def _check_policy(policy: float) -> None:
    if not 0.0 <= policy <= 1.0:
        raise ValidationError({"policy": "The policy runs from 0 to 1."})


@transaction.atomic
def meeting_seat(
    *,
    actor: User,
    meeting: Meeting,
    policy: float | None = None,
    keep: bool = False,
    seed: int = 0,
    via: str = "",
) -> Meeting:
    """Seat everyone who comes with the seating engine: hosts at their tables, locked seats
    kept, competitors and the organiser's never-together pairs apart, the club's history of
    who sat with whom avoided (or sought, by the policy). ``keep``: revise the current plan
    (after a cancellation), moving as few people as possible."""
    require_manager(actor, meeting.workspace)
    if policy is not None:
        _check_policy(policy)
        meeting.policy = policy
    tables = list(meeting.tables.select_related("host"))
    coming = list(
        meeting.attendances.filter(answer=Attendance.Answer.YES).select_related("user", "guest")
    )
    present = {a.user_id for a in coming if a.user_id}
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
            fixed.setdefault(attendance.key, by_id[attendance.table_id].name)
    before = {a.key: a.table_id for a in coming}
    kept = (
        tuple(
            (a.key, by_id[a.table_id].name)
            for a in coming
            if a.table_id in by_id and a.key not in fixed
        )
        if keep
        else ()
    )
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
                groups.setdefault(a.table_id, []).append(a.key)
        history.append(PastMeeting(tuple(tuple(g) for g in groups.values())))
    attendees = {
        _key(m.user_id): Attendee(_key(m.user_id), m.user.sector, m.user.organisation)
        for m in Membership.objects.filter(workspace=meeting.workspace).select_related("user")
    }
    for a in coming:
        if a.guest is not None:
            attendees[a.key] = Attendee(a.key, a.guest.sector, a.guest.organisation)
    apart = tuple(
        (_key(a.pk), _key(b.pk))
        for a, b, _reason in never_together(actor, meeting.workspace)
        if a.pk in present and b.pk in present
    )
    problem = SeatingProblem(
        people=tuple(attendees[name] for name in sorted(attendees)),
        tables=tuple(Table(t.name, t.capacity) for t in tables),
        meetings=(tuple(sorted(a.key for a in coming)),),
        history=tuple(
            PastMeeting(tuple(tuple(n for n in g if n in attendees) for g in h.tables))
            for h in history
        ),
        rules=SeatingRules(
            fixed=tuple(sorted(fixed.items())),
            never_together=apart,
            policy=meeting.policy,
            keep=kept,
        ),
    )
    try:
        plan = plan_seating(problem, seed=seed)
    except (InfeasibleSeating, SeatingInputError) as exc:
        raise ValidationError({"tables": _readable(str(exc), coming)}) from None
    table_by_name = {t.name: t for t in tables}
    seat_of = {}
    for name, seated in plan.meetings[0].tables:
        for person in seated:
            seat_of[person] = table_by_name[name]
    for attendance in coming:
        attendance.table = seat_of.get(attendance.key)
    Attendance.objects.bulk_update(coming, ["table"])
    meeting.seated_at = clock.now()
    meeting.seating_state = ""
    meeting.seating_error = ""
    moved = sum(1 for a in coming if before[a.key] is not None and before[a.key] != a.table_id)
    meeting.report = plan_summary(plan.report, kept_apart=len(apart), moved=moved if keep else None)
    meeting.save(update_fields=["policy", "seated_at", "report", "seating_state", "seating_error"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=meeting, fields=["seating"], via=via
    )
    return meeting


def plan_summary(report: SeatingReport, *, kept_apart: int, moved: int | None) -> dict[str, Any]:
    """What a meeting keeps of its plan's report (``Meeting.report``) for the page to say."""
    return {
        "repeated_pairs": report.repeated_pairs_with_history,
        "max_pair_meetings": report.max_pair_meetings,
        "hard_violations": list(report.hard_violations),
        "lower_bound": report.lower_bound,
        "kept_apart": kept_apart,
        "moved": moved,
    }


def _readable(message: str, coming: Sequence[Attendance]) -> str:
    """The engine's message with people's names in place of its keys (u12, g3)."""
    names = {a.key: a.name for a in coming}
    for key in sorted(names, key=len, reverse=True):
        message = message.replace(f"'{key}'", names[key]).replace(key, names[key])
    return message


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
def table_lock(*, actor: User, table: MeetingTable, locked: bool, via: str = "") -> int:
    """Lock (or free) everyone seated at one table; returns how many seats changed."""
    require_manager(actor, table.meeting.workspace)
    changed = table.seated.exclude(locked=locked).update(locked=locked)
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=table, fields=["locked"], via=via
    )
    return changed


@transaction.atomic
def conversation_log(*, actor: User, meeting: Meeting, mate: Attendance, via: str = "") -> Person:
    """After the meeting: log the conversation with a table mate (a member or a guest) in
    one's own file, an interaction on the event channel, one click per person. A guest enters
    one's file by name and organisation."""
    mine = meeting.attendances.filter(user=actor, table__isnull=False).first()
    if (
        mine is None
        or mate.meeting_id != meeting.pk
        or mate.table_id != mine.table_id
        or mate.pk == mine.pk
    ):
        raise NotFound("table mate", mate.pk)
    if mate.user is not None:
        person = person_for_user(actor, mate.user, via=via or "club")
    else:
        guest = mate.guest
        assert guest is not None
        parts = split_name(guest.name)
        person = Person.objects.filter(
            owner=actor,
            given_name__iexact=parts.given,
            particles__iexact=parts.particles,
            surname__iexact=parts.surname,
        ).first() or person_create(
            owner=actor,
            given_name=parts.given,
            particles=parts.particles,
            surname=parts.surname,
            organisation_name=guest.organisation,
            sector=guest.sector,
            how_met=meeting.title,
            via=via or "club",
        )
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
    return person


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
        given_on=given_on or clock.today(clock.zone_of(workspace)),
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
            zone=clock.zone_of(referral.giver),
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
        met_on=met_on or clock.today(clock.zone_of(workspace)),
        note=note.strip(),
    )
    meeting.full_clean()
    meeting.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=meeting, via=via)
    return meeting


MEMBER_COLUMNS = ("email", "name", "organisation", "sector", "offer", "seeking")


@transaction.atomic
def members_import(
    *, actor: User, workspace: Workspace, text: str, accept_url_template: str, via: str = ""
) -> tuple[int, list[str]]:
    """Invite the members on a list (CSV with a header: email, and any of name, organisation,
    sector, offer, seeking; comma or semicolon). Each invitation carries the row's profile,
    which fills the blanks of the member's profile when they accept.

    Returns (invitations sent, e-mails skipped because they are members already). One broken
    line and nothing is sent: the error names every bad line and field.
    """
    require_manager(actor, workspace)
    rows = _member_rows(text)
    already = {e.lower() for e in workspace.memberships.values_list("user__email", flat=True)}
    sent, skipped = 0, []
    for _line, row in rows:
        if row["email"].lower() in already:
            skipped.append(row["email"])
            continue
        profile = {field: row.get(column, "") for field, column in _PROFILE_COLUMNS.items()}
        invitation_create(
            actor=actor,
            workspace=workspace,
            email=row["email"],
            accept_url_template=accept_url_template,
            profile=profile,
            via=via,
        )
        sent += 1
    return sent, skipped


_PROFILE_COLUMNS = {
    "display_name": "name",
    "organisation": "organisation",
    "sector": "sector",
    "offer": "offer",
    "seeking": "seeking",
}
assert set(_PROFILE_COLUMNS) <= set(PROFILE_FIELDS)


def _max_length(field: str) -> int:
    found = User._meta.get_field(field)
    assert isinstance(found, CharField) and found.max_length is not None
    return found.max_length


# The longest each column may be: the profile field it fills says.
_MAX_LENGTHS = {column: _max_length(field) for field, column in _PROFILE_COLUMNS.items()}


def _member_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValidationError({"file": "The member list is empty."})
    first = text.splitlines()[0]
    dialect = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    header = [h.strip().lower() for h in next(reader)]
    if "email" not in header and "e-mail" not in header:
        raise ValidationError(
            {
                "file": "Line 1: the header needs an 'email' column (and may have "
                + ", ".join(MEMBER_COLUMNS[1:])
                + ")."
            }
        )
    header = ["email" if h == "e-mail" else h for h in header]
    unknown = [h for h in header if h and h not in MEMBER_COLUMNS]
    if unknown:
        raise ValidationError(
            {"file": f"Line 1: unknown column {unknown[0]!r}; use " + ", ".join(MEMBER_COLUMNS)}
        )
    errors: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(f"line {line}: {len(cells)} fields where the header has {len(header)}")
            continue
        row = {h: c.strip() for h, c in zip(header, cells, strict=False) if h}
        email = row.get("email", "")
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"line {line}, email: {email!r} is not an e-mail address")
            continue
        if email.lower() in seen:
            errors.append(f"line {line}, email: {email} is also on line {seen[email.lower()]}")
            continue
        seen[email.lower()] = line
        for column, limit in _MAX_LENGTHS.items():
            if len(row.get(column, "")) > limit:
                errors.append(f"line {line}, {column}: longer than {limit} characters")
        rows.append((line, row))
    if errors:
        raise ValidationError({"file": errors[:20]})
    if not rows:
        raise ValidationError({"file": "The member list has a header but no members."})
    return rows


def attendance_drop_for_leaver(
    *, workspace: Workspace, user: User, now: dt.datetime, **_: Any
) -> None:
    """Receiver of ``workspaces.signals.member_left``: a member who leaves no longer comes to
    the club's meetings still to come."""
    Attendance.objects.filter(
        meeting__workspace=workspace, meeting__starts_at__gte=now, user=user
    ).delete()
