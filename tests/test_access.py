"""Nobody sees what is not theirs: every page, API endpoint and CLI command that reads data,
tried by Bob (in Alice's club) and Charlie (an outsider) on Alice's rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kring.accounts.actions import api_token_create
from kring.cli.main import main as kring
from kring.people.models import Favour, IntelligenceNote, Interaction, Person

pytestmark = pytest.mark.django_db

SECRETS = ["Berg", "Secret: wants to leave", "merger", "Acme opens a lab", "HR managers in Hasselt"]


def _page_urls(cast):
    p, org = cast.jan.pk, cast.jan.organisation_id
    return [
        ("get", reverse("person", args=[p])),
        ("get", reverse("person_edit", args=[p])),
        ("get", reverse("relationship_edit", args=[p])),
        ("get", reverse("person_export", args=[p])),
        ("get", reverse("person_erase", args=[p])),
        ("post", reverse("person_erase", args=[p])),
        ("post", reverse("person_log", args=[p])),
        ("post", reverse("person_note", args=[p])),
        ("post", reverse("person_favour", args=[p])),
        ("post", reverse("person_ask", args=[p])),
        ("post", reverse("person_share", args=[p])),
        ("post", reverse("interaction_erase", args=[cast.interaction_id])),
        ("get", reverse("organisation", args=[org])),
        ("get", reverse("organisation_edit", args=[org])),
    ]


@pytest.mark.parametrize("intruder", ["bob", "charlie"])
def test_it_answers_not_found_on_every_page_of_someone_elses_person(cast, intruder):
    client = cast.client(getattr(cast, intruder))
    for method, url in _page_urls(cast):
        response = getattr(client, method)(
            url,
            {
                "channel": "call",
                "minutes": 5,
                "initiated_by": "me",
                "text": "x",
                "direction": "given",
                "kind": "advice",
                "workspace": cast.club.pk,
                "level": "name_role",
            },
        )
        assert response.status_code == 404, (method, url)
    assert Person.objects.filter(pk=cast.jan.pk).exists()
    assert Interaction.objects.filter(pk=cast.interaction_id).exists()
    assert Interaction.objects.count() == 1
    assert Favour.objects.count() == 1


@pytest.mark.parametrize("intruder", ["bob", "charlie"])
def test_it_leaks_nothing_on_list_pages(cast, intruder):
    client = cast.client(getattr(cast, intruder))
    for name in ["dashboard", "people", "organisations", "asks", "notes", "workspaces"]:
        body = client.get(reverse(name), {"q": "acme"}).content.decode()
        for secret in SECRETS:
            assert secret not in body, (name, secret)
    body = client.get(reverse("account_export")).content.decode()
    for secret in SECRETS:
        assert secret not in body


def test_it_hides_a_club_from_outsiders_and_its_private_notes_from_members(cast):
    assert (
        cast.client(cast.charlie).get(reverse("workspace", args=[cast.club.pk])).status_code == 404
    )
    body = cast.client(cast.bob).get(reverse("workspace", args=[cast.club.pk])).content.decode()
    for secret in SECRETS:
        assert secret not in body


def _api_paths(cast):
    p = cast.jan.pk
    return [
        ("get", f"/api/people/{p}"),
        ("patch", f"/api/people/{p}"),
        ("delete", f"/api/people/{p}"),
        ("get", f"/api/people/{p}/export"),
        ("get", f"/api/people/{p}/relationship"),
        ("patch", f"/api/people/{p}/relationship"),
        ("get", f"/api/organisations/{cast.jan.organisation_id}"),
        ("patch", f"/api/organisations/{cast.jan.organisation_id}"),
        ("get", f"/api/interactions/{cast.interaction_id}"),
        ("delete", f"/api/interactions/{cast.interaction_id}"),
        ("get", f"/api/interactions?person={p}"),
        ("get", f"/api/favours?person={p}"),
        ("delete", f"/api/notes/{cast.note_id}"),
        ("delete", f"/api/favours/{cast.favour_id}"),
        ("delete", f"/api/asks/{cast.ask_id}"),
    ]


@pytest.mark.parametrize("intruder", ["bob", "charlie"])
def test_it_answers_not_found_on_every_api_path_of_someone_elses_rows(cast, client, intruder):
    _, key = api_token_create(user=getattr(cast, intruder))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for method, path in _api_paths(cast):
        response = getattr(client, method)(path, data={}, content_type="application/json", **auth)
        assert response.status_code == 404, (method, path, response.content)
        assert response.json() == {"detail": "Not found"}
    for path in [
        "/api/people",
        "/api/organisations",
        "/api/interactions",
        "/api/notes",
        "/api/favours",
        "/api/asks",
    ]:
        body = client.get(path, **auth).content.decode()
        for secret in SECRETS:
            assert secret not in body, (path, secret)
    assert IntelligenceNote.objects.filter(pk=cast.note_id).exists()


def test_it_answers_not_found_alike_for_missing_and_not_yours(cast, client):
    _, key = api_token_create(user=cast.bob)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    missing = client.get("/api/people/999999", **auth)
    not_yours = client.get(f"/api/people/{cast.jan.pk}", **auth)
    assert (missing.status_code, missing.content) == (not_yours.status_code, not_yours.content)


@pytest.mark.parametrize("intruder", ["bob", "charlie"])
def test_it_answers_not_found_on_every_cli_command(cast, capsys, intruder):
    email = getattr(cast, intruder).email
    p = str(cast.jan.pk)
    for argv in (
        ["people", "show", p],
        ["log", p],
        ["export", "--person", p],
        ["erase-person", p, "--yes"],
        ["people", "show", "Berg"],
    ):
        assert kring([*argv, "--user", email]) == 2, argv
        err = capsys.readouterr().err
        assert "not found" in err or "nobody matches" in err
        assert "Berg" not in err.replace("'Berg'", "")
    assert kring(["people", "list", "--user", email, "--json"]) == 0
    out = capsys.readouterr().out
    for secret in SECRETS:
        assert secret not in out
    assert Person.objects.filter(pk=cast.jan.pk).exists()
