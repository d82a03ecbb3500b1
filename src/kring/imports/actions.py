"""Every write of importing: files in (preview, then one transaction), merges, their undoing,
proposals, and the people a report names that Kring did not know.

Views, the CLI and the background task call these; each checks that the batch, proposal,
merge or person is the caller's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.core.importing import ImportFileError, SourceFile, open_source
from kring.core.names import split_name
from kring.imports import messages
from kring.imports.engine import Importer, Report, fit
from kring.imports.models import ImportBatch, ImportedKey, Merge, MergeProposal
from kring.lib import clock
from kring.lib.errors import NotFound
from kring.network.models import Introduction
from kring.people import actions as people_actions
from kring.people.models import (
    Ask,
    ContactPoint,
    Favour,
    IntelligenceNote,
    Interaction,
    Organisation,
    Person,
    Relationship,
    Share,
    Tag,
)
from kring.planner.models import PlannedTouch

Progress = Callable[[int], None]
logger = logging.getLogger(__name__)

# A running import reports progress every thousand rows; this long without a sign of life
# it is dead (the worker was killed, the machine restarted).
STALLED_AFTER = dt.timedelta(minutes=15)
STALLED_AT_WORKER_START = dt.timedelta(minutes=1)
# Files of a batch that was previewed but never imported, or failed, wait this long for a
# confirmation or a retry, then they are deleted.
KEEP_FILES_FOR = dt.timedelta(days=2)


def upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def sources_for(
    owner: User, files: Iterable[tuple[str, Path]], *, now: dt.datetime | None = None
) -> list[SourceFile]:
    """The readable files among ``files`` (name shown, path on disk) for ``owner``.

    Raises :class:`ImportFileError` for the first file Kring cannot read at all.
    """
    sources: list[SourceFile] = []
    for name, path in files:
        sources += open_source(
            name,
            path,
            region=owner.country,
            me_emails=owner.addresses,
            now=now or clock.now(),
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


# A preview of files larger than the background limit reads this many rows of each file.
PREVIEW_SAMPLE_ITEMS = 2000


def _background_bytes() -> int:
    return int(getattr(settings, "KRING_IMPORT_BACKGROUND_BYTES", BACKGROUND_BYTES))


def _first_items(source: SourceFile, limit: int) -> SourceFile:
    read = source._read
    return dataclasses.replace(source, _read=lambda: itertools.islice(read(), limit))


def _lines(stored: Sequence[tuple[str, Path]]) -> int:
    count = 0
    for _name, path in stored:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                count += chunk.count(b"\n")
    return count


def batch_create(
    *,
    owner: User,
    uploads: Sequence[tuple[str, bytes | IO[bytes] | Iterable[bytes]]],
    now: dt.datetime | None = None,
) -> ImportBatch:
    """Keep the uploaded files and preview them. A file Kring cannot read raises
    :class:`ImportFileError` and nothing is kept."""
    if not uploads:
        raise ImportFileError("", "no_files")
    stored: list[tuple[str, Path]] = []
    try:
        for name, content in uploads:
            stored.append((name, _store(name, content)))
        sources = sources_for(owner, stored, now=now)
        sampled = sum(path.stat().st_size for _name, path in stored) > _background_bytes()
        if sampled:
            # A large upload is previewed from its first rows, so that no server thread
            # reads 20 MB of rows; confirming it sends the whole file to the worker.
            sources = [_first_items(source, PREVIEW_SAMPLE_ITEMS) for source in sources]
        report = import_preview(owner=owner, sources=sources)
    except BaseException:
        for _name, path in stored:
            path.unlink(missing_ok=True)
        raise
    preview = report.as_dict()
    if sampled:
        preview["sampled"] = PREVIEW_SAMPLE_ITEMS
        # For the progress bar: about one row a line.
        preview["rows_read"] = max(int(preview.get("rows_read", 0)), _lines(stored))
    batch = ImportBatch(
        owner=owner,
        files=[
            {"name": name, "stored": str(path), "size": path.stat().st_size}
            for name, path in stored
        ],
        preview=preview,
    )
    batch.full_clean()
    batch.save()
    return batch


def _check_own(actor: User, obj: Any) -> None:
    if obj.owner_id != actor.pk:
        raise NotFound(obj._meta.model_name, obj.pk)


def batch_queue(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Mark a previewed (or failed) batch as waiting for the background worker."""
    _check_own(actor, batch)
    if batch.status not in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED):
        return batch
    batch.status = ImportBatch.Status.QUEUED
    batch.error, batch.failure = "", {}
    batch.save(update_fields=["status", "error", "failure"])
    return batch


