"""Never stuck, never a traceback: every failure of a file, a row, the database or the worker
ends in a clear message, nothing half-written, and a batch that can be retried."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.cli.main import main as kring
from kring.core.importing import ImportFileError, open_source
from kring.imports import actions
from kring.imports.engine import Importer
from kring.imports.models import ImportBatch
from kring.people.models import ContactPoint, Interaction, Person
from tests.core import importing_strategies as strategies
from tests.imports import samples
from tests.imports.test_imports import CONNECTIONS

pytestmark = pytest.mark.django_db


def _upload(client, *files):
    return client.post(
        "/import/",
        {"upload": [SimpleUploadedFile(name, data) for name, data in files]},
        follow=True,
    )


def _batch(cast) -> ImportBatch:
    _upload(cast.client(cast.alice), ("Connections.csv", CONNECTIONS))
    return ImportBatch.objects.get(owner=cast.alice)


def test_an_import_that_fails_unexpectedly_is_failed_with_its_files_kept_and_can_be_retried(
    cast, monkeypatch
):
    batch = _batch(cast)
    client = cast.client(cast.alice)

    def broken(self, sources):
        raise RuntimeError("a bug in the importer")

    monkeypatch.setattr(Importer, "run", broken)
    response = client.post(f"/import/{batch.pk}/confirm/", follow=True)
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.failure == {"code": "internal", "params": {"detail": "RuntimeError"}}
    text = response.content.decode()
    assert "an unexpected error stopped the import (RuntimeError)" in text
    assert "Try again" in text
    stored = [Path(f["stored"]) for f in batch.files]
    assert all(path.is_file() for path in stored)
    assert Person.objects.filter(owner=cast.alice).count() == 1  # nothing half-written
    monkeypatch.undo()
    client.post(f"/import/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == "done" and batch.report["counts"]["new"] == 3
    assert not any(path.exists() for path in stored)
    assert [f["stored"] for f in batch.files] == [""]


def test_a_database_error_fails_the_batch_with_a_message_and_rolls_everything_back(
    cast, monkeypatch
):
    from django.db import DataError

    from kring.imports import engine

    batch = _batch(cast)
    original = engine._Writer.write

    def write_then_fail(self, actions_):
        original(self, actions_)
        raise DataError("value too long for type character varying(254)")

    monkeypatch.setattr(engine._Writer, "write", write_then_fail)
    actions.batch_commit(actor=cast.alice, batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.failure["code"]) == ("failed", "database")
    assert "value too long" in batch.error
    assert Person.objects.filter(owner=cast.alice).count() == 1


def test_the_worker_marks_an_import_that_died_failed_when_it_starts(cast, monkeypatch):
    import django.core.management

    ran = []
    # The worker's loop itself (django-tasks) is not run: it closes the test's connection.
    monkeypatch.setattr(django.core.management, "call_command", lambda *a, **k: ran.append(a))
    batch = _batch(cast)
    long_ago = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", started_at=long_ago)
    marker = actions.progress_path(batch)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("2000 3000")
    stamp = long_ago.timestamp()
    os.utime(marker, (stamp, stamp))
    with time_machine.travel(long_ago + dt.timedelta(minutes=3), tick=False):
        assert kring(["worker", "--batch"]) == 0
    assert ran == [("db_worker",)]
    batch.refresh_from_db()
    assert (batch.status, batch.failure["code"]) == ("failed", "interrupted")
    assert not marker.exists()
    page = cast.client(cast.alice).get(f"/import/{batch.pk}/").content.decode()
    assert "the import stopped before it ended" in page and "Try again" in page


def test_a_running_import_without_a_sign_of_life_is_failed_when_its_page_is_opened(cast):
    batch = _batch(cast)
    started = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", started_at=started)
    with time_machine.travel(started + dt.timedelta(minutes=5), tick=False):
        cast.client(cast.alice).get(f"/import/{batch.pk}/")
        batch.refresh_from_db()
        assert batch.status == "running"  # five minutes: it may still be working
    with time_machine.travel(started + actions.STALLED_AFTER + dt.timedelta(minutes=1)):
        cast.client(cast.alice).get(f"/import/{batch.pk}/")
    batch.refresh_from_db()
    assert batch.status == "failed"


def test_the_files_of_a_batch_nobody_confirmed_are_deleted_after_a_while(cast):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        batch = _batch(cast)
    stored = Path(batch.files[0]["stored"])
    assert stored.is_file()
    actions.batches_recover(now=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    assert stored.is_file()
    actions.batches_recover(now=dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC))
    assert not stored.exists()
    batch.refresh_from_db()
    actions.batch_commit(actor=cast.alice, batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.failure["code"]) == ("failed", "files_gone")


def test_the_cli_says_a_zip_is_damaged_without_a_traceback(cast, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KRING_USER", cast.alice.email)
    buffer = io.BytesIO()
    rows = samples.many_connections(3000)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", rows)
    data = buffer.getvalue()
    at = len(data) // 2
    path = tmp_path / "Basic_LinkedInDataExport.zip"
    path.write_bytes(data[:at] + bytes(b ^ 0x5A for b in data[at : at + 64]) + data[at + 64 :])
    assert kring(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Basic_LinkedInDataExport.zip/Connections.csv" in err and "damaged ZIP" in err
    assert "Traceback" not in err
    assert Person.objects.filter(owner=cast.alice).count() == 1


def test_it_keeps_the_readable_parts_of_a_zip_and_reports_the_part_it_cannot_read(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/Connections.csv", CONNECTIONS)
        archive.writestr("export/messages.csv", "Id;Body\n1;hallo\n")
    report = actions.import_sources(
        owner=cast.alice, sources=open_source("export.zip", buffer.getvalue())
    )
    assert report.counts["new"] == 3
    assert ("export.zip/export/messages.csv", "unknown_format") in {
        (p["file"], p["code"]) for p in report.problems
    }


def test_nul_bytes_and_fields_too_long_for_any_column_never_reach_the_database(cast):
    long_name = "ß" * 100  # folds to twice as long: the sort key must still fit
    rows = [
        samples.connection(long_name, "Ü" * 150, "Ø" * 250, email="x" * 250 + "@example.be"),
        samples.connection("Nul\x00Byte", "Pee\x00ters", "Ac\x00me", position="C\x00EO"),
    ]
    report = actions.import_sources(
        owner=cast.alice, sources=open_source("Connections.csv", samples.connections_csv(rows))
    )
    assert report.counts["new"] == 2
    people = Person.objects.filter(owner=cast.alice).exclude(pk=cast.jan.pk)
    texts = [t for p in people for t in (p.given_name, p.surname, p.title, p.sort_name)]
    assert not any("\x00" in t for t in texts)
    assert max(len(p.sort_name) for p in people) <= 300
    codes = {(p["field"], p["code"]) for p in report.problems}
    assert ("Email Address", "bad_email") in codes and ("organisation", "cut") in codes


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.one_of(
        strategies.csv_files(),
        strategies.vcard_files(),
        strategies.calendar_files(),
        strategies.zip_files(),
    )
)
def test_any_generated_file_imports_or_is_refused_on_this_database(cast, data):
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    try:
        sources = open_source("generated", data, me_emails=["alice@example.be"], now=now)
        report = actions.import_sources(owner=cast.alice, sources=sources)
    except ImportFileError:
        return
    assert report.rows_read >= 0
    for value in ContactPoint.objects.filter(person__owner=cast.alice).values_list(
        "value", flat=True
    ):
        assert len(value) <= 254 and "\x00" not in value
    summaries = Interaction.objects.filter(owner=cast.alice).values_list("summary", flat=True)
    assert not any("\x00" in s for s in summaries)
