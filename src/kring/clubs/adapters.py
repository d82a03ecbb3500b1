"""Club rows ↔ the seating core's plain data: people's keys, the report, the engine's messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kring.clubs.models import (
    Attendance,
)
from kring.core.seating import (
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