# Files larger than this (in bytes, together) are imported by the background worker.
BACKGROUND_BYTES = 1024 * 1024


def batch_confirm(*, actor: User, batch: ImportBatch, now: dt.datetime) -> ImportBatch:
    """Import a previewed batch, or try a failed one again: at once, or (files larger than
    ``BACKGROUND_BYTES``, or the ``KRING_IMPORT_BACKGROUND_BYTES`` setting) by the background
    worker, the batch queued."""
    _check_own(actor, batch)
    size = sum(int(f.get("size", 0)) for f in batch.files)
    limit = _background_bytes()
    waiting = (ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED)
    if batch.status in waiting and size > limit:
        from kring.imports.tasks import import_batch_task  # the task imports these actions

        batch_queue(actor=actor, batch=batch)
        import_batch_task.enqueue(batch.pk)
        return batch
    return batch_commit(actor=actor, batch=batch, now=now)


def progress_path(batch: ImportBatch) -> Path:
    # Progress goes to a small file, not the database: the import's own transaction holds
    # the write lock (SQLite) and hides its rows until it commits. Its time of change is the
    # import's sign of life.
    return upload_dir() / f"batch-{batch.pk}.progress"


def _files_exist(batch: ImportBatch) -> bool:
    return bool(batch.files) and all(
        f.get("stored") and Path(f["stored"]).is_file() for f in batch.files
    )


def _remove_files(batch: ImportBatch) -> None:
    for f in batch.files:
        if f.get("stored"):
            Path(f["stored"]).unlink(missing_ok=True)
    progress_path(batch).unlink(missing_ok=True)


def _fail(batch: ImportBatch, code: str, params: dict[str, Any], now: dt.datetime) -> None:
    batch.status = ImportBatch.Status.FAILED
    batch.failure = {"code": code, "params": params}
    batch.error = messages.english(code, params)
    batch.finished_at = now
    batch.save(update_fields=["status", "failure", "error", "finished_at"])


def batch_commit(*, actor: User, batch: ImportBatch, now: dt.datetime | None = None) -> ImportBatch:
    """Import a previewed (or failed, or queued) batch in one transaction and keep its report.

    Whatever stops it — a file that turns out unreadable, the database refusing a row, a
    bug — rolls the import back and leaves the batch failed with the reason, its files kept
    for a retry; a batch never stays "running".
    """
    _check_own(actor, batch)
    if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.RUNNING):
        return batch
    now = now or clock.now()
    if not _files_exist(batch):
        _fail(batch, "files_gone", {}, now)
        return batch
    batch.status = ImportBatch.Status.RUNNING
    batch.started_at = now
    batch.error, batch.failure = "", {}
    batch.save(update_fields=["status", "started_at", "error", "failure"])
    marker = progress_path(batch)
    total = int(batch.preview.get("rows_read", 0)) or 1

    def progress(done: int) -> None:
        marker.write_text(f"{done} {total}")

    progress(0)
    try:
        sources = sources_for(actor, [(f["name"], Path(f["stored"])) for f in batch.files], now=now)
        report = import_sources(owner=actor, sources=sources, batch=batch, progress=progress)
    except ImportFileError as exc:
        _fail(batch, exc.code, {**exc.params, "file": exc.file, "line": exc.line}, clock.now())
        return batch
    except DatabaseError as exc:
        logger.exception("import %s: the database refused it", batch.pk)
        detail = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        _fail(batch, "database", {"detail": detail}, clock.now())
        return batch
    except Exception as exc:
        logger.exception("import %s stopped", batch.pk)
        _fail(batch, "internal", {"detail": type(exc).__name__}, clock.now())
        return batch
    finally:
        marker.unlink(missing_ok=True)
    _remove_files(batch)
    batch.report = report.as_dict()
    batch.status = ImportBatch.Status.DONE
    batch.finished_at = clock.now()
    batch.files = [{**f, "stored": ""} for f in batch.files]  # imported: the files are gone
    batch.save(update_fields=["report", "status", "finished_at", "files"])
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=batch, via="import")
    return batch


