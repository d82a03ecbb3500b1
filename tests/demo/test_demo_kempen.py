"""The demo club is a Kempen club with a Dutch-speaking organiser and mostly Flemish contacts."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import phonenumbers
import pytest

from kring.accounts.models import User
from kring.cli.main import main as kring
from kring.demo.club import KEMPEN, PLACES_BE, PLACES_NL, demo_login, load_demo_club
from kring.people.models import ContactPoint, Interaction, Organisation, Person

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
FLEMISH_REGIONS = {"Antwerpen", "Limburg", "Vlaams-Brabant"}
PLACE_IN_NAME = re.compile(r"^\S+ (?P<place>.+) (BV|NV|CommV|VOF)$")


@pytest.fixture
def club(db):
    return load_demo_club(seed=7, members=10, now=NOW)


def test_it_gives_the_club_an_organiser_who_speaks_dutch(club):
    organiser = User.objects.get(email=demo_login())
    assert organiser.language == "nl"
    assert club.memberships.get(role="owner").user == organiser
    languages = Counter(User.objects.values_list("language", flat=True))
    assert languages["nl"] > languages["en"]


def test_it_prints_a_login_that_speaks_dutch(db, capsys):
    assert kring(["demo", "--members", "3"]) == 0
    login = re.search(r"Demo login: (\S+)", capsys.readouterr().out)
    assert login and User.objects.get(email=login.group(1)).language == "nl"


def test_it_seats_the_members_businesses_in_the_kempen(club):
    members = list(User.objects.all())
    regions = []
    for member in members:
        region = set(
            Organisation.objects.filter(name=member.organisation).values_list("region", flat=True)
        )
        assert len(region) == 1, member.organisation  # one organisation, known alike by all
        regions.extend(region)
    assert Counter(regions)["Antwerpen"] >= 0.8 * len(members)
    # Businesses that carry their town's name ("Peeters Geel BV") are in Flemish towns, in
    # the Kempen more often than in any province.
    towns = {place: area for area, places in PLACES_BE.items() for place in places}
    areas: Counter[str] = Counter()
    for name in Organisation.objects.values_list("name", flat=True).distinct():
        found = PLACE_IN_NAME.match(name)
        if found and found.group("place") in towns:
            place = found.group("place")
            areas["Kempen" if place in KEMPEN else towns[place]] += 1
    assert areas["Kempen"] == max(areas.values()) and areas["Kempen"] > areas["Limburg"] > 0


def test_it_gives_mostly_flemish_contacts_and_some_dutch_ones(club):
    people = Person.objects.count()
    regions = Counter(Person.objects.values_list("region", flat=True))
    assert set(regions) <= FLEMISH_REGIONS | set(PLACES_NL)
    flemish = sum(regions[r] for r in FLEMISH_REGIONS)
    assert flemish >= 0.75 * people
    assert regions["Antwerpen"] == max(regions.values())
    assert regions["Limburg"] and regions["Vlaams-Brabant"]
    assert 0.03 * people <= sum(regions[r] for r in PLACES_NL) <= 0.25 * people

    phones = list(ContactPoint.objects.filter(kind="phone").values_list("value", "label"))
    assert len(phones) == people
    countries: Counter[int] = Counter()
    for value, label in phones:
        number = phonenumbers.parse(value)
        assert phonenumbers.is_valid_number(number), value
        assert value == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        assert label == ("gsm" if mobile else "kantoor"), value
        countries[number.country_code] += 1
    assert countries[32] >= 0.75 * people
    assert countries[31] >= 0.03 * people
    assert set(countries) == {31, 32}
    # Office numbers are in Flemish telephone zones, the Kempen's 014 most of all.
    zones = Counter(
        str(phonenumbers.parse(v).national_number)[:2] for v, label in phones if label == "kantoor"
    )
    assert zones.most_common(1)[0][0] == "14"


def test_it_talks_in_kempen_places(club):
    summaries = set(Interaction.objects.values_list("summary", flat=True))
    assert {"Koffie in Geel", "Lunch in Herentals"} <= summaries
    assert not {"Koffie in Hasselt", "Wandeling langs de Schelde"} & summaries


def test_it_is_the_same_kempen_for_the_same_seed(db):
    def contacts() -> list[tuple[str, ...]]:
        return sorted(
            Person.objects.values_list(
                "given_name", "surname", "region", "organisation__name", "contact_points__value"
            )
        )

    load_demo_club(seed=3, members=3, now=NOW)
    first = contacts()
    User.objects.all().delete()
    Organisation.objects.all().delete()
    load_demo_club(seed=3, members=3, now=NOW)
    assert contacts() == first
