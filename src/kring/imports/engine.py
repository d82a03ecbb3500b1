"""The importer: records from :mod:`kring.core.importing` matched and written in bulk.

One :class:`Importer` runs over one or more files. With ``dry_run`` it only decides (new,
merged, unchanged, proposed, skipped) and writes nothing: that is the preview. Otherwise it
writes in chunks with bulk inserts, which the action that calls it wraps in one transaction.

Every text is cut to its column and freed of NUL bytes before the database sees it, so that
SQLite and PostgreSQL take the same rows. Every merge into a person the index found by an
identifier is kept as a :class:`~kring.imports.models.Merge`, which can be undone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Field, Model

from kring.accounts.models import User
from kring.audit.models import AuditEntry
from kring.core.importing import (
    ContactRecord,
    ImportFileError,
    InteractionRecord,
    PersonRef,
    Problem,
    SourceFile,
)
from kring.core.importing.matching import PeopleIndex, name_key, record_key
from kring.core.importing.values import linkedin_key
from kring.core.names import fold, sort_key
from kring.imports.models import ImportedKey, Merge, MergeProposal
from kring.lib.bulk import BulkTable, refresh_statistics
from kring.people.models import (
    Channel,
    ContactPoint,
    Interaction,
    Organisation,
    Person,
    Relationship,
)

CHUNK = 2000  # decisions written at a time: bounds memory, and few statements per row
# An import that writes this many rows tells the database's planner (kring.lib.bulk).
REFRESH_STATISTICS_ROWS = 1000
HEARTBEAT_ROWS = 1000  # rows read between two progress reports (also the sign of life)
PREVIEW_ROWS = 8
MAX_PROBLEMS = 500  # the report lists this many; the counts count them all
MAX_UNKNOWN = 500  # people the report lists as unknown (to add from the report)
MAX_EVENTS = 5000  # meetings and messages with nobody known, kept to add later
MAX_EVENTS_PER_PERSON = 200
COUNTS = ("new", "merged", "unchanged", "proposed", "skipped", "interactions", "organisations")
Progress = Callable[[int], None]


def _key(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def fit(model: type[Model], name: str, value: str) -> str:
    """``value`` as the column keeps it: no NUL bytes, no longer than its ``max_length``."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    limit = _LIMITS.get((model, name))
    if limit is None:
        model_field = model._meta.get_field(name)
        limit = model_field.max_length if isinstance(model_field, CharField) else 0
        _LIMITS[(model, name)] = limit or 0
    return value[:limit].rstrip() if limit and len(value) > limit else value


_LIMITS: dict[tuple[type[Model], str], int] = {}


def ref_key(ref: PersonRef) -> str:
    """How the report names someone a message or meeting mentions and Kring does not know."""
    url = linkedin_key(ref.linkedin_url)
    if url:
        return f"linkedin:{url}"
    if ref.email:
        return f"email:{ref.email.casefold()}"
    return f"name:{fold(ref.name)}"


# The fields of a person an import sets whose rules a record may break: names and titles are
# cut to their columns (``fit``) and a birthday is a date by then; a profile address is text.
_PERSON_CHECKED = ("linkedin_url",)
# A profile address of this plain shape passes the URL field's rules for certain; only others
# are put through them (the full check costs more than all the rest of a row).
_PLAIN_PROFILE = re.compile(
    r"^https?://(?:[a-z0-9-]{1,63}\.)?linkedin\.com/(?:in|pub)/[a-z0-9%_.~-]{1,100}/?$",
    re.IGNORECASE,
)


def _invalid_person(record: ContactRecord) -> tuple[str, str] | None:
    """The first field (and its messages) that ``Person.clean_fields`` would refuse, or None.

    The same rules (each model field's own ``clean``), without making a model instance; the
    fields the importer makes fit by construction are not checked again."""
    for name in _PERSON_CHECKED:
        model_field = Person._meta.get_field(name)
        assert isinstance(model_field, Field)
        value = getattr(record, name)
        if model_field.blank and value in model_field.empty_values:
            continue
        if name == "linkedin_url" and len(value) <= 200 and _PLAIN_PROFILE.match(value):
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


