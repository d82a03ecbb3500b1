import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.accounts.models import User
from kring.people import actions
from kring.people.models import Interaction, Person
from kring.workspaces.models import Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_signs_up_logs_out_and_logs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("signup"),
            {"display_name": "Dora", "email": "dora@example.be", "language": "nl", "country": "BE"},
        )
    assert response["Location"] == reverse("signup_sent")
    link = re.search(r"https?://\S+/signup/finish/\S+/", mail.outbox[0].body).group(0)
    assert client.post(link, {"password": PASSWORD}).status_code == 302
    user = User.objects.get(email="dora@example.be")
    assert user.memberships.get().workspace.kind == "personal"
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302
    response = client.post(reverse("login"), {"username": "Dora@Example.be", "password": PASSWORD})
    assert response.status_code == 302


def test_it_resets_a_password_by_email(cast, client):
    client.post(reverse("password_reset"), {"email": "alice@example.be"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "a new secret phrase", "new_password2": "a new secret phrase"}
    )
    assert response.status_code == 302
    assert client.login(username="alice@example.be", password="a new secret phrase")


def test_it_sorts_van_der_berg_under_b_in_the_people_list(cast):
    for given, surname in [("Anna", "Aerts"), ("Carl", "Claes"), ("Zoë", "Bakker")]:
        actions.person_create(owner=cast.alice, given_name=given, surname=surname)
    body = cast.client(cast.alice).get(reverse("people")).content.decode()
    order = [
        body.index(name) for name in ["Anna Aerts", "Zoë Bakker", "Jan van der Berg", "Carl Claes"]
    ]
    assert order == sorted(order)


