"""Backups of a whole Kring server: the database and the files in the data directory.

One backup is one ``kring-<UTC time>.tar.gz`` holding

* ``manifest.json`` — when, which engine, Kring's version, the applied migrations and the number
  of rows in every table (a restore checks itself against these);
* ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the server runs) or
  ``database.dump`` (``pg_dump --format=custom``: one snapshot of a running PostgreSQL);
* ``files/`` — what people uploaded and the worker has not read yet (``DATA_DIR/imports``).

Backups are rotated: the newest ``keep`` stay. :func:`backup_due` tells the worker when the
daily backup is due; ``now`` is always passed in.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, connections

from kring import __version__
from kring.core.dates import at_local_time, local_date

PREFIX = "kring-"
SUFFIX = ".tar.gz"
# Directories under DATA_DIR that hold what people gave Kring and no database row repeats.
FILE_DIRS = ("imports",)
_STAMP = "%Y%m%dT%H%M%SZ"


class BackupError(Exception):
    """A backup or restore that cannot go on; ``code`` and ``params`` say why, for people."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Backup:
    path: Path
    created_at: dt.datetime


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def backups(directory: Path) -> list[Backup]:
    """The backups in ``directory``, oldest first (by the time in their names)."""
    found = []
    if directory.is_dir():
        for path in directory.iterdir():
            name = path.name
            if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
                continue
            try:
                moment = dt.datetime.strptime(name[len(PREFIX) : -len(SUFFIX)], _STAMP)
            except ValueError:
                continue
            found.append(Backup(path, moment.replace(tzinfo=dt.UTC)))
    return sorted(found, key=lambda b: b.created_at)


def backup_due(*, now: dt.datetime, last: dt.datetime | None, at: dt.time, zone: ZoneInfo) -> bool:
    """Whether the daily backup at ``at`` on the clocks of ``zone`` is due.

    It is due when no backup was made since the most recent such moment before ``now``: a worker
    that was stopped at that moment makes it when it starts again. On the spring clock change a
    skipped time moves forward by the gap; on the autumn change the first of the two counts.
    """
    today = local_date(now, zone)
    slot = at_local_time(today, at, zone)
    if slot > now:
        slot = at_local_time(today - dt.timedelta(days=1), at, zone)
    return last is None or last < slot


def table_counts(alias: str = "default") -> dict[str, int]:
    """The number of rows in every table Kring's models (and Django's own) use."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        tables = sorted(conn.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def _pg_env(database: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore and the environment with the password."""
    args = ["--dbname", str(database["NAME"])]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError("tool_missing", tool=command[0]) from None
    if done.returncode != 0:
        raise BackupError("tool_failed", tool=command[0], message=done.stderr.strip()[-500:])


def _is_sqlite(database: Mapping[str, Any]) -> bool:
    return str(database["ENGINE"]).endswith("sqlite3")


def backup_create(*, now: dt.datetime, directory: Path, keep: int) -> Path:
    """Write one backup of the database and the data directory's files into ``directory``;
    then keep only the newest ``keep`` backups. Returns the new backup's path."""
    if keep < 1:
        raise BackupError("keep_too_small", keep=keep)
    directory.mkdir(parents=True, exist_ok=True)
    database = connection.settings_dict
    target = directory / f"{PREFIX}{now.astimezone(dt.UTC).strftime(_STAMP)}{SUFFIX}"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        work_dir = Path(work)
        if _is_sqlite(database):
            engine, dump = "sqlite", work_dir / "database.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                connection.connection.backup(copy)
            copy.close()
        else:
            engine, dump = "postgresql", work_dir / "database.dump"
            args, env = _pg_env(database)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args], env)
        manifest = {
            "format": 1,
            "kring": __version__,
            "created_at": now.astimezone(dt.UTC).isoformat(),
            "engine": engine,
            "migrations": _applied_migrations(),
            "tables": table_counts(),
        }
        partial = work_dir / target.name
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for name in FILE_DIRS:
                source = Path(settings.DATA_DIR) / name
                if source.is_dir():
                    archive.add(source, arcname=f"files/{name}")
        # The finished file appears at once or not at all: no half-written backup to restore.
        partial.replace(target)
    for old in backups(directory)[:-keep]:
        old.path.unlink(missing_ok=True)
    return target


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a backup file, or :class:`BackupError` naming what is wrong."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.load(member)
    except FileNotFoundError:
        raise BackupError("not_found", path=str(path)) from None
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError):
        raise BackupError("not_a_backup", path=str(path)) from None
    if manifest.get("format") != 1 or manifest.get("engine") not in ("sqlite", "postgresql"):
        raise BackupError("not_a_backup", path=str(path))
    return manifest


