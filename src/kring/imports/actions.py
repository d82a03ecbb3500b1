"""Every write of importing: files in (preview, then one transaction), merges and proposals.

Views, the CLI and the background task call these; each checks that the batch, proposal or
person is the caller's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.core.importing import ImportFileError, SourceFile, open_source
from kring.imports.engine import Importer, Report
from kring.imports.models import ImportBatch, ImportedKey, MergeProposal
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.people.models import (
    Ask,
    ContactPoint,
    Favour,
    IntelligenceNote,
    Person,
    Relationship,
)

Progress = Callable[[int], None]


def upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def sources_for(owner: User, files: Iterable[tuple[str, Path]]) -> list[SourceFile]:
    """The readable files among ``files`` (name shown, path on disk) for ``owner``.

    Raises :class:`ImportFileError` for the first file Kring cannot read at all.
    """
    sources: list[SourceFile] = []
    for name, path in files:
        sources += open_source(
            name, path, region=owner.country, me_emails=[owner.email], now=clock.now()
        )
    return sources


def import_preview(*, owner: User, sources: Sequence[SourceFile]) -> Report:
    """What importing would do: counts, first rows and problems. Writes nothing."""
    return Importer(owner, dry_run=True).run(sources)


@transaction.atomic
def import_sources(
    *,
    owner: User,
    sources: Sequence[SourceFile],
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
) -> Report:
    """Import the files in one transaction: all of it goes in, or (on a file-level problem)
    nothing. Rows with problems are skipped and listed in the report."""
    importer = Importer(
        owner, dry_run=False, batch_id=batch.pk if batch else None, progress=progress
    )
    return importer.run(sources)


def _store(name: str, content: bytes | IO[bytes] | Iterable[bytes]) -> Path:
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name).name)[-80:]
    path = folder / f"{uuid.uuid4().hex}-{safe}"
    with path.open("wb") as out:
        if isinstance(content, bytes):
            out.write(content)
        elif hasattr(content, "read"):
            while chunk := content.read(1 << 20):
                out.write(chunk)
        else:
            for chunk in content:
                out.write(chunk)
    return path


def batch_create(
    *, owner: User, uploads: Sequence[tuple[str, bytes | IO[bytes] | Iterable[bytes]]]
) -> ImportBatch:
    """Keep the uploaded files and preview them. A file Kring cannot read raises
    :class:`ImportFileError` and nothing is kept."""
    if not uploads:
        raise ImportFileError("", "choose at least one file")
    stored: list[tuple[str, Path]] = []
    try:
        for name, content in uploads:
            stored.append((name, _store(name, content)))
        sources = sources_for(owner, stored)
        report = import_preview(owner=owner, sources=sources)
    except BaseException:
        for _name, path in stored:
            path.unlink(missing_ok=True)
        raise
    batch = ImportBatch(
        owner=owner,
        files=[
            {"name": name, "stored": str(path), "size": path.stat().st_size}
            for name, path in stored
        ],
        preview=report.as_dict(),
    )
    batch.full_clean()
    batch.save()
    return batch


def _check_own(actor: User, obj: Any) -> None:
    if obj.owner_id != actor.pk:
        raise NotFound(obj._meta.model_name, obj.pk)


def batch_queue(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Mark a previewed batch as waiting for the background worker."""
    _check_own(actor, batch)
    if batch.status != ImportBatch.Status.PREVIEWED:
        return batch
    batch.status = ImportBatch.Status.QUEUED
    batch.save(update_fields=["status"])
    return batch


# Files larger than this (in bytes, together) are imported by the background worker.
BACKGROUND_BYTES = 1024 * 1024


def batch_confirm(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Import a previewed batch: at once, or (files larger than ``BACKGROUND_BYTES``, or the
    ``KRING_IMPORT_BACKGROUND_BYTES`` setting) by the background worker, the batch queued."""
    _check_own(actor, batch)
    size = sum(int(f.get("size", 0)) for f in batch.files)
    limit = getattr(settings, "KRING_IMPORT_BACKGROUND_BYTES", BACKGROUND_BYTES)
    if batch.status == ImportBatch.Status.PREVIEWED and size > limit:
        from kring.imports.tasks import import_batch_task  # the task imports these actions

        batch_queue(actor=actor, batch=batch)
        import_batch_task.enqueue(batch.pk)
        return batch
    return batch_commit(actor=actor, batch=batch)


def progress_path(batch: ImportBatch) -> Path:
    # Progress goes to a small file, not the database: the import's own transaction holds
    # the write lock (SQLite) and hides its rows until it commits.
    return upload_dir() / f"batch-{batch.pk}.progress"


def batch_commit(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Import a previewed batch in one transaction and keep its report."""
    _check_own(actor, batch)
    if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.RUNNING):
        return batch
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    marker = progress_path(batch)
    total = int(batch.preview.get("rows_read", 0)) or 1

    def progress(done: int) -> None:
        marker.write_text(f"{done} {total}")

    try:
        sources = sources_for(actor, [(f["name"], Path(f["stored"])) for f in batch.files])
        report = import_sources(owner=actor, sources=sources, batch=batch, progress=progress)
    except (ImportFileError, OSError) as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.error = str(exc)
        batch.finished_at = clock.now()
        batch.save(update_fields=["status", "error", "finished_at"])
        return batch
    finally:
        marker.unlink(missing_ok=True)
    batch.report = report.as_dict()
    batch.status = ImportBatch.Status.DONE
    batch.finished_at = clock.now()
    batch.save(update_fields=["report", "status", "finished_at"])
    for f in batch.files:
        Path(f["stored"]).unlink(missing_ok=True)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=batch, via="import")
    return batch


