"""A password-guessing script gets nowhere: log-in, password reset and API tokens are locked
per account and per address after five failures, every attempt during the lock starts the wait
anew, the failures are in the audit log, and a site admin unlocks (page and terminal)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client

from kring.audit.models import AuditEntry
from kring.cli.main import main as kring
from tests.conftest import PASSWORD, TEST_NOW

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
ELSEWHERE = "198.51.100.7"


def _log_in(client: Client, email: str, password: str):
    return client.post("/login/", {"username": email, "password": password})


def _guess(client: Client, email: str, times: int) -> list[int]:
    return [_log_in(client, email, f"guess number {i}").status_code for i in range(times)]


def test_it_locks_an_account_after_five_wrong_passwords_and_refuses_even_the_right_one(cast):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    assert _guess(attacker, cast.alice.email, 5) == [200, 200, 200, 200, 429]
    right = _log_in(attacker, cast.alice.email, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in attacker.session
    assert "Try again in 15 minutes" in right.content.decode()
    assert right["Retry-After"] == "900"
    # Per account: from another address, in another case, the account stays locked.
    other = Client(REMOTE_ADDR=ELSEWHERE)
    assert _log_in(other, "ALICE@example.be", PASSWORD).status_code == 429
    failed = AuditEntry.objects.filter(entity="failed_signin", entity_id=cast.alice.pk)
    assert failed.count() == 7
    assert AuditEntry.objects.filter(entity="lockout", entity_id=cast.alice.pk).exists()


def test_it_locks_an_address_that_tries_many_accounts(cast):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    codes = [
        _log_in(attacker, f"someone{i}@example.be", "a guess at last").status_code for i in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    # Bob's account is not locked, but the address is, so Bob from there is refused...
    assert _log_in(attacker, cast.bob.email, PASSWORD).status_code == 429
    # ...and Bob from his own address logs in.
    bob = Client(REMOTE_ADDR=ELSEWHERE)
    assert _log_in(bob, cast.bob.email, PASSWORD).status_code == 302
    assert bob.session["_auth_user_id"] == str(cast.bob.pk)


def test_a_lock_ends_after_the_wait_and_each_attempt_during_it_starts_the_wait_anew(cast):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel(TEST_NOW, tick=False) as traveller:
        _guess(attacker, cast.alice.email, 5)
        traveller.shift(dt.timedelta(minutes=10))
        assert _log_in(attacker, cast.alice.email, "another guess").status_code == 429
        traveller.shift(dt.timedelta(minutes=10))  # 20 after the fifth, 10 after the sixth
        assert _log_in(attacker, cast.alice.email, PASSWORD).status_code == 429
        traveller.shift(dt.timedelta(minutes=16))
        assert _log_in(attacker, cast.alice.email, PASSWORD).status_code == 302


def test_a_good_sign_in_forgets_earlier_failures(cast):
    alice = Client(REMOTE_ADDR=ELSEWHERE)
    assert _guess(alice, cast.alice.email, 4) == [200] * 4
    assert _log_in(alice, cast.alice.email, PASSWORD).status_code == 302
    alice.logout()
    assert _guess(alice, cast.alice.email, 4) == [200] * 4
    assert _log_in(alice, cast.alice.email, PASSWORD).status_code == 302


def test_the_terminal_unlocks_an_account_and_an_address(cast, capsys):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    _guess(attacker, cast.alice.email, 5)
    alice = Client(REMOTE_ADDR=ELSEWHERE)
    assert _log_in(alice, cast.alice.email, PASSWORD).status_code == 429
    assert kring(["account", "unlock", cast.alice.email]) == 0
    assert "Unlocked alice@example.be" in capsys.readouterr().out
    assert _log_in(alice, cast.alice.email, PASSWORD).status_code == 302
    # An address that tried many accounts stays locked until the operator lifts that too.
    for i in range(5):
        _log_in(attacker, f"someone{i}@example.be", "a guess")
    assert _log_in(attacker, cast.bob.email, PASSWORD).status_code == 429
    assert kring(["account", "unlock", "--address", ATTACKER]) == 0
    assert _log_in(attacker, cast.bob.email, PASSWORD).status_code == 302
    unlocks = AuditEntry.objects.filter(entity="lockout", action=AuditEntry.Action.ERASE)
    assert sorted(unlocks.values_list("via", "fields")) == [
        ("cli", ["ip_address"]),
        ("cli", ["username"]),
    ]


def test_the_terminal_says_when_nothing_was_locked_and_refuses_a_bad_call(cast, capsys):
    assert kring(["account", "unlock", cast.bob.email]) == 0
    assert "nothing to unlock" in capsys.readouterr().out
    assert kring(["account", "unlock"]) == 2
    assert "one of the two" in capsys.readouterr().err
    assert kring(["account", "unlock", "nobody@example.be"]) == 2
    assert "no account with e-mail address nobody@example.be" in capsys.readouterr().err


def test_a_site_admin_sees_the_locks_and_unlocks_on_the_page(cast):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    _guess(attacker, cast.alice.email, 5)
    admin = cast.client(cast.charlie)
    assert admin.get("/settings/locks/").status_code == 404  # not a site admin yet
    assert kring(["account", "make-admin", cast.charlie.email]) == 0
    page = admin.get("/settings/locks/").content.decode()
    assert "alice@example.be" in page and ATTACKER in page
    answer = admin.post("/settings/locks/", {"kind": "username", "value": "alice@example.be"})
    assert answer.status_code == 302
    assert "<code>alice@example.be</code>" not in admin.get("/settings/locks/").content.decode()
    assert _log_in(Client(REMOTE_ADDR=ELSEWHERE), cast.alice.email, PASSWORD).status_code == 302
    unlock = AuditEntry.objects.get(entity="lockout", action=AuditEntry.Action.ERASE)
    assert (unlock.actor_id, unlock.via) == (cast.charlie.pk, "web")
    bad = admin.post("/settings/locks/", {"kind": "password", "value": "x"}, follow=True)
    assert "Choose an account or an address to unlock." in bad.content.decode()


def test_the_lock_is_explained_in_dutch(cast):
    attacker = Client(REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE="nl-BE")
    _guess(attacker, cast.alice.email, 4)
    answer = _log_in(attacker, cast.alice.email, "nog een gok")
    assert answer.status_code == 429
    assert "Probeer het over 15 minuten opnieuw." in answer.content.decode()


def test_password_reset_mails_are_limited_per_account(cast):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    codes = [
        attacker.post("/password-reset/", {"email": cast.alice.email}).status_code for _ in range(6)
    ]
    assert codes == [302, 302, 302, 302, 429, 429]
    assert len(mail.outbox) == 4
    assert AuditEntry.objects.filter(entity="failed_reset", entity_id=cast.alice.pk).count() == 5


def test_guessed_reset_links_lock_the_account_and_a_real_one_unlocks_it(cast):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(cast.bob.pk))
    attacker = Client(REMOTE_ADDR=ATTACKER)
    codes = [attacker.get(f"/password-reset/{uid}/guess-{i}/").status_code for i in range(6)]
    assert codes == [200, 200, 200, 200, 429, 429]
    assert AuditEntry.objects.filter(entity="failed_resetlink", entity_id=cast.bob.pk).count()
    # The real link from Bob's own address is refused while the lock lasts (per account)...
    bob = Client(REMOTE_ADDR=ELSEWHERE)
    token = default_token_generator.make_token(cast.bob)
    assert bob.get(f"/password-reset/{uid}/{token}/").status_code == 429
    # ...and works once it is lifted; the new password clears the account's failures.
    assert kring(["account", "unlock", cast.bob.email]) == 0
    form = bob.get(f"/password-reset/{uid}/{token}/", follow=True)
    assert form.status_code == 200
    done = bob.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a brand new phrase", "new_password2": "a brand new phrase"},
    )
    assert done.status_code == 302
    assert _log_in(bob, cast.bob.email, "a brand new phrase").status_code == 302


def test_wrong_api_tokens_lock_the_address_even_for_a_right_token(cast):
    from kring.accounts.actions import api_token_create

    _token, key = api_token_create(user=cast.bob, label="script")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    codes = [
        attacker.get("/api/me", HTTP_AUTHORIZATION=f"Bearer kr_guess{i}").status_code
        for i in range(5)
    ]
    assert codes == [401, 401, 401, 401, 429]
    locked = attacker.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert locked.status_code == 429
    assert locked.json() == {"detail": "Too many failed attempts. Try again in 15 minutes."}
    # Another address with the right token is served.
    elsewhere = Client(REMOTE_ADDR=ELSEWHERE)
    assert elsewhere.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert AuditEntry.objects.filter(entity="failed_apitoken", via="api").count() == 6
    assert kring(["account", "unlock", "--address", ATTACKER]) == 0
    assert attacker.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
