"""On a 390-pixel phone the menu folds into a button, every item stays reachable, and a page
is never wider than the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_menu_folds_on_a_phone_and_settings_and_log_out_stay_reachable(
    browser, live_server, cast
):
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=PHONE)
    page = context.new_page()
    page.goto("/login/")
    page.locator("input[name=username]").fill(cast.alice.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Settings")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(f"{live_server.url}/settings/")
    # The skip link leads past the menu to the content.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    context.close()


def test_the_manifest_lets_a_member_install_kring(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["display"] == "standalone" and data["start_url"] == "/"
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
