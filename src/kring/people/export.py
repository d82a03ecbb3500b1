"""Everything stored about one person as plain JSON-ready data (GDPR art. 15 and 20), and
the record's rows in the shape the account's backup (:mod:`kring.imports.backup`) writes them.
Read-only: these functions take rows the caller already has access to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from kring.accounts.models import User
from kring.lib.errors import NotFound
from kring.people.models import (
    Ask,
    Favour,
    IntelligenceNote,
    Interaction,
    Organisation,
    Person,
    Relationship,
)

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


def plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def fields_of(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row, JSON-ready; ``x_id`` is written as ``x``."""
    return {name.removesuffix("_id"): plain(getattr(obj, name)) for name in names}


def interaction_row(i: Interaction) -> dict[str, Any]:
    return {
        "id": i.pk,
        "occurred_at": plain(i.occurred_at),
        "channel": i.channel,
        "minutes": i.minutes,
        "initiated_by": i.initiated_by,
        "answered": i.answered,
        "summary": i.summary,
        "people": [p.pk for p in i.people.all()],
        "created_at": plain(i.created_at),
    }


def note_row(n: IntelligenceNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "person": n.person_id,
        "text": n.text,
        "tags": [t.name for t in n.tags.all()],
        "noted_on": plain(n.noted_on),
        "created_at": plain(n.created_at),
    }


def favour_row(f: Favour) -> dict[str, Any]:
    return {
        "id": f.pk,
        "person": f.person_id,
        "direction": f.direction,
        "kind": f.kind,
        "value_eur": plain(f.value_eur),
        "occurred_on": plain(f.occurred_on),
        "description": f.description,
        "created_at": plain(f.created_at),
    }


def ask_row(a: Ask) -> dict[str, Any]:
    return {
        "id": a.pk,
        "person": a.person_id,
        "text": a.text,
        "role": a.role,
        "sector": a.sector,
        "region": a.region,
        "organisation_name": a.organisation_name,
        "valid_from": plain(a.valid_from),
        "valid_to": plain(a.valid_to),
        "created_at": plain(a.created_at),
    }


def relationship_row(r: Relationship) -> dict[str, Any]:
    return {
        "tier": r.tier,
        "how_met": r.how_met,
        "introduced_by": r.introduced_by_id,
        "private_notes": r.private_notes,
        "snoozed_until": plain(r.snoozed_until),
        "dont_contact_before": plain(r.dont_contact_before),
        "stars": r.stars,
        "shares": [
            {
                "id": s.pk,
                "workspace": s.workspace_id,
                "level": s.level,
                "updated_at": plain(s.updated_at),
            }
            for s in r.shares.all()
        ],
        "created_at": plain(r.created_at),
        "updated_at": plain(r.updated_at),
    }


def person_row(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "given_name": p.given_name,
        "particles": p.particles,
        "surname": p.surname,
        "full_name": p.full_name,
        "emails": [c.value for c in p.contact_points.all() if c.kind == "email"],
        "phones": [c.value for c in p.contact_points.all() if c.kind == "phone"],
        "contact_points": [
            {"id": c.pk, "kind": c.kind, "value": c.value, "label": c.label}
            for c in sorted(p.contact_points.all(), key=lambda c: c.pk)
        ],
        "linkedin_url": p.linkedin_url,
        "title": p.title,
        "organisation": p.organisation_id,
        "sector": p.sector,
        "region": p.region,
        "languages": p.languages,
        "birthday": plain(p.birthday),
        "interests": p.interests,
        "hobbies": p.hobbies,
        "family_notes": p.family_notes,
        "tags": [t.name for t in p.tags.all()],
        "created_at": plain(p.created_at),
        "updated_at": plain(p.updated_at),
    }


def organisation_row(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "name": o.name,
        "sector": o.sector,
        "size": o.size,
        "region": o.region,
        "website": o.website,
        "competes_with": sorted(c.pk for c in o.competes_with.all()),
        "tags": [t.name for t in o.tags.all()],
        "created_at": plain(o.created_at),
        "updated_at": plain(o.updated_at),
    }


def person_as_dict(user: User, person: Person) -> dict[str, Any]:
    """Everything ``user`` stores about ``person``."""
    if person.owner_id != user.pk:
        raise NotFound("person", person.pk)
    return {
        "format": "kring-person",
        "version": FORMAT_VERSION,
        "person": person_row(person),
        "organisation": organisation_row(person.organisation) if person.organisation else None,
        "relationship": relationship_row(person.relationship),
        "interactions": [interaction_row(i) for i in person.interactions.filter(owner=user)],
        "intelligence_notes": [note_row(n) for n in person.intelligence_notes.filter(owner=user)],
        "favours": [favour_row(f) for f in person.favours.filter(owner=user)],
        "asks": [ask_row(a) for a in person.asks.filter(owner=user)],
    }
