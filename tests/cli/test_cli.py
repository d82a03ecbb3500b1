"""The `kring` command through its real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kring.cli.main import main as kring
from kring.people.models import Interaction, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_alice(cast, monkeypatch):
    monkeypatch.setenv("KRING_USER", cast.alice.email)
    return cast


def test_it_adds_a_person_with_a_tussenvoegsel(as_alice, capsys):
    assert (
        kring(
            [
                "people",
                "add",
                "Els van den Bossche",
                "--email",
                "els@example.be",
                "--phone",
                "0470 11 22 33",
                "--organisation",
                "Acme",
                "--tier",
                "A",
            ]
        )
        == 0
    )
    person = Person.objects.get(given_name="Els")
    assert (person.particles, person.surname) == ("van den", "Bossche")
    assert person.organisation == as_alice.jan.organisation
    assert "Added Els van den Bossche" in capsys.readouterr().out


def test_it_refuses_a_bad_phone_with_exit_code_2_and_writes_nothing(as_alice, capsys):
    assert kring(["people", "add", "Els Peeters", "--phone", "12"]) == 2
    assert "phones" in capsys.readouterr().err
    assert not Person.objects.filter(given_name="Els").exists()


def test_it_lists_and_shows_people(as_alice, capsys):
    assert kring(["people", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["Jan van der Berg"]
    assert kring(["people", "show", "Jan van der Berg"]) == 0
    out = capsys.readouterr().out
    assert "Talked about the merger" in out
    assert kring(["people", "list", "acme"]) == 0
    assert "Jan van der Berg" in capsys.readouterr().out


def test_it_logs_an_interaction(as_alice, capsys):
    assert (
        kring(
            [
                "log",
                "berg",
                "--channel",
                "message",
                "--no-answer",
                "--at",
                "2026-11-20T09:30",
                "--summary",
                "LinkedIn note",
            ]
        )
        == 0
    )
    interaction = Interaction.objects.get(summary="LinkedIn note")
    assert interaction.answered is False
    assert interaction.channel == "message"
    assert interaction.occurred_at.hour in (8, 9)  # 09:30 Brussels time


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["log", "berg", "--minutes", "0"], "--minutes"),
        (["log", "berg", "--at", "yesterday"], "--at"),
        (["log", "berg", "--at", "2099-01-01"], "future"),
        (["log", "nobody-like-this"], "nobody matches"),
        (["people", "show", "424242"], "not found"),
        (["people", "list", "--limit", "0"], "--limit"),
        (["people", "add", " "], "given name"),
    ],
)
def test_it_explains_bad_input_and_exits_2(as_alice, capsys, argv, message):
    before = Interaction.objects.count()
    assert kring(argv) == 2
    assert message in capsys.readouterr().err
    assert Interaction.objects.count() == before


def test_it_asks_which_account_when_there_are_several(cast, capsys, monkeypatch):
    monkeypatch.delenv("KRING_USER", raising=False)
    assert kring(["people", "list"]) == 2
    assert "--user" in capsys.readouterr().err
    assert kring(["people", "list", "--user", "nobody@example.be"]) == 2


def test_it_exports_an_account_and_a_person(as_alice, capsys, tmp_path):
    target = tmp_path / "alice.json"
    assert kring(["export", "-o", str(target)]) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "kring-account"
    assert [p["full_name"] for p in data["people"]] == ["Jan van der Berg"]
    assert "Wrote" in capsys.readouterr().out
    assert kring(["export", "--person", str(as_alice.jan.pk)]) == 0
    assert json.loads(capsys.readouterr().out)["person"]["surname"] == "Berg"
    assert kring(["export", "-o", str(tmp_path / "missing" / "x.json")]) == 2


def test_it_erases_a_person(as_alice, capsys):
    assert kring(["erase-person", str(as_alice.jan.pk), "--yes"]) == 0
    assert not Person.objects.exists()


def test_it_runs_as_an_installed_console_script(tmp_path):
    kring_bin = Path(sys.executable).with_name("kring")
    env = {**os.environ, "KRING_DATA_DIR": str(tmp_path)}
    env.pop("KRING_DATABASE_URL", None)
    result = subprocess.run([str(kring_bin), "--help"], capture_output=True, text=True, env=env)
    assert result.returncode == 0
    for command in ["serve", "demo", "people", "log", "export", "erase-person"]:
        assert command in result.stdout
    result = subprocess.run(
        [str(kring_bin), "people", "list"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 2
    assert "no account yet" in result.stderr
