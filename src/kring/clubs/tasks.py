"""Large meetings are seated by the worker (`kring worker`), with progress the page polls."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from kring.accounts.models import User
from kring.clubs.actions import meeting_seat
from kring.clubs.models import Meeting, SeatingState


@task()
def seat_meeting_task(
    meeting_id: int,
    actor_id: int,
    policy: float | None,
    keep: bool,
    via: str,
    hostless: bool = False,
) -> str:
    meeting = Meeting.objects.select_related("workspace").get(pk=meeting_id)
    actor = User.objects.get(pk=actor_id)
    Meeting.objects.filter(pk=meeting_id).update(seating_state=SeatingState.RUNNING)
    # What went wrong is kept as a sentence for the page: in the organiser's language.
    with translation.override(actor.language or None):
        try:
            meeting_seat(
                actor=actor, meeting=meeting, policy=policy, keep=keep, hostless=hostless, via=via
            )
        except ValidationError as exc:
            Meeting.objects.filter(pk=meeting_id).update(
                seating_state=SeatingState.FAILED, seating_error="; ".join(exc.messages)[:500]
            )
            return "failed"
        except Exception:
            Meeting.objects.filter(pk=meeting_id).update(
                seating_state=SeatingState.FAILED, seating_error=_("An error stopped the seating.")
            )
            raise
    return "seated"
