"""kring.lib.bulk: rows by the thousand, and the planner told about them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from kring.lib.bulk import refresh_statistics
from kring.people import actions
from kring.people.models import Interaction, Person


def _reltuples(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return float(cursor.fetchone()[0])


def test_the_planner_learns_how_many_rows_the_tables_hold(cast: Any) -> None:
    for i in range(3):
        actions.person_create(owner=cast.alice, given_name=f"P{i}", surname="Peeters")
    if connection.vendor != "postgresql":
        refresh_statistics(Person)  # SQLite plans from its indexes: nothing to do, no error
        return
    n = Person.objects.count()
    refresh_statistics(Person, Interaction)
    assert _reltuples("people_person") == n
    # The many-to-many table of the interactions' people is analysed with them.
    through = Interaction.people.through
    assert _reltuples(through._meta.db_table) == through.objects.count()


@pytest.mark.django_db
def test_without_models_every_table_is_analysed() -> None:
    refresh_statistics()
    if connection.vendor == "postgresql":
        assert _reltuples("people_interaction") >= 0
