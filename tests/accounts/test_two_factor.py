"""Two-factor sign-in: set up with an authenticator (QR code and key), signing in asks the
code after the password, recovery codes each work once, a club can require it of its owners
and admins, the operator resets it for a lost device, and mails tell the owner."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.accounts.actions import two_factor_begin, two_factor_confirm
from kring.audit.models import AuditEntry
from kring.cli.main import main as kring
from kring.workspaces.models import Membership
from tests.conftest import PASSWORD, TEST_NOW

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def _with_two_factor(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor_begin(user=user)
    return two_factor_confirm(user=user, code=_code(device))


def _password(client: Client, email: str, password: str = PASSWORD):
    return client.post("/login/", {"username": email, "password": password})


def test_it_is_set_up_from_the_qr_code_and_mails_the_owner(
    cast, django_capture_on_commit_callbacks
):
    alice = cast.client(cast.alice)
    page = alice.get("/settings/two-factor/").content.decode()
    assert "<svg" in page
    secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', page).group(1)
    device = TOTPDevice.objects.get(user=cast.alice, confirmed=False)
    import base64

    assert base64.b32decode(secret) == device.bin_key
    wrong = alice.post("/settings/two-factor/", {"action": "confirm", "code": "000000"})
    assert "That code is not right." in wrong.content.decode()
    with (
        time_machine.travel(TEST_NOW + dt.timedelta(seconds=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        done = alice.post("/settings/two-factor/", {"action": "confirm", "code": _code(device)})
    codes = re.search(r'<pre id="recovery-codes">(.*?)</pre>', done.content.decode(), re.S)
    assert len(codes.group(1).split()) == 10
    assert TOTPDevice.objects.filter(user=cast.alice, confirmed=True).count() == 1
    assert mail.outbox[-1].subject == "Two-factor sign-in is on"
    assert AuditEntry.objects.filter(entity="twofactor", action="create").exists()


def test_signing_in_asks_the_code_after_the_password(cast):
    with time_machine.travel(TEST_NOW, tick=False) as traveller:
        device, _codes = _with_two_factor(cast.alice)
        traveller.shift(dt.timedelta(seconds=30))
        client = Client()
        answer = _password(client, cast.alice.email)
        assert answer["Location"] == "/login/code/"
        assert "_auth_user_id" not in client.session
        assert client.get("/settings/").status_code == 302  # not signed in yet
        wrong = client.post("/login/code/", {"code": "123456"})
        assert "That code is not right." in wrong.content.decode()
        traveller.shift(dt.timedelta(seconds=2))  # django-otp's own pause after a wrong code
        right = client.post("/login/code/", {"code": _code(device)})
        assert right.status_code == 302
        assert client.session["_auth_user_id"] == str(cast.alice.pk)


def test_a_recovery_code_signs_in_once(cast):
    _device, codes = _with_two_factor(cast.alice)
    client = Client()
    _password(client, cast.alice.email)
    answer = client.post("/login/code/", {"code": codes[0].upper()}, follow=True)
    assert "You signed in with a recovery code; 9 are left." in answer.content.decode()
    other = Client()
    _password(other, cast.alice.email)
    again = other.post("/login/code/", {"code": codes[0]})
    assert "That code is not right." in again.content.decode()


def test_guessing_codes_locks_the_account(cast):
    _with_two_factor(cast.alice)
    client = Client(REMOTE_ADDR="203.0.113.66")
    _password(client, cast.alice.email)
    codes = [client.post("/login/code/", {"code": f"{i:06d}"}).status_code for i in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert AuditEntry.objects.filter(entity="failed_twofactor", entity_id=cast.alice.pk).count()


def test_the_code_page_without_a_password_sends_back_to_log_in(cast):
    answer = Client().get("/login/code/", follow=True)
    assert answer.redirect_chain[-1][0] == "/login/"


def test_a_club_owner_requires_it_of_admins_who_must_set_it_up(cast):
    owner = cast.client(cast.alice)
    page = f"/workspaces/{cast.club.pk}/sign-in/"
    first = owner.post(page, {"require_two_factor": "on"})
    assert "Turn on two-factor sign-in for yourself first." in first.content.decode()
    _with_two_factor(cast.alice)
    Membership.objects.filter(workspace=cast.club, user=cast.bob).update(role=Membership.Role.ADMIN)
    bob = Client()
    assert _password(bob, cast.bob.email).status_code == 302
    assert owner.post(page, {"require_two_factor": "on"}).status_code == 302
    # Bob's session ended; at his next sign-in he is sent to set it up before anything else.
    assert bob.get("/settings/").status_code == 302
    _password(bob, cast.bob.email)
    assert bob.get("/").url == "/settings/two-factor/"
    assert bob.get("/settings/two-factor/").status_code == 200
    device = TOTPDevice.objects.get(user=cast.bob, confirmed=False)
    bob.post("/settings/two-factor/", {"action": "confirm", "code": _code(device)})
    assert bob.get("/").status_code == 200
    # He may not turn it off while the club requires it.
    page = bob.get("/settings/two-factor/").content.decode()
    assert "it stays on" in page and "Turn two-factor sign-in off" not in page
    # A member does not set the rules.
    assert cast.client(cast.bob).get(f"/workspaces/{cast.club.pk}/sign-in/").status_code == 403


def test_the_operator_resets_it_for_a_lost_device(cast, capsys, django_capture_on_commit_callbacks):
    _with_two_factor(cast.bob)
    with django_capture_on_commit_callbacks(execute=True):
        assert kring(["account", "reset-2fa", cast.bob.email]) == 0
    assert "Turned two-factor sign-in off for bob@example.nl" in capsys.readouterr().out
    assert mail.outbox[-1].subject == "Two-factor sign-in is off"
    client = Client()
    assert _password(client, cast.bob.email)["Location"] == "/"
    assert kring(["account", "reset-2fa", cast.bob.email]) == 0
    assert "nothing to reset" in capsys.readouterr().out


def test_the_owner_turns_it_off_with_a_code(cast):
    with time_machine.travel(TEST_NOW, tick=False) as traveller:
        device, _codes = _with_two_factor(cast.alice)
        traveller.shift(dt.timedelta(seconds=30))
        alice = cast.client(cast.alice)
        answer = alice.post("/settings/two-factor/", {"action": "off", "code": _code(device)})
        assert answer.status_code == 302
        assert not TOTPDevice.objects.filter(user=cast.alice).exists()


def test_the_mails_speak_the_owners_language(cast, django_capture_on_commit_callbacks):
    cast.bob.language = "nl"
    cast.bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        _with_two_factor(cast.bob)
    assert mail.outbox[-1].subject == "Aanmelden in twee stappen staat aan"
