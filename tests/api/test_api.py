"""The API, each answer checked against the OpenAPI schema it publishes."""

from __future__ import annotations

import re

import jsonschema
import pytest

from kring.accounts.actions import api_token_create
from kring.people.models import Interaction, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast, client):
    _, key = api_token_create(user=cast.alice)
    schema = client.get("/api/openapi.json").json()

    class Api:
        def call(self, method, path, body=None, status=200):
            response = getattr(client, method)(
                path,
                data=body or {},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {key}",
            )
            assert response.status_code == status, response.content
            data = response.json() if response.content else None
            self.check(method, path, response.status_code, data)
            return data

        def check(self, method, path, status, data):
            template = _find_path(schema, path.split("?")[0])
            answer = schema["paths"][template][method]["responses"][str(status)]
            if "content" not in answer:
                assert data is None
                return
            spec = answer["content"]["application/json"]["schema"]
            jsonschema.validate(data, {**spec, "components": schema["components"]})

    return Api()


def _find_path(schema, path):
    for template in schema["paths"]:
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI schema")


def test_it_publishes_an_openapi_schema_for_every_entity(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in [
        "/api/people",
        "/api/people/{person_id}",
        "/api/people/{person_id}/relationship",
        "/api/organisations",
        "/api/interactions",
        "/api/notes",
        "/api/favours",
        "/api/asks",
    ]:
        assert path in paths


def test_it_refuses_requests_without_a_valid_token(client):
    assert client.get("/api/people").status_code == 401
    assert client.get("/api/people", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_it_creates_reads_updates_and_erases_a_person(api, cast):
    person = api.call(
        "post",
        "/api/people",
        {
            "given_name": "Els",
            "particles": "de",
            "surname": "Smet",
            "emails": ["els@example.be"],
            "phones": ["0470 99 88 77"],
            "organisation_name": "Beta BV",
            "tier": "A",
            "tags": ["prospect"],
        },
        status=201,
    )
    assert person["full_name"] == "Els de Smet"
    assert person["phones"] == ["+32470998877"]
    assert person["organisation"] == "Beta BV"
    fetched = api.call("get", f"/api/people/{person['id']}")
    assert fetched == person
    updated = api.call("patch", f"/api/people/{person['id']}", {"title": "CFO"})
    assert updated["title"] == "CFO" and updated["surname"] == "Smet"
    listed = api.call("get", "/api/people?q=smet")
    assert [p["id"] for p in listed["items"]] == [person["id"]]
    api.call("delete", f"/api/people/{person['id']}", status=204)
    assert not Person.objects.filter(pk=person["id"]).exists()


def test_it_names_the_field_of_a_bad_value(api):
    answer = api.call("post", "/api/people", {"given_name": "Els", "emails": ["nope"]}, status=422)
    assert "emails" in answer["errors"]
    answer = api.call("post", "/api/people", {"given_name": "", "tier": "Z"}, status=422)
    assert {"given_name", "tier"} <= set(answer["errors"])
    answer = api.call("post", "/api/interactions", {"people": [], "channel": "call"}, status=422)
    assert "people" in answer["errors"]
    answer = api.call(
        "post",
        "/api/favours",
        {"person_id": 1, "direction": "given", "kind": "advice", "value_eur": "-1"},
        status=422,
    )
    assert "value_eur" in answer["errors"]
    assert Person.objects.count() == 1


def test_it_logs_and_lists_interactions(api, cast):
    made = api.call(
        "post",
        "/api/interactions",
        {
            "people": [cast.jan.pk],
            "channel": "message",
            "minutes": 5,
            "initiated_by": "me",
            "answered": False,
            "summary": "LinkedIn follow-up",
        },
        status=201,
    )
    assert made["people"] == [cast.jan.pk]
    listed = api.call("get", f"/api/interactions?person={cast.jan.pk}")
    assert {i["summary"] for i in listed["items"]} == {
        "LinkedIn follow-up",
        "Talked about the merger",
    }
    api.call("delete", f"/api/interactions/{made['id']}", status=204)
    assert Interaction.objects.count() == 1


def test_it_covers_relationships_organisations_notes_favours_and_asks(api, cast):
    rel = api.call(
        "patch", f"/api/people/{cast.jan.pk}/relationship", {"tier": "C", "how_met": "Voka event"}
    )
    assert (rel["tier"], rel["how_met"]) == ("C", "Voka event")
    org = api.call(
        "post", "/api/organisations", {"name": "Rival NV", "sector": "Farma"}, status=201
    )
    acme = api.call(
        "patch", f"/api/organisations/{cast.jan.organisation_id}", {"competes_with": [org["id"]]}
    )
    assert acme["competes_with"] == [org["id"]]
    assert api.call("get", f"/api/organisations/{org['id']}")["competes_with"] == [acme["id"]]
    note = api.call(
        "post",
        "/api/notes",
        {"text": "Prices go up", "person_id": cast.jan.pk, "tags": ["markt"]},
        status=201,
    )
    assert note["tags"] == ["markt"]
    favour = api.call(
        "post",
        "/api/favours",
        {
            "person_id": cast.jan.pk,
            "direction": "received",
            "kind": "referral",
            "value_eur": "1500.00",
        },
        status=201,
    )
    assert favour["value_eur"] in ("1500.00", 1500, "1500")
    ask = api.call("post", "/api/asks", {"text": "CFOs in Antwerp", "role": "CFO"}, status=201)
    assert ask["person_id"] is None
    assert len(api.call("get", "/api/asks")["items"]) == 2
    api.call("get", f"/api/people/{cast.jan.pk}/export")


def test_it_sets_a_sharing_level_for_a_workspace(api, cast):
    rel = api.call(
        "put",
        f"/api/people/{cast.jan.pk}/relationship/shares/{cast.club.pk}",
        {"level": "organisation"},
    )
    assert rel["shares"] == [{"workspace_id": cast.club.pk, "level": "organisation"}]
    answer = api.call(
        "put",
        f"/api/people/{cast.jan.pk}/relationship/shares/{cast.club.pk}",
        {"level": "everything"},
        status=422,
    )
    assert "level" in answer["errors"]


def test_it_will_not_share_into_a_workspace_one_is_not_in(cast, client):
    from kring.workspaces.actions import workspace_create

    other = workspace_create(owner=cast.charlie, name="Elsewhere", kind="club")
    _, key = api_token_create(user=cast.alice)
    response = client.put(
        f"/api/people/{cast.jan.pk}/relationship/shares/{other.pk}",
        data={"level": "name_role"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 404
