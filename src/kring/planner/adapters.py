"""Rows ↔ the planner core's plain data.

One pass over a user's interactions (through the interaction↔person link table) gives every
relationship's strength, familiarity, cooling flag, last touch, last shared meeting and the
follow-up guard's count of unanswered messages in a row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone

from kring.accounts.models import User
from kring.core.names import fold
from kring.core.planning import Cadence, PlanPerson
from kring.core.strength import strengths_many, touch_codes, touch_weights
from kring.core.tiers import TierInput
from kring.people.models import Ask, Channel, Favour, Interaction, Person, Relationship
from kring.planner.models import PlannedTouch, PlannerSettings

SHARED_MEETING_CHANNELS = (Channel.EVENT, Channel.SMALL_GROUP)


@dataclass(frozen=True)
class RelationshipFacts:
    """What the interactions say about one relationship."""

    person_id: int
    tier: str
    score: float
    cooling: bool
    familiarity: int
    last_touch: dt.datetime | None
    last_shared_meeting: dt.date | None
    unanswered_in_row: int


def relationship_facts(user: User, *, now: dt.datetime) -> dict[int, RelationshipFacts]:
    """Strength and the rest for every relationship of ``user``, keyed by person id."""
    relationships = list(
        Relationship.objects.filter(owner=user).values_list("person_id", "tier", "snoozed_until")
    )
    index = {person_id: i for i, (person_id, _, _) in enumerate(relationships)}
    rows = list(
        Interaction.people.through.objects.filter(interaction__owner=user)
        .order_by("person_id", "interaction__occurred_at", "interaction_id")
        .values_list(
            "person_id",
            "interaction__occurred_at",
            "interaction__channel",
            "interaction__minutes",
            "interaction__initiated_by",
            "interaction__answered",
        )
    )
    count = len(relationships)
    if rows:
        person, when, channel, minutes, initiated_by, answered = zip(*rows, strict=True)
        rel = np.fromiter((index[p] for p in person), dtype=np.int64, count=len(rows))
        stamps = np.fromiter((w.timestamp() for w in when), dtype=np.float64, count=len(rows))
        codes = touch_codes(channel, initiated_by, answered)
        weight, conversation = touch_weights(*codes, np.asarray(minutes, dtype=np.float64))
        arrays = strengths_many(rel, stamps, weight, conversation, count=count, now=now.timestamp())
        score, cooling, familiarity = arrays.score, arrays.cooling, arrays.familiarity
    else:
        score = np.zeros(count)
        cooling = np.zeros(count, dtype=bool)
        familiarity = np.zeros(count, dtype=np.int64)

    last_touch: dict[int, dt.datetime] = {}
    last_meeting: dict[int, dt.date] = {}
    unanswered: dict[int, int] = defaultdict(int)
    snoozes = {p: s for p, _, s in relationships if s is not None}
    for person_id, occurred_at, channel_code, _m, by, was_answered in rows:
        last_touch[person_id] = occurred_at  # rows are in time order per person
        if channel_code in SHARED_MEETING_CHANNELS:
            last_meeting[person_id] = timezone.localtime(occurred_at).date()
        snooze_end = snoozes.get(person_id)
        if snooze_end is not None and timezone.localtime(occurred_at).date() < snooze_end:
            # The guard counts only what happened since the last snooze began to end.
            continue
        if by == "me" and was_answered is False:
            unanswered[person_id] += 1
        elif by != "me" or was_answered:
            unanswered[person_id] = 0
    return {
        person_id: RelationshipFacts(
            person_id=person_id,
            tier=tier,
            score=float(score[i]),
            cooling=bool(cooling[i]),
            familiarity=int(familiarity[i]),
            last_touch=last_touch.get(person_id),
            last_shared_meeting=last_meeting.get(person_id),
            unanswered_in_row=unanswered.get(person_id, 0),
        )
        for person_id, tier, _ in relationships
        for i in (index[person_id],)
    }


def _matches(ask: Ask, person: dict[str, Any]) -> bool:
    wanted = [
        (ask.role, person["title"], "in"),
        (ask.sector, person["sector"], "eq"),
        (ask.region, person["region"], "eq"),
        (ask.organisation_name, person["organisation"], "eq"),
    ]
    given = [(fold(w), fold(h), how) for w, h, how in wanted if w.strip()]
    if not given:
        return False  # an ask in free words only: the planner cannot judge it
    return all((w in h) if how == "in" else (w == h) for w, h, how in given)


def answerable_asks(user: User, *, today: dt.date) -> dict[int, int]:
    """Per person: how many of their open asks someone else in the user's file fits."""
    asks = list(
        Ask.objects.filter(
            owner=user, person__isnull=False, valid_from__lte=today, valid_to__gte=today
        )
    )
    if not asks:
        return {}
    people = [
        {
            "id": p["id"],
            "title": p["title"],
            "sector": p["sector"] or p["organisation__sector"] or "",
            "region": p["region"] or p["organisation__region"] or "",
            "organisation": p["organisation__name"] or "",
        }
        for p in Person.objects.filter(owner=user).values(
            "id",
            "title",
            "sector",
            "region",
            "organisation__sector",
            "organisation__region",
            "organisation__name",
        )
    ]
    result: dict[int, int] = defaultdict(int)
    for ask in asks:
        if any(p["id"] != ask.person_id and _matches(ask, p) for p in people):
            result[ask.person_id] += 1  # type: ignore[index]
    return dict(result)