def test_it_lists_people_in_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    for i in range(30):
        actions.person_create(owner=cast.alice, given_name=f"P{i}", organisation_name=f"Org {i}")
    client = cast.client(cast.alice)
    client.get(reverse("people"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people"))
    for i in range(30, 60):
        actions.person_create(owner=cast.alice, given_name=f"P{i}", organisation_name=f"Org {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("people"))
    assert len(many) == len(few)
    assert len(few) <= 10


def test_it_answers_a_search_from_htmx_with_the_results_only(cast):
    response = cast.client(cast.alice).get(reverse("people"), {"q": "acme"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Jan van der Berg" in body
    assert "<html" not in body


def test_it_logs_a_five_minute_contact_from_the_person_page(cast):
    client = cast.client(cast.alice)
    url = reverse("person_log", args=[cast.jan.pk])
    response = client.post(
        url,
        {
            "channel": "call",
            "minutes": "5",
            "initiated_by": "me",
            "answered": "yes",
            "summary": "Quick catch-up",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Quick catch-up" in response.content.decode()
    assert Interaction.objects.filter(owner=cast.alice, summary="Quick catch-up").count() == 1


def test_it_refuses_a_bad_log_and_names_the_field(cast):
    client = cast.client(cast.alice)
    url = reverse("person_log", args=[cast.jan.pk])
    response = client.post(
        url, {"channel": "call", "minutes": "-3", "initiated_by": "me"}, HTTP_HX_REQUEST="true"
    )
    assert b'data-field="minutes"' in response.content
    response = client.post(
        url,
        {
            "channel": "call",
            "minutes": "5",
            "initiated_by": "me",
            "occurred_at": "2099-01-01T10:00",
        },
    )
    assert response.status_code == 400
    assert b'data-field="occurred_at"' in response.content
    assert Interaction.objects.count() == 1


def test_it_adds_a_person_and_shows_bad_phone_on_its_field(cast):
    client = cast.client(cast.alice)
    response = client.post(
        reverse("person_create"),
        {"given_name": "Els", "particles": "de", "surname": "Smet", "phones": "12", "tier": "B"},
    )
    assert response.status_code == 200
    assert b'data-field="phones"' in response.content
    assert not Person.objects.filter(given_name="Els").exists()
    response = client.post(
        reverse("person_create"),
        {
            "given_name": "Els",
            "particles": "de",
            "surname": "Smet",
            "tier": "B",
            "phones": "0470 11 22 33",
        },
    )
    person = Person.objects.get(given_name="Els")
    assert response.url == reverse("person", args=[person.pk])


def test_it_switches_the_language_and_remembers_it(cast):
    client = cast.client(cast.alice)
    assert "People" in client.get(reverse("people")).content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": reverse("people")})
    assert User.objects.get(pk=cast.alice.pk).language == "nl"
    assert "Personen" in client.get(reverse("people")).content.decode()


def test_it_speaks_dutch_to_a_browser_that_prefers_nl_be(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9,en;q=0.5").content
    assert "Inloggen" in body.decode()


def test_it_refuses_an_absurd_budget_in_settings(cast):
    client = cast.client(cast.alice)
    response = client.post(
        reverse("settings"), {"language": "en", "country": "BE", "weekly_budget_minutes": "100000"}
    )
    assert b'data-field="weekly_budget_minutes"' in response.content
    assert User.objects.get(pk=cast.alice.pk).weekly_budget_minutes == 120


def test_it_invites_by_email_and_the_invitee_joins(
    cast, client, django_capture_on_commit_callbacks
):
    owner = cast.client(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(
            reverse("workspace", args=[cast.club.pk]),
            {"email": "dora@example.be", "role": "member"},
        )
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invite/\S+/", mail.outbox[0].body).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("signup") + f"?next={link}",
            {
                "display_name": "Dora",
                "email": "dora@example.be",
                "language": "en",
                "country": "BE",
                "next": link,
            },
        )
    finish = re.search(r"https?://\S+/signup/finish/\S+/", mail.outbox[1].body).group(0)
    assert client.post(finish, {"password": PASSWORD})["Location"] == link
    client.post(link)
    dora = User.objects.get(email="dora@example.be")
    assert Membership.objects.filter(workspace=cast.club, user=dora, role="member").exists()
    # The link works once.
    assert client.get(link).status_code == 404


def test_it_lets_only_managers_invite(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client(cast.bob).post(
            reverse("workspace", args=[cast.club.pk]), {"email": "x@example.be", "role": "member"}
        )
    assert response.status_code == 200
    assert len(mail.outbox) == 0


def test_it_erases_a_person_from_the_web(cast):
    client = cast.client(cast.alice)
    client.post(reverse("person_erase", args=[cast.jan.pk]))
    assert not Person.objects.filter(given_name="Jan").exists()


def test_it_makes_and_revokes_an_api_token(cast, client):
    page = cast.client(cast.alice).post(reverse("token_create"), {"label": "script"})
    key = re.search(r"kr_[\w-]+", page.content.decode()).group(0)
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token = cast.alice.api_tokens.get()
    cast.client(cast.alice).post(reverse("token_revoke", args=[token.pk]))
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_it_erases_an_account_after_confirmation(cast):
    client = cast.client(cast.charlie)
    client.post(reverse("account_erase"), {"confirm": "wrong"})
    assert User.objects.filter(pk=cast.charlie.pk).exists()
    client.post(reverse("account_erase"), {"confirm": "charlie@example.com"})
    assert not User.objects.filter(pk=cast.charlie.pk).exists()


def test_it_keeps_a_club_owner_from_orphaning_the_club(cast):
    response = cast.client(cast.alice).post(
        reverse("account_erase"), {"confirm": "alice@example.be"}
    )
    assert b"another owner" in response.content or b"someone else an owner" in response.content
    assert User.objects.filter(pk=cast.alice.pk).exists()


def test_it_shows_every_page_to_its_owner(cast):
    client = cast.client(cast.alice)
    for name, args in [
        ("dashboard", []),
        ("people", []),
        ("person", [cast.jan.pk]),
        ("person_edit", [cast.jan.pk]),
        ("relationship_edit", [cast.jan.pk]),
        ("organisations", []),
        ("organisation", [cast.jan.organisation_id]),
        ("organisation_edit", [cast.jan.organisation_id]),
        ("asks", []),
        ("notes", []),
        ("workspaces", []),
        ("workspace", [cast.club.pk]),
        ("settings", []),
        ("person_create", []),
        ("organisation_create", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_it_edits_an_organisation_with_competitors_and_tags(cast):
    rival = actions.organisation_create(owner=cast.alice, name="Rival NV")
    client = cast.client(cast.alice)
    org = cast.jan.organisation
    client.post(reverse("organisation_edit", args=[org.pk]), {
        "name": "Acme", "sector": "Farma", "tags": "klant, farma", "competes_with": [rival.pk],
    })  # fmt: skip
    org.refresh_from_db()
    assert org.sector == "Farma"
    assert sorted(t.name for t in org.tags.all()) == ["farma", "klant"]
    assert list(rival.competes_with.all()) == [org]
    body = client.get(reverse("organisation", args=[rival.pk])).content.decode()
    assert "Acme" in body


def test_it_refuses_a_competitor_from_another_file(cast):
    theirs = actions.organisation_create(owner=cast.bob, name="Bob's NV")
    response = cast.client(cast.alice).post(
        reverse("organisation_edit", args=[cast.jan.organisation_id]),
        {"name": "Acme", "competes_with": [theirs.pk]},
    )
    assert b'data-field="competes_with"' in response.content
    assert not theirs.competes_with.exists()


def test_it_shows_the_admin_read_only_to_staff(cast):
    cast.alice.is_staff = cast.alice.is_superuser = True
    cast.alice.save(update_fields=["is_staff", "is_superuser"])
    client = cast.client(cast.alice)
    assert client.get("/admin/people/person/").status_code == 200
    assert client.get("/admin/people/person/add/").status_code == 403
    assert client.get(f"/admin/people/person/{cast.jan.pk}/change/").status_code == 200
    client.post(f"/admin/people/person/{cast.jan.pk}/delete/", {"post": "yes"})
    assert not Person.objects.filter(given_name="Jan").exists()


def test_it_shows_the_relationship_strength_on_the_person_page(cast):
    with time_machine.travel(dt.datetime(2026, 11, 10, tzinfo=dt.UTC)):
        body = cast.client(cast.alice).get(reverse("person", args=[cast.jan.pk])).content.decode()
    match = re.search(r"Strength: (\d+)/100", body)
    assert match and 0 < int(match.group(1)) < 100


def test_it_shows_the_favour_balance_of_a_tie(cast):
    actions.favour_record(owner=cast.alice, person=cast.jan, direction="received", kind="advice")
    body = cast.client(cast.alice).get(reverse("person", args=[cast.jan.pk])).content.decode()
    assert "Favours: 1 given, 1 received" in body


def test_it_keeps_the_time_zone_a_user_chooses_and_refuses_one_that_does_not_exist(cast):
    client = cast.client(cast.alice)
    base = {"language": "en", "country": "BE", "weekly_budget_minutes": "120"}
    client.post(reverse("settings"), {**base, "time_zone": "Europe/Amsterdam"})
    assert User.objects.get(pk=cast.alice.pk).time_zone == "Europe/Amsterdam"
    response = client.post(reverse("settings"), {**base, "time_zone": "Europe/Atlantis"})
    assert b'data-field="time_zone"' in response.content
    assert User.objects.get(pk=cast.alice.pk).time_zone == "Europe/Amsterdam"
    # Left out, the zone stays.
    client.post(reverse("settings"), base)
    assert User.objects.get(pk=cast.alice.pk).time_zone == "Europe/Amsterdam"
