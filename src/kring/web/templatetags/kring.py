"""Template filters for Kring's pages."""

from __future__ import annotations

from django import template

from kring.accounts.models import User
from kring.core.contact import format_phone
from kring.workspaces.models import Workspace
from kring.workspaces.queries import workspaces_for

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """An E.164 number as people read it: +32 470 12 34 56."""
    return format_phone(value)


@register.simple_tag
def menu_clubs(user: User) -> list[Workspace]:
    """The clubs and companies the user is a member of, for the main menu (at most three)."""
    found = workspaces_for(user).exclude(workspace__kind=Workspace.Kind.PERSONAL)[:3]
    return [m.workspace for m in found]
