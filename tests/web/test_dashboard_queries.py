"""The dashboard reads a fixed number of queries however many birthdays, A-tier people, asks
and contacts it lists (one query per upcoming birthday was the bug)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.lib import clock
from kring.people import actions

pytestmark = pytest.mark.django_db

# Once the network is built: session, user; tiers, recent contacts and their people, A-tier
# people waiting, open asks, favours, channels, birthdays; the reach (the personal workspace,
# its membership, the network's version); the menu's clubs.
DASHBOARD_QUERIES = 14


def _add(cast, n: int, start: int) -> None:
    today = clock.today(clock.zone_of(cast.alice), clock.now())
    for i in range(start, start + n):
        person = actions.person_create(
            owner=cast.alice,
            given_name=f"Jarig{i}",
            surname="Peeters",
            organisation_name=f"Org {i}",
            tier="A",
        )
        actions.person_update(
            actor=cast.alice,
            person=person,
            birthday=(today + dt.timedelta(days=1 + i % 5)).replace(year=1980),
        )
        actions.interaction_log(owner=cast.alice, people=[person], channel="call")
        actions.ask_create(owner=cast.alice, text=f"Vraag {i}", person=person)


def _count(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_dashboard_reads_a_fixed_number_of_queries(cast):
    client = cast.client(cast.alice)
    # The first look at one's network notes its version (a row written once, not per visit).
    _count(client)
    _add(cast, 2, 0)
    few, page = _count(client)
    assert "Jarig1 Peeters" in page
    _add(cast, 12, 2)
    many, page = _count(client)
    assert "Jarig13 Peeters" in page or "Jarig12 Peeters" in page
    assert few == many
    # The next look, with the network as it was, reads only the dashboard's own queries.
    assert _count(client)[0] == DASHBOARD_QUERIES
