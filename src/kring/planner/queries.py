"""Permission-checked reads for the planner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from kring.accounts.models import User
from kring.core.dates import week_start
from kring.lib.errors import NotFound
from kring.people.models import Relationship, Tier
from kring.planner.models import CalendarFeed, PlannedTouch, TierProposal
from kring.workspaces.actions import token_digest

__all__ = [
    "PlanSidebar",
    "ProposalChange",
    "access_proposal_by_id",
    "access_touch_by_id",
    "has_live_feed",
    "pending_changes",
    "pending_proposals",
    "plan_sidebar",
    "touches_for_week",
    "user_by_feed_token",
    "week_start",
]


def access_touch_by_id(user: User, touch_id: object) -> PlannedTouch:
    try:
        return PlannedTouch.objects.select_related("person").get(
            pk=int(touch_id),  # type: ignore[call-overload]
            owner=user,
        )
    except (PlannedTouch.DoesNotExist, TypeError, ValueError):
        raise NotFound("touch", touch_id) from None


def access_proposal_by_id(user: User, proposal_id: object) -> TierProposal:
    try:
        return TierProposal.objects.select_related("relationship__person").get(
            pk=int(proposal_id),  # type: ignore[call-overload]
            relationship__owner=user,
        )
    except (TierProposal.DoesNotExist, TypeError, ValueError):
        raise NotFound("proposal", proposal_id) from None


def touches_for_week(user: User, week: dt.date) -> QuerySet[PlannedTouch]:
    return (
        PlannedTouch.objects.filter(owner=user, week=week)
        .select_related("person", "person__organisation", "person__relationship")
        .order_by("starts_at", "-value", "id")
    )


def user_by_feed_token(token: str) -> User:
    """The owner of a live calendar feed; not found alike for wrong and revoked tokens."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise NotFound("feed", "")
    return feed.user


def pending_proposals(user: User, *, change: str = "", tier: str = "") -> QuerySet[TierProposal]:
    """The proposals still to decide, by name; ``change`` ("A-C": from tier A to C) and
    ``tier`` (the proposed tier) narrow them. An unknown filter value matches nothing."""
    found = TierProposal.objects.filter(
        relationship__owner=user, decision=TierProposal.Decision.PENDING
    )
    if change:
        now, _sep, proposed = change.partition("-")
        found = found.filter(relationship__tier=now, proposed=proposed)
    if tier:
        found = found.filter(proposed=tier)
    return found.select_related(
        "relationship__person", "relationship__person__organisation"
    ).order_by("relationship__person__sort_name", "id")


@dataclass(frozen=True)
class ProposalChange:
    now: str  # the tier the relationship has
    proposed: str
    count: int

    @property
    def key(self) -> str:
        return f"{self.now}-{self.proposed}"


def pending_changes(user: User) -> list[ProposalChange]:
    """How many pending proposals move a relationship from which tier to which: the review's
    filter choices."""
    rows = (
        TierProposal.objects.filter(
            relationship__owner=user, decision=TierProposal.Decision.PENDING
        )
        .values("relationship__tier", "proposed")
        .annotate(count=Count("id"))
        .order_by("relationship__tier", "proposed")
    )
    return [ProposalChange(r["relationship__tier"], r["proposed"], r["count"]) for r in rows]


@dataclass(frozen=True)
class PlanSidebar:
    automate_count: int  # relationships in tier C, kept up by automation
    snoozed: list[Relationship]  # the first ten snoozed ones, the soonest back first


def plan_sidebar(user: User, *, today: dt.date) -> PlanSidebar:
    """What the plan page shows beside the week: tier C's size and who is snoozed."""
    relationships = Relationship.objects.filter(owner=user)
    return PlanSidebar(
        automate_count=relationships.filter(tier=Tier.C).count(),
        snoozed=list(
            relationships.filter(snoozed_until__gt=today)
            .select_related("person")
            .order_by("snoozed_until")[:10]
        ),
    )


def has_live_feed(user: User) -> bool:
    """Whether the user's private calendar link works."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()
