"""The imports' API shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class FileOut(Schema):
    name: str
    size: int  # bytes


class BatchOut(Schema):
    id: int
    status: str  # previewed, queued, running, done or failed
    files: list[FileOut]
    created_at: dt.datetime
    finished_at: dt.datetime | None
    error: str


class BatchDetailOut(BatchOut):
    # Kring's reading of the files: counts, warnings, problems with file and line, and the
    # first rows per file with what importing does with each ("new", "merged", ...).
    preview: dict[str, Any]
    report: dict[str, Any]  # the same for the import itself, once it ran ({} before)
    open_proposals: int


class PersonSideOut(Schema):
    id: int
    full_name: str
    organisation: str | None
    emails: list[str]
    phones: list[str]


class MergeProposalOut(Schema):
    id: int
    batch_id: int | None
    person: PersonSideOut  # the one already known: it stays
    duplicate: PersonSideOut  # the one an import brought: it is folded into the other
    score: float
    status: str  # open, accepted or rejected
    created_at: dt.datetime
    decided_at: dt.datetime | None


class MergedOut(Schema):
    person: PersonSideOut  # who is left, with everything of both
