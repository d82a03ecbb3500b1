"""The (kind, lower(value)) index on contact points exists on PostgreSQL only (migration 0004)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "people_contactpoint")
    return {name for name, facts in found.items() if facts["index"]}


def test_the_lower_cased_address_index_is_there_on_postgresql_only():
    assert ("contact_point_kind_lower" in _indexes()) == (connection.vendor == "postgresql")
