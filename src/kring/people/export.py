"""Everything stored about one person, or one account, as plain JSON-ready data (GDPR art. 15
and 20). Read-only: these functions take rows the caller already has access to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

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

FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _interaction(i: Interaction) -> dict[str, Any]:
    return {
        "id": i.pk,
        "occurred_at": _plain(i.occurred_at),
        "channel": i.channel,
        "minutes": i.minutes,
        "initiated_by": i.initiated_by,
        "answered": i.answered,
        "summary": i.summary,
        "people": [p.pk for p in i.people.all()],
    }


def _note(n: IntelligenceNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "person": n.person_id,
        "text": n.text,
        "tags": [t.name for t in n.tags.all()],
        "noted_on": _plain(n.noted_on),
    }


def _favour(f: Favour) -> dict[str, Any]:
    return {
        "id": f.pk,
        "person": f.person_id,
        "direction": f.direction,
        "kind": f.kind,
        "value_eur": _plain(f.value_eur),
        "occurred_on": _plain(f.occurred_on),
        "description": f.description,
    }


def _ask(a: Ask) -> dict[str, Any]:
    return {
        "id": a.pk,
        "person": a.person_id,
        "text": a.text,
        "role": a.role,
        "sector": a.sector,
        "region": a.region,
        "organisation_name": a.organisation_name,
        "valid_from": _plain(a.valid_from),
        "valid_to": _plain(a.valid_to),
    }


def _relationship(r: Relationship) -> dict[str, Any]:
    return {
        "tier": r.tier,
        "how_met": r.how_met,
        "introduced_by": r.introduced_by_id,
        "private_notes": r.private_notes,
        "snoozed_until": _plain(r.snoozed_until),
        "dont_contact_before": _plain(r.dont_contact_before),
        "stars": r.stars,
        "shares": [{"workspace": s.workspace_id, "level": s.level} for s in r.shares.all()],
    }


def _person(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "given_name": p.given_name,
        "particles": p.particles,
        "surname": p.surname,
        "full_name": p.full_name,
        "emails": [c.value for c in p.contact_points.all() if c.kind == "email"],
        "phones": [c.value for c in p.contact_points.all() if c.kind == "phone"],
        "linkedin_url": p.linkedin_url,
        "title": p.title,
        "organisation": p.organisation_id,
        "sector": p.sector,
        "region": p.region,
        "languages": p.languages,
        "birthday": _plain(p.birthday),
        "interests": p.interests,
        "hobbies": p.hobbies,
        "family_notes": p.family_notes,
        "tags": [t.name for t in p.tags.all()],
        "created_at": _plain(p.created_at),
    }


def _organisation(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "name": o.name,
        "sector": o.sector,
        "size": o.size,
        "region": o.region,
        "website": o.website,
        "competes_with": sorted(c.pk for c in o.competes_with.all()),
        "tags": [t.name for t in o.tags.all()],
    }


def person_as_dict(user: User, person: Person) -> dict[str, Any]:
    """Everything ``user`` stores about ``person``."""
    if person.owner_id != user.pk:
        raise NotFound("person", person.pk)
    return {
        "format": "kring-person",
        "version": FORMAT_VERSION,
        "person": _person(person),
        "organisation": _organisation(person.organisation) if person.organisation else None,
        "relationship": _relationship(person.relationship),
        "interactions": [_interaction(i) for i in person.interactions.filter(owner=user)],
        "intelligence_notes": [_note(n) for n in person.intelligence_notes.filter(owner=user)],
        "favours": [_favour(f) for f in person.favours.filter(owner=user)],
        "asks": [_ask(a) for a in person.asks.filter(owner=user)],
    }


def account_as_dict(user: User) -> dict[str, Any]:
    """Everything stored in one account, in a form another program can read."""
    people = (
        Person.objects.filter(owner=user).prefetch_related("contact_points", "tags").order_by("id")
    )
    relationships = (
        Relationship.objects.filter(owner=user).prefetch_related("shares").order_by("person_id")
    )
    return {
        "format": "kring-account",
        "version": FORMAT_VERSION,
        "user": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "country": user.country,
            "weekly_budget_minutes": user.weekly_budget_minutes,
        },
        "workspaces": [
            {
                "id": m.workspace_id,
                "name": m.workspace.name,
                "kind": m.workspace.kind,
                "role": m.role,
            }
            for m in user.memberships.select_related("workspace").order_by("workspace_id")
        ],
        "organisations": [
            _organisation(o)
            for o in Organisation.objects.filter(owner=user)
            .prefetch_related("competes_with", "tags")
            .order_by("id")
        ],
        "people": [_person(p) for p in people],
        "relationships": [{"person": r.person_id, **_relationship(r)} for r in relationships],
        "interactions": [
            _interaction(i)
            for i in Interaction.objects.filter(owner=user)
            .prefetch_related(Prefetch("people", queryset=Person.objects.only("id")))
            .order_by("id")
        ],
        "intelligence_notes": [
            _note(n)
            for n in IntelligenceNote.objects.filter(owner=user)
            .prefetch_related("tags")
            .order_by("id")
        ],
        "favours": [_favour(f) for f in Favour.objects.filter(owner=user).order_by("id")],
        "asks": [_ask(a) for a in Ask.objects.filter(owner=user).order_by("id")],
    }
