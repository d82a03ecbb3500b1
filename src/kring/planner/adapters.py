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
from django.db import connection
from django.db.models import Count, Q
from numpy.typing import NDArray

from kring.accounts.models import User
from kring.core.names import fold
from kring.core.planning import Cadence, PlanPerson
from kring.core.strength import ANSWER_CODES, CHANNELS, INITIATORS, strengths_many, touch_weights
from kring.core.tiers import TierInput
from kring.lib import clock
from kring.people.models import (
    Ask,
    Channel,
    ContactPoint,
    Favour,
    Interaction,
    Person,
    Relationship,
)
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


def _case(column: str, codes: dict[str, int]) -> tuple[str, list[str]]:
    whens = " ".join(f"WHEN {column} = %s THEN {code}" for code in codes.values())
    return f"CASE {whens} ELSE -1 END", list(codes)


def _touch_rows(user: User) -> NDArray[np.float64]:
    """Every touch of the user's interactions, one row per person in each, as an (n, 6) array of
    person id, epoch seconds, channel code, minutes, initiator code and answer code (the codes of
    :mod:`kring.core.strength`).

    This is the planner's hot path (200,000 rows for a large network), so the database does the
    conversions: epoch seconds instead of a datetime object per row, integer codes instead of
    strings.
    """
    link = Interaction.people.through._meta.db_table
    table = Interaction._meta.db_table
    if connection.vendor == "postgresql":
        epoch = "EXTRACT(EPOCH FROM i.occurred_at)::float8"
    else:  # SQLite stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC
        epoch = "(julianday(i.occurred_at) - 2440587.5) * 86400.0"
    channel, channel_params = _case("i.channel", {c: k for k, c in enumerate(CHANNELS)})
    initiator, initiator_params = _case("i.initiated_by", {c: k for k, c in enumerate(INITIATORS)})
    answer = (
        f"CASE WHEN i.answered IS NULL THEN {ANSWER_CODES[None]} "
        f"WHEN i.answered = %s THEN {ANSWER_CODES[True]} ELSE {ANSWER_CODES[False]} END"
    )
    sql = (
        f"SELECT l.person_id, {epoch}, {channel}, i.minutes, {initiator}, {answer} "
        f"FROM {link} l JOIN {table} i ON i.id = l.interaction_id WHERE i.owner_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*channel_params, *initiator_params, True, user.pk])
        rows = cursor.fetchall()
    return np.array(rows, dtype=np.float64).reshape(-1, 6)


def relationship_facts(user: User, *, now: dt.datetime) -> dict[int, RelationshipFacts]:
    """Strength and the rest for every relationship of ``user``, keyed by person id."""
    relationships = list(
        Relationship.objects.filter(owner=user).values_list("person_id", "tier", "snoozed_until")
    )
    count = len(relationships)
    person_ids = np.fromiter((p for p, _, _ in relationships), dtype=np.int64, count=count)
    order = np.argsort(person_ids)
    rows = _touch_rows(user)
    person = rows[:, 0].astype(np.int64)
    stamp = rows[:, 1]
    channel, initiated_by, answered = (rows[:, k].astype(np.int64) for k in (2, 4, 5))
    minutes = rows[:, 3]
    # Relationship index of each row: positions in the sorted person ids.
    rel = order[np.searchsorted(person_ids[order], person)] if count else person
    if len(person):
        weight, conversation = touch_weights(channel, initiated_by, answered, minutes)
        arrays = strengths_many(rel, stamp, weight, conversation, count=count, now=now.timestamp())
        score, cooling, familiarity = arrays.score, arrays.cooling, arrays.familiarity
        last_touch = arrays.last_touch
    else:
        score = np.zeros(count)
        cooling = np.zeros(count, dtype=bool)
        familiarity = np.zeros(count, dtype=np.int64)
        last_touch = np.full(count, np.nan)

    # The day of the latest shared meeting (an event or a small group) per relationship.
    last_meeting = np.full(count, -np.inf)
    shared = np.isin(channel, [CHANNELS.index(c) for c in SHARED_MEETING_CHANNELS])
    np.maximum.at(last_meeting, rel[shared], stamp[shared])

    # The follow-up guard: unanswered outbound touches since the last answer (or anything they
    # started), counting only what happened after the relationship's last snooze ended.
    snooze_end = np.full(count, -np.inf)
    zone = clock.zone_of(user)
    for i, (_p, _t, snoozed) in enumerate(relationships):
        if snoozed is not None:
            snooze_end[i] = dt.datetime.combine(snoozed, dt.time(), tzinfo=zone).timestamp()
    live = stamp >= snooze_end[rel] if len(person) else np.zeros(0, dtype=bool)
    mine = initiated_by == INITIATORS.index("me")
    unanswered_mask = live & mine & (answered == ANSWER_CODES[False])
    reset = live & (~mine | (answered == ANSWER_CODES[True]))
    last_reset = np.full(count, -np.inf)
    np.maximum.at(last_reset, rel[reset], stamp[reset])
    after = unanswered_mask & (stamp > last_reset[rel])
    unanswered = np.bincount(rel[after], minlength=count)

    facts = {}
    for i, (person_id, tier, _snoozed) in enumerate(relationships):
        touch = last_touch[i]
        meeting = last_meeting[i]
        facts[person_id] = RelationshipFacts(
            person_id=person_id,
            tier=tier,
            score=float(score[i]),
            cooling=bool(cooling[i]),
            familiarity=int(familiarity[i]),
            last_touch=None if np.isnan(touch) else dt.datetime.fromtimestamp(touch, tz=dt.UTC),
            last_shared_meeting=None
            if np.isinf(meeting)
            else dt.datetime.fromtimestamp(meeting, tz=zone).date(),
            unanswered_in_row=int(unanswered[i]),
        )
    return facts


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
