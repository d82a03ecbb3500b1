"""The person page reads a fixed number of queries however long the history with the person,
shows its latest entries (the whole timeline one click away), and its figures match the
one-at-a-time reads they replaced."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.lib import clock
from kring.lib.errors import NotFound
from kring.people import actions, queries
from kring.people.models import Person

pytestmark = pytest.mark.django_db

# session, user; the person with organisation and relationship, contact points, tags;
# interactions, the names of the others in them, notes, their tags, favours, asks;
# the sharing rows; the menu's clubs; the import merges.
PERSON_PAGE_QUERIES = 14


def _page(client, person: Person, **params: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("person", args=[person.pk]), params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _entries(body: str) -> list[str]:
    return re.findall(r'<li class="(?:interaction|note|favour|ask)">(.*?)</li>', body, re.S)


def _history(cast, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        other = actions.person_create(owner=cast.alice, given_name=f"Gast{i}", surname="Claes")
        actions.interaction_log(
            owner=cast.alice,
            people=[cast.jan, other],
            channel="in_person",
            summary=f"Lunch {i}",
            initiated_by="me",
            answered=i % 3 != 0,
        )
        actions.note_create(owner=cast.alice, person=cast.jan, text=f"Nieuws {i}")
        actions.favour_record(
            owner=cast.alice,
            person=cast.jan,
            direction="given" if i % 2 else "received",
            kind="advice",
        )


def test_the_person_page_reads_a_fixed_number_of_queries(cast):
    client = cast.client(cast.alice)
    _page(client, cast.jan)
    _history(cast, 2)
    few, body = _page(client, cast.jan)
    assert "Gast1 Claes" in body
    _history(cast, 15, start=2)
    many, _body = _page(client, cast.jan)
    # The whole timeline: which entries make the latest twenty depends on the clock (a note's
    # day sorts at noon), the names of the others in each interaction do not.
    everything, body = _page(client, cast.jan, timeline="all")
    assert "Gast16 Claes" in body
    assert few == everything == PERSON_PAGE_QUERIES
    # One fewer when no interaction is among the entries shown: no names to read.
    assert many in (PERSON_PAGE_QUERIES, PERSON_PAGE_QUERIES - 1)


def test_it_shows_the_latest_entries_and_the_rest_on_request(cast):
    _history(cast, 12)  # 36 entries and the cast's four
    client = cast.client(cast.alice)
    _, body = _page(client, cast.jan)
    latest = _entries(body)
    assert len(latest) == queries.TIMELINE_LENGTH
    hidden = 12 * 3 + 4 - queries.TIMELINE_LENGTH
    assert f"Show {hidden} older entries" in body
    assert "?timeline=all" in body
    _, everything = _page(client, cast.jan, timeline="all")
    assert len(_entries(everything)) == 40
    assert _entries(everything)[: queries.TIMELINE_LENGTH] == latest  # newest first
    assert "older entries" not in everything


def test_it_names_the_others_an_interaction_was_with(cast):
    ann = actions.person_create(owner=cast.alice, given_name="Ann", surname="Aerts")
    bart = actions.person_create(owner=cast.alice, given_name="Bart", surname="Bosmans")
    actions.interaction_log(owner=cast.alice, people=[bart, cast.jan, ann], channel="event")
    body = _page(cast.client(cast.alice), cast.jan)[1]
    assert "with Ann Aerts, Bart Bosmans</small>" in body
    assert "with Jan" not in body


def test_its_figures_match_the_reads_one_at_a_time(cast):
    _history(cast, 7)
    now = clock.now()
    history = queries.person_history(cast.alice, cast.jan, now=now, limit=None)
    assert history.familiarity == queries.familiarity(cast.alice, cast.jan)
    assert history.strength == queries.person_strength(cast.alice, cast.jan, now=now)
    assert history.favours == queries.favour_balance_with(cast.alice, cast.jan)
    assert [(e.kind, e.item.pk) for e in history.timeline] == [
        (e.kind, e.item.pk) for e in queries.person_timeline(cast.alice, cast.jan)
    ]
    short = queries.person_history(cast.alice, cast.jan, now=now, limit=5)
    assert short.timeline == history.timeline[:5]
    assert short.hidden == len(history.timeline) - 5


def test_it_shows_no_one_elses_history(cast):
    # Bob's interaction with his own Jan never shows on Alice's Jan, nor the reverse.
    bobs_jan = actions.person_create(owner=cast.bob, given_name="Jan", surname="Bobs")
    actions.interaction_log(
        owner=cast.bob, people=[bobs_jan], channel="call", summary="Bob's secret lunch"
    )
    body = _page(cast.client(cast.alice), cast.jan)[1]
    assert "secret lunch" not in body
    assert cast.client(cast.bob).get(reverse("person", args=[cast.jan.pk])).status_code == 404
    with pytest.raises(NotFound):
        queries.person_history(cast.bob, cast.jan, now=cast.jan.created_at)


def test_its_empty_forms_follow_the_language_and_a_bad_one_keeps_its_errors(cast):
    client = cast.client(cast.alice)
    english = _page(client, cast.jan)[1]
    assert "What they told you" in english
    cast.alice.language = "nl"
    cast.alice.save(update_fields=["language"])
    dutch = _page(client, cast.jan)[1]
    assert "What they told you" not in dutch
    response = client.post(reverse("person_favour", args=[cast.jan.pk]), {"direction": "given"})
    assert response.status_code == 400
    assert b'data-field="kind"' in response.content
    # The error was for that answer only: the next page has the empty form again.
    assert 'data-field="kind"' not in _page(client, cast.jan)[1]
