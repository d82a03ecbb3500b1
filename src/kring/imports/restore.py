"""`kring restore`: an account's JSON backup (``account_as_dict``) read back in, whole.

Ids are kept wherever they are free — into an empty database, or into the same server after
the account was deleted — so that the restored account's tables hold what they held; where an
id is taken, the rows get new ids and every reference follows. Workspaces and meetings that
still exist (same id and name) are joined again, not copied. Club activity with another member
comes back when that member has an account here (found by e-mail address); what cannot come
back is counted in the :class:`Restored` report. Versions 1 and 2 of the format are read.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
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
from kring.core.names import sort_key
from kring.imports.backup import READABLE_VERSIONS, USER_FIELDS
from kring.imports.models import ImportBatch, ImportedKey, Merge, MergeProposal
from kring.lib import clock
from kring.network.models import Introduction
from kring.people.models import (
    Ask,
    ContactPoint,
    Favour,
    IntelligenceNote,
    Interaction,
    Organisation,
    Person,
    Relationship,
    Share,
    Tag,
)
from kring.planner.models import PlannedTouch, PlannerSettings, TierProposal
from kring.teams.models import DepartmentAssignment, Rotation, Team, TeamMember
from kring.workspaces.models import Departure, Invitation, Membership, Workspace


class BackupError(ValueError):
    """The file is not a backup Kring can restore, or the account exists already."""


@dataclass
class Restored:
    """The restored account, and what of the backup could not come back (by kind)."""

    user: User
    skipped: Counter[str] = field(default_factory=Counter)


def _value(model: type[models.Model], name: str, raw: Any) -> Any:
    for f in model._meta.concrete_fields:
        if name in (f.name, f.attname):
            if raw is None:
                return None
            if isinstance(f, models.JSONField):
                return raw
            return f.to_python(raw)
    raise BackupError(f"{model._meta.model_name} has no field {name!r}")


@contextlib.contextmanager
def _timestamps_as_given(*restored: type[models.Model]) -> Iterator[None]:
    """Let rows keep the times the backup gives, not the time of the restore."""
    switched = []
    for model in restored:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))  # type: ignore[attr-defined]
                f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, now, add in switched:
            f.auto_now, f.auto_now_add = now, add  # type: ignore[attr-defined]


_MODELS: list[type[models.Model]] = [
    User,
    Workspace,
    Membership,
    Departure,
    Tag,
    Organisation,
    Person,
    ContactPoint,
    Relationship,
    Share,
    Interaction,
    IntelligenceNote,
    Favour,
    Ask,
    ImportBatch,
    ImportedKey,
    MergeProposal,
    Merge,
    PlannerSettings,
    PlannedTouch,
    TierProposal,
    Introduction,
    Meeting,
    MeetingTable,
    Attendance,
    OneToOne,
    Referral,
    SeatingRule,
    WantToMeet,
    DepartmentAssignment,
    TeamMember,
]


class _Restore:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.maps: dict[type[models.Model], dict[int, int]] = {}
        self.skipped: Counter[str] = Counter()
        self.now = clock.now()
        self.users: dict[str, User | None] = {}
        self.tag_ids: dict[str, int] | None = None

    # -- ids ---------------------------------------------------------------------------------

    def get(self, model: type[models.Model], old: Any) -> Any:
        """The new id of a row the backup names by ``old`` (``None`` stays ``None``)."""
        if old is None:
            return None
        try:
            return self.maps[model][int(old)]
        except (KeyError, TypeError, ValueError):
            raise BackupError(
                f"{model._meta.model_name} {old} is referred to but not in the backup"
            ) from None

    def insert(
        self, model: type[Any], rows: Sequence[tuple[Any, models.Model]], what: str
    ) -> list[Any]:
        """Insert unsaved rows, each with its id in the backup (or None), under those ids if
        none of them is taken; remember old id → new id."""
        olds = [old for old, _obj in rows]
        given = [int(o) for o in olds if o is not None]
        keep = bool(given) and not model._default_manager.filter(pk__in=given).exists()
        objects = []
        for old, obj in rows:
            obj.pk = int(old) if keep and old is not None else None
            try:
                obj.clean_fields(
                    exclude=[
                        f.attname
                        for f in model._meta.concrete_fields
                        if f.is_relation or f.primary_key
                    ]
                )
            except ValidationError as exc:
                raise BackupError(f"{what} {old}: {exc.messages[0]}") from None
            objects.append(obj)
        created = model._default_manager.bulk_create(objects)
        mapping = self.maps.setdefault(model, {})
        for (old, _obj), made in zip(rows, created, strict=True):
            if old is not None:
                mapping[int(old)] = made.pk
        return created

    def set(self, obj: Any, row: dict[str, Any], names: list[str]) -> Any:
        for name in names:
            if name in row:
                attname = next(
                    f.attname
                    for f in type(obj)._meta.concrete_fields
                    if name in (f.name, f.attname)
                )
                setattr(obj, attname, _value(type(obj), name, row[name]))
        for f in type(obj)._meta.concrete_fields:
            if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and getattr(
                obj, f.attname
            ) is None:
                setattr(obj, f.attname, self.now)
        return obj

    def member(self, email: str | None) -> User | None:
        """Another member, by e-mail address, if they have an account here."""
        if not email:
            return None
        if email not in self.users:
            self.users[email] = User.objects.filter(email__iexact=email).first()
        return self.users[email]

    def tags(self, owner: User, names: list[str]) -> list[int]:
        """The ids of the owner's tags of these names (a version 1 backup lists no tags of
        its own: they are made here)."""
        if self.tag_ids is None:
            self.tag_ids = {t.name: t.pk for t in Tag.objects.filter(owner=owner)}
        found = self.tag_ids
        missing = [n[:60] for n in dict.fromkeys(names) if n[:60] not in found]
        for tag in Tag.objects.bulk_create([Tag(owner=owner, name=n) for n in missing]):
            found[tag.name] = tag.pk
        return [found[n[:60]] for n in dict.fromkeys(names)]

    # -- the account -------------------------------------------------------------------------

    def run(self) -> User:
        data = self.data
        info = data["user"]
        if User.objects.filter(email__iexact=info["email"]).exists():
            raise BackupError(f"an account with e-mail address {info['email']} exists already")
        user = User(email=info["email"], username=info["email"])
        self.set(user, info, [f for f in USER_FIELDS if f in info])
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise BackupError(f"user: {'; '.join(exc.messages)}") from None
        (user,) = self.insert(User, [(info.get("id"), user)], "user")
        self.users[user.email] = user
        self.workspaces(user)
        self.record(user)
        self.imports(user)
        self.planner(user)
        self.introductions(user)
        self.club(user)
        self.teams(user)
        Invitation.objects.filter(
            pk__in=data.get("invitations_sent", []), invited_by__isnull=True
        ).update(invited_by=user)
        self.reset_sequences()
        return user

    def workspaces(self, user: User) -> None:
        mapping = self.maps.setdefault(Workspace, {})
        memberships = []
        for w in self.data.get("workspaces", []):
            existing = Workspace.objects.filter(pk=w["id"], name=w["name"], kind=w["kind"]).first()
            if existing is None:
                (existing,) = self.insert(
                    Workspace,
                    [(w["id"], self.set(Workspace(), w, ["name", "kind", "created_at"]))],
                    "workspace",
                )
            mapping[int(w["id"])] = existing.pk
            membership = Membership(workspace_id=existing.pk, user=user, role=w["role"])
            memberships.append((w.get("membership"), self.set(membership, w, ["joined_at"])))
        self.insert(Membership, memberships, "membership")
        departures = []
        for d in self.data.get("departures", []):
            # A workspace the member left comes back only if it is still here.
            left = Workspace.objects.filter(pk=d["workspace"], name=d.get("workspace_name")).first()
            if left is None:
                self.skipped["departures from a workspace that is not here"] += 1
                continue
            departure = Departure(user=user, workspace_id=left.pk)
            departures.append((d.get("id"), self.set(departure, d, ["left_at", "keep_name"])))
        self.insert(Departure, departures, "departure")

    def record(self, user: User) -> None:
        data = self.data
        self.insert(
            Tag,
            [(t["id"], Tag(owner=user, name=t["name"][:60])) for t in data.get("tags", [])],
            "tag",
        )
        org_fields = ["name", "sector", "size", "region", "website", "created_at", "updated_at"]
        organisations = data.get("organisations", [])
        self.insert(
            Organisation,
            [(o["id"], self.set(Organisation(owner=user), o, org_fields)) for o in organisations],
            "organisation",
        )
        through = Organisation.competes_with.through
        pairs = {
            (self.get(Organisation, o["id"]), self.get(Organisation, c))
            for o in organisations
            for c in o.get("competes_with", [])
        }
        through.objects.bulk_create(
            [through(from_organisation_id=a, to_organisation_id=b) for a, b in sorted(pairs)]
        )
        self.m2m_tags(user, Organisation, organisations)
        person_fields = [
            f.name
            for f in Person._meta.concrete_fields
            if f.name not in {"id", "owner", "organisation", "sort_name"}
        ]
        people = data.get("people", [])
        rows: list[tuple[Any, Any]] = []
        for p in people:
            person = self.set(Person(owner=user), p, person_fields)
            assert isinstance(person, Person)
            person.organisation_id = self.get(Organisation, p.get("organisation"))
            person.sort_name = sort_key(person.given_name, person.particles, person.surname)[:300]
            rows.append((p["id"], person))
        self.insert(Person, rows, "person")
        points = []
        for p in people:
            person_id = self.get(Person, p["id"])
            listed = p.get("contact_points") or (
                [{"kind": "email", "value": v} for v in p.get("emails", [])]
                + [{"kind": "phone", "value": v} for v in p.get("phones", [])]
            )
            points += [
                (
                    c.get("id"),
                    ContactPoint(
                        person_id=person_id,
                        kind=c["kind"],
                        value=c["value"],
                        label=c.get("label", ""),
                    ),
                )
                for c in listed
            ]
        self.insert(ContactPoint, points, "contact point")
        self.m2m_tags(user, Person, people)
        relationship_fields = [
            f.name
            for f in Relationship._meta.concrete_fields
            if f.name not in {"id", "owner", "person", "introduced_by"}
        ]
        relationships = data.get("relationships", [])
        rows = []
        for r in relationships:
            relationship = self.set(
                Relationship(owner=user, person_id=self.get(Person, r["person"])),
                r,
                relationship_fields,
            )
            assert isinstance(relationship, Relationship)
            relationship.introduced_by_id = self.get(Person, r.get("introduced_by"))
            rows.append((r.get("id"), relationship))
        made = self.insert(Relationship, rows, "relationship")
        shares = []
        for r, relationship in zip(relationships, made, strict=True):
            for s in r.get("shares", []):
                workspace = self.maps.get(Workspace, {}).get(int(s["workspace"]))
                if workspace is None:
                    self.skipped["shares in a workspace that is not here"] += 1
                    continue
                share = Share(
                    relationship_id=relationship.pk, workspace_id=workspace, level=s["level"]
                )
                shares.append((s.get("id"), self.set(share, s, ["updated_at"])))
        self.insert(Share, shares, "share")
        interactions = data.get("interactions", [])
        self.insert(
            Interaction,
            [
                (
                    i["id"],
                    self.set(
                        Interaction(owner=user),
                        i,
                        [
                            "occurred_at",
                            "channel",
                            "minutes",
                            "initiated_by",
                            "answered",
                            "summary",
                            "created_at",
                        ],
                    ),
                )
                for i in interactions
            ],
            "interaction",
        )
        links = Interaction.people.through
        links.objects.bulk_create(
            [
                links(interaction_id=self.get(Interaction, i["id"]), person_id=self.get(Person, p))
                for i in interactions
                for p in i.get("people", [])
            ]
        )
        notes = data.get("intelligence_notes", [])
        rows = []
        for n in notes:
            note = self.set(IntelligenceNote(owner=user), n, ["text", "noted_on", "created_at"])
            assert isinstance(note, IntelligenceNote)
            note.person_id = self.get(Person, n.get("person"))
            rows.append((n["id"], note))
        self.insert(IntelligenceNote, rows, "note")
        self.m2m_tags(user, IntelligenceNote, notes)
        rows = []
        for f in data.get("favours", []):
            favour = self.set(
                Favour(owner=user),
                f,
                ["direction", "kind", "value_eur", "occurred_on", "description", "created_at"],
            )
            assert isinstance(favour, Favour)
            favour.person_id = self.get(Person, f["person"])
            rows.append((f["id"], favour))
        self.insert(Favour, rows, "favour")
        rows = []
        for a in data.get("asks", []):
            ask = self.set(
                Ask(owner=user),
                a,
                [
                    "text",
                    "role",
                    "sector",
                    "region",
                    "organisation_name",
                    "valid_from",
                    "valid_to",
                    "created_at",
                ],
            )
            assert isinstance(ask, Ask)
            ask.person_id = self.get(Person, a.get("person"))
            rows.append((a["id"], ask))
        self.insert(Ask, rows, "ask")

    def m2m_tags(self, user: User, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        through = model.tags.through  # type: ignore[attr-defined]
        column = f"{model._meta.model_name}_id"
        links = []
        for row in rows:
            for tag_id in self.tags(user, row.get("tags", [])):
                links.append(through(**{column: self.get(model, row["id"]), "tag_id": tag_id}))
        through.objects.bulk_create(links)

    def imports(self, user: User) -> None:
        data = self.data
        batches = data.get("import_batches", [])
        self.insert(
            ImportBatch,
            [
                (
                    b["id"],
                    self.set(
                        ImportBatch(owner=user, files=b.get("files", [])),
                        b,
                        [
                            "status",
                            "preview",
                            "report",
                            "error",
                            "failure",
                            "created_at",
                            "started_at",
                            "finished_at",
                        ],
                    ),
                )
                for b in batches
            ],
            "import batch",
        )
        self.insert(
            ImportedKey,
            [
                (
                    k.get("id"),
                    ImportedKey(
                        owner=user,
                        key=k["key"],
                        person_id=self.get(Person, k["person"]),
                        interaction_id=self.get(Interaction, k["interaction"]),
                    ),
                )
                for k in data.get("import_keys", [])
            ],
            "import key",
        )
        self.insert(
            MergeProposal,
            [
                (
                    p["id"],
                    self.set(
                        MergeProposal(
                            owner=user,
                            batch_id=self.get(ImportBatch, p["batch"]),
                            person_id=self.get(Person, p["person"]),
                            duplicate_id=self.get(Person, p["duplicate"]),
                        ),
                        p,
                        ["score", "status", "created_at", "decided_at"],
                    ),
                )
                for p in data.get("merge_proposals", [])
            ],
            "merge proposal",
        )
        # A merge names the ids of what it moved: it can be undone only where they are kept.
        kept = all(old == new for mapping in self.maps.values() for old, new in mapping.items())
        merges = data.get("merges", [])
        if not kept:
            self.skipped["merges (their ids changed: no longer undoable)"] += len(merges)
            return
        self.insert(
            Merge,
            [
                (
                    m["id"],
                    self.set(
                        Merge(
                            owner=user,
                            person_id=self.get(Person, m["person"]),
                            batch_id=self.get(ImportBatch, m["batch"]),
                        ),
                        m,
                        ["kind", "name", "source", "changes", "created_at", "undone_at"],
                    ),
                )
                for m in merges
            ],
            "merge",
        )

    def planner(self, user: User) -> None:
        planner = self.data.get("planner") or {}
        settings = planner.get("settings")
        if settings is not None:
            names = [n for n in settings if n != "id"]
            self.insert(
                PlannerSettings,
                [(settings.get("id"), self.set(PlannerSettings(user=user), settings, names))],
                "planner settings",
            )
        touches = planner.get("touches", [])
        self.insert(
            PlannedTouch,
            [
                (
                    t["id"],
                    self.set(
                        PlannedTouch(
                            owner=user,
                            person_id=self.get(Person, t["person"]),
                            interaction_id=self.get(Interaction, t["interaction"]),
                        ),
                        t,
                        ["week", "reasons", "channel", "minutes", "value", "starts_at", "status"],
                    ),
                )
                for t in touches
            ],
            "planned touch",
        )
        relationships = dict(Relationship.objects.filter(owner=user).values_list("person_id", "id"))
        self.insert(
            TierProposal,
            [
                (
                    t["id"],
                    self.set(
                        TierProposal(relationship_id=relationships[self.get(Person, t["person"])]),
                        t,
                        ["proposed", "reason", "created_at", "decision", "decided_tier"],
                    ),
                )
                for t in planner.get("tier_proposals", [])
            ],
            "tier proposal",
        )

    def introductions(self, user: User) -> None:
        rows: list[tuple[Any, Any]] = []
        for i in self.data.get("introductions", []):
            requester, connector = self.member(i["requester"]), self.member(i["connector"])
            workspace = self.maps.get(Workspace, {}).get(int(i["workspace"]))
            if connector == user:
                target: int | None = self.get(Person, i["target"])
            else:
                target = (
                    i["target"]
                    if connector and Person.objects.filter(pk=i["target"], owner=connector).exists()
                    else None
                )
            if requester is None or connector is None or workspace is None or target is None:
                self.skipped["introductions with a member or a person who is not here"] += 1
                continue
            intro = Introduction(
                workspace_id=workspace, requester=requester, connector=connector, target_id=target
            )
            rows.append(
                (
                    i["id"],
                    self.set(
                        intro,
                        i,
                        [
                            "reason",
                            "status",
                            "opt_in_digest",
                            "value_eur",
                            "created_at",
                            "updated_at",
                        ],
                    ),
                )
            )
        self.insert(Introduction, rows, "introduction")

    def club(self, user: User) -> None:
        club = self.data.get("club") or {}
        workspaces = self.maps.get(Workspace, {})
        meetings = self.maps.setdefault(Meeting, {})
        for m in club.get("meetings", []):
            workspace = workspaces.get(int(m["workspace"]))
            if workspace is None:
                continue
            meeting = Meeting.objects.filter(pk=m["id"], workspace_id=workspace).first()
            if meeting is None:
                (meeting,) = self.insert(
                    Meeting,
                    [
                        (
                            m["id"],
                            self.set(
                                Meeting(workspace_id=workspace),
                                m,
                                [
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
                                ],
                            ),
                        )
                    ],
                    "meeting",
                )
            meetings[int(m["id"])] = meeting.pk
        tables = self.maps.setdefault(MeetingTable, {})
        for t in club.get("tables", []):
            meeting_id = meetings.get(int(t["meeting"]))
            if meeting_id is None:
                continue
            host = self.member(t.get("host"))
            table = MeetingTable.objects.filter(meeting_id=meeting_id, name=t["name"]).first()
            if table is None:
                (table,) = self.insert(
                    MeetingTable,
                    [
                        (
                            t["id"],
                            MeetingTable(
                                meeting_id=meeting_id,
                                name=t["name"],
                                capacity=t["capacity"],
                                host=host,
                            ),
                        )
                    ],
                    "table",
                )
            elif host == user and table.host_id is None:
                MeetingTable.objects.filter(pk=table.pk).update(host=user)
            tables[int(t["id"])] = table.pk
        self.insert(
            Attendance,
            [
                (
                    a["id"],
                    Attendance(
                        meeting_id=meetings[int(a["meeting"])],
                        user=user,
                        answer=a["answer"],
                        table_id=tables.get(int(a["table"])) if a["table"] else None,
                        locked=a["locked"],
                    ),
                )
                for a in club.get("attendances", [])
                if int(a["meeting"]) in meetings
            ],
            "attendance",
        )
        self.wishes(user, club)
        self.club_rows(
            OneToOne,
            club.get("one_to_ones", []),
            ("logged_by", "with_member"),
            ["met_on", "note"],
            "one-to-ones",
        )
        self.club_rows(
            Referral,
            club.get("referrals", []),
            ("giver", "receiver"),
            ["contact", "details", "temperature", "status", "amount_eur", "given_on", "updated_at"],
            "referrals",
        )
        self.club_rows(
            SeatingRule,
            club.get("seating_rules", []),
            ("first", "second"),
            ["reason", "created_at"],
            "seating rules",
        )
        Guest.objects.filter(pk__in=club.get("guests_invited", []), invited_by__isnull=True).update(
            invited_by=user
        )

    def wishes(self, user: User, club: dict[str, Any]) -> None:
        """The want-to-meet lists the account is in (its own wishes and other members' wishes
        to meet it): each wish's meeting through the meetings of the backup, the members by
        e-mail address. A wrong row is named by its place in the file
        (``club.want_to_meet[3]``)."""
        rows = club.get("want_to_meet", [])
        if not isinstance(rows, list):
            raise BackupError("club.want_to_meet: expected a list of wishes")
        in_backup = {int(m["id"]) for m in club.get("meetings", [])}
        meetings = self.maps.get(Meeting, {})
        made: list[tuple[Any, models.Model]] = []
        seen: set[tuple[int, str, str]] = set()
        for n, row in enumerate(rows):
            where = f"club.want_to_meet[{n}]"
            if not isinstance(row, dict):
                raise BackupError(f"{where}: expected an object with meeting, member and other")
            missing = [k for k in ("meeting", "member", "other") if k not in row]
            if missing:
                raise BackupError(f"{where}: {' and '.join(missing)} missing")
            old_id = row.get("id")
            if old_id is not None and (isinstance(old_id, bool) or not isinstance(old_id, int)):
                raise BackupError(f"{where}: id {old_id!r} is not a whole number")
            meeting = row["meeting"]
            if isinstance(meeting, bool) or not isinstance(meeting, int):
                raise BackupError(f"{where}: meeting {meeting!r} is not a meeting's id")
            if meeting not in in_backup:
                raise BackupError(f"{where}: meeting {meeting} is not among the backup's meetings")
            emails = []
            for key in ("member", "other"):
                value = row[key]
                if not isinstance(value, str) or "@" not in value:
                    raise BackupError(f"{where}: {key} {value!r} is not a member's e-mail address")
                emails.append(value.casefold())
            if emails[0] == emails[1]:
                raise BackupError(f"{where}: a member cannot want to meet themselves")
            if user.email.casefold() not in emails:
                raise BackupError(f"{where}: a wish this account is not part of")
            if (meeting, *emails) in seen:
                raise BackupError(f"{where}: the same wish twice at meeting {meeting}")
            seen.add((meeting, emails[0], emails[1]))
            if meeting not in meetings:
                self.skipped["want-to-meet wishes at a meeting of a club that is not here"] += 1
                continue
            member, other = self.member(row["member"]), self.member(row["other"])
            if member is None or other is None:
                self.skipped["want-to-meet wishes with a member who has no account here"] += 1
                continue
            wish = WantToMeet(meeting_id=meetings[meeting], member=member, other=other)
            try:
                made.append((old_id, self.set(wish, row, ["created_at"])))
            except ValidationError as exc:
                raise BackupError(f"{where}: {exc.messages[0]}") from None
        self.insert(WantToMeet, made, "want-to-meet wish")

    def club_rows(
        self,
        model: type[models.Model],
        rows: list[dict[str, Any]],
        people: tuple[str, str],
        names: list[str],
        what: str,
    ) -> None:
        workspaces = self.maps.get(Workspace, {})
        made = []
        for row in rows:
            first, second = self.member(row[people[0]]), self.member(row[people[1]])
            workspace = workspaces.get(int(row["workspace"]))
            if first is None or second is None or workspace is None:
                self.skipped[f"{what} with a member who has no account here"] += 1
                continue
            if model is SeatingRule and first.pk > second.pk:
                first, second = second, first  # the rule's pair is kept in id order
            obj = model(
                workspace_id=workspace,
                **{f"{people[0]}_id": first.pk, f"{people[1]}_id": second.pk},
            )
            made.append((row["id"], self.set(obj, row, names)))
        self.insert(model, made, what)

    def teams(self, user: User) -> None:
        teams = self.data.get("teams") or {}
        workspaces = self.maps.get(Workspace, {})
        self.insert(
            DepartmentAssignment,
            [
                (
                    d["id"],
                    DepartmentAssignment(
                        workspace_id=workspaces[int(d["workspace"])],
                        user=user,
                        department=d["department"],
                    ),
                )
                for d in teams.get("departments", [])
                if int(d["workspace"]) in workspaces
            ],
            "department",
        )
        members = []
        for t in teams.get("team_members", []):
            if not Team.objects.filter(pk=t["team"]).exists():
                self.skipped["team places in a team that is not here"] += 1
                continue
            members.append(
                (t["id"], TeamMember(team_id=t["team"], user=user, department=t["department"]))
            )
        self.insert(TeamMember, members, "team member")
        Rotation.objects.filter(
            pk__in=teams.get("rotations_created", []), created_by__isnull=True
        ).update(created_by=user)

    def reset_sequences(self) -> None:
        # Rows were written with their ids: move the sequences past them (PostgreSQL).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), _MODELS):
                cursor.execute(sql)


@transaction.atomic
def account_restore(*, data: Any) -> Restored:
    """Create the account a backup describes, with everything in it."""
    if not isinstance(data, dict) or data.get("format") != "kring-account":
        raise BackupError("not a Kring account backup (made by `kring export`)")
    if data.get("version") not in READABLE_VERSIONS:
        raise BackupError(
            f"backup version {data.get('version')!r}; this Kring reads "
            + " and ".join(map(str, READABLE_VERSIONS))
        )
    restore = _Restore(data)
    try:
        with _timestamps_as_given(*_MODELS, Workspace):
            user = restore.run()
    except (KeyError, TypeError, ValueError, IntegrityError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"a damaged backup ({type(exc).__name__}: {exc})") from None
    audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=user, via="restore")
    return Restored(user, restore.skipped)


__all__ = ["BackupError", "Restored", "account_restore"]
