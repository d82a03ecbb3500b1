"""Writes of the keep-warm planner: settings, the week's plan, done/skip/snooze, tier review,
the calendar feed and the weekly digest."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kring.accounts.actions import user_update_settings
from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.core.dates import at_local_time, week_start
from kring.core.planning import InvalidPlanInput, WeeklyPlan, plan_week
from kring.core.tiers import InvalidTierInput, propose_tiers
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.people.actions import interaction_log, relationship_update
from kring.people.models import Relationship, Tier
from kring.planner.adapters import cadences, plan_people, relationship_facts, tier_inputs
from kring.planner.messages import plan_error, tier_error
from kring.planner.models import CalendarFeed, PlannedTouch, PlannerSettings, TierProposal
from kring.planner.queries import touches_for_week
from kring.workspaces.actions import token_digest

logger = logging.getLogger(__name__)

SETTINGS_FIELDS = (
    "a_min_days",
    "a_max_days",
    "b_days",
    "max_unanswered",
    "snooze_days",
    "slots",
    "digest_enabled",
)


def planner_settings_get(user: User) -> PlannerSettings:
    """The user's planner settings, made with the defaults on first use."""
    found, _created = PlannerSettings.objects.get_or_create(user=user)
    return found


def _check_slots(slots: Any) -> None:
    problem = ValidationError({"slots": _('Give slots as [weekday 0–6, "HH:MM"] pairs.')})
    if not isinstance(slots, list) or not slots or len(slots) > 14:
        raise problem
    for slot in slots:
        if not (isinstance(slot, list | tuple) and len(slot) == 2):
            raise problem
        day, time = slot
        if not isinstance(day, int) or not 0 <= day <= 6:
            raise problem
        try:
            dt.time.fromisoformat(str(time))
        except ValueError:
            raise problem from None


@transaction.atomic
def planner_settings_update(*, user: User, via: str = "", **fields: Any) -> PlannerSettings:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"planner_settings_update() got unexpected fields {sorted(unknown)}")
    found = planner_settings_get(user)
    for name, value in fields.items():
        setattr(found, name, value)
    found.full_clean()
    if found.a_min_days > found.a_max_days:
        raise ValidationError({"a_max_days": _("Give a maximum at least as long as the minimum.")})
    _check_slots(found.slots)
    found.save()
    audit_record(
        actor=user, action=AuditEntry.Action.UPDATE, instance=found, fields=fields, via=via
    )
    return found


def _slot_times(found: PlannerSettings, week: dt.date, zone: ZoneInfo) -> list[dt.datetime]:
    """The week's slots as moments: the user's wall-clock times in their own zone, also in the
    weeks the clocks change."""
    return [
        at_local_time(week + dt.timedelta(days=day), dt.time.fromisoformat(hhmm), zone)
        for day, hhmm in sorted(found.slots, key=lambda s: (s[0], s[1]))
    ]


