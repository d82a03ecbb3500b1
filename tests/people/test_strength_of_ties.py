"""The strength of every tie read from the database in one pass: the same numbers as the core's
formula on each relationship's touches, in a fixed number of queries however many people and
interactions an account has (the planner's hot path: 5,000 relationships in under a second)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from kring.core.strength import CHANNELS, Touch, relationship_strength
from kring.people import actions
from kring.people.adapters import relationship_facts, relationship_scores

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


def _touches(cast, people):
    """Every combination of channel, initiator and answer, at times with microseconds."""
    combos = itertools.product(CHANNELS, ("me", "them", "both"), (None, True, False))
    touches = {p.pk: [] for p in people}
    for n, (channel, initiator, answered) in enumerate(combos):
        person = people[n % len(people)]
        at = NOW - dt.timedelta(days=3 * n + 1, seconds=n * 37, microseconds=n * 1001)
        minutes = (0, 5, 45, 240)[n % 4]
        actions.interaction_log(
            owner=cast.alice,
            people=[person],
            occurred_at=at,
            channel=channel,
            minutes=minutes,
            initiated_by=initiator,
            answered=answered,
            now=NOW,
        )
        touches[person.pk].append(Touch(at, channel, minutes, initiator, answered))
    return touches


def test_the_facts_match_the_cores_formula_on_each_relationship(cast):
    people = [actions.person_create(owner=cast.alice, given_name=f"Contact{i}") for i in range(4)]
    touches = _touches(cast, people)
    facts = relationship_facts(cast.alice, now=NOW)
    for person in people:
        expected = relationship_strength(touches[person.pk], now=NOW)
        found = facts[person.pk]
        assert found.score == pytest.approx(expected.score, abs=1e-6)
        assert found.cooling == expected.cooling
        assert found.familiarity == expected.familiarity
        assert found.last_touch is not None and expected.last_touch is not None
        assert abs(found.last_touch - expected.last_touch) <= dt.timedelta(milliseconds=1)
    scores = relationship_scores([cast.alice.pk, cast.bob.pk], now=NOW)
    for person in people:
        assert scores[person.pk] == pytest.approx(facts[person.pk].score, abs=1e-9)


def test_a_person_never_contacted_scores_zero(cast):
    quiet = actions.person_create(owner=cast.alice, given_name="Stil")
    found = relationship_facts(cast.alice, now=NOW)[quiet.pk]
    assert (found.score, found.familiarity, found.last_touch, found.unanswered_in_row) == (
        0.0,
        0,
        None,
        0,
    )


def test_it_reads_every_strength_in_two_queries_however_large_the_file(
    cast, django_assert_num_queries
):
    people = [actions.person_create(owner=cast.alice, given_name=f"Contact{i}") for i in range(3)]
    _touches(cast, people)
    with django_assert_num_queries(2):  # the relationships, then every touch in one value
        small = relationship_facts(cast.alice, now=NOW)
    more = [actions.person_create(owner=cast.alice, given_name=f"Extra{i}") for i in range(20)]
    _touches(cast, more)
    with django_assert_num_queries(2):
        large = relationship_facts(cast.alice, now=NOW)
    assert set(small) < set(large)
