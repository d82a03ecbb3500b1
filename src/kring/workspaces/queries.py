"""Permission-checked reads of workspaces and memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kring.lib.errors import NotFound, PermissionDenied
from kring.workspaces.models import Invitation, Membership, Workspace

if TYPE_CHECKING:  # for types only: accounts builds on workspaces, not the reverse
    from kring.accounts.models import User


def access_workspace_by_id(user: User, workspace_id: object) -> tuple[Workspace, Membership]:
    """The workspace and the user's membership in it; not found unless the user is a member."""
    try:
        membership = Membership.objects.select_related("workspace").get(
            workspace_id=int(workspace_id),  # type: ignore[call-overload]
            user=user,
        )
    except (Membership.DoesNotExist, TypeError, ValueError):
        raise NotFound("workspace", workspace_id) from None
    return membership.workspace, membership


def workspaces_for(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .order_by("workspace__kind", "workspace__name")
    )


def members_of(workspace: Workspace) -> QuerySet[Membership]:
    return workspace.memberships.select_related("user").order_by(
        "user__display_name", "user__email"
    )


def access_membership_by_id(user: User, workspace_id: object, membership_id: object) -> Membership:
    """A membership in a workspace the user is in; not found for a workspace the user is not
    in and for a membership of another workspace, alike."""
    workspace, _mine = access_workspace_by_id(user, workspace_id)
    try:
        return Membership.objects.select_related("workspace", "user").get(
            pk=int(membership_id),  # type: ignore[call-overload]
            workspace=workspace,
        )
    except (Membership.DoesNotExist, TypeError, ValueError):
        raise NotFound("membership", membership_id) from None


def open_invitations_of(user: User, workspace_id: object) -> QuerySet[Invitation]:
    """The workspace's invitations nobody accepted yet, the newest first: for its owners and
    admins; not found for outsiders, permission denied for plain members."""
    workspace, membership = access_workspace_by_id(user, workspace_id)
    if not membership.can_manage:
        raise PermissionDenied(_("Only the workspace's owner or an admin can see invitations."))
    return workspace.invitations.filter(accepted_at__isnull=True).order_by("-created_at", "-id")


def open_invitations(workspace: Workspace, membership: Membership) -> QuerySet[Invitation]:
    """The invitations nobody accepted yet, for the workspace's owner and admins only (none
    for anyone else); ``workspace`` and ``membership`` come from access_workspace_by_id."""
    if not membership.can_manage or membership.workspace_id != workspace.pk:
        return Invitation.objects.none()
    return workspace.invitations.filter(accepted_at__isnull=True)