def backup_restore(
    *, path: Path, database: Mapping[str, Any] | None = None, data_dir: Path | None = None
) -> dict[str, Any]:
    """Replace the database (``database``: a Django DATABASES entry, by default the one Kring
    uses) and the data directory's files with the backup's. Returns the manifest."""
    manifest = read_manifest(path)
    database = database if database is not None else connection.settings_dict
    data_dir = data_dir if data_dir is not None else Path(settings.DATA_DIR)
    engine = "sqlite" if _is_sqlite(database) else "postgresql"
    if manifest["engine"] != engine:
        raise BackupError("wrong_engine", backup=manifest["engine"], database=engine)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work_dir, filter="data")
        if engine == "sqlite":
            _restore_sqlite(work_dir / "database.sqlite3", database)
        else:
            _restore_postgresql(work_dir / "database.dump", database)
        for name in FILE_DIRS:
            target = data_dir / name
            if target.exists():
                shutil.rmtree(target)
            source = work_dir / "files" / name
            if source.is_dir():
                shutil.copytree(source, target)
    return manifest


def _restore_sqlite(dump: Path, database: Mapping[str, Any]) -> None:
    name = str(database["NAME"])
    live = connection.settings_dict
    with sqlite3.connect(dump) as source:
        if _is_sqlite(live) and str(live["NAME"]) == name:
            # Into the connection Kring holds (an in-memory test database has no file).
            connection.ensure_connection()
            source.backup(connection.connection)
        else:
            with sqlite3.connect(name) as target:
                source.backup(target)
            target.close()
    source.close()


def _restore_postgresql(dump: Path, database: Mapping[str, Any]) -> None:
    if connection.settings_dict.get("NAME") == database["NAME"]:
        connection.close()
    args, env = _pg_env(database)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
    )
    # A dump carries no planner statistics: until autovacuum comes by (if it is on), every
    # query would be planned as if the tables were empty (kring.lib.bulk.refresh_statistics).
    _run(["psql", "--no-psqlrc", "--quiet", "--command", "ANALYZE", *args], env)


def latest_backup(directory: Path) -> dt.datetime | None:
    found = backups(directory)
    return found[-1].created_at if found else None


def backup_if_due(*, now: dt.datetime) -> Path | None:
    """The worker's daily backup: make one when :func:`backup_due` says so (never when
    ``KRING_BACKUP_AT`` is off)."""
    from kring.lib import clock

    at = settings.BACKUP_AT
    if at is None:
        return None
    directory = backup_dir()
    if not backup_due(now=now, last=latest_backup(directory), at=at, zone=clock.zone()):
        return None
    return backup_create(now=now, directory=directory, keep=settings.BACKUP_KEEP)


def start_daily_backups(*, every: float = 60.0) -> threading.Thread | None:
    """A daemon thread of the worker that looks each minute whether the daily backup is due."""
    if settings.BACKUP_AT is None:
        return None
    import logging

    from kring.lib import clock

    log = logging.getLogger("kring.backup")
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                made = backup_if_due(now=clock.now())
                if made is not None:
                    log.warning("backup written: %s", made)
            except BackupError as exc:
                log.error("backup failed: %s %s", exc.code, exc.params)
            finally:
                connection.close()
            stop.wait(every)

    thread = threading.Thread(target=loop, name="kring-daily-backup", daemon=True)
    thread.start()
    return thread
