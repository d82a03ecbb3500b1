"""The planner through the API: this week's plan, done/skip/snooze, planning again, settings
and the tier review. Bob and Charlie find none of Alice's touches or proposals (404). Every
answer is checked against the published OpenAPI schema."""

from __future__ import annotations

import pytest
import time_machine

from kring.people.models import Interaction, Relationship
from kring.planner import actions
from kring.planner.models import PlannedTouch, TierProposal
from tests.api.schema_client import SchemaClient
from tests.planner.conftest import NOW, WEEK

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast, network):
    with time_machine.travel(NOW, tick=False):
        yield SchemaClient([cast.alice, cast.bob, cast.charlie])


def _touch(api, cast, name):
    plan = api.call(cast.alice, "get", "/api/plan")
    return next(t for t in plan["touches"] if t["person_name"] == name)


def test_it_plans_the_week_when_asked_for_it(api, cast):
    plan = api.call(cast.alice, "get", "/api/plan")
    assert plan["week"] == WEEK.isoformat()
    names = {t["person_name"] for t in plan["touches"]}
    assert {"Anna Aerts", "Bert Bakker"} <= names and "Dirk Dewulf" not in names
    assert all(t["reasons"] and t["reasons"][0]["text"] for t in plan["touches"])
    assert plan["open_minutes"] == plan["minutes"] == sum(t["minutes"] for t in plan["touches"])
    assert len(plan["touches"]) == PlannedTouch.objects.filter(owner=cast.alice).count()
    # Any day of the week names the same week; the page and the API agree.
    assert api.call(cast.alice, "get", "/api/plan?week=2026-11-27") == plan
    assert api.call(cast.bob, "get", "/api/plan")["touches"] == []
    assert "query.week" in api.errors(cast.alice, "get", "/api/plan?week=soon")


def test_it_marks_touches_done_skipped_and_snoozed(api, cast):
    anna = _touch(api, cast, "Anna Aerts")
    done = api.call(
        cast.alice,
        "post",
        f"/api/touches/{anna['id']}/done",
        {"answered": True, "summary": "Lunch"},
    )
    assert done["status"] == "done"
    interaction = Interaction.objects.get(pk=done["interaction_id"])
    assert (interaction.summary, interaction.answered) == ("Lunch", True)
    errors = api.errors(cast.alice, "post", f"/api/touches/{anna['id']}/skip")
    assert "status" in errors  # no longer open
    bert = _touch(api, cast, "Bert Bakker")
    assert "days" in api.errors(
        cast.alice, "post", f"/api/touches/{bert['id']}/snooze", {"days": 0}
    )
    snoozed = api.call(cast.alice, "post", f"/api/touches/{bert['id']}/snooze", {"days": 30})
    assert snoozed["status"] == "snoozed"
    assert Relationship.objects.get(person_id=bert["person_id"]).snoozed_until is not None
    rest = [
        t for t in api.call(cast.alice, "get", "/api/plan")["touches"] if t["status"] == "planned"
    ]
    skipped = api.call(cast.alice, "post", f"/api/touches/{rest[0]['id']}/skip")
    assert skipped["status"] == "skipped"


@pytest.mark.parametrize("intruder", ["bob", "charlie"])
def test_it_finds_no_touch_or_proposal_of_someone_else(api, cast, intruder):
    anna = _touch(api, cast, "Anna Aerts")
    [proposal, *_] = actions.tier_review_propose(user=cast.alice, now=NOW)
    other = getattr(cast, intruder)
    for path, body in [
        (f"/api/touches/{anna['id']}/done", {"answered": True}),
        (f"/api/touches/{anna['id']}/skip", {}),
        (f"/api/touches/{anna['id']}/snooze", {"days": 30}),
        (f"/api/tier-proposals/{proposal.pk}/decide", {"tier": "A"}),
    ]:
        api.call(other, "post", path, body, status=404)
    assert PlannedTouch.objects.get(pk=anna["id"]).status == "planned"
    assert TierProposal.objects.get(pk=proposal.pk).decision == "pending"
    assert api.call(other, "get", "/api/tier-proposals")["items"] == []


