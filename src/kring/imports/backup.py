"""The account's backup: everything an account has, as plain JSON-ready data (GDPR art. 15
and 20), read back in by :mod:`kring.imports.restore`.

The backup (format version 2) holds its people with their contact points' labels,
organisations, relationships and what it shares, interactions, notes, favours, asks, every
tag, the import keys, batches, proposals and merges, the planner's settings, touches and tier
proposals, the introductions it asked or was asked for, and its club and company activity
(answers and seats, want-to-meet lists, one-to-ones, referrals, seating rules, departments and
teams). Passwords,
API tokens and calendar-feed tokens stay out: they are credentials, not data; the audit log
stays on the server. How the account signs in (its single sign-on links, sessions with their
addresses, known devices, the names of its device passwords) goes out under ``sign_in`` for
the owner to read (GDPR art. 15) and is not restored: a restored account signs in anew and
links its provider again by its verified e-mail. It lives in the imports app, the one app
that may read every other.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q

from kring.accounts.models import DevicePassword, KnownDevice, SignIn, SingleSignOnIdentity, User
from kring.people.export import (
    FORMAT_VERSION,
    READABLE_VERSIONS,
    ask_row,
    favour_row,
    fields_of,
    interaction_row,
    note_row,
    organisation_row,
    person_row,
    plain,
    relationship_row,
)
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

__all__ = ["FORMAT_VERSION", "READABLE_VERSIONS", "USER_FIELDS", "account_as_dict"]


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
        "user": {"id": user.pk, "email": user.email, **fields_of(user, USER_FIELDS)},
        "workspaces": [
            {
                "id": m.workspace_id,
                "name": m.workspace.name,
                "kind": m.workspace.kind,
                "created_at": plain(m.workspace.created_at),
                "role": m.role,
                "membership": m.pk,
                "joined_at": plain(m.joined_at),
            }
            for m in user.memberships.select_related("workspace").order_by("workspace_id")
        ],
        "tags": [
            {"id": t.pk, "name": t.name} for t in Tag.objects.filter(owner=user).order_by("id")
        ],
        "organisations": [
            organisation_row(o)
            for o in Organisation.objects.filter(owner=user)
            .prefetch_related("competes_with", "tags")
            .order_by("id")
        ],
        "people": [person_row(p) for p in people],
        "relationships": [
            {"person": r.person_id, "id": r.pk, **relationship_row(r)} for r in relationships
        ],
        "interactions": [
            interaction_row(i)
            for i in Interaction.objects.filter(owner=user)
            .prefetch_related(Prefetch("people", queryset=Person.objects.only("id")))
            .order_by("id")
        ],
        "intelligence_notes": [
            note_row(n)
            for n in IntelligenceNote.objects.filter(owner=user)
            .prefetch_related("tags")
            .order_by("id")
        ],
        "favours": [favour_row(f) for f in Favour.objects.filter(owner=user).order_by("id")],
        "asks": [ask_row(a) for a in Ask.objects.filter(owner=user).order_by("id")],
        "import_keys": [
            fields_of(k, ("id", "key", "person_id", "interaction_id"))
            for k in ImportedKey.objects.filter(owner=user).order_by("id")
        ],
        "import_batches": [
            {
                **fields_of(
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
            fields_of(
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
            fields_of(
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
        "sign_in": _sign_in(user),
    }


def _sign_in(user: User) -> dict[str, Any]:
    """What the server keeps about how the account signs in: read, never restored."""
    return {
        "single_sign_on": [
            fields_of(i, ("issuer", "subject", "email", "linked_at", "last_used_at"))
            for i in SingleSignOnIdentity.objects.filter(user=user).order_by("id")
        ],
        "sessions": [
            fields_of(s, ("user_agent", "ip_address", "created_at", "last_seen_at"))
            for s in SignIn.objects.filter(user=user).order_by("created_at", "id")
        ],
        "known_devices": [
            fields_of(d, ("key", "first_seen_at"))
            for d in KnownDevice.objects.filter(user=user).order_by("first_seen_at", "id")
        ],
        "device_passwords": [
            fields_of(d, ("name", "created_at", "last_used_at"))
            for d in DevicePassword.objects.filter(user=user).order_by("created_at", "id")
        ],
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
        WantToMeet,
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
    # Want-to-meet lists: the account's own, and other members' wishes to meet it (it took
    # part in them, as in a one-to-one another member logged).
    wishes = list(
        WantToMeet.objects.filter(Q(member=user) | Q(other=user))
        .select_related("member", "other")
        .order_by("id")
    )
    meeting_ids |= {w.meeting_id for w in wishes}
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
            "settings": fields_of(
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
                fields_of(
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
                    **fields_of(
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
                **fields_of(
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
                **fields_of(d, ("id", "workspace_id", "left_at", "keep_name")),
                "workspace_name": d.workspace.name,
            }
            for d in Departure.objects.filter(user=user).select_related("workspace").order_by("id")
        ],
        "club": {
            "meetings": [
                fields_of(
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
                {**fields_of(t, ("id", "meeting_id", "name", "capacity")), "host": email(t.host_id)}
                for t in sorted(tables, key=lambda t: t.pk)
            ],
            "attendances": [
                fields_of(a, ("id", "meeting_id", "answer", "table_id", "locked"))
                for a in attendances
            ],
            "want_to_meet": [
                {
                    **fields_of(w, ("id", "meeting_id", "created_at")),
                    "member": w.member.email,
                    "other": w.other.email,
                }
                for w in wishes
            ],
            "one_to_ones": [
                {
                    **fields_of(o, ("id", "workspace_id", "met_on", "note")),
                    "logged_by": email(o.logged_by_id),
                    "with_member": email(o.with_member_id),
                }
                for o in OneToOne.objects.filter(Q(logged_by=user) | Q(with_member=user)).order_by(
                    "id"
                )
            ],
            "referrals": [
                {
                    **fields_of(
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
                    **fields_of(r, ("id", "workspace_id", "reason", "created_at")),
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
                fields_of(d, ("id", "workspace_id", "department"))
                for d in DepartmentAssignment.objects.filter(user=user).order_by("id")
            ],
            "team_members": [
                fields_of(t, ("id", "team_id", "department"))
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
