"""Before a meeting, a member names fellow members they would like to sit with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.clubs.actions.meetings import require_member
from kring.clubs.models import Meeting, WantToMeet

# A short list: a wish among many stops being one the seating can keep.
MAX_WISHES = 5


@transaction.atomic
def want_to_meet_set(
    *, actor: User, meeting: Meeting, others: Sequence[User], now: dt.datetime, via: str = ""
) -> list[WantToMeet]:
    """Replace ``actor``'s list of members they want to meet at ``meeting`` (empty: none).
    The next seating weighs the wishes by its dial; the member met sees why they sit together."""
    require_member(actor, meeting.workspace)
    if meeting.starts_at < now:
        raise ValidationError({"others": _("This meeting has already begun.")})
    unique = list({u.pk: u for u in others}.values())
    if len(unique) > MAX_WISHES:
        raise ValidationError(
            {"others": _("Choose at most %(n)s members.") % {"n": MAX_WISHES}}, code="too_many"
        )
    if any(u.pk == actor.pk for u in unique):
        raise ValidationError({"others": _("Choose members other than yourself.")})
    members = set(
        meeting.workspace.memberships.filter(user__in=unique).values_list("user_id", flat=True)
    )
    for user in unique:
        if user.pk not in members:
            raise ValidationError(
                {"others": _("%(name)s is not a member of the club.") % {"name": user.name}}
            )
    WantToMeet.objects.filter(meeting=meeting, member=actor).delete()
    wishes = [WantToMeet(meeting=meeting, member=actor, other=user) for user in unique]
    for wish in wishes:
        wish.full_clean(validate_unique=False, validate_constraints=False)
    WantToMeet.objects.bulk_create(wishes)
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=meeting, fields=["wishes"], via=via
    )
    return wishes
