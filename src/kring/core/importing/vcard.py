"""vCard 2.1, 3.0 and 4.0 in, one card and one property at a time.

A small reader of its own rather than a general vCard library: a card is cut into properties
(unfolded, quoted-printable soft breaks joined), and each property is read on its own, so one
bad property (a photo with broken base64, text in an unknown character set) costs that
property and is reported, never the card. Photos, logos, sounds and keys are skipped without
being decoded or kept in memory, however many lines they are folded over.

Quoted-printable text without a ``CHARSET`` (Outlook 2.1, The Bat!) is decoded with the
character set another property of the same card names, else as UTF-8 if it is valid UTF-8,
else as Windows-1252. A company's own card (Apple's ``X-ABShowAs:COMPANY``, vCard 4's
``KIND:org``) becomes an organisation, not a person.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from kring.core.importing.build import contact_record
from kring.core.importing.contentlines import Property, parse_property, unescape_text
from kring.core.importing.encoding import text_lines, text_stream
from kring.core.importing.records import ContactRecord, Problem
from kring.core.importing.values import linkedin_key

__all__ = ["MAX_CARD_LINES", "read_vcards", "split_cards"]

Opener = Callable[[], BinaryIO]
MAX_CARD_LINES = 5000  # property lines kept per card (binary data is not kept)
_LABELS = {
    "work": "work",
    "home": "home",
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "main": "main",
    "other": "other",
    "fax": "fax",
}
_ABLABEL = re.compile(r"_\$!<(.*)>!\$_")
_BINARY = frozenset(["PHOTO", "LOGO", "SOUND", "KEY"])
_QP_PARAM = re.compile(r";\s*(?:ENCODING\s*=\s*)?QUOTED-PRINTABLE\s*(?=[;:])", re.IGNORECASE)
_QP_BYTE = re.compile(rb"=([0-9A-Fa-f]{2})")
_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"


def split_cards(lines: Iterator[str]) -> Iterator[tuple[int, list[Property] | None]]:
    """(first line, properties) of each BEGIN:VCARD … END:VCARD block; ``None`` for a card
    that never ends or is far too long.

    Folded lines are unfolded, quoted-printable soft line breaks joined, and the lines of a
    base64 photo skipped without being kept.
    """
    card: list[tuple[int, str]] | None = None
    start = 0
    depth = 0  # vCard 2.1 may nest a card (AGENT): skipped
    skipping = False  # the continuation lines of a photo, a logo or a key
    joining = False  # a quoted-printable value that goes on on the next line
    too_long = False
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        upper = line.strip().upper()
        if card is None:
            if upper == _BEGIN:
                card, start, depth, skipping, joining, too_long = [], number, 0, False, False, False
            continue
        if joining and card and upper not in (_BEGIN, _END):
            previous_line, previous = card[-1]
            card[-1] = (previous_line, previous[:-1] + line)
            joining = card[-1][1].endswith("=")
            continue
        joining = False
        if upper == _BEGIN:
            if card and card[-1][1].upper().startswith("AGENT"):
                depth += 1
                continue
            yield start, None  # the previous card never ended
            card, start, skipping, too_long = [], number, False, False
            continue
        if upper == _END:
            if depth:
                depth -= 1
                continue
            yield (
                start,
                None
                if too_long
                else [p for n, text in card if (p := parse_property(n, text)) is not None],
            )
            card = None
            continue
        if depth:
            continue
        if line[:1] in (" ", "\t"):
            if not skipping and card:
                card[-1] = (card[-1][0], card[-1][1] + line[1:])
            continue
        if not line.strip():
            continue
        if ":" not in line and skipping:
            continue  # vCard 2.1 base64 lines written without indentation
        name = line.split(":", 1)[0].split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()
        skipping = name in _BINARY
        if skipping:
            continue
        if len(card) >= MAX_CARD_LINES:
            too_long = True
            continue
        card.append((number, line))
        joining = line.endswith("=") and bool(_QP_PARAM.search(line.split(":", 1)[0] + ":"))
    if card is not None:
        yield start, None


def read_vcards(
    opener: Opener, encoding: str, file: str, *, region: str = "BE"
) -> Iterator[ContactRecord | Problem]:
    """Every card of a vCard file as a record, or the problem that skips it, with a warning
    for each property left out."""
    with opener() as binary:
        for line, props in split_cards(text_lines(text_stream(binary, encoding))):
            if props is None:
                yield Problem(file, line, "END:VCARD", "no_end")
                continue
            record, problems = _card_record(props, file, line, region)
            yield from problems
            if record is not None:
                yield record


def _charset(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def _decode_bytes(raw: bytes, charsets: list[str]) -> str:
    for charset in charsets:
        if charset:
            try:
                return raw.decode(charset)
            except UnicodeDecodeError:
                continue
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _components(text: str) -> list[str]:
    """The parts of a structured value (N, ORG), split on ``;`` that is not escaped."""
    parts, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if char == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return [unescape_text(p).strip() for p in parts]


class _BadProperty(ValueError):
    pass


def _raw_value(prop: Property, card_charset: str) -> str:
    """The property's value as text: quoted-printable and base64 decoded, charset applied."""
    encoding = prop.param("ENCODING").upper()
    charsets = [c for c in (_charset(v) for v in prop.params.get("CHARSET", [])) if c]
    if card_charset and card_charset not in charsets:
        charsets.append(card_charset)
    if encoding == "QUOTED-PRINTABLE":
        data = prop.value.encode("utf-8", errors="surrogateescape")
        raw = _QP_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
        return _decode_bytes(raw.replace(b"=\r\n", b"").replace(b"=\n", b""), charsets)
    if encoding in {"BASE64", "B"}:
        try:
            raw = base64.b64decode("".join(prop.value.split()), validate=True)
        except (binascii.Error, ValueError):
            raise _BadProperty("base64") from None
        return _decode_bytes(raw, charsets)
    return prop.value


