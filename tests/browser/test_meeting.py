"""The organiser runs the evening in the browser, as the issue tells it: a meeting, answers by
link, a plan, a drag, a locked table, a cancellation and a revised plan, the printed plan, and a
member who logs two conversations from "whom I sat with"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from kring.accounts.actions import user_sign_up
from kring.clubs import actions
from kring.clubs.models import Attendance, Meeting
from kring.people.models import Interaction
from kring.workspaces.models import Membership
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.privacy import pdf_text as _pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seats(meeting):
    return dict(
        Attendance.objects.filter(meeting=meeting, answer="yes").values_list("user_id", "table_id")
    )


def test_an_organiser_runs_a_club_evening(page, browser, live_server, cast):
    members = [cast.alice, cast.bob]
    for i in range(7):
        user = user_sign_up(
            email=f"lid{i}@example.be", password=PASSWORD, display_name=f"Lid {i}", language="en"
        )
        Membership.objects.create(workspace=cast.club, user=user)
        members.append(user)
    log_in(page, cast.alice.email)
    page.goto(f"/workspaces/{cast.club.pk}/meetings/")
    page.get_by_label("Title").fill("Clubavond december")
    page.get_by_label("Starts at").fill("2099-12-03T19:00")
    page.get_by_label("Venue").fill("Hasselt")
    page.get_by_label("Tables").fill("Tafel 1, 5, alice@example.be\nTafel 2, 5")
    page.get_by_role("button", name="Create").click()
    meeting = Meeting.objects.get()

    # The invitation goes out; three members answer by the link in their e-mail.
    page.get_by_role("button", name="E-mail the invitation with answer links").click()
    expect(page.locator("main > .messages")).to_contain_text("Invitations went to 9 members")
    links = {
        m.to[0]: re.search(r"https?://\S+answer=yes", m.body).group(0)  # type: ignore[union-attr]
        for m in mail.outbox
    }
    for member in members[2:5]:
        visitor = browser.new_context(base_url=live_server.url, locale="en-GB")
        answer = visitor.new_page()
        answer.goto(links[member.email])
        expect(answer.locator("h1")).to_have_text("Clubavond december")
        answer.get_by_role("button", name="I'm coming").click()
        expect(answer.locator("#answer-saved")).to_contain_text("you are on the list")
        if member == members[2]:
            screenshot(answer, "meeting-answer-by-link")
        visitor.close()
    # The others answer on the page; the organiser notes one who rang.
    for member in (cast.alice, cast.bob, *members[5:8]):
        actions.attendance_answer(actor=member, meeting=meeting, answer="yes")
    page.reload()
    page.locator("#answers tr", has_text="Lid 6").get_by_role(
        "button", name="Coming", exact=True
    ).click()
    expect(page.locator("#coming")).to_have_text("9")

    page.get_by_role("button", name="Seat everyone").click()
    expect(page.locator("#report")).to_contain_text("every rule kept")
    screenshot(page, "meeting-plan")

    # Drag one person from the first table to the second: the seat is locked there.
    first, second = meeting.tables.order_by("id")
    mover = Attendance.objects.filter(table=first).exclude(user=cast.alice).first()
    source = page.locator(f"li.seat[data-name='{mover.user.name}']")
    target = page.locator(f"ul[data-seats='{second.pk}']")
    page.set_viewport_size({"width": 1280, "height": 1600})  # the whole plan in view
    page.evaluate("window.scrollTo(0, 0)")
    box = source.bounding_box()
    page.mouse.move(box["x"] + 15, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + 25, box["y"] + 20, steps=3)
    goal = target.locator("li").last.bounding_box()
    page.mouse.move(goal["x"] + 30, goal["y"] + goal["height"] / 2 + 4, steps=20)
    page.mouse.up()
    moved = page.locator(f"ul[data-seats='{second.pk}'] li[data-name='{mover.user.name}']")
    expect(moved).to_contain_text("🔒")  # the server’s answer, swapped in
    mover.refresh_from_db()
    assert mover.table_id == second.pk and mover.locked

    # Lock the whole first table.
    page.locator(".table-card[data-table='Tafel 1']").get_by_role(
        "button", name="Lock table"
    ).click()
    expect(
        page.locator(".table-card[data-table='Tafel 1']").locator("li.seat").first
    ).to_contain_text("🔒")
    locked = dict(
        Attendance.objects.filter(meeting=meeting, locked=True).values_list("user_id", "table_id")
    )
    assert len(locked) == Attendance.objects.filter(table=first).count() + 1

    # A last-minute cancellation at the second table; fill the gap, moving as few as possible.
    leaver = Attendance.objects.filter(table=second, locked=False).exclude(user=cast.bob).first()
    page.locator("#attendance summary").click()
    page.locator("#answers tr", has_text=leaver.user.name).get_by_role(
        "button", name="Cancel"
    ).click()
    before = _seats(meeting)
    page.get_by_role("button", name="Fill the gaps (move as few as possible)").click()
    expect(page.locator("#report")).to_contain_text("0 people moved")
    after = _seats(meeting)
    assert leaver.user_id not in after
    assert all(after[user] == table for user, table in locked.items())
    assert after == {u: t for u, t in before.items() if u != leaver.user_id}
    screenshot(page, "meeting-revised")

    # The printed plan holds every seated name.
    pdf = page.request.get(f"/meetings/{meeting.pk}/plan.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.body())
    for attendance in Attendance.objects.filter(meeting=meeting, table__isnull=False):
        assert attendance.user.name in text
    cards = page.request.get(f"/meetings/{meeting.pk}/cards.pdf")
    assert cards.ok and cards.body().startswith(b"%PDF")

    # After the evening a member logs two conversations from "whom I sat with".
    after = time_machine.travel(dt.datetime(2099, 12, 3, 22, tzinfo=dt.UTC), tick=True)
    after.start()
    bob_page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(bob_page, cast.bob.email)
    bob_page.goto(f"/meetings/{meeting.pk}/my-table/")
    mates = bob_page.locator("#mates li")
    expect(mates.first).to_be_visible()
    for index in range(2):
        mates.nth(index).get_by_role("button", name="Log our conversation").click()
        expect(bob_page.locator(".messages")).to_contain_text("is in your file")
    expect(bob_page.locator("#mates")).to_contain_text("talked 1 times")
    screenshot(bob_page, "meeting-my-table")
    assert Interaction.objects.filter(owner=cast.bob, channel="event").count() == 2
    after.stop()
