"""Seating a meeting: the rules, the engine's plan, seats moved and locked by hand, and
conversations logged after the evening."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.clubs.adapters import (
    meeting_affinities,
    member_key,
    plan_summary,
    seating_error,
)
from kring.clubs.models import (
    Attendance,
    Meeting,
    MeetingTable,
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
    SeatingRules,
    Table,
    plan_seating,
)
from kring.core.seating.tonight import most_times_together, tonight_report
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.people.actions import interaction_log, person_create, person_for_user
from kring.people.models import Organisation, Person
from kring.workspaces.actions import require_manager
from kring.workspaces.models import Membership, Workspace

# Meetings with more people coming than this are seated by the worker, with progress shown.
SEAT_IN_WORKER_ABOVE = 120


@transaction.atomic
def seating_rule_add(
    *, actor: User, workspace: Workspace, first: User, second: User, reason: str = "", via: str = ""
) -> SeatingRule:
    """Two members who never share a table."""
    require_manager(actor, workspace)
    for member in (first, second):
        if not workspace.memberships.filter(user=member).exists():
            raise ValidationError(
                {"members": _("%(name)s is not a member of the club.") % {"name": member.name}}
            )
    if first == second:
        raise ValidationError({"members": _("Choose two different members.")})
    low, high = sorted((first, second), key=lambda u: u.pk)
    if SeatingRule.objects.filter(workspace=workspace, first=low, second=high).exists():
        raise ValidationError(
            {
                "members": _("%(first)s and %(second)s already sit apart.")
                % {"first": low.name, "second": high.name}
            }
        )
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


@transaction.atomic
def meeting_seat_request(
    *,
    actor: User,
    meeting: Meeting,
    policy: float | None = None,
    keep: bool = False,
    hostless: bool = False,
    via: str = "",
) -> bool:
    """Seat everyone now, or, for a large meeting, in the worker while the page shows progress.
    Returns True when the plan is ready, False when it was queued."""
    require_manager(actor, meeting.workspace)
    if meeting.seating_state in (SeatingState.QUEUED, SeatingState.RUNNING):
        raise ValidationError({"tables": _("This meeting is being seated already.")})
    coming = meeting.attendances.filter(answer=Attendance.Answer.YES).count()
    if coming <= SEAT_IN_WORKER_ABOVE:
        meeting_seat(
            actor=actor, meeting=meeting, policy=policy, keep=keep, hostless=hostless, via=via
        )
        return True
    if policy is not None:
        _check_policy(policy)
    meeting.seating_state = SeatingState.QUEUED
    meeting.seating_error = ""
    meeting.save(update_fields=["seating_state", "seating_error"])
    from kring.clubs.tasks import seat_meeting_task

    transaction.on_commit(
        lambda: seat_meeting_task.enqueue(meeting.pk, actor.pk, policy, keep, via, hostless)
    )
    return False


def _check_policy(policy: float) -> None:
    if not 0.0 <= policy <= 1.0:
        raise ValidationError({"policy": _("The policy runs from 0 to 1.")})


@dataclass(frozen=True)
class AbsentHost:
    """A table whose named host does not come: ``answer`` is "no", or "" when not answered."""

    table: MeetingTable
    host: User
    answer: str


def absent_hosts(
    meeting: Meeting, *, tables: list[MeetingTable] | None = None, present: set[int] | None = None
) -> list[AbsentHost]:
    """The tables whose host has not answered or said no, in table order."""
    if tables is None:
        tables = list(meeting.tables.select_related("host"))
    if present is None:
        coming = meeting.attendances.filter(answer=Attendance.Answer.YES, user__isnull=False)
        present = set(coming.values_list("user_id", flat=True))
    missing = [t for t in tables if t.host_id is not None and t.host_id not in present]
    if not missing:
        return []
    said_no = set(
        meeting.attendances.filter(
            user_id__in=[t.host_id for t in missing], answer=Attendance.Answer.NO
        ).values_list("user_id", flat=True)
    )
    return [
        AbsentHost(t, t.host, Attendance.Answer.NO if t.host_id in said_no else "")  # type: ignore[arg-type]
        for t in missing
    ]


def host_absent_error(absent: AbsentHost) -> ValidationError:
    params = {"host": absent.host.name, "table": absent.table.name}
    if absent.answer == Attendance.Answer.NO:
        message = _("%(host)s hosts %(table)s but is not coming.")
    else:
        message = _("%(host)s hosts %(table)s but has not answered yet.")
    return ValidationError(message, code="host_absent", params=params)


@transaction.atomic
def meeting_seat(
    *,
    actor: User,
    meeting: Meeting,
    policy: float | None = None,
    keep: bool = False,
    hostless: bool = False,
    seed: int = 0,
    via: str = "",
) -> Meeting:
    """Seat everyone who comes with the seating engine: hosts at their tables, locked seats
    kept, competitors and the organiser's never-together pairs apart, the club's history of
    who sat with whom avoided (or sought, by the policy). ``keep``: revise the current plan
    (after a cancellation), moving as few people as possible. A named host who has not
    answered or does not come stops the seating, unless ``hostless``: then their table is
    seated without a host and the report names it."""
    require_manager(actor, meeting.workspace)
    if policy is not None:
        _check_policy(policy)
        meeting.policy = policy
    tables = list(meeting.tables.select_related("host"))
    coming = list(
        meeting.attendances.filter(answer=Attendance.Answer.YES).select_related("user", "guest")
    )
    present = {a.user_id for a in coming if a.user_id}
    absent = absent_hosts(meeting, tables=tables, present=present)
    if absent and not hostless:
        raise ValidationError({"tables": [host_absent_error(h) for h in absent]})
    without_host = {h.table.pk for h in absent}
    seats = sum(t.capacity for t in tables)
    if len(coming) > seats:
        raise ValidationError(
            {
                "tables": _("%(coming)s people are coming but the tables seat %(seats)s.")
                % {"coming": len(coming), "seats": seats}
            }
        )
    by_id = {t.pk: t for t in tables}
    fixed = {
        member_key(t.host_id): t.name
        for t in tables
        if t.host_id is not None and t.pk not in without_host
    }
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
        member_key(m.user_id): Attendee(member_key(m.user_id), m.user.sector, m.user.organisation)
        for m in Membership.objects.filter(workspace=meeting.workspace).select_related("user")
    }
    for a in coming:
        if a.guest is not None:
            attendees[a.key] = Attendee(a.key, a.guest.sector, a.guest.organisation)
    apart = tuple(
        (member_key(a.pk), member_key(b.pk))
        for a, b, _reason in never_together(actor, meeting.workspace)
        if a.pk in present and b.pk in present
    )
    for first, second in apart:
        if first in fixed and fixed[first] == fixed.get(second):
            names = {a.key: a.name for a in coming}
            raise ValidationError(
                {
                    "tables": _(
                        "%(first)s and %(second)s never sit together but both have a fixed "
                        "seat at %(table)s: free one of the two seats."
                    )
                    % {"first": names[first], "second": names[second], "table": fixed[first]}
                }
            )
    evening = clock.local_date(meeting.starts_at, clock.zone_of(meeting.workspace))
    affinity = meeting_affinities(
        meeting, [a.user for a in coming if a.user is not None], today=evening
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
            affinity=affinity,
        ),
    )
    try:
        plan = plan_seating(problem, seed=seed)
    except (InfeasibleSeating, SeatingInputError) as exc:
        raise ValidationError({"tables": seating_error(exc, coming)}) from None
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
    tonight_tables = [names for _name, names in plan.meetings[0].tables]
    past_tables = [h.tables for h in history]
    meeting.report = plan_summary(
        plan.report,
        kept_apart=len(apart),
        moved=moved if keep else None,
        tonight=tonight_report(
            tonight_tables, past_tables, capacities=[t.capacity for t in tables], apart=apart
        ),
        season_max=most_times_together([*past_tables, tonight_tables]),
        policy=meeting.policy,
        hostless=[t.name for t in tables if t.pk in without_host],
        affinity=(
            len(affinity),
            sum(1 for x in affinity if seat_of.get(x.a) is seat_of.get(x.b) is not None),
        ),
    )
    meeting.save(update_fields=["policy", "seated_at", "report", "seating_state", "seating_error"])
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
        raise ValidationError({"table": _("%(table)s is full.") % {"table": table.name}})
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
