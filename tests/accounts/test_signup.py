"""Signing up tells nobody but the mailbox whether an address has an account: a new address
and a known one get the same page; the mail says which. The password is chosen from the link
in the mail, so whoever holds the mailbox owns the account."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kring.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """Sign up as a browser would; the mail goes out when the request's transaction commits."""

    def post(email, **extra):
        data = {"display_name": "Dora", "email": email, "language": "en", "country": "BE"}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("signup"), {**data, **extra}, follow=True)

    return post


def _link(message):
    return re.search(r"https?://\S+/signup/finish/\S+/", message.body).group(0)


def _visible(response):
    """The page as a person sees it, without the per-request CSRF tokens."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_it_answers_alike_for_a_new_address_and_one_with_an_account(cast, sign_up):
    new = sign_up("dora@example.be")
    known = sign_up("Alice@Example.be")
    assert new.status_code == known.status_code == 200
    assert new.redirect_chain == known.redirect_chain == [(reverse("signup_sent"), 302)]
    assert _visible(new) == _visible(known)
    assert "Check your e-mail" in _visible(new)
    # Each address got one mail; only the mailbox learns which case it is.
    to_dora, to_alice = mail.outbox
    assert to_dora.to == ["dora@example.be"] and "/signup/finish/" in to_dora.body
    assert to_alice.to == ["alice@example.be"]
    assert "tried to sign up" in to_alice.subject
    assert "/login/" in to_alice.body and "/password-reset/" in to_alice.body
    assert "/signup/finish/" not in to_alice.body
    # Nothing changed for Alice, and no account exists for Dora yet.
    assert User.objects.get(email="alice@example.be").check_password(PASSWORD)
    assert not User.objects.filter(email="dora@example.be").exists()


def test_it_makes_the_account_from_the_link_in_the_mail(client, sign_up):
    sign_up("Dora@Example.be", language="nl")
    (message,) = mail.outbox
    assert message.subject == "Rond je registratie bij Kring af"  # in the language she chose
    page = client.get(_link(message))
    assert "Dora@example.be" in page.content.decode()  # the domain part is lower-cased
    response = client.post(_link(message), {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    dora = User.objects.get(email__iexact="dora@example.be")
    assert (dora.display_name, dora.language) == ("Dora", "nl")
    assert dora.memberships.get().workspace.kind == "personal"
    assert client.get(reverse("dashboard")).status_code == 200
    # The link works once.
    client.post(reverse("logout"))
    assert client.get(_link(message)).status_code == 404
    assert client.post(_link(message), {"password": "another secret phrase"}).status_code == 404
    assert client.login(username="dora@example.be", password=PASSWORD)
    assert User.objects.filter(email__iexact="dora@example.be").count() == 1


def test_it_refuses_a_weak_password_on_the_finish_page_and_keeps_the_link(client, sign_up):
    sign_up("dora@example.be")
    link = _link(mail.outbox[0])
    response = client.post(link, {"password": "1234567890"})
    assert response.status_code == 200
    assert 'data-field="password"' in response.content.decode()
    assert "numeric" in response.content.decode()
    assert not User.objects.filter(email="dora@example.be").exists()
    assert client.post(link, {"password": PASSWORD}).status_code == 302


def test_it_refuses_a_forged_an_altered_or_an_expired_link(client, sign_up):
    assert client.get(reverse("signup_finish", args=["nonsense"])).status_code == 404
    sign_up("dora@example.be")
    link = _link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = link.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert client.post(tampered, {"password": PASSWORD}).status_code == 404
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=3, minutes=1)):
        assert client.post(link, {"password": PASSWORD}).status_code == 404
    assert not User.objects.filter(email="dora@example.be").exists()


def test_it_names_the_field_of_a_bad_sign_up(client):
    response = client.post(reverse("signup"), {"display_name": "", "email": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field="email"' in html and 'data-field="display_name"' in html
    assert len(mail.outbox) == 0


def test_it_answers_the_password_reset_form_alike_too(cast, client):
    known = client.post(reverse("password_reset"), {"email": "alice@example.be"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.be"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _visible(known) == _visible(unknown)
    assert [m.to for m in mail.outbox] == [["alice@example.be"]]


def test_it_goes_on_to_the_invitation_after_signing_up(client, sign_up):
    invitation = "/invite/some-token/"
    sign_up("dora@example.be", next=invitation)
    response = client.post(_link(mail.outbox[0]), {"password": PASSWORD})
    assert response["Location"] == invitation
    client.post(reverse("logout"))
    sign_up("eve@example.be", next="https://evil.example/")
    response = client.post(_link(mail.outbox[1]), {"password": PASSWORD})
    assert response["Location"] == reverse("dashboard")
