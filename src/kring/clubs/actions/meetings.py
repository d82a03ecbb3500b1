"""Club meetings: create, invite, answers (by link or by the organiser), guests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.clubs.models import (
    Attendance,
    Guest,
    Meeting,
    MeetingTable,
)
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.lib.mail import mail_after_commit
from kring.workspaces.actions import require_manager
from kring.workspaces.models import Workspace

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
        raise ValidationError({"starts_at": _("This meeting would be in the past.")})
    if not tables:
        raise ValidationError({"tables": _("Give at least one table.")})
    names = [name.strip() for name, _, _ in tables]
    if len(set(names)) != len(names):
        raise ValidationError({"tables": _("Two tables have the same name.")})
    hosts = [host for _, _, host in tables if host is not None]
    if len({h.pk for h in hosts}) != len(hosts):
        raise ValidationError({"tables": _("One host cannot host two tables.")})
    for host in hosts:
        if not workspace.memberships.filter(user=host).exists():
            raise ValidationError(
                {"tables": _("%(name)s is not a member of the club.") % {"name": host.name}}
            )
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
        raise ValidationError({"answer": _("Answer yes or no.")})
    attendance, _created = Attendance.objects.get_or_create(
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
        raise ValidationError({"answer": _("Answer yes or no.")})
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
        raise ValidationError({"name": _("Give the guest's name.")})
    if invited_by is not None:
        require_member(invited_by, meeting.workspace)
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
        raise ValidationError(
            {"name": _("%(name)s is already on the list.") % {"name": guest.name}}
        )
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
        raise ValidationError({"meeting": _("This meeting has already begun.")})
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


def require_member(user: User, workspace: Workspace) -> None:
    if not workspace.memberships.filter(user=user).exists():
        raise NotFound("workspace", workspace.pk)


def attendance_drop_for_leaver(
    *, workspace: Workspace, user: User, now: dt.datetime, **_: Any
) -> None:
    """Receiver of ``workspaces.signals.member_left``: a member who leaves no longer comes to
    the club's meetings still to come."""
    Attendance.objects.filter(
        meeting__workspace=workspace, meeting__starts_at__gte=now, user=user
    ).delete()
