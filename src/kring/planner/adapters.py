"""Rows ↔ the planner core's plain data: the week's people, asks they can answer, favours,
cadences and the tier review's input. Strength and the rest of what the interactions say come
from :mod:`kring.people.adapters`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from kring.accounts.models import User
from kring.core.names import fold
from kring.core.planning import Cadence, PlanPerson
from kring.core.tiers import TierInput
from kring.lib import clock
from kring.people.adapters import RelationshipFacts, relationship_facts
from kring.people.models import (
    Ask,
    ContactPoint,
    Favour,
    Person,
    Relationship,
)
from kring.planner.models import PlannedTouch, PlannerSettings

__all__ = [
    "RelationshipFacts",
    "answerable_asks",
    "asks_matched",
    "cadences",
    "favour_balance",
    "plan_people",
    "relationship_facts",
    "tier_inputs",
]


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
    zone = clock.zone_of(user)
    asks = answerable_asks(user, today=clock.local_date(now, zone))
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
                last_touch=clock.local_date(fact.last_touch, zone) if fact.last_touch else None,
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


def asks_matched(user: User) -> dict[int, int]:
    """Per person in the user's file: introductions made between the two of them (they helped
    with an ask of the user's, or the user with one of theirs), matched by e-mail address."""
    from kring.network.models import Introduction

    done = (Introduction.Status.MADE, Introduction.Status.MET, Introduction.Status.CLOSED)
    other_emails: dict[str, int] = defaultdict(int)
    for requester, connector in Introduction.objects.filter(
        Q(requester=user) | Q(connector=user), status__in=done
    ).values_list("requester__email", "connector__email"):
        other = connector if requester.lower() == user.email.lower() else requester
        other_emails[other.lower()] += 1
    if not other_emails:
        return {}
    result: dict[int, int] = defaultdict(int)
    for person_id, value in ContactPoint.objects.filter(
        person__owner=user, kind=ContactPoint.Kind.EMAIL
    ).values_list("person_id", "value"):
        result[person_id] += other_emails.get(value.lower(), 0)
    return {k: v for k, v in result.items() if v}


def tier_inputs(user: User, facts: dict[int, RelationshipFacts]) -> list[TierInput]:
    favours = favour_balance(user)
    matched = asks_matched(user)
    return [
        TierInput(
            key=relationship_id,
            strength=facts[person_id].score,
            favours_given=favours.get(person_id, (0, 0))[0],
            favours_received=favours.get(person_id, (0, 0))[1],
            asks_matched=matched.get(person_id, 0),
            stars=stars,
            current=tier,
        )
        for relationship_id, person_id, tier, stars in Relationship.objects.filter(
            owner=user
        ).values_list("id", "person_id", "tier", "stars")
    ]
