"""Everything stored about one person, or one account, as plain JSON-ready data (GDPR art. 15
and 20). Read-only: these functions take rows the caller already has access to.

The account's backup (``account_as_dict``, format version 2) holds everything the account
has: its people with their contact points' labels, organisations, relationships and what it
shares, interactions, notes, favours, asks, every tag, the import keys, batches, proposals
and merges, the planner's settings, touches and tier proposals, the introductions it asked or
was asked for, and its club and company activity (answers and seats, one-to-ones, referrals,
seating rules, departments and teams). Passwords, API tokens and calendar-feed tokens stay
out: they are credentials, not data; the audit log stays on the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q

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
    Tag,
)

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row, JSON-ready; ``x_id`` is written as ``x``."""
    return {name.removesuffix("_id"): _plain(getattr(obj, name)) for name in names}


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
        "created_at": _plain(i.created_at),
    }


def _note(n: IntelligenceNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "person": n.person_id,
        "text": n.text,
        "tags": [t.name for t in n.tags.all()],
        "noted_on": _plain(n.noted_on),
        "created_at": _plain(n.created_at),
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
        "created_at": _plain(f.created_at),
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
        "created_at": _plain(a.created_at),
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
        "shares": [
            {
                "id": s.pk,
                "workspace": s.workspace_id,
                "level": s.level,
                "updated_at": _plain(s.updated_at),
            }
            for s in r.shares.all()
        ],
        "created_at": _plain(r.created_at),
        "updated_at": _plain(r.updated_at),
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
        "birthday": _plain(p.birthday),
        "interests": p.interests,
        "hobbies": p.hobbies,
        "family_notes": p.family_notes,
        "tags": [t.name for t in p.tags.all()],
        "created_at": _plain(p.created_at),
        "updated_at": _plain(p.updated_at),
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
        "created_at": _plain(o.created_at),
        "updated_at": _plain(o.updated_at),
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


USER_FIELDS = (
    "display_name",
    "first_name",
    "last_name",
    "language",
    "country",
    "weekly_budget_minutes",
    "organisation",
    "sector",
    "offer",
    "seeking",
    "ideal_customer",
    "own_addresses",
    "date_joined",
)


def account_as_dict(user: User) -> dict[str, Any]:
    """Everything stored in one account, in a form another program can read (and
    ``kring restore`` reads back)."""
    from kring.imports.models import ImportBatch, ImportedKey, Merge, MergeProposal

    people = (
        Person.objects.filter(owner=user).prefetch_related("contact_points", "tags").order_by("id")
    )
    relationships = (
        Relationship.objects.filter(owner=user).prefetch_related("shares").order_by("person_id")
    )
    return {
        "format": "kring-account",
        "version": FORMAT_VERSION,
        "user": {"id": user.pk, "email": user.email, **_fields(user, USER_FIELDS)},
        "workspaces": [
            {
                "id": m.workspace_id,
                "name": m.workspace.name,
                "kind": m.workspace.kind,
                "created_at": _plain(m.workspace.created_at),
                "role": m.role,
                "membership": m.pk,
                "joined_at": _plain(m.joined_at),
            }
            for m in user.memberships.select_related("workspace").order_by("workspace_id")
        ],
        "tags": [
            {"id": t.pk, "name": t.name} for t in Tag.objects.filter(owner=user).order_by("id")
        ],
        "organisations": [
            _organisation(o)
            for o in Organisation.objects.filter(owner=user)
            .prefetch_related("competes_with", "tags")
            .order_by("id")
        ],
        "people": [_person(p) for p in people],
        "relationships": [
            {"person": r.person_id, "id": r.pk, **_relationship(r)} for r in relationships
        ],
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
        "import_keys": [
            _fields(k, ("id", "key", "person_id", "interaction_id"))
            for k in ImportedKey.objects.filter(owner=user).order_by("id")
        ],
        "import_batches": [
            {
                **_fields(
                    b,
                    (
                        "id",
                        "status",
                        "preview",
                        "report",
                        "error",
                        "failure",
                        "created_at",
                        "started_at",
                        "finished_at",
                    ),
                ),
                # The files themselves are not in the backup: their names and sizes are.
                "files": [
                    {"name": f.get("name", ""), "size": f.get("size", 0), "stored": ""}
                    for f in b.files
                ],
            }
            for b in ImportBatch.objects.filter(owner=user).order_by("id")
        ],
        "merge_proposals": [
            _fields(
                p,
                (
                    "id",
                    "batch_id",
                    "person_id",
                    "duplicate_id",
                    "score",
                    "status",
                    "created_at",
                    "decided_at",
                ),
            )
            for p in MergeProposal.objects.filter(owner=user).order_by("id")
        ],
        "merges": [
            _fields(
                m,
                (
                    "id",
                    "person_id",
                    "batch_id",
                    "kind",
                    "name",
                    "source",
                    "changes",
                    "created_at",
                    "undone_at",
                ),
            )
            for m in Merge.objects.filter(owner=user).order_by("id")
        ],
        **_activity(user),
    }


def _activity(user: User) -> dict[str, Any]:
    """The planner, introductions, clubs and teams: what the account did and was part of.

    Other members are named by e-mail address (their ids mean nothing on another server)."""
    from kring.clubs.models import (
        Attendance,
        Guest,
        Meeting,
        MeetingTable,
        OneToOne,
        Referral,
        SeatingRule,
    )
    from kring.network.models import Introduction
    from kring.planner.models import PlannedTouch, PlannerSettings, TierProposal
    from kring.teams.models import DepartmentAssignment, Rotation, TeamMember
    from kring.workspaces.models import Departure, Invitation

    settings = PlannerSettings.objects.filter(user=user).first()
    attendances = list(
        Attendance.objects.filter(user=user).select_related("meeting", "table").order_by("id")
    )
    meeting_ids = {a.meeting_id for a in attendances}
    tables = {a.table for a in attendances if a.table is not None} | set(
        MeetingTable.objects.filter(host=user)
    )
    meeting_ids |= {t.meeting_id for t in tables}

    def email(user_id: int | None) -> str | None:
        if user_id is None:
            return None
        return User.objects.filter(pk=user_id).values_list("email", flat=True).first()

    return {
        "planner": {
            "settings": _fields(
                settings,
                (
                    "id",
                    "a_min_days",
                    "a_max_days",
                    "b_days",
                    "max_unanswered",
                    "snooze_days",
                    "slots",
                    "digest_enabled",
                    "last_digest_week",
                    "last_review_at",
                ),
            )
            if settings is not None
            else None,
            "touches": [
                _fields(
                    t,
                    (
                        "id",
                        "person_id",
                        "week",
                        "reasons",
                        "channel",
                        "minutes",
                        "value",
                        "starts_at",
                        "status",
                        "interaction_id",
                    ),
                )
                for t in PlannedTouch.objects.filter(owner=user).order_by("id")
            ],
            "tier_proposals": [
                {
                    "person": t.relationship.person_id,
                    **_fields(
                        t, ("id", "proposed", "reason", "created_at", "decision", "decided_tier")
                    ),
                }
                for t in TierProposal.objects.filter(relationship__owner=user)
                .select_related("relationship")
                .order_by("id")
            ],
        },
        "introductions": [
            {
                **_fields(
                    i,
                    (
                        "id",
                        "workspace_id",
                        "target_id",
                        "reason",
                        "status",
                        "opt_in_digest",
                        "value_eur",
                        "created_at",
                        "updated_at",
                    ),
                ),
                "requester": i.requester.email,
                "connector": i.connector.email,
            }
            for i in Introduction.objects.filter(Q(requester=user) | Q(connector=user))
            .select_related("requester", "connector")
            .order_by("id")
        ],
        "departures": [
            {
                **_fields(d, ("id", "workspace_id", "left_at", "keep_name")),
                "workspace_name": d.workspace.name,
            }
            for d in Departure.objects.filter(user=user).select_related("workspace").order_by("id")
        ],
        "club": {
            "meetings": [
                _fields(
                    m,
                    (
                        "id",
                        "workspace_id",
                        "title",
                        "starts_at",
                        "venue",
                        "policy",
                        "seated_at",
                        "report",
                        "invited_at",
                        "seating_state",
                        "seating_error",
                        "created_at",
                    ),
                )
                for m in Meeting.objects.filter(pk__in=meeting_ids).order_by("id")
            ],
            "tables": [
                {**_fields(t, ("id", "meeting_id", "name", "capacity")), "host": email(t.host_id)}
                for t in sorted(tables, key=lambda t: t.pk)
            ],
            "attendances": [
                _fields(a, ("id", "meeting_id", "answer", "table_id", "locked"))
                for a in attendances
            ],
            "one_to_ones": [
                {
                    **_fields(o, ("id", "workspace_id", "met_on", "note")),
                    "logged_by": email(o.logged_by_id),
                    "with_member": email(o.with_member_id),
                }
                for o in OneToOne.objects.filter(Q(logged_by=user) | Q(with_member=user)).order_by(
                    "id"
                )
            ],
            "referrals": [
                {
                    **_fields(
                        r,
                        (
                            "id",
                            "workspace_id",
                            "contact",
                            "details",
                            "temperature",
                            "status",
                            "amount_eur",
                            "given_on",
                            "updated_at",
                        ),
                    ),
                    "giver": email(r.giver_id),
                    "receiver": email(r.receiver_id),
                }
                for r in Referral.objects.filter(Q(giver=user) | Q(receiver=user)).order_by("id")
            ],
            "seating_rules": [
                {
                    **_fields(r, ("id", "workspace_id", "reason", "created_at")),
                    "first": email(r.first_id),
                    "second": email(r.second_id),
                }
                for r in SeatingRule.objects.filter(Q(first=user) | Q(second=user)).order_by("id")
            ],
            "guests_invited": list(
                Guest.objects.filter(invited_by=user).values_list("id", flat=True)
            ),
        },
        "teams": {
            "departments": [
                _fields(d, ("id", "workspace_id", "department"))
                for d in DepartmentAssignment.objects.filter(user=user).order_by("id")
            ],
            "team_members": [
                _fields(t, ("id", "team_id", "department"))
                for t in TeamMember.objects.filter(user=user).order_by("id")
            ],
            "rotations_created": list(
                Rotation.objects.filter(created_by=user).values_list("id", flat=True)
            ),
        },
        "invitations_sent": list(
            Invitation.objects.filter(invited_by=user).values_list("id", flat=True)
        ),
    }
