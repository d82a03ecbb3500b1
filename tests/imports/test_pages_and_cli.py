"""The import page, proposals, exports and the `kring import/export-contacts/restore` commands."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kring.cli.main import main as kring
from kring.imports.backup import account_as_dict
from kring.imports.models import ImportBatch, MergeProposal
from kring.people.models import Person
from tests.imports.test_imports import CONNECTIONS, VCARDS

pytestmark = pytest.mark.django_db


def _upload(client, *files):
    return client.post(
        "/import/",
        {"upload": [SimpleUploadedFile(name, data) for name, data in files]},
        follow=True,
    )


def test_it_previews_then_imports_from_the_page(cast):
    client = cast.client(cast.alice)
    response = _upload(client, ("Connections.csv", CONNECTIONS), ("phone.vcf", VCARDS.encode()))
    assert response.status_code == 200
    text = response.content.decode()
    assert "LinkedIn connections" in text and "vCard contacts" in text
    assert "Marie De Smet" in text and "Connected On" in text
    assert Person.objects.filter(owner=cast.alice).count() == 1  # nothing written yet
    batch = ImportBatch.objects.get(owner=cast.alice)
    response = client.post(f"/import/{batch.pk}/confirm/", follow=True)
    assert "Import report" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "done"
    assert batch.report["counts"]["new"] == 5
    assert Person.objects.filter(owner=cast.alice, given_name="Pieter").count() == 1


def test_it_says_what_and_where_for_a_file_it_cannot_read(cast):
    client = cast.client(cast.alice)
    response = _upload(client, ("notes.txt", b"hello\nworld\n"))
    assert "notes.txt: not a format Kring knows" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_it_runs_large_imports_in_the_background(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.KRING_IMPORT_BACKGROUND_BYTES = 10
    client = cast.client(cast.alice)
    _upload(client, ("Connections.csv", CONNECTIONS))
    batch = ImportBatch.objects.get(owner=cast.alice)
    client.post(f"/import/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == "done"
    progress = client.get(f"/import/{batch.pk}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"


def test_it_shows_a_proposal_side_by_side_and_merges_on_accept(cast):
    client = cast.client(cast.alice)
    _upload(client, ("phone.vcf", VCARDS.encode()))
    client.post(f"/import/{ImportBatch.objects.get().pk}/confirm/")
    proposal = MergeProposal.objects.get(owner=cast.alice)
    page = client.get(f"/import/proposals/{proposal.pk}/").content.decode()
    assert page.count("Jan van der Berg") >= 2 and "jan@acme.example" in page
    client.post(f"/import/proposals/{proposal.pk}/accept/")
    assert not Person.objects.filter(pk=proposal.duplicate_id).exists()


def test_it_exports_vcards_that_import_back_as_the_same_people(cast):
    client = cast.client(cast.alice)
    cards = client.get("/import/export/contacts.vcf").getvalue()
    assert b"VERSION:4.0" in cards and b"FN:Jan van der Berg" in cards
    csv_text = client.get("/import/export/contacts.csv").getvalue().decode()
    assert "Jan,van der,Berg" in csv_text
    _upload(client, ("kring.vcf", cards))
    batch = ImportBatch.objects.get()
    assert batch.preview["counts"]["unchanged"] == 1


@pytest.fixture
def as_alice(cast, monkeypatch):
    monkeypatch.setenv("KRING_USER", cast.alice.email)
    return cast


def test_it_imports_from_the_command_line_and_dry_runs_without_writing(as_alice, tmp_path, capsys):
    path = tmp_path / "Connections.csv"
    path.write_bytes(CONNECTIONS)
    assert kring(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Dry run" in out and "line 7, Connected On" in out
    assert Person.objects.filter(owner=as_alice.alice).count() == 1
    assert kring(["import", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["new"] == 3
    assert kring(["import", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["unchanged"] == 3


def test_it_exits_2_with_the_file_for_an_unreadable_file(as_alice, tmp_path, capsys):
    good = tmp_path / "Connections.csv"
    good.write_bytes(CONNECTIONS)
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    assert kring(["import", str(good), str(bad)]) == 2
    assert "photo.csv: a binary file" in capsys.readouterr().err
    assert Person.objects.filter(owner=as_alice.alice).count() == 1


def test_it_exports_contacts_from_the_command_line(as_alice, tmp_path, capsys):
    target = tmp_path / "out.vcf"
    assert kring(["export-contacts", "--format", "vcard", "-o", str(target)]) == 0
    assert "FN:Jan van der Berg" in target.read_text()
    assert kring(["export-contacts", "--format", "csv"]) == 0
    assert "Jan,van der,Berg" in capsys.readouterr().out


def test_it_restores_a_backup_into_an_empty_database_identically(as_alice, tmp_path, capsys):
    from kring.accounts.models import User
    from kring.people.models import Organisation
    from kring.workspaces.models import Workspace

    samples_file = tmp_path / "Connections.csv"
    samples_file.write_bytes(CONNECTIONS)
    assert kring(["import", str(samples_file)]) == 0
    before = account_as_dict(as_alice.alice)
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(before))
    User.objects.all().delete()
    Workspace.objects.all().delete()
    assert not Organisation.objects.exists()
    assert kring(["restore", str(backup)]) == 0
    restored = User.objects.get(email="alice@example.be")
    assert account_as_dict(restored) == before
    assert kring(["restore", str(backup)]) == 2  # the account exists now
    assert "exists already" in capsys.readouterr().err
