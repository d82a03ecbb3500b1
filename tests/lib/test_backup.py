"""`kring backup` / `kring restore-backup`: a restored backup holds every row, on both engines."""

from __future__ import annotations

import datetime as dt
import sqlite3
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from kring.cli.main import main as kring
from kring.lib import backup
from kring.people import actions
from tests.sweep import BRUSSELS, SPECIAL, every_day

NOW = dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)


def _rows_sqlite(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    return sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


def _rows_pg(url: str, table: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)


@pytest.fixture
def filled(transactional_db: None, cast: Any, settings: Any, tmp_path: Path) -> Any:
    settings.DATA_DIR = tmp_path / "data"
    upload = settings.DATA_DIR / "imports" / "batch-1"
    upload.mkdir(parents=True)
    (upload / "Connections.csv").write_text("First Name,Last Name\nJan,Peeters\n")
    actions.person_create(owner=cast.alice, given_name="Marie", surname="Van Acker")
    return cast


@pytest.fixture
def restored_pg() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = _pg_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_it_restores_a_backup_into_a_new_database_with_every_table_equal(
    filled: Any, tmp_path: Path, request: pytest.FixtureRequest, settings: Any
) -> None:
    path = backup.backup_create(now=NOW, directory=tmp_path / "backups", keep=3)
    assert path.name == "kring-20270328T013000Z.tar.gz"
    manifest = backup.read_manifest(path)
    assert manifest["tables"]["people_person"] == 2
    tables = sorted(manifest["tables"])
    assert len(tables) > 30

    new_data = tmp_path / "elsewhere"
    if connection.vendor == "sqlite":
        target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "new.sqlite3")}
        backup.backup_restore(path=path, database=target, data_dir=new_data)
        copy = sqlite3.connect(target["NAME"])
        connection.ensure_connection()
        # Django's connection converts values; compare two plain connections.
        live = sqlite3.connect(":memory:")
        connection.connection.backup(live)
        for table in tables:
            assert _rows_sqlite(copy, table) == _rows_sqlite(live, table), table
        copy.close()
        live.close()
    else:
        name = request.getfixturevalue("restored_pg")
        target = {**connection.settings_dict, "NAME": name}
        backup.backup_restore(path=path, database=target, data_dir=new_data)
        for table in tables:
            here = _rows_pg(_pg_url(connection.settings_dict["NAME"]), table)
            assert _rows_pg(_pg_url(name), table) == here, table
        # Planned with statistics from the start, not as if every table were empty.
        with psycopg.connect(_pg_url(name)) as conn:
            (reltuples,) = conn.execute(
                "SELECT reltuples FROM pg_class WHERE relname = 'people_person'"
            ).fetchone()
        assert reltuples == 2
    assert (new_data / "imports" / "batch-1" / "Connections.csv").read_text().startswith("First")


def test_it_restores_in_place_what_changed_since_the_backup(filled: Any, tmp_path: Path) -> None:
    path = backup.backup_create(now=NOW, directory=tmp_path, keep=3)
    before = backup.table_counts()
    actions.person_create(owner=filled.alice, given_name="Els", surname="Peeters")
    assert backup.table_counts()["people_person"] == before["people_person"] + 1
    backup.backup_restore(path=path)
    assert backup.table_counts() == before


def test_it_keeps_only_the_newest_backups(filled: Any, tmp_path: Path) -> None:
    for day in range(1, 6):
        backup.backup_create(now=NOW + dt.timedelta(days=day), directory=tmp_path, keep=3)
    (tmp_path / "notes.txt").write_text("not a backup")
    names = [b.path.name for b in backup.backups(tmp_path)]
    assert names == [
        "kring-20270331T013000Z.tar.gz",
        "kring-20270401T013000Z.tar.gz",
        "kring-20270402T013000Z.tar.gz",
    ]
    assert not list(tmp_path.glob("tmp*")), "no half-written backup is left behind"


