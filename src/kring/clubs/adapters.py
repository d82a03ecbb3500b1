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
from kring.core.seating.tonight import TonightReport


def member_key(user_id: int) -> str:
    return f"u{user_id}"


def plan_summary(
    report: SeatingReport,
    *,
    kept_apart: int,
    moved: int | None,
    tonight: TonightReport | None = None,
    season_max: int | None = None,
    policy: float | None = None,
    hostless: Sequence[str] = (),
    affinity: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """What a meeting keeps of its plan's report (``Meeting.report``) for the page to say.

    The first keys are the season's figures (reports written before "tonight" existed have
    only these, and the page still reads them); ``tonight`` measures this meeting alone
    against a bound for this meeting; ``affinity`` is (pairs with a reason to meet among those
    coming, of them seated together)."""
    summary: dict[str, Any] = {
        "repeated_pairs": report.repeated_pairs_with_history,
        "max_pair_meetings": report.max_pair_meetings,
        "hard_violations": list(report.hard_violations),
        "lower_bound": report.lower_bound,
        "kept_apart": kept_apart,
        "moved": moved,
    }
    if tonight is not None:
        summary["tonight"] = {
            "repeats": tonight.repeats,
            "by_times": [list(pair) for pair in tonight.by_times],
            "lower_bound": tonight.lower_bound,
            "most_times": tonight.most_times,
        }
        summary["season"] = {
            "repeated_pairs": report.repeated_pairs_with_history,
            "most_times": season_max,
        }
    if policy is not None:
        summary["policy"] = policy
    summary["hostless"] = list(hostless)
    if affinity is not None:
        summary["affinity"] = {"pairs": affinity[0], "together": affinity[1]}
    return summary


def readable_message(message: str, coming: Sequence[Attendance]) -> str:
    """The engine's message with people's names in place of its keys (u12, g3)."""
    names = {a.key: a.name for a in coming}
    for key in sorted(names, key=len, reverse=True):
        message = message.replace(f"'{key}'", names[key]).replace(key, names[key])
    return message
