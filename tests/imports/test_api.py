"""Imports through the API: upload (multipart) for a preview, confirm, read the report; merge
proposals accepted or rejected. Bob and Charlie find none of Alice's batches or proposals (404).
Every answer is checked against the published OpenAPI schema."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kring.imports.models import ImportBatch, MergeProposal
from kring.people.models import Person
from tests.api.schema_client import SchemaClient
from tests.imports.test_imports import CONNECTIONS, VCARDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast):
    return SchemaClient([cast.alice, cast.bob, cast.charlie])


def _upload(api, user, *files, status=201):
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    return api.call(user, "post", "/api/imports", files={"files": uploads}, status=status)


@pytest.fixture
def proposal(api, cast):
    """Alice imported her phone's vCards: one of them is probably her Jan."""
    batch = _upload(api, cast.alice, ("phone.vcf", VCARDS.encode()))
    api.call(cast.alice, "post", f"/api/imports/{batch['id']}/confirm")
    return MergeProposal.objects.get(owner=cast.alice)


def test_it_previews_then_imports_uploaded_files(api, cast):
    batch = _upload(
        api, cast.alice, ("Connections.csv", CONNECTIONS), ("phone.vcf", VCARDS.encode())
    )
    assert batch["status"] == "previewed" and batch["report"] == {}
    assert [f["name"] for f in batch["files"]] == ["Connections.csv", "phone.vcf"]
    assert all(set(f) == {"name", "size"} for f in batch["files"])  # not where they wait
    assert batch["preview"]["counts"]["new"] == 5  # Sofie too: an impossible date costs the date
    assert Person.objects.filter(owner=cast.alice).count() == 1  # nothing written yet
    done = api.call(cast.alice, "post", f"/api/imports/{batch['id']}/confirm")
    assert done["status"] == "done" and done["report"]["counts"]["new"] == 5
    assert api.call(cast.alice, "get", f"/api/imports/{batch['id']}") == done
    assert [b["id"] for b in api.call(cast.alice, "get", "/api/imports")["items"]] == [batch["id"]]
    assert Person.objects.filter(owner=cast.alice, given_name="Pieter").count() == 1


def test_it_names_a_file_it_cannot_read_and_keeps_nothing(api, cast):
    answer = _upload(api, cast.alice, ("notes.txt", b"hello\nworld\n"), status=422)
    assert "notes.txt: not a format Kring knows" in answer["errors"]["files"][0]
    assert (
        "file.files" in api.call(cast.alice, "post", "/api/imports", files={}, status=422)["errors"]
    )
    assert not ImportBatch.objects.exists()


def test_it_imports_large_files_in_the_background(api, cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.KRING_IMPORT_BACKGROUND_BYTES = 10
    batch = _upload(api, cast.alice, ("Connections.csv", CONNECTIONS))
    queued = api.call(cast.alice, "post", f"/api/imports/{batch['id']}/confirm", status=202)
    assert queued["status"] == "queued"


def test_it_lists_and_merges_a_proposal(api, cast, proposal):
    listed = api.call(cast.alice, "get", "/api/merge-proposals")["items"]
    assert [p["id"] for p in listed] == [proposal.pk]
    one = api.call(cast.alice, "get", f"/api/merge-proposals/{proposal.pk}")
    assert one == listed[0]
    assert one["person"]["full_name"] == "Jan van der Berg"
    assert "jan@acme.example" in one["person"]["emails"]
    merged = api.call(cast.alice, "post", f"/api/merge-proposals/{proposal.pk}/accept")
    assert merged["person"]["id"] == cast.jan.pk
    assert not Person.objects.filter(pk=proposal.duplicate_id).exists()
    assert api.call(cast.alice, "get", "/api/merge-proposals")["items"] == []


def test_it_keeps_two_people_apart(api, cast, proposal):
    kept = api.call(cast.alice, "post", f"/api/merge-proposals/{proposal.pk}/reject")
    assert (kept["status"], kept["decided_at"] is not None) == ("rejected", True)
    assert Person.objects.filter(pk=proposal.duplicate_id).exists()
    assert api.call(cast.alice, "get", "/api/merge-proposals")["items"] == []


@pytest.mark.parametrize("intruder", ["bob", "charlie"])
def test_it_finds_no_batch_or_proposal_of_someone_else(api, cast, proposal, intruder):
    other = getattr(cast, intruder)
    batch = proposal.batch_id
    api.call(other, "get", f"/api/imports/{batch}", status=404)
    api.call(other, "post", f"/api/imports/{batch}/confirm", status=404)
    api.call(other, "get", f"/api/merge-proposals/{proposal.pk}", status=404)
    api.call(other, "post", f"/api/merge-proposals/{proposal.pk}/accept", status=404)
    api.call(other, "post", f"/api/merge-proposals/{proposal.pk}/reject", status=404)
    assert api.call(other, "get", "/api/imports")["items"] == []
    assert api.call(other, "get", "/api/merge-proposals")["items"] == []
    proposal.refresh_from_db()
    assert proposal.status == "open"
