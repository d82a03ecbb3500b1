"""The workspaces' API shapes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from kring.workspaces.models import Membership


class WorkspaceOut(Schema):
    id: int
    name: str
    kind: str  # personal, club or company
    time_zone: str
    created_at: dt.datetime
    my_role: str  # owner, admin or member
    can_manage: bool


class WorkspaceIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    kind: Literal["club", "company"]


class WorkspacePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    time_zone: str | None = Field(None, description="an IANA zone, e.g. Europe/Brussels")


class MemberOut(Schema):
    id: int  # the membership
    user_id: int
    name: str
    role: str
    joined_at: dt.datetime


class RoleIn(Schema):
    role: Membership.Role


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    role: Membership.Role = Membership.Role.MEMBER


class InvitationOut(Schema):
    id: int
    workspace_id: int
    email: str
    role: str
    created_at: dt.datetime
    expires_at: dt.datetime


class LeaveIn(Schema):
    keep_name: bool = Field(
        False, description="past meetings and referrals may keep showing my name"
    )