def test_it_plans_the_week_again(api, cast):
    anna = _touch(api, cast, "Anna Aerts")
    api.call(cast.alice, "post", f"/api/touches/{anna['id']}/skip")
    again = api.call(cast.alice, "post", "/api/plan/rebuild", {"week": "2026-11-25"})
    assert again["week"] == WEEK.isoformat()
    assert {t["id"]: t["status"] for t in again["touches"]}[anna["id"]] == "skipped"
    assert "week" in api.errors(cast.alice, "post", "/api/plan/rebuild", {"week": "monday"})


def test_it_reads_and_updates_the_planner_settings(api, cast):
    found = api.call(cast.alice, "get", "/api/planner/settings")
    assert found["slots"] == [{"weekday": 1, "time": "08:30"}, {"weekday": 3, "time": "16:00"}]
    changed = api.call(
        cast.alice,
        "patch",
        "/api/planner/settings",
        {"a_min_days": 10, "slots": [{"weekday": 0, "time": "09:00"}], "weekly_budget_minutes": 90},
    )
    assert (changed["a_min_days"], changed["a_max_days"], changed["weekly_budget_minutes"]) == (
        10,
        28,
        90,
    )
    assert actions.planner_settings_get(cast.alice).slots == [[0, "09:00"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"a_min_days": 30, "a_max_days": 20}, "a_max_days"),
        ({"b_days": 0}, "b_days"),
        ({"max_unanswered": 11}, "max_unanswered"),
        ({"slots": [{"weekday": 9, "time": "09:00"}]}, "slots.0.weekday"),
        ({"slots": [{"weekday": 1, "time": "29:00"}]}, "slots"),
        ({"slots": []}, "slots"),
        ({"weekly_budget_minutes": -1}, "weekly_budget_minutes"),
    ],
)
def test_it_names_the_field_of_a_bad_setting_and_saves_none(api, cast, body, field):
    # Each bad value comes with a good one: nothing of the request is saved.
    errors = api.errors(cast.alice, "patch", "/api/planner/settings", {"snooze_days": 30, **body})
    assert field in errors
    found = actions.planner_settings_get(cast.alice)
    assert (found.snooze_days, found.slots) == (90, [[1, "08:30"], [3, "16:00"]])
    cast.alice.refresh_from_db()
    assert cast.alice.weekly_budget_minutes == 120


def test_it_reviews_tiers(api, cast):
    made = api.call(cast.alice, "post", "/api/tier-proposals", status=201)
    assert made and all(p["decision"] == "pending" for p in made)
    listed = api.call(cast.alice, "get", "/api/tier-proposals")
    assert [p["id"] for p in listed["items"]] == [p["id"] for p in made]
    first = made[0]
    assert first["reason"]["text"] and first["tier"] != first["proposed"]
    other = next(t for t in "ABC" if t not in (first["proposed"], first["tier"]))
    path = f"/api/tier-proposals/{first['id']}/decide"
    assert "tier" in api.errors(cast.alice, "post", path, {"tier": "Z"})
    decided = api.call(
        cast.alice, "post", f"/api/tier-proposals/{first['id']}/decide", {"tier": other}
    )
    assert (decided["decision"], decided["decided_tier"], decided["tier"]) == (
        "overridden",
        other,
        other,
    )
    assert "decision" in api.errors(
        cast.alice, "post", f"/api/tier-proposals/{first['id']}/decide", {"tier": "A"}
    )


def test_it_answers_the_plan_in_a_fixed_number_of_queries(api, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kring.people import actions as people_actions

    api.call(cast.alice, "get", "/api/plan")
    with CaptureQueriesContext(connection) as few:
        small = api.call(cast.alice, "get", "/api/plan")
    for i in range(20):
        people_actions.person_create(owner=cast.alice, given_name=f"Extra{i}", tier="A")
    api.call(cast.alice, "post", "/api/plan/rebuild", {})
    with CaptureQueriesContext(connection) as many:
        large = api.call(cast.alice, "get", "/api/plan")
    assert len(large["touches"]) > len(small["touches"])
    assert len(many) == len(few)
