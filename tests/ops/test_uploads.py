"""Uploads are bounded: a body over the limit is refused from its Content-Length before it is
read, a ZIP bomb and a ZIP that would unpack too large are refused from their directory
before a byte is unpacked, each with a clear message in the reader's language."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kring.accounts.actions import api_token_create
from kring.imports.models import ImportBatch
from tests.ops.zips import HEADER, oversized_csv, zip_bomb, zip_too_large


def _upload(client, name, content, **headers):
    return client.post("/import/", {"upload": SimpleUploadedFile(name, content)}, **headers)


@pytest.mark.django_db
def test_it_refuses_an_upload_over_the_limit_in_dutch_before_reading_it(cast):
    client = cast.client(cast.alice)
    started = time.monotonic()
    response = _upload(client, "Connections.csv", oversized_csv(21), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 413
    body = response.content.decode()
    assert "De upload is 21 MB; Kring neemt hoogstens 20 MB tegelijk aan." in body
    assert time.monotonic() - started < 10
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_oversized_api_upload_with_json(cast, client, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    _, key = api_token_create(user=cast.alice)
    response = client.post(
        "/api/imports",
        {"files": SimpleUploadedFile("Connections.csv", oversized_csv(2))},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"
    assert "Kring takes at most 1 MB at once" in response.json()["detail"]


@pytest.mark.django_db
def test_it_takes_an_upload_under_the_limit(cast):
    content = HEADER + b"Jan,Peeters,,jan@example.be,Peeters BV,Zaakvoerder,01 Jan 2024\n"
    response = _upload(cast.client(cast.alice), "Connections.csv", content)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert ImportBatch.objects.filter(owner=cast.alice).count() == 1


@pytest.mark.django_db
def test_it_refuses_a_zip_bomb_unread_with_a_clear_message(cast):
    bomb = zip_bomb(64)
    assert len(bomb) < 200_000  # a small file that inflates to 64 MB
    client = cast.client(cast.alice)
    started = time.monotonic()
    response = _upload(client, "linkedin.zip", bomb, HTTP_ACCEPT_LANGUAGE="en")
    waited = time.monotonic() - started
    assert response.status_code == 200
    assert "far more than any real export: refused unread" in response.content.decode()
    assert waited < 2, waited  # unpacking 64 MB and reading it as rows takes far longer
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_zip_that_would_unpack_too_large_in_her_language(cast):
    cast.alice.language = "nl"
    cast.alice.save(update_fields=["language"])
    response = _upload(cast.client(cast.alice), "linkedin.zip", zip_too_large(110))
    assert response.status_code == 200
    assert "een ZIP die zou uitpakken tot 111 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_it_cuts_off_a_body_far_over_the_limit_unread(cast, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    response = _upload(cast.client(cast.alice), "Connections.csv", oversized_csv(3))
    assert response.status_code == 413
    assert response["Connection"] == "close"  # not read to its end, the connection ends


@pytest.mark.django_db
def test_it_previews_a_large_file_from_its_first_rows_and_imports_it_in_the_worker(cast):
    client = cast.client(cast.alice)
    content = oversized_csv(2)  # over the 1 MB the page imports at once
    started = time.monotonic()
    response = _upload(client, "Connections.csv", content)
    assert response.status_code == 302
    assert time.monotonic() - started < 10
    batch = ImportBatch.objects.get(owner=cast.alice)
    assert batch.preview["sampled"] == 2000
    assert batch.preview["rows_read"] >= content.count(b"\n") - 1  # the progress bar's total
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert "counted from its first 2000 rows" in page
    client.post(f"/import/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED  # the whole file: the worker's job
