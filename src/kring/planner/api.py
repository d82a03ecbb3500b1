"""The keep-warm planner in the API: this week's plan, done/skip/snooze, planning again, the
planner's settings and the tier review. The same actions and ``access_*`` reads as the pages:
another user's touch or proposal answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kring.accounts.models import User
from kring.lib import clock
from kring.lib.api import FAILS, api_user
from kring.planner import actions, queries
from kring.planner import schemas as s
from kring.planner.forms import TierFilterForm
from kring.planner.models import PlannedTouch, PlannerSettings, TierProposal
from kring.planner.reasons import reason_text, tier_reason_text

planner = Router(tags=["planner"])


def _touch_out(touch: PlannedTouch) -> dict[str, Any]:
    person = touch.person
    return {
        "id": touch.pk,
        "week": touch.week,
        "person_id": person.pk,
        "person_name": person.full_name,
        "organisation": person.organisation.name if person.organisation else None,
        "tier": person.relationship.tier,
        "channel": touch.channel,
        "minutes": touch.minutes,
        "starts_at": touch.starts_at,
        "reasons": [{"code": code, "text": reason_text(code)} for code in touch.reasons],
        "status": touch.status,
        "interaction_id": touch.interaction_id,
    }


def _plan_out(user: User, week: dt.date, touches: list[PlannedTouch]) -> dict[str, Any]:
    planned = PlannedTouch.Status.PLANNED
    return {
        "week": week,
        "budget_minutes": user.weekly_budget_minutes,
        "minutes": sum(t.minutes for t in touches),
        "open_minutes": sum(t.minutes for t in touches if t.status == planned),
        "touches": [_touch_out(t) for t in touches],
    }


def _settings_out(user: User, found: PlannerSettings) -> dict[str, Any]:
    return {
        "weekly_budget_minutes": user.weekly_budget_minutes,
        "a_min_days": found.a_min_days,
        "a_max_days": found.a_max_days,
        "b_days": found.b_days,
        "max_unanswered": found.max_unanswered,
        "snooze_days": found.snooze_days,
        "slots": [{"weekday": day, "time": time} for day, time in found.slots],
        "digest_enabled": found.digest_enabled,
        "last_review_at": found.last_review_at,
    }


def _proposal_out(proposal: TierProposal) -> dict[str, Any]:
    relationship = proposal.relationship
    return {
        "id": proposal.pk,
        "person_id": relationship.person_id,
        "person_name": relationship.person.full_name,
        "tier": relationship.tier,
        "proposed": proposal.proposed,
        "reason": {"code": proposal.reason, "text": tier_reason_text(proposal.reason)},
        "created_at": proposal.created_at,
        "decision": proposal.decision,
        "decided_tier": proposal.decided_tier,
    }


def _week_of(user: User, day: dt.date | None, now: dt.datetime) -> dt.date:
    return queries.week_start(day or clock.local_date(now, clock.zone_of(user)))


@planner.get("/plan", response={200: s.PlanOut, **FAILS})
def get_plan(request: HttpRequest, week: dt.date | None = None) -> dict[str, Any]:
    """The touches of a week (any day of it; default: this week), in slot order. A week that
    is not over and has no plan yet is planned first, as the plan page does."""
    user = api_user(request)
    now = clock.now()
    monday = _week_of(user, week, now)
    touches = actions.week_plan_ensure(user=user, now=now, week=monday, via="api")
    return _plan_out(user, monday, touches)


@planner.post("/plan/rebuild", response={200: s.PlanOut, **FAILS})
def rebuild_plan(request: HttpRequest, payload: s.RebuildIn) -> dict[str, Any]:
    """Plan the week again: its open touches are replaced; what was done, skipped or snoozed
    stays."""
    user = api_user(request)
    now = clock.now()
    monday = _week_of(user, payload.week, now)
    _plan, touches = actions.week_plan_build(user=user, now=now, week=monday, via="api")
    return _plan_out(user, monday, touches)


@planner.post("/touches/{touch_id}/done", response={200: s.TouchOut, **FAILS})
def touch_done(request: HttpRequest, touch_id: int, payload: s.DoneIn) -> dict[str, Any]:
    """Done: the touch becomes an interaction on the person's timeline."""
    user = api_user(request)
    touch = queries.access_touch_by_id(user, touch_id)
    actions.touch_done(actor=user, touch=touch, now=clock.now(), via="api", **payload.dict())
    return _touch_out(touch)


