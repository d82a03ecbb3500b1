"""The project teams' API shapes."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from kring.teams.models import Rotation


class RotationOut(Schema):
    id: int
    workspace_id: int
    name: str
    team_size: int
    rounds: int
    starts_on: dt.date
    weeks_per_round: int
    policy: str
    seed: int
    state: str  # upcoming, running or finished, in the workspace's time zone today
    current_round: int | None


class TeamMemberOut(Schema):
    user_id: int
    name: str
    department: str  # as it was when the teams were formed


class TeamOut(Schema):
    id: int
    name: str
    members: list[TeamMemberOut]


class RoundOut(Schema):
    number: int
    starts_on: dt.date
    min_departments: int  # the fewest departments in any team of the round
    repeated_pairs: int  # pairs together again after an earlier round
    teams: list[TeamOut]
    my_team_id: int | None


class RotationDetailOut(RotationOut):
    schedule: list[RoundOut]  # every round with its teams
    my_team: TeamOut | None  # in the round under way


class RotationIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    team_size: int
    rounds: int
    starts_on: dt.date | None = Field(None, description="default: today")
    weeks_per_round: int = 1
    policy: Rotation.Policy = Rotation.Policy.MIX
    seed: int = 0


class DepartmentOut(Schema):
    user_id: int
    name: str
    department: str  # "" for none


class DepartmentIn(Schema):
    user_id: int
    department: str = Field(..., max_length=80, description='"" clears it')


class DepartmentsIn(Schema):
    departments: list[DepartmentIn]
