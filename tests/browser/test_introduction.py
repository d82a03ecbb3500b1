"""Three roles, as they click: the requester finds a path and asks, the connector accepts, the
target opts in from the e-mail link, the requester records the business; the ledger shows it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kring.network.models import Introduction
from kring.people.actions import person_update
from kring.people.models import Person
from tests.browser.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_it_makes_an_introduction_through_three_roles(page, club_network, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast = club_network
    person_update(
        actor=cast.bob,
        person=Person.objects.get(owner=cast.bob, given_name="Koen"),
        emails=["koen@acme.example"],
    )

    log_in(page, cast.alice.email)
    # This month's ask, in a sentence: Kring proposes the fields, Alice saves, Koen fits.
    page.goto(f"/workspaces/{cast.club.pk}/asks/")
    page.get_by_label(re.compile("Whom or what are you looking for")).fill("R&D managers bij Acme")
    page.get_by_role("button", name="Propose the fields").click()
    expect(page.locator("#proposed")).to_be_visible()
    expect(page.get_by_label("Role", exact=True)).to_have_value("R&D manager")
    page.get_by_role("button", name="Save my ask").click()
    candidate = page.locator(".candidates li").filter(has_text="Koen Claes")
    expect(candidate).to_contain_text("fit 1.00")  # warmest way in: Alice's own Jan, at Acme
    expect(page.locator(".candidates")).not_to_contain_text("Henk")

    page.goto(f"/workspaces/{cast.club.pk}/paths/")
    page.get_by_label("Anyone at (organisation)").fill("Acme")
    page.get_by_role("button", name="Find paths").click()
    path = page.locator("#paths li").filter(has_text="Koen Claes").first
    expect(path).to_contain_text("Bob")
    expect(page.locator("#paths")).not_to_contain_text("Henk")
    screenshot(page, "intro-paths")
    path.get_by_role("link", name="Ask for an introduction").click()
    expect(page.locator("#give-first")).to_be_visible()
    page.get_by_label(re.compile("Why you want to meet")).fill(
        "I build lab software. Koen's new lab could use it."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#status")).to_have_text("Requested")
    _log_out(page)

    log_in(page, cast.bob.email)
    introduction = Introduction.objects.get()
    page.goto(f"/introductions/{introduction.pk}/")
    page.get_by_role("button", name="Accept: ask them first").click()
    expect(page.locator("#status")).to_contain_text("Accepted")
    _log_out(page)

    link = re.search(r"https?://\S+/introductions/opt-in/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Yes, introduce us").click()
    expect(page.locator("h1")).to_have_text("Thank you")

    log_in(page, cast.alice.email)
    page.goto(f"/introductions/{introduction.pk}/")
    expect(page.locator("#status")).to_have_text("Introduction made")
    page.get_by_label("Value of the business (€)").fill("4500")
    page.get_by_role("button", name="Business closed").click()
    expect(page.locator("#status")).to_have_text("Business closed")
    page.get_by_role("link", name="All introductions").click()
    ledger = page.locator("#ledger")
    expect(ledger).to_contain_text("Bob")
    screenshot(page, "introductions")
    introduction.refresh_from_db()
    assert introduction.status == "closed"
