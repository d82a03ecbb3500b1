"""Kring works on every day of the year, in Brussels and Amsterdam time.

Each computation that reasons about dates is called for every day of two years (2027 and the
leap year 2028) at 00:10, 12:00 and 23:30 on the local clock; whole features (the demo club,
the weekly plan, snoozes, the digest, the dashboard, the club report, the calendar feed, the
pages) run at a handful of moments where date code breaks: both clock changes, New Year's Eve
at 23:30, New Year's Day at 00:10, 29 February and ISO week 53.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kring.clubs import actions as club_actions
from kring.clubs.models import Attendance, Meeting, MeetingTable, OneToOne, Referral
from kring.clubs.queries import club_months, club_report
from kring.core import dates
from kring.core.planning import PlanPerson, plan_week
from kring.core.strength import Touch, relationship_strength
from kring.core.tiers import review_due
from kring.demo.club import load_demo_club
from kring.demo.life import club_dinners
from kring.people import actions as people_actions
from kring.people.models import Ask, Favour, Interaction
from kring.people.queries import dashboard_summary
from kring.planner import actions as planner_actions
from kring.planner.calendar import touches_calendar
from kring.planner.insight import review_is_due
from kring.planner.models import PlannedTouch, PlannerSettings
from kring.teams.models import Rotation
from kring.teams.queries import rotation_state
from kring.workspaces.models import Workspace
from tests.sweep import AMSTERDAM, BRUSSELS, SPECIAL, every_day

ZONES = [BRUSSELS, AMSTERDAM]
LEAPLING = dt.date(1988, 2, 29)


# --- every day: the computations themselves -----------------------------------------------------


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_the_club_dines_on_the_third_thursday_at_seven_on_every_day(zone):
    for now in every_day(zone):
        dinners = club_dinners(now, zone)
        assert len(dinners) == 12, now
        assert dinners[-2] <= now < dinners[-1], now
        local = [d.astimezone(zone) for d in dinners]
        assert all(d.weekday() == 3 and 15 <= d.day <= 21 for d in local), now
        assert all(d.time() == dt.time(19) for d in local), now
        months = [dates.month_start(d.date()) for d in local]
        assert months == [dates.add_months(months[0], k) for k in range(12)], now


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_the_plan_counts_weeks_cadences_and_birthdays_on_every_day(zone):
    for now in every_day(zone):
        today = dates.local_date(now, zone)
        week = dates.week_start(today)
        people = [
            PlanPerson("quiet", "A", last_touch=today - dt.timedelta(days=40), familiarity=9),
            PlanPerson("fresh", "A", last_touch=today - dt.timedelta(days=2), familiarity=9),
            PlanPerson("leapling", "B", last_touch=today, birthday=LEAPLING, familiarity=9),
            PlanPerson(
                "snoozed",
                "A",
                last_touch=today - dt.timedelta(days=60),
                snoozed_until=week + dt.timedelta(days=30),
                familiarity=9,
            ),
        ]
        plan = plan_week(people, week_start=week, budget_minutes=120)
        reasons = {t.key: t.reasons for t in plan.touches}
        assert "due" in reasons["quiet"], now
        assert "fresh" not in reasons and "snoozed" not in reasons, now
        celebrated = dates.birthday_in_year(LEAPLING, week.year)
        if not week <= celebrated <= week + dt.timedelta(days=6):
            celebrated = dates.birthday_in_year(LEAPLING, week.year + 1)
        in_week = week <= celebrated <= week + dt.timedelta(days=6)
        assert ("leapling" in reasons and "birthday" in reasons["leapling"]) == in_week, now
        for touch in plan.touches:
            assert week <= touch.day <= week + dt.timedelta(days=6), now


def test_the_tier_review_comes_each_quarter_on_every_day():
    for now in every_day(BRUSSELS):
        today = dates.local_date(now, BRUSSELS)
        found = PlannerSettings(last_review_at=now - dt.timedelta(days=91, hours=1))
        assert review_is_due(found, today, BRUSSELS), now
        found.last_review_at = now - dt.timedelta(days=89)
        assert not review_is_due(found, today, BRUSSELS), now
        assert review_due(None, today)


def test_strength_counts_what_happened_and_nothing_later_on_every_day():
    for now in every_day(BRUSSELS, hours=(dt.time(0, 10), dt.time(23, 30))):
        past = Touch(now - dt.timedelta(minutes=1), "call", 10, "them")
        future = Touch(now + dt.timedelta(minutes=1), "call", 10, "them")
        strength = relationship_strength([past, future], now=now)
        assert strength.last_touch == past.occurred_at, now
        assert strength.familiarity == 1, now


def test_team_rounds_are_upcoming_running_or_finished_on_every_day():
    for now in every_day(BRUSSELS, hours=(dt.time(0, 10), dt.time(23, 30))):
        today = dates.local_date(now, BRUSSELS)
        rotation = Rotation(starts_on=today + dt.timedelta(days=1), weeks_per_round=2, rounds=3)
        assert rotation_state(rotation, today).state == "upcoming", now
        rotation.starts_on = today
        assert rotation_state(rotation, today).number == 1, now
        rotation.starts_on = today - dt.timedelta(weeks=6)
        assert rotation_state(rotation, today).state == "finished", now


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_meetings_start_at_the_local_hour_in_summer_and_winter(zone):
    club = Workspace(name="Club", kind="club", time_zone=str(zone))
    for now in every_day(zone, hours=(dt.time(12),)):
        day = dates.local_date(now, zone)
        meeting = Meeting(workspace=club, starts_at=dates.at_local_time(day, dt.time(19), zone))
        assert meeting.local_starts_at.hour == 19 and meeting.local_starts_at.date() == day


def test_the_report_periods_hold_each_month_of_the_year_so_far_on_every_day():
    for now in every_day(BRUSSELS, hours=(dt.time(0, 10), dt.time(23, 30))):
        today = dates.local_date(now, BRUSSELS)
        months = list(dates.months_between(dates.year_start(today), today))
        assert len(months) == today.month and months[-1] == dates.month_start(today), now


# --- a handful of moments: whole features ------------------------------------------------------


@pytest.fixture(params=SPECIAL, ids=[label for label, _ in SPECIAL])
def moment(request):
    _label, now = request.param
    with time_machine.travel(now, tick=False):
        yield now


@pytest.mark.django_db
def test_the_demo_club_loads_on_the_hard_days(moment):
    club = load_demo_club(seed=7, members=3, now=moment)
    today = dates.local_date(moment, BRUSSELS)
    meetings = list(Meeting.objects.filter(workspace=club).order_by("starts_at"))
    assert len(meetings) == 12
    *past, upcoming = meetings
    assert all(m.starts_at <= moment for m in past) and upcoming.starts_at > moment
    assert all(m.local_starts_at.hour == 19 for m in meetings)
    assert not Interaction.objects.filter(occurred_at__gt=moment).exists()
    assert not Favour.objects.filter(occurred_on__gt=today).exists()
    assert not Referral.objects.filter(given_on__gt=today).exists()
    assert not OneToOne.objects.filter(met_on__gt=today).exists()
    assert not Ask.objects.filter(valid_from__gt=today).exists()
    assert not Attendance.objects.filter(meeting=upcoming, table__isnull=False).exists()


@pytest.mark.django_db
def test_the_week_snoozes_and_digest_hold_on_the_hard_days(moment, cast):
    alice = cast.alice
    today = dates.local_date(moment, BRUSSELS)
    week = dates.week_start(today)
    person = people_actions.person_create(owner=alice, given_name="Lies", surname="Peeters")
    people_actions.interaction_log(
        owner=alice,
        people=[person],
        channel="call",
        occurred_at=moment - dt.timedelta(days=40),
        initiated_by="them",
        now=moment,
    )
    people_actions.relationship_update(
        actor=alice, relationship=person.relationship, tier="A", via="test"
    )
    _plan, touches = planner_actions.week_plan_build(user=alice, now=moment)
    assert touches and all(t.week == week for t in touches)
    for touch in touches:
        assert touch.starts_at is not None
        assert week <= dates.local_date(touch.starts_at, BRUSSELS) <= week + dt.timedelta(days=6)
        assert touch.starts_at.astimezone(BRUSSELS).time() >= dt.time(8)

    feed = touches_calendar(alice, touches, now=moment).decode()
    first = touches[0].starts_at.astimezone(BRUSSELS)
    assert f"DTSTART;TZID=Europe/Brussels:{first:%Y%m%dT%H%M%S}" in feed
    assert "BEGIN:VTIMEZONE" in feed

    mail.outbox.clear()
    assert planner_actions.digest_send(user=alice, now=moment, force=True)
    assert PlannerSettings.objects.get(user=alice).last_digest_week == week
    assert f"{first:%H:%M}" in mail.outbox[0].body

    touch = PlannedTouch.objects.filter(owner=alice, person=person).first()
    assert touch is not None
    planner_actions.touch_snooze(actor=alice, touch=touch, days=30, now=moment)
    person.relationship.refresh_from_db()
    assert person.relationship.snoozed_until == today + dt.timedelta(days=30)


@pytest.mark.django_db
def test_the_dashboard_plan_page_and_birthdays_hold_on_the_hard_days(moment, cast):
    alice = cast.alice
    today = dates.local_date(moment, BRUSSELS)
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    for given, birthday in (
        ("Gisteren", dates.birthday_in_year(yesterday, 1980)),
        ("Vandaag", dates.birthday_in_year(today, 1980)),
        ("Morgen", dates.birthday_in_year(tomorrow, 1980)),
        ("Schrikkel", LEAPLING),
    ):
        people_actions.person_create(owner=alice, given_name=given, birthday=birthday)
    summary = dashboard_summary(alice, now=moment)
    days = {p.given_name: day for day, p in summary.birthdays}
    assert days["Vandaag"] == today and days["Morgen"] == tomorrow
    assert "Gisteren" not in days  # yesterday on the local clock, even when UTC lags
    leap = dates.next_birthday(LEAPLING, today)
    assert ("Schrikkel" in days) == ((leap - today).days <= 14)

    page = cast.client(alice).get(reverse("plan"))
    number = dates.iso_week(dates.week_start(today))[1]
    assert page.status_code == 200
    assert re.search(rf"Week {number}\b", page.content.decode())


@pytest.mark.django_db
def test_the_club_report_counts_the_clubs_own_days_on_the_hard_days(moment, cast):
    alice, club = cast.alice, cast.club
    today = dates.local_date(moment, BRUSSELS)
    # A dinner at 19:00 on the last day of the year before and one on this year's first day.
    previous_year_end = dates.year_start(today) - dt.timedelta(days=1)
    for day in (previous_year_end, dates.year_start(today)):
        meeting = Meeting.objects.create(
            workspace=club,
            title=str(day),
            starts_at=dates.at_local_time(day, dt.time(19), BRUSSELS),
        )
        table = MeetingTable.objects.create(meeting=meeting, name="Tafel 1", capacity=8)
        Attendance.objects.create(meeting=meeting, user=alice, answer="yes", table=table)
    # A referral given today falls on the club's today, and closes this month.
    referral = club_actions.referral_give(
        actor=alice, workspace=club, receiver=cast.bob, contact="Jan Peeters"
    )
    assert referral.given_on == today
    club_actions.referral_update(
        actor=cast.bob, referral=referral, status="closed", amount_eur=Decimal(100)
    )
    start, end = dates.year_start(today), today
    rows = {r.member: r for r in club_report(alice, club.pk, start=start, end=end)}
    assert rows[alice.name].attended == 1  # this year's first dinner counts, last year's not
    assert rows[alice.name].given == 1
    months = club_months(alice, club.pk, start=start, end=end)
    assert [m.label for m in months] == list(dates.months_between(start, end))
    assert months[-1].referrals == 1 and months[-1].closed_eur == Decimal(100)


@pytest.mark.django_db
def test_a_user_in_another_zone_reads_their_own_day(cast):
    """On Sunday 3 January 2027 at 23:30 in Brussels it is already Monday in Helsinki: a
    member there plans the new week, one in Brussels still the old one."""
    sunday_night = dt.datetime(2027, 1, 3, 23, 30, tzinfo=BRUSSELS).astimezone(dt.UTC)
    alice, bob = cast.alice, cast.bob
    alice.time_zone = "Europe/Helsinki"
    alice.save(update_fields=["time_zone"])
    with time_machine.travel(sunday_night, tick=False):
        helsinki, _ = planner_actions.week_plan_build(user=alice, now=sunday_night)
        brussels, _ = planner_actions.week_plan_build(user=bob, now=sunday_night)
    assert helsinki.week_start == dt.date(2027, 1, 4)
    assert brussels.week_start == dt.date(2026, 12, 28)