def test_it_backs_up_and_restores_from_the_terminal(
    filled: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setattr("kring.cli.django.setup", lambda **_: None)
    assert kring(["backup", "--to", str(tmp_path), "--keep", "2"]) == 0
    out = capsys.readouterr().out
    path = Path(out.strip().rsplit(" ", 1)[1])
    assert path.is_file()
    assert kring(["backup", "--to", str(tmp_path), "--list"]) == 0
    assert path.name in capsys.readouterr().out
    actions.person_create(owner=filled.alice, given_name="Els", surname="Peeters")
    assert kring(["restore-backup", str(path), "--yes"]) == 0
    assert "Restored" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "no such file"),
        (b"First Name,Last Name\n", "not a backup written by kring backup"),
    ],
)
def test_it_refuses_what_is_not_a_backup(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any, content, says
) -> None:
    monkeypatch.setattr("kring.cli.django.setup", lambda **_: None)
    path = tmp_path / "kring-20270101T000000Z.tar.gz"
    if content is not None:
        path.write_bytes(content)
    assert kring(["restore-backup", str(path), "--yes"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and says in err


def test_it_refuses_a_backup_without_a_manifest_and_asks_before_replacing(
    transactional_db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setattr("kring.cli.django.setup", lambda **_: None)
    bare = tmp_path / "bare.tar.gz"
    with tarfile.open(bare, "w:gz") as archive:
        archive.add(__file__, arcname="database.sqlite3")
    assert kring(["restore-backup", str(bare), "--yes"]) == 2
    assert "not a backup" in capsys.readouterr().err
    good = backup.backup_create(now=NOW, directory=tmp_path, keep=1)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert kring(["restore-backup", str(good)]) == 2
    assert "--yes" in capsys.readouterr().err


def test_it_refuses_a_backup_of_the_other_engine(transactional_db: None, tmp_path: Path) -> None:
    path = backup.backup_create(now=NOW, directory=tmp_path, keep=1)
    other = (
        {"ENGINE": "django.db.backends.postgresql", "NAME": "elsewhere"}
        if connection.vendor == "sqlite"
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.sqlite3")}
    )
    with pytest.raises(backup.BackupError) as caught:
        backup.backup_restore(path=path, database=other, data_dir=tmp_path / "d")
    assert caught.value.code == "wrong_engine"


def _daily(moments: list[dt.datetime], at: dt.time) -> list[dt.datetime]:
    """The moments at which a worker looking at each of ``moments`` makes a backup."""
    made: list[dt.datetime] = []
    for now in moments:
        if backup.backup_due(now=now, last=made[-1] if made else None, at=at, zone=BRUSSELS):
            made.append(now)
    return made


def test_the_daily_backup_comes_once_a_day_at_its_hour_over_two_years() -> None:
    start = dt.datetime(2026, 12, 31, 23, tzinfo=dt.UTC)
    hours = [start + dt.timedelta(minutes=30 * i) for i in range(2 * 366 * 48)]
    made = _daily(hours, dt.time(3, 30))
    # A worker with no backup yet makes one at once; then one every day at 03:30.
    assert made[0] == start
    days = [m.astimezone(BRUSSELS).date() for m in made[1:]]
    assert len(days) == len(set(days)) == (days[-1] - days[0]).days + 1 == 732
    for moment in made[1:]:
        local = moment.astimezone(BRUSSELS)
        # 03:30 exists every day in Brussels (the changes are at 02:00 and 03:00).
        assert (local.hour, local.minute) == (3, 30), local


def test_the_daily_backup_at_a_skipped_or_doubled_hour_still_comes_once() -> None:
    start = dt.datetime(2027, 3, 20, tzinfo=dt.UTC)
    quarter_hours = [start + dt.timedelta(minutes=15 * i) for i in range(4 * 24 * 240)]
    made = _daily(quarter_hours, dt.time(2, 30))
    days = [m.astimezone(BRUSSELS).date() for m in made[1:]]
    assert len(days) == len(set(days)) == 240
    assert dt.date(2027, 3, 28) in days and dt.date(2027, 10, 31) in days


@pytest.mark.parametrize("now", [m for _, m in SPECIAL] + list(every_day())[::97])
def test_a_worker_started_late_makes_the_missed_backup_at_once(now: dt.datetime) -> None:
    yesterday = now - dt.timedelta(days=1, hours=1)
    assert backup.backup_due(now=now, last=None, at=dt.time(3, 30), zone=BRUSSELS)
    assert backup.backup_due(
        now=now, last=yesterday - dt.timedelta(days=1), at=dt.time(3, 30), zone=BRUSSELS
    )
    assert not backup.backup_due(now=now, last=now, at=dt.time(3, 30), zone=BRUSSELS)
