"""One person once, and never two folded into one: the rules of identity, and their cost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.core.importing import ContactRecord, matching
from kring.core.importing.matching import (
    PeopleIndex,
    is_personal_phone,
    is_role_address,
    name_key,
    name_parts,
    names_agree,
)


def _record(given, surname, *, particles="", emails=(), phones=(), org="", url=""):
    return ContactRecord(
        "contacts.csv",
        2,
        "google",
        given,
        particles,
        surname,
        emails=[(e, "") for e in emails],
        phones=list(phones),
        organisation=org,
        linkedin_url=url,
    )


@pytest.fixture
def index():
    index = PeopleIndex()
    index.add(
        1,
        given="Jan",
        particles="van der",
        surname="Berg",
        organisation="Acme NV",
        emails=["jan@acme.example"],
        phones=["+32470123456"],
    )
    index.add(
        2,
        given="Marie",
        particles="",
        surname="Claes",
        organisation="Acme NV",
        emails=["info@acme.example"],
        phones=["+3225123456"],
        linkedin_url="https://www.linkedin.com/in/marie-claes",
    )
    return index


def test_it_merges_on_a_personal_address_a_mobile_or_a_profile_when_the_names_agree(index):
    assert index.match(_record("J.", "Berg", emails=["JAN@acme.example"])).person == 1
    assert index.match(_record("Jan", "van der Berg", phones=[("+32470123456", "")])).person == 1
    profile = _record("Marie", "Claes", url="https://linkedin.com/in/Marie-Claes/?locale=nl_NL")
    assert index.match(profile).person == 2


def test_it_never_merges_on_a_role_address_or_a_switchboard(index):
    colleague = _record(
        "Pieter", "Janssens", emails=["info@acme.example"], phones=[("+3225123456", "work")]
    )
    found = index.match(colleague)
    assert (found.person, found.proposal) == (None, None)  # someone else: a new person
    assert is_role_address("Sales.Benelux@acme.example") and is_role_address("info@acme.example")
    assert not is_role_address("jan.peeters@acme.example")
    assert not is_personal_phone("+3225123456") and is_personal_phone("+32470123456")


def test_an_address_on_people_with_different_names_is_shared_and_merges_nobody(index):
    # A couple with one home address: the second is another person, the address on both.
    couple = _record("Els", "Maes", emails=["jan@acme.example"])
    assert index.match(couple).person is None
    index.add(3, given="Els", particles="", surname="Maes", emails=["jan@acme.example"])
    # From now on the address names nobody for sure, not even Jan.
    again = index.match(_record("Jan", "Berg", emails=["jan@acme.example"], org="Zeta"))
    assert again.person is None


def test_it_proposes_when_an_identifier_agrees_and_the_names_agree_partly(index):
    married = _record("Marie", "Peeters", url="https://www.linkedin.com/in/marie-claes")
    found = index.match(married)
    assert found.person is None
    assert found.proposal is not None and found.proposal[0] == 2
    nickname = index.match(_record("Johnny", "van der Berg", phones=[("+32470123456", "")]))
    assert nickname.person is None and nickname.proposal is not None


def test_it_proposes_on_name_and_organisation_and_keeps_other_organisations_apart(index):
    typo = _record("Jan", "Vanderberg", org="acme")
    assert index.match(_record("Jàn", "Berg", particles="Van Der")).proposal == (1, 100.0)
    assert index.match(typo).proposal is None  # a different surname is not folded into "Berg"
    elsewhere = _record("Jan", "Berg", particles="van der", org="Zeta")
    assert index.match(elsewhere).proposal is None
    # Two LinkedIn profiles are two people, whatever their names.
    other_profile = _record("Marie", "Claes", url="https://www.linkedin.com/in/marie-claes-2")
    assert index.match(other_profile).proposal is None
    assert name_key("Élise", "de", "Wit") == name_key("elise", "", "WIT")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("Jan", "", "Peeters"), ("J.", "", "Peeters"), "same"),
        (("Jan", "", "Peeters"), ("Peeters", "", "Jan"), "same"),
        (("Anne-Marie", "", "Wils"), ("Anne Marie", "", "Wils"), "same"),
        (("Jan", "van", "Dijk"), ("Jan", "", "Van Dijk"), "same"),
        (("Marie", "", "Claes"), ("Marie", "", "Peeters"), "partly"),
        (("Robert", "", "Smet"), ("Bob", "", "Smet"), "partly"),
        (("Marie", "", "Claes"), ("Jan", "", "Peeters"), "different"),
    ],
)
def test_it_tells_how_far_two_names_agree(a, b, expected):
    assert names_agree(name_parts(*a), name_parts(*b)) == expected


class _CountingFuzz:
    """rapidfuzz's ``fuzz``, counting the name comparisons the index makes."""

    def __init__(self, fuzz) -> None:
        self.fuzz = fuzz
        self.calls = 0

    def ratio(self, *args, **kwargs):
        self.calls += 1
        return self.fuzz.ratio(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.fuzz, name)


@settings(max_examples=15, deadline=None)
@given(st.integers(50, 3000), st.integers(1, 4))
def test_it_compares_a_name_once_however_many_people_share_it(many, spellings):
    index = PeopleIndex()
    names = ["Peeters", "Peetres", "Peters", "Peeterz"][:spellings]
    for i in range(many):
        index.add(
            i + 1,
            given="Jan",
            particles="",
            surname=names[i % spellings],
            organisation=f"Bedrijf {i % 97}",
        )
    original = matching.fuzz
    counting = _CountingFuzz(original)
    matching.fuzz = counting  # type: ignore[assignment]
    try:
        found = index.match(_record("Jan", "Peeters", org="Bedrijf 5"))
    finally:
        matching.fuzz = original
    assert found.proposal is not None
    # One comparison per distinct name of the block, however many people carry it.
    assert counting.calls <= spellings
