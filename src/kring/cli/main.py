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
from kring.cli import i18n
from kring.cli.errors import CliError
from kring.cli.i18n import _

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
    argparse._ = i18n.gettext  # type: ignore[attr-defined]  # argparse's own words too
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
    parser = argparse.ArgumentParser(
        prog="kring",
        description=_("Kring: a relationship information system for entrepreneurs and clubs."),
    )
    parser.add_argument("--version", action="version", version=f"kring {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command, in the terminal's language until it knows the account's."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        try:
            result = args.handler(args)
        except CliError as exc:
            print(_("kring: error: %(message)s") % {"message": exc}, file=sys.stderr)
            return exc.exit_code
        except KeyboardInterrupt:
            print(_("kring: interrupted"), file=sys.stderr)
            return 130
        return int(result or 0)
    finally:
        i18n.reset()


if __name__ == "__main__":
    sys.exit(main())
