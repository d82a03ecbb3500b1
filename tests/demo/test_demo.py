import datetime as dt

import pytest

from kring.accounts.models import User
from kring.cli.main import main as kring
from kring.demo.club import CLUB_NAME, demo_login, load_demo_club
from kring.people.models import Favour, Interaction, Person, Share
from kring.workspaces.models import Workspace

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def test_it_loads_a_club_whose_members_have_real_networks():
    club = load_demo_club(seed=7, members=4, now=NOW)
    assert club.name == CLUB_NAME and club.kind == Workspace.Kind.CLUB
    assert club.memberships.count() == 4
    for user in User.objects.all():
        people = Person.objects.filter(owner=user).count()
        assert 150 <= people <= 600
        channels = set(Interaction.objects.filter(owner=user).values_list("channel", flat=True))
        assert {"in_person", "call", "email", "message", "event"} <= channels
        first = Interaction.objects.filter(owner=user).order_by("occurred_at").first()
        assert first.occurred_at < NOW - dt.timedelta(days=400)
    assert Favour.objects.exists() and Share.objects.exists()
    assert demo_login() == club.memberships.get(role="owner").user.email


def test_it_is_the_same_club_for_the_same_seed():
    load_demo_club(seed=7, members=3, now=NOW)
    first = sorted(Person.objects.values_list("given_name", "surname"))
    Workspace.objects.all().delete()
    User.objects.all().delete()
    load_demo_club(seed=7, members=3, now=NOW)
    assert sorted(Person.objects.values_list("given_name", "surname")) == first


def test_it_refuses_a_database_that_is_not_empty(cast, capsys):
    assert kring(["demo", "--members", "3"]) == 2
    assert "--replace" in capsys.readouterr().err
    assert not Workspace.objects.filter(name=CLUB_NAME).exists()


def test_it_replaces_everything_when_told(cast, capsys):
    assert kring(["demo", "--members", "3", "--replace"]) == 0
    assert "Demo login:" in capsys.readouterr().out
    assert not User.objects.filter(email="alice@example.be").exists()
    assert Workspace.objects.filter(name=CLUB_NAME).exists()
