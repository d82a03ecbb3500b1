"""A new Dutch-speaking account logs in to an empty network, on a laptop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kring.accounts.actions import user_sign_up
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_it_shows_a_new_account_three_ways_in(page, width, height):
    user_sign_up(email="els@kempen.example", password=PASSWORD, display_name="Els", language="nl")
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, "els@kempen.example")

    start = page.locator("#getting-started")
    expect(start.get_by_role("heading", name="Je netwerk is nog leeg")).to_be_visible()
    expect(page.get_by_text("warm")).to_have_count(0)
    buttons = [
        start.get_by_role("button", name="Bestand importeren"),
        start.get_by_role("button", name="Persoon toevoegen"),
        start.get_by_role("button", name="Start een club"),
    ]
    for button in buttons:
        expect(button).to_be_visible()
    # Nothing sticks out sideways on a phone, and the three ways in stand next to each other on
    # a laptop and under each other on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    tops = [b.bounding_box()["y"] for b in buttons]  # type: ignore[index]
    lefts = [b.bounding_box()["x"] for b in buttons]  # type: ignore[index]
    if width >= 1000:
        assert lefts == sorted(lefts) and len(set(lefts)) == 3
    else:
        assert tops == sorted(tops) and len(set(tops)) == 3
    screenshot(page, f"dashboard-empty-nl-{width}")

    buttons[1].click()
    expect(page).to_have_url(re.compile("/people/new/$"))
    page.go_back()
    buttons[0].click()
    expect(page).to_have_url(re.compile("/import/$"))
    expect(page.get_by_role("heading", name="Importeer je netwerk")).to_be_visible()
    page.wait_for_load_state("networkidle")
