"""The dashboard of a new account leads somewhere; it never calls an empty network warm."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from kring.accounts.actions import user_sign_up
from kring.people import actions
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WARM = ("warm", "Every A-tier", "niveau A zijn")


def _dashboard(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_leads_a_new_account_to_import_add_or_a_club(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("signup"),
            {"display_name": "Dora", "email": "dora@example.be", "language": "en", "country": "BE"},
        )
    link = re.search(r"https?://\S+/signup/finish/\S+/", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
    response = client.post(link, {"password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert 'id="getting-started"' in body
    assert "Your network is still empty" in body
    for name in ("import", "person_create", "workspaces"):
        assert f'href="{reverse(name)}" role="button"' in body, name
    assert not any(word in body for word in WARM)
    assert "people in your network" not in body  # no row of zeros


def test_it_speaks_dutch_to_a_dutch_account(client):
    user = user_sign_up(email="els@kempen.example", password=PASSWORD, language="nl")
    client.force_login(user)
    body = _dashboard(client)
    assert "Je netwerk is nog leeg" in body
    assert "Bestand importeren" in body and "Persoon toevoegen" in body
    assert "Sluit je aan bij een club of start er een" in body
    assert not any(word in body for word in WARM)


def test_it_shows_a_new_club_member_their_club(cast):
    body = _dashboard(cast.client(cast.bob))
    assert "Your club" in body
    assert f'href="{reverse("workspace", args=[cast.club.pk])}">Businessclub Test</a>' in body
    assert "Join or start a club" not in body


def test_it_shows_the_network_once_there_is_somebody(cast):
    body = _dashboard(cast.client(cast.alice))
    assert 'id="getting-started"' not in body
    assert "people in your network" in body


def test_it_does_not_call_a_network_without_a_tier_people_warm(cast):
    actions.person_create(owner=cast.charlie, given_name="Eva", surname="Peeters", tier="B")
    body = _dashboard(cast.client(cast.charlie))
    assert 'id="getting-started"' not in body
    assert "Every A-tier relationship is warm." not in body
    assert "No A-tier relationships yet" in body
