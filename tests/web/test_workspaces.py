import pytest
from django.test import Client
from django.urls import reverse

from kring.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def _role_url(cast, user):
    membership = Membership.objects.get(workspace=cast.club, user=user)
    return reverse("membership_role", args=[cast.club.pk, membership.pk])


def test_it_lets_the_owner_make_a_member_admin(cast):
    cast.client(cast.alice).post(_role_url(cast, cast.bob), {"role": "admin"})
    assert Membership.objects.get(workspace=cast.club, user=cast.bob).role == "admin"


def test_it_refuses_a_plain_member_changing_roles(cast):
    response = cast.client(cast.bob).post(_role_url(cast, cast.alice), {"role": "member"})
    assert response.status_code == 403
    assert Membership.objects.get(workspace=cast.club, user=cast.alice).role == "owner"


def test_it_keeps_at_least_one_owner(cast):
    cast.client(cast.alice).post(_role_url(cast, cast.alice), {"role": "member"})
    assert Membership.objects.get(workspace=cast.club, user=cast.alice).role == "owner"


def test_it_refuses_an_unknown_role(cast):
    cast.client(cast.alice).post(_role_url(cast, cast.bob), {"role": "emperor"})
    assert Membership.objects.get(workspace=cast.club, user=cast.bob).role == "member"


def test_it_lets_a_member_leave_and_stops_their_sharing(cast):
    from kring.people import actions
    from kring.people.models import Share

    person = actions.person_create(owner=cast.bob, given_name="Kees", organisation_name="Beta")
    actions.share_set(
        actor=cast.bob, relationship=person.relationship, workspace=cast.club, level="name_role"
    )
    cast.client(cast.bob).post(reverse("workspace_leave", args=[cast.club.pk]))
    assert not Membership.objects.filter(workspace=cast.club, user=cast.bob).exists()
    assert not Share.objects.filter(workspace=cast.club).exists()


def test_it_creates_a_club_workspace(cast):
    response = cast.client(cast.charlie).post(
        reverse("workspaces"), {"name": "Open Coffee Gent", "kind": "club"}
    )
    membership = Membership.objects.get(user=cast.charlie, workspace__name="Open Coffee Gent")
    assert membership.role == "owner"
    assert response.url == reverse("workspace", args=[membership.workspace_id])


def test_it_refuses_a_post_without_its_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alice)
    response = client.post(
        reverse("person_log", args=[cast.jan.pk]),
        {"channel": "call", "minutes": 5, "initiated_by": "me"},
    )
    assert response.status_code == 403


def test_it_lets_the_owner_set_the_clubs_time_zone_and_no_one_else(cast, client):
    url = reverse("workspace_settings", args=[cast.club.pk])
    cast.client(cast.alice).post(url, {"name": "Kring Kempen", "time_zone": "Europe/Amsterdam"})
    cast.club.refresh_from_db()
    assert (cast.club.name, cast.club.time_zone) == ("Kring Kempen", "Europe/Amsterdam")
    # A bad zone, a plain member and an outsider change nothing.
    response = cast.client(cast.alice).post(
        url, {"name": "X", "time_zone": "Mars/Base"}, follow=True
    )
    assert "Mars/Base" in response.content.decode()
    assert (
        cast.client(cast.bob).post(url, {"name": "X", "time_zone": "Europe/Paris"}).status_code
        == 403
    )
    assert (
        cast.client(cast.charlie).post(url, {"name": "X", "time_zone": "Europe/Paris"}).status_code
        == 404
    )
    cast.club.refresh_from_db()
    assert (cast.club.name, cast.club.time_zone) == ("Kring Kempen", "Europe/Amsterdam")
