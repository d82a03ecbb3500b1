"""The plain records every reader yields: contacts, interactions and problems.

Problems and file errors carry a ``code`` and ``params`` rather than a sentence: the interface
translates them (:data:`MESSAGES` holds the English wording, for the terminal and for logs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

__all__ = [
    "MESSAGES",
    "ContactRecord",
    "ImportFileError",
    "InteractionRecord",
    "PersonRef",
    "Problem",
    "message_text",
]

# Every code a reader or the importer gives, with its English text. Placeholders are
# ``{name}``; the interface's translations use the same names.
MESSAGES: dict[str, str] = {
    # A whole file (or a part of a ZIP or of a calendar).
    "empty_file": "the file is empty",
    "binary_file": "a binary file, not contacts, messages or a calendar",
    "unknown_format": (
        "not a format Kring knows: expected a LinkedIn, Google or Outlook CSV, a vCard (.vcf) "
        "or an iCalendar (.ics) file"
    ),
    "damaged_zip": "a damaged ZIP file ({detail})",
    "zip_without_contacts": (
        "a ZIP without Connections.csv, messages.csv, Invitations.csv, .vcf or .ics"
    ),
    "zip_too_large": "a ZIP that would unpack to {size} MB; Kring reads at most {max} MB from one",
    "zip_bomb": ("a ZIP compressed {ratio} times, far more than any real export: refused unread"),
    "no_header": "no header row Kring knows (not a contacts CSV)",
    "unclosed_quote": (
        "a quote opened on line {start} is never closed: the field runs on to line {end}"
    ),
    "field_count": (
        "{found} fields where the header has {expected}: a quote that is not closed, or the "
        "separator inside a field without quotes"
    ),
    "unreadable_csv": "unreadable CSV ({detail})",
    "unreadable_calendar": "no calendar in this part of the file ({detail})",
    "unreadable_file": "Kring could not read this file ({detail})",
    # One row, card or event.
    "no_name": "no name at all",
    "bad_email": "“{value}” is not an e-mail address",
    "bad_phone": "“{value}” is not a phone number",
    "bad_date": "“{value}” is not a date",
    "impossible_date": "“{value}” is an impossible date",
    "not_linkedin": "“{value}” is not a LinkedIn profile address",
    "cut": "cut to {limit} characters",
    "no_end": "the card has no end",
    "bad_property": "left out: {detail}",
    "unreadable_card": "unreadable card ({detail})",
    "unreadable_event": "unreadable event ({detail})",
    "no_start": "the event has no start",
    "future": "the meeting is still to come",
    "unknown_people": "nobody known as {who}",
    "recurrence_cut": "a recurring event: only its {kept} most recent occurrences are imported",
    "recurrence_unreadable": (
        "the recurrence rule cannot be read; only the first meeting is imported"
    ),
    "unknown_timezone": "time zone “{tzid}” unknown: read as {used}",
    "refused": "{detail}",
}


def message_text(code: str, params: dict[str, Any] | None = None) -> str:
    """The English text of a problem or error code, its placeholders filled in.

    >>> message_text("bad_phone", {"value": "12"})
    '“12” is not a phone number'
    """
    template = MESSAGES.get(code, code)
    try:
        return template.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return template


class ImportFileError(ValueError):
    """A problem with a whole file: nothing of it can be imported.

    ``file`` names the file (``export.zip/Connections.csv`` inside a ZIP), ``line`` the line
    where the problem shows (when there is one), ``code`` and ``params`` what is wrong.
    """

    def __init__(
        self,
        file: str,
        code: str,
        params: dict[str, Any] | None = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.code = code
        self.params = dict(params or {})
        self.message = message_text(code, self.params)
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {self.message}" if where else self.message)


@dataclass(frozen=True, slots=True)
class Problem:
    """A row-level problem: the row is skipped (``skipped``) or imported without ``field``."""

    file: str
    line: int
    field: str
    code: str
    params: dict[str, Any] = dataclass_field(default_factory=dict, hash=False)
    skipped: bool = True

    @property
    def message(self) -> str:
        """The problem in English."""
        return message_text(self.code, self.params)

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}, {self.field}: {self.message}"


@dataclass(slots=True)
class ContactRecord:
    """One person (or, with ``kind`` "organisation", one organisation) as a file describes
    them; e-mails and phones already normalised."""

    file: str
    line: int
    source: str  # the format it came from: linkedin_connections, vcard, google, ...
    given_name: str = ""
    particles: str = ""
    surname: str = ""
    emails: list[tuple[str, str]] = dataclass_field(default_factory=list)  # (address, label)
    phones: list[tuple[str, str]] = dataclass_field(default_factory=list)  # (E.164, label)
    organisation: str = ""
    title: str = ""
    linkedin_url: str = ""
    birthday: dt.date | None = None
    note: str = ""
    connected_on: dt.date | None = None  # LinkedIn: the day the connection was made
    uid: str = ""  # a stable id the source gives (vCard UID), if any
    kind: str = "person"  # "organisation": a company's own card (Apple, vCard 4 KIND:org)
    website: str = ""  # an organisation's web address

    @property
    def full_name(self) -> str:
        if self.kind == "organisation":
            return self.organisation
        return " ".join(p for p in (self.given_name, self.particles, self.surname) if p)


@dataclass(frozen=True, slots=True)
class PersonRef:
    """How a message or a meeting names someone: by profile URL, e-mail or name."""

    name: str = ""
    email: str = ""
    linkedin_url: str = ""


@dataclass(slots=True)
class InteractionRecord:
    """A dated contact with one or more people (a LinkedIn message, a meeting)."""

    file: str
    line: int
    source: str
    occurred_at: dt.datetime
    channel: str  # the values of kring.people.models.Channel
    people: list[PersonRef]
    minutes: int = 5
    initiated_by: str = "me"  # me, them, both
    answered: bool | None = None
    summary: str = ""
    key: str = ""  # what makes this interaction the same on a second import
