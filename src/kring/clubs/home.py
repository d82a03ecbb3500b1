"""The club's part of its home page: the next meeting and the viewer's answer, the members'
open asks and the viewer's latest referrals, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from kring.accounts.models import User
from kring.clubs.models import Attendance, Meeting, Referral
from kring.clubs.queries import former_members_unnamed, shown_name
from kring.lib import clock
from kring.people.models import Ask
from kring.workspaces.models import Workspace

ASKS_SHOWN = 8
REFERRALS_SHOWN = 5


def club_home(
    user: User, workspace: Workspace, now: dt.datetime
) -> tuple[str, dict[str, Any]] | None:
    if workspace.kind != Workspace.Kind.CLUB:
        return None
    meeting = (
        Meeting.objects.filter(workspace=workspace, starts_at__gte=now)
        .order_by("starts_at")
        .first()
    )
    answer = None
    coming = 0
    if meeting is not None:
        answers = dict(
            Attendance.objects.filter(meeting=meeting, user__isnull=False).values_list(
                "user_id", "answer"
            )
        )
        answer = answers.get(user.pk)
        coming = sum(1 for a in answers.values() if a == Attendance.Answer.YES)
    today = clock.today(clock.zone_of(user), now)
    # The members' asks to the network (never an ask about a person in someone's file).
    asks = list(
        Ask.objects.filter(
            owner__memberships__workspace=workspace,
            person__isnull=True,
            valid_from__lte=today,
            valid_to__gte=today,
        )
        .select_related("owner")
        .order_by("valid_to", "id")[: ASKS_SHOWN + 1]
    )
    referrals = _referrals(user, workspace)
    return "clubs/_home.html", {
        "meeting": meeting,
        "answer": answer,
        "coming": coming,
        "asks": asks[:ASKS_SHOWN],
        "more_asks": len(asks) > ASKS_SHOWN,
        "referrals": referrals,
    }


def _referrals(user: User, workspace: Workspace) -> list[Referral]:
    """The viewer's latest referrals, given or received, with the names to show."""
    found = list(
        Referral.objects.filter(Q(giver=user) | Q(receiver=user), workspace=workspace)
        .select_related("giver", "receiver")
        .order_by("-given_on", "-id")[:REFERRALS_SHOWN]
    )
    if found:
        unnamed = former_members_unnamed(workspace.pk)
        for referral in found:
            referral.giver_shown = shown_name(referral.giver, unnamed)  # type: ignore[attr-defined]
            referral.receiver_shown = shown_name(referral.receiver, unnamed)  # type: ignore[attr-defined]
    return found
