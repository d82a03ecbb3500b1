"""`kring backup` and `kring restore-backup`: the whole server's database and files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kring.cli.errors import CliError

BACKUP_EPILOG = """\
A backup is one file, kring-<time>.tar.gz: the database (SQLite's online backup, or pg_dump for
PostgreSQL: both consistent while Kring runs) and the uploaded files not yet imported. The newest
KRING_BACKUP_KEEP (14) are kept in KRING_BACKUP_DIR (the data directory's backups/). `kring worker`
makes one every day at KRING_BACKUP_AT (03:30 on the site's clocks; off to stop it)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write a backup of the database and files (rotated)",
        epilog=BACKUP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    backup.add_argument("--to", type=Path, help="directory (default: KRING_BACKUP_DIR)")
    backup.add_argument("--keep", type=int, help="how many backups to keep (default 14)")
    backup.add_argument("--list", action="store_true", help="list the backups instead")
    backup.set_defaults(handler=_backup)

    restore = subparsers.add_parser(
        "restore-backup",
        help="replace the database and files with a backup's",
        description="Replace everything in Kring's database and data directory with a backup. "
        "Stop the server and the worker first.",
    )
    restore.add_argument("file", type=Path, help="a kring-<time>.tar.gz written by kring backup")
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing")
    restore.set_defaults(handler=_restore)


def _message(code: str, params: dict[str, Any]) -> str:
    messages = {
        "tool_missing": "{tool} is not installed (Debian: apt-get install postgresql-client)",
        "tool_failed": "{tool} failed: {message}",
        "keep_too_small": "--keep {keep}: keep at least 1 backup",
        "not_found": "{path}: no such file",
        "not_a_backup": "{path}: not a backup written by kring backup",
        "wrong_engine": "the backup holds a {backup} database but Kring uses {database}",
        "counts_differ": "restored, but table {table} has {found} rows where the backup had "
        "{expected}",
    }
    return messages.get(code, code).format(**params)


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
    print(f"Backup of {database_description()}: {path}")
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
            raise CliError("restore-backup replaces everything: confirm with --yes")
        answer = input(
            f"Replace everything in {where} with the backup of {manifest['created_at']}? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes", "j", "ja"):
            print("Nothing changed.")
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
        f"Restored {where} from {args.file} ({sum(counts.values())} rows in {len(counts)} tables)."
    )
    # A backup of an older Kring is brought up to this version's schema.
    setup()
    return 0
