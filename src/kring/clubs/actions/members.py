"""The organiser's member list from CSV: one invitation per row, or none when a row is wrong."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.workspaces.actions import PROFILE_FIELDS, invitation_create, require_manager
from kring.workspaces.models import Workspace

MEMBER_COLUMNS = ("email", "name", "organisation", "sector", "offer", "seeking")


@transaction.atomic
def members_import(
    *, actor: User, workspace: Workspace, text: str, accept_url_template: str, via: str = ""
) -> tuple[int, list[str]]:
    """Invite the members on a list (CSV with a header: email, and any of name, organisation,
    sector, offer, seeking; comma or semicolon). Each invitation carries the row's profile,
    which fills the blanks of the member's profile when they accept.

    Returns (invitations sent, e-mails skipped because they are members already). One broken
    line and nothing is sent: the error names every bad line and field.
    """
    require_manager(actor, workspace)
    rows = _member_rows(text)
    already = {e.lower() for e in workspace.memberships.values_list("user__email", flat=True)}
    sent, skipped = 0, []
    for _line, row in rows:
        if row["email"].lower() in already:
            skipped.append(row["email"])
            continue
        profile = {field: row.get(column, "") for field, column in _PROFILE_COLUMNS.items()}
        invitation_create(
            actor=actor,
            workspace=workspace,
            email=row["email"],
            accept_url_template=accept_url_template,
            profile=profile,
            via=via,
        )
        sent += 1
    return sent, skipped


_PROFILE_COLUMNS = {
    "display_name": "name",
    "organisation": "organisation",
    "sector": "sector",
    "offer": "offer",
    "seeking": "seeking",
}


assert set(_PROFILE_COLUMNS) <= set(PROFILE_FIELDS)


def _max_length(field: str) -> int:
    found = User._meta.get_field(field)
    assert isinstance(found, CharField) and found.max_length is not None
    return found.max_length


_MAX_LENGTHS = {column: _max_length(field) for field, column in _PROFILE_COLUMNS.items()}


def _member_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValidationError({"file": _("The member list is empty.")})
    first = text.splitlines()[0]
    dialect = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=dialect)
    header = [h.strip().lower() for h in next(reader)]
    if "email" not in header and "e-mail" not in header:
        raise ValidationError(
            {
                "file": _("Line 1: the header needs an 'email' column (and may have %(columns)s).")
                % {"columns": ", ".join(MEMBER_COLUMNS[1:])}
            }
        )
    header = ["email" if h == "e-mail" else h for h in header]
    unknown = [h for h in header if h and h not in MEMBER_COLUMNS]
    if unknown:
        raise ValidationError(
            {
                "file": _("Line 1: unknown column %(column)s; use %(columns)s")
                % {"column": repr(unknown[0]), "columns": ", ".join(MEMBER_COLUMNS)}
            }
        )
    errors: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(
                _("line %(line)s: %(found)s fields where the header has %(expected)s")
                % {"line": line, "found": len(cells), "expected": len(header)}
            )
            continue
        row = {h: c.strip() for h, c in zip(header, cells, strict=False) if h}
        email = row.get("email", "")
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("line %(line)s, email: %(value)s is not an e-mail address")
                % {"line": line, "value": repr(email)}
            )
            continue
        if email.lower() in seen:
            errors.append(
                _("line %(line)s, email: %(value)s is also on line %(other)s")
                % {"line": line, "value": email, "other": seen[email.lower()]}
            )
            continue
        seen[email.lower()] = line
        for column, limit in _MAX_LENGTHS.items():
            if len(row.get(column, "")) > limit:
                errors.append(
                    _("line %(line)s, %(column)s: longer than %(limit)s characters")
                    % {"line": line, "column": column, "limit": limit}
                )
        rows.append((line, row))
    if errors:
        raise ValidationError({"file": errors[:20]})
    if not rows:
        raise ValidationError({"file": _("The member list has a header but no members.")})
    return rows
