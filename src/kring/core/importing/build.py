"""Turning the fields a reader found into a :class:`ContactRecord`, or into problems."""

from __future__ import annotations

from collections.abc import Iterable

from kring.core.contact import InvalidContact, normalise_email, normalise_phone
from kring.core.importing.records import ContactRecord, Problem
from kring.core.importing.values import BadValue, linkedin_key, parse_date, split_given_and_surname

__all__ = ["LIMITS", "contact_record"]

# The lengths the record keeps (kring.people.models); longer text is cut, with a warning.
LIMITS = {
    "given_name": 100,
    "particles": 30,
    "surname": 150,
    "title": 150,
    "organisation": 200,
    "note": 5000,
    "linkedin_url": 200,
    "label": 30,
}


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
    birthday: tuple[str, str] = ("", ""),  # (text, field)
    connected_on: tuple[str, str] = ("", ""),
    note: str = "",
    uid: str = "",
    region: str = "BE",
    month_first: bool = False,
    name_field: str = "name",
) -> tuple[ContactRecord | None, list[Problem]]:
    """A record from one row's fields, or ``None`` and the problems that skip the row.

    Problems that do not skip the row (a phone number that is no number, text cut to fit)
    come back beside the record.
    """
    problems: list[Problem] = []

    def skip(field: str, message: str) -> tuple[None, list[Problem]]:
        return None, [*problems, Problem(file, line, field, message)]

    given_name, particles, surname = split_given_and_surname(given, last, full)
    if not given_name:
        return skip(name_field, "no name at all")
    record = ContactRecord(
        file=file,
        line=line,
        source=source,
        given_name=given_name,
        particles=particles,
        surname=surname,
        organisation=" ".join(organisation.split()),
        title=" ".join(title.split()),
        note=note.strip(),
        uid=uid.strip()[:200],
    )
    if linkedin_url.strip():
        if not linkedin_key(linkedin_url):
            problems.append(
                Problem(file, line, "URL", "not a LinkedIn profile address", skipped=False)
            )
        else:
            record.linkedin_url = linkedin_url.strip()
    seen: set[str] = set()
    for text, label, field in emails:
        if not text.strip():
            continue
        try:
            address = normalise_email(text)
        except InvalidContact:
            return skip(field, f"{text.strip()!r} is not an e-mail address")
        if address.casefold() not in seen:
            seen.add(address.casefold())
            record.emails.append((address, label[: LIMITS["label"]]))
    for text, label, field in phones:
        if not text.strip():
            continue
        try:
            number = normalise_phone(text.removeprefix("tel:"), region)
        except InvalidContact:
            problems.append(
                Problem(file, line, field, f"{text.strip()!r} is not a phone number", False)
            )
            continue
        if number not in seen:
            seen.add(number)
            record.phones.append((number, label[: LIMITS["label"]]))
    for (text, field), attribute in ((birthday, "birthday"), (connected_on, "connected_on")):
        try:
            setattr(record, attribute, parse_date(text, month_first=month_first))
        except BadValue as exc:
            if attribute == "birthday" and text.strip().startswith("--"):
                continue  # a birthday without a year: the record keeps only full dates
            return skip(field, str(exc))
    for attribute, limit in LIMITS.items():
        value = getattr(record, attribute, None)
        if isinstance(value, str) and len(value) > limit:
            setattr(record, attribute, value[:limit].rstrip())
            problems.append(
                Problem(file, line, attribute, f"cut to {limit} characters", skipped=False)
            )
    return record, problems
