"""The `kring` command speaks the account's language, else the terminal's (LANG)."""

from __future__ import annotations

import pytest

from kring.accounts.models import User
from kring.cli.main import main as kring

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_terminal(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def test_it_speaks_the_terminals_language_before_it_knows_an_account(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "nl_BE.UTF-8")
    with pytest.raises(SystemExit):
        kring(["people", "list", "--bogus"])
    assert "kring: fout: onbekende argumenten: --bogus" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        kring(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("gebruik: kring")
    assert "Kring: een relatiebeheersysteem voor ondernemers en clubs." in out


def test_language_lists_the_wanted_languages_in_order(monkeypatch, capsys):
    monkeypatch.setenv("LANGUAGE", "fr:nl")
    with pytest.raises(SystemExit):
        kring(["people", "list", "--bogus"])
    assert "onbekende argumenten" in capsys.readouterr().err


def test_it_speaks_the_accounts_language(cast, monkeypatch, capsys):
    monkeypatch.setenv("KRING_USER", cast.alice.email)
    assert kring(["people", "show", "999999"]) == 2
    assert "kring: error: person 999999 not found" in capsys.readouterr().err
    User.objects.filter(pk=cast.alice.pk).update(language="nl")
    assert kring(["people", "show", "999999"]) == 2
    assert "kring: fout: persoon 999999 niet gevonden" in capsys.readouterr().err


def test_a_file_it_cannot_read_is_named_in_dutch(cast, monkeypatch, capsys, tmp_path):
    User.objects.filter(pk=cast.alice.pk).update(language="nl")
    monkeypatch.setenv("KRING_USER", cast.alice.email)
    bad = tmp_path / "bad.csv"
    bad.write_text("dit is geen adresboek\n", encoding="utf-8")
    assert kring(["import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv: geen formaat dat Kring kent" in err or "bad.csv: geen kopregel" in err, err
    assert "niets geïmporteerd" in err


def test_what_a_command_reports_is_in_the_accounts_language(cast, monkeypatch, capsys):
    User.objects.filter(pk=cast.alice.pk).update(language="nl")
    monkeypatch.setenv("KRING_USER", cast.alice.email)
    assert kring(["people", "add", "Els Peeters"]) == 0
    assert capsys.readouterr().out.startswith("Els Peeters toegevoegd (#")
