"""The Content-Security-Policy (no inline script) breaks nothing: the pages, the API docs
(Swagger UI) and the language switch run in Chromium without one violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_violates_the_content_security_policy(page, cast):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    response = page.goto("/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    log_in(page, cast.alice.email)
    for path in ("/", "/people/", f"/people/{cast.jan.pk}/", "/plan/", "/import/", "/api/docs"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/")
    page.locator("#language-switch select").select_option("nl")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert violations == []
