"""`kring backup` and `kring restore-backup`: the whole server's database and files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kring.cli.errors import CliError
from kring.cli.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup",
        help=_("write a backup of the database and files (rotated)"),
        epilog=_(
            """\
A backup is one file, kring-<time>.tar.gz: the database (SQLite's online backup, or pg_dump for
PostgreSQL: both consistent while Kring runs) and the uploaded files not yet imported. The newest
KRING_BACKUP_KEEP (14) are kept in KRING_BACKUP_DIR (the data directory's backups/). `kring worker`
makes one every day at KRING_BACKUP_AT (03:30 on the site's clocks; off to stop it)."""
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    backup.add_argument("--to", type=Path, help=_("directory (default: KRING_BACKUP_DIR)"))
    backup.add_argument("--keep", type=int, help=_("how many backups to keep (default 14)"))
    backup.add_argument("--list", action="store_true", help=_("list the backups instead"))
    backup.set_defaults(handler=_backup)

    restore = subparsers.add_parser(
        "restore-backup",
        help=_("replace the database and files with a backup's"),
        description=_(
            "Replace everything in Kring's database and data directory with a backup. "
            "Stop the server and the worker first."
        ),
    )
    restore.add_argument("file", type=Path, help=_("a kring-<time>.tar.gz written by kring backup"))
    restore.add_argument("--yes", action="store_true", help=_("do not ask before replacing"))
    restore.set_defaults(handler=_restore)


def _message(code: str, params: dict[str, Any]) -> str:
    messages = {
        "tool_missing": _("{tool} is not installed (Debian: apt-get install postgresql-client)"),
        "tool_failed": _("{tool} failed: {message}"),
        "keep_too_small": _("--keep {keep}: keep at least 1 backup"),
        "not_found": _("{path}: no such file"),
        "not_a_backup": _("{path}: not a backup written by kring backup"),
        "wrong_engine": _("the backup holds a {backup} database but Kring uses {database}"),
        "counts_differ": _(
            "restored, but table {table} has {found} rows where the backup had {expected}"
        ),
    }
    return messages.get(code, code).format(**params)


def _local(moment: str) -> str:
    import datetime as dt

    from kring.lib import clock

    return f"{clock.local(dt.datetime.fromisoformat(moment), clock.zone()):%Y-%m-%d %H:%M %Z}"


def _backup(args: argparse.Namespace) -> int:
    from kring.cli.django import database_description, setup

    setup()
    from django.conf import settings

    from kring.lib import backup, clock

    directory = args.to or backup.backup_dir()
    if args.list:
        for found in backup.backups(directory):
            local = clock.local(found.created_at, clock.zone())
            size = found.path.stat().st_size
            print(f"{local:%Y-%m-%d %H:%M %Z}  {size / 1e6:8.1f} MB  {found.path}")
        return 0
    keep = args.keep if args.keep is not None else settings.BACKUP_KEEP
    try:
        path = backup.backup_create(now=clock.now(), directory=directory, keep=keep)
    except backup.BackupError as exc:
        raise CliError(_message(exc.code, exc.params), exit_code=1) from None
    print(_("Backup of {where}: {path}").format(where=database_description(), path=path))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from kring.cli.django import database_description, setup

    setup(migrate=False)
    from kring.lib import backup

    try:
        manifest = backup.read_manifest(args.file)
    except backup.BackupError as exc:
        raise CliError(_message(exc.code, exc.params)) from None
    where = database_description()
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(_("restore-backup replaces everything: confirm with --yes"))
        answer = input(
            _("Replace everything in {where} with the backup of {created}? [y/N] ").format(
                where=where, created=_local(manifest["created_at"])
            )
        )
        if answer.strip().lower() not in ("y", "yes", "j", "ja"):
            print(_("Nothing changed."))
            return 1
    try:
        backup.backup_restore(path=args.file)
    except backup.BackupError as exc:
        raise CliError(_message(exc.code, exc.params), exit_code=1) from None
    counts = backup.table_counts()
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            raise CliError(
                _message(
                    "counts_differ",
                    {"table": table, "found": counts.get(table), "expected": expected},
                ),
                exit_code=1,
            )
    print(
        _("Restored {where} from {file} ({rows} rows in {tables} tables).").format(
            where=where, file=args.file, rows=sum(counts.values()), tables=len(counts)
        )
    )
    # A backup of an older Kring is brought up to this version's schema.
    setup()
    return 0
