"""A new user, as they click: sign up, add a person, log a contact, switch to Dutch."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kring.people import actions
from kring.people.models import Interaction
from tests.browser.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_takes_a_new_user_from_sign_up_to_a_dutch_timeline(page, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page.goto("/signup/")
    page.get_by_label("Your name").fill("Dora Peeters")
    page.get_by_label("E-mail address").fill("dora@example.be")
    page.locator("#id_language").select_option("en")
    page.get_by_role("button", name="Send me the link to finish").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    (message,) = mail.outbox
    page.goto(re.search(r"https?://\S+/signup/finish/\S+/", message.body).group(0))
    page.get_by_label("Choose a password").fill("a long enough secret")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Hello Dora Peeters")).to_be_visible()

    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("Given name").fill("Jan")
    page.get_by_label("Particles").fill("van der")
    page.get_by_label("Surname").fill("Berg")
    page.get_by_label("Organisation").fill("Acme NV")
    page.get_by_label("Role").fill("R&D manager")
    page.get_by_label("Phone numbers").fill("0470 12 34 56")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=re.compile("Jan van der Berg"))).to_be_visible()
    expect(page.get_by_text("+32 470 12 34 56")).to_be_visible()

    log = page.locator("#quick-log")
    log.get_by_label("Channel").select_option("call")
    log.get_by_label("Minutes").fill("5")
    log.get_by_label("Summary").fill("Five minutes about the new lab")
    log.get_by_role("button", name="Log it").click()
    expect(page.locator("#timeline")).to_contain_text("Five minutes about the new lab")
    expect(page.locator("#timeline")).to_contain_text("Phone or video · 5 min")
    expect(page.locator("#familiarity")).to_contain_text("1 of 5 conversations")
    assert Interaction.objects.filter(summary="Five minutes about the new lab").count() == 1
    screenshot(page, "person-page")

    page.locator("#language-switch select").select_option("nl")
    expect(page.get_by_role("heading", name=re.compile("^Tijdlijn"))).to_be_visible()
    expect(page.locator("#familiarity")).to_contain_text("1 van 5")
    expect(page.get_by_role("link", name="Personen")).to_be_visible()

    page.get_by_role("link", name="Kring", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Dora Peeters")
    screenshot(page, "dashboard")


def test_it_sorts_van_der_berg_under_b_in_the_list(page, cast):
    for given, particles, surname in [("Anna", "", "Aerts"), ("Carl", "", "Claes"),
                                      ("Bert", "de", "Bakker")]:  # fmt: skip
        actions.person_create(owner=cast.alice, given_name=given, particles=particles,
                              surname=surname)  # fmt: skip
    log_in(page, cast.alice.email)
    page.get_by_role("link", name="People").click()
    names = page.locator("#people-table tbody td:first-child").all_inner_texts()
    assert names == ["Anna Aerts", "Bert de Bakker", "Jan van der Berg", "Carl Claes"]

    page.get_by_placeholder(re.compile("Search")).fill("acme")
    expect(page.locator("#people-table tbody tr")).to_have_count(1)
    expect(page.locator("#people-table")).to_contain_text("Jan van der Berg")
    screenshot(page, "people-list")
