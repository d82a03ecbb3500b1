"""Rotating project teams through the API: Alice owns company Acme, Bob is a plain member
(403 on managing), Charlie is outside (404). Every answer is checked against the published
OpenAPI schema."""

from __future__ import annotations

import pytest

from kring.accounts.actions import user_sign_up
from kring.teams.models import DepartmentAssignment, Rotation
from kring.workspaces.actions import workspace_create
from kring.workspaces.models import Membership, Workspace
from tests.api.schema_client import SchemaClient
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(cast):
    """Company Acme: Alice (owner), Bob and four more, in Sales and R&D."""
    acme = workspace_create(owner=cast.alice, name="Acme", kind=Workspace.Kind.COMPANY)
    Membership.objects.create(workspace=acme, user=cast.bob)
    for i in range(4):
        user = user_sign_up(email=f"c{i}@acme.example", password=PASSWORD, display_name=f"C{i}")
        Membership.objects.create(workspace=acme, user=user)
    cast.acme = acme
    return cast


@pytest.fixture
def api(acme):
    return SchemaClient([acme.alice, acme.bob, acme.charlie])


def _departments(api, cast):
    body = {
        "departments": [
            {"user_id": m.user_id, "department": ["Sales", "R&D"][i % 2]}
            for i, m in enumerate(cast.acme.memberships.order_by("id"))
        ]
    }
    return api.call(cast.alice, "put", f"/api/workspaces/{cast.acme.pk}/departments", body)


def test_it_sets_and_lists_departments(api, acme):
    path = f"/api/workspaces/{acme.acme.pk}/departments"
    assert {d["department"] for d in api.call(acme.bob, "get", path)} == {""}
    assert {d["department"] for d in _departments(api, acme)} == {"Sales", "R&D"}
    bob = next(d for d in api.call(acme.bob, "get", path) if d["user_id"] == acme.bob.pk)
    assert bob == {"user_id": acme.bob.pk, "name": "Bob", "department": "R&D"}
    mine = {"departments": [{"user_id": acme.bob.pk, "department": "Legal"}]}
    api.call(acme.bob, "put", path, mine, status=403)
    api.call(acme.charlie, "get", path, status=404)
    api.call(acme.charlie, "put", path, mine, status=404)
    stranger = {"departments": [{"user_id": acme.charlie.pk, "department": "Legal"}]}
    assert "departments" in api.errors(acme.alice, "put", path, stranger)
    too_long = {"departments": [{"user_id": acme.bob.pk, "department": "x" * 81}]}
    assert any(
        field.startswith("departments") for field in api.errors(acme.alice, "put", path, too_long)
    )
    assert DepartmentAssignment.objects.get(user=acme.bob).department == "R&D"


def test_it_forms_teams_and_shows_my_team(api, acme):
    _departments(api, acme)
    path = f"/api/workspaces/{acme.acme.pk}/rotations"
    made = api.call(
        acme.alice, "post", path, {"name": "Q1", "team_size": 3, "rounds": 2}, status=201
    )
    assert (made["state"], made["current_round"]) == ("running", 1)
    everyone = sorted(m.user_id for m in acme.acme.memberships.all())
    for round_ in made["schedule"]:
        assert sorted(m["user_id"] for t in round_["teams"] for m in t["members"]) == everyone
        assert all(len({m["department"] for m in t["members"]}) == 2 for t in round_["teams"])
    seen = api.call(acme.bob, "get", f"/api/rotations/{made['id']}")
    assert acme.bob.pk in {m["user_id"] for m in seen["my_team"]["members"]}
    assert seen["my_team"]["id"] == seen["schedule"][0]["my_team_id"]
    assert [r["id"] for r in api.call(acme.bob, "get", path)] == [made["id"]]


def test_it_lets_only_managers_form_and_delete_rotations(api, acme):
    path = f"/api/workspaces/{acme.acme.pk}/rotations"
    body = {"name": "Q1", "team_size": 2, "rounds": 1}
    api.call(acme.bob, "post", path, body, status=403)
    api.call(acme.charlie, "post", path, body, status=404)
    api.call(acme.charlie, "get", path, status=404)
    made = api.call(acme.alice, "post", path, body, status=201)
    api.call(acme.charlie, "get", f"/api/rotations/{made['id']}", status=404)
    api.call(acme.charlie, "delete", f"/api/rotations/{made['id']}", status=404)
    api.call(acme.bob, "delete", f"/api/rotations/{made['id']}", status=403)
    api.call(acme.alice, "delete", f"/api/rotations/{made['id']}", status=204)
    assert not Rotation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"team_size": 1}, "team_size"),
        ({"team_size": 7}, "team_size"),  # six members
        ({"rounds": 0}, "rounds"),
        ({"policy": "random"}, "policy"),
        ({"name": ""}, "name"),
        ({"weeks_per_round": 0}, "weeks_per_round"),
        ({"starts_on": "next monday"}, "starts_on"),
    ],
)
def test_it_names_the_field_of_a_bad_rotation(api, acme, change, field):
    body = {"name": "Q1", "team_size": 2, "rounds": 1, **change}
    errors = api.errors(acme.alice, "post", f"/api/workspaces/{acme.acme.pk}/rotations", body)
    assert field in errors
    assert not Rotation.objects.exists()


def test_it_forms_teams_in_companies_only(api, acme):
    errors = api.errors(
        acme.alice,
        "post",
        f"/api/workspaces/{acme.club.pk}/rotations",
        {"name": "Q1", "team_size": 2, "rounds": 1},
    )
    assert "company" in " ".join(errors["__all__"])


def test_it_answers_a_rotation_in_a_fixed_number_of_queries(api, acme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/api/workspaces/{acme.acme.pk}/rotations"
    api.call(acme.bob, "get", "/api/me")  # the token's first use is noted once
    counts = []
    for rounds in (1, 4):
        made = api.call(
            acme.alice, "post", path, {"name": "Q", "team_size": 2, "rounds": rounds}, 201
        )
        with CaptureQueriesContext(connection) as queries:
            api.call(acme.bob, "get", f"/api/rotations/{made['id']}")
        counts.append(len(queries))
    assert counts[0] == counts[1]