def favour_balance(user: User) -> dict[int, tuple[int, int]]:
    """Per person: (favours given, favours received)."""
    rows = (
        Favour.objects.filter(owner=user)
        .values("person_id")
        .annotate(
            given=Count("id", filter=Q(direction=Favour.Direction.GIVEN)),
            received=Count("id", filter=Q(direction=Favour.Direction.RECEIVED)),
        )
    )
    return {r["person_id"]: (r["given"], r["received"]) for r in rows}


def plan_people(
    user: User, *, week: dt.date, now: dt.datetime, facts: dict[int, RelationshipFacts]
) -> list[PlanPerson]:
    """The planner's view of every relationship for the week starting on ``week``."""
    relationships = Relationship.objects.filter(owner=user).values_list(
        "person_id", "tier", "snoozed_until", "dont_contact_before", "person__birthday"
    )
    favours = favour_balance(user)
    asks = answerable_asks(user, today=timezone.localtime(now).date())
    already = set(
        PlannedTouch.objects.filter(owner=user, week=week)
        .exclude(status=PlannedTouch.Status.PLANNED)
        .values_list("person_id", flat=True)
    )
    people = []
    for person_id, tier, snoozed, not_before, birthday in relationships:
        fact = facts[person_id]
        given, received = favours.get(person_id, (0, 0))
        people.append(
            PlanPerson(
                key=person_id,
                tier=tier,
                strength=fact.score,
                cooling=fact.cooling,
                last_touch=timezone.localtime(fact.last_touch).date() if fact.last_touch else None,
                birthday=birthday,
                last_shared_meeting=fact.last_shared_meeting,
                open_asks_answerable=asks.get(person_id, 0),
                favours_owed=max(0, received - given),
                familiarity=fact.familiarity,
                unanswered_in_row=fact.unanswered_in_row,
                snoozed_until=snoozed,
                dont_contact_before=not_before,
                planned_this_week=person_id in already,
            )
        )
    return people


def cadences(settings: PlannerSettings) -> dict[str, Cadence | None]:
    b = settings.b_days
    return {
        "A": Cadence(settings.a_min_days, settings.a_max_days),
        "B": Cadence(max(1, round(b * 0.85)), max(1, round(b * 1.15))),
        "C": None,
    }


def tier_inputs(user: User, facts: dict[int, RelationshipFacts]) -> list[TierInput]:
    favours = favour_balance(user)
    return [
        TierInput(
            key=relationship_id,
            strength=facts[person_id].score,
            favours_given=favours.get(person_id, (0, 0))[0],
            favours_received=favours.get(person_id, (0, 0))[1],
            stars=stars,
            current=tier,
        )
        for relationship_id, person_id, tier, stars in Relationship.objects.filter(
            owner=user
        ).values_list("id", "person_id", "tier", "stars")
    ]
