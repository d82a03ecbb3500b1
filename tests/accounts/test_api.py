"""My account through the API: settings (time zone and language too) and API tokens, each
answer checked against the published OpenAPI schema."""

from __future__ import annotations

import pytest

from kring.accounts.models import ApiToken, User
from tests.api.schema_client import SchemaClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast):
    return SchemaClient([cast.alice, cast.bob])


def test_it_reads_and_updates_my_settings(api, cast):
    me = api.call(cast.alice, "get", "/api/me")
    assert (me["email"], me["time_zone"], me["language"]) == (
        "alice@example.be",
        "Europe/Brussels",
        "en",
    )
    changed = api.call(
        cast.alice,
        "patch",
        "/api/me",
        {"time_zone": "Europe/Amsterdam", "language": "nl", "offer": "Advice on R&D grants"},
    )
    assert (changed["time_zone"], changed["language"]) == ("Europe/Amsterdam", "nl")
    assert changed["offer"] == "Advice on R&D grants" and changed["display_name"] == "Alice"
    alice = User.objects.get(pk=cast.alice.pk)
    assert (alice.time_zone, alice.language) == ("Europe/Amsterdam", "nl")
    assert api.call(cast.bob, "get", "/api/me")["time_zone"] == "Europe/Brussels"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"language": "fr"}, "language"),
        ({"country": "XX"}, "country"),
        ({"weekly_budget_minutes": -5}, "weekly_budget_minutes"),
        ({"display_name": "x" * 151}, "display_name"),
    ],
)
def test_it_names_the_field_of_a_bad_setting_and_changes_nothing(api, cast, body, field):
    errors = api.errors(cast.alice, "patch", "/api/me", {"offer": "Grants", **body})
    assert list(errors) == [field] and errors[field][0]
    alice = User.objects.get(pk=cast.alice.pk)
    assert (alice.time_zone, alice.language, alice.offer) == ("Europe/Brussels", "en", "")


def test_it_makes_lists_and_revokes_tokens(api, cast):
    made = api.call(cast.alice, "post", "/api/me/tokens", {"label": "phone"}, status=201)
    assert made["key"].startswith(made["prefix"]) and made["label"] == "phone"
    listed = api.call(cast.alice, "get", "/api/me/tokens")
    assert [t["id"] for t in listed] == [
        made["id"],
        ApiToken.objects.get(user=cast.alice, label="").pk,
    ]
    assert all("key" not in t for t in listed)
    phone = api.client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {made['key']}")
    assert phone.json()["email"] == "alice@example.be"
    api.call(cast.alice, "delete", f"/api/me/tokens/{made['id']}", status=204)
    assert api.client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {made['key']}").status_code == 401
    assert len(api.call(cast.alice, "get", "/api/me/tokens")) == 1


def test_it_answers_not_found_for_someone_elses_token(api, cast):
    bobs = ApiToken.objects.get(user=cast.bob)
    api.call(cast.alice, "delete", f"/api/me/tokens/{bobs.pk}", status=404)
    assert ApiToken.objects.filter(pk=bobs.pk).exists()
    assert [t["id"] for t in api.call(cast.alice, "get", "/api/me/tokens")] != [bobs.pk]
    assert "label" in api.errors(cast.alice, "post", "/api/me/tokens", {"label": "x" * 101})
    assert ApiToken.objects.filter(user=cast.alice).count() == 1
