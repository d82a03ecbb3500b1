"""An organiser who reads Dutch runs the evening in the browser and sees no English: every
answer the live server gives is read by the Dutch check (tests/dutch.py), the refusals
included ("Tafel D is vol.", a host who does not come)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from kring.accounts.models import User
from kring.clubs import actions
from kring.clubs.models import Attendance
from kring.lib import clock
from tests.browser.conftest import log_in
from tests.dutch import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dutch_page(browser, live_server):
    check.english_patterns()  # built once, before the first page waits for it
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_dutch_organiser_seats_an_evening_in_dutch(dutch_page, cast, english_seen):
    page = dutch_page
    User.objects.filter(pk__in=[cast.alice.pk, cast.bob.pk]).update(language="nl")
    meeting = actions.meeting_create(
        actor=cast.alice,
        workspace=cast.club,
        title="Ledenavond",
        starts_at=clock.now() + dt.timedelta(days=7),
        tables=[("Tafel D", 1, None), ("Tafel E", 4, cast.bob)],
    )
    Attendance.objects.create(meeting=meeting, user=cast.alice, answer=Attendance.Answer.YES)

    log_in(page, cast.alice.email)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    # The host of Tafel E has not answered: seating stops, in Dutch.
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Iedereen een plaats geven", exact=True).click()
    expect(page.locator("main")).to_contain_text(
        "Bob ontvangt aan Tafel E maar heeft nog niet geantwoord."
    )

    # He comes after all; Alice gets Tafel D, and Bob cannot join her there.
    Attendance.objects.create(meeting=meeting, user=cast.bob, answer=Attendance.Answer.YES)
    alice = meeting.attendances.get(user=cast.alice)
    actions.seat_move(
        actor=cast.alice, attendance=alice, table=meeting.tables.get(name="Tafel D"), locked=True
    )
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Iedereen een plaats geven", exact=True).click()
    expect(page.locator("main")).to_contain_text("Bob (gastheer of gastvrouw)")
    bob = page.locator("li.seat", has_text="Bob").first
    bob.locator("summary").click()
    bob.get_by_label("Tafel").select_option(label="Tafel D")
    bob.get_by_role("button", name="Verplaatsen").click()
    expect(page.locator("main")).to_contain_text("Tafel D is vol.")
    assert english_seen == []
