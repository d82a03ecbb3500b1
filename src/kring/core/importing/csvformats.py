"""The CSV files Kring reads, recognised by their header row.

LinkedIn's ``Connections.csv`` (with or without the "Notes:" preamble, with or without the URL
column), ``messages.csv`` and ``Invitations.csv``; Google Contacts in the current and the older
layout; Outlook (English and Dutch headers).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import BinaryIO

from kring.core.importing.build import contact_record
from kring.core.importing.encoding import text_stream
from kring.core.importing.records import (
    ContactRecord,
    ImportFileError,
    InteractionRecord,
    PersonRef,
    Problem,
)
from kring.core.importing.values import BadValue, linkedin_key, parse_datetime

__all__ = ["CSV_FORMATS", "csv_format_of", "read_csv"]

Opener = Callable[[], BinaryIO]
Item = ContactRecord | InteractionRecord | Problem

# Header rows are searched for in the first lines only; a preamble is never long.
HEADER_SEARCH_ROWS = 40
csv.field_size_limit(10 * 1024 * 1024)  # message texts can be long


def _norm(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


_OUTLOOK_ALIASES = {
    # Dutch Outlook writes its own headers.
    "voornaam": "first name",
    "middelste naam": "middle name",
    "achternaam": "last name",
    "bedrijf": "company",
    "functie": "job title",
    "e-mailadres": "e-mail address",
    "e-mail 2-adres": "e-mail 2 address",
    "e-mail 3-adres": "e-mail 3 address",
    "mobiele telefoon": "mobile phone",
    "telefoon op werk": "business phone",
    "telefoon thuis": "home phone",
    "verjaardag": "birthday",
    "notities": "notes",
}


def _format_of_header(cells: set[str]) -> str | None:
    if {"first name", "last name", "connected on"} <= cells:
        return "linkedin_connections"
    if {"conversation id", "from", "to", "date", "content"} <= cells:
        return "linkedin_messages"
    if {"from", "to", "sent at", "direction"} <= cells:
        return "linkedin_invitations"
    if {"given name", "family name", "e-mail 1 - value"} <= cells:
        return "google_legacy"
    if {"first name", "last name", "e-mail 1 - value"} <= cells:
        return "google"
    outlook = {_OUTLOOK_ALIASES.get(c, c) for c in cells}
    if {"first name", "last name", "e-mail address"} <= outlook and (
        {"job title", "company", "mobile phone", "business phone"} & outlook
    ):
        return "outlook"
    return None


CSV_FORMATS = (
    "linkedin_connections",
    "linkedin_messages",
    "linkedin_invitations",
    "google",
    "google_legacy",
    "outlook",
)


def _rows(text: Iterator[str] | object) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(text)  # type: ignore[arg-type]
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError("", f"unreadable CSV: {exc}", reader.line_num) from None
        yield start, row
        start = reader.line_num + 1


def csv_format_of(head_text: str) -> str | None:
    """The CSV format whose header row appears in the first lines of ``head_text``."""
    lines = head_text.splitlines(keepends=True)[:HEADER_SEARCH_ROWS]
    try:
        for _line, row in _rows(iter(lines)):
            found = _format_of_header({_norm(c) for c in row})
            if found:
                return found
    except ImportFileError:
        return None
    return None


def _records(opener: Opener, encoding: str, file: str) -> Iterator[tuple[int, dict[str, str], str]]:
    """(line, row by normalised header, format) for each data row after the header."""
    with opener() as binary:
        stream = text_stream(binary, encoding)
        header: list[str] | None = None
        found = ""
        try:
            for line, row in _rows(stream):
                if header is None:
                    if line > 10 * HEADER_SEARCH_ROWS:
                        break
                    cells = [_norm(c) for c in row]
                    found = _format_of_header(set(cells)) or ""
                    if found:
                        header = [_OUTLOOK_ALIASES.get(c, c) for c in cells]
                    continue
                if not any(cell.strip() for cell in row):
                    continue
                yield line, dict(zip(header, row, strict=False)), found
        except ImportFileError as exc:
            raise ImportFileError(file, exc.message, exc.line) from None
        if header is None:
            raise ImportFileError(file, "no header row Kring knows (not a contacts CSV)")


def read_csv(opener: Opener, encoding: str, file: str, *, region: str = "BE") -> Iterator[Item]:
    """Every record and problem of a CSV file in one of :data:`CSV_FORMATS`."""
    rows = _records(opener, encoding, file)
    first = next(rows, None)
    if first is None:
        return
    fmt = first[2]
    if fmt == "linkedin_messages":
        yield from _messages(opener, encoding, file)
        return
    for line, row, _fmt in _chain(first, rows):
        if fmt == "linkedin_invitations":
            yield from _invitation(file, line, row)
            continue
        record, problems = _CONTACT_ROWS[fmt](file, line, row, region)
        yield from problems
        if record is not None:
            yield record


def _chain(
    first: tuple[int, dict[str, str], str], rest: Iterator[tuple[int, dict[str, str], str]]
) -> Iterator[tuple[int, dict[str, str], str]]:
    yield first
    yield from rest


def _connection(
    file: str, line: int, row: dict[str, str], region: str
) -> tuple[ContactRecord | None, list[Problem]]:
    g = row.get
    return contact_record(
        file=file,
        line=line,
        source="linkedin_connections",
        given=g("first name", ""),
        last=g("last name", ""),
        emails=[(g("email address", ""), "", "Email Address")],
        organisation=g("company", ""),
        title=g("position", ""),
        linkedin_url=g("url", ""),
        connected_on=(g("connected on", ""), "Connected On"),
        region=region,
        name_field="First Name",
    )


def _google(
    file: str, line: int, row: dict[str, str], region: str
) -> tuple[ContactRecord | None, list[Problem]]:
    g = row.get
    legacy = "given name" in row
    emails, phones = [], []
    for n in range(1, 10):
        label = g(f"e-mail {n} - label", g(f"e-mail {n} - type", "")) or ""
        # Google puts several addresses in one cell separated by " ::: ".
        for value in (g(f"e-mail {n} - value") or "").split(":::"):
            emails.append((value, label.strip("* "), f"E-mail {n} - Value"))
        label = g(f"phone {n} - label", g(f"phone {n} - type", "")) or ""
        for value in (g(f"phone {n} - value") or "").split(":::"):
            phones.append((value, label.strip("* "), f"Phone {n} - Value"))
    url = ""
    for n in range(1, 6):
        value = g(f"website {n} - value") or ""
        if linkedin_key(value):
            url = value
    if legacy:
        given = " ".join(p for p in (g("given name", ""), g("additional name", "")) if p)
        return contact_record(
            file=file,
            line=line,
            source="google_legacy",
            given=given,
            last=g("family name", "") or "",
            full=g("name", "") or "",
            emails=emails,
            phones=phones,
            organisation=g("organization 1 - name", "") or "",
            title=g("organization 1 - title", "") or "",
            linkedin_url=url,
            birthday=(g("birthday", "") or "", "Birthday"),
            note=g("notes", "") or "",
            region=region,
            name_field="Name",
        )
    given = " ".join(p for p in (g("first name", ""), g("middle name", "")) if p)
    return contact_record(
        file=file,
        line=line,
        source="google",
        given=given,
        last=g("last name", "") or "",
        full=g("nickname", "") or g("file as", "") or "",
        emails=emails,
        phones=phones,
        organisation=g("organization name", "") or "",
        title=g("organization title", "") or "",
        linkedin_url=url,
        birthday=(g("birthday", "") or "", "Birthday"),
        note=g("notes", "") or "",
        region=region,
        name_field="First Name",
    )


_OUTLOOK_PHONES = (
    ("mobile phone", "mobile"),
    ("business phone", "work"),
    ("business phone 2", "work"),
    ("primary phone", ""),
    ("home phone", "home"),
    ("home phone 2", "home"),
    ("other phone", "other"),
    ("company main phone", "work"),
)


def _outlook(
    file: str, line: int, row: dict[str, str], region: str
) -> tuple[ContactRecord | None, list[Problem]]:
    g = row.get
    given = " ".join(p for p in (g("first name", ""), g("middle name", "")) if p)
    emails = [
        (g(column, "") or "", "", column.title())
        for column in ("e-mail address", "e-mail 2 address", "e-mail 3 address")
    ]
    phones = [(g(column, "") or "", label, column.title()) for column, label in _OUTLOOK_PHONES]
    return contact_record(
        file=file,
        line=line,
        source="outlook",
        given=given,
        last=g("last name", "") or "",
        emails=emails,
        phones=phones,
        organisation=g("company", "") or "",
        title=g("job title", "") or "",
        linkedin_url=g("web page", "") or "",
        birthday=(g("birthday", "") or "", "Birthday"),
        note=g("notes", "") or "",
        region=region,
        month_first=True,
        name_field="First Name",
    )


_CONTACT_ROWS = {
    "linkedin_connections": _connection,
    "google": _google,
    "google_legacy": _google,
    "outlook": _outlook,
}


def _key(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def _invitation(file: str, line: int, row: dict[str, str]) -> Iterator[Item]:
    g = row.get
    try:
        when = parse_datetime(g("sent at", "") or "")
    except BadValue as exc:
        yield Problem(file, line, "Sent At", str(exc))
        return
    outgoing = (g("direction", "") or "").strip().upper() == "OUTGOING"
    name = (g("to") if outgoing else g("from")) or ""
    url = (g("inviteeprofileurl") if outgoing else g("inviterprofileurl")) or ""
    if not name.strip() and not linkedin_key(url):
        yield Problem(file, line, "To" if outgoing else "From", "no name at all")
        return
    message = " ".join((g("message", "") or "").split())
    summary = "LinkedIn invitation" + (f": {message}" if message else "")
    yield InteractionRecord(
        file=file,
        line=line,
        source="linkedin_invitations",
        occurred_at=when,
        channel="message",
        people=[PersonRef(name=name.strip(), linkedin_url=url.strip())],
        minutes=2,
        initiated_by="me" if outgoing else "them",
        summary=summary[:500],
        key=_key("invitation", when.isoformat(), linkedin_key(url) or name.strip().casefold()),
    )


# A conversation that goes quiet this long and starts again is a new exchange.
EXCHANGE_GAP = dt.timedelta(days=14)
_URLS_SPLIT = re.compile(r"[,\s]+")


def _messages(opener: Opener, encoding: str, file: str) -> Iterator[Item]:
    """Messages grouped per conversation into exchanges: who started, whether it was answered.

    The account holder is not named in the file; they are the one who appears in the most
    conversations. Two passes over the file, keeping only a few fields per message.
    """
    presence: Counter[str] = Counter()
    conversations: dict[str, list[tuple[dt.datetime, int, str, str, list[tuple[str, str]]]]]
    conversations = defaultdict(list)
    for line, row, _fmt in _records(opener, encoding, file):
        g = row.get
        try:
            when = parse_datetime(g("date", "") or "")
        except BadValue as exc:
            yield Problem(file, line, "DATE", str(exc))
            continue
        sender = ((g("from") or "").strip(), (g("sender profile url") or "").strip())
        names = [n.strip() for n in (g("to") or "").split(",")]
        urls = [u for u in _URLS_SPLIT.split(g("recipient profile urls") or "") if u]
        recipients = [
            (name, urls[i] if i < len(urls) else "") for i, name in enumerate(names) if name
        ]
        conversation = g("conversation id") or f"line-{line}"
        everyone = [sender, *recipients]
        for name, url in everyone:
            presence[linkedin_key(url) or name.casefold()] += 1
        subject = (g("subject") or "").strip() or " ".join((g("content") or "").split())[:80]
        conversations[conversation].append((when, line, subject, "", everyone))
    if not presence:
        return
    me = presence.most_common(1)[0][0]
    for conversation, messages in conversations.items():
        messages.sort(key=lambda m: m[0])
        exchange: list[tuple[dt.datetime, int, str, str, list[tuple[str, str]]]] = []
        for message in messages:
            if exchange and message[0] - exchange[-1][0] > EXCHANGE_GAP:
                yield from _exchange(file, conversation, exchange, me)
                exchange = []
            exchange.append(message)
        if exchange:
            yield from _exchange(file, conversation, exchange, me)


def _exchange(
    file: str,
    conversation: str,
    messages: list[tuple[dt.datetime, int, str, str, list[tuple[str, str]]]],
    me: str,
) -> Iterator[Item]:
    def key_of(person: tuple[str, str]) -> str:
        return linkedin_key(person[1]) or person[0].casefold()

    senders = [key_of(m[4][0]) for m in messages]
    others: dict[str, PersonRef] = {}
    for message in messages:
        for person in message[4]:
            if key_of(person) != me:
                others.setdefault(key_of(person), PersonRef(name=person[0], linkedin_url=person[1]))
    if not others:
        return
    first_mine = senders[0] == me
    answered = any((s == me) != first_mine for s in senders[1:])
    when, line, subject = messages[0][0], messages[0][1], messages[0][2]
    yield InteractionRecord(
        file=file,
        line=line,
        source="linkedin_messages",
        occurred_at=when,
        channel="message",
        people=list(others.values()),
        minutes=min(60, 2 * len(messages)),
        initiated_by="me" if first_mine else "them",
        answered=answered,
        summary=(f"LinkedIn: {subject}" if subject else "LinkedIn message")[:500],
        key=_key("message", conversation, when.isoformat()),
    )
