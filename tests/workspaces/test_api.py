"""Workspaces through the API: mine, members, invitations, roles, settings, leaving. Alice
owns the club, Bob is a plain member, Charlie is outside: he finds nothing (404), Bob may not
manage (403). Every answer is checked against the published OpenAPI schema."""

from __future__ import annotations

import pytest
from django.core import mail

from kring.workspaces.models import Invitation, Membership, Workspace
from tests.api.schema_client import SchemaClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast):
    return SchemaClient([cast.alice, cast.bob, cast.charlie])


def _bob(cast):
    return Membership.objects.get(workspace=cast.club, user=cast.bob)


def test_it_lists_my_workspaces_with_my_role(api, cast):
    alice = api.call(cast.alice, "get", "/api/workspaces")
    assert [(w["kind"], w["my_role"]) for w in alice] == [("club", "owner"), ("personal", "owner")]
    bob = {w["id"]: w for w in api.call(cast.bob, "get", "/api/workspaces")}
    assert (bob[cast.club.pk]["my_role"], bob[cast.club.pk]["can_manage"]) == ("member", False)
    assert cast.club.pk not in {w["id"] for w in api.call(cast.charlie, "get", "/api/workspaces")}
    made = api.call(
        cast.charlie, "post", "/api/workspaces", {"name": "Rotary", "kind": "club"}, 201
    )
    assert (made["name"], made["my_role"]) == ("Rotary", "owner")
    assert "kind" in api.errors(
        cast.charlie, "post", "/api/workspaces", {"name": "X", "kind": "personal"}
    )
    assert "name" in api.errors(
        cast.charlie, "post", "/api/workspaces", {"name": "", "kind": "club"}
    )


def test_it_shows_members_to_members_only(api, cast):
    members = api.call(cast.bob, "get", f"/api/workspaces/{cast.club.pk}/members")
    assert {(m["name"], m["role"]) for m in members} == {("Alice", "owner"), ("Bob", "member")}
    assert all("email" not in m for m in members)
    for path in (f"/api/workspaces/{cast.club.pk}", f"/api/workspaces/{cast.club.pk}/members"):
        assert api.call(cast.charlie, "get", path, status=404) == {
            "code": "not_found",
            "detail": "Not found",
        }
    api.call(cast.charlie, "get", "/api/workspaces/999999", status=404)


def test_it_lets_managers_change_the_settings(api, cast):
    path = f"/api/workspaces/{cast.club.pk}"
    changed = api.call(cast.alice, "patch", path, {"time_zone": "Europe/Amsterdam"})
    assert (changed["time_zone"], changed["name"]) == ("Europe/Amsterdam", "Businessclub Test")
    api.call(cast.bob, "patch", path, {"name": "Bob's club"}, status=403)
    api.call(cast.charlie, "patch", path, {"name": "Charlie's club"}, status=404)
    assert "time_zone" in api.errors(cast.alice, "patch", path, {"time_zone": "Mars/Olympus"})
    assert "name" in api.errors(cast.alice, "patch", path, {"name": "   "})
    club = Workspace.objects.get(pk=cast.club.pk)
    assert (club.name, club.time_zone) == ("Businessclub Test", "Europe/Amsterdam")


def test_it_lets_managers_invite_by_email(api, cast, django_capture_on_commit_callbacks):
    path = f"/api/workspaces/{cast.club.pk}/invitations"
    with django_capture_on_commit_callbacks(execute=True):
        made = api.call(cast.alice, "post", path, {"email": "dora@example.be"}, status=201)
    assert (made["email"], made["role"]) == ("dora@example.be", "member")
    (message,) = mail.outbox
    assert message.to == ["dora@example.be"] and "/invite/" in message.body
    assert [i["email"] for i in api.call(cast.alice, "get", path)] == ["dora@example.be"]
    api.call(cast.bob, "get", path, status=403)
    api.call(cast.bob, "post", path, {"email": "eve@example.be"}, status=403)
    api.call(cast.charlie, "get", path, status=404)
    api.call(cast.charlie, "post", path, {"email": "eve@example.be"}, status=404)
    assert "email" in api.errors(cast.alice, "post", path, {"email": "nope"})
    assert "email" in api.errors(cast.alice, "post", path, {"email": "bob@example.nl"})
    assert "role" in api.errors(
        cast.alice, "post", path, {"email": "eve@example.be", "role": "king"}
    )
    assert list(Invitation.objects.values_list("email", flat=True)) == ["dora@example.be"]


def test_it_lets_managers_change_roles(api, cast):
    path = f"/api/workspaces/{cast.club.pk}/members/{_bob(cast).pk}"
    assert api.call(cast.alice, "patch", path, {"role": "admin"})["role"] == "admin"
    # An admin may manage, but only an owner makes an owner.
    api.call(cast.bob, "patch", path, {"role": "owner"}, status=403)
    api.call(cast.charlie, "patch", path, {"role": "owner"}, status=404)
    assert "role" in api.errors(cast.alice, "patch", path, {"role": "king"})
    # A membership of another workspace is not found through this one.
    charlies = Membership.objects.get(user=cast.charlie)
    api.call(cast.alice, "patch", f"/api/workspaces/{cast.club.pk}/members/{charlies.pk}",
             {"role": "admin"}, status=404)  # fmt: skip
    alices = Membership.objects.get(workspace=cast.club, user=cast.alice)
    errors = api.errors(cast.alice, "patch", f"/api/workspaces/{cast.club.pk}/members/{alices.pk}",
                        {"role": "member"})  # fmt: skip
    assert "role" in errors  # a workspace keeps an owner
    assert _bob(cast).role == "admin" and Membership.objects.get(user=cast.charlie).role == "owner"


def test_it_lets_a_member_leave(api, cast):
    api.call(cast.charlie, "post", f"/api/workspaces/{cast.club.pk}/leave", {}, status=404)
    personal = Membership.objects.get(user=cast.alice, workspace__kind="personal").workspace_id
    assert "workspace" in api.errors(cast.alice, "post", f"/api/workspaces/{personal}/leave", {})
    assert "keep_name" in api.errors(
        cast.bob, "post", f"/api/workspaces/{cast.club.pk}/leave", {"keep_name": "perhaps"}
    )
    api.call(cast.bob, "post", f"/api/workspaces/{cast.club.pk}/leave", {"keep_name": True}, 204)
    assert not Membership.objects.filter(workspace=cast.club, user=cast.bob).exists()
    api.call(cast.bob, "get", f"/api/workspaces/{cast.club.pk}", status=404)


def test_it_answers_in_the_language_of_the_tokens_owner(api, cast):
    path = f"/api/workspaces/{cast.club.pk}/invitations"
    body = {"email": "bob@example.nl"}
    assert api.errors(cast.alice, "post", path, body)["email"] == [
        "bob@example.nl is already a member."
    ]
    api.call(cast.alice, "patch", "/api/me", {"language": "nl"})
    assert api.errors(cast.alice, "post", path, body)["email"] == ["bob@example.nl is al lid."]
    assert api.call(cast.bob, "post", path, {"email": "x@example.be"}, status=403)["detail"] == (
        "Only the workspace's owner or an admin can do this."
    )


def test_it_answers_in_the_readers_language_with_a_code_that_stays(api, cast):
    cast.charlie.language = "nl"
    cast.charlie.save(update_fields=["language"])
    path = f"/api/workspaces/{cast.club.pk}"
    assert api.call(cast.charlie, "get", path, status=404) == {
        "code": "not_found",
        "detail": "Niet gevonden",
    }
