"""`kring account`: a club's server set up from the terminal, through the real entry point."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kring.accounts.models import User
from kring.audit.models import AuditEntry
from kring.cli.main import main as kring
from kring.workspaces.models import Workspace
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a quiet evening in Geel"


@pytest.fixture
def typed(monkeypatch):
    """What the person at the terminal types at the password prompts, in order."""
    answers: list[str] = []

    def getpass(prompt: str = "Password: ") -> str:
        if not answers:
            raise EOFError
        return answers.pop(0)

    monkeypatch.setattr("getpass.getpass", getpass)
    return answers


@pytest.fixture
def piped(monkeypatch):
    def pipe(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(text))

    return pipe


def _snapshot() -> list[tuple[object, ...]]:
    return [
        *User.objects.order_by("pk").values_list(
            "email", "password", "is_staff", "is_superuser", "language"
        ),
        Workspace.objects.count(),
        AuditEntry.objects.count(),
    ]


def test_it_adds_an_account_that_can_log_in(db, typed, capsys, client):
    typed.extend([NEW_PASSWORD, NEW_PASSWORD])
    assert (
        kring(["account", "add", "Els@Kempen.example", "--name", "Els Peeters", "--language", "en"])
        == 0
    )
    assert "Added the account Els@kempen.example" in capsys.readouterr().out
    user = User.objects.get()
    assert (user.display_name, user.language, user.country) == ("Els Peeters", "en", "BE")
    assert not user.is_staff and not user.is_superuser
    assert user.memberships.get().workspace.kind == Workspace.Kind.PERSONAL
    assert AuditEntry.objects.filter(entity="user", entity_id=user.pk, via="cli").exists()
    assert client.login(username="els@kempen.example", password=NEW_PASSWORD)


def test_it_reads_the_password_from_stdin(db, piped):
    piped(NEW_PASSWORD + "\n")
    assert (
        kring(["account", "add", "jan@kempen.example", "--password-stdin", "--country", "nl"]) == 0
    )
    user = User.objects.get()
    assert user.check_password(NEW_PASSWORD) and user.country == "NL" and user.language == "nl"


@pytest.mark.parametrize(
    ("argv", "typed_in", "message"),
    [
        (["alice@example.be"], [NEW_PASSWORD] * 2, "email: an account with e-mail address"),
        (["ALICE@example.be"], [NEW_PASSWORD] * 2, "exists already"),
        (["not an address"], [NEW_PASSWORD] * 2, "email: Enter a valid email address."),
        (["els@kempen.example"], ["9483726150"] * 2, "password: This password is entirely numeric"),
        (["els@kempen.example"], ["short"] * 2, "password: This password is too short"),
        (["els@kempen.example"], ["password123"] * 2, "password: This password is too common"),
        (["els@kempen.example"], [NEW_PASSWORD, NEW_PASSWORD + "!"], "password: the two"),
        (["els@kempen.example"], [], "password: none given"),
        (["els@kempen.example", "--language", "fr"], [NEW_PASSWORD] * 2, "--language: 'fr'"),
        (["els@kempen.example", "--country", "DE"], [NEW_PASSWORD] * 2, "--country: 'DE'"),
    ],
)
def test_it_refuses_a_bad_new_account_with_the_field_named(
    cast, typed, capsys, argv, typed_in, message
):
    typed.extend(typed_in)
    before = _snapshot()
    assert kring(["account", "add", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kring: error: ") and message in err
    assert _snapshot() == before


def test_it_refuses_a_malformed_address_before_asking_for_a_password(db, typed, capsys):
    assert kring(["account", "add", "els at kempen"]) == 2
    assert "email: Enter a valid email address." in capsys.readouterr().err
    assert not User.objects.exists()


def test_it_refuses_an_empty_password_on_stdin(cast, piped, capsys):
    piped("")
    before = _snapshot()
    assert kring(["account", "add", "els@kempen.example", "--password-stdin"]) == 2
    assert "password: standard input gave no password" in capsys.readouterr().err
    assert _snapshot() == before


def test_it_lists_the_accounts(cast, capsys):
    assert kring(["account", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["email"] for r in rows] == [
        "alice@example.be",
        "bob@example.nl",
        "charlie@example.com",
    ]
    assert rows[1] == {
        "email": "bob@example.nl",
        "name": "Bob",
        "language": "en",
        "country": "NL",
        "site_admin": False,
        "active": True,
    }
    assert kring(["account", "list"]) == 0
    out = capsys.readouterr().out
    assert "charlie@example.com" in out and "site admin" in out


def test_it_says_how_to_make_the_first_account(db, capsys):
    assert kring(["account", "list"]) == 0
    assert "kring account add EMAIL" in capsys.readouterr().out


def test_it_sets_a_password(cast, typed, capsys, client):
    typed.extend([NEW_PASSWORD, NEW_PASSWORD])
    assert kring(["account", "set-password", "Bob@Example.nl"]) == 0
    assert "Set a new password for bob@example.nl" in capsys.readouterr().out
    assert client.login(username="bob@example.nl", password=NEW_PASSWORD)
    assert not client.login(username="bob@example.nl", password=PASSWORD)
    entry = AuditEntry.objects.filter(entity="user", entity_id=cast.bob.pk).latest("pk")
    assert (entry.action, entry.fields, entry.via) == ("update", ["password"], "cli")


@pytest.mark.parametrize(
    ("email", "typed_in", "message"),
    [
        ("nobody@example.be", [NEW_PASSWORD] * 2, "email: there is no account with"),
        ("bob@example.nl", ["bob@example.nl"] * 2, "password: The password is too similar"),
        ("bob@example.nl", ["9483726150"] * 2, "password: This password is entirely numeric"),
        ("bob@example.nl", [NEW_PASSWORD, "something else"], "password: the two"),
        ("bob@example.nl", [], "password: none given"),
    ],
)
def test_it_refuses_a_bad_new_password(cast, typed, capsys, email, typed_in, message):
    typed.extend(typed_in)
    before = _snapshot()
    assert kring(["account", "set-password", email]) == 2
    assert message in capsys.readouterr().err
    assert _snapshot() == before


def test_it_makes_a_site_admin(cast, capsys, client):
    assert kring(["account", "make-admin", "charlie@example.com"]) == 0
    assert "charlie@example.com is now a site admin" in capsys.readouterr().out
    charlie = User.objects.get(pk=cast.charlie.pk)
    assert charlie.is_staff and charlie.is_superuser
    client.force_login(charlie)
    assert client.get("/admin/").status_code == 200
    entry = AuditEntry.objects.filter(entity="user", entity_id=charlie.pk).latest("pk")
    assert (entry.fields, entry.via) == (["is_staff", "is_superuser"], "cli")
    assert kring(["account", "make-admin", "charlie@example.com"]) == 0
    assert "a site admin already" in capsys.readouterr().out


def test_it_refuses_to_make_an_unknown_account_admin(cast, capsys):
    before = _snapshot()
    assert kring(["account", "make-admin", "nobody@example.be"]) == 2
    assert "email: there is no account with e-mail address nobody@example.be" in (
        capsys.readouterr().err
    )
    assert _snapshot() == before


def test_it_sets_up_a_server_through_the_installed_command(tmp_path):
    kring_bin = Path(sys.executable).with_name("kring")
    env = {**os.environ, "KRING_DATA_DIR": str(tmp_path)}
    env.pop("KRING_DATABASE_URL", None)

    def run(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(kring_bin), "account", *argv], input=stdin, capture_output=True, text=True, env=env
        )

    added = run("add", "voorzitter@kempen.example", "--password-stdin", stdin=NEW_PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert run("make-admin", "voorzitter@kempen.example").returncode == 0
    again = run("add", "voorzitter@kempen.example", "--password-stdin", stdin=NEW_PASSWORD)
    assert again.returncode == 2 and "email: " in again.stderr and "exists already" in again.stderr
    weak = run("set-password", "voorzitter@kempen.example", "--password-stdin", stdin="123\n")
    assert weak.returncode == 2 and "password: " in weak.stderr
    listed = run("list", "--json")
    assert json.loads(listed.stdout) == [
        {
            "email": "voorzitter@kempen.example",
            "name": "",
            "language": "nl",
            "country": "BE",
            "site_admin": True,
            "active": True,
        }
    ]