def batches_recover(
    *,
    now: dt.datetime,
    stalled_after: dt.timedelta = STALLED_AFTER,
    owner: User | None = None,
) -> int:
    """Mark imports that died as failed (their files kept, to retry), and delete the files
    of batches nobody confirmed or retried for :data:`KEEP_FILES_FOR`. Returns how many
    imports were marked failed.

    A running import shows it is alive by its progress file; one without a sign of life
    for ``stalled_after`` is dead. The worker calls this when it starts (with a short
    ``stalled_after``: what was running before it started is dead), the import pages when
    they are opened.
    """
    batches = ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING)
    if owner is not None:
        batches = batches.filter(owner=owner)
    failed = 0
    for batch in batches:
        marker = progress_path(batch)
        try:
            alive = dt.datetime.fromtimestamp(marker.stat().st_mtime, tz=dt.UTC)
        except OSError:
            alive = batch.started_at or batch.created_at
        if now - alive > stalled_after:
            marker.unlink(missing_ok=True)
            _fail(batch, "interrupted", {}, now)
            failed += 1
    waiting = ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED],
        created_at__lt=now - KEEP_FILES_FOR,
    )
    if owner is not None:
        waiting = waiting.filter(owner=owner)
    for batch in waiting.exclude(files=[]):
        if batch.finished_at and now - batch.finished_at < KEEP_FILES_FOR:
            continue
        _remove_files(batch)
        batch.files = [{**f, "stored": ""} for f in batch.files]
        batch.save(update_fields=["files"])
    return failed


# -- merging two people, and undoing merges -----------------------------------------------------

_MERGE_FIELDS = ("linkedin_url", "title", "organisation_id", "sector", "region", "languages",
                 "birthday", "interests", "hobbies", "family_notes")  # fmt: skip
_PERSON_COPY = [
    f.attname
    for f in Person._meta.concrete_fields
    if f.name not in {"id", "owner", "sort_name", "created_at", "updated_at"}
]
_RELATIONSHIP_COPY = ["tier", "how_met", "introduced_by_id", "private_notes", "snoozed_until",
                      "dont_contact_before", "stars"]  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _value(model: type[models.Model], attname: str, raw: Any) -> Any:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return None if raw is None else field.to_python(raw)


