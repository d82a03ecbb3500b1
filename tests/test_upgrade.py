"""Upgrading a filled database: the demo club at the previous release's schema, then migrated to
this one, keeps every row (on SQLite and on PostgreSQL, like every test).

``PREVIOUS_RELEASE`` is the newest migration of each app in the release before this one (the
last commit that landed); update it when a release lands. A migration that cannot run backwards
over data fails here, which is the point: a club must be able to go back a release.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from kring.demo.club import load_demo_club
from kring.lib.backup import table_counts

PREVIOUS_RELEASE = {
    "accounts": "0005_user_own_addresses_for_imports",
    "audit": "0001_initial_audit_log",
    "clubs": "0003_guests_rules_invitations_seating_state",
    "imports": "0002_merges_to_undo_and_batch_failures",
    "network": "0001_introductions",
    "people": "0003_share_updated_at",
    "planner": "0001_initial_settings_touches_reviews_feeds",
    "teams": "0001_departments_rotations_rounds_teams",
    "workspaces": "0003_workspace_time_zone",
}
NOW = dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)


def _migrate(targets: list[tuple[str, str | None]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _leaves() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_previous_release_is_a_state_this_release_knows():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for app, name in PREVIOUS_RELEASE.items():
        assert (app, name) in graph.nodes, f"{app}.{name}"


@pytest.mark.django_db(transaction=True)
def test_it_upgrades_a_filled_demo_database_from_the_previous_release():
    load_demo_club(seed=11, members=6, now=NOW)
    now_counts = table_counts()
    assert now_counts["clubs_meeting"] > 0 and now_counts["people_person"] > 100

    # The previous release's schema, with the demo's data in it.
    _migrate(sorted(PREVIOUS_RELEASE.items()))
    before = table_counts()
    assert before["people_person"] == now_counts["people_person"]

    # Upgrade: every table the previous release had keeps every row.
    _migrate(_leaves())
    after = table_counts()
    for table, rows in before.items():
        if table == "django_migrations":
            continue
        assert after.get(table) == rows, table
    assert MigrationExecutor(connection).migration_plan(_leaves()) == []
