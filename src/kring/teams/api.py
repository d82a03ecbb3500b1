"""Rotating project teams in the API: rotations with their rounds and my team, forming and
deleting them (owners and admins), departments. The same actions and ``access_*`` reads as the
pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from kring.accounts.models import User
from kring.lib import clock
from kring.lib.api import FAILS, api_user
from kring.teams import actions, queries
from kring.teams import schemas as s
from kring.teams.models import Rotation, Team
from kring.workspaces.models import Membership
from kring.workspaces.queries import access_workspace_by_id

teams = Router(tags=["teams"])


def _rotation_out(rotation: Rotation) -> dict[str, Any]:
    state = queries.rotation_state(rotation, clock.today(clock.zone_of(rotation.workspace)))
    return {
        "id": rotation.pk,
        "workspace_id": rotation.workspace_id,
        "name": rotation.name,
        "team_size": rotation.team_size,
        "rounds": rotation.rounds,
        "starts_on": rotation.starts_on,
        "weeks_per_round": rotation.weeks_per_round,
        "policy": rotation.policy,
        "seed": rotation.seed,
        "state": state.state,
        "current_round": state.number,
    }


def _team_out(team: Team) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "members": [
            {"user_id": m.user_id, "name": m.user.name, "department": m.department}
            for m in team.members.all()
        ],
    }


def _round_out(user: User, view: queries.RoundView) -> dict[str, Any]:
    mine = queries.team_of(user, view)
    return {
        "number": view.round.number,
        "starts_on": view.round.starts_on,
        "min_departments": view.round.min_departments,
        "repeated_pairs": view.round.repeated_pairs,
        "teams": [_team_out(t) for t in view.teams],
        "my_team_id": mine.pk if mine else None,
    }


def _rotation_detail(user: User, rotation: Rotation) -> dict[str, Any]:
    out = _rotation_out(rotation)
    rounds = queries.rounds_of(rotation)
    now = next((r for r in rounds if r.round.number == out["current_round"]), None)
    mine = queries.team_of(user, now) if now else None
    return {
        **out,
        "schedule": [_round_out(user, r) for r in rounds],
        "my_team": _team_out(mine) if mine else None,
    }


def _department_out(membership: Membership, department: str) -> dict[str, Any]:
    return {"user_id": membership.user_id, "name": membership.user.name, "department": department}


@teams.get("/workspaces/{workspace_id}/rotations", response={200: list[s.RotationOut], **FAILS})
def list_rotations(request: HttpRequest, workspace_id: int) -> list[dict[str, Any]]:
    """The workspace's rotations, the latest start first, and where each stands today."""
    return [_rotation_out(r) for r in queries.rotations_in(api_user(request), workspace_id)]


@teams.post("/workspaces/{workspace_id}/rotations", response={201: s.RotationDetailOut, **FAILS})
def create_rotation(request: HttpRequest, workspace_id: int, payload: s.RotationIn) -> Status:
    """Form teams of about ``team_size`` from every member, ``rounds`` times, mixing
    departments and bringing new colleagues together (owners and admins of a company)."""
    user = api_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    rotation = actions.rotation_create(actor=user, workspace=workspace, via="api", **payload.dict())
    return Status(201, _rotation_detail(user, rotation))


@teams.get("/rotations/{rotation_id}", response={200: s.RotationDetailOut, **FAILS})
def get_rotation(request: HttpRequest, rotation_id: int) -> dict[str, Any]:
    """Every round with its teams, and my team in the round under way."""
    user = api_user(request)
    rotation, _membership = queries.access_rotation_by_id(user, rotation_id)
    return _rotation_detail(user, rotation)


@teams.delete("/rotations/{rotation_id}", response={204: None, **FAILS})
def delete_rotation(request: HttpRequest, rotation_id: int) -> Status:
    """Owners and admins only."""
    user = api_user(request)
    rotation, _membership = queries.access_rotation_by_id(user, rotation_id)
    actions.rotation_delete(actor=user, rotation=rotation, via="api")
    return Status(204, None)


@teams.get("/workspaces/{workspace_id}/departments", response={200: list[s.DepartmentOut], **FAILS})
def list_departments(request: HttpRequest, workspace_id: int) -> list[dict[str, Any]]:
    """Every member with their department ("" for none)."""
    return [
        _department_out(m, d) for m, d in queries.departments_in(api_user(request), workspace_id)
    ]


@teams.put("/workspaces/{workspace_id}/departments", response={200: list[s.DepartmentOut], **FAILS})
def set_departments(
    request: HttpRequest, workspace_id: int, payload: s.DepartmentsIn
) -> list[dict[str, Any]]:
    """Set the department of the members listed ("" clears it); the others keep theirs
    (owners and admins of a company)."""
    user = api_user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    actions.departments_set(
        actor=user,
        workspace=workspace,
        departments={d.user_id: d.department for d in payload.departments},
        via="api",
    )
    return [_department_out(m, d) for m, d in queries.departments_in(user, workspace_id)]


routers = [teams]
