"""Names sorted as the person's country sorts them; member drop-downs by name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kring.accounts.actions import user_sign_up
from kring.core.names import sort_key
from kring.people.sorting import sorted_members, user_sort_key
from kring.workspaces.models import Membership

PEETERS, VAN_ACKER, ZEGERS = ("Bart", "", "Peeters"), ("Jan", "Van", "Acker"), ("Wim", "", "Zegers")


def test_a_flemish_van_acker_sorts_under_v():
    ordered = sorted([ZEGERS, VAN_ACKER, PEETERS], key=lambda n: sort_key(*n, country="BE"))
    assert ordered == [PEETERS, VAN_ACKER, ZEGERS]
    assert sort_key(*VAN_ACKER, country="BE") == "van acker, jan"


def test_a_dutch_van_acker_sorts_under_a():
    ordered = sorted([ZEGERS, PEETERS, VAN_ACKER], key=lambda n: sort_key(*n, country="NL"))
    assert ordered == [VAN_ACKER, PEETERS, ZEGERS]
    assert sort_key(*VAN_ACKER, country="NL") == "acker, jan van"
    assert sort_key(*VAN_ACKER) == sort_key(*VAN_ACKER, country="NL")  # Dutch by default


def test_without_particles_both_countries_sort_alike():
    for name in (PEETERS, ZEGERS, ("Cher", "", "")):
        assert sort_key(*name, country="BE") == sort_key(*name, country="NL")


@pytest.mark.django_db
def test_members_sort_by_surname_as_their_own_country_does():
    def member(name, country):
        email = name.lower().replace(" ", ".") + f"@{country.lower()}.example"
        return user_sign_up(email=email, password="x" * 12, display_name=name, country=country)

    flemish = member("Jan Van Acker", "BE")
    dutch = member("Joost van Acker", "NL")
    berg = member("Anna Berg", "BE")
    tack = member("Tom Tack", "NL")
    assert user_sort_key(flemish)[0].startswith("van acker")
    assert user_sort_key(dutch)[0].startswith("acker")
    assert [u.name for u in sorted_members([tack, flemish, berg, dutch])] == [
        "Joost van Acker",
        "Anna Berg",
        "Tom Tack",
        "Jan Van Acker",
    ]


@pytest.mark.django_db
def test_the_referral_drop_down_lists_members_by_name(cast):
    for name, country in [("Wim Zegers", "BE"), ("Jan Van Acker", "BE"), ("Joost van Acker", "NL")]:
        email = name.lower().replace(" ", ".") + "@example.be"
        user = user_sign_up(email=email, password="x" * 12, display_name=name, country=country)
        Membership.objects.create(workspace=cast.club, user=user, role=Membership.Role.MEMBER)
    body = cast.client(cast.alice).get(reverse("club_ledger", args=[cast.club.pk])).content.decode()
    receiver = body.split('name="receiver"')[1].split("</select>")[0]
    names = ["Joost van Acker", "Bob", "Jan Van Acker", "Wim Zegers"]
    positions = [receiver.index(n) for n in names]
    assert positions == sorted(positions), receiver
