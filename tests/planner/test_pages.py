import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.people import actions as people_actions
from kring.planner import actions
from kring.planner.models import PlannedTouch, TierProposal
from tests.planner.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_shows_the_week_with_a_reason_on_every_line(cast, network, frozen):
    body = cast.client(cast.alice).get(reverse("plan")).content.decode()
    assert "Anna Aerts" in body and "Bert Bakker" in body
    assert "Dirk Dewulf" not in body
    touches = PlannedTouch.objects.filter(owner=cast.alice)
    assert touches.exists()
    assert body.count('class="touch touch-planned"') == touches.count()


def test_it_marks_a_touch_done_from_the_page(cast, network, frozen):
    client = cast.client(cast.alice)
    client.get(reverse("plan"))
    touch = PlannedTouch.objects.filter(owner=cast.alice).first()
    response = client.post(
        reverse("touch_done", args=[touch.pk]), {"answered": "yes"}, HTTP_HX_REQUEST="true"
    )
    assert "touch-done" in response.content.decode()
    touch.refresh_from_db()
    assert touch.status == "done" and touch.interaction.answered is True
    timeline = client.get(reverse("person", args=[touch.person_id])).content.decode()
    assert touch.interaction.get_channel_display() in timeline


def test_it_renders_the_plan_page_in_a_fixed_number_of_queries(cast, network, frozen):
    client = cast.client(cast.alice)
    client.get(reverse("plan"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("plan"))
    for i in range(20):
        people_actions.person_create(owner=cast.alice, given_name=f"Extra{i}", tier="A")
    client.post(reverse("plan_rebuild"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("plan"))
    assert len(many) == len(few) <= 14


def test_it_reviews_tiers_on_one_page(cast, network, frozen):
    client = cast.client(cast.alice)
    client.post(reverse("tier_review"))
    proposals = list(TierProposal.objects.filter(relationship__owner=cast.alice))
    assert proposals
    body = client.get(reverse("tier_review")).content.decode()
    for p in proposals:
        assert p.relationship.person.full_name in body
    client.post(reverse("tier_decide", args=[proposals[0].pk]), {"tier": "B"})
    assert TierProposal.objects.get(pk=proposals[0].pk).decided_tier == "B"


def _proposals_for_every_change(alice):
    """Pending proposals of three kinds of change, whatever the core would propose."""
    made = {}
    for given, now, proposed in [
        ("Xavier", "A", "C"),
        ("Yara", "A", "C"),
        ("Zeno", "B", "A"),
        ("Wout", "C", "B"),
    ]:
        person = people_actions.person_create(owner=alice, given_name=given, tier=now)
        made[given] = TierProposal.objects.create(
            relationship=person.relationship, proposed=proposed, reason="cold"
        )
    return made


def test_it_filters_the_tier_review_by_change_and_by_tier(cast):
    made = _proposals_for_every_change(cast.alice)
    client = cast.client(cast.alice)
    body = client.get(reverse("tier_review")).content.decode()
    assert 'value="A-C"' in body and "A → C (2)" in body and "B → A (1)" in body
    body = client.get(reverse("tier_review"), {"change": "A-C"}).content.decode()
    assert "Xavier" in body and "Yara" in body and "Zeno" not in body and "Wout" not in body
    body = client.get(reverse("tier_review"), {"tier": "B"}).content.decode()
    assert "Wout" in body and "Xavier" not in body
    assert made  # the filter narrows; nothing was decided by looking
    assert not TierProposal.objects.exclude(decision="pending").exists()


def test_it_accepts_all_proposals_the_filter_shows_in_one_post(cast):
    made = _proposals_for_every_change(cast.alice)
    client = cast.client(cast.alice)
    response = client.post(reverse("tier_accept_all"), {"change": "A-C", "tier": ""})
    assert response.status_code == 302
    for given in ("Xavier", "Yara"):
        proposal = TierProposal.objects.get(pk=made[given].pk)
        assert proposal.decision == "accepted" and proposal.relationship.tier == "C"
    assert TierProposal.objects.get(pk=made["Zeno"].pk).decision == "pending"
    body = client.get(reverse("tier_review")).content.decode()
    assert "2 proposals accepted." in body
    client.post(reverse("tier_accept_all"), {"change": "", "tier": ""})
    assert not TierProposal.objects.filter(decision="pending").exists()
    made["Wout"].relationship.refresh_from_db()
    assert made["Wout"].relationship.tier == "B"


def test_it_refuses_a_made_up_filter_when_accepting_all(cast):
    made = _proposals_for_every_change(cast.alice)
    client = cast.client(cast.alice)
    client.post(reverse("tier_accept_all"), {"change": "A-Z", "tier": ""})
    assert TierProposal.objects.filter(decision="pending").count() == len(made)
    body = client.get(reverse("tier_review")).content.decode()
    assert "Choose a change and a tier from the lists." in body


def test_it_accepts_only_the_callers_own_proposals(cast):
    _proposals_for_every_change(cast.alice)
    people_actions.person_create(owner=cast.bob, given_name="Bobs", tier="A")
    cast.client(cast.bob).post(reverse("tier_accept_all"), {"change": "", "tier": ""})
    assert TierProposal.objects.filter(decision="pending").count() == 4


def test_it_refuses_bad_planner_settings_on_the_page(cast):
    client = cast.client(cast.alice)
    response = client.post(
        reverse("planner_settings"),
        {
            "weekly_budget_minutes": "-1",
            "a_min_days": "0",
            "a_max_days": "28",
            "b_days": "90",
            "max_unanswered": "2",
            "snooze_days": "90",
            "slots": "9 08:30",
        },
    )
    body = response.content.decode()
    for field in ["weekly_budget_minutes", "a_min_days"]:
        assert f'data-field="{field}"' in body
    response = client.post(
        reverse("planner_settings"),
        {
            "weekly_budget_minutes": "60",
            "a_min_days": "14",
            "a_max_days": "28",
            "b_days": "90",
            "max_unanswered": "2",
            "snooze_days": "90",
            "slots": "Tuesday morning",
        },
    )
    assert 'data-field="slots"' in response.content.decode()
    cast.alice.refresh_from_db()
    assert cast.alice.weekly_budget_minutes == 120


def test_it_saves_planner_settings_and_makes_a_calendar_link(cast, client):
    owner = cast.client(cast.alice)
    owner.post(
        reverse("planner_settings"),
        {
            "weekly_budget_minutes": "90",
            "a_min_days": "10",
            "a_max_days": "20",
            "b_days": "60",
            "max_unanswered": "3",
            "snooze_days": "60",
            "slots": "0 09:00\n4 15:30",
            "digest_enabled": "on",
        },
    )
    found = actions.planner_settings_get(cast.alice)
    assert (found.a_min_days, found.slots) == (10, [[0, "09:00"], [4, "15:30"]])
    page = owner.post(reverse("feed_create")).content.decode()
    url = __import__("re").search(r"http://testserver(/plan/feed/[\w-]+\.ics)", page).group(1)
    assert client.get(url).status_code == 200
    owner.post(reverse("feed_revoke"))
    assert client.get(url).status_code == 404


def test_it_shows_insight_charts(cast, network, frozen):
    body = cast.client(cast.alice).get(reverse("insight")).content.decode()
    assert "Strength by tier" in body and "Effort by channel" in body
    assert 'class="bar"' in body


def test_it_refuses_to_accept_all_when_one_was_decided_already(cast):
    made = _proposals_for_every_change(cast.alice)
    actions.tier_review_decide(actor=cast.alice, proposal=made["Zeno"], tier="B")
    with pytest.raises(ValidationError):
        actions.tier_review_accept_all(actor=cast.alice, proposals=list(made.values()))
    assert TierProposal.objects.filter(decision="pending").count() == 3


def test_it_sends_the_new_totals_with_a_done_touch(cast, network, frozen):
    client = cast.client(cast.alice)
    client.get(reverse("plan"))
    touches = list(PlannedTouch.objects.filter(owner=cast.alice))
    open_minutes = sum(t.minutes for t in touches)
    touch = touches[0]
    response = client.post(reverse("touch_skip", args=[touch.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="plan-totals" hx-swap-oob="true"' in body
    left = open_minutes - touch.minutes
    assert f'<strong id="plan-open">{left}</strong>' in body
    assert f"in {len(touches) - 1} open touch" in body
    page = client.get(reverse("plan")).content.decode()
    assert f'<strong id="plan-open">{left}</strong>' in page and "hx-swap-oob" not in page


def test_a_new_budget_plans_the_week_again(cast, network, frozen):
    client = cast.client(cast.alice)
    client.get(reverse("plan"))
    before = PlannedTouch.objects.filter(owner=cast.alice).count()
    assert before > 1
    response = client.post(reverse("plan_budget"), {"weekly_budget_minutes": 5})
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.weekly_budget_minutes == 5
    touches = PlannedTouch.objects.filter(owner=cast.alice, status="planned")
    assert sum(t.minutes for t in touches) <= 5 < before * 5
    body = client.get(reverse("plan")).content.decode()
    assert "Your weekly time was saved and the week planned again." in body
    assert f">{sum(t.minutes for t in touches)} / 5<" in body


def test_a_new_budget_keeps_what_was_done(cast, network, frozen):
    client = cast.client(cast.alice)
    client.get(reverse("plan"))
    done = PlannedTouch.objects.filter(owner=cast.alice).first()
    client.post(reverse("touch_done", args=[done.pk]), {"answered": "yes"})
    client.post(reverse("plan_budget"), {"weekly_budget_minutes": 0})
    assert PlannedTouch.objects.get(pk=done.pk).status == "done"
    assert not PlannedTouch.objects.filter(owner=cast.alice, status="planned").exists()


def test_it_refuses_a_budget_out_of_range(cast, network, frozen):
    client = cast.client(cast.alice)
    client.post(reverse("plan_budget"), {"weekly_budget_minutes": -3})
    cast.alice.refresh_from_db()
    assert cast.alice.weekly_budget_minutes >= 0
    body = client.get(reverse("plan")).content.decode()
    assert "greater than or equal to 0" in body


def test_a_budget_changed_in_the_settings_plans_the_week_again(cast, network, frozen):
    client = cast.client(cast.alice)
    client.get(reverse("plan"))
    found = actions.planner_settings_get(cast.alice)
    client.post(
        reverse("planner_settings"),
        {
            "weekly_budget_minutes": 0,
            "a_min_days": found.a_min_days,
            "a_max_days": found.a_max_days,
            "b_days": found.b_days,
            "max_unanswered": found.max_unanswered,
            "snooze_days": found.snooze_days,
            "slots": "1 08:30",
        },
    )
    cast.alice.refresh_from_db()
    assert cast.alice.weekly_budget_minutes == 0
    assert not PlannedTouch.objects.filter(owner=cast.alice, status="planned").exists()


def test_the_api_accepts_all_proposals_of_one_change(cast, client):
    from kring.accounts.actions import api_token_create

    made = _proposals_for_every_change(cast.alice)
    _, key = api_token_create(user=cast.alice)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answer = client.post("/api/tier-proposals/accept?change=A-C", **auth)
    assert answer.status_code == 200, answer.content
    assert sorted(p["id"] for p in answer.json()) == sorted([made["Xavier"].pk, made["Yara"].pk])
    assert TierProposal.objects.filter(decision="pending").count() == 2
    bad = client.post("/api/tier-proposals/accept?change=A-Z", **auth)
    assert bad.status_code == 422
    assert TierProposal.objects.filter(decision="pending").count() == 2


def test_a_budget_set_through_the_api_plans_the_week_again(cast, network, frozen, client):
    from kring.accounts.actions import api_token_create

    _, key = api_token_create(user=cast.alice)
    cast.client(cast.alice).get(reverse("plan"))
    assert PlannedTouch.objects.filter(owner=cast.alice, status="planned").exists()
    answer = client.patch(
        "/api/planner/settings",
        {"weekly_budget_minutes": 0},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 200, answer.content
    assert not PlannedTouch.objects.filter(owner=cast.alice, status="planned").exists()