@transaction.atomic
def person_merge(
    *,
    actor: User,
    keep: Person,
    duplicate: Person,
    via: str = "",
    batch: ImportBatch | None = None,
) -> Person:
    """Fold ``duplicate`` into ``keep``: every interaction, note, favour, ask, contact point,
    tag, introduction and planned touch goes over, empty fields are filled, and the
    duplicate is removed. What it changed is kept as a :class:`Merge`, to undo it."""
    _check_own(actor, keep)
    _check_own(actor, duplicate)
    if keep.pk == duplicate.pk:
        raise NotFound("person", duplicate.pk)
    now = clock.now()
    changed: set[str] = set()
    kept_relation = Relationship.objects.get(person=keep)
    other = Relationship.objects.filter(person=duplicate).first()
    snapshot: dict[str, Any] = {
        "duplicate": {
            "id": duplicate.pk,
            "created_at": _plain(duplicate.created_at),
            **{name: _plain(getattr(duplicate, name)) for name in _PERSON_COPY},
        },
        "relationship": (
            {name: _plain(getattr(other, name)) for name in _RELATIONSHIP_COPY}
            | {"shares": [[s.workspace_id, s.level] for s in other.shares.all()]}
            if other is not None
            else None
        ),
        "points": [],
        "tags": list(duplicate.tags.values_list("id", flat=True)),
    }
    keep_interactions = set(keep.interactions.values_list("id", flat=True))
    moved_interactions = []
    for interaction in duplicate.interactions.all():
        moved_interactions.append([interaction.pk, interaction.pk in keep_interactions])
        interaction.people.add(keep)
        interaction.people.remove(duplicate)
        changed.add("interactions")
    snapshot["interactions"] = moved_interactions
    for name, model in (("notes", IntelligenceNote), ("favours", Favour), ("asks", Ask)):
        rows = model.objects.filter(person=duplicate)
        snapshot[name] = list(rows.values_list("id", flat=True))
        if rows.update(person=keep):
            changed.add(model._meta.model_name or "")
    have = set(keep.contact_points.values_list("kind", "value"))
    for point in duplicate.contact_points.all():
        added = (point.kind, point.value) not in have
        snapshot["points"].append([point.kind, point.value, point.label, added])
        if added:
            ContactPoint.objects.create(
                person=keep, kind=point.kind, value=point.value, label=point.label
            )
            changed.add("emails" if point.kind == ContactPoint.Kind.EMAIL else "phones")
    filled = {}
    for name in _MERGE_FIELDS:
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
            filled[name] = _plain(getattr(duplicate, name))
            changed.add(name.removesuffix("_id"))
    snapshot["filled"] = filled
    keep_tags = set(keep.tags.values_list("id", flat=True))
    snapshot["tags_added"] = [t for t in snapshot["tags"] if t not in keep_tags]
    keep.tags.add(*snapshot["tags_added"])
    relationship_filled: dict[str, Any] = {}
    if other is not None:
        if other.private_notes and other.private_notes not in kept_relation.private_notes:
            relationship_filled["private_notes"] = other.private_notes
            kept_relation.private_notes = "\n\n".join(
                p for p in (kept_relation.private_notes, other.private_notes) if p
            )
        for name in ("how_met", "introduced_by_id"):
            if not getattr(kept_relation, name) and getattr(other, name):
                setattr(kept_relation, name, getattr(other, name))
                relationship_filled[name] = getattr(other, name)
        if kept_relation.introduced_by_id == keep.pk:
            kept_relation.introduced_by_id = None
        kept_relation.save()
    snapshot["relationship_filled"] = relationship_filled

    def move(queryset: models.QuerySet[Any], **values: Any) -> list[int]:
        ids = list(queryset.values_list("id", flat=True))
        queryset.model.objects.filter(id__in=ids).update(**values)
        return ids

    snapshot["introduced"] = move(Relationship.objects.filter(introduced_by=duplicate),
                                  introduced_by=keep)  # fmt: skip
    snapshot["keys"] = move(ImportedKey.objects.filter(person=duplicate), person=keep)
    snapshot["introductions"] = move(Introduction.objects.filter(target=duplicate), target=keep)
    busy_weeks = set(PlannedTouch.objects.filter(person=keep).values_list("week", flat=True))
    snapshot["touches"] = move(
        PlannedTouch.objects.filter(person=duplicate).exclude(week__in=busy_weeks), person=keep
    )
    snapshot["merges"] = move(Merge.objects.filter(person=duplicate), person=keep)
    snapshot["proposals_moved"] = move(
        MergeProposal.objects.filter(person=duplicate).exclude(duplicate=keep), person=keep
    )
    # Other proposals for the duplicate end with it; undoing the merge opens them again.
    snapshot["proposals_gone"] = [
        [p.person_id, p.score, p.batch_id]
        for p in MergeProposal.objects.filter(
            duplicate=duplicate, status=MergeProposal.Status.OPEN
        ).exclude(person=keep)
    ]
    keep.full_clean()
    keep.save()
    duplicate_id = duplicate.pk
    MergeProposal.objects.filter(person=keep, duplicate=duplicate).update(
        status=MergeProposal.Status.ACCEPTED, decided_at=now
    )
    # The accepted proposal names the duplicate; keep it as history without the row.
    MergeProposal.objects.filter(duplicate=duplicate).delete()
    name = duplicate.full_name
    duplicate.delete()
    Merge.objects.create(
        owner=actor,
        person=keep,
        batch=batch,
        kind=Merge.Kind.PEOPLE,
        name=fit(Merge, "name", name),
        changes=snapshot,
    )
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
    return person_merge(
        actor=actor,
        keep=proposal.person,
        duplicate=proposal.duplicate,
        via=via,
        batch=proposal.batch,
    )


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


