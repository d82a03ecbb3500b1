"""The importer: records from :mod:`kring.core.importing` matched and written in bulk.

One :class:`Importer` runs over one or more files. With ``dry_run`` it only decides (new,
merged, unchanged, proposed, skipped) and writes nothing: that is the preview. Otherwise it
writes in chunks with bulk inserts, which the action that calls it wraps in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Field

from kring.accounts.models import User
from kring.audit.models import AuditEntry
from kring.core.importing import (
    ContactRecord,
    InteractionRecord,
    Problem,
    SourceFile,
)
from kring.core.importing.matching import PeopleIndex, name_key, record_key
from kring.core.importing.values import linkedin_key
from kring.core.names import sort_key
from kring.imports.models import ImportedKey, MergeProposal
from kring.lib.bulk import BulkTable
from kring.people.models import (
    Channel,
    ContactPoint,
    Interaction,
    Organisation,
    Person,
    Relationship,
)

CHUNK = 2000  # decisions written at a time: bounds memory, and few statements per row
PREVIEW_ROWS = 8
MAX_PROBLEMS = 500  # the report lists this many; the counts count them all
COUNTS = ("new", "merged", "unchanged", "proposed", "skipped", "interactions")
Progress = Callable[[int], None]


def _key(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


# The fields of a person an import sets, in model order; the rest keep their defaults.
_PERSON_CHECKED = ("given_name", "particles", "surname", "linkedin_url", "title", "birthday")


def _invalid_person(record: ContactRecord) -> tuple[str, str] | None:
    """The first field (and its messages) that ``Person.clean_fields`` would refuse, or None.

    The same rules (each model field's own ``clean``), without making a model instance."""
    for name in _PERSON_CHECKED:
        model_field = Person._meta.get_field(name)
        assert isinstance(model_field, Field)
        value = getattr(record, name)
        if model_field.blank and value in model_field.empty_values:
            continue
        try:
            model_field.clean(value, None)
        except ValidationError as exc:
            return name, "; ".join(exc.messages)
    return None


def _audit_entry(
    owner: User, action: str, entity: str, entity_id: int | None, fields: Iterable[str] = ()
) -> AuditEntry:
    return AuditEntry(
        actor=owner,
        action=action,
        entity=entity,
        entity_id=entity_id,
        fields=sorted(set(fields)),
        via="import",
    )


@dataclass
class _State:
    """What a known person has, to see what a record would add."""

    linkedin: bool
    organisation: bool
    title: bool
    birthday: bool
    contacts: set[str]


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    warnings: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)  # name, format, encoding, rows

    def problem(self, p: Problem) -> None:
        if p.skipped:
            self.counts["skipped"] += 1
        else:
            self.warnings += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(
                {
                    "file": p.file,
                    "line": p.line,
                    "field": p.field,
                    "message": p.message,
                    "skipped": p.skipped,
                }
            )

    rows_read: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "counts": self.counts,
            "warnings": self.warnings,
            "problems": self.problems,
            "files": self.files,
        }


def _row(item: ContactRecord | InteractionRecord | Problem, decision: str) -> dict[str, Any]:
    """One row of the preview table, as Kring read it."""
    if isinstance(item, Problem):
        return {"line": item.line, "decision": "skipped", "name": "", "detail": str(item)}
    if isinstance(item, InteractionRecord):
        names = ", ".join(p.name or p.email or p.linkedin_url for p in item.people)
        return {
            "line": item.line,
            "decision": decision,
            "name": names,
            "organisation": "",
            "title": item.summary[:80],
            "contacts": str(Channel(item.channel).label),
            "date": item.occurred_at.date().isoformat(),
        }
    return {
        "line": item.line,
        "decision": decision,
        "name": item.full_name,
        "organisation": item.organisation,
        "title": item.title,
        "contacts": ", ".join([e for e, _ in item.emails] + [p for p, _ in item.phones]),
        "date": (item.connected_on or item.birthday or "") and str(item.connected_on or ""),
    }


