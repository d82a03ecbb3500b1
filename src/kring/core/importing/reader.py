"""Recognising a file and reading it: the one entry point the importers call."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from kring.core.importing.calendar import read_calendar
from kring.core.importing.csvformats import csv_format_of, read_csv
from kring.core.importing.encoding import SNIFF_BYTES, detect_encoding
from kring.core.importing.records import (
    ContactRecord,
    ImportFileError,
    InteractionRecord,
    Problem,
)
from kring.core.importing.vcard import read_vcards

__all__ = ["FORMATS", "Item", "SourceFile", "open_source"]

Item = ContactRecord | InteractionRecord | Problem
Opener = Callable[[], BinaryIO]

FORMATS = (
    "linkedin_connections",
    "linkedin_messages",
    "linkedin_invitations",
    "vcard",
    "google",
    "google_legacy",
    "outlook",
    "ical",
)
# In a LinkedIn export, people first, so that messages and invitations find them.
_ZIP_MEMBERS = ("connections.csv", "invitations.csv", "messages.csv")
_ZIP_EXTRA = (".vcf", ".ics")


@dataclass
class SourceFile:
    """One readable file: its name, format and encoding; :meth:`items` reads it (again)."""

    name: str
    format: str
    encoding: str
    _read: Callable[[], Iterator[Item]]

    def items(self) -> Iterator[Item]:
        """Records and problems in file order (messages: per conversation). Lazy."""
        return self._read()


def open_source(
    name: str,
    opener: Opener | bytes | Path,
    *,
    region: str = "BE",
    me_emails: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> list[SourceFile]:
    """The readable files in ``opener`` (a ZIP gives several), detected by content.

    ``opener`` is raw bytes, a path, or a function that opens the bytes anew for each read.

    Raises
    ------
    ImportFileError
        For a format Kring does not know, a ZIP without the expected files or a binary file.
    """
    if isinstance(opener, bytes):
        data = opener

        def opener_() -> BinaryIO:
            return io.BytesIO(data)
    elif isinstance(opener, Path):
        path = opener

        def opener_() -> BinaryIO:
            return path.open("rb")
    else:
        opener_ = opener
    with opener_() as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return _zip_sources(name, opener_, region=region, me_emails=me_emails, now=now)
    return [_source(name, opener_, head, region=region, me_emails=me_emails, now=now)]


def _source(
    name: str,
    opener: Opener,
    head: bytes,
    *,
    region: str,
    me_emails: Iterable[str],
    now: dt.datetime | None,
) -> SourceFile:
    if not head.strip():
        raise ImportFileError(name, "the file is empty")
    encoding = detect_encoding(head)
    if encoding is None:
        raise ImportFileError(name, "a binary file, not contacts, messages or a calendar")
    text = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    first = text[:40].upper()
    if first.startswith("BEGIN:VCARD"):
        return SourceFile(
            name, "vcard", encoding, lambda: read_vcards(opener, encoding, name, region=region)
        )
    if first.startswith("BEGIN:VCALENDAR"):
        emails = list(me_emails)
        return SourceFile(
            name,
            "ical",
            encoding,
            lambda: read_calendar(opener, encoding, name, me_emails=emails, now=now),
        )
    fmt = csv_format_of(text)
    if fmt is None:
        raise ImportFileError(
            name,
            "not a format Kring knows: expected a LinkedIn, Google or Outlook CSV, "
            "a vCard (.vcf) or an iCalendar (.ics) file",
        )
    return SourceFile(name, fmt, encoding, lambda: read_csv(opener, encoding, name, region=region))


def _zip_sources(
    name: str,
    opener: Opener,
    *,
    region: str,
    me_emails: Iterable[str],
    now: dt.datetime | None,
) -> list[SourceFile]:
    try:
        with opener() as handle, zipfile.ZipFile(handle) as archive:
            members = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFileError(name, f"a damaged ZIP file: {exc}") from None

    def rank(member: str) -> tuple[int, str]:
        base = PurePosixPath(member).name.casefold()
        if base in _ZIP_MEMBERS:
            return _ZIP_MEMBERS.index(base), member
        return len(_ZIP_MEMBERS), member

    wanted = sorted(
        (
            m
            for m in members
            if PurePosixPath(m).name.casefold() in _ZIP_MEMBERS
            or PurePosixPath(m).name.casefold().endswith(_ZIP_EXTRA)
        ),
        key=rank,
    )
    if not wanted:
        raise ImportFileError(
            name, "a ZIP without Connections.csv, messages.csv, Invitations.csv, .vcf or .ics"
        )
    sources = []
    for member in wanted:

        def member_opener(member: str = member) -> BinaryIO:
            archive = zipfile.ZipFile(opener())
            return archive.open(member)  # type: ignore[return-value]  # IO[bytes] reads alike

        with member_opener() as handle:
            head = handle.read(SNIFF_BYTES)
        sources.append(
            _source(
                f"{name}/{member}",
                member_opener,
                head,
                region=region,
                me_emails=me_emails,
                now=now,
            )
        )
    return sources
