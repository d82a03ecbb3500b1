"""Workspaces in the API: mine, their members, invitations, roles, settings, leaving. The same
actions and ``access_*`` reads as the pages: an outsider finds nothing (404), a plain member
may not manage (403)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from kring.lib.api import FAILS, api_user
from kring.workspaces import actions, queries
from kring.workspaces import schemas as s
from kring.workspaces.models import Invitation, Membership

workspaces = Router(tags=["workspaces"])


def _workspace_out(membership: Membership) -> dict[str, Any]:
    """A workspace as one of its members sees it: with their own role."""
    workspace = membership.workspace
    return {
        "id": workspace.pk,
        "name": workspace.name,
        "kind": workspace.kind,
        "time_zone": workspace.time_zone,
        "created_at": workspace.created_at,
        "my_role": membership.role,
        "can_manage": membership.can_manage,
    }


def _member_out(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "user_id": membership.user_id,
        "name": membership.user.name,
        "role": membership.role,
        "joined_at": membership.joined_at,
    }


def _invitation_out(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "workspace_id": invitation.workspace_id,
        "email": invitation.email,
        "role": invitation.role,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }


@workspaces.get("/workspaces", response=list[s.WorkspaceOut])
def list_workspaces(request: HttpRequest) -> list[dict[str, Any]]:
    """The workspaces I am in: my personal one, clubs and companies."""
    return [_workspace_out(m) for m in queries.workspaces_for(api_user(request))]


@workspaces.post("/workspaces", response={201: s.WorkspaceOut, **FAILS})
def create_workspace(request: HttpRequest, payload: s.WorkspaceIn) -> Status:
    """Start a club or company workspace; I own it."""
    user = api_user(request)
    workspace = actions.workspace_create(owner=user, via="api", **payload.dict())
    _workspace, membership = queries.access_workspace_by_id(user, workspace.pk)
    return Status(201, _workspace_out(membership))


@workspaces.get("/workspaces/{workspace_id}", response={200: s.WorkspaceOut, **FAILS})
def get_workspace(request: HttpRequest, workspace_id: int) -> dict[str, Any]:
    _workspace, membership = queries.access_workspace_by_id(api_user(request), workspace_id)
    return _workspace_out(membership)


@workspaces.patch("/workspaces/{workspace_id}", response={200: s.WorkspaceOut, **FAILS})
def update_workspace(
    request: HttpRequest, workspace_id: int, payload: s.WorkspacePatch
) -> dict[str, Any]:
    """Rename the workspace or set the time zone its printouts and mails use (owners and
    admins)."""
    user = api_user(request)
    workspace, membership = queries.access_workspace_by_id(user, workspace_id)
    actions.workspace_update(
        actor=user, workspace=workspace, via="api", **payload.dict(exclude_unset=True)
    )
    return _workspace_out(membership)


@workspaces.get("/workspaces/{workspace_id}/members", response={200: list[s.MemberOut], **FAILS})
def list_members(request: HttpRequest, workspace_id: int) -> list[dict[str, Any]]:
    workspace, _membership = queries.access_workspace_by_id(api_user(request), workspace_id)
    return [_member_out(m) for m in queries.members_of(workspace)]


@workspaces.patch(
    "/workspaces/{workspace_id}/members/{membership_id}", response={200: s.MemberOut, **FAILS}
)
def change_role(
    request: HttpRequest, workspace_id: int, membership_id: int, payload: s.RoleIn
) -> dict[str, Any]:
    """Make a member an admin, an owner or a plain member again (owners and admins; only an
    owner makes or unmakes an owner)."""
    user = api_user(request)
    target = queries.access_membership_by_id(user, workspace_id, membership_id)
    actions.membership_set_role(actor=user, membership=target, role=payload.role, via="api")
    return _member_out(target)


@workspaces.get(
    "/workspaces/{workspace_id}/invitations", response={200: list[s.InvitationOut], **FAILS}
)
def list_invitations(request: HttpRequest, workspace_id: int) -> list[dict[str, Any]]:
    """Invitations not accepted yet (owners and admins)."""
    return [
        _invitation_out(i) for i in queries.open_invitations_of(api_user(request), workspace_id)
    ]


@workspaces.post("/workspaces/{workspace_id}/invitations", response={201: s.InvitationOut, **FAILS})
def invite(request: HttpRequest, workspace_id: int, payload: s.InvitationIn) -> Status:
    """Invite someone by e-mail (owners and admins); the mail carries the link to join."""
    user = api_user(request)
    workspace, _membership = queries.access_workspace_by_id(user, workspace_id)
    url = request.build_absolute_uri(reverse("invitation", args=["TOKEN"]))
    invitation, _token = actions.invitation_create(
        actor=user,
        workspace=workspace,
        email=payload.email,
        role=payload.role,
        accept_url_template=url.replace("TOKEN", "{token}"),
        via="api",
    )
    return Status(201, _invitation_out(invitation))


@workspaces.post("/workspaces/{workspace_id}/leave", response={204: None, **FAILS})
def leave(request: HttpRequest, workspace_id: int, payload: s.LeaveIn) -> Status:
    """Leave a club or company; what I shared there stops being shared."""
    user = api_user(request)
    _workspace, membership = queries.access_workspace_by_id(user, workspace_id)
    actions.membership_remove(
        actor=user, membership=membership, keep_name=payload.keep_name, via="api"
    )
    return Status(204, None)


routers = [workspaces]
