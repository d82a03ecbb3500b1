"""Sessions and device passwords under the member's control: settings list where the account
is signed in and end any session; a password change ends the others; device passwords are made,
shown once, used by an app over HTTP Basic, and revoked."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from kring.accounts.models import DevicePassword, SignIn
from kring.audit.models import AuditEntry
from kring.cli.main import main as kring
from tests.conftest import PASSWORD, TEST_NOW
from tests.sweep import BRUSSELS

pytestmark = pytest.mark.django_db

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
NEW_PASSWORD = "a walk along the Schelde"


def _signed_in(email: str, agent: str, address: str, password: str = PASSWORD) -> Client:
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    answer = client.post("/login/", {"username": email, "password": password})
    assert answer.status_code == 302, answer.content.decode()[:500]
    return client


def _is_signed_in(client: Client) -> bool:
    return client.get("/settings/").status_code == 200


def test_settings_list_the_sessions_and_end_another_one(cast):
    desk = _signed_in(cast.alice.email, FIREFOX_WINDOWS, "192.0.2.10")
    phone = _signed_in(cast.alice.email, SAFARI_IPHONE, "198.51.100.20")
    page = desk.get("/settings/security/").content.decode()
    assert "Firefox on Windows" in page and "Mobile Safari on iOS" in page
    assert "192.0.2.10" in page and "198.51.100.20" in page
    assert page.count("(this browser)") == 1
    phone_row = SignIn.objects.get(ip_address="198.51.100.20")
    assert desk.post(f"/settings/sessions/{phone_row.pk}/end/").status_code == 302
    assert not _is_signed_in(phone)
    assert _is_signed_in(desk)
    assert "Mobile Safari" not in desk.get("/settings/security/").content.decode()
    assert AuditEntry.objects.filter(entity="signin", action="erase", actor=cast.alice).exists()


def test_a_log_out_leaves_no_session_behind(cast):
    desk = _signed_in(cast.alice.email, FIREFOX_WINDOWS, "192.0.2.10")
    assert SignIn.objects.filter(user=cast.alice).count() == 1
    desk.post("/logout/")
    assert not SignIn.objects.filter(user=cast.alice).exists()


def test_last_seen_follows_the_session_to_within_five_minutes(cast):
    with time_machine.travel(TEST_NOW, tick=False) as traveller:
        desk = _signed_in(cast.alice.email, FIREFOX_WINDOWS, "192.0.2.10")
        traveller.shift(dt.timedelta(minutes=3))
        desk.get("/settings/")
        assert SignIn.objects.get(user=cast.alice).last_seen_at == TEST_NOW
        traveller.shift(dt.timedelta(minutes=3))
        desk.get("/settings/")
        assert SignIn.objects.get(user=cast.alice).last_seen_at == TEST_NOW + dt.timedelta(
            minutes=6
        )


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(cast):
    desk = _signed_in(cast.alice.email, FIREFOX_WINDOWS, "192.0.2.10")
    phone = _signed_in(cast.alice.email, SAFARI_IPHONE, "198.51.100.20")
    answer = desk.post(
        "/settings/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "your other sessions have ended" in answer.content.decode()
    assert _is_signed_in(desk)
    assert not _is_signed_in(phone)
    page = desk.get("/settings/security/").content.decode()
    assert "(this browser)" in page and "Mobile Safari" not in page
    _signed_in(cast.alice.email, SAFARI_IPHONE, "198.51.100.20", password=NEW_PASSWORD)


def test_a_wrong_old_password_is_refused_and_counted(cast):
    desk = _signed_in(cast.alice.email, FIREFOX_WINDOWS, "192.0.2.10")
    wrong = {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    codes = [desk.post("/settings/password/", wrong).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert AuditEntry.objects.filter(entity="failed_signin", entity_id=cast.alice.pk).count() == 5


def test_the_terminal_and_a_reset_link_end_every_session(cast, monkeypatch):
    import io
    import sys

    desk = _signed_in(cast.bob.email, FIREFOX_WINDOWS, "192.0.2.10")
    monkeypatch.setattr(sys, "stdin", io.StringIO(NEW_PASSWORD + "\n"))
    assert kring(["account", "set-password", cast.bob.email, "--password-stdin"]) == 0
    assert not _is_signed_in(desk)

    from django.core import mail

    desk = _signed_in(cast.bob.email, FIREFOX_WINDOWS, "192.0.2.10", password=NEW_PASSWORD)
    stranger = Client(REMOTE_ADDR="198.51.100.20")
    stranger.post("/password-reset/", {"email": cast.bob.email})
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[-1].body).group(0)
    form = stranger.get(link, follow=True)
    stranger.post(
        form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert not _is_signed_in(desk)


def _basic(email: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_a_device_password_is_shown_once_used_by_an_app_and_revoked(cast):
    desk = _signed_in(cast.alice.email, FIREFOX_WINDOWS, "192.0.2.10")
    made = desk.post("/settings/devices/", {"name": "Calendar on my phone"}).content.decode()
    secret = re.search(r'<pre id="device-password">([a-z0-9-]+)</pre>', made).group(1)
    assert len(secret) == 24
    page = desk.get("/settings/security/").content.decode()
    assert "Calendar on my phone" in page and secret not in page
    app = Client(REMOTE_ADDR="198.51.100.30")
    me = app.get("/api/me", **_basic("Alice@Example.be", secret))
    assert me.status_code == 200 and me.json()["email"] == cast.alice.email
    # It is no password for the log-in page, nor for another account.
    refused = app.post("/login/", {"username": cast.alice.email, "password": secret})
    assert refused.status_code == 200 and "_auth_user_id" not in app.session
    assert app.get("/api/me", **_basic(cast.bob.email, secret)).status_code == 401
    device = DevicePassword.objects.get(user=cast.alice)
    assert device.last_used_at is not None
    desk.post(f"/settings/devices/{device.pk}/revoke/")
    assert app.get("/api/me", **_basic(cast.alice.email, secret)).status_code == 401


def test_a_device_password_needs_a_name(cast):
    desk = _signed_in(cast.alice.email, FIREFOX_WINDOWS, "192.0.2.10")
    answer = desk.post("/settings/devices/", {"name": "  "}, follow=True)
    assert "This field is required." in answer.content.decode()
    assert not DevicePassword.objects.exists()


def test_guessing_device_passwords_locks_the_account(cast):
    app = Client(REMOTE_ADDR="198.51.100.30")
    codes = [
        app.get("/api/me", **_basic(cast.alice.email, f"guess-{i}")).status_code for i in range(5)
    ]
    assert codes == [401, 401, 401, 401, 429]
    assert AuditEntry.objects.filter(entity="failed_device", via="api").count() == 5


def test_the_security_page_speaks_dutch(cast):
    cast.alice.language = "nl"
    cast.alice.save()
    # The page activates Alice's language in this thread; the override puts it back after.
    with translation.override("en"):
        desk = _signed_in(cast.alice.email, FIREFOX_WINDOWS, "192.0.2.10")
        page = desk.get("/settings/security/").content.decode()
    assert "Je sessies" in page and "Apparaatwachtwoorden" in page
    assert "Firefox op Windows" in page


def test_it_mails_a_sign_in_from_a_device_the_account_never_used(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.alice.language = "nl"
    cast.alice.save(update_fields=["language"])

    def sign_in(agent: str, address: str) -> Client:
        with django_capture_on_commit_callbacks(execute=True):
            return _signed_in(cast.alice.email, agent, address)

    # The very first sign-in, and the same device again after logging out: nothing to tell.
    sign_in(FIREFOX_WINDOWS, "192.0.2.10").post("/logout/")
    sign_in(FIREFOX_WINDOWS, "192.0.2.11")
    assert mailoutbox == []
    # A phone she never used: one mail, in her language, with the device, address and time.
    sign_in(SAFARI_IPHONE, "198.51.100.7")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [cast.alice.email]
    assert mail.subject == "Ingelogd vanaf een nieuw toestel"
    assert "Mobile Safari op iOS" in mail.body
    assert "198.51.100.7" in mail.body
    assert TEST_NOW.astimezone(BRUSSELS).strftime("%H:%M") in mail.body
    # The phone again: known now.
    sign_in(SAFARI_IPHONE, "198.51.100.8")
    assert len(mailoutbox) == 1


def test_each_session_shows_its_place_by_address(cast):
    desk = _signed_in(cast.alice.email, FIREFOX_WINDOWS, "127.0.0.1")
    _signed_in(cast.alice.email, SAFARI_IPHONE, "193.190.198.1")
    _signed_in(cast.alice.email, FIREFOX_WINDOWS, "192.168.1.20")
    page = desk.get("/settings/security/").content.decode()
    assert "this computer" in page
    assert "Brussels, Belgium" in page
    assert "local network" in page
    assert "IP geolocation by DB-IP" in page
    cast.alice.language = "nl"
    cast.alice.save(update_fields=["language"])
    with translation.override("en"):
        page = desk.get("/settings/security/").content.decode()
    assert "deze computer" in page and "Brussels, België" in page and "lokaal netwerk" in page
