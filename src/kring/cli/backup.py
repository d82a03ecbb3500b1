"""`kring backup` and `kring restore-backup`: a consistent copy of the whole database, and
back.

A backup is a folder ``kring-YYYYMMDD-HHMMSS`` holding the database (``database.dump`` from
``pg_dump`` for PostgreSQL, ``database.sqlite3`` from SQLite's online backup API), the
uploaded files still waiting to be imported, and ``backup.json`` (engine, time, Kring's
version, the rows of each table). Both copies are consistent while Kring runs: pg_dump reads
one snapshot, SQLite's backup API copies one state of the file. The oldest folders beyond
``--keep`` are removed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from kring.cli.errors import CliError

PREFIX = "kring-"
DESCRIPTION = """\
Copy the whole database (pg_dump for PostgreSQL, SQLite's backup API for SQLite) and the
uploaded files into a new folder kring-YYYYMMDD-HHMMSS under --to, consistent while Kring
runs; then remove the oldest backups beyond --keep. Run it every night (docs/server.md)."""

RESTORE_DESCRIPTION = """\
Put a backup made by `kring backup` into the database KRING_DATABASE_URL (or the SQLite file)
names. A database that already has accounts is refused unless --replace: then everything in
it is replaced by the backup."""


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="copy the database and uploaded files into a new, rotated backup folder",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    backup.add_argument(
        "--to",
        type=Path,
        default=None,
        help="the folder that holds the backups (default: backups/ in KRING_DATA_DIR)",
    )
    backup.add_argument(
        "--keep",
        type=_positive,
        default=14,
        help="how many backups to keep; older ones are removed (default: %(default)s)",
    )
    backup.set_defaults(handler=_backup)

    restore = subparsers.add_parser(
        "restore-backup",
        help="put a backup made by `kring backup` into the configured database",
        description=RESTORE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    restore.add_argument("folder", type=Path, help="a kring-YYYYMMDD-HHMMSS backup folder")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace everything in a database that already has data",
    )
    restore.set_defaults(handler=_restore)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("keep at least 1 backup")
    return value


def _database() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.DATABASES["default"])


def _is_postgres(database: dict[str, Any]) -> bool:
    return str(database["ENGINE"]).endswith("postgresql")


def _libpq_environment(database: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        if database.get(key):
            env[name] = str(database[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise CliError(
            f"{name} is not installed: it comes with PostgreSQL's client "
            "(apt-get install postgresql-client)"
        )
    return found


def table_rows() -> dict[str, int]:
    """Rows in each of Kring's tables, for the manifest and for checking a restore."""
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _backup(args: argparse.Namespace) -> int:
    from kring.cli.django import setup

    setup()
    from django.conf import settings
    from django.db import connections

    from kring import __version__
    from kring.lib import clock

    now = clock.now()
    root = args.to or Path(settings.DATA_DIR) / "backups"
    root.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    folder = root / f"{PREFIX}{stamp}"
    serial = 2
    while folder.exists():
        folder = root / f"{PREFIX}{stamp}-{serial}"
        serial += 1
    partial = root / f".partial-{folder.name}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    database = _database()
    try:
        rows = table_rows()
        if _is_postgres(database):
            engine = "postgresql"
            result = subprocess.run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 f"--file={partial / 'database.dump'}"],
                env=_libpq_environment(database), capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode != 0:
                raise CliError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            engine = "sqlite"
            connections.close_all()
            _sqlite_copy(Path(database["NAME"]), partial / "database.sqlite3")
        uploads = Path(settings.DATA_DIR) / "imports"
        if uploads.is_dir():
            shutil.copytree(uploads, partial / "imports")
        manifest = {
            "engine": engine,
            "created": now.isoformat(),
            "kring": __version__,
            "rows": rows,
        }
        (partial / "backup.json").write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    removed = _rotate(root, keep=args.keep)
    print(f"Backup: {folder} ({sum(rows.values())} rows in {len(rows)} tables)")
    for old in removed:
        print(f"Removed the old backup {old}")
    return 0


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    """SQLite's online backup: one consistent state of the file, even while Kring writes."""
    with (
        contextlib.closing(sqlite3.connect(source_path)) as source,
        contextlib.closing(sqlite3.connect(target_path)) as target,
    ):
        source.backup(target)


def _rotate(root: Path, *, keep: int) -> list[Path]:
    backups = sorted(
        (p for p in root.iterdir() if p.is_dir() and p.name.startswith(PREFIX)),
        key=lambda p: p.name,
    )
    old = backups[:-keep] if len(backups) > keep else []
    for path in old:
        shutil.rmtree(path)
    return old


def _restore(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    manifest_path = folder / "backup.json"
    if not manifest_path.is_file():
        raise CliError(f"{folder}: not a backup made by `kring backup` (no backup.json)")
    manifest = json.loads(manifest_path.read_text())
    from kring.cli.django import setup

    setup(migrate=False)
    from django.conf import settings
    from django.db import connection, connections

    database = _database()
    engine = "postgresql" if _is_postgres(database) else "sqlite"
    if manifest.get("engine") != engine:
        raise CliError(
            f"{folder}: a {manifest.get('engine')} backup cannot go into this {engine} "
            "database (KRING_DATABASE_URL)"
        )
    tables = connection.introspection.table_names()
    if "accounts_user" in tables and not args.replace:
        from kring.accounts.models import User

        if User.objects.exists():
            raise CliError(
                "the database already has accounts; `kring restore-backup --replace` replaces "
                "everything in it"
            )
    if engine == "postgresql":
        connections.close_all()
        result = subprocess.run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", f"--dbname={database['NAME']}",
             str(folder / "database.dump")],
            env=_libpq_environment(database), capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise CliError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        connections.close_all()
        _sqlite_copy(folder / "database.sqlite3", Path(database["NAME"]))
    uploads = folder / "imports"
    if uploads.is_dir():
        shutil.copytree(uploads, Path(settings.DATA_DIR) / "imports", dirs_exist_ok=True)
    rows = table_rows()
    expected = manifest.get("rows", {})
    different = sorted(t for t in expected if rows.get(t) != expected[t])
    if different:
        raise CliError(f"restored, but these tables differ from the backup: {different}")
    print(f"Restored {folder} ({sum(rows.values())} rows in {len(rows)} tables)")
    return 0
