"""Recognising a file and reading it: the one entry point the importers call."""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile
import zlib
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
logger = logging.getLogger(__name__)

FORMATS = (
    "linkedin_connections",
    "linkedin_messages",
    "linkedin_invitations",
    "vcard",
    "google",
    "google_legacy",
    "outlook",
    "ical",
    "unreadable",  # a part of a ZIP that cannot be read: reported, the rest imports
)
# In a LinkedIn export, people first, so that messages and invitations find them.
_ZIP_MEMBERS = ("connections.csv", "invitations.csv", "messages.csv")
_ZIP_EXTRA = (".vcf", ".vcard", ".ics")
# A ZIP is checked before any part of it is read: a part that would unpack to more than
# this, parts that together would, or a part compressed more than real exports ever are (a
# CSV compresses 3-10 times; a ZIP bomb thousands of times) refuse the whole file. zipfile
# itself never unpacks more than a part's declared size.
ZIP_MAX_MEMBER_BYTES = 100 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
_ZIP_RATIO_FROM_BYTES = 1024 * 1024  # tiny parts may compress well; their size is harmless
# What a damaged archive raises while a member is read (a bad CRC, a cut-off stream, a
# compression method Python does not have, a password).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
               NotImplementedError)  # fmt: skip


@dataclass
class SourceFile:
    """One readable file: its name, format and encoding; :meth:`items` reads it (again)."""

    name: str
    format: str
    encoding: str
    _read: Callable[[], Iterator[Item]]
    container: str = ""  # the ZIP this file is part of, if any

    def items(self) -> Iterator[Item]:
        """Records and problems in file order (messages: per conversation). Lazy.

        Raises
        ------
        ImportFileError
            For a file that turns out unreadable part-way (a damaged ZIP member, a row with
            the wrong number of fields); never any other exception.
        """
        try:
            yield from self._read()
        except ImportFileError:
            raise
        except _ZIP_ERRORS as exc:
            raise ImportFileError(self.name, "damaged_zip", {"detail": _detail(exc)}) from None
        except Exception as exc:  # a reader's own bug must still end in a clear message
            logger.exception("reading %s failed", self.name)  # and be seen by whoever runs it
            raise ImportFileError(
                self.name, "unreadable_file", {"detail": type(exc).__name__}
            ) from exc


def _detail(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


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
    ``me_emails`` are the account holder's own addresses (a calendar never makes them someone
    else); ``now`` bounds a calendar (meetings still to come are not contacts yet).

    Raises
    ------
    ImportFileError
        For a format Kring does not know, a ZIP without any file Kring reads, or a binary
        file. In a ZIP, a member that cannot be read becomes a source of format
        ``"unreadable"`` that reports why, and the others are read.
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
    emails = list(me_emails)
    if head.startswith(b"PK\x03\x04"):
        return _zip_sources(name, opener_, region=region, me_emails=emails, now=now)
    return [_source(name, opener_, head, region=region, me_emails=emails, now=now)]


def _source(
    name: str,
    opener: Opener,
    head: bytes,
    *,
    region: str,
    me_emails: list[str],
    now: dt.datetime | None,
) -> SourceFile:
    if not head.strip():
        raise ImportFileError(name, "empty_file")
    encoding = detect_encoding(head)
    if encoding is None:
        raise ImportFileError(name, "binary_file")
    text = head.decode(encoding, errors="replace").replace("\x00", "")
    first = text.lstrip("\ufeff \t\r\n")[:40].upper()
    if first.startswith("BEGIN:VCARD"):
        return SourceFile(
            name, "vcard", encoding, lambda: read_vcards(opener, encoding, name, region=region)
        )
    if first.startswith("BEGIN:VCALENDAR"):
        return SourceFile(
            name,
            "ical",
            encoding,
            lambda: read_calendar(opener, encoding, name, me_emails=me_emails, now=now),
        )
    found = csv_format_of(text)
    if found is None:
        raise ImportFileError(name, "unknown_format")
    fmt, delimiter = found
    return SourceFile(
        name,
        fmt,
        encoding,
        lambda: read_csv(opener, encoding, name, region=region, delimiter=delimiter),
    )


def _unreadable(name: str, error: ImportFileError, container: str) -> SourceFile:
    problem = Problem(name, error.line or 0, "file", error.code, error.params)
    return SourceFile(name, "unreadable", "", lambda: iter([problem]), container=container)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _check_zip_sizes(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a ZIP whose parts would unpack too large or are compressed like a bomb, from
    the sizes its directory declares, before a byte of it is unpacked."""
    for info in infos:
        if info.file_size > ZIP_MAX_MEMBER_BYTES:
            raise ImportFileError(
                name,
                "zip_too_large",
                {"size": _megabytes(info.file_size), "max": _megabytes(ZIP_MAX_MEMBER_BYTES)},
            )
        if info.file_size > _ZIP_RATIO_FROM_BYTES and (
            info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ImportFileError(name, "zip_bomb", {"ratio": str(ratio)})
    total = sum(i.file_size for i in infos)
    if total > ZIP_MAX_TOTAL_BYTES:
        raise ImportFileError(
            name,
            "zip_too_large",
            {"size": _megabytes(total), "max": _megabytes(ZIP_MAX_TOTAL_BYTES)},
        )


def _zip_sources(
    name: str,
    opener: Opener,
    *,
    region: str,
    me_emails: list[str],
    now: dt.datetime | None,
) -> list[SourceFile]:
    try:
        with opener() as handle, zipfile.ZipFile(handle) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
    except _ZIP_ERRORS as exc:
        raise ImportFileError(name, "damaged_zip", {"detail": _detail(exc)}) from None
    members = [i.filename for i in infos]

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
        raise ImportFileError(name, "zip_without_contacts")
    _check_zip_sizes(name, [i for i in infos if i.filename in set(wanted)])
    sources = []
    for member in wanted:
        member_name = f"{name}/{member}"

        def member_opener(member: str = member) -> BinaryIO:
            archive = zipfile.ZipFile(opener())
            return archive.open(member)  # type: ignore[return-value]  # IO[bytes] reads alike

        try:
            with member_opener() as handle:
                head = handle.read(SNIFF_BYTES)
                # Read to the end once: a damaged member shows by its checksum there, before
                # its garbled text could be taken for rows.
                while handle.read(1 << 20):
                    pass
            source = _source(
                member_name, member_opener, head, region=region, me_emails=me_emails, now=now
            )
            source.container = name
            sources.append(source)
        except ImportFileError as exc:
            sources.append(_unreadable(member_name, exc, name))
        except _ZIP_ERRORS as exc:
            error = ImportFileError(member_name, "damaged_zip", {"detail": _detail(exc)})
            sources.append(_unreadable(member_name, error, name))
    if all(s.format == "unreadable" for s in sources):
        first = next(iter(sources[0].items()))
        assert isinstance(first, Problem)
        raise ImportFileError(first.file, first.code, first.params, first.line or None)
    return sources
