"""Sending the weekly digests: one entry point for the CLI, the management command (cron) and
the task worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kring.accounts.models import User
from kring.lib import clock
from kring.planner.actions import DigestRefused, digest_send


@dataclass
class DigestRun:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def send_digests(
    *, users: list[User] | None = None, now: dt.datetime | None = None, force: bool = False
) -> DigestRun:
    """Send this week's digest to each user (every active user by default) who has not had it."""
    now = now or clock.now()
    run = DigestRun()
    targets = users if users is not None else list(User.objects.filter(is_active=True))
    for user in targets:
        try:
            sent = digest_send(user=user, now=now, force=force)
        except DigestRefused as exc:
            run.refused.append(str(exc))
            continue
        (run.sent if sent else run.skipped).append(user.email)
    return run
