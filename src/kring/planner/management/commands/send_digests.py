"""`python -m django send_digests`: the weekly digest run for cron (or `kring digest --all`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kring.planner.digest import send_digests


class Command(BaseCommand):
    help = "Send this week's keep-warm digest to every user who has not had it yet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="send again this week")

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_digests(force=options["force"])
        self.stdout.write(
            f"sent {len(run.sent)}, skipped {len(run.skipped)}, refused {len(run.refused)}"
        )
        for reason in run.refused:
            self.stderr.write(f"refused: {reason}")
