"""Turning the fields a reader found into a :class:`ContactRecord`, or into problems.

One unreadable field costs that field, never the person: an e-mail address that is none, a
date that is none, a phone number that is none are left out with a warning and the row goes
in. Only a row without any name is skipped (or, for a card or contact list that names only an
organisation, read as that organisation).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kring.core.contact import InvalidContact, normalise_email, normalise_phone
from kring.core.importing.records import ContactRecord, Problem
from kring.core.importing.values import (
    EMPTY_VALUES,
    BadValue,
    linkedin_key,
    parse_date,
    split_given_and_surname,
)

__all__ = ["LIMITS", "clean_text", "contact_record"]

# The lengths the database keeps (kring.people.models); longer text is cut, with a warning.
LIMITS = {
    "given_name": 100,
    "particles": 30,
    "surname": 150,
    "title": 150,
    "organisation": 200,
    "note": 5000,
    "linkedin_url": 200,
    "website": 200,
    "label": 30,
}
EMAIL_MAX = 254  # RFC 5321; also the length of a contact point
# Control characters no name or address holds (tab, line feed and carriage return excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEVERAL_ADDRESSES = re.compile(r"[;,\s]+")


def clean_text(text: str) -> str:
    """``text`` without NUL and other control characters.

    >>> clean_text("Jan\\x00 Peeters\\x07")
    'Jan Peeters'
    """
    if not text or text.isalnum():
        return text
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def _addresses(text: str) -> list[str]:
    """One cell's addresses: Excel and Outlook put several in one cell with ; or ,."""
    if text.count("@") > 1:
        return [part for part in _SEVERAL_ADDRESSES.split(text) if part]
    return [text]


def contact_record(
    *,
    file: str,
    line: int,
    source: str,
    given: str = "",
    last: str = "",
    full: str = "",
    emails: Iterable[tuple[str, str, str]] = (),  # (text, label, field)
    phones: Iterable[tuple[str, str, str]] = (),
    organisation: str = "",
    title: str = "",
    linkedin_url: str = "",
    website: str = "",
    birthday: tuple[str, str] = ("", ""),  # (text, field)
    connected_on: tuple[str, str] = ("", ""),
    note: str = "",
    uid: str = "",
    region: str = "BE",
    month_first: bool = False,
    name_field: str = "name",
    kind: str = "person",
    organisation_without_name: bool = False,
) -> tuple[ContactRecord | None, list[Problem]]:
    """A record from one row's fields, or ``None`` and the problem that skips the row.

    Problems that do not skip the row (an address, a number or a date that cannot be read,
    text cut to fit) come back beside the record. ``kind`` "organisation" (a company's own
    card) makes an organisation record; so does a row with only an organisation name when
    ``organisation_without_name`` (contact lists: Google, Outlook, vCard).
    """
    problems: list[Problem] = []

    def warn(field: str, code: str, **params: object) -> None:
        problems.append(Problem(file, line, field, code, dict(params), skipped=False))

    given_name, particles, surname = split_given_and_surname(
        clean_text(given), clean_text(last), clean_text(full)
    )
    organisation = " ".join(clean_text(organisation).split())
    if kind != "organisation" and not given_name:
        if not (organisation_without_name and organisation):
            return None, [Problem(file, line, name_field, "no_name")]
        kind = "organisation"
    if kind == "organisation":
        if not organisation:
            organisation = " ".join(p for p in (given_name, particles, surname) if p)
        if not organisation:
            return None, [Problem(file, line, name_field, "no_name")]
        given_name = particles = surname = ""
    record = ContactRecord(
        file=file,
        line=line,
        source=source,
        given_name=given_name,
        particles=particles,
        surname=surname,
        organisation=organisation,
        title=" ".join(clean_text(title).split()),
        note=clean_text(note).strip(),
        uid=clean_text(uid).strip()[:200],
        kind=kind,
    )
    url = clean_text(linkedin_url).strip()
    if url and url.casefold() not in EMPTY_VALUES:
        if not linkedin_key(url):
            warn("URL", "not_linkedin", value=url[:80])
        else:
            record.linkedin_url = url
    site = clean_text(website).strip()
    if kind == "organisation" and site.casefold() not in EMPTY_VALUES:
        record.website = site if "://" in site else f"https://{site}" if "." in site else ""
    seen: set[str] = set()
    for raw, label, field in emails:
        for text in _addresses(clean_text(raw).strip()):
            if not text or text.casefold() in EMPTY_VALUES:
                continue
            try:
                address = normalise_email(text.removeprefix("mailto:"))
            except InvalidContact:
                warn(field, "bad_email", value=text[:80])
                continue
            if len(address) > EMAIL_MAX:
                warn(field, "bad_email", value=text[:80])
                continue
            if address.casefold() not in seen:
                seen.add(address.casefold())
                record.emails.append((address, label[: LIMITS["label"]]))
    for raw, label, field in phones:
        text = clean_text(raw).strip()
        if not text or text.casefold() in EMPTY_VALUES:
            continue
        try:
            number = normalise_phone(text.removeprefix("tel:"), region)
        except InvalidContact:
            warn(field, "bad_phone", value=text[:80])
            continue
        if number not in seen:
            seen.add(number)
            record.phones.append((number, label[: LIMITS["label"]]))
    for (text, field), attribute in ((birthday, "birthday"), (connected_on, "connected_on")):
        try:
            setattr(record, attribute, parse_date(clean_text(text), month_first=month_first))
        except BadValue as exc:
            warn(field, exc.code, value=exc.value[:80])
    for attribute, limit in LIMITS.items():
        value = getattr(record, attribute, None)
        if isinstance(value, str) and len(value) > limit:
            setattr(record, attribute, value[:limit].rstrip())
            warn(attribute, "cut", limit=limit)
    return record, problems