def _assign_slots(
    plan: WeeklyPlan, slots: list[dt.datetime], budget: int, zone: ZoneInfo
) -> dict[object, dt.datetime]:
    """Each touch goes to the first slot on or after its suggested day that still has room;
    within a slot the touches follow each other."""
    room = max(5, budget // max(1, len(slots)))
    used = [0] * len(slots)
    days = [clock.local_date(slot, zone) for slot in slots]
    starts: dict[object, dt.datetime] = {}
    for touch in sorted(plan.touches, key=lambda t: (t.day, -t.value)):
        choice = None
        for i in range(len(slots)):
            if days[i] >= touch.day and used[i] + touch.minutes <= room:
                choice = i
                break
        if choice is None:  # no room left on or after its day: the latest possible slot
            later = [i for i in range(len(slots)) if days[i] >= touch.day]
            choice = later[-1] if later else len(slots) - 1
        starts[touch.key] = slots[choice] + dt.timedelta(minutes=used[choice])
        used[choice] += touch.minutes
    return starts


@transaction.atomic
def week_plan_build(
    *, user: User, now: dt.datetime, week: dt.date | None = None, via: str = ""
) -> tuple[WeeklyPlan, list[PlannedTouch]]:
    """Plan the week: replace its still-planned touches, keep what was done, skipped or
    snoozed, and snooze the people the follow-up guard holds back."""
    zone = clock.zone_of(user)
    today = clock.local_date(now, zone)
    week = week or week_start(today)
    if week.weekday() != 0:
        raise ValidationError({"week": _("A week starts on a Monday.")})
    found = planner_settings_get(user)
    facts = relationship_facts(user, now=now)
    people = plan_people(user, week=week, now=now, facts=facts)
    try:
        plan = plan_week(
            people,
            week_start=week,
            budget_minutes=user.weekly_budget_minutes,
            cadences=cadences(found),
            max_unanswered=found.max_unanswered,
            snooze_days=found.snooze_days,
        )
    except InvalidPlanInput as exc:
        logger.warning("plan_week refused its input: %s", exc)
        raise ValidationError({"plan": plan_error(exc)}) from None
    PlannedTouch.objects.filter(owner=user, week=week, status=PlannedTouch.Status.PLANNED).delete()
    starts = _assign_slots(plan, _slot_times(found, week, zone), user.weekly_budget_minutes, zone)
    PlannedTouch.objects.bulk_create(
        [
            PlannedTouch(
                owner=user,
                person_id=cast(int, t.key),
                week=week,
                reasons=list(t.reasons),
                channel=t.channel,
                minutes=t.minutes,
                value=t.value,
                starts_at=starts[t.key],
            )
            for t in plan.touches
        ]
    )
    for person_id, until in plan.snoozes.items():
        Relationship.objects.filter(owner=user, person_id=cast(int, person_id)).update(
            snoozed_until=until
        )
    audit_record(
        actor=user, action=AuditEntry.Action.CREATE, entity="weekplan", fields=["week"], via=via
    )
    return plan, list(touches_for_week(user, week))


@transaction.atomic
def weekly_budget_set(
    *, user: User, minutes: int, now: dt.datetime, week: dt.date | None = None, via: str = ""
) -> list[PlannedTouch]:
    """Set the weekly networking time and plan the week again within it (the current week,
    or ``week`` when it is not in the past): what was done, skipped or snoozed stays."""
    user_update_settings(user=user, weekly_budget_minutes=minutes, via=via)
    today_week = week_start(clock.local_date(now, clock.zone_of(user)))
    chosen = week if week is not None and week >= today_week else today_week
    _plan, touches = week_plan_build(user=user, now=now, week=chosen, via=via)
    return touches


def _check_open(actor: User, touch: PlannedTouch) -> None:
    if touch.owner_id != actor.pk:
        raise NotFound("touch", touch.pk)
    if touch.status != PlannedTouch.Status.PLANNED:
        raise ValidationError({"status": _("This touch is no longer open.")})


@transaction.atomic
def touch_done(
    *,
    actor: User,
    touch: PlannedTouch,
    answered: bool | None,
    minutes: int | None = None,
    summary: str = "",
    now: dt.datetime | None = None,
    via: str = "",
) -> PlannedTouch:
    """Mark a touch done: it becomes an interaction on the person's timeline."""
    _check_open(actor, touch)
    interaction = interaction_log(
        owner=actor,
        people=[touch.person],
        occurred_at=now or clock.now(),
        channel=touch.channel,
        minutes=minutes or touch.minutes,
        initiated_by="me",
        answered=answered,
        summary=summary,
        via=via,
    )
    touch.status = PlannedTouch.Status.DONE
    touch.interaction = interaction
    touch.save(update_fields=["status", "interaction"])
    return touch


@transaction.atomic
def touch_skip(*, actor: User, touch: PlannedTouch, via: str = "") -> PlannedTouch:
    _check_open(actor, touch)
    touch.status = PlannedTouch.Status.SKIPPED
    touch.save(update_fields=["status"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=touch, fields=["status"], via=via
    )
    return touch


@transaction.atomic
def touch_snooze(
    *, actor: User, touch: PlannedTouch, days: int, now: dt.datetime, via: str = ""
) -> PlannedTouch:
    """Leave the person alone for a while: no touch is planned before the snooze ends."""
    _check_open(actor, touch)
    if not 1 <= days <= 730:
        raise ValidationError({"days": _("Snooze for 1 to 730 days.")})
    relationship = touch.person.relationship
    relationship_update(
        actor=actor,
        relationship=relationship,
        snoozed_until=clock.local_date(now, clock.zone_of(actor)) + dt.timedelta(days=days),
        via=via,
    )
    touch.status = PlannedTouch.Status.SNOOZED
    touch.save(update_fields=["status"])
    return touch


@transaction.atomic
def tier_review_propose(*, user: User, now: dt.datetime, via: str = "") -> list[TierProposal]:
    """Propose tiers from strength, favours and stars; replaces the pending proposals."""
    facts = relationship_facts(user, now=now)
    try:
        proposals = [p for p in propose_tiers(tier_inputs(user, facts)) if p.changed]
    except InvalidTierInput as exc:
        logger.warning("propose_tiers refused its input: %s", exc)
        raise ValidationError({"tiers": tier_error(exc)}) from None
    TierProposal.objects.filter(
        relationship__owner=user, decision=TierProposal.Decision.PENDING
    ).delete()
    made = TierProposal.objects.bulk_create(
        [
            TierProposal(relationship_id=cast(int, p.key), proposed=p.tier, reason=p.reason)
            for p in proposals
        ]
    )
    found = planner_settings_get(user)
    found.last_review_at = now
    found.save(update_fields=["last_review_at"])
    audit_record(actor=user, action=AuditEntry.Action.CREATE, entity="tierreview", via=via)
    return made


@transaction.atomic
def tier_review_decide(
    *, actor: User, proposal: TierProposal, tier: str, via: str = ""
) -> TierProposal:
    """Accept a proposal (``tier`` equal to it) or override it with another tier."""
    relationship = proposal.relationship
    if relationship.owner_id != actor.pk:
        raise NotFound("proposal", proposal.pk)
    if tier not in Tier.values:
        raise ValidationError({"tier": _("Unknown tier %(tier)r.") % {"tier": tier}})
    if proposal.decision != TierProposal.Decision.PENDING:
        raise ValidationError({"decision": _("This proposal was decided already.")})
    relationship_update(actor=actor, relationship=relationship, tier=tier, via=via)
    proposal.decision = (
        TierProposal.Decision.ACCEPTED
        if tier == proposal.proposed
        else TierProposal.Decision.OVERRIDDEN
    )
    proposal.decided_tier = tier
    proposal.save(update_fields=["decision", "decided_tier"])
    return proposal


@transaction.atomic
def tier_review_accept_all(
    *, actor: User, proposals: Iterable[TierProposal], via: str = ""
) -> list[TierProposal]:
    """Accept every given pending proposal at once (the review's "accept all"): each
    relationship gets its proposed tier; proposals decided already or not the actor's are
    refused before anything changes."""
    chosen = list(proposals)
    for proposal in chosen:
        if proposal.relationship.owner_id != actor.pk:
            raise NotFound("proposal", proposal.pk)
        if proposal.decision != TierProposal.Decision.PENDING:
            raise ValidationError({"decision": _("This proposal was decided already.")})
    for proposal in chosen:
        relationship_update(
            actor=actor, relationship=proposal.relationship, tier=proposal.proposed, via=via
        )
        proposal.decision = TierProposal.Decision.ACCEPTED
        proposal.decided_tier = proposal.proposed
    TierProposal.objects.bulk_update(chosen, ["decision", "decided_tier"])
    return chosen


@transaction.atomic
def feed_create(*, user: User, via: str = "") -> tuple[CalendarFeed, str]:
    """A new private calendar feed; any earlier feed of the user stops working."""
    now = clock.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, digest=token_digest(token))
    audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=feed, via=via)
    return feed, token