class Importer:
    def __init__(
        self,
        owner: User,
        *,
        dry_run: bool,
        batch_id: int | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.owner = owner
        self.dry_run = dry_run
        self.batch_id = batch_id
        self.progress = progress
        self.report = Report()
        self.index = PeopleIndex()
        self.state: dict[int, _State] = {}
        self.keys: set[str] = set()
        self.organisations: dict[str, int] = {}
        self.real: dict[int, int] = {}  # placeholder id -> database id
        self.next_placeholder = -1
        self.done = 0
        # Decisions waiting to be written: (kind, person id, record, import key, extra).
        self._actions: list[tuple[str, int, Any, str, Any]] = []
        self.written: Counter[str] = Counter()  # rows made, for the one audit entry
        self._tables: _Tables | None = None
        self._load()

    @property
    def tables(self) -> _Tables:
        if self._tables is None:
            self._tables = _Tables()
        return self._tables

    # -- what is known already ---------------------------------------------------------------

    def _load(self) -> None:
        owner = self.owner
        points: dict[int, list[tuple[str, str]]] = {}
        for person_id, kind, value in ContactPoint.objects.filter(person__owner=owner).values_list(
            "person_id", "kind", "value"
        ):
            points.setdefault(person_id, []).append((kind, value))
        keys: dict[int, list[str]] = {}
        for key, person_id, interaction_id in ImportedKey.objects.filter(owner=owner).values_list(
            "key", "person_id", "interaction_id"
        ):
            self.keys.add(key)
            if person_id is not None and interaction_id is None:
                keys.setdefault(person_id, []).append(key)
        for org_id, name in Organisation.objects.filter(owner=owner).values_list("id", "name"):
            self.organisations.setdefault(name.casefold(), org_id)
        org_names = {v: k for k, v in self.organisations.items()}
        for row in (
            Person.objects.filter(owner=owner)
            .order_by("id")
            .values_list(
                "id",
                "given_name",
                "particles",
                "surname",
                "linkedin_url",
                "organisation_id",
                "title",
                "birthday",
            )
        ):
            pid, given, particles, surname, url, org_id, title, birthday = row
            mine = points.get(pid, [])
            self.index.add(
                pid,
                given=given,
                particles=particles,
                surname=surname,
                organisation=org_names.get(org_id, "") if org_id else "",
                emails=[v for k, v in mine if k == ContactPoint.Kind.EMAIL],
                phones=[v for k, v in mine if k == ContactPoint.Kind.PHONE],
                linkedin_url=url,
                keys=keys.get(pid, ()),
            )
            self.state[pid] = _State(
                bool(url), bool(org_id), bool(title), birthday is not None, {v for _, v in mine}
            )

    # -- running -----------------------------------------------------------------------------

    def run(self, sources: Iterable[SourceFile]) -> Report:
        for source in sources:
            rows: list[dict[str, Any]] = []
            self.report.files.append(
                {
                    "name": source.name,
                    "format": source.format,
                    "encoding": source.encoding,
                    "rows": rows,
                }
            )
            for item in source.items():
                self.done += 1
                if isinstance(item, Problem):
                    self.report.problem(item)
                    if len(rows) < PREVIEW_ROWS:
                        rows.append(_row(item, "skipped"))
                    continue
                decision = self._decide(item)
                if len(rows) < PREVIEW_ROWS:
                    rows.append(_row(item, decision))
                if len(self._actions) >= CHUNK:
                    self._flush()
            self._flush()
        self.report.rows_read = self.done
        if not self.dry_run and self.written:
            # One entry for the whole import: what it made, by kind and number (no values).
            # People it changed that the user had are logged one by one as updates.
            _audit_entry(
                self.owner,
                AuditEntry.Action.CREATE,
                "import",
                self.batch_id,
                [f"{kind}: {n}" for kind, n in sorted(self.written.items()) if n],
            ).save()
        return self.report

    # -- deciding ----------------------------------------------------------------------------

    def _placeholder(self) -> int:
        self.next_placeholder -= 1
        return self.next_placeholder

    def _id(self, pid: int) -> int:
        return self.real.get(pid, pid)

    def _decide(self, item: ContactRecord | InteractionRecord) -> str:
        if isinstance(item, InteractionRecord):
            return self._decide_interaction(item)
        record = item
        key = record_key(record)
        connection_key = ""
        if record.connected_on is not None:
            who = linkedin_key(record.linkedin_url) or name_key(
                record.given_name, record.particles, record.surname
            )
            connection_key = _key("linkedin-connected", who, record.connected_on.isoformat())
        pid = self.index.exact(record, key)
        if pid is not None:
            changes = self._changes(pid, record)
            adds_connection = bool(connection_key) and connection_key not in self.keys
            new_key = key not in self.keys
            self.keys.update(k for k in (key, connection_key) if k)
            self.index.add(
                pid,
                given=record.given_name,
                particles=record.particles,
                surname=record.surname,
                organisation=record.organisation,
                emails=[e for e, _ in record.emails],
                phones=[p for p, _ in record.phones],
                linkedin_url=record.linkedin_url,
                keys=[key],
            )
            if not (changes or adds_connection or new_key):
                self.report.counts["unchanged"] += 1
                return "unchanged"
            record_action = ("merge", pid, record, key if new_key else "", changes)
            self._actions.append(record_action)
            if adds_connection:
                self._actions.append(("connect", pid, record, connection_key, None))
            if changes or adds_connection:
                self.report.counts["merged"] += 1
                return "merged"
            self.report.counts["unchanged"] += 1
            return "unchanged"
        likely = self.index.likely(record)
        pid = self._placeholder()
        self.index.add(
            pid,
            given=record.given_name,
            particles=record.particles,
            surname=record.surname,
            organisation=record.organisation,
            emails=[e for e, _ in record.emails],
            phones=[p for p, _ in record.phones],
            linkedin_url=record.linkedin_url,
            keys=[key],
        )
        self.state[pid] = _State(
            bool(record.linkedin_url),
            bool(record.organisation),
            bool(record.title),
            record.birthday is not None,
            {e for e, _ in record.emails} | {p for p, _ in record.phones},
        )
        self.keys.update(k for k in (key, connection_key) if k)
        self._actions.append(("new", pid, record, key, None))
        if connection_key:
            self._actions.append(("connect", pid, record, connection_key, None))
        if likely is not None:
            self._actions.append(("propose", pid, record, "", likely))
            self.report.counts["proposed"] += 1
            return "proposed"
        self.report.counts["new"] += 1
        return "new"

    def _changes(self, pid: int, record: ContactRecord) -> dict[str, Any]:
        state = self.state.get(pid)
        if state is None:
            return {}
        changes: dict[str, Any] = {}
        if record.linkedin_url and not state.linkedin:
            changes["linkedin_url"] = record.linkedin_url
            state.linkedin = True
        if record.organisation and not state.organisation:
            changes["organisation"] = record.organisation
            state.organisation = True
        if record.title and not state.title:
            changes["title"] = record.title
            state.title = True
        if record.birthday and not state.birthday:
            changes["birthday"] = record.birthday
            state.birthday = True
        new_points = [
            (kind, value, label)
            for kind, values in (("email", record.emails), ("phone", record.phones))
            for value, label in values
            if value not in state.contacts
        ]
        if new_points:
            changes["contact_points"] = new_points
            state.contacts.update(v for _, v, _ in new_points)
        return changes

    def _decide_interaction(self, record: InteractionRecord) -> str:
        if record.key and record.key in self.keys:
            self.report.counts["unchanged"] += 1
            return "unchanged"
        people = []
        for ref in record.people:
            pid = self.index.find(ref)
            if pid is not None and pid not in people:
                people.append(pid)
        if not people:
            who = ", ".join(p.name or p.email or p.linkedin_url for p in record.people)
            self.report.problem(
                Problem(record.file, record.line, "people", f"nobody known as {who[:120]}")
            )
            return "skipped"
        if record.key:
            self.keys.add(record.key)
        self._actions.append(("interaction", 0, record, record.key, people))
        self.report.counts["interactions"] += 1
        return "new"

    # -- writing -----------------------------------------------------------------------------

    def _flush(self) -> None:
        actions, self._actions = self._actions, []
        if self.progress is not None:
            self.progress(self.done)
        if self.dry_run or not actions:
            return
        _Writer(self).write(actions)


class _Tables:
    """The tables an import fills by the thousand, with the columns it sets."""

    def __init__(self) -> None:
        self.person = BulkTable(
            Person,
            ["owner_id", "given_name", "particles", "surname", "sort_name", "linkedin_url",
             "title", "organisation_id", "birthday"],
        )  # fmt: skip
        self.relationship = BulkTable(Relationship, ["owner_id", "person_id", "private_notes"])
        self.contact_point = BulkTable(ContactPoint, ["person_id", "kind", "value", "label"])
        self.interaction = BulkTable(
            Interaction,
            ["owner_id", "occurred_at", "channel", "minutes", "initiated_by", "answered",
             "summary"],
        )  # fmt: skip
        self.link = BulkTable(Interaction.people.through, ["interaction_id", "person_id"])
        self.key = BulkTable(ImportedKey, ["owner_id", "key", "person_id", "interaction_id"])


class _Writer:
    """Writes one chunk of decisions in bulk; the caller holds the transaction."""

    def __init__(self, importer: Importer) -> None:
        self.im = importer
        self.owner = importer.owner
        self.audit: list[AuditEntry] = []
        self.tables = importer.tables

    def _organisation(self, name: str) -> int | None:
        name = " ".join(name.split())
        if not name:
            return None
        return self.im.organisations.get(name.casefold())

    def _make_organisations(self, names: Iterable[str]) -> None:
        missing: dict[str, str] = {}
        for name in names:
            name = " ".join(name.split())
            if name and name.casefold() not in self.im.organisations:
                missing.setdefault(name.casefold(), name)
        if not missing:
            return
        created = Organisation.objects.bulk_create(
            [Organisation(owner=self.owner, name=name) for name in missing.values()]
        )
        for organisation in created:
            self.im.organisations[organisation.name.casefold()] = organisation.pk
        self.im.written["organisations"] += len(created)

    def _entry(
        self, action: str, entity: str, entity_id: int | None, fields: Iterable[str] = ()
    ) -> AuditEntry:
        return _audit_entry(self.owner, action, entity, entity_id, fields)

    def write(self, actions: list[tuple[str, int, Any, str, Any]]) -> None:
        im = self.im
        owner_id = self.owner.pk
        written = im.written
        self._make_organisations(
            [a[2].organisation for a in actions if a[0] == "new"]
            + [
                a[4]["organisation"]
                for a in actions
                if a[0] == "merge" and a[4].get("organisation")
            ]
        )
        # New people, checked first by the rules of the model's fields.
        people: list[tuple[Any, ...]] = []
        kept: list[tuple[int, ContactRecord, str]] = []
        for kind, pid, record, key, _x in actions:
            if kind != "new":
                continue
            error = _invalid_person(record)
            if error is not None:
                field_name, message = error
                im.report.counts["new"] -= 1
                im.report.problem(Problem(record.file, record.line, field_name, message))
                continue
            people.append(
                (
                    owner_id,
                    record.given_name,
                    record.particles,
                    record.surname,
                    sort_key(record.given_name, record.particles, record.surname),
                    record.linkedin_url,
                    record.title,
                    self._organisation(record.organisation),
                    record.birthday,
                )
            )
            kept.append((pid, record, key))
        person_ids = self.tables.person.insert_returning_ids(people)
        relationships: list[tuple[Any, ...]] = []
        points: list[tuple[Any, ...]] = []
        keys: list[tuple[Any, ...]] = []  # (owner, key, person, interaction)
        for person_id, (pid, record, key) in zip(person_ids, kept, strict=True):
            im.real[pid] = person_id
            relationships.append((owner_id, person_id, record.note))
            points += [(person_id, "email", v, label) for v, label in record.emails]
            points += [(person_id, "phone", v, label) for v, label in record.phones]
            keys.append((owner_id, key, person_id, None))
        written["people"] += len(person_ids)
        self.tables.relationship.insert(relationships)
        # Merges into people already known.
        for kind, pid, _record, key, changes in actions:
            if kind != "merge":
                continue
            person_id = im._id(pid)
            if key:
                keys.append((owner_id, key, person_id, None))
            if not changes:
                continue
            fields = {
                k: v for k, v in changes.items() if k in {"linkedin_url", "title", "birthday"}
            }
            if "organisation" in changes:
                fields["organisation_id"] = self._organisation(changes["organisation"])
            if fields:
                Person.objects.filter(pk=person_id, owner=self.owner).update(**fields)
            points += [
                (person_id, k, v, label) for k, v, label in changes.get("contact_points", [])
            ]
            written["people updated"] += 1
            if pid > 0:
                # Someone the user had: which of their fields the import filled.
                self.audit.append(
                    self._entry(
                        AuditEntry.Action.UPDATE,
                        "person",
                        person_id,
                        [f for f in changes if f != "contact_points"]
                        + (["emails", "phones"] if "contact_points" in changes else []),
                    )
                )
        self.tables.contact_point.insert(points, ignore_conflicts=True)
        # Interactions: LinkedIn connection dates, messages, invitations, meetings.
        interactions: list[tuple[Any, ...]] = []
        members: list[list[int]] = []
        interaction_keys: list[str] = []
        for kind, pid, record, key, extra in actions:
            if kind == "connect":
                if pid < 0 and pid not in im.real:
                    continue  # the person was refused above
                on = record.connected_on
                interactions.append(
                    (
                        owner_id,
                        dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC),
                        Channel.MESSAGE.value,
                        1,
                        "both",
                        True,
                        "Connected on LinkedIn",
                    )
                )
                members.append([im._id(pid)])
                interaction_keys.append(key)
            elif kind == "interaction":
                ids = [im._id(p) for p in extra if p > 0 or p in im.real]
                if not ids:
                    continue
                interactions.append(
                    (
                        owner_id,
                        record.occurred_at,
                        record.channel,
                        record.minutes,
                        record.initiated_by,
                        record.answered,
                        record.summary,
                    )
                )
                members.append(ids)
                interaction_keys.append(key)
        interaction_ids = self.tables.interaction.insert_returning_ids(interactions)
        links: list[tuple[int, int]] = []
        for interaction_id, ids, key in zip(
            interaction_ids, members, interaction_keys, strict=True
        ):
            links += [(interaction_id, i) for i in dict.fromkeys(ids)]
            if key:
                keys.append((owner_id, key, None, interaction_id))
        written["interactions"] += len(interaction_ids)
        self.tables.link.insert(links, ignore_conflicts=True)
        self.tables.key.insert(keys, ignore_conflicts=True)
        # Proposals: a new person who is probably someone known.
        proposals = []
        for kind, pid, _record, _key, likely in actions:
            if kind != "propose" or pid not in im.real:
                continue
            other = im._id(likely[0])
            if other < 0:
                continue
            proposals.append(
                MergeProposal(
                    owner=self.owner,
                    batch_id=im.batch_id,
                    person_id=other,
                    duplicate_id=im.real[pid],
                    score=likely[1],
                )
            )
        MergeProposal.objects.bulk_create(proposals, ignore_conflicts=True)
        written["merge proposals"] += len(proposals)
        AuditEntry.objects.bulk_create(self.audit)
