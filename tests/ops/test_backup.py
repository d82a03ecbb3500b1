"""`kring backup` and `kring restore-backup`: a backup of a filled database restored into a
new database gives every table back, row for row, on SQLite and on PostgreSQL; old backups
are rotated away; a database with accounts is not overwritten by mistake."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.ops.conftest import environment, kring, own_processes

pytestmark = own_processes


def _filled(env: dict[str, str]) -> None:
    result = kring(env, "demo", "--members", "4")
    assert result.returncode == 0, result.stderr


def _only_backup(folder: Path) -> Path:
    backups = sorted(folder.glob("kring-*"))
    assert len(backups) == 1, backups
    return backups[0]


def _sqlite_tables(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }


def _postgres_tables(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }


def test_it_restores_a_sqlite_backup_into_a_new_database_table_for_table(tmp_path):
    source = environment(tmp_path / "source")
    _filled(source)
    made = kring(source, "backup", "--to", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    backup = _only_backup(tmp_path / "backups")
    manifest = json.loads((backup / "backup.json").read_text())
    assert manifest["engine"] == "sqlite"
    assert manifest["rows"]["accounts_user"] >= 4

    target = environment(tmp_path / "target")
    restored = kring(target, "restore-backup", str(backup))
    assert restored.returncode == 0, restored.stderr
    before = _sqlite_tables(tmp_path / "source" / "kring.sqlite3")
    after = _sqlite_tables(tmp_path / "target" / "kring.sqlite3")
    assert before.keys() == after.keys()
    assert sum(len(rows) for rows in before.values()) > 1000
    for table in before:
        assert before[table] == after[table], table

    again = kring(target, "restore-backup", str(backup))
    assert again.returncode == 2
    assert "already has accounts" in again.stderr
    assert kring(target, "restore-backup", "--replace", str(backup)).returncode == 0


def test_it_restores_a_postgres_backup_into_a_new_database_table_for_table(
    tmp_path, postgres_database
):
    source = environment(tmp_path / "source", KRING_DATABASE_URL=postgres_database)
    _filled(source)
    made = kring(source, "backup", "--to", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stderr
    backup = _only_backup(tmp_path / "backups")
    assert (backup / "database.dump").stat().st_size > 10_000

    # A second, empty database for the restore, beside the fixture's.
    import psycopg

    target_name = postgres_database.rsplit("/", 1)[1] + "_restored"
    admin = postgres_database.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{target_name}"')
    target_url = postgres_database.rsplit("/", 1)[0] + "/" + target_name
    try:
        target = environment(tmp_path / "target", KRING_DATABASE_URL=target_url)
        restored = kring(target, "restore-backup", str(backup))
        assert restored.returncode == 0, restored.stderr
        before = _postgres_tables(postgres_database)
        after = _postgres_tables(target_url)
        assert before.keys() == after.keys()
        assert sum(len(rows) for rows in before.values()) > 1000
        for table in before:
            assert before[table] == after[table], table
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')


def test_it_keeps_only_the_newest_backups(tmp_path):
    env = environment(tmp_path / "data")
    assert kring(env, "migrate").returncode == 0
    for _ in range(3):
        result = kring(env, "backup", "--to", str(tmp_path / "backups"), "--keep", "2")
        assert result.returncode == 0, result.stderr
    kept = sorted(p.name for p in (tmp_path / "backups").glob("kring-*"))
    assert len(kept) == 2
    assert "Removed the old backup" in result.stdout


def test_it_refuses_a_folder_that_is_no_backup(tmp_path):
    result = kring(environment(tmp_path / "data"), "restore-backup", str(tmp_path))
    assert result.returncode == 2
    assert "not a backup made by `kring backup`" in result.stderr


@pytest.mark.parametrize("keep", ["0", "some"])
def test_it_refuses_an_impossible_keep(tmp_path, keep):
    result = kring(environment(tmp_path / "data"), "backup", "--keep", keep)
    assert result.returncode == 2
