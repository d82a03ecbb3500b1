"""Imports in the API: upload files for a preview, confirm, follow a batch; merge proposals
accepted or rejected. The same actions and ``access_*`` reads as the pages: another user's
batch or proposal answers 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Router, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from kring.core.importing import ImportFileError
from kring.imports import actions, queries
from kring.imports import schemas as s
from kring.imports.models import ImportBatch, MergeProposal
from kring.lib import clock
from kring.lib.api import FAILS, api_user
from kring.people.models import Person
from kring.people.queries import person_emails, person_phones

imports = Router(tags=["imports"])


def _batch_out(batch: ImportBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "status": batch.status,
        # Where the files wait on the server stays there.
        "files": [{"name": f["name"], "size": int(f.get("size", 0))} for f in batch.files],
        "created_at": batch.created_at,
        "finished_at": batch.finished_at,
        "error": batch.error,
    }


def _batch_detail(batch: ImportBatch) -> dict[str, Any]:
    return {
        **_batch_out(batch),
        "preview": batch.preview,
        "report": batch.report,
        "open_proposals": queries.open_proposal_count(batch),
    }


def _side_out(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "organisation": person.organisation.name if person.organisation else None,
        "emails": person_emails(person),
        "phones": person_phones(person),
    }


def _proposal_out(proposal: MergeProposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "batch_id": proposal.batch_id,
        "person": _side_out(proposal.person),
        "duplicate": _side_out(proposal.duplicate),
        "score": proposal.score,
        "status": proposal.status,
        "created_at": proposal.created_at,
        "decided_at": proposal.decided_at,
    }


@imports.get("/imports", response=list[s.BatchOut])
@paginate(LimitOffsetPagination)
def list_batches(request: HttpRequest) -> list[dict[str, Any]]:
    """My imports, the latest first."""
    return [_batch_out(b) for b in queries.batches_for(api_user(request))]


@imports.post("/imports", response={201: s.BatchDetailOut, **FAILS})
def upload(request: HttpRequest, files: File[list[UploadedFile]]) -> Status:
    """Upload files (multipart, field ``files``: a LinkedIn ZIP or its CSVs, vCard, Google or
    Outlook CSV, iCalendar) for a preview; nothing is imported until it is confirmed. A file
    Kring cannot read is refused (422, ``files``) and nothing is kept."""
    user = api_user(request)
    try:
        batch = actions.batch_create(
            owner=user, uploads=[(f.name or "", f.chunks()) for f in files]
        )
    except ImportFileError as exc:
        raise ValidationError({"files": [str(exc)]}) from None
    return Status(201, _batch_detail(batch))


@imports.get("/imports/{batch_id}", response={200: s.BatchDetailOut, **FAILS})
def get_batch(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    """A batch: its preview, and its report once imported."""
    return _batch_detail(queries.access_batch_by_id(api_user(request), batch_id))


@imports.post(
    "/imports/{batch_id}/confirm", response={200: s.BatchDetailOut, 202: s.BatchDetailOut, **FAILS}
)
def confirm_batch(request: HttpRequest, batch_id: int) -> Status:
    """Import a previewed batch in one transaction: 200 with the report, or 202 when the
    files are large and the worker imports them (``status`` says how far it is)."""
    user = api_user(request)
    batch = actions.batch_confirm(
        actor=user, batch=queries.access_batch_by_id(user, batch_id), now=clock.now()
    )
    queued = batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    return Status(202 if queued else 200, _batch_detail(batch))


@imports.get("/merge-proposals", response=list[s.MergeProposalOut])
@paginate(LimitOffsetPagination)
def list_merge_proposals(request: HttpRequest) -> list[dict[str, Any]]:
    """Two people in my file who are probably one, the likeliest first."""
    return [_proposal_out(p) for p in queries.merge_proposals_for(api_user(request))]


@imports.get("/merge-proposals/{merge_proposal_id}", response={200: s.MergeProposalOut, **FAILS})
def get_merge_proposal(request: HttpRequest, merge_proposal_id: int) -> dict[str, Any]:
    return _proposal_out(queries.access_proposal_by_id(api_user(request), merge_proposal_id))


@imports.post("/merge-proposals/{merge_proposal_id}/accept", response={200: s.MergedOut, **FAILS})
def accept_merge_proposal(request: HttpRequest, merge_proposal_id: int) -> dict[str, Any]:
    """Fold the duplicate into the known person: every interaction, note, favour, ask,
    contact point and tag goes over."""
    user = api_user(request)
    proposal = queries.access_proposal_by_id(user, merge_proposal_id)
    person = actions.proposal_accept(actor=user, proposal=proposal, via="api")
    return {"person": _side_out(person)}


@imports.post(
    "/merge-proposals/{merge_proposal_id}/reject", response={200: s.MergeProposalOut, **FAILS}
)
def reject_merge_proposal(request: HttpRequest, merge_proposal_id: int) -> dict[str, Any]:
    """Keep the two apart; the proposal is not made again."""
    user = api_user(request)
    proposal = queries.access_proposal_by_id(user, merge_proposal_id)
    return _proposal_out(actions.proposal_reject(actor=user, proposal=proposal, via="api"))


routers = [imports]