def record_data(record: ContactRecord) -> dict[str, Any]:
    """What a merge keeps of the imported record, to make it a person again on undo."""
    return {
        "given_name": record.given_name,
        "particles": record.particles,
        "surname": record.surname,
        "organisation": record.organisation,
        "title": record.title,
        "linkedin_url": record.linkedin_url,
        "birthday": record.birthday.isoformat() if record.birthday else None,
        "note": record.note[:5000],
        "emails": [list(e) for e in record.emails],
        "phones": [list(p) for p in record.phones],
        "source": record.source,
    }


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
    # Someone messages or meetings name whom Kring does not know: ref key -> name, e-mail,
    # profile, how many, and the keys of those messages and meetings.
    unknown: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Messages and meetings with nobody known, by key: what it takes to make them later.
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows_read: int = 0

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
                    "code": p.code,
                    "params": p.params,
                    "message": p.message,
                    "skipped": p.skipped,
                }
            )

    def unknown_person(self, ref: PersonRef, record: InteractionRecord, *, made: bool) -> None:
        """Note someone nobody knows, and (``made`` False) the meeting that was left out."""
        key = ref_key(ref)
        entry = self.unknown.get(key)
        if entry is None:
            if len(self.unknown) >= MAX_UNKNOWN:
                return
            entry = self.unknown[key] = {
                "key": key,
                "name": ref.name[:200],
                "email": ref.email[:254],
                "linkedin_url": ref.linkedin_url[:200],
                "count": 0,
                "events": [],
            }
        entry["count"] += 1
        if record.key and len(entry["events"]) < MAX_EVENTS_PER_PERSON:
            entry["events"].append(record.key)
        if not made and record.key and len(self.events) < MAX_EVENTS:
            self.events.setdefault(
                record.key,
                {
                    "at": record.occurred_at.isoformat(),
                    "channel": record.channel,
                    "minutes": record.minutes,
                    "initiated_by": record.initiated_by,
                    "answered": record.answered,
                    "summary": record.summary[:500],
                },
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "counts": self.counts,
            "warnings": self.warnings,
            "problems": self.problems,
            "files": self.files,
            "unknown": sorted(self.unknown.values(), key=lambda u: (-u["count"], u["key"])),
            "events": self.events,
        }


def _row(item: ContactRecord | InteractionRecord | Problem, decision: str) -> dict[str, Any]:
    """One row of the preview table, as Kring read it."""
    if isinstance(item, Problem):
        return {
            "line": item.line,
            "decision": "skipped",
            "name": "",
            "detail": str(item),
            "problem": {
                "file": item.file,
                "line": item.line,
                "field": item.field,
                "code": item.code,
                "params": item.params,
            },
        }
    if isinstance(item, InteractionRecord):
        names = ", ".join(p.name or p.email or p.linkedin_url for p in item.people)
        return {
            "line": item.line,
            "decision": decision,
            "name": names,
            "organisation": "",
            "title": item.summary[:80],
            "contacts": item.channel,
            "date": item.occurred_at.date().isoformat(),
        }
    return {
        "line": item.line,
        "decision": decision,
        "name": item.full_name,
        "organisation": item.organisation if item.kind == "person" else "",
        "title": item.title,
        "contacts": ", ".join([e for e, _ in item.emails] + [p for p, _ in item.phones]),
        "date": str(item.connected_on or ""),
    }


