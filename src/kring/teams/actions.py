"""Writes for project teams: set departments, import them, make and delete a rotation."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.lib import clock
from kring.teams.adapters import member_key, plan_rounds, round_stats, team_sizes
from kring.teams.models import MAX_ROUNDS, DepartmentAssignment, Rotation, Round, Team, TeamMember
from kring.workspaces.actions import require_manager
from kring.workspaces.models import Workspace

_HEADERS = (["email", "department"], ["e-mail", "department"])


def _require_company(workspace: Workspace) -> None:
    if workspace.kind != Workspace.Kind.COMPANY:
        raise ValidationError(
            _("Project teams are for company workspaces; %(name)s is a %(kind)s.")
            % {"name": workspace.name, "kind": workspace.get_kind_display().lower()}
        )


def _members(workspace: Workspace) -> list[User]:
    return list(
        User.objects.filter(memberships__workspace=workspace).order_by("display_name", "email")
    )


@transaction.atomic
def departments_set(
    *, actor: User, workspace: Workspace, departments: Mapping[int, str], via: str = ""
) -> int:
    """Set the department of members by user id; an empty name clears it. Returns how many
    members changed."""
    require_manager(actor, workspace)
    _require_company(workspace)
    members = {u.pk: u for u in _members(workspace)}
    for user_id, name in departments.items():
        if user_id not in members:
            raise ValidationError(
                {
                    "departments": _("User %(id)s is not a member of this workspace.")
                    % {"id": user_id}
                }
            )
        if "\x00" in name:
            raise ValidationError(
                {
                    "departments": _("The department of %(name)s has a NUL character.")
                    % {"name": members[user_id].name}
                }
            )
        if len(name.strip()) > 80:
            raise ValidationError(
                {
                    "departments": _("The department of %(name)s is longer than 80 characters.")
                    % {"name": members[user_id].name}
                }
            )
    current = {d.user_id: d for d in DepartmentAssignment.objects.filter(workspace=workspace)}
    changed = 0
    for user_id, raw in departments.items():
        name = " ".join(raw.split())
        row = current.get(user_id)
        if row is None and name:
            row = DepartmentAssignment(workspace=workspace, user_id=user_id, department=name)
            row.full_clean()
            row.save()
            audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=row, via=via)
        elif row is not None and not name:
            audit_record(actor=actor, action=AuditEntry.Action.ERASE, instance=row, via=via)
            row.delete()
        elif row is not None and row.department != name:
            row.department = name
            row.full_clean()
            row.save(update_fields=["department"])
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                instance=row,
                fields=["department"],
                via=via,
            )
        else:
            continue
        changed += 1
    return changed


@transaction.atomic
def departments_import(*, actor: User, workspace: Workspace, text: str, via: str = "") -> int:
    """Set departments from CSV lines "email,department" (a header line and ";" as the
    separator are accepted). One bad line refuses the whole file, naming the line."""
    require_manager(actor, workspace)
    _require_company(workspace)
    by_email = {u.email.lower(): u for u in _members(workspace)}
    lines = text.lstrip("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if ";" in first and "," not in first else ","
    wanted: dict[int, str] = {}
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        # Line by line, so that a stray quote cannot swallow the lines after it.
        cells = [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]
        if not any(cells):
            continue
        if number == 1 and [c.lower() for c in cells] in _HEADERS:
            continue
        if len(cells) != 2 or "@" not in cells[0] or "\x00" in line:
            raise ValidationError(
                {
                    "csv": _(
                        "Line %(n)s: write an e-mail address and a department, "
                        "e.g. ann@example.com,Sales."
                    )
                    % {"n": number}
                }
            )
        email, department = cells[0].lower(), " ".join(cells[1].split())
        user = by_email.get(email)
        if user is None:
            raise ValidationError(
                {
                    "csv": _("Line %(n)s: %(email)s is not a member of this workspace.")
                    % {"n": number, "email": cells[0]}
                }
            )
        if email in seen:
            raise ValidationError(
                {
                    "csv": _("Line %(n)s: %(email)s is on line %(first)s already.")
                    % {"n": number, "email": cells[0], "first": seen[email]}
                }
            )
        if not department:
            raise ValidationError(
                {"csv": _("Line %(n)s: the department is empty.") % {"n": number}}
            )
        if len(department) > 80:
            raise ValidationError(
                {
                    "csv": _("Line %(n)s: the department is longer than 80 characters.")
                    % {"n": number}
                }
            )
        seen[email] = number
        wanted[user.pk] = department
    if not wanted:
        raise ValidationError({"csv": _("The file has no lines e-mail,department.")})
    return departments_set(actor=actor, workspace=workspace, departments=wanted, via=via)


@transaction.atomic
def rotation_create(
    *,
    actor: User,
    workspace: Workspace,
    name: str,
    team_size: int,
    rounds: int,
    starts_on: dt.date | None = None,
    weeks_per_round: int = 1,
    policy: str = Rotation.Policy.MIX,
    seed: int = 0,
    via: str = "",
) -> Rotation:
    """Form teams of about ``team_size`` from every member, ``rounds`` times: each team mixes
    departments and each round brings colleagues one has not worked with in this rotation yet,
    as far as the numbers allow."""
    require_manager(actor, workspace)
    _require_company(workspace)
    if team_size < 2:
        raise ValidationError({"team_size": _("A team needs at least 2 people.")})
    if not 1 <= rounds <= MAX_ROUNDS:
        raise ValidationError({"rounds": _("Plan from 1 to %(max)s rounds.") % {"max": MAX_ROUNDS}})
    if policy not in Rotation.Policy.values:
        raise ValidationError({"policy": _("Unknown policy %(p)r.") % {"p": policy}})
    members = _members(workspace)
    if len(members) < team_size:
        raise ValidationError(
            {
                "team_size": _("This workspace has %(n)s members, too few for a team of %(size)s.")
                % {"n": len(members), "size": team_size}
            }
        )
    rotation = Rotation(
        workspace=workspace,
        name=name.strip(),
        team_size=team_size,
        rounds=rounds,
        starts_on=starts_on or clock.today(clock.zone_of(workspace)),
        weeks_per_round=weeks_per_round,
        policy=policy,
        seed=seed,
        created_by=actor,
    )
    rotation.full_clean()
    rotation.save()
    department_of = {
        member_key(user_id): department
        for user_id, department in DepartmentAssignment.objects.filter(
            workspace=workspace
        ).values_list("user_id", "department")
    }
    meetings = plan_rounds(
        [member_key(u.pk) for u in members],
        department_of,
        team_sizes(len(members), team_size),
        rounds=rounds,
        policy=Rotation.Policy(policy),
        seed=seed,
    )
    user_of = {member_key(u.pk): u for u in members}
    for number, (teams, stats) in enumerate(
        zip(meetings, round_stats(meetings, department_of), strict=True), 1
    ):
        round_ = Round(
            rotation=rotation,
            number=number,
            starts_on=rotation.starts_on + dt.timedelta(weeks=weeks_per_round * (number - 1)),
            min_departments=stats.min_departments,
            repeated_pairs=stats.repeated_pairs,
        )
        round_.full_clean()
        round_.save()
        for t, names in enumerate(teams, 1):
            team = Team(round=round_, name=_("Team %(n)s") % {"n": t})
            team.full_clean()
            team.save()
            TeamMember.objects.bulk_create(
                TeamMember(team=team, user=user_of[n], department=department_of.get(n, ""))
                for n in names
            )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=rotation, via=via)
    return rotation


@transaction.atomic
def rotation_delete(*, actor: User, rotation: Rotation, via: str = "") -> None:
    require_manager(actor, rotation.workspace)
    audit_record(actor=actor, action=AuditEntry.Action.ERASE, instance=rotation, via=via)
    rotation.delete()
