"""Writes to workspaces: creating them, inviting people, roles and leaving."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.lib import clock
from kring.lib.errors import NotFound, PermissionDenied
from kring.lib.mail import mail_after_commit
from kring.workspaces.models import Departure, Invitation, Membership, Workspace
from kring.workspaces.signals import member_left

if TYPE_CHECKING:  # for types only: accounts builds on workspaces, not the reverse
    from kring.accounts.models import User

# The profile fields an invitation may carry (see :func:`invitation_create`).
PROFILE_FIELDS = ("display_name", "organisation", "sector", "offer", "seeking")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def workspace_create(*, owner: User, name: str, kind: str, via: str = "") -> Workspace:
    workspace = Workspace(name=name.strip(), kind=kind)
    workspace.full_clean()
    workspace.save()
    Membership.objects.create(workspace=workspace, user=owner, role=Membership.Role.OWNER)
    audit_record(actor=owner, action=AuditEntry.Action.CREATE, instance=workspace, via=via)
    return workspace


@transaction.atomic
def workspace_update(
    *,
    actor: User,
    workspace: Workspace,
    name: str | None = None,
    time_zone: str | None = None,
    via: str = "",
) -> Workspace:
    """Rename a workspace or set the time zone its printouts and mails use (owner or admin)."""
    require_manager(actor, workspace)
    changed = []
    if name is not None:
        workspace.name = name.strip()
        changed.append("name")
    if time_zone is not None:
        workspace.time_zone = time_zone
        changed.append("time_zone")
    workspace.full_clean()
    workspace.save(update_fields=changed or None)
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=workspace, fields=changed, via=via
    )
    return workspace


def require_manager(actor: User, workspace: Workspace) -> Membership:
    """The actor's membership if they own or administer the workspace; not found for
    outsiders, permission denied for plain members."""
    membership = workspace.memberships.filter(user=actor).first()
    if membership is None:
        raise NotFound("workspace", workspace.pk)
    if not membership.can_manage:
        raise PermissionDenied(_("Only the workspace's owner or an admin can do this."))
    return membership


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    workspace: Workspace,
    email: str,
    role: str = Membership.Role.MEMBER,
    accept_url_template: str,
    profile: dict[str, str] | None = None,
    now: dt.datetime | None = None,
    via: str = "",
) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and its secret token.

    ``accept_url_template`` holds ``{token}``, e.g. "https://kring.example/invite/{token}/".
    ``profile`` (keys of :data:`PROFILE_FIELDS`) fills the blanks of the invitee's profile
    when they accept.
    """
    manager = require_manager(actor, workspace)
    if workspace.kind == Workspace.Kind.PERSONAL:
        raise ValidationError({"workspace": _("A personal workspace has no other members.")})
    if role == Membership.Role.OWNER and manager.role != Membership.Role.OWNER:
        raise PermissionDenied(_("Only an owner can invite another owner."))
    email = email.strip()
    if workspace.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member.") % {"email": email}})
    now = now or clock.now()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        workspace=workspace,
        email=email,
        role=role,
        digest=token_digest(token),
        invited_by=actor,
        expires_at=now + dt.timedelta(days=settings.INVITATION_DAYS),
        profile={k: v.strip() for k, v in (profile or {}).items() if k in PROFILE_FIELDS and v},
    )
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=invitation, via=via)
    url = accept_url_template.format(token=token)
    mail_after_commit(
        language=actor.language,
        to=email,
        template="workspaces/invitation",
        context={"workspace": workspace, "inviter": actor, "url": url, "invitation": invitation},
        zone=clock.zone_of(workspace),
    )
    return invitation, token


def invitation_by_token(token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The open invitation with this token; not found if unknown, used or expired."""
    now = now or clock.now()
    invitation = (
        Invitation.objects.select_related("workspace", "invited_by")
        .filter(digest=token_digest(token), accepted_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if invitation is None:
        raise NotFound("invitation", "")
    return invitation


@transaction.atomic
def invitation_accept(
    *, user: User, token: str, now: dt.datetime | None = None, via: str = ""
) -> Membership:
    now = now or clock.now()
    invitation = invitation_by_token(token, now=now)
    membership, created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    blanks = [
        field
        for field, value in invitation.profile.items()
        if field in PROFILE_FIELDS and value and not getattr(user, field)
    ]
    if blanks:
        for field in blanks:
            setattr(user, field, invitation.profile[field])
        user.full_clean(exclude=["password"])
        user.save(update_fields=blanks)
        audit_record(
            actor=user, action=AuditEntry.Action.UPDATE, instance=user, fields=blanks, via=via
        )
    Departure.objects.filter(workspace=invitation.workspace, user=user).delete()
    if created:
        audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=membership, via=via)
    return membership


@transaction.atomic
def membership_set_role(
    *, actor: User, membership: Membership, role: str, via: str = ""
) -> Membership:
    manager = require_manager(actor, membership.workspace)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role %(role)r.") % {"role": role}})
    if Membership.Role.OWNER in (role, membership.role) and manager.role != Membership.Role.OWNER:
        raise PermissionDenied(_("Only an owner can make or unmake an owner."))
    if membership.role == Membership.Role.OWNER and role != Membership.Role.OWNER:
        _require_another_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=membership, fields=["role"], via=via
    )
    return membership


def _require_another_owner(membership: Membership) -> None:
    others = membership.workspace.memberships.filter(role=Membership.Role.OWNER).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise ValidationError({"role": _("A workspace needs at least one owner.")})


@transaction.atomic
def membership_remove(
    *, actor: User, membership: Membership, keep_name: bool = False, via: str = ""
) -> None:
    """Remove a member (an admin or owner), or leave (the member themselves).

    The club's history keeps the member's name only if they leave themselves and consent
    (``keep_name``); a removed member's name is always replaced by "former member".
    """
    if membership.user_id != actor.pk:
        manager = require_manager(actor, membership.workspace)
        if membership.role == Membership.Role.OWNER and manager.role != Membership.Role.OWNER:
            raise PermissionDenied(_("Only an owner can remove an owner."))
    if membership.workspace.kind == Workspace.Kind.PERSONAL:
        raise ValidationError({"workspace": _("You cannot leave your personal workspace.")})
    if membership.role == Membership.Role.OWNER:
        _require_another_owner(membership)
    membership_id = membership.pk
    membership.delete()
    # The apps built on workspaces let go of the member in the same transaction: what they
    # shared stops being shared (people), meetings to come lose them (clubs).
    member_left.send(
        sender=Workspace, workspace=membership.workspace, user=membership.user, now=clock.now()
    )
    Departure.objects.update_or_create(
        workspace=membership.workspace,
        user=membership.user,
        defaults={"keep_name": keep_name and membership.user_id == actor.pk},
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.ERASE,
        entity="membership",
        entity_id=membership_id,
        via=via,
    )
