import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kring.accounts.actions import user_update_settings
from kring.people.models import Interaction, Relationship
from kring.planner import actions
from kring.planner.models import PlannedTouch
from tests.planner.conftest import NOW, WEEK

pytestmark = pytest.mark.django_db


def _build(user):
    return actions.week_plan_build(user=user, now=NOW)


def test_it_plans_a_week_within_the_budget_with_a_reason_on_every_line(cast, network):
    _plan, touches = _build(cast.alice)
    assert touches, "the quiet A-ties are due"
    assert sum(t.minutes for t in touches) <= cast.alice.weekly_budget_minutes
    assert all(t.reasons for t in touches)
    assert all(t.week == WEEK for t in touches)
    assert all(t.starts_at is not None and t.starts_at.date() >= WEEK for t in touches)
    planned = {t.person.given_name for t in touches}
    assert {"Anna", "Bert"} <= planned


def test_it_never_plans_c_tier_and_sends_them_to_automate(cast, network):
    plan, touches = _build(cast.alice)
    assert "Dirk" not in {t.person.given_name for t in touches}
    assert network["Dirk"].pk in plan.automate


def test_it_snoozes_whoever_left_two_messages_unanswered(cast, network):
    _plan, touches = _build(cast.alice)
    assert "Eva" not in {t.person.given_name for t in touches}
    eva = Relationship.objects.get(person=network["Eva"])
    assert eva.snoozed_until == WEEK + dt.timedelta(days=90)


def test_it_fits_a_small_budget(cast, network):
    user_update_settings(user=cast.alice, weekly_budget_minutes=10)
    _plan, touches = _build(cast.alice)
    assert sum(t.minutes for t in touches) <= 10


def test_it_plans_nothing_on_a_zero_budget(cast, network):
    user_update_settings(user=cast.alice, weekly_budget_minutes=0)
    _plan, touches = _build(cast.alice)
    assert touches == []


def test_it_keeps_done_touches_and_never_plans_a_person_twice_a_week(cast, network):
    _plan, touches = _build(cast.alice)
    first = touches[0]
    actions.touch_done(actor=cast.alice, touch=first, answered=True, now=NOW)
    _plan, again = _build(cast.alice)
    persons = [t.person_id for t in again]
    assert len(persons) == len(set(persons))
    assert PlannedTouch.objects.get(pk=first.pk).status == "done"
    with pytest.raises(IntegrityError), transaction.atomic():
        PlannedTouch.objects.create(
            owner=cast.alice, person=first.person, week=WEEK, channel="call"
        )


def test_it_respects_do_not_contact_before(cast, network):
    Relationship.objects.filter(person=network["Anna"]).update(
        dont_contact_before=WEEK + dt.timedelta(days=30)
    )
    _plan, touches = _build(cast.alice)
    assert "Anna" not in {t.person.given_name for t in touches}


def test_it_logs_a_done_touch_on_the_timeline(cast, network):
    _plan, touches = _build(cast.alice)
    touch = actions.touch_done(actor=cast.alice, touch=touches[0], answered=False, now=NOW)
    interaction = Interaction.objects.get(pk=touch.interaction_id)
    assert list(interaction.people.all()) == [touches[0].person]
    assert interaction.answered is False and interaction.initiated_by == "me"
    with pytest.raises(ValidationError):
        actions.touch_done(actor=cast.alice, touch=touch, answered=True)


def test_it_skips_and_snoozes(cast, network):
    _plan, touches = _build(cast.alice)
    actions.touch_skip(actor=cast.alice, touch=touches[0])
    snoozed = actions.touch_snooze(actor=cast.alice, touch=touches[1], days=30, now=NOW)
    assert snoozed.person.relationship.snoozed_until == NOW.date() + dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        actions.touch_snooze(
            actor=cast.alice, touch=touches[2] if len(touches) > 2 else touches[0], days=0, now=NOW
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"a_min_days": 0}, "a_min_days"),
        ({"b_days": 0}, "b_days"),
        ({"a_min_days": 30, "a_max_days": 10}, "a_max_days"),
        ({"max_unanswered": 0}, "max_unanswered"),
        ({"slots": [[9, "08:00"]]}, "slots"),
        ({"slots": [[1, "25:99"]]}, "slots"),
        ({"slots": []}, "slots"),
    ],
)
def test_it_refuses_bad_planner_settings_and_changes_nothing(cast, fields, field):
    before = actions.planner_settings_get(cast.alice)
    with pytest.raises(ValidationError) as caught:
        actions.planner_settings_update(user=cast.alice, **fields)
    assert field in caught.value.error_dict
    after = actions.planner_settings_get(cast.alice)
    assert (after.a_min_days, after.b_days, after.slots) == (
        before.a_min_days,
        before.b_days,
        before.slots,
    )


@pytest.mark.parametrize("budget", [-5, 100_000])
def test_it_refuses_a_negative_or_absurd_budget(cast, budget):
    with pytest.raises(ValidationError) as caught:
        user_update_settings(user=cast.alice, weekly_budget_minutes=budget)
    assert "weekly_budget_minutes" in caught.value.error_dict


def test_it_refuses_a_week_that_does_not_start_on_monday(cast):
    with pytest.raises(ValidationError):
        actions.week_plan_build(user=cast.alice, now=NOW, week=WEEK + dt.timedelta(days=1))
