"""People out, in standard formats (GDPR art. 20): vCard 4.0 and CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from kring.lib.csv import Cell, Phones, csv_lines
from kring.people.models import ContactPoint, Person

CSV_HEADER = [
    "Given name",
    "Particles",
    "Surname",
    "Full name",
    "Organisation",
    "Role",
    "E-mail",
    "Phone",
    "LinkedIn",
    "Birthday",
    "Tier",
    "Tags",
    "Last contact",
]


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("\n", "\\n")
        .replace("\r", "")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 6350 3.2)."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out) + "\r\n"


def _prefetched(people: Iterable[Person]) -> Iterable[Person]:
    if isinstance(people, QuerySet):
        return people.select_related("organisation", "relationship").prefetch_related(
            "contact_points", "tags"
        )
    return people


def people_as_vcards(people: Iterable[Person]) -> Iterator[str]:
    """One vCard 4.0 per person, as text chunks to stream."""
    for person in _prefetched(people):
        lines = [
            "BEGIN:VCARD",
            "VERSION:4.0",
            f"FN:{_escape(person.full_name)}",
            "N:"
            + ";".join(
                [
                    _escape(" ".join(p for p in (person.particles, person.surname) if p)),
                    _escape(person.given_name),
                    "",
                    "",
                    "",
                ]
            ),
        ]
        for point in person.contact_points.all():
            label = f";TYPE={point.label}" if point.label in {"work", "home"} else ""
            if point.kind == ContactPoint.Kind.EMAIL:
                lines.append(f"EMAIL{label}:{_escape(point.value)}")
            else:
                lines.append(f"TEL;VALUE=uri{label}:tel:{point.value}")
        if person.organisation:
            lines.append(f"ORG:{_escape(person.organisation.name)}")
        if person.title:
            lines.append(f"TITLE:{_escape(person.title)}")
        if person.linkedin_url:
            lines.append(f"URL;TYPE=linkedin:{person.linkedin_url}")
        if person.birthday:
            lines.append(f"BDAY:{person.birthday:%Y%m%d}")
        tags = [t.name for t in person.tags.all()]
        if tags:
            lines.append("CATEGORIES:" + ",".join(_escape(t) for t in tags))
        lines.append(f"UID:urn:kring:person:{person.pk}")
        lines.append("END:VCARD")
        yield "".join(_fold(line) for line in lines)


def _local_minute(moment: dt.datetime | None, zone: ZoneInfo) -> str:
    return "" if moment is None else f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"


def people_as_csv(people: Iterable[Person], zone: ZoneInfo) -> Iterator[str]:
    """A header and one row per person, as text chunks to stream, through the one CSV writer
    (:mod:`kring.lib.csv`: a name that looks like a formula is written as text); the last
    contact is written as the clocks in ``zone`` (the reader's) showed it."""
    return csv_lines(_csv_rows(people, zone), header=CSV_HEADER)


def _csv_rows(people: Iterable[Person], zone: ZoneInfo) -> Iterator[list[Cell]]:
    for person in _prefetched(people):
        points = list(person.contact_points.all())
        yield [
            person.given_name,
            person.particles,
            person.surname,
            person.full_name,
            person.organisation.name if person.organisation else "",
            person.title,
            " ".join(p.value for p in points if p.kind == ContactPoint.Kind.EMAIL),
            # Normalised by Kring to +<digits>: written as they are (see kring.lib.csv).
            Phones(" ".join(p.value for p in points if p.kind == ContactPoint.Kind.PHONE)),
            person.linkedin_url,
            person.birthday,
            person.relationship.tier,
            ", ".join(t.name for t in person.tags.all()),
            _local_minute(getattr(person, "last_contact", None), zone),
        ]
