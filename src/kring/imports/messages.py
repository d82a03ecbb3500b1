"""What an import says, in the reader's language: the core's problem codes translated.

The core (:mod:`kring.core.importing`) names each problem by a code with parameters; here each
code has its text through gettext. A report keeps codes and parameters, not sentences, so the
page says them in whichever language its reader has.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kring.core.importing import ImportFileError

TEXTS: dict[str, Promise] = {
    # A whole file, or a part of it.
    "empty_file": _("the file is empty"),
    "binary_file": _("a binary file, not contacts, messages or a calendar"),
    "unknown_format": _(
        "not a format Kring knows: expected a LinkedIn, Google or Outlook CSV, a vCard (.vcf) "
        "or an iCalendar (.ics) file"
    ),
    "damaged_zip": _("a damaged ZIP file (%(detail)s)"),
    "zip_without_contacts": _(
        "a ZIP without Connections.csv, messages.csv, Invitations.csv, .vcf or .ics"
    ),
    "zip_too_large": _(
        "a ZIP that would unpack to %(size)s MB; Kring reads at most %(max)s MB from one"
    ),
    "zip_bomb": _(
        "a ZIP compressed %(ratio)s times, far more than any real export: refused unread"
    ),
    "no_header": _("no header row Kring knows (not a contacts CSV)"),
    "unclosed_quote": _(
        "a quote opened on line %(start)s is never closed: the field runs on to line %(end)s"
    ),
    "field_count": _(
        "%(found)s fields where the header has %(expected)s: a quote that is not closed, or "
        "the separator inside a field without quotes"
    ),
    "unreadable_csv": _("unreadable CSV (%(detail)s)"),
    "unreadable_calendar": _("no calendar in this part of the file (%(detail)s)"),
    "unreadable_file": _("Kring could not read this file (%(detail)s)"),
    # One row, card or event.
    "no_name": _("no name at all"),
    "bad_email": _("“%(value)s” is not an e-mail address"),
    "bad_phone": _("“%(value)s” is not a phone number"),
    "bad_date": _("“%(value)s” is not a date"),
    "impossible_date": _("“%(value)s” is an impossible date"),
    "not_linkedin": _("“%(value)s” is not a LinkedIn profile address"),
    "cut": _("cut to %(limit)s characters"),
    "no_end": _("the card has no end"),
    "bad_property": _("left out: %(detail)s"),
    "unreadable_card": _("unreadable card (%(detail)s)"),
    "unreadable_event": _("unreadable event (%(detail)s)"),
    "no_start": _("the event has no start"),
    "future": _("the meeting is still to come"),
    "unknown_people": _("nobody known as %(who)s"),
    "recurrence_cut": _(
        "a recurring event: only its %(kept)s most recent occurrences are imported"
    ),
    "recurrence_unreadable": _(
        "the recurrence rule cannot be read; only the first meeting is imported"
    ),
    "unknown_timezone": _("time zone “%(tzid)s” unknown: read as %(used)s"),
    # What stops a whole import.
    "database": _("the database refused the import (%(detail)s)"),
    "interrupted": _(
        "the import stopped before it ended (the worker was stopped, or it ran too long)"
    ),
    "files_gone": _("the uploaded files are no longer kept: upload them again"),
    "internal": _("an unexpected error stopped the import (%(detail)s)"),
    "no_files": _("choose at least one file"),
}


def text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The text of a code in the active language, its parameters filled in."""
    if code == "refused":  # the model's own message, translated when it was made
        return str((params or {}).get("detail", ""))
    template = TEXTS.get(code)
    if template is None:
        return code
    translated = str(template)  # the lazy text, in the active language
    try:
        return translated % dict(params) if params else translated
    except (KeyError, TypeError, ValueError):
        return translated


def english(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The text in English (for the log and for the terminal)."""
    with translation.override("en"):
        return text(code, params)


def file_error(exc: ImportFileError) -> str:
    """A file-level error as one sentence, naming the file (and line), in the active
    language."""
    message = text(exc.code, exc.params)
    if exc.line:
        where = gettext("%(file)s, line %(line)s") % {"file": exc.file, "line": exc.line}
    else:
        where = exc.file
    return f"{where}: {message}" if where else message


def failure(data: Mapping[str, Any]) -> str:
    """Why an import failed (a batch's ``failure``), naming the file and line if any."""
    if not data.get("code"):
        return ""
    params = data.get("params") or {}
    message = text(data["code"], params)
    where = str(params.get("file") or "")
    if where and params.get("line"):
        where = gettext("%(file)s, line %(line)s") % {"file": where, "line": params["line"]}
    return f"{where}: {message}" if where else message


def problem(entry: Mapping[str, Any]) -> str:
    """One problem of a report (a dict with code and params), in the active language."""
    if "code" in entry:
        return text(entry["code"], entry.get("params"))
    return str(entry.get("message", ""))
