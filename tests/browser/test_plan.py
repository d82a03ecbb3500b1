"""A demo-club member opens this week's plan, marks a touch done, finds it on the timeline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kring.demo.club import DEMO_PASSWORD, demo_login, load_demo_club
from kring.planner.models import PlannedTouch
from tests.browser.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_plans_the_week_and_logs_a_done_touch(page):
    load_demo_club(seed=11, members=3)
    log_in(page, demo_login(), DEMO_PASSWORD)
    page.locator("#language-switch select").select_option("en")
    page.get_by_role("link", name="This week").click()

    rows = page.locator("#plan-table tbody tr.touch")
    expect(rows.first).to_be_visible()
    count = rows.count()
    assert count > 0
    for i in range(count):
        assert rows.nth(i).locator("td").nth(3).inner_text().strip(), "every line has a reason"
    used, budget = (int(x) for x in page.locator("#plan-minutes").inner_text().split("/"))
    assert used <= budget
    screenshot(page, "plan-page")

    first = rows.first
    person = first.locator("td").nth(1).locator("a").inner_text()
    channel = first.locator("td").nth(2).inner_text().split(",")[0]
    first.locator("select[name=answered]").select_option("yes")
    first.get_by_role("button", name="Done").click()
    expect(page.locator("#plan-table tbody tr.touch-done")).to_have_count(1)
    assert PlannedTouch.objects.filter(status="done").count() == 1

    page.locator("#plan-table tbody tr.touch-done a").first.click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(person)))).to_be_visible()
    expect(page.locator("#timeline li").first).to_contain_text(channel)
