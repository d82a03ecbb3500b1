"""The organiser runs the evening in the browser: plan, seat, move and lock, see the plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kring.accounts.actions import user_sign_up
from kring.clubs import actions
from kring.clubs.models import Attendance, Meeting
from kring.workspaces.models import Membership
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_seats_a_club_evening(page, cast):
    members = [cast.alice, cast.bob]
    for i in range(6):
        user = user_sign_up(email=f"lid{i}@example.be", password=PASSWORD, display_name=f"Lid {i}")
        Membership.objects.create(workspace=cast.club, user=user)
        members.append(user)
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(cast.alice.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/workspaces/{cast.club.pk}/meetings/")
    page.get_by_label("Title").fill("Clubavond december")
    page.get_by_label("Starts at").fill("2099-12-03T19:00")
    page.get_by_label("Venue").fill("Hasselt")
    page.get_by_label("Tables").fill("Tafel 1, 4, alice@example.be\nTafel 2, 4")
    page.get_by_role("button", name="Create").click()
    meeting = Meeting.objects.get()
    for user in members:
        actions.attendance_answer(actor=user, meeting=meeting, answer="yes")
    page.reload()
    expect(page.locator("#coming")).to_have_text("8")
    page.get_by_role("button", name="Seat everyone").click()
    expect(page.locator("#report")).to_contain_text("every rule kept")
    cards = page.locator(".table-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Alice")
    screenshot(page, "meeting-plan")
    assert Attendance.objects.filter(table__isnull=True).count() == 0