def _keep_apart(owner: User, person: Person, other: Person, now: dt.datetime) -> None:
    MergeProposal.objects.update_or_create(
        person=person,
        duplicate=other,
        defaults={
            "owner": owner,
            "score": 0,
            "status": MergeProposal.Status.REJECTED,
            "decided_at": now,
        },
    )


def _unfill(person: Person, filled: dict[str, Any]) -> list[str]:
    """Empty again the fields a merge filled, where they still hold what it put there."""
    cleared = []
    for attname, value in filled.items():
        current = getattr(person, attname)
        if _plain(current) == value:
            default = None if attname in {"birthday", "organisation_id"} else ""
            setattr(person, attname, default)
            cleared.append(attname)
    return cleared


def _points(person: Person, points: Iterable[Sequence[Any]]) -> None:
    ContactPoint.objects.bulk_create(
        [
            ContactPoint(
                person=person,
                kind=p[0],
                value=fit(ContactPoint, "value", p[1]),
                label=fit(ContactPoint, "label", p[2] if len(p) > 2 else ""),
            )
            for p in points
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def merge_undo(
    *, actor: User, merge: Merge, via: str = "", now: dt.datetime | None = None
) -> Person:
    """Make the two of a merge two again; returns the one brought back.

    An imported record folded into someone becomes a person of its own with what it brought
    (its addresses, numbers, connection date and import key, so that importing the file
    again finds it and changes nothing); two people made one are separated as they were,
    with their own interactions, notes, favours and asks. The fields the merge filled are
    emptied again where nobody changed them since. The pair is kept apart from then on.
    """
    _check_own(actor, merge)
    if merge.undone_at is not None:
        raise NotFound("merge", merge.pk)
    now = now or clock.now()
    keep = Person.objects.select_for_update().get(pk=merge.person_id)
    changes = merge.changes
    if merge.kind == Merge.Kind.IMPORT:
        other = _undo_import(actor, keep, changes, via)
    else:
        other = _undo_people(actor, keep, changes)
    cleared = _unfill(keep, changes.get("filled", {}))
    if cleared:
        keep.save()
    _keep_apart(actor, keep, other, now)
    merge.undone_at = now
    merge.save(update_fields=["undone_at"])
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, instance=other, via=via,
                 fields=["merge undone"])  # fmt: skip
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, instance=keep, via=via,
                 fields=["merge undone", *cleared])  # fmt: skip
    return other


