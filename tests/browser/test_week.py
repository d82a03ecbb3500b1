"""A member works through the week: the plan's totals follow each Done / Skip in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kring.demo.club import DEMO_PASSWORD, demo_login, load_demo_club
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in_to_the_demo_club(page) -> None:
    load_demo_club(seed=11, members=3)
    log_in(page, demo_login(), DEMO_PASSWORD)
    page.locator("#language-switch select").select_option("en")


def test_the_plan_totals_follow_a_skipped_touch_without_a_reload(page):
    _log_in_to_the_demo_club(page)
    page.get_by_role("link", name="This week").click()
    rows = page.locator("#plan-table tbody tr.touch-planned")
    expect(rows.first).to_be_visible()
    count = rows.count()
    open_before = int(page.locator("#plan-open").inner_text())
    minutes = int(rows.first.locator("td").nth(2).inner_text().split(",")[1].split()[0])
    page.evaluate("window.__not_reloaded = true")
    rows.first.get_by_role("button", name="Skip").click()
    expect(page.locator("#plan-open")).to_have_text(str(open_before - minutes))
    expect(page.locator("#plan-totals")).to_contain_text(f"in {count - 1} open touch")
    assert page.evaluate("window.__not_reloaded") is True
    expect(page.locator("#plan-table tbody tr.touch-skipped")).to_have_count(1)
