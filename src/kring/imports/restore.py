"""`kring restore`: an account's JSON backup (``account_as_dict``) read back in.

Into an empty database the backup's ids are kept, so exporting the restored account gives the
same JSON again; into a database that has rows already, the account gets new ids.
"""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.people.export import FORMAT_VERSION
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
from kring.workspaces.models import Membership, Workspace

_MODELS: list[type[models.Model]] = [
    Workspace,
    Organisation,
    Person,
    Interaction,
    IntelligenceNote,
    Favour,
    Ask,
]


class BackupError(ValueError):
    """The file is not a backup Kring can restore, or the account exists already."""


def _value(model: type[models.Model], name: str, raw: Any) -> Any:
    field = model._meta.get_field(name)
    if raw is None or not isinstance(field, models.Field):
        return raw
    return field.to_python(raw)


def _set(obj: models.Model, data: dict[str, Any], names: list[str]) -> None:
    for name in names:
        if name in data:
            setattr(obj, name, _value(type(obj), name, data[name]))


class _Ids:
    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.maps: dict[str, dict[int, int]] = {}

    def new(self, kind: str, old: int) -> int | None:
        return old if self.keep else None

    def remember(self, kind: str, old: int, new: int) -> None:
        self.maps.setdefault(kind, {})[old] = new

    def get(self, kind: str, old: int | None) -> int | None:
        if old is None:
            return None
        try:
            return self.maps[kind][old]
        except KeyError:
            raise BackupError(f"{kind} {old} is referred to but not in the backup") from None

    def need(self, kind: str, old: int) -> int:
        found = self.get(kind, old)
        if found is None:
            raise BackupError(f"a {kind} is missing")
        return found


def _tags(owner: User, names: list[str]) -> list[Tag]:
    return [Tag.objects.get_or_create(owner=owner, name=name[:60])[0] for name in names]


@transaction.atomic
def account_restore(*, data: Any) -> User:
    """Create the account a backup describes, with everything in it."""
    if not isinstance(data, dict) or data.get("format") != "kring-account":
        raise BackupError("not a Kring account backup (made by `kring export`)")
    if data.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"backup version {data.get('version')!r}; this Kring reads {FORMAT_VERSION}"
        )
    try:
        return _restore(data)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"a damaged backup ({type(exc).__name__}: {exc})") from None


def _restore(data: dict[str, Any]) -> User:
    info = data["user"]
    if User.objects.filter(email__iexact=info["email"]).exists():
        raise BackupError(f"an account with e-mail address {info['email']} exists already")
    ids = _Ids(keep=not any(m._default_manager.exists() for m in _MODELS))
    user = User(email=info["email"], username=info["email"])
    _set(user, info, ["display_name", "language", "country", "weekly_budget_minutes"])
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    for w in data.get("workspaces", []):
        workspace = Workspace(id=ids.new("workspace", w["id"]), name=w["name"], kind=w["kind"])
        workspace.save()
        ids.remember("workspace", w["id"], workspace.pk)
        Membership.objects.create(workspace=workspace, user=user, role=w["role"])
    org_fields = ["name", "sector", "size", "region", "website"]
    for o in data.get("organisations", []):
        organisation = Organisation(id=ids.new("organisation", o["id"]), owner=user)
        _set(organisation, o, org_fields)
        organisation.full_clean()
        organisation.save()
        ids.remember("organisation", o["id"], organisation.pk)
        if o.get("tags"):
            organisation.tags.set(_tags(user, o["tags"]))
    for o in data.get("organisations", []):
        if o.get("competes_with"):
            Organisation.objects.get(pk=ids.need("organisation", o["id"])).competes_with.set(
                [ids.need("organisation", c) for c in o["competes_with"]]
            )
    person_fields = [
        f.name
        for f in Person._meta.concrete_fields
        if f.name not in {"id", "owner", "organisation", "sort_name", "created_at", "updated_at"}
    ]
    for p in data.get("people", []):
        person = Person(id=ids.new("person", p["id"]), owner=user)
        _set(person, p, person_fields)
        person.organisation_id = ids.get("organisation", p.get("organisation"))
        person.full_clean()
        person.save()
        ids.remember("person", p["id"], person.pk)
        if p.get("created_at"):
            Person.objects.filter(pk=person.pk).update(
                created_at=_value(Person, "created_at", p["created_at"])
            )
        ContactPoint.objects.bulk_create(
            [ContactPoint(person=person, kind="email", value=v) for v in p.get("emails", [])]
            + [ContactPoint(person=person, kind="phone", value=v) for v in p.get("phones", [])]
        )
        if p.get("tags"):
            person.tags.set(_tags(user, p["tags"]))
    relationship_fields = [
        f.name
        for f in Relationship._meta.concrete_fields
        if f.name not in {"id", "owner", "person", "introduced_by", "created_at", "updated_at"}
    ]
    for r in data.get("relationships", []):
        relationship = Relationship(owner=user, person_id=ids.need("person", r["person"]))
        _set(relationship, r, relationship_fields)
        relationship.introduced_by_id = ids.get("person", r.get("introduced_by"))
        relationship.full_clean()
        relationship.save()
        for s in r.get("shares", []):
            Share.objects.create(
                relationship=relationship,
                workspace_id=ids.need("workspace", s["workspace"]),
                level=s["level"],
            )
    for i in data.get("interactions", []):
        interaction = Interaction(id=ids.new("interaction", i["id"]), owner=user)
        _set(interaction, i, ["occurred_at", "channel", "minutes", "initiated_by", "answered",
                              "summary"])  # fmt: skip
        interaction.full_clean()
        interaction.save()
        interaction.people.set([ids.need("person", p) for p in i.get("people", [])])
    for n in data.get("intelligence_notes", []):
        note = IntelligenceNote(id=ids.new("note", n["id"]), owner=user)
        _set(note, n, ["text", "noted_on"])
        note.person_id = ids.get("person", n.get("person"))
        note.full_clean()
        note.save()
        if n.get("tags"):
            note.tags.set(_tags(user, n["tags"]))
    for f in data.get("favours", []):
        favour = Favour(id=ids.new("favour", f["id"]), owner=user)
        _set(favour, f, ["direction", "kind", "value_eur", "occurred_on", "description"])
        favour.person_id = ids.need("person", f["person"])
        favour.full_clean()
        favour.save()
    for a in data.get("asks", []):
        ask = Ask(id=ids.new("ask", a["id"]), owner=user)
        _set(ask, a, ["text", "role", "sector", "region", "organisation_name", "valid_from",
                      "valid_to"])  # fmt: skip
        ask.person_id = ids.get("person", a.get("person"))
        ask.full_clean()
        ask.save()
    if ids.keep:
        # Rows were written with their ids: move the sequences past them (PostgreSQL).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), _MODELS):
                cursor.execute(sql)
    audit_record(actor=user, action=AuditEntry.Action.CREATE, instance=user, via="restore")
    return user