def _undo_import(actor: User, keep: Person, changes: dict[str, Any], via: str) -> Person:
    record = changes["record"]
    person = people_actions.person_create(
        owner=actor,
        given_name=record["given_name"],
        particles=record["particles"],
        surname=record["surname"],
        organisation_name=record["organisation"],
        private_notes=record["note"],
        linkedin_url=record["linkedin_url"],
        title=record["title"],
        birthday=_value(Person, "birthday", record["birthday"]),
        via=via,
    )
    _points(person, [["email", *e] for e in record["emails"]]
            + [["phone", *p] for p in record["phones"]])  # fmt: skip
    added = [tuple(p) for p in changes.get("points", [])]
    for kind, value in added:
        ContactPoint.objects.filter(person=keep, kind=kind, value=value).delete()
    ImportedKey.objects.filter(owner=actor, key__in=changes.get("keys", []), person=keep).update(
        person=person
    )
    for interaction in Interaction.objects.filter(
        owner=actor, pk__in=changes.get("interactions", [])
    ):
        interaction.people.remove(keep)
        interaction.people.add(person)
    return person


def _undo_people(actor: User, keep: Person, changes: dict[str, Any]) -> Person:
    data = changes["duplicate"]
    old_id = data["id"]
    person = Person(owner=actor)
    if not Person.objects.filter(pk=old_id).exists():
        person.pk = old_id  # back under its own id: the audit log and links name it so
    for attname in _PERSON_COPY:
        if attname in data:
            setattr(person, attname, _value(Person, attname, data[attname]))
    if (
        person.organisation_id
        and not Organisation.objects.filter(pk=person.organisation_id, owner=actor).exists()
    ):
        person.organisation_id = None
    person.save(force_insert=True)
    if data.get("created_at"):
        Person.objects.filter(pk=person.pk).update(
            created_at=_value(Person, "created_at", data["created_at"])
        )
    relation = changes.get("relationship") or {}
    relationship = Relationship(owner=actor, person=person)
    for name in _RELATIONSHIP_COPY:
        if name in relation:
            setattr(relationship, name, _value(Relationship, name, relation[name]))
    if (
        relationship.introduced_by_id
        and not Person.objects.filter(pk=relationship.introduced_by_id, owner=actor).exists()
    ):
        relationship.introduced_by_id = None
    relationship.save()
    for workspace_id, level in relation.get("shares", []):
        Share.objects.get_or_create(relationship=relationship, workspace_id=workspace_id,
                                    defaults={"level": level})  # fmt: skip
    _points(person, [p[:3] for p in changes.get("points", [])])
    for kind, value, _label, added in changes.get("points", []):
        if added:
            ContactPoint.objects.filter(person=keep, kind=kind, value=value).delete()
    person.tags.set(Tag.objects.filter(owner=actor, pk__in=changes.get("tags", [])))
    keep.tags.remove(*Tag.objects.filter(owner=actor, pk__in=changes.get("tags_added", [])))
    for interaction_id, keep_was_in in changes.get("interactions", []):
        interaction = Interaction.objects.filter(owner=actor, pk=interaction_id).first()
        if interaction is None:
            continue
        interaction.people.add(person)
        if not keep_was_in:
            interaction.people.remove(keep)
    for name, model in (("notes", IntelligenceNote), ("favours", Favour), ("asks", Ask)):
        model.objects.filter(pk__in=changes.get(name, []), person=keep).update(person=person)
    Relationship.objects.filter(pk__in=changes.get("introduced", []), introduced_by=keep).update(
        introduced_by=person
    )
    ImportedKey.objects.filter(pk__in=changes.get("keys", []), person=keep).update(person=person)
    Introduction.objects.filter(pk__in=changes.get("introductions", []), target=keep).update(
        target=person
    )
    PlannedTouch.objects.filter(pk__in=changes.get("touches", []), person=keep).update(
        person=person
    )
    Merge.objects.filter(pk__in=changes.get("merges", []), person=keep).update(person=person)
    MergeProposal.objects.filter(pk__in=changes.get("proposals_moved", []), person=keep).update(
        person=person
    )
    for person_id, score, batch_id in changes.get("proposals_gone", []):
        if Person.objects.filter(pk=person_id, owner=actor).exists():
            MergeProposal.objects.get_or_create(
                person_id=person_id,
                duplicate=person,
                defaults={"owner": actor, "score": score, "batch_id": batch_id},
            )
    kept_relation = Relationship.objects.get(person=keep)
    filled = changes.get("relationship_filled", {})
    appended = filled.get("private_notes", "")
    if appended and kept_relation.private_notes.endswith(appended):
        kept_relation.private_notes = kept_relation.private_notes[: -len(appended)].rstrip("\n")
    for name in ("how_met", "introduced_by_id"):
        if name in filled and getattr(kept_relation, name) == filled[name]:
            setattr(kept_relation, name, None if name.endswith("_id") else "")
    kept_relation.save()
    return person


