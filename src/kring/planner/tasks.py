"""Background work of the planner, for `kring worker` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from kring.planner.digest import send_digests


@task()
def send_weekly_digests() -> dict[str, int]:
    run = send_digests()
    return {"sent": len(run.sent), "skipped": len(run.skipped), "refused": len(run.refused)}
