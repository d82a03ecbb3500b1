"""The organiser seats the next dinner although one host has not answered and another is not
coming, in Dutch, at a desk and on a phone: one click marks a host as coming, "seat anyway"
seats the other table without a host, and the page says what happened and what the dial means."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from kring.accounts.actions import user_sign_up, user_update_settings
from kring.clubs import actions
from kring.clubs.models import Attendance
from kring.lib import clock
from kring.workspaces.models import Membership
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ENGLISH = ["hosts Tafel", "has not answered", "Seat anyway", "has no host", "sit together again"]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_organiser_seats_a_dinner_with_a_host_who_has_not_answered(
    browser, live_server, cast, width
):
    user_update_settings(user=cast.alice, language="nl")
    members = [cast.alice, cast.bob]
    for i in range(7):
        user = user_sign_up(
            email=f"gast{i}@example.be", password=PASSWORD, display_name=f"Lid {i}", language="nl"
        )
        Membership.objects.create(workspace=cast.club, user=user)
        members.append(user)
    lid0 = members[2]
    meeting = actions.meeting_create(
        actor=cast.alice,
        workspace=cast.club,
        title="Kerstdiner",
        starts_at=clock.now() + dt.timedelta(days=5),
        tables=[("Tafel 1", 4, cast.alice), ("Tafel 2", 4, cast.bob), ("Tafel 3", 4, lid0)],
        now=clock.now(),
    )
    for user in [cast.alice, *members[3:]]:
        actions.attendance_answer(actor=user, meeting=meeting, answer="yes")
    actions.attendance_answer(actor=lid0, meeting=meeting, answer="no")

    viewport = WIDTHS[width]
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, cast.alice.email)
    page.goto(f"/meetings/{meeting.pk}/")

    notice = page.locator("#absent-hosts")
    expect(notice).to_contain_text("Bob ontvangt aan Tafel 2 maar heeft nog niet geantwoord.")
    expect(notice).to_contain_text("Lid 0 ontvangt aan Tafel 3 maar komt niet.")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"host-not-answered-{width}")

    # The dial explains each setting in words as the organiser moves it (and shows the
    # meeting's setting, even where a decimal comma is written).
    expect(page.locator("#policy")).to_have_value("0")
    meaning = page.locator("#dial-meaning")
    expect(meaning).to_contain_text("Nieuwe mensen ontmoeten")
    page.locator("#policy").fill("1")
    expect(meaning).to_contain_text("Banden verdiepen op weg naar vijf")
    page.locator("#policy").fill("0.3")

    # Bob rang: he comes. One click.
    notice.get_by_role("button", name="Bob komt").click()
    expect(page.locator("#absent-hosts")).not_to_contain_text("Bob")
    assert Attendance.objects.get(meeting=meeting, user=cast.bob).answer == "yes"

    # Lid 0 does not come: seat anyway; Tafel 3 has no host tonight, and the page says so.
    page.locator("#policy").fill("0.3")
    page.get_by_role("button", name="Toch iedereen een plaats geven").click()
    messages = page.locator("main > .messages")
    expect(messages).to_contain_text("Tafel 3 heeft vanavond geen gastheer of gastvrouw.")
    report = page.locator("#report")
    expect(report.locator("[data-line=tonight]")).to_contain_text("Niemand zit met iemand")
    expect(report.locator("[data-line=season]")).to_contain_text("Over het seizoen")
    expect(report.locator("[data-line=dial]")).to_contain_text("Schuif op 0,3")
    expect(report.locator("[data-line=hostless]")).to_contain_text("Tafel 3")
    seats = dict(
        Attendance.objects.filter(meeting=meeting, answer="yes").values_list(
            "user__display_name", "table__name"
        )
    )
    assert seats["Bob"] == "Tafel 2" and seats["Alice"] == "Tafel 1"
    assert all(seats.values())
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    text = page.locator("main").inner_text()
    assert not [phrase for phrase in ENGLISH if phrase in text]
    screenshot(page, f"host-not-answered-seated-{width}")
    context.close()
