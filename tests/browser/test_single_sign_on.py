"""Single sign-on in the browser, against a real OpenID Connect provider on loopback (node's
oidc-provider, tests/sso/oidc.py): a new person gets an account, an existing account is linked
by its verified address (and keeps the sign-in bookkeeping: the session in settings, the mail
about a new device), an unverified address is refused with the reason on the page, and a club
that signs in only with single sign-on refuses its members' passwords."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kring.accounts.actions import (
    sso_sign_in,
    two_factor_begin,
    two_factor_confirm,
    user_sign_up,
    workspace_policy_set,
)
from kring.accounts.models import KnownDevice, SignIn, SingleSignOnIdentity, User
from kring.audit.models import AuditEntry
from kring.lib import clock
from kring.workspaces.models import Membership
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.sso.oidc import UNVERIFIED, VERIFIED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_at_provider(page, login: str) -> None:
    page.goto("/login/")
    page.get_by_role("button", name="Sign in with Club Login").click()
    # The provider's own sign-in page (its development one: any password).
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("whatever the provider asks")
    page.locator("button[type=submit]").click()


def test_a_new_person_signs_in_with_the_provider_and_gets_an_account(page, sso):
    login, email = VERIFIED
    _sign_in_at_provider(page, login)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    user = User.objects.get(email=email)
    assert user.display_name == "Ada Lovelace"
    assert not user.has_usable_password()
    identity = SingleSignOnIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso.issuer, login)
    assert SignIn.objects.filter(user=user).count() == 1  # settings list this session
    assert AuditEntry.objects.filter(entity="singlesignonidentity", actor=user).exists()
    assert user.memberships.count() == 1  # the personal workspace, as a sign-up makes
    page.goto("/settings/security/")
    expect(page.get_by_text(f"You also sign in with Club Login, as {email}.")).to_be_visible()
    expect(page.get_by_text("(this browser)")).to_be_visible()  # the SSO session, listed


def test_an_existing_account_is_linked_by_its_verified_address(page, sso):
    login, email = VERIFIED
    user = user_sign_up(email=email, password=PASSWORD, display_name="Ada", language="en")
    # She signed in before from another device: this browser is new, and she hears of it.
    KnownDevice.objects.create(user=user, key="Firefox|Windows", first_seen_at=clock.now())
    mail.outbox.clear()
    _sign_in_at_provider(page, login)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert SingleSignOnIdentity.objects.get(subject=login).user == user
    assert User.objects.filter(email__iexact=email).count() == 1
    assert SignIn.objects.filter(user=user).count() == 1
    assert [m.to for m in mail.outbox] == [[email]]  # the new-device mail

    # The link holds by the provider's id for her, whatever her address is there later.
    page.get_by_role("button", name="Log out").click()
    User.objects.filter(pk=user.pk).update(email="ada.new@example.be", username="ada.new")
    page.goto("/login/")
    page.get_by_role("button", name="Sign in with Club Login").click()  # still known there
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert SignIn.objects.filter(user=user).count() == 1
    assert User.objects.count() == 1


def test_an_unverified_address_is_refused_with_the_reason_and_never_linked(page, sso):
    login, email = UNVERIFIED
    user_sign_up(email=email, password=PASSWORD, display_name="Bram", language="en")
    _sign_in_at_provider(page, login)
    expect(page).to_have_url(re.compile("/login/$"))
    expect(
        page.get_by_text(
            f"The sign-in service has not verified the e-mail address {email}, so Kring does "
            "not link it to the account with that address."
        )
    ).to_be_visible()
    screenshot(page, "sso-unverified-refused")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    assert not SingleSignOnIdentity.objects.exists()
    assert not SignIn.objects.exists()
    assert AuditEntry.objects.filter(entity="failed_sso").count() == 1


def test_a_club_that_signs_in_only_with_the_provider_refuses_a_members_password(
    browser, live_server, sso, cast
):
    # Alice, the owner, signed in with the provider once before (as the page asks).
    sso_sign_in(
        issuer=sso.issuer,
        subject="alice-at-the-club",
        email=cast.alice.email,
        email_verified=True,
        now=clock.now(),
    )
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, cast.alice.email)
    page.goto(f"/workspaces/{cast.club.pk}/sign-in/")
    page.get_by_label("Members sign in only with single sign-on").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Sign-in rules saved.")).to_be_visible()
    context.close()

    # Bob, a member, on a phone: his right password is refused, the page says what to do.
    phone = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844}
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/")
    page.locator("input[name=username]").fill(cast.bob.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(
        page.get_by_text(
            "Businessclub Test signs in only with Club Login: use the button "
            "“Sign in with Club Login”."
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name="Sign in with Club Login")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "sso-only-password-refused-phone")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    assert not SignIn.objects.filter(user=cast.bob).exists()
    phone.close()


def test_kring_two_factor_of_the_account_is_still_asked_after_the_provider(page, sso):
    login, email = VERIFIED
    user = user_sign_up(email=email, password=PASSWORD, display_name="Ada", language="en")
    device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    _sign_in_at_provider(page, login)
    expect(page).to_have_url(re.compile("/login/code/$"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert SignIn.objects.filter(user=user).count() == 1


def test_a_club_that_requires_two_factor_counts_the_providers_own(page, sso, cast):
    """The provider's sign-in (with its own second factor) meets the club's rule: its admin
    is not sent to set up Kring's authenticator, as after a password."""
    login, email = VERIFIED
    admin = user_sign_up(email=email, password=PASSWORD, display_name="Ada", language="en")
    Membership.objects.create(workspace=cast.club, user=admin, role=Membership.Role.ADMIN)
    device = two_factor_begin(user=cast.alice)
    two_factor_confirm(user=cast.alice, code=f"{totp(device.bin_key):06d}")
    workspace_policy_set(actor=cast.alice, workspace=cast.club, require_two_factor=True)
    _sign_in_at_provider(page, login)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto("/")
    expect(page).not_to_have_url(re.compile("/settings/two-factor/$"))


def test_a_dutch_visitor_gets_the_button_and_the_refusal_in_dutch(browser, live_server, sso):
    login, email = UNVERIFIED
    user_sign_up(email=email, password=PASSWORD, display_name="Bram", language="nl")
    context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/")
    page.get_by_role("button", name="Aanmelden met Club Login").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("wat de dienst vraagt")
    page.locator("button[type=submit]").click()
    expect(
        page.get_by_text(
            f"De aanmelddienst heeft het e-mailadres {email} niet bevestigd, dus koppelt Kring "
            "het niet aan het account met dat adres."
        )
    ).to_be_visible()
    context.close()
