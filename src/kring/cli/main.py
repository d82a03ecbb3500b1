"""The `kring` command.

Each sub-command lives in its own module under ``kring.cli`` with a ``register(subparsers)``
function. Commands that only compute (seating a CSV, finding a path in a file) never import
Django; commands that read or write the database call :func:`kring.cli.django.setup` first.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kring import __version__
from kring.cli.errors import CliError

# Modules that add sub-commands, in the order `kring --help` lists them.
COMMAND_MODULES = [
    "kring.cli.server",
    "kring.cli.people",
    "kring.cli.account",
    "kring.cli.planner",
    "kring.cli.network",
    "kring.cli.club",
    "kring.cli.seat",
    "kring.cli.imports",
    "kring.cli.backup",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kring",
        description="Kring: a relationship information system for entrepreneurs and clubs.",
    )
    parser.add_argument("--version", action="version", version=f"kring {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except CliError as exc:
        print(f"kring: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kring: interrupted", file=sys.stderr)
        return 130
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
