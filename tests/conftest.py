"""The test cast, as in Healthchecks: Alice owns a club, Bob is a member of it, Charlie is an
outsider who must see nothing of theirs.

Every test runs with the clock frozen (time-machine, ticking from there) at ``KRING_TEST_NOW``:
by default 31 December 23:30 in Brussels; ``scripts/test`` runs the PostgreSQL pass on another
day (the spring clock change) so that the suite proves it works on more than one date. A test
that needs a day of its own travels there itself.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client

from kring.accounts.actions import user_sign_up
from kring.accounts.models import User
from kring.people import actions
from kring.people.models import Person
from kring.workspaces.actions import workspace_create
from kring.workspaces.models import Membership, Workspace

PASSWORD = "correct horse battery"
pytest_plugins = ["tests.dutch"]

TEST_NOW = dt.datetime.fromisoformat(os.environ.get("KRING_TEST_NOW", "2026-12-31T22:30:00+00:00"))


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@dataclass
class Cast:
    alice: User
    bob: User
    charlie: User
    club: Workspace
    jan: Person  # in Alice's file, with everything a person can have
    interaction_id: int
    note_id: int
    favour_id: int
    ask_id: int

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    # A test that activates Dutch (a request, a mail, the CLI) must not leave it active for
    # the next one: a message test would then read Dutch where it expects English.
    from django.utils import translation

    language = translation.get_language()
    yield
    if language:
        translation.activate(language)
    else:
        translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # Real hashing is slow by design; the tests need only that passwords check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def cast(db: None) -> Cast:
    alice = user_sign_up(
        email="alice@example.be",
        password=PASSWORD,
        display_name="Alice",
        language="en",
        country="BE",
    )
    bob = user_sign_up(
        email="bob@example.nl", password=PASSWORD, display_name="Bob", language="en", country="NL"
    )
    charlie = user_sign_up(
        email="charlie@example.com", password=PASSWORD, display_name="Charlie", language="en"
    )
    club = workspace_create(owner=alice, name="Businessclub Test", kind=Workspace.Kind.CLUB)
    Membership.objects.create(workspace=club, user=bob, role=Membership.Role.MEMBER)
    jan = actions.person_create(
        owner=alice,
        given_name="Jan",
        particles="van der",
        surname="Berg",
        emails=["jan@acme.example"],
        phones=["0470 12 34 56"],
        organisation_name="Acme",
        title="R&D manager",
        sector="Farma",
        region="Limburg",
        tags=["klant"],
        private_notes="Secret: wants to leave Acme",
        tier="A",
    )
    when = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
    interaction = actions.interaction_log(
        owner=alice,
        people=[jan],
        occurred_at=when,
        channel="call",
        minutes=5,
        summary="Talked about the merger",
    )
    note = actions.note_create(
        owner=alice, person=jan, text="Acme opens a lab in Genk", tags=["farma"]
    )
    favour = actions.favour_record(owner=alice, person=jan, direction="given", kind="advice")
    ask = actions.ask_create(owner=alice, person=jan, text="HR managers in Hasselt")
    return Cast(alice, bob, charlie, club, jan, interaction.pk, note.pk, favour.pk, ask.pk)


@pytest.fixture
def club_network(cast):
    """Alice knows Bob; Bob knows Koen at Acme (named), Henk at Acme (hidden) and Sofie at
    Beta (shared as "knows someone at Beta"), who introduced him to Koen. Beta competes with
    Acme in Bob's file."""
    actions.person_create(
        owner=cast.alice, given_name="Bob", surname="Member", emails=["bob@example.nl"]
    )
    bob = cast.bob
    sofie = actions.person_create(
        owner=bob, given_name="Sofie", surname="Smet", organisation_name="Beta", title="CFO"
    )
    koen = actions.person_create(
        owner=bob,
        given_name="Koen",
        surname="Claes",
        organisation_name="Acme",
        title="R&D manager",
    )
    henk = actions.person_create(
        owner=bob, given_name="Henk", surname="Verborgen", organisation_name="Acme", title="CEO"
    )
    actions.person_create(
        owner=bob, given_name="Greet", surname="Geheim", organisation_name="Gamma"
    )
    actions.relationship_update(actor=bob, relationship=koen.relationship, introduced_by=sofie)
    for person, level in [(koen, "name_role"), (sofie, "organisation"), (henk, "none")]:
        actions.share_set(
            actor=bob, relationship=person.relationship, workspace=cast.club, level=level
        )
    actions.organisation_update(
        actor=bob, organisation=koen.organisation, competes_with=[sofie.organisation]
    )
    for person in (koen, sofie, henk):
        actions.interaction_log(
            owner=bob, people=[person], channel="in_person", minutes=30, initiated_by="both"
        )
    return cast
