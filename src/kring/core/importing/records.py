"""The plain records every reader yields: contacts, interactions and problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "ContactRecord",
    "ImportFileError",
    "InteractionRecord",
    "PersonRef",
    "Problem",
]


class ImportFileError(ValueError):
    """A problem with a whole file: nothing of it can be imported.

    ``file`` names the file (``export.zip/Connections.csv`` inside a ZIP) and ``line`` the line
    where the problem shows, when there is one.
    """

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {message}")
        self.file = file
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Problem:
    """A row-level problem: the row is skipped (``skipped``) or imported without ``field``."""

    file: str
    line: int
    field: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}, {self.field}: {self.message}"


@dataclass(slots=True)
class ContactRecord:
    """One person as a file describes them; e-mails and phones already normalised."""

    file: str
    line: int
    source: str  # the format it came from: linkedin_connections, vcard, google, ...
    given_name: str = ""
    particles: str = ""
    surname: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, label)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (E.164, label)
    organisation: str = ""
    title: str = ""
    linkedin_url: str = ""
    birthday: dt.date | None = None
    note: str = ""
    connected_on: dt.date | None = None  # LinkedIn: the day the connection was made
    uid: str = ""  # a stable id the source gives (vCard UID), if any

    @property
    def full_name(self) -> str:
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