def _label(prop: Property, labels: dict[str, str]) -> str:
    if prop.group and prop.group.casefold() in labels:
        return labels[prop.group.casefold()]
    for value in prop.params.get("TYPE", []):
        for kind in value.split(","):
            label = _LABELS.get(kind.strip().casefold())
            if label:
                return label
    return ""


def _card_record(
    props: list[Property], file: str, line: int, region: str
) -> tuple[ContactRecord | None, list[Problem]]:
    problems: list[Problem] = []
    card_charset = next(
        (c for p in props for v in p.params.get("CHARSET", []) if (c := _charset(v))), ""
    )
    values: list[tuple[Property, str]] = []
    for prop in props:
        try:
            values.append((prop, _raw_value(prop, card_charset)))
        except _BadProperty as exc:
            problems.append(
                Problem(file, prop.line, prop.name, "bad_property", {"detail": str(exc)}, False)
            )
    labels = {}
    for prop, text in values:
        if prop.name == "X-ABLABEL" and prop.group:
            found = _ABLABEL.match(text.strip())
            labels[prop.group.casefold()] = (found.group(1) if found else text.strip()).casefold()
    given = last = full = organisation = title = url = website = birthday = note = uid = ""
    kind = "person"
    emails: list[tuple[str, str, str]] = []
    phones: list[tuple[str, str, str]] = []
    notes: list[str] = []
    for prop, text in values:
        name = prop.name
        if name == "N":
            parts = [*_components(text), "", "", ""]
            last = parts[0]
            given = " ".join(p for p in (parts[1], parts[2]) if p)
        elif name == "FN":
            full = unescape_text(text).strip()
        elif name == "EMAIL":
            emails.append((unescape_text(text), _label(prop, labels), "EMAIL"))
        elif name == "TEL":
            phones.append((unescape_text(text), _label(prop, labels), "TEL"))
        elif name == "ORG" and not organisation:
            organisation = _components(text)[0]
        elif name == "TITLE" and not title:
            title = unescape_text(text).strip()
        elif name in {"URL", "X-SOCIALPROFILE"}:
            address = unescape_text(text).strip()
            if linkedin_key(address):
                url = address
            elif name == "URL" and not website:
                website = address
        elif name == "BDAY":
            birthday = text.strip()
        elif name == "NOTE":
            notes.append(unescape_text(text).strip())
        elif name == "UID":
            uid = text.strip()
        elif (name == "KIND" and text.strip().casefold() in {"org", "organization"}) or (
            name == "X-ABSHOWAS" and text.strip().casefold() == "company"
        ):
            kind = "organisation"
    note = "\n".join(n for n in notes if n)
    if birthday[:8].isdigit() and "T" in birthday:
        birthday = birthday.split("T", 1)[0]
    record, row_problems = contact_record(
        file=file,
        line=line,
        source="vcard",
        given=given,
        last=last,
        full=full,
        emails=emails,
        phones=phones,
        organisation=organisation,
        title=title,
        linkedin_url=url,
        website=website,
        birthday=(birthday, "BDAY"),
        note=note,
        uid=uid,
        region=region,
        name_field="N",
        kind=kind,
        organisation_without_name=True,
    )
    return record, problems + row_problems
