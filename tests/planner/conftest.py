from __future__ import annotations

import datetime as dt

import pytest

from kring.people import actions

# A Wednesday; its week starts on Monday 23 November 2026.
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
WEEK = dt.date(2026, 11, 23)


@pytest.fixture
def network(cast):
    """Alice's file: A-ties that went quiet, a B, a C, one who never answers."""
    alice = cast.alice
    people = {}
    for name, tier in [
        ("Anna Aerts", "A"),
        ("Bert Bakker", "A"),
        ("Carl Claes", "B"),
        ("Dirk Dewulf", "C"),
        ("Eva Eeckhout", "A"),
    ]:
        given, surname = name.split()
        people[given] = actions.person_create(
            owner=alice, given_name=given, surname=surname, tier=tier
        )
    for given, days_ago in [("Anna", 40), ("Bert", 60), ("Carl", 200), ("Dirk", 400)]:
        actions.interaction_log(
            owner=alice,
            people=[people[given]],
            channel="call",
            occurred_at=NOW - dt.timedelta(days=days_ago),
            initiated_by="them",
        )
    # Eva never answers: two unanswered messages in a row.
    for days_ago in (30, 20):
        actions.interaction_log(
            owner=alice,
            people=[people["Eva"]],
            channel="email",
            occurred_at=NOW - dt.timedelta(days=days_ago),
            answered=False,
        )
    cast.jan.relationship.tier = "A"
    return people
