"""The sessions in settings, in the browser: the session of this browser (on this machine's
loopback) shows its place, in Dutch, on a desk and on a phone where the table becomes cards."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_session_of_this_browser_shows_its_place_in_dutch(browser, live_server, cast, width):
    cast.alice.language = "nl"
    cast.alice.save(update_fields=["language"])
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, cast.alice.email)
    page.goto("/settings/security/")
    row = page.locator("#sessions tbody tr").first
    expect(row.locator("[data-place]")).to_have_text("deze computer")
    expect(row).to_contain_text("127.0.0.1")
    expect(page.get_by_role("link", name="IP-geolocatie door DB-IP")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"sessions-place-{width}")
    context.close()