@transaction.atomic
def feed_revoke(*, user: User, via: str = "") -> int:
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
    audit_record(actor=user, action=AuditEntry.Action.ERASE, entity="calendarfeed", via=via)
    return revoked


class DigestRefused(Exception):
    """A digest that cannot be sent, with the reason in words."""


def digest_send(
    *, user: User, now: dt.datetime, force: bool = False, connection: Any = None
) -> bool:
    """Send the week's plan to the user by e-mail, in their language. Returns whether it was
    sent; a user who got this week's digest already is skipped unless ``force``."""
    if not user.email:
        raise DigestRefused(f"user {user.pk} has no e-mail address")
    found = planner_settings_get(user)
    zone = clock.zone_of(user)
    week = week_start(clock.local_date(now, zone))
    if not force and (not found.digest_enabled or found.last_digest_week == week):
        return False
    touches = list(touches_for_week(user, week))
    if not touches:
        _plan, touches = week_plan_build(user=user, now=now, week=week, via="digest")
    open_touches = [t for t in touches if t.status == PlannedTouch.Status.PLANNED]
    with translation.override(user.language), timezone.override(zone):
        # Introductions others asked of this user: the weekly reminder, never more often.
        from kring.network.models import Introduction

        waiting = list(
            Introduction.objects.filter(connector=user, status=Introduction.Status.REQUESTED)
            .select_related("requester", "target")
            .order_by("created_at")
        )
        context = {
            "user": user,
            "week": week,
            "touches": open_touches,
            "minutes": sum(t.minutes for t in open_touches),
            "introductions": waiting,
        }
        subject = render_to_string("planner/digest_subject.txt", context).strip()
        body = render_to_string("planner/digest_email.txt", context)
    message = EmailMessage(
        subject,
        body,
        django_settings.DEFAULT_FROM_EMAIL,
        [user.email],
        connection=connection or get_connection(),
        headers={"Content-Language": user.language},
    )
    message.send()
    found.last_digest_week = week
    found.save(update_fields=["last_digest_week"])
    return True


def week_plan_ensure(
    *, user: User, now: dt.datetime, week: dt.date, via: str = ""
) -> list[PlannedTouch]:
    """The week's touches; a week that is not over and has none yet is planned first, as the
    plan page does when it opens."""
    touches = list(touches_for_week(user, week))
    if not touches and week >= week_start(clock.local_date(now, clock.zone_of(user))):
        _plan, touches = week_plan_build(user=user, now=now, week=week, via=via)
    return touches
