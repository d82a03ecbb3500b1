"""The CSV files Kring reads, recognised by their header row.

LinkedIn's ``Connections.csv`` (with or without the "Notes:" preamble, with or without the URL
column, the 2018 layout too), ``messages.csv`` (the current layout and the 2018 one without
conversation ids) and ``Invitations.csv``; Google Contacts in the current and the older
layout; Outlook (English and Dutch headers). Separated by commas, semicolons (Excel in Belgium
and the Netherlands) or tabs, also after Excel re-saved them.

Strict where it matters: a row with more or fewer fields than the header, or a quote that is
never closed (it would swallow the rows after it into one field), stops the file with the line
where it happens. Dates are read day first or month first as the whole file shows, not row by
row.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import BinaryIO

from kring.core.importing.build import clean_text, contact_record
from kring.core.importing.encoding import text_lines, text_stream
from kring.core.importing.records import (
    ContactRecord,
    ImportFileError,
    InteractionRecord,
    PersonRef,
    Problem,
)
from kring.core.importing.values import (
    BadValue,
    has_time_of_day,
    linkedin_key,
    numeric_order,
    parse_datetime,
)

__all__ = ["CSV_FORMATS", "DELIMITERS", "csv_format_of", "read_csv"]

Opener = Callable[[], BinaryIO]
Item = ContactRecord | InteractionRecord | Problem
Row = dict[str, str]

# Header rows are searched for in the first lines only; a preamble is never long.
HEADER_SEARCH_ROWS = 40
DELIMITERS = (",", ";", "\t")
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
    "webpagina": "web page",
}


def _format_of_header(cells: set[str]) -> str | None:
    if {"first name", "last name", "connected on"} <= cells:
        return "linkedin_connections"
    if {"conversation id", "from", "to", "date", "content"} <= cells:
        return "linkedin_messages"
    if {"from", "to", "date", "subject", "content", "direction"} <= cells:
        return "linkedin_messages"  # the 2018 layout: no conversation ids, no profile URLs
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
# The columns Kring reads that hold one line: a line break and a separator in one of them mean
# a quote that was opened and not closed (notes and messages may run over lines).
_SINGLE_LINE = re.compile(
    r"^(first|last|middle|given|family|additional) name$|^name$|^nickname$|e-?mail|phone|"
    r"^company$|^organi[sz]ation (1 - )?(name|title)$|^position$|^job title$|^url$|"
    r"^connected on$|^birthday$|^from$|^to$|^date$|^sent at$|^direction$|^conversation id$|"
    r"profile ?urls?$"
)
_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)


def _sniff(lines: list[str]) -> tuple[str, str, int] | None:
    """(format, delimiter, index of the header line) of the first lines of a file."""
    forced = _SEP_LINE.match(lines[0]) if lines else None
    delimiters = [forced.group(1)] if forced else list(DELIMITERS)
    for delimiter in delimiters:
        try:
            reader = csv.reader(iter(lines), delimiter=delimiter)
            for index, row in enumerate(reader):
                found = _format_of_header({_norm(c) for c in row})
                if found:
                    return found, delimiter, index
        except csv.Error:
            continue
    return None


def csv_format_of(head_text: str) -> tuple[str, str] | None:
    """The CSV format and delimiter whose header row appears in the first lines of the text.

    >>> csv_format_of("Voornaam;Achternaam;E-mailadres;Bedrijf\\nJan;Peeters;;Acme\\n")
    ('outlook', ';')
    """
    lines = head_text.splitlines(keepends=True)[:HEADER_SEARCH_ROWS]
    found = _sniff(lines)
    return (found[0], found[1]) if found else None


class _Rows:
    """The data rows of one CSV file, by normalised header, checked as they are read."""

    def __init__(self, opener: Opener, encoding: str, file: str, delimiter: str) -> None:
        self.opener = opener
        self.encoding = encoding
        self.file = file
        self.delimiter = delimiter
        self.format = ""
        self.dutch = False  # Dutch headers (Outlook in Dutch writes day-first dates)

    def __iter__(self) -> Generator[tuple[int, Row]]:
        with self.opener() as binary:
            lines = text_lines(text_stream(binary, self.encoding))
            reader = csv.reader(lines, delimiter=self.delimiter)
            header: list[str] | None = None
            single_line: list[int] = []
            start = 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise ImportFileError(
                        self.file, "unreadable_csv", {"detail": str(exc)}, reader.line_num
                    ) from None
                line, start = start, reader.line_num + 1
                if header is None:
                    if line > 10 * HEADER_SEARCH_ROWS:
                        break
                    cells = [_norm(c) for c in row]
                    self.format = _format_of_header(set(cells)) or ""
                    if self.format:
                        self.dutch = any(c in _OUTLOOK_ALIASES for c in cells)
                        header = [_OUTLOOK_ALIASES.get(c, c) for c in cells]
                        single_line = [i for i, c in enumerate(header) if _SINGLE_LINE.search(c)]
                    continue
                if len(row) == 1 and not row[0].strip():
                    continue  # a blank line
                # More fields than the header is fine when they are empty (trailing
                # separators); fewer, or more with text in them, is not.
                if len(row) < len(header) or (
                    len(row) > len(header) and any(c.strip() for c in row[len(header) :])
                ):
                    code = "unclosed_quote" if reader.line_num > line else "field_count"
                    params = {"start": line, "end": reader.line_num, "found": len(row),
                              "expected": len(header)}  # fmt: skip
                    raise ImportFileError(self.file, code, params, line)
                for i in single_line:
                    # A line break and a separator in a one-line field: rows swallowed by a
                    # quote that was not closed where it should have been.
                    if ("\n" in row[i] or "\r" in row[i]) and self.delimiter in row[i]:
                        raise ImportFileError(
                            self.file,
                            "unclosed_quote",
                            {"start": line, "end": reader.line_num},
                            line,
                        )
                if not any(cell.strip() for cell in row):
                    continue
                yield line, dict(zip(header, row, strict=False))
            if header is None:
                raise ImportFileError(self.file, "no_header")

    def month_first(self, columns: Iterable[str], default: bool) -> bool:
        """Whether this file writes numeric dates month first, decided from all its rows.

        A file that does not say (every date could be either) is read month first when its
        times are written with AM/PM (US English, as older LinkedIn exports do), else as
        ``default``.
        """
        texts = [row[c] for _line, row in self for c in columns if row.get(c)]
        order = numeric_order(texts)
        if order:
            return order == "month"
        return True if has_time_of_day(texts) else default


def read_csv(
    opener: Opener,
    encoding: str,
    file: str,
    *,
    region: str = "BE",
    delimiter: str = ",",
) -> Iterator[Item]:
    """Every record and problem of a CSV file in one of :data:`CSV_FORMATS`.

    Raises
    ------
    ImportFileError
        For a row with the wrong number of fields or a quote that is never closed (with its
        line), and for a file without a header Kring knows.
    """
    rows = _Rows(opener, encoding, file, delimiter)
    iterator = rows.__iter__()
    first = next(iterator, None)
    if first is None:
        return
    fmt = rows.format
    if fmt == "linkedin_messages":
        iterator.close()
        yield from _messages(rows)
        return
    if fmt == "linkedin_invitations":
        iterator.close()
        month_first = rows.month_first(["sent at"], default=True)
        for line, row in rows:
            yield from _invitation(file, line, row, month_first)
        return
    default = fmt == "outlook" and not rows.dutch  # English Outlook writes US dates
    iterator.close()
    month_first = rows.month_first(["connected on", "birthday"], default=default)
    read_row = _CONTACT_ROWS[fmt]
    for line, row in rows:
        record, problems = read_row(file, line, row, region, month_first)
        yield from problems
        if record is not None:
            yield record


def _connection(
    file: str, line: int, row: Row, region: str, month_first: bool
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
        month_first=month_first,
        name_field="First Name",
    )


def _google(
    file: str, line: int, row: Row, region: str, month_first: bool
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
    url = website = ""
    for n in range(1, 6):
        value = g(f"website {n} - value") or ""
        if linkedin_key(value):
            url = value
        elif value.strip() and not website:
            website = value
    common = {
        "file": file,
        "line": line,
        "emails": emails,
        "phones": phones,
        "linkedin_url": url,
        "website": website,
        "birthday": (g("birthday", "") or "", "Birthday"),
        "note": g("notes", "") or "",
        "region": region,
        "month_first": month_first,
        "organisation_without_name": True,
    }
    if legacy:
        given = " ".join(p for p in (g("given name", ""), g("additional name", "")) if p)
        return contact_record(
            source="google_legacy",
            given=given,
            last=g("family name", "") or "",
            full=g("name", "") or "",
            organisation=g("organization 1 - name", "") or "",
            title=g("organization 1 - title", "") or "",
            name_field="Name",
            **common,  # type: ignore[arg-type]  # the keywords above, typed by contact_record
        )
    given = " ".join(p for p in (g("first name", ""), g("middle name", "")) if p)
    return contact_record(
        source="google",
        given=given,
        last=g("last name", "") or "",
        full=g("nickname", "") or g("file as", "") or "",
        organisation=g("organization name", "") or "",
        title=g("organization title", "") or "",
        name_field="First Name",
        **common,  # type: ignore[arg-type]  # the keywords above, typed by contact_record
    )


_OUTLOOK_PHONES = (
    ("mobile phone", "mobile"),
    ("business phone", "work"),
    ("business phone 2", "work"),
    ("primary phone", ""),
    ("home phone", "home"),
    ("home phone 2", "home"),
    ("other phone", "other"),
    ("company main phone", "main"),
)


def _outlook(
    file: str, line: int, row: Row, region: str, month_first: bool
) -> tuple[ContactRecord | None, list[Problem]]:
    g = row.get
    given = " ".join(p for p in (g("first name", ""), g("middle name", "")) if p)
    emails = [
        (g(column, "") or "", "", column.title())
        for column in ("e-mail address", "e-mail 2 address", "e-mail 3 address")
    ]
    phones = [(g(column, "") or "", label, column.title()) for column, label in _OUTLOOK_PHONES]
    page = g("web page", "") or ""
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
        linkedin_url=page if linkedin_key(page) else "",
        website=page,
        birthday=(g("birthday", "") or "", "Birthday"),
        note=g("notes", "") or "",
        region=region,
        month_first=month_first,
        name_field="First Name",
        organisation_without_name=True,
    )


_CONTACT_ROWS = {
    "linkedin_connections": _connection,
    "google": _google,
    "google_legacy": _google,
    "outlook": _outlook,
}


def _key(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def _invitation(file: str, line: int, row: Row, month_first: bool) -> Iterator[Item]:
    g = row.get
    try:
        when = parse_datetime(g("sent at", "") or "", month_first=month_first)
    except BadValue as exc:
        yield Problem(file, line, "Sent At", exc.code, {"value": exc.value[:80]})
        return
    outgoing = (g("direction", "") or "").strip().upper() == "OUTGOING"
    name = clean_text((g("to") if outgoing else g("from")) or "").strip()
    url = clean_text((g("inviteeprofileurl") if outgoing else g("inviterprofileurl")) or "")
    if not name and not linkedin_key(url):
        yield Problem(file, line, "To" if outgoing else "From", "no_name")
        return
    message = " ".join(clean_text(g("message", "") or "").split())
    summary = "LinkedIn invitation" + (f": {message}" if message else "")
    yield InteractionRecord(
        file=file,
        line=line,
        source="linkedin_invitations",
        occurred_at=when,
        channel="message",
        people=[PersonRef(name=name[:200], linkedin_url=url.strip()[:200])],
        minutes=2,
        initiated_by="me" if outgoing else "them",
        summary=summary[:500],
        key=_key("invitation", when.isoformat(), linkedin_key(url) or name.casefold()),
    )


# A conversation that goes quiet this long and starts again is a new exchange.
EXCHANGE_GAP = dt.timedelta(days=14)
_URLS_SPLIT = re.compile(r"[,\s]+")
Person = tuple[str, str]  # (name, profile URL)
Message = tuple[dt.datetime, int, str, list[Person]]  # when, line, subject, sender first


def _who(person: Person) -> str:
    return linkedin_key(person[1]) or person[0].casefold()


def _messages(rows: _Rows) -> Iterator[Item]:
    """Messages grouped per conversation into exchanges: who started, whether it was answered.

    The account holder is not named in the file; they are the one who appears in the most
    conversations (in the 2018 layout, the sender of the outgoing ones). Two passes over the
    file, keeping only a few fields per message.
    """
    file = rows.file
    month_first = rows.month_first(["date"], default=True)
    presence: Counter[str] = Counter()
    outgoing: Counter[str] = Counter()
    messages: list[tuple[str, Message]] = []
    for line, row in rows:
        g = row.get
        try:
            when = parse_datetime(g("date", "") or "", month_first=month_first)
        except BadValue as exc:
            yield Problem(file, line, "DATE", exc.code, {"value": exc.value[:80]})
            continue
        sender = (
            clean_text(g("from") or "").strip()[:200],
            (g("sender profile url") or "").strip(),
        )
        names = [clean_text(n).strip()[:200] for n in (g("to") or "").split(",")]
        urls = [u for u in _URLS_SPLIT.split(g("recipient profile urls") or "") if u]
        recipients = [
            (name, urls[i] if i < len(urls) else "") for i, name in enumerate(names) if name
        ]
        everyone = [sender, *recipients]
        for person in everyone:
            presence[_who(person)] += 1
        if (g("direction") or "").strip().upper() == "OUTGOING":
            outgoing[_who(sender)] += 1
        subject = clean_text(g("subject") or "").strip()
        subject = subject or " ".join(clean_text(g("content") or "").split())[:80]
        messages.append((g("conversation id") or "", (when, line, subject[:200], everyone)))
    if not presence:
        return
    me = (outgoing or presence).most_common(1)[0][0]
    conversations: dict[str, list[Message]] = defaultdict(list)
    for conversation, message in messages:
        if not conversation:  # the 2018 layout: a conversation is the people in it
            conversation = "|".join(sorted({_who(p) for p in message[3]} - {me}))
        conversations[conversation].append(message)
    del messages
    for conversation, thread in conversations.items():
        thread.sort(key=lambda m: m[0])
        exchange: list[Message] = []
        for message in thread:
            if exchange and message[0] - exchange[-1][0] > EXCHANGE_GAP:
                yield from _exchange(file, conversation, exchange, me)
                exchange = []
            exchange.append(message)
        if exchange:
            yield from _exchange(file, conversation, exchange, me)


def _exchange(file: str, conversation: str, messages: list[Message], me: str) -> Iterator[Item]:
    senders = [_who(m[3][0]) for m in messages]
    others: dict[str, PersonRef] = {}
    for message in messages:
        for person in message[3]:
            if _who(person) != me and (person[0] or person[1]):
                others.setdefault(_who(person), PersonRef(name=person[0], linkedin_url=person[1]))
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
