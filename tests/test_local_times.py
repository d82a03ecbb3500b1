"""Times are stored in UTC and read in the reader's time zone everywhere: pages, PDFs (table
plan, place cards, badges, the help card), e-mails, the calendar feed, CSV exports and the
CLI. Each is printed for a summer and a winter dinner at 19:00 in Brussels (17:00 and 18:00 in
UTC) and must say 19:00."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kring.cli.main import main as kring
from kring.clubs import actions
from kring.core.dates import at_local_time
from kring.people import actions as people_actions
from kring.planner import actions as planner_actions
from tests.privacy import pdf_text as _pdf_text
from tests.sweep import BRUSSELS

pytestmark = pytest.mark.django_db

SUMMER = at_local_time(dt.date(2027, 7, 15), dt.time(19), BRUSSELS)  # 17:00 UTC
WINTER = at_local_time(dt.date(2027, 1, 21), dt.time(19), BRUSSELS)  # 18:00 UTC


@pytest.fixture(params=[("summer", SUMMER), ("winter", WINTER)], ids=["summer", "winter"])
def evening(request, cast):
    """A dinner at 19:00 Brussels time, seated, a week after the clock was frozen."""
    _label, starts_at = request.param
    assert starts_at.hour in (17, 18)  # stored in UTC: never 19
    with time_machine.travel(starts_at - dt.timedelta(days=7), tick=False):
        meeting = actions.meeting_create(
            actor=cast.alice,
            workspace=cast.club,
            title="Clubdiner",
            starts_at=starts_at,
            venue="Geel",
            tables=[("Tafel 1", 8, None)],
        )
        for user in (cast.alice, cast.bob):
            actions.attendance_answer(actor=user, meeting=meeting, answer="yes")
        actions.meeting_seat(actor=cast.alice, meeting=meeting)
        cast.meeting = meeting
        cast.starts_at = starts_at
        yield cast


def test_pages_show_the_local_hour(evening):
    client = evening.client(evening.alice)
    for name, args in (
        ("meeting", [evening.meeting.pk]),
        ("meetings", [evening.club.pk]),
        ("my_table", [evening.meeting.pk]),
    ):
        page = client.get(reverse(name, args=args)).content.decode()
        assert "19:00" in page, name
        assert "17:00" not in page and "18:00" not in page, name


def test_the_printouts_show_the_local_hour(evening):
    client = evening.client(evening.alice)
    for name in ("meeting_pdf", "meeting_cards_pdf"):
        text = _pdf_text(client.get(reverse(name, args=[evening.meeting.pk])).content)
        assert "19:00" in text, name
        assert "17:00" not in text and "18:00" not in text, name
    badges = _pdf_text(client.get(reverse("meeting_badges_pdf", args=[evening.meeting.pk])).content)
    assert f"{evening.starts_at.astimezone(BRUSSELS).day} " in badges


def test_the_help_card_says_when_it_was_printed_in_local_time(evening):
    with time_machine.travel(evening.starts_at, tick=False):
        response = evening.client(evening.bob).get(
            reverse("member_card", args=[evening.club.pk, evening.alice.pk]) + "?format=pdf"
        )
    assert "19:00" in _pdf_text(response.content)


def test_the_invitation_mail_shows_the_local_hour(evening, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    evening.meeting.attendances.all().delete()
    with (
        time_machine.travel(evening.starts_at - dt.timedelta(days=7), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.meeting_invite(
            actor=evening.alice,
            meeting=evening.meeting,
            answer_url_template="https://kring.test/a/{token}/{answer}",
        )
    assert mail.outbox
    for message in mail.outbox:
        assert "19:00" in message.body and "17:00" not in message.body


def test_the_calendar_feed_csv_and_cli_show_the_local_hour(evening, capsys):
    alice = evening.alice
    person = people_actions.person_create(owner=alice, given_name="Lies", surname="Peeters")
    people_actions.interaction_log(
        owner=alice,
        people=[person],
        channel="event",
        occurred_at=evening.starts_at,
        now=evening.starts_at,
    )
    # The calendar feed: a slot at 19:00 on Thursdays, in the feed's TZID.
    planner_actions.planner_settings_update(user=alice, slots=[[3, "19:00"]])
    people_actions.relationship_update(actor=alice, relationship=person.relationship, tier="A")
    after = evening.starts_at + dt.timedelta(days=60)
    with time_machine.travel(after, tick=False):
        _plan, touches = planner_actions.week_plan_build(user=alice, now=after)
        _feed, token = planner_actions.feed_create(user=alice)
        feed = evening.client(alice).get(reverse("calendar_feed", args=[token])).content.decode()
        assert touches
        assert "DTSTART;TZID=Europe/Brussels:" in feed and "T190000" in feed

        response = evening.client(alice).get(reverse("export_csv"))
        csv_text = b"".join(response.streaming_content).decode()
        assert f"{evening.starts_at.astimezone(BRUSSELS):%Y-%m-%d} 19:00" in csv_text

        assert kring(["people", "show", "Lies", "--user", alice.email]) == 0
        assert "19:00" in capsys.readouterr().out
        assert kring(["club", "meeting", "list", str(evening.club.pk), "--user", alice.email]) == 0
        out = capsys.readouterr().out
        assert "19:00" in out and "Europe/Brussels" in out
        assert kring(["plan", "--json", "--user", alice.email]) == 0
        when = [t["when"] for t in json.loads(capsys.readouterr().out)["touches"]]
        assert when and all("T19:" in w for w in when)
        assert kring(["export-contacts", "--format", "csv", "--user", alice.email]) == 0
        assert " 19:00" in capsys.readouterr().out


def test_a_reader_in_another_zone_reads_their_own_hour(evening):
    """Bob lives in Lisbon (one hour behind Brussels): pages show him 18:00 for the dinner,
    while the club's printouts keep the club's 19:00."""
    bob = evening.bob
    bob.time_zone = "Europe/Lisbon"
    bob.save(update_fields=["time_zone"])
    page = evening.client(bob).get(reverse("meeting", args=[evening.meeting.pk]))
    assert "18:00" in page.content.decode()
    pdf = evening.client(bob).get(reverse("meeting_pdf", args=[evening.meeting.pk])).content
    assert "19:00" in _pdf_text(pdf)