@transaction.atomic
def person_merge(*, actor: User, keep: Person, duplicate: Person, via: str = "") -> Person:
    """Fold ``duplicate`` into ``keep``: every interaction, note, favour, ask, contact point
    and tag goes over, empty fields are filled, and the duplicate is removed."""
    _check_own(actor, keep)
    _check_own(actor, duplicate)
    if keep.pk == duplicate.pk:
        raise NotFound("person", duplicate.pk)
    changed: set[str] = set()
    for interaction in duplicate.interactions.all():
        interaction.people.add(keep)
        interaction.people.remove(duplicate)
        changed.add("interactions")
    for model in (IntelligenceNote, Favour, Ask):
        if model.objects.filter(person=duplicate).update(person=keep):
            changed.add(model._meta.model_name or "")
    have = set(keep.contact_points.values_list("kind", "value"))
    for point in duplicate.contact_points.all():
        if (point.kind, point.value) not in have:
            ContactPoint.objects.create(
                person=keep, kind=point.kind, value=point.value, label=point.label
            )
            changed.add("emails" if point.kind == ContactPoint.Kind.EMAIL else "phones")
    for name in ("linkedin_url", "title", "organisation", "sector", "region", "languages",
                 "birthday", "interests", "hobbies", "family_notes"):  # fmt: skip
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
            changed.add(name)
    keep.tags.add(*duplicate.tags.all())
    kept_relation = Relationship.objects.get(person=keep)
    other = Relationship.objects.filter(person=duplicate).first()
    if other is not None:
        if other.private_notes and other.private_notes not in kept_relation.private_notes:
            kept_relation.private_notes = "\n\n".join(
                p for p in (kept_relation.private_notes, other.private_notes) if p
            )
        for name in ("how_met", "introduced_by_id"):
            if not getattr(kept_relation, name) and getattr(other, name):
                setattr(kept_relation, name, getattr(other, name))
        if kept_relation.introduced_by_id == keep.pk:
            kept_relation.introduced_by_id = None
        kept_relation.save()
    Relationship.objects.filter(introduced_by=duplicate).update(introduced_by=keep)
    ImportedKey.objects.filter(person=duplicate).update(person=keep)
    MergeProposal.objects.filter(person=duplicate).exclude(duplicate=keep).update(person=keep)
    MergeProposal.objects.filter(duplicate=duplicate).exclude(person=keep).update(
        status=MergeProposal.Status.REJECTED, decided_at=clock.now()
    )
    keep.full_clean()
    keep.save()
    duplicate_id = duplicate.pk
    MergeProposal.objects.filter(person=keep, duplicate=duplicate).update(
        status=MergeProposal.Status.ACCEPTED, decided_at=clock.now()
    )
    # The accepted proposal names the duplicate; keep it as history without the row.
    MergeProposal.objects.filter(duplicate=duplicate).delete()
    duplicate.delete()
    audit_record(
        actor=actor, action=AuditEntry.Action.MERGE, instance=keep, fields=changed, via=via
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.MERGE,
        entity="person",
        entity_id=duplicate_id,
        fields=["merged_into"],
        via=via,
    )
    return keep


@transaction.atomic
def proposal_accept(*, actor: User, proposal: MergeProposal, via: str = "") -> Person:
    """Merge the proposed duplicate into the person it probably is."""
    _check_own(actor, proposal)
    if proposal.status != MergeProposal.Status.OPEN:
        return proposal.person
    return person_merge(actor=actor, keep=proposal.person, duplicate=proposal.duplicate, via=via)


@transaction.atomic
def proposal_reject(*, actor: User, proposal: MergeProposal, via: str = "") -> MergeProposal:
    """Keep the two apart; the proposal is not made again."""
    _check_own(actor, proposal)
    proposal.status = MergeProposal.Status.REJECTED
    proposal.decided_at = clock.now()
    proposal.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        instance=proposal,
        fields=["status"],
        via=via,
    )
    return proposal
