"""On a 390-pixel phone the menu folds into a button, every item stays reachable, and a page
is never wider than the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from kring.accounts.actions import user_update_settings
from kring.planner.models import PlannedTouch
from tests.browser.conftest import log_in
from tests.browser.test_every_page import AXE, AXE_RUN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_menu_folds_on_a_phone_and_settings_and_log_out_stay_reachable(
    browser, live_server, cast
):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-BE", viewport=PHONE, bypass_csp=True
    )
    page = context.new_page()
    log_in(page, cast.alice.email)
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Settings")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # The open menu, too, has nothing axe-core calls serious.
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []
    page.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(f"{live_server.url}/settings/")
    # The skip link leads past the menu to the content.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    context.close()


def _signed_in(browser, live_server, user, viewport):
    """A Flemish browser of this size, signed in as ``user`` on the dashboard."""
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", viewport=viewport)
    page = context.new_page()
    log_in(page, user.email)
    expect(page).to_have_url(f"{live_server.url}/")
    return context, page


def test_the_plan_is_a_card_per_touch_with_buttons_a_thumb_can_hit(browser, live_server, cast):
    user_update_settings(user=cast.alice, language="nl")
    PlannedTouch.objects.create(
        owner=cast.alice, person=cast.jan, week=dt.date(2026, 12, 28), channel="call"
    )
    context, page = _signed_in(browser, live_server, cast.alice, PHONE)
    page.goto("/plan/")
    card = page.locator("#plan-table tr.touch").first
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    for name in ("Klaar", "Overslaan", "3 maanden sluimeren"):
        button = card.get_by_role("button", name=name)
        size = button.bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44, (name, size)
        assert size["x"] + size["width"] <= PHONE["width"], name
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card.get_by_role("button", name="Overslaan").click()
    expect(page.locator("#plan-table tr.touch-skipped")).to_have_count(1)
    context.close()


def _contrast(first: str, second: str) -> float:
    def luminance(css: str) -> float:
        channels = (int(x) / 255 for x in css[css.index("(") + 1 : -1].split(",")[:3])
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(first), luminance(second)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_keyboard_focus_is_seen(browser, live_server, cast):
    context, page = _signed_in(browser, live_server, cast.alice, {"width": 1280, "height": 800})
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.textContent.trim(), s.outlineStyle,"
        " parseFloat(s.outlineWidth), s.outlineColor]; })()"
    )
    assert focused[0] == "Kring" and focused[1] == "solid" and focused[2] >= 2, focused
    # A colour that stands out from the white page by 3:1 at least (WCAG 2.2, 1.4.11).
    assert _contrast(focused[3], "rgb(255, 255, 255)") >= 3, focused
    context.close()


def test_the_manifest_lets_a_member_install_kring(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["display"] == "standalone" and data["start_url"] == "/"
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
