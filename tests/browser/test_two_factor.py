"""Two-factor sign-in in the browser: set up from the page (the key beside the QR code, as an
authenticator app reads it), then signing in asks the code after the password; a recovery
code signs in once; a club that requires it sends its admin to set it up first."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
import time_machine
from django_otp.oath import totp
from playwright.sync_api import expect

from kring.accounts.actions import two_factor_begin, two_factor_confirm, workspace_policy_set
from kring.workspaces.models import Membership
from tests.browser.conftest import log_in, screenshot
from tests.conftest import TEST_NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_is_set_up_in_the_browser_and_then_asked_at_sign_in(page, cast):
    log_in(page, cast.alice.email)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto("/settings/security/")
    page.get_by_role("button", name=re.compile("Two-factor sign-in: off")).click()
    expect(page.locator("#qr svg")).to_be_visible()
    key = base64.b32decode(page.locator("#secret").inner_text())
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    codes = page.locator("#recovery-codes").inner_text().split()
    assert len(codes) == 10
    screenshot(page, "two-factor-recovery-codes")
    page.get_by_role("button", name="Log out").click()

    with time_machine.travel(TEST_NOW + dt.timedelta(minutes=1), tick=True):
        log_in(page, cast.alice.email)
        expect(page).to_have_url(re.compile("/login/code/$"))
        page.get_by_label("Code").fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        page.get_by_role("button", name="Log out").click()

        log_in(page, cast.alice.email)
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("You signed in with a recovery code; 9 are left.")).to_be_visible()


def test_a_club_that_requires_it_sends_its_admin_to_set_it_up_in_dutch(browser, live_server, cast):
    device = two_factor_begin(user=cast.alice)
    two_factor_confirm(user=cast.alice, code=f"{totp(device.bin_key):06d}")
    Membership.objects.filter(workspace=cast.club, user=cast.bob).update(role=Membership.Role.ADMIN)
    workspace_policy_set(actor=cast.alice, workspace=cast.club, require_two_factor=True)
    cast.bob.language = "nl"
    cast.bob.save()
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    page = context.new_page()
    log_in(page, cast.bob.email)
    expect(page).to_have_url(re.compile("/settings/two-factor/$"))
    expect(
        page.get_by_text("Een club of bedrijf dat je beheert, vereist aanmelden in twee stappen.")
    ).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile("/settings/two-factor/$"))
    key = base64.b32decode(page.locator("#secret").inner_text())
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Zet aanmelden in twee stappen aan").click()
    expect(page.locator("#recovery-codes")).to_be_visible()
    page.goto("/")
    expect(page).not_to_have_url(re.compile("/settings/two-factor/$"))
    context.close()
