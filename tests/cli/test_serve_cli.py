"""`kring serve`: every option explained, a taken or impossible port refused with the option
named. (Serving itself is tested through scripts/start in tests/scripts.)"""

from __future__ import annotations

import socket

import pytest

from kring.cli.main import build_parser
from kring.cli.main import main as kring


def _serve_parser():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    return subparsers.choices["serve"]


def test_it_explains_every_serve_option(capsys):
    serve = _serve_parser()
    options = [a for a in serve._actions if a.option_strings and a.dest != "help"]
    expected = {"host", "port", "no_demo", "threads", "production", "workers"}
    assert {a.dest for a in options} == expected
    for option in options:
        assert option.help and len(option.help) > 20, option.dest
    with pytest.raises(SystemExit) as exit:
        kring(["serve", "--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    for needle in ("--port 8001", "--port 0", "0.0.0.0", "KRING_MODE=production", "Ctrl+C"):
        assert needle in out, needle


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "70000"], "is not a port"),
        (["--port", "eighty"], "is not a number"),
        (["--threads", "0"], "1 to 256 threads"),
    ],
)
def test_it_refuses_an_impossible_option(capsys, argv, message):
    with pytest.raises(SystemExit) as exit:
        kring(["serve", *argv])
    assert exit.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.django_db
def test_it_names_the_port_when_it_is_taken(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert kring(["serve", "--no-demo", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"--port: port {port} on 127.0.0.1 is in use" in err
    assert f"--port {port + 1}" in err


@pytest.fixture
def dutch(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "nl_BE.UTF-8")


def test_its_help_is_in_dutch(dutch, capsys):
    with pytest.raises(SystemExit) as exit:
        kring(["serve", "--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("gebruik: kring serve")
    for needle in (
        "Start de webapp van Kring",
        "voorbeelden:",
        "de poort waarop de server luistert (standaard: 8000",
        "Ctrl+C stopt hem",
    ):
        assert needle in out, needle
    with pytest.raises(SystemExit):
        kring(["demo", "--help"])
    assert "wis eerst alles in de database" in capsys.readouterr().out


def test_an_impossible_option_is_refused_in_dutch(dutch, capsys):
    with pytest.raises(SystemExit) as exit:
        kring(["serve", "--port", "70000"])
    assert exit.value.code == 2
    assert "70000 is geen poort (0 tot 65535)" in capsys.readouterr().err
    assert kring(["serve", "--workers", "2"]) == 2
    assert "--workers: alleen met --production" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_taken_port_is_named_in_dutch(dutch, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert kring(["serve", "--no-demo", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"kring: fout: --port: poort {port} op 127.0.0.1 is bezet" in err
    assert f"--port {port + 1}" in err


def test_the_production_server_sets_the_allocator_unless_the_environment_does():
    import platform

    from kring.cli.server import MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD, tune_malloc

    if platform.libc_ver()[0] != "glibc":
        assert tune_malloc({}) == {}
        return
    assert tune_malloc({}) == {
        "MALLOC_ARENA_MAX": MALLOC_ARENA_MAX,
        "MALLOC_MMAP_THRESHOLD_": MALLOC_MMAP_THRESHOLD,
    }
    assert tune_malloc({"MALLOC_ARENA_MAX": "4"}) == {
        "MALLOC_MMAP_THRESHOLD_": MALLOC_MMAP_THRESHOLD
    }


def test_the_production_master_freezes_what_it_loaded_before_it_forks():
    import subprocess
    import sys

    code = (
        "import gc\n"
        "from kring.cli.server import freeze_heap\n"
        "kept = [[n] for n in range(50_000)]\n"
        "freeze_heap()\n"
        "print(gc.get_freeze_count() >= 50_000, sum(gc.get_count()) < 100)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]