@planner.post("/touches/{touch_id}/skip", response={200: s.TouchOut, **FAILS})
def touch_skip(request: HttpRequest, touch_id: int) -> dict[str, Any]:
    user = api_user(request)
    touch = queries.access_touch_by_id(user, touch_id)
    actions.touch_skip(actor=user, touch=touch, via="api")
    return _touch_out(touch)


@planner.post("/touches/{touch_id}/snooze", response={200: s.TouchOut, **FAILS})
def touch_snooze(request: HttpRequest, touch_id: int, payload: s.SnoozeIn) -> dict[str, Any]:
    """Leave the person alone for ``days``: nothing is planned with them before."""
    user = api_user(request)
    touch = queries.access_touch_by_id(user, touch_id)
    actions.touch_snooze(actor=user, touch=touch, days=payload.days, now=clock.now(), via="api")
    return _touch_out(touch)


@planner.get("/planner/settings", response=s.PlannerSettingsOut)
def get_settings(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    return _settings_out(user, actions.planner_settings_get(user))


@planner.patch("/planner/settings", response={200: s.PlannerSettingsOut, **FAILS})
def update_settings(request: HttpRequest, payload: s.PlannerSettingsPatch) -> dict[str, Any]:
    """Cadences, the follow-up guard, networking slots, the digest and the weekly time; fields
    left out stay as they are. All of it is saved, or (on a bad value) none."""
    user = api_user(request)
    fields = payload.dict(exclude_unset=True)
    budget = fields.pop("weekly_budget_minutes", None)
    if fields.get("slots") is not None:
        fields["slots"] = [[slot["weekday"], slot["time"]] for slot in fields["slots"]]
    with transaction.atomic():
        found = actions.planner_settings_update(user=user, via="api", **fields)
        if budget is not None and budget != user.weekly_budget_minutes:
            # A new weekly time plans the current week again within it.
            actions.weekly_budget_set(user=user, minutes=budget, now=clock.now(), via="api")
    return _settings_out(user, found)


@planner.get("/tier-proposals", response=list[s.TierProposalOut])
@paginate(LimitOffsetPagination)
def list_tier_proposals(request: HttpRequest) -> list[dict[str, Any]]:
    """The tier review's proposals still to decide, by name."""
    return [_proposal_out(p) for p in queries.pending_proposals(api_user(request))]


@planner.post("/tier-proposals", response={201: list[s.TierProposalOut], **FAILS})
def review_tiers(request: HttpRequest) -> Status:
    """Run the tier review: proposals from strength, favours and stars replace the pending
    ones. Answers the new proposals."""
    user = api_user(request)
    actions.tier_review_propose(user=user, now=clock.now(), via="api")
    return Status(201, [_proposal_out(p) for p in queries.pending_proposals(user)])


@planner.post("/tier-proposals/accept", response={200: list[s.TierProposalOut], **FAILS})
def accept_tier_proposals(request: HttpRequest, change: str = "", tier: str = "") -> Status:
    """Accept every pending proposal at once, or those of one ``change`` ("A-C": from tier A
    to C) and/or one proposed ``tier``. Answers the proposals accepted."""
    user = api_user(request)
    filters = TierFilterForm({"change": change, "tier": tier})
    if not filters.is_valid():
        raise ValidationError({"change": _("Choose a change and a tier from the lists.")})
    accepted = actions.tier_review_accept_all(
        actor=user, proposals=queries.pending_proposals(user, **filters.cleaned_data), via="api"
    )
    return Status(200, [_proposal_out(p) for p in accepted])


@planner.post(
    "/tier-proposals/{tier_proposal_id}/decide", response={200: s.TierProposalOut, **FAILS}
)
def decide_tier(request: HttpRequest, tier_proposal_id: int, payload: s.DecideIn) -> dict[str, Any]:
    """Accept the proposal (``tier`` as proposed) or choose another tier."""
    user = api_user(request)
    proposal = queries.access_proposal_by_id(user, tier_proposal_id)
    actions.tier_review_decide(actor=user, proposal=proposal, tier=payload.tier, via="api")
    return _proposal_out(proposal)


routers = [planner]