@dataclass(slots=True)
class _Action:
    """A decision waiting to be written."""

    kind: str  # new, merge, connect, propose, interaction, organisation
    pid: int = 0
    record: Any = None
    key: str = ""
    extra: Any = None
    merge: dict[str, Any] | None = None  # the Merge this decision makes, to be undoable


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
        self.planned_organisations: set[str] = set()  # a preview's organisation cards
        self.real: dict[int, int] = {}  # placeholder id -> database id
        self.next_placeholder = -1
        self.done = 0
        self._actions: list[_Action] = []
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
            entry: dict[str, Any] = {
                "name": source.name,
                "format": source.format,
                "encoding": source.encoding,
                "rows": rows,
                "container": source.container,
            }
            self.report.files.append(entry)
            decided = 0
            try:
                for item in source.items():
                    self.done += 1
                    if self.progress is not None and self.done % HEARTBEAT_ROWS == 0:
                        self.progress(self.done)
                    if isinstance(item, Problem):
                        self.report.problem(item)
                        if len(rows) < PREVIEW_ROWS:
                            rows.append(_row(item, "skipped"))
                        continue
                    decided += 1
                    decision = self._decide(item)
                    if len(rows) < PREVIEW_ROWS:
                        rows.append(_row(item, decision))
                    if len(self._actions) >= CHUNK:
                        self._flush()
            except ImportFileError as exc:
                if not source.container or decided:
                    raise
                # One part of a ZIP that turns out unreadable before anything of it was
                # taken: reported, and the other parts go in.
                entry["format"] = "unreadable"
                self.report.problem(
                    Problem(source.name, exc.line or 0, "file", exc.code, exc.params)
                )
                continue
            self._flush()
        self.report.rows_read = self.done
        self._refuse_unreadable_zips()
        if not self.dry_run and sum(self.written.values()) >= REFRESH_STATISTICS_ROWS:
            refresh_statistics(Person, Relationship, ContactPoint, Interaction)
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

    def _refuse_unreadable_zips(self) -> None:
        """A ZIP none of whose parts could be read is a file that cannot be read."""
        failed = {(p["file"], p["code"]) for p in self.report.problems if p["field"] == "file"}
        parts: dict[str, list[str]] = {}
        for entry in self.report.files:
            parts.setdefault(entry.get("container", ""), []).append(entry["format"])
        for container, formats in parts.items():
            if container and all(f == "unreadable" for f in formats):
                problem = next(
                    (p for p in self.report.problems if p["file"].startswith(container + "/")),
                    None,
                )
                if problem is not None and (problem["file"], problem["code"]) in failed:
                    raise ImportFileError(
                        problem["file"], problem["code"], problem["params"], problem["line"] or None
                    )

    # -- deciding ----------------------------------------------------------------------------

    def _placeholder(self) -> int:
        self.next_placeholder -= 1
        return self.next_placeholder

    def _id(self, pid: int) -> int:
        return self.real.get(pid, pid)

    def _decide(self, item: ContactRecord | InteractionRecord) -> str:
        if isinstance(item, InteractionRecord):
            return self._decide_interaction(item)
        if item.kind == "organisation":
            return self._decide_organisation(item)
        record = item
        key = record_key(record)
        connection_key = ""
        if record.connected_on is not None:
            who = linkedin_key(record.linkedin_url) or name_key(
                record.given_name, record.particles, record.surname
            )
            connection_key = _key("linkedin-connected", who, record.connected_on.isoformat())
        match = self.index.match(record, key)
        if match.person is not None:
            pid = match.person
            changes = self._changes(pid, record)
            adds_connection = bool(connection_key) and connection_key not in self.keys
            new_key = key not in self.keys
            if not (changes or adds_connection or new_key):
                self.report.counts["unchanged"] += 1  # the same record again: nothing to add
                return "unchanged"
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
            merge = None
            if match.via != "key" and (changes or adds_connection):
                # A record of another source folded into someone found by an identifier:
                # what it changes is kept, so that the user can undo it.
                merge = {
                    "record": record_data(record),
                    "via": match.via,
                    "keys": [key] if new_key else [],
                    "interactions": [],
                    "filled": {},
                    "points": [],
                }
            self._actions.append(
                _Action("merge", pid, record, key if new_key else "", changes, merge)
            )
            if adds_connection:
                self._actions.append(_Action("connect", pid, record, connection_key, None, merge))
            if changes or adds_connection:
                self.report.counts["merged"] += 1
                return "merged"
            self.report.counts["unchanged"] += 1
            return "unchanged"
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
        # Someone of the same name connected the same day (without a profile) has the key
        # already: the connection is made, the key stays theirs.
        connection_key = "" if connection_key in self.keys else connection_key
        self.keys.update(k for k in (key, connection_key) if k)
        self._actions.append(_Action("new", pid, record, key))
        if record.connected_on is not None:
            self._actions.append(_Action("connect", pid, record, connection_key))
        if match.proposal is not None:
            self._actions.append(_Action("propose", pid, record, "", match.proposal))
            self.report.counts["proposed"] += 1
            return "proposed"
        self.report.counts["new"] += 1
        return "new"

    def _decide_organisation(self, record: ContactRecord) -> str:
        name = " ".join(record.organisation.split())
        folded = name.casefold()
        if folded in self.organisations or folded in self.planned_organisations:
            self.report.counts["unchanged"] += 1
            return "unchanged"
        self.planned_organisations.add(folded)
        self._actions.append(_Action("organisation", 0, record))
        self.report.counts["organisations"] += 1
        return "organisation"

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
        people: list[int] = []
        unknown: list[PersonRef] = []
        for ref in record.people:
            pid = self.index.find(ref)
            if pid is None:
                unknown.append(ref)
            elif pid not in people:
                people.append(pid)
        for ref in unknown:
            self.report.unknown_person(ref, record, made=bool(people))
        if not people:
            who = ", ".join(p.name or p.email or p.linkedin_url for p in record.people)
            self.report.problem(
                Problem(record.file, record.line, "people", "unknown_people", {"who": who[:120]})
            )
            return "skipped"
        if record.key:
            self.keys.add(record.key)
        self._actions.append(_Action("interaction", 0, record, record.key, people))
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
        self.merge = BulkTable(
            Merge, ["owner_id", "person_id", "batch_id", "kind", "name", "source", "changes"]
        )
        self.proposal = BulkTable(
            MergeProposal, ["owner_id", "batch_id", "person_id", "duplicate_id", "score"]
        )


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
        return self.im.organisations.get(fit(Organisation, "name", name).casefold())

    def _make_organisations(self, names: Iterable[tuple[str, str]]) -> None:
        missing: dict[str, tuple[str, str]] = {}
        for raw, website in names:
            name = fit(Organisation, "name", " ".join(raw.split()))
            if name and name.casefold() not in self.im.organisations:
                missing.setdefault(name.casefold(), (name, website))
        if not missing:
            return
        made = []
        for name, website in missing.values():
            organisation = Organisation(owner=self.owner, name=name)
            if website:
                site_field = Organisation._meta.get_field("website")
                assert isinstance(site_field, Field)
                # A web address that is none: the organisation comes without it.
                with contextlib.suppress(ValidationError):
                    organisation.website = site_field.clean(website, None)
            made.append(organisation)
        created = Organisation.objects.bulk_create(made)
        for organisation in created:
            self.im.organisations[organisation.name.casefold()] = organisation.pk
        self.im.written["organisations"] += len(created)

    def _entry(
        self, action: str, entity: str, entity_id: int | None, fields: Iterable[str] = ()
    ) -> AuditEntry:
        return _audit_entry(self.owner, action, entity, entity_id, fields)

    def write(self, actions: list[_Action]) -> None:
        im = self.im
        owner_id = self.owner.pk
        written = im.written
        self._make_organisations(
            [(a.record.organisation, "") for a in actions if a.kind == "new"]
            + [(a.extra["organisation"], "") for a in actions
               if a.kind == "merge" and a.extra.get("organisation")]
            + [(a.record.organisation, a.record.website) for a in actions
               if a.kind == "organisation"]
        )  # fmt: skip
        # New people, checked first by the rules of the model's fields.
        people: list[tuple[Any, ...]] = []
        kept: list[tuple[int, ContactRecord, str]] = []
        for action in actions:
            if action.kind != "new":
                continue
            record = action.record
            error = _invalid_person(record)
            if error is not None:
                field_name, message = error
                im.report.counts["new"] -= 1
                im.report.problem(
                    Problem(record.file, record.line, field_name, "refused", {"detail": message})
                )
                continue
            people.append(
                (
                    owner_id,
                    fit(Person, "given_name", record.given_name),
                    fit(Person, "particles", record.particles),
                    fit(Person, "surname", record.surname),
                    fit(
                        Person,
                        "sort_name",
                        sort_key(record.given_name, record.particles, record.surname),
                    ),
                    fit(Person, "linkedin_url", record.linkedin_url),
                    fit(Person, "title", record.title),
                    self._organisation(record.organisation),
                    record.birthday,
                )
            )
            kept.append((action.pid, record, action.key))
        person_ids = self.tables.person.insert_returning_ids(people)
        relationships: list[tuple[Any, ...]] = []
        points: list[tuple[Any, ...]] = []
        keys: list[tuple[Any, ...]] = []  # (owner, key, person, interaction)
        for person_id, (pid, record, key) in zip(person_ids, kept, strict=True):
            im.real[pid] = person_id
            relationships.append((owner_id, person_id, fit(Relationship, "private_notes",
                                                           record.note)))  # fmt: skip
            points += [self._point(person_id, "email", v, label) for v, label in record.emails]
            points += [self._point(person_id, "phone", v, label) for v, label in record.phones]
            keys.append((owner_id, key, person_id, None))
        written["people"] += len(person_ids)
        self.tables.relationship.insert(relationships)
        # Merges into people already known.
        merges: list[tuple[_Action, int]] = []
        updates: dict[tuple[str, ...], list[Person]] = {}  # by the fields they fill
        for action in actions:
            if action.kind != "merge":
                continue
            pid, changes = action.pid, action.extra
            if pid < 0 and pid not in im.real:
                continue  # the person was refused above
            person_id = im._id(pid)
            if action.key:
                keys.append((owner_id, action.key, person_id, None))
            if action.merge is not None:
                merges.append((action, person_id))
            if not changes:
                continue
            fields = {
                k: fit(Person, k, v) if isinstance(v, str) else v
                for k, v in changes.items()
                if k in {"linkedin_url", "title", "birthday"}
            }
            if "organisation" in changes:
                fields["organisation_id"] = self._organisation(changes["organisation"])
            if fields:
                updates.setdefault(tuple(sorted(fields)), []).append(Person(pk=person_id, **fields))
            added = [self._point(person_id, k, v, label)
                     for k, v, label in changes.get("contact_points", [])]  # fmt: skip
            points += added
            if action.merge is not None:
                filled = {k: (v.isoformat() if isinstance(v, dt.date) else v)
                          for k, v in fields.items()}  # fmt: skip
                action.merge.update(filled=filled, points=[[p[1], p[2]] for p in added])
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
        for names, changed in updates.items():
            # One statement for many people (the people are the owner's: the index holds no
            # one else's).
            Person.objects.bulk_update(changed, list(names), batch_size=500)
        self.tables.contact_point.insert(points, ignore_conflicts=True)
        # Interactions: LinkedIn connection dates, messages, invitations, meetings.
        interactions: list[tuple[Any, ...]] = []
        members: list[list[int]] = []
        interaction_keys: list[str] = []
        owners: list[dict[str, Any] | None] = []  # the merge an interaction belongs to
        online = Channel.MESSAGE.value
        for action in actions:
            record = action.record
            if action.kind == "connect":
                if action.pid < 0 and action.pid not in im.real:
                    continue  # the person was refused above
                on = record.connected_on
                interactions.append(
                    (
                        owner_id,
                        dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC),
                        online,
                        1,
                        "both",
                        True,
                        "Connected on LinkedIn",
                    )
                )
                members.append([im._id(action.pid)])
                interaction_keys.append(action.key)
                owners.append(action.merge)
            elif action.kind == "interaction":
                ids = [im._id(p) for p in action.extra if p > 0 or p in im.real]
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
                        fit(Interaction, "summary", record.summary),
                    )
                )
                members.append(ids)
                interaction_keys.append(action.key)
                owners.append(None)
        interaction_ids = self.tables.interaction.insert_returning_ids(interactions)
        links: list[tuple[int, int]] = []
        for interaction_id, ids, key, merge in zip(
            interaction_ids, members, interaction_keys, owners, strict=True
        ):
            links += [(interaction_id, i) for i in dict.fromkeys(ids)]
            if key:
                keys.append((owner_id, key, None, interaction_id))
            if merge is not None:
                merge["interactions"].append(interaction_id)
        written["interactions"] += len(interaction_ids)
        # The interactions are new: none of their links can exist yet.
        self.tables.link.insert(links)
        try:
            # Every key is new to this import; only another import of the same account at the
            # same moment could have written one: then the slower way leaves those out.
            with transaction.atomic():
                self.tables.key.insert(keys)
        except IntegrityError:
            self.tables.key.insert(keys, ignore_conflicts=True)
        # What the merges changed, to undo them.
        rows = []
        for action, person_id in merges:
            record = action.record
            rows.append(
                (
                    owner_id,
                    person_id,
                    im.batch_id,
                    Merge.Kind.IMPORT.value,
                    fit(Merge, "name", record.full_name),
                    fit(Merge, "source", f"{record.file}, line {record.line}"),
                    action.merge,
                )
            )
        self.tables.merge.insert(rows)
        written["merges"] += len(rows)
        # Proposals: a new person who is probably someone known.
        proposals = []
        for action in actions:
            if action.kind != "propose" or action.pid not in im.real:
                continue
            other = im._id(action.extra[0])
            if other < 0:
                continue
            proposals.append((owner_id, im.batch_id, other, im.real[action.pid], action.extra[1]))
        # Each names a person this import just made: no such pair can exist yet.
        self.tables.proposal.insert(proposals)
        written["merge proposals"] += len(proposals)
        AuditEntry.objects.bulk_create(self.audit)

    @staticmethod
    def _point(person_id: int, kind: str, value: str, label: str) -> tuple[Any, ...]:
        return (person_id, kind, fit(ContactPoint, "value", value),
                fit(ContactPoint, "label", label))  # fmt: skip
