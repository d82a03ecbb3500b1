"""The import page (upload, preview, confirm, progress), merge proposals and export."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from kring.core.importing import ImportFileError
from kring.imports import actions, queries
from kring.imports import messages as texts
from kring.imports.backup import account_as_dict
from kring.imports.export import people_as_csv, people_as_vcards
from kring.imports.models import ImportBatch
from kring.lib import clock
from kring.lib.views import current_user, is_htmx
from kring.people.queries import people_search

FORMAT_NAMES = {
    "linkedin_connections": gettext_lazy("LinkedIn connections"),
    "linkedin_messages": gettext_lazy("LinkedIn messages"),
    "linkedin_invitations": gettext_lazy("LinkedIn invitations"),
    "vcard": gettext_lazy("vCard contacts"),
    "google": gettext_lazy("Google Contacts CSV"),
    "google_legacy": gettext_lazy("Google Contacts CSV (older layout)"),
    "outlook": gettext_lazy("Outlook CSV"),
    "ical": gettext_lazy("iCalendar meetings"),
    "unreadable": gettext_lazy("not read"),
}
DECISIONS = {
    "new": gettext_lazy("new"),
    "merged": gettext_lazy("merged"),
    "unchanged": gettext_lazy("already known"),
    "proposed": gettext_lazy("probably known: proposal"),
    "skipped": gettext_lazy("skipped"),
    "organisation": gettext_lazy("new organisation"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    upload = MultipleFileField(
        label=gettext_lazy("Files"),
        help_text=gettext_lazy(
            "Your LinkedIn data export (the ZIP or Connections.csv, messages.csv, "
            "Invitations.csv), vCard files from your phone, Google or Outlook CSV, calendar "
            ".ics files."
        ),
    )


def _decorated(report: dict[str, Any]) -> dict[str, Any]:
    """A report as the page shows it: format names, decisions and problems in the reader's
    language."""
    files = [
        {
            **f,
            "format_name": FORMAT_NAMES.get(f["format"], f["format"]),
            "rows": [
                {
                    **r,
                    "decision_name": DECISIONS.get(r["decision"], ""),
                    "detail": _problem_line(r["problem"]) if r.get("problem") else r.get("detail"),
                }
                for r in f["rows"]
            ],
        }
        for f in report.get("files", [])
    ]
    problems = [{**p, "text": texts.problem(p)} for p in report.get("problems", [])]
    return {**report, "files": files, "problems": problems}


def _problem_line(p: dict[str, Any]) -> str:
    return f"{p['file']}, {p['line']}, {p['field']}: {texts.problem(p)}"


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    actions.batches_recover(owner=user, now=clock.now())
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = [(f.name, f.chunks()) for f in form.cleaned_data["upload"]]
        try:
            batch = actions.batch_create(owner=user, uploads=uploads, now=clock.now())
        except ImportFileError as exc:
            form.add_error(
                "upload",
                _("%(problem)s. Nothing was imported.") % {"problem": texts.file_error(exc)},
            )
        else:
            return redirect("import_batch", batch_id=batch.pk)
    return render(
        request,
        "imports/import.html",
        {
            "form": form,
            "batches": queries.batches_for(user)[:10],
            "proposals": queries.open_proposals_for(user).count(),
        },
    )


def _progress(batch: ImportBatch) -> tuple[int, int]:
    total = int(batch.preview.get("rows_read", 0)) or 1
    marker = actions.progress_path(batch)
    try:
        done = int(marker.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        done = total if batch.status == ImportBatch.Status.DONE else 0
    return done, total


@login_required
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = current_user(request)
    actions.batches_recover(owner=user, now=clock.now())
    batch = queries.access_batch_by_id(user, batch_id)
    done, total = _progress(batch)
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "preview": _decorated(batch.preview),
            "report": _decorated(batch.report) if batch.report else None,
            "done": done,
            "total": total,
            "percent": min(100, round(100 * done / total)),
            "open_proposals": queries.open_proposals_of_batch(user, batch),
            "failure": texts.failure(batch.failure) or batch.error,
            "unknown": [u for u in (batch.report or {}).get("unknown", []) if not u.get("person")],
            "can_retry": batch.status == ImportBatch.Status.FAILED
            and any(f.get("stored") for f in batch.files),
        },
    )


@login_required
@require_POST
def batch_confirm(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Import a previewed batch, or try a failed one again: large ones in the worker."""
    user = current_user(request)
    batch = actions.batch_confirm(
        actor=user, batch=queries.access_batch_by_id(user, batch_id), now=clock.now()
    )
    if batch.status == ImportBatch.Status.DONE:
        messages.success(request, _("Imported."))
    return redirect("import_batch", batch_id=batch.pk)


@login_required
@require_POST
def batch_add_people(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Add the people the report lists as unknown, with their meetings and messages."""
    user = current_user(request)
    batch = queries.access_batch_by_id(user, batch_id)
    added = actions.batch_add_people(
        actor=user, batch=batch, keys=request.POST.getlist("person"), via="web"
    )
    messages.success(
        request,
        ngettext(
            "%(count)d person added, with their meetings and messages.",
            "%(count)d people added, with their meetings and messages.",
            len(added),
        )
        % {"count": len(added)},
    )
    return redirect("import_batch", batch_id=batch.pk)


@login_required
@require_POST
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    """Undo a merge from the person's page: the two are two again, and kept apart."""
    user = current_user(request)
    merge = queries.access_merge_by_id(user, merge_id)
    other = actions.merge_undo(actor=user, merge=merge, via="web", now=clock.now())
    messages.success(
        request,
        _("%(name)s is a person of their own again; Kring keeps the two apart.")
        % {"name": other.full_name},
    )
    return redirect("person", person_id=other.pk)


@login_required
def batch_progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = current_user(request)
    batch = queries.access_batch_by_id(user, batch_id)
    done, total = _progress(batch)
    response = render(
        request,
        "imports/_progress.html",
        {
            "batch": batch,
            "done": done,
            "total": total,
            "percent": min(100, round(100 * done / total)),
        },
    )
    if is_htmx(request) and batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(
        request, "imports/proposals.html", {"proposals": queries.open_proposals_for(user)[:200]}
    )


@login_required
def proposal_page(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = current_user(request)
    proposal = queries.access_proposal_by_id(user, proposal_id)
    return render(
        request,
        "imports/proposal.html",
        {
            "proposal": proposal,
            "sides": queries.proposal_sides(user, proposal),
        },
    )


@login_required
@require_POST
def proposal_accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = current_user(request)
    proposal = queries.access_proposal_by_id(user, proposal_id)
    person = actions.proposal_accept(actor=user, proposal=proposal, via="web")
    messages.success(request, _("Merged into %(name)s.") % {"name": person.full_name})
    return redirect("proposals")


@login_required
@require_POST
def proposal_reject(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = current_user(request)
    proposal = queries.access_proposal_by_id(user, proposal_id)
    actions.proposal_reject(actor=user, proposal=proposal, via="web")
    messages.success(request, _("Kept apart."))
    return redirect("proposals")


def _selection(request: HttpRequest) -> Any:
    user = current_user(request)
    return people_search(user, q=request.GET.get("q", ""), tier=request.GET.get("tier", ""))


@login_required
def export_vcard(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        people_as_vcards(_selection(request)), content_type="text/vcard; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="kring-contacts.vcf"'
    return response


@login_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        people_as_csv(_selection(request), clock.zone_of(current_user(request))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="kring-contacts.csv"'
    return response


@login_required
def export_backup(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    text = json.dumps(account_as_dict(user), ensure_ascii=False, indent=2)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kring-backup.json"'
    return response
