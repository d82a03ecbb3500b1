"""Which account a single sign-on stands for (the provider's answer itself is tested in the
browser against a real provider: tests/browser/test_single_sign_on.py), and the club rule
that refuses its members a password."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kring.accounts.actions import SignOnRefused, sso_sign_in, workspace_policy_set
from kring.accounts.models import SignIn, SingleSignOnIdentity, User
from kring.audit.models import AuditEntry
from kring.lib import clock
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ISSUER = "https://sso.club.example"


@pytest.fixture
def offered(settings):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_NAME = "Club Login"
    settings.OIDC_SIGNUP = True


def _sign_in(subject="s-1", email="ada@club.example", verified=True):
    return sso_sign_in(
        issuer=ISSUER,
        subject=subject,
        email=email,
        email_verified=verified,
        display_name="Ada",
        language="en",
        now=clock.now(),
    )


def test_a_verified_new_address_gets_an_account_without_a_password(offered):
    user = _sign_in()
    assert user.email == "ada@club.example" and not user.has_usable_password()
    assert user.memberships.get().workspace.kind == "personal"
    assert AuditEntry.objects.filter(entity="user", entity_id=user.pk).exists()
    assert AuditEntry.objects.filter(entity="singlesignonidentity", actor=user).exists()


def test_the_link_holds_by_subject_when_the_address_changes_at_the_provider(offered, cast):
    user = _sign_in(email=cast.alice.email)
    assert user == cast.alice
    again = _sign_in(email="alice.new@club.example")
    assert again == cast.alice
    assert SingleSignOnIdentity.objects.get().email == "alice.new@club.example"
    # Another account never takes over the link by matching the new address.
    assert not User.objects.filter(email="alice.new@club.example").exists()


@pytest.mark.parametrize("exists", [True, False])
def test_an_unverified_address_is_refused_and_nothing_is_linked_or_made(offered, cast, exists):
    email = cast.bob.email if exists else "nobody@club.example"
    with pytest.raises(SignOnRefused, match="has not verified the e-mail address"):
        _sign_in(email=email, verified=False)
    assert not SingleSignOnIdentity.objects.exists()
    assert User.objects.count() == 3


def test_no_new_accounts_when_sign_up_through_the_provider_is_off(offered, settings, cast):
    settings.OIDC_SIGNUP = False
    with pytest.raises(SignOnRefused, match="no account with the address"):
        _sign_in(email="new@club.example")
    assert _sign_in(email=cast.bob.email) == cast.bob  # existing accounts still link


def test_a_switched_off_account_is_refused(offered, cast):
    User.objects.filter(pk=cast.bob.pk).update(is_active=False)
    with pytest.raises(SignOnRefused, match="switched off"):
        _sign_in(email=cast.bob.email)


def test_no_address_or_no_subject_is_refused(offered):
    with pytest.raises(SignOnRefused, match="did not share your e-mail"):
        _sign_in(email="")
    with pytest.raises(SignOnRefused, match="did not say who you are"):
        _sign_in(subject=" ")


def test_entra_vouches_for_the_address_with_its_domain_claim():
    from kring.accounts.sso import _verified

    assert _verified({"email_verified": True})
    assert _verified({"email_verified": "true"})
    assert _verified({"xms_edov": True})
    assert not _verified({"email_verified": False})
    assert not _verified({"email_verified": "yes please"})
    assert not _verified({})


def test_only_a_server_with_single_sign_on_and_an_owner_who_used_it_sets_the_rule(settings, cast):
    settings.OIDC_ISSUER = ""
    with pytest.raises(ValidationError) as refused:
        workspace_policy_set(
            actor=cast.alice, workspace=cast.club, require_two_factor=False, sso_only=True
        )
    assert "offers no single sign-on" in str(refused.value)
    settings.OIDC_ISSUER = ISSUER
    with pytest.raises(ValidationError) as refused:
        workspace_policy_set(
            actor=cast.alice, workspace=cast.club, require_two_factor=False, sso_only=True
        )
    assert "Sign in once with single sign-on yourself first" in str(refused.value)
    _sign_in(email=cast.alice.email)
    policy = workspace_policy_set(
        actor=cast.alice, workspace=cast.club, require_two_factor=False, sso_only=True
    )
    assert policy.sso_only
    assert AuditEntry.objects.filter(
        entity="workspacesigninpolicy", fields=["require_two_factor", "sso_only"]
    ).exists()


def _password_login(client, email):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


def test_a_member_of_a_club_with_single_sign_on_only_is_refused_a_password(
    offered, settings, cast, client
):
    _sign_in(email=cast.alice.email)
    workspace_policy_set(
        actor=cast.alice, workspace=cast.club, require_two_factor=False, sso_only=True
    )
    response = _password_login(client, cast.bob.email)
    assert response.status_code == 200
    assert "Businessclub Test signs in only with Club Login" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone outside the club signs in as before; a wrong password says only that.
    assert _password_login(client, cast.charlie.email).status_code == 302
    wrong = client.post(reverse("login"), {"username": cast.bob.email, "password": "nope"})
    assert "signs in only with" not in wrong.content.decode()
    # A server whose single sign-on is switched off lets everybody in again.
    settings.OIDC_ISSUER = ""
    assert _password_login(Client(), cast.bob.email).status_code == 302
    assert SignIn.objects.filter(user=cast.bob).exists()


def test_the_log_in_page_shows_the_button_only_when_single_sign_on_is_offered(settings, client, db):
    settings.OIDC_ISSUER = ""
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("sso_start")).status_code == 404
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_NAME = "Club Login"
    page = client.get(reverse("login") + "?next=/people/").content.decode()
    assert "Sign in with Club Login" in page
    assert reverse("sso_start") + "?next=/people/" in page


def test_an_unreachable_provider_is_said_on_the_log_in_page(settings, client, db):
    # Port 9 on loopback (discard) answers nothing: no discovery document.
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_NAME = "Club Login"
    settings.OIDC_TIMEOUT = 2
    response = client.get(reverse("sso_start"), follow=True)
    assert "Signing in with Club Login did not work. Try again." in response.content.decode()
    assert not SingleSignOnIdentity.objects.exists()


def test_a_locked_out_address_is_refused_at_the_providers_callback_too(offered, cast):
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    codes = [
        attacker.post(
            reverse("login"), {"username": f"someone{i}@example.be", "password": "a guess"}
        ).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    session = attacker.session
    session["oidc_states"] = {"the-state": {"nonce": "n", "code_verifier": "v"}}
    session.save()
    answer = attacker.get(reverse("sso_callback"), {"code": "a-code", "state": "the-state"})
    assert answer.status_code == 429
    assert "Try again in 15 minutes" in answer.content.decode()
    assert "_auth_user_id" not in attacker.session


def test_a_callback_the_browser_did_not_start_signs_nobody_in(offered, client, db):
    answer = client.get(reverse("sso_callback"), {"code": "a-code", "state": "forged"}, follow=True)
    assert "Signing in with Club Login did not work. Try again." in answer.content.decode()
    assert "_auth_user_id" not in client.session
