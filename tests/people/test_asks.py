"""Withdrawing an ask: on the asks page, on the club's asks page and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kring.accounts.actions import api_token_create
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.network.queries import own_asks_with_candidates
from kring.people import actions
from kring.people.models import Ask

pytestmark = pytest.mark.django_db


def _today(user):
    return clock.today(clock.zone_of(user))


def _open_ask(user, *, days_ago=5, text="CFOs in Antwerp"):
    today = _today(user)
    return actions.ask_create(
        owner=user,
        text=text,
        role="CFO",
        valid_from=today - dt.timedelta(days=days_ago),
        valid_to=today + dt.timedelta(days=20),
    )


def test_a_withdrawn_ask_ends_yesterday_and_is_no_longer_open(cast):
    ask = _open_ask(cast.alice)
    today = _today(cast.alice)
    found = actions.ask_withdraw(actor=cast.alice, ask=ask, today=today)
    assert found is not None and found.valid_to == today - dt.timedelta(days=1)
    assert not own_asks_with_candidates(cast.alice, cast.club.pk, now=clock.now())


def test_an_ask_withdrawn_on_its_first_day_is_erased(cast):
    ask = _open_ask(cast.alice, days_ago=0)
    assert actions.ask_withdraw(actor=cast.alice, ask=ask, today=_today(cast.alice)) is None
    assert not Ask.objects.filter(pk=ask.pk).exists()


def test_it_refuses_to_withdraw_an_ask_that_ended(cast):
    ask = _open_ask(cast.alice)
    today = _today(cast.alice)
    actions.ask_withdraw(actor=cast.alice, ask=ask, today=today)
    with pytest.raises(ValidationError, match="This ask has ended already"):
        actions.ask_withdraw(actor=cast.alice, ask=ask, today=today)


def test_it_refuses_to_withdraw_someone_elses_ask(cast):
    ask = _open_ask(cast.alice)
    with pytest.raises(NotFound):
        actions.ask_withdraw(actor=cast.bob, ask=ask, today=_today(cast.bob))
    assert Ask.objects.get(pk=ask.pk).valid_to > _today(cast.alice)


def test_it_withdraws_an_ask_from_the_clubs_asks_page(cast):
    ask = _open_ask(cast.alice)
    client = cast.client(cast.alice)
    url = reverse("club_asks", args=[cast.club.pk])
    page = client.get(url).content.decode()
    assert reverse("ask_withdraw", args=[ask.pk]) in page and "CFOs in Antwerp" in page
    response = client.post(reverse("ask_withdraw", args=[ask.pk]), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "Your ask was withdrawn." in page and "<h3>CFOs in Antwerp</h3>" not in page


def test_it_withdraws_an_ask_from_the_asks_page_and_keeps_it_as_ended(cast):
    ask = _open_ask(cast.alice)
    client = cast.client(cast.alice)
    client.post(reverse("ask_withdraw", args=[ask.pk]), {"next": "https://elsewhere.example/"})
    page = client.get(reverse("asks")).content.decode()
    assert "CFOs in Antwerp" in page and "(ended)" in page
    assert reverse("ask_withdraw", args=[ask.pk]) not in page


def test_it_withdraws_an_ask_through_the_api(cast, client):
    _, key = api_token_create(user=cast.alice)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    ask = _open_ask(cast.alice)
    response = client.post(f"/api/asks/{ask.pk}/withdraw", **auth)
    assert response.status_code == 200
    yesterday = _today(cast.alice) - dt.timedelta(days=1)
    assert response.json()["valid_to"] == yesterday.isoformat()
    again = client.post(f"/api/asks/{ask.pk}/withdraw", **auth)
    assert again.status_code == 422 and "ended already" in again.content.decode()
    fresh = _open_ask(cast.alice, days_ago=0)
    assert client.post(f"/api/asks/{fresh.pk}/withdraw", **auth).status_code == 204
