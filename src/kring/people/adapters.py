"""Rows ↔ the core's plain data for the record: what the interactions say about each of a
user's relationships.

One pass over a user's interactions (through the interaction↔person link table) gives every
relationship's strength, familiarity, cooling flag, last touch, last shared meeting and the
follow-up guard's count of unanswered messages in a row. The planner, the tier review and the
pooled network all read it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.db import connection
from numpy.typing import NDArray

from kring.accounts.models import User
from kring.core.strength import ANSWER_CODES, CHANNELS, INITIATORS, strengths_many, touch_weights
from kring.lib import clock
from kring.people.models import Channel, Interaction, Relationship

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


def _touch_rows(user: User | list[int]) -> NDArray[np.float64]:
    """Every touch of the user's interactions (or of every listed owner's), one row per person
    in each, as an (n, 6) array of person id, epoch seconds, channel code, minutes, initiator
    code and answer code (the codes of :mod:`kring.core.strength`).

    This is the planner's hot path (200,000 rows for a large network), so it reads them in
    one query that answers one value: the database converts each touch to epoch seconds and
    packs its four codes into one integer, and aggregates the rows into one byte string
    (PostgreSQL: big-endian binary, read by NumPy without a Python object per value) or one
    text (SQLite: numbers and commas, parsed by NumPy in C). Fetching 200,000 row tuples
    cost more than the strengths themselves.
    """
    link = Interaction.people.through._meta.db_table
    table = Interaction._meta.db_table
    channel, channel_params = _case("i.channel", {c: k for k, c in enumerate(CHANNELS)})
    initiator, initiator_params = _case("i.initiated_by", {c: k for k, c in enumerate(INITIATORS)})
    answer = (
        f"CASE WHEN i.answered IS NULL THEN {ANSWER_CODES[None]} "
        f"WHEN i.answered = %s THEN {ANSWER_CODES[True]} ELSE {ANSWER_CODES[False]} END"
    )
    # channel 0..6 (3 bits), initiator 0..2 (2 bits), answer 0..2 (2 bits), then the minutes.
    code = f"({channel}) + 8 * ({initiator}) + 32 * ({answer}) + 128 * i.minutes"
    if connection.vendor == "postgresql":
        # date_part answers a float8; EXTRACT answers a numeric (slower, then cast).
        epoch = "date_part('epoch', i.occurred_at)"
        value = (
            f"string_agg(int8send(l.person_id::int8) || float8send({epoch}) "
            f"|| int8send(({code})::int8), ''::bytea)"
        )
    else:  # SQLite stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC; julianday reads milliseconds
        epoch_ms = "CAST(round((julianday(i.occurred_at) - 2440587.5) * 86400000.0) AS INTEGER)"
        value = f"group_concat(l.person_id || ',' || {epoch_ms} || ',' || ({code}), ',')"
    sql = f"SELECT {value} FROM {link} l JOIN {table} i ON i.id = l.interaction_id "
    sql += "WHERE i.owner_id "
    owners = [user.pk] if isinstance(user, User) else list(user)
    sql += "= %s" if len(owners) == 1 else f"IN ({', '.join(['%s'] * len(owners))})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*channel_params, *initiator_params, True, *owners])
        (packed,) = cursor.fetchone()
    rows = np.zeros((0, 6))
    if isinstance(packed, str):
        flat = np.fromstring(packed, dtype=np.int64, sep=",").reshape(-1, 3)
        person, stamp, codes = flat[:, 0], flat[:, 1] / 1000.0, flat[:, 2]
    elif packed:
        binary = np.frombuffer(bytes(packed), dtype=_PACKED)
        person, stamp, codes = binary["person"], binary["epoch"], binary["code"]
    else:
        return rows
    return np.column_stack(
        [person, stamp, codes & 7, codes >> 7, (codes >> 3) & 3, (codes >> 5) & 3]
    ).astype(np.float64)


# One touch as PostgreSQL's int8send/float8send write it.
_PACKED = np.dtype([("person", ">i8"), ("epoch", ">f8"), ("code", ">i8")])


def relationship_scores(owner_ids: list[int], *, now: dt.datetime) -> dict[int, float]:
    """The strength score (0-100) of every relationship of every owner listed, keyed by person
    id (a person belongs to one owner's file), in two queries whatever the number of owners:
    what the pooled network of a club weighs its ties with."""
    if not owner_ids:
        return {}
    person_ids = np.array(
        sorted(
            Relationship.objects.filter(owner_id__in=owner_ids).values_list("person_id", flat=True)
        ),
        dtype=np.int64,
    )
    count = len(person_ids)
    rows = _touch_rows(list(owner_ids))
    person = rows[:, 0].astype(np.int64)
    # Touches of people without a relationship (erased since) are dropped.
    position = np.searchsorted(person_ids, person)
    known = (position < count) & (person_ids[np.minimum(position, max(count - 1, 0))] == person)
    if not count or not known.any():
        return dict.fromkeys(person_ids.tolist(), 0.0)
    rows, rel = rows[known], position[known]
    channel, initiated_by, answered = (rows[:, k].astype(np.int64) for k in (2, 4, 5))
    weight, conversation = touch_weights(channel, initiated_by, answered, rows[:, 3])
    arrays = strengths_many(rel, rows[:, 1], weight, conversation, count=count, now=now.timestamp())
    return dict(zip(person_ids.tolist(), arrays.score.tolist(), strict=True))


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

    # Plain Python values once, not a NumPy scalar per field and relationship.
    columns = zip(
        relationships,
        score.tolist(),
        cooling.tolist(),
        familiarity.tolist(),
        last_touch.tolist(),
        last_meeting.tolist(),
        unanswered.tolist(),
        strict=True,
    )
    facts = {}
    for (person_id, tier, _snoozed), points, cools, known, touch, meeting, waiting in columns:
        facts[person_id] = RelationshipFacts(
            person_id=person_id,
            tier=tier,
            score=points,
            cooling=cools,
            familiarity=known,
            last_touch=None if math.isnan(touch) else dt.datetime.fromtimestamp(touch, tz=dt.UTC),
            last_shared_meeting=None
            if math.isinf(meeting)
            else dt.datetime.fromtimestamp(meeting, tz=zone).date(),
            unanswered_in_row=waiting,
        )
    return facts
