"""What a workspace's home page shows besides its members: the apps above this one (clubs:
the next meeting, open asks, referrals) each add a panel, without this app importing them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kring.workspaces.models import Workspace

# A panel: (the viewer, the workspace, now) -> (a template, its context), or None to show
# nothing on this workspace. The viewer is a kring.accounts User (an app above this one).
Panel = Callable[[Any, Workspace, dt.datetime], tuple[str, dict[str, Any]] | None]
_PANELS: dict[str, Panel] = {}


def register(name: str, panel: Panel) -> None:
    """Add (or replace) a panel on every workspace home page; an app calls it in ready()."""
    _PANELS[name] = panel


def panels(user: Any, workspace: Workspace, *, now: dt.datetime) -> list[dict[str, Any]]:
    """The panels to show, in the order the apps registered them: each a dict with the
    template and its context (``panel``)."""
    shown = []
    for panel in _PANELS.values():
        found = panel(user, workspace, now)
        if found is not None:
            template, context = found
            shown.append({"template": template, "panel": context})
    return shown
