"""Fast inserts of many rows into one table, bypassing model instances (imports, the demo)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, router, transaction
from django.db.models import DateField, Field, JSONField, Model

from kring.lib import clock

__all__ = ["BulkTable", "refresh_statistics"]


class BulkTable:
    """Plain multi-row ``INSERT``s into one model's table, for rows made by the thousand (an
    import's people, relationships, contact points, interactions, their links and keys; the
    demo club).

    ``bulk_create`` builds a model instance and prepares every field of every row in Python,
    and SQLite lets it put only 999 values in one statement: for a 30,000-row file that was
    most of the time. Here the columns, their defaults and the SQL are worked out once; values
    are passed as they are, except dates, times and JSON, which the backend adapts. The
    statements are standard SQL that SQLite (3.35+) and PostgreSQL both run.
    """

    def __init__(self, model: type[Model], names: Sequence[str]) -> None:
        meta = model._meta
        self.model = model
        self.names = tuple(names)
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        by_name = {f.name: f for f in fields} | {f.attname: f for f in fields}
        given = [by_name[n] for n in names]
        rest = [f for f in fields if f not in given]
        for f in rest:
            if f.has_default() and callable(f.default) and f.default not in (list, dict):
                raise ValueError(f"{f}: a default that differs per row needs a value")
        self.connection = connections[router.db_for_write(model)]
        ops = self.connection.ops
        now = clock.now()
        automatic = [
            getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in rest
        ]
        self.defaults: tuple[Any, ...] = tuple(
            self._prepare(f, now if auto else f.get_default())
            for f, auto in zip(rest, automatic, strict=True)
        )
        self.converters = [
            (i, f) for i, f in enumerate(given) if isinstance(f, DateField | JSONField)
        ]
        self.width = len(given) + len(rest)
        self.columns = ", ".join(ops.quote_name(f.column) for f in [*given, *rest])
        self.table = ops.quote_name(meta.db_table)
        self.pk = ops.quote_name(meta.pk.column) if meta.pk else ""
        self.row_sql = "(" + ", ".join(["%s"] * self.width) + ")"
        if self.connection.vendor == "sqlite":
            limit = self.connection.features.max_query_params or 999  # 999: every SQLite
        else:
            limit = 65_535
        self.rows_per_statement = max(1, limit // self.width)

    def _prepare(self, field: Field[Any, Any], value: Any) -> Any:
        if value is None:
            return None
        return field.get_db_prep_save(value, self.connection)

    def _values(self, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        out = []
        for row in rows:
            if self.converters:
                row = list(row)
                for i, f in self.converters:
                    row[i] = self._prepare(f, row[i])
            out.append((*row, *self.defaults))
        return out

    def insert(self, rows: Iterable[Sequence[Any]], *, ignore_conflicts: bool = False) -> None:
        """Insert ``rows`` (values in the order of ``names``); with ``ignore_conflicts``, a row
        that would break a unique constraint is left out, as ``bulk_create`` does."""
        values = self._values(rows)
        if not values:
            return
        if self.connection.vendor == "postgresql":
            if ignore_conflicts:
                self._copy_ignoring_conflicts(values)
            else:
                self._copy(values)
            return
        sql = f"INSERT INTO {self.table} ({self.columns}) VALUES {self.row_sql}"
        if ignore_conflicts:
            sql += " ON CONFLICT DO NOTHING"
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, values)

    def _copy(self, values: list[tuple[Any, ...]], ids: Sequence[int] = ()) -> None:
        """PostgreSQL's COPY: the rows stream in one command, with no SQL to build or parse
        (multi-row INSERTs spent most of their time in the driver's parsing of the SQL)."""
        columns = f"{self.pk}, {self.columns}" if ids else self.columns
        # psycopg's own cursor, its errors made Django's (IntegrityError, DataError, …).
        with self.connection.cursor() as wrapper, self.connection.wrap_database_errors:
            cursor = wrapper.cursor
            with cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                if ids:
                    for pk, row in zip(ids, values, strict=True):
                        copy.write_row((pk, *row))
                else:
                    for row in values:
                        copy.write_row(row)

    def _copy_ignoring_conflicts(self, values: list[tuple[Any, ...]]) -> None:
        """COPY into a temporary table, then move the rows over, leaving out those that would
        break a unique constraint: one statement, where ``executemany`` sent one per row."""
        staging = self.connection.ops.quote_name(f"bulk_{self.model._meta.db_table}")
        with (
            transaction.atomic(using=self.connection.alias),
            self.connection.cursor() as wrapper,
            self.connection.wrap_database_errors,
        ):
            cursor = wrapper.cursor
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
                f"SELECT {self.columns} FROM {self.table} WITH NO DATA"
            )
            with cursor.copy(f"COPY {staging} ({self.columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {self.table} ({self.columns}) SELECT {self.columns} FROM {staging} "
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"DROP TABLE {staging}")

    def insert_returning_ids(self, rows: Iterable[Sequence[Any]]) -> list[int]:
        """Insert ``rows`` and return their new ids, in order (as ``bulk_create`` relies on)."""
        values = self._values(rows)
        ids: list[int] = []
        if self.connection.vendor == "postgresql" and values:
            # Take the ids from the table's sequence first, then COPY the rows with them: the
            # order is ours, not the server's.
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.model._meta.db_table, self.model._meta.pk.column, len(values)],
                )
                ids = [row[0] for row in cursor.fetchall()]
            self._copy(values, ids)
            return ids
        step = self.rows_per_statement
        with self.connection.cursor() as cursor:
            for begin in range(0, len(values), step):
                part = values[begin : begin + step]
                cursor.execute(
                    f"INSERT INTO {self.table} ({self.columns}) VALUES "
                    + ", ".join([self.row_sql] * len(part))
                    + f" RETURNING {self.pk}",
                    [v for row in part for v in row],
                )
                ids += [row[0] for row in cursor.fetchall()]
        return ids

    def create(self, objects: Sequence[Model]) -> None:
        """Insert unsaved model instances (the fields named at construction; the others take
        their defaults) and give each its new id, as ``bulk_create`` does."""
        ids = self.insert_returning_ids([tuple(getattr(o, n) for n in self.names) for o in objects])
        for instance, pk in zip(objects, ids, strict=True):
            instance.pk = pk
            instance._state.adding = False


def refresh_statistics(*models: type[Model]) -> None:
    """After rows were inserted by the thousand, let PostgreSQL's planner know (``ANALYZE``).

    Its autovacuum daemon would, a minute or more later, and not at all where it is turned off;
    until then the planner believes the tables small and may pick a plan that scans every
    interaction once per person on the page (seconds instead of a millisecond). With
    ``models``, only their tables (and their many-to-many tables); without, every table.
    SQLite plans from its indexes and needs nothing here.
    """
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    tables: list[str] = []
    for model in models:
        tables.append(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through is not None:
                tables.append(through._meta.db_table)
    with connection.cursor() as cursor:
        quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
        cursor.execute(f"ANALYZE {quoted}" if tables else "ANALYZE")