# -- people a report names that Kring did not know ----------------------------------------------


def _name_of(entry: dict[str, Any]) -> tuple[str, str, str]:
    if entry.get("name"):
        return tuple(split_name(entry["name"]))  # type: ignore[return-value]
    local = (entry.get("email") or entry.get("linkedin_url") or "?").split("@")[0]
    words = [w.capitalize() for w in local.replace("_", ".").replace("-", ".").split(".") if w]
    return tuple(split_name(" ".join(words) or local))  # type: ignore[return-value]


@transaction.atomic
def batch_add_people(
    *, actor: User, batch: ImportBatch, keys: Sequence[str], via: str = ""
) -> list[Person]:
    """Add the people a batch's report lists as unknown (by their report keys), with the
    meetings and messages they were in: added to those that were imported, and those that
    were left out for want of anyone known are made now."""
    _check_own(actor, batch)
    report = batch.report or {}
    unknown = {u["key"]: u for u in report.get("unknown", [])}
    events = report.get("events", {})
    added: list[Person] = []
    for key in dict.fromkeys(keys):
        entry = unknown.get(key)
        if entry is None or entry.get("person"):
            continue
        person = _existing(actor, entry)
        if person is None:
            given, particles, surname = _name_of(entry)
            url_field = Person._meta.get_field("linkedin_url")
            assert isinstance(url_field, models.Field)
            try:
                url = url_field.clean(entry.get("linkedin_url", ""), None)
            except ValidationError:
                url = ""  # a profile address that is none: the person comes without it
            person = people_actions.person_create(
                owner=actor,
                given_name=fit(Person, "given_name", given) or "?",
                particles=fit(Person, "particles", particles),
                surname=fit(Person, "surname", surname),
                emails=[entry["email"]] if entry.get("email") else [],
                linkedin_url=url,
                via=via,
            )
        for event_key in entry.get("events", []):
            imported = (
                ImportedKey.objects.filter(owner=actor, key=event_key, interaction__isnull=False)
                .select_related("interaction")
                .first()
            )
            if imported is not None and imported.interaction is not None:
                imported.interaction.people.add(person)
                continue
            event = events.get(event_key)
            if event is None:
                continue
            interaction = people_actions.interaction_log(
                owner=actor,
                people=[person],
                occurred_at=dt.datetime.fromisoformat(event["at"]),
                channel=event["channel"],
                minutes=event["minutes"],
                initiated_by=event["initiated_by"],
                answered=event["answered"],
                summary=event["summary"],
                via=via,
            )
            ImportedKey.objects.get_or_create(
                owner=actor, key=event_key, defaults={"interaction": interaction}
            )
        entry["person"] = person.pk
        added.append(person)
    batch.report = report
    batch.save(update_fields=["report"])
    return added


def _existing(actor: User, entry: dict[str, Any]) -> Person | None:
    """Someone the user has by now (added by hand, or from another report) with this
    address or profile: they are used, not made twice."""
    if entry.get("email"):
        point = (
            ContactPoint.objects.filter(
                person__owner=actor, kind=ContactPoint.Kind.EMAIL, value__iexact=entry["email"]
            )
            .select_related("person")
            .first()
        )
        if point is not None:
            return point.person
    if entry.get("linkedin_url"):
        return Person.objects.filter(owner=actor, linkedin_url=entry["linkedin_url"]).first()
    return None
