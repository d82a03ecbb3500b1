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
