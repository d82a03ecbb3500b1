"""Permission-checked reads of project teams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from kring.accounts.models import User
from kring.lib.errors import NotFound
from kring.teams.models import DepartmentAssignment, Rotation, Round, Team, TeamMember
from kring.workspaces.models import Membership, Workspace
from kring.workspaces.queries import access_workspace_by_id, members_of


def access_rotation_by_id(user: User, rotation_id: object) -> tuple[Rotation, Membership]:
    """A rotation of a workspace the user is in, and the user's membership; not found
    otherwise."""
    try:
        rotation = Rotation.objects.select_related("workspace").get(
            pk=int(rotation_id)  # type: ignore[call-overload]
        )
    except (Rotation.DoesNotExist, TypeError, ValueError):
        raise NotFound("rotation", rotation_id) from None
    membership = rotation.workspace.memberships.filter(user=user).first()
    if membership is None:
        raise NotFound("rotation", rotation_id)
    return rotation, membership


def rotations_of(user: User, workspace_id: object, *, limit: int = 50) -> list[Rotation]:
    """The latest rotations of a workspace the user is in; not found otherwise."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    return list(Rotation.objects.filter(workspace=workspace)[:limit])


def departments_of(workspace: Workspace) -> dict[int, str]:
    """User id -> department, for the members who have one."""
    return dict(
        DepartmentAssignment.objects.filter(workspace=workspace).values_list(
            "user_id", "department"
        )
    )


@dataclass(frozen=True)
class RoundView:
    round: Round
    teams: list[Team]  # each with .members prefetched, users selected


def rounds_of(rotation: Rotation) -> list[RoundView]:
    """Every round with its teams and their members, in four queries."""
    members = TeamMember.objects.select_related("user").order_by(
        "user__display_name", "user__email"
    )
    teams = Team.objects.prefetch_related(Prefetch("members", queryset=members))
    rounds = rotation.round_set.prefetch_related(Prefetch("teams", queryset=teams))
    return [RoundView(r, list(r.teams.all())) for r in rounds]


@dataclass(frozen=True)
class RotationState:
    """Where a rotation stands on a day: ``upcoming`` (it starts later), ``running`` (round
    ``number`` is under way) or ``finished``."""

    state: str
    number: int | None = None


def rotation_state(rotation: Rotation, today: dt.date) -> RotationState:
    """Where ``rotation`` stands on ``today``: a rotation that starts next month is upcoming,
    never "now"."""
    days = (today - rotation.starts_on).days
    if days < 0:
        return RotationState("upcoming")
    number = days // (7 * rotation.weeks_per_round) + 1
    if number > rotation.rounds:
        return RotationState("finished")
    return RotationState("running", number)


def current_round(rotation: Rotation, today: dt.date) -> int | None:
    """The round under way on ``today``; None before the start and after the end."""
    return rotation_state(rotation, today).number


def team_of(user: User, view: RoundView) -> Team | None:
    """The user's team in one round (from the prefetched rows, no query)."""
    for team in view.teams:
        if any(m.user_id == user.pk for m in team.members.all()):
            return team
    return None


def rotations_in(user: User, workspace_id: object) -> list[Rotation]:
    """The rotations of a workspace the user is in, the latest start first; not found
    otherwise."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    return list(Rotation.objects.filter(workspace=workspace).select_related("workspace"))


def departments_in(user: User, workspace_id: object) -> list[tuple[Membership, str]]:
    """Every member of a workspace the user is in, with their department ("" for none), as
    the teams page lists them; not found otherwise."""
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    departments = departments_of(workspace)
    return [(m, departments.get(m.user_id, "")) for m in members_of(workspace)]
