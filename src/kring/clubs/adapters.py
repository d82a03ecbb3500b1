"""Club rows ↔ the seating core's plain data: people's keys, the report, the engine's messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from kring.clubs.models import (
    Attendance,
)
from kring.core.seating import (
    InfeasibleSeating,
    SeatingError,
    SeatingReport,
)


def member_key(user_id: int) -> str:
    return f"u{user_id}"


def plan_summary(report: SeatingReport, *, kept_apart: int, moved: int | None) -> dict[str, Any]:
    """What a meeting keeps of its plan's report (``Meeting.report``) for the page to say."""
    return {
        "repeated_pairs": report.repeated_pairs_with_history,
        "max_pair_meetings": report.max_pair_meetings,
        "hard_violations": list(report.hard_violations),
        "lower_bound": report.lower_bound,
        "kept_apart": kept_apart,
        "moved": moved,
    }


def readable_message(message: str, coming: Sequence[Attendance]) -> str:
    """The engine's message with people's names in place of its keys (u12, g3)."""
    names = {a.key: a.name for a in coming}
    for key in sorted(names, key=len, reverse=True):
        message = message.replace(f"'{key}'", names[key]).replace(key, names[key])
    return message


def seating_error(exc: SeatingError, coming: Sequence[Attendance]) -> str:
    """Why the engine cannot seat the meeting, in the organiser's language where the rule it
    could not keep (``InfeasibleSeating.rule``) says enough. Input the engine refuses is the
    adapter's mistake, not the organiser's: its English message, with names for keys."""
    rule = exc.rule if isinstance(exc, InfeasibleSeating) else None
    if rule == "fixed":
        return _(
            "More people have a fixed seat at a table than it seats: free a seat or give the "
            "table more seats."
        )
    if rule == "capacity":
        return _("More people are coming than there are seats: add a table.")
    # "never together" names the competitors who cannot all be kept apart; the engine's
    # error carries no code with those names yet, and the names matter more than the words.
    return readable_message(str(exc), coming)
