"""Request → accept → double opt-in → made → outcome, with the ledger, as the three roles click."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kring.network.models import Introduction
from kring.people.models import Favour, Person

pytestmark = pytest.mark.django_db


def _person(owner, given):
    return Person.objects.get(owner=owner, given_name=given)


def _ask_url(cast, given):
    return reverse(
        "introduction_request", args=[cast.club.pk, cast.bob.pk, _person(cast.bob, given).pk]
    )


def test_it_runs_an_introduction_end_to_end(club_network, django_capture_on_commit_callbacks):
    cast = club_network
    alice, bob = cast.client(cast.alice), cast.client(cast.bob)
    paths = alice.get(
        reverse("workspace_paths", args=[cast.club.pk]), {"organisation": "Acme"}
    ).content.decode()
    assert _ask_url(cast, "Koen") in paths

    page = alice.get(_ask_url(cast, "Koen")).content.decode()
    assert 'id="give-first"' in page  # Alice never gave Bob anything
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(
            _ask_url(cast, "Koen"), {"reason": "I build lab software. Koen's new lab could use it."}
        )
    introduction = Introduction.objects.get()
    assert introduction.status == "requested"
    assert mail.outbox[-1].to == [cast.bob.email]

    # Koen has no e-mail address in Bob's file yet: the connector is told what to do.
    bob.post(reverse("introduction", args=[introduction.pk]), {"step": "accept"})
    introduction.refresh_from_db()
    assert introduction.status == "requested"
    koen = _person(cast.bob, "Koen")
    from kring.people.actions import person_update

    person_update(actor=cast.bob, person=koen, emails=["koen@acme.example"])
    with django_capture_on_commit_callbacks(execute=True):
        bob.post(reverse("introduction", args=[introduction.pk]), {"step": "accept"})
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    opt_in_mail = mail.outbox[-1]
    assert opt_in_mail.to == ["koen@acme.example"]
    link = re.search(r"https?://\S+/introductions/opt-in/\S+/", opt_in_mail.body).group(0)

    anonymous = Client()
    assert "Alice" in anonymous.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(link, {"answer": "yes"})
    introduction.refresh_from_db()
    assert introduction.status == "made"
    assert {m.to[0] for m in mail.outbox[-2:]} == {cast.alice.email, "koen@acme.example"}
    assert anonymous.get(link).status_code == 404  # one answer only
    assert Favour.objects.filter(owner=cast.bob, direction="given", kind="introduction").exists()
    assert Favour.objects.filter(
        owner=cast.alice, direction="received", kind="introduction"
    ).exists()

    detail = alice.get(reverse("introduction", args=[introduction.pk])).content.decode()
    assert "Koen Claes" in detail  # named once Koen said yes
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(
            reverse("introduction", args=[introduction.pk]), {"step": "closed", "value_eur": "4500"}
        )
    introduction.refresh_from_db()
    assert (introduction.status, introduction.value_eur) == ("closed", Decimal("4500"))
    assert mail.outbox[-1].to == [cast.bob.email]  # the connector is thanked
    credited = Favour.objects.get(owner=cast.alice, kind="referral")
    assert credited.value_eur == Decimal("4500") and credited.direction == "received"
    ledger = alice.get(reverse("introductions", args=[cast.club.pk])).content.decode()
    assert 'id="ledger"' in ledger


def test_it_keeps_the_target_unnamed_until_they_say_yes(club_network):
    cast = club_network
    alice = cast.client(cast.alice)
    page = alice.get(_ask_url(cast, "Sofie")).content.decode()
    assert "someone at Beta" in page and "Sofie" not in page
    alice.post(_ask_url(cast, "Sofie"), {"reason": "Beta buys what I sell."})
    introduction = Introduction.objects.get()
    body = alice.get(reverse("introduction", args=[introduction.pk])).content.decode()
    assert "Sofie" not in body and "Smet" not in body


def test_it_refuses_hidden_people_and_outsiders(club_network):
    cast = club_network
    alice = cast.client(cast.alice)
    assert alice.post(_ask_url(cast, "Henk"), {"reason": "Hello."}).status_code == 404
    alice.post(_ask_url(cast, "Koen"), {"reason": "Hello."})
    introduction = Introduction.objects.get()
    charlie = cast.client(cast.charlie)
    assert charlie.get(reverse("introduction", args=[introduction.pk])).status_code == 404
    assert charlie.get(reverse("introductions", args=[cast.club.pk])).status_code == 404
    assert charlie.get(_ask_url(cast, "Koen")).status_code == 404
    # Only the connector accepts.
    alice.post(reverse("introduction", args=[introduction.pk]), {"step": "accept"})
    introduction.refresh_from_db()
    assert introduction.status == "requested"


def test_it_refuses_long_reasons_and_asking_again_after_a_no(club_network):
    cast = club_network
    alice, bob = cast.client(cast.alice), cast.client(cast.bob)
    long = "One. Two. Three. Four."
    page = alice.post(_ask_url(cast, "Koen"), {"reason": long}).content.decode()
    assert 'data-field="reason"' in page
    assert not Introduction.objects.exists()
    alice.post(_ask_url(cast, "Koen"), {"reason": "Hello."})
    introduction = Introduction.objects.get()
    again = alice.post(_ask_url(cast, "Koen"), {"reason": "Hello again."}).content.decode()
    assert "already" in again
    bob.post(reverse("introduction", args=[introduction.pk]), {"step": "decline"})
    introduction.refresh_from_db()
    assert introduction.status == "declined"
    after = alice.post(_ask_url(cast, "Koen"), {"reason": "Please?"}).content.decode()
    assert "declined before" in after
    assert Introduction.objects.count() == 1


def test_it_refuses_a_negative_value(club_network):
    from kring.network import actions

    cast = club_network
    cast.client(cast.alice).post(_ask_url(cast, "Koen"), {"reason": "Hello."})
    introduction = Introduction.objects.get()
    introduction.status = "made"
    introduction.save(update_fields=["status"])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.introduction_outcome(
            actor=cast.alice, introduction=introduction, outcome="closed", value_eur=Decimal("-1")
        )


def test_it_reminds_the_connector_in_the_weekly_digest(club_network):
    from kring.planner.digest import send_digests

    cast = club_network
    cast.client(cast.alice).post(_ask_url(cast, "Koen"), {"reason": "Hello."})
    send_digests(users=[cast.bob], force=True)
    body = mail.outbox[-1].body
    assert "Alice → Koen Claes" in body


def test_it_counts_a_made_introduction_as_an_ask_matched_in_the_tier_review(club_network):
    from kring.planner.adapters import asks_matched

    cast = club_network
    cast.client(cast.alice).post(_ask_url(cast, "Koen"), {"reason": "Hello."})
    introduction = Introduction.objects.get()
    assert asks_matched(cast.alice) == {}
    introduction.status = "made"
    introduction.save(update_fields=["status"])
    bob_in_alices_file = Person.objects.get(owner=cast.alice, given_name="Bob")
    assert asks_matched(cast.alice) == {bob_in_alices_file.pk: 1}


def test_it_answers_alike_for_hidden_and_missing_people_on_the_request_page(club_network):
    """Walking the ids of a connector's file teaches a member nothing: a person the connector
    keeps hidden, shares with another workspace only, or does not have answers exactly like an
    id that does not exist (issue 12)."""
    from kring.workspaces.actions import workspace_create
    from kring.workspaces.models import Workspace
    from tests.privacy import comparable

    cast = club_network
    elsewhere = workspace_create(owner=cast.bob, name="Bob BV", kind=Workspace.Kind.COMPANY)
    wim = actions_person(cast.bob, "Wim", "Anders", "Omega")
    from kring.people.actions import share_set

    share_set(actor=cast.bob, relationship=wim.relationship, workspace=elsewhere, level="name_role")
    missing = Person.objects.order_by("-pk").first().pk + 1000
    hidden = {
        "level none": _person(cast.bob, "Henk").pk,
        "never shared": _person(cast.bob, "Greet").pk,
        "shared elsewhere": wim.pk,
        "not the connector's": cast.jan.pk,
    }
    alice = cast.client(cast.alice)

    def answer(person_id):
        url = reverse("introduction_request", args=[cast.club.pk, cast.bob.pk, person_id])
        return comparable(alice.get(url), url)

    expected = answer(missing)
    assert expected[0] == 404
    for why, person_id in hidden.items():
        got = answer(person_id)
        assert got == expected, why
        for word in ("Henk", "Acme", "Gamma", "Omega", "someone"):
            assert word.encode() not in got[2], (why, word)
    assert answer(_person(cast.bob, "Koen").pk)[0] == 200  # shared: the page is there


def actions_person(owner, given, surname, organisation):
    from kring.people.actions import person_create

    return person_create(
        owner=owner, given_name=given, surname=surname, organisation_name=organisation
    )


def test_it_stops_naming_the_organisation_once_the_connector_stops_sharing(club_network):
    """The requester reads the target as the connector shares them now: a share taken back
    leaves "someone", not the organisation seen before."""
    from kring.people.actions import share_set

    cast = club_network
    alice = cast.client(cast.alice)
    alice.post(_ask_url(cast, "Sofie"), {"reason": "They buy what I sell."})
    introduction = Introduction.objects.get()
    url = reverse("introduction", args=[introduction.pk])
    assert "someone at Beta" in alice.get(url).content.decode()
    sofie = _person(cast.bob, "Sofie")
    share_set(actor=cast.bob, relationship=sofie.relationship, workspace=cast.club, level="none")
    body = alice.get(url).content.decode()
    assert "Beta" not in body and "Sofie" not in body
