"""vCard 2.1, 3.0 and 4.0 in, through ``vobject``; one card at a time.

The file is cut into cards by their BEGIN/END lines before ``vobject`` reads each, so a file
of 10,000 cards never sits in memory whole and one broken card is reported, not fatal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import vobject

from kring.core.importing.build import contact_record
from kring.core.importing.encoding import text_stream
from kring.core.importing.records import ContactRecord, Problem
from kring.core.importing.values import linkedin_key

__all__ = ["read_vcards", "split_cards"]

Opener = Callable[[], BinaryIO]
_QP = re.compile(r"ENCODING=QUOTED-PRINTABLE|;QUOTED-PRINTABLE[;:]", re.IGNORECASE)
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
MAX_CARD_LINES = 5000  # a card longer than this is no contact (a photo is folded, not split)


def split_cards(lines: Iterator[str]) -> Iterator[tuple[int, str | None]]:
    """(first line, text) of each BEGIN:VCARD … END:VCARD block; text None if unfinished.

    Quoted-printable soft line breaks (a line ending in ``=``) are joined here, as
    ``vobject`` does not always manage them.
    """
    card: list[str] | None = None
    start = 0
    joining = False
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if card is None:
            if line.strip().upper() == "BEGIN:VCARD":
                card, start, joining = [line], number, False
            continue
        if joining:
            card[-1] = card[-1][:-1] + line
        else:
            if line.strip().upper() == "BEGIN:VCARD":  # the previous card never ended
                yield start, None
                card, start = [line], number
                continue
            card.append(line)
        joining = bool(card[-1].endswith("=") and _QP.search(card[-1].split(":", 1)[0] + ":"))
        if line.strip().upper() == "END:VCARD":
            yield start, "\r\n".join(card) + "\r\n"
            card = None
        elif len(card) > MAX_CARD_LINES:
            yield start, None
            card = None
    if card is not None:
        yield start, None


def read_vcards(
    opener: Opener, encoding: str, file: str, *, region: str = "BE"
) -> Iterator[ContactRecord | Problem]:
    """Every card of a vCard file as a record, or the problem that skips it."""
    with opener() as binary:
        for line, text in split_cards(iter(text_stream(binary, encoding))):
            if text is None:
                yield Problem(file, line, "END:VCARD", "the card has no end")
                continue
            try:
                card = vobject.readOne(text, ignoreUnreadable=True)
            except Exception as exc:  # vobject raises many kinds on bad input
                message = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
                yield Problem(file, line, "vCard", f"unreadable card: {message}")
                continue
            try:
                record, problems = _card_record(card, file, line, region)
            except Exception as exc:  # a property whose value vobject left in a strange shape
                yield Problem(file, line, "vCard", f"unreadable card: {type(exc).__name__}")
                continue
            yield from problems
            if record is not None:
                yield record


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value if v)
    if isinstance(value, bytes):
        return ""
    return str(value or "").strip()


def _label(prop: Any, labels: dict[str, str]) -> str:
    if prop.group and prop.group in labels:
        return labels[prop.group]
    types: list[str] = list(getattr(prop, "singletonparams", []) or [])
    for value in prop.params.get("TYPE", []):
        types.extend(str(value).split(","))
    for kind in types:
        label = _LABELS.get(kind.strip().strip('"').casefold())
        if label:
            return label
    return ""


def _card_record(
    card: Any, file: str, line: int, region: str
) -> tuple[ContactRecord | None, list[Problem]]:
    children = list(card.getChildren())
    labels = {}
    for prop in children:
        if prop.name == "X-ABLABEL" and prop.group:
            text = _text(prop.value)
            found = _ABLABEL.match(text)
            labels[prop.group] = (found.group(1) if found else text).casefold()
    given = last = full = organisation = title = url = birthday = note = uid = ""
    emails: list[tuple[str, str, str]] = []
    phones: list[tuple[str, str, str]] = []
    for prop in children:
        name = prop.name
        if name == "N" and hasattr(prop.value, "family"):
            n = prop.value
            given = " ".join(_text(p) for p in (n.given, n.additional) if _text(p))
            last = _text(n.family)
        elif name == "FN":
            full = _text(prop.value)
        elif name == "EMAIL":
            emails.append((_text(prop.value), _label(prop, labels), "EMAIL"))
        elif name == "TEL":
            phones.append((_text(prop.value), _label(prop, labels), "TEL"))
        elif name == "ORG" and not organisation:
            value = prop.value
            organisation = _text(value[0] if isinstance(value, list) and value else value)
        elif name == "TITLE" and not title:
            title = _text(prop.value)
        elif name in {"URL", "X-SOCIALPROFILE"} and linkedin_key(_text(prop.value)):
            url = _text(prop.value)
        elif name == "BDAY":
            birthday = _text(prop.value)
        elif name == "NOTE":
            note = "\n".join(p for p in (note, _text(prop.value)) if p)
        elif name == "UID":
            uid = _text(prop.value)
    return contact_record(
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
        birthday=(birthday, "BDAY"),
        note=note,
        uid=uid,
        region=region,
        name_field="N",
    )
