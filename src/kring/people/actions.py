"""Every write to the record: validated, in one transaction, with an audit entry.

Views, the API, the CLI, importers and the admin call these functions; none of them saves a
domain row directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.core.contact import InvalidContact, normalise_email, normalise_phone
from kring.lib import clock
from kring.lib.errors import NotFound
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
    ShareLevel,
    Tag,
    Tier,
)
from kring.workspaces.models import Workspace

PERSON_FIELDS = (
    "given_name",
    "particles",
    "surname",
    "linkedin_url",
    "title",
    "sector",
    "region",
    "languages",
    "birthday",
    "interests",
    "hobbies",
    "family_notes",
)
RELATIONSHIP_FIELDS = (
    "tier",
    "how_met",
    "private_notes",
    "snoozed_until",
    "dont_contact_before",
    "stars",
)


def _clean_contacts(
    emails: Iterable[str], phones: Iterable[str], region: str
) -> list[tuple[str, str]]:
    points: list[tuple[str, str]] = []
    errors: dict[str, list[str]] = {}
    for raw in emails:
        if not raw.strip():
            continue
        try:
            points.append((ContactPoint.Kind.EMAIL, normalise_email(raw)))
        except InvalidContact as exc:
            errors.setdefault("emails", []).append(str(exc))
    for raw in phones:
        if not raw.strip():
            continue
        try:
            points.append((ContactPoint.Kind.PHONE, normalise_phone(raw, region)))
        except InvalidContact as exc:
            errors.setdefault("phones", []).append(str(exc))
    if errors:
        raise ValidationError(errors)
    return list(dict.fromkeys(points))  # keep order, drop repeats


def _tags(owner: User, names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        tag, _ = Tag.objects.get_or_create(owner=owner, name=name[:60])
        tags.append(tag)
    return tags


def organisation_find_or_create(*, owner: User, name: str, via: str = "") -> Organisation | None:
    """The owner's organisation of that name (case-insensitive), made if there is none."""
    name = name.strip()
    if not name:
        return None
    existing = Organisation.objects.filter(owner=owner, name__iexact=name).order_by("id").first()
    if existing is not None:
        return existing
    return organisation_create(owner=owner, name=name, via=via)


@transaction.atomic
def _erase(actor: User, row: Any, via: str) -> None:
    """Delete one of the actor's rows and log it by kind and id only (no personal data)."""
    _check_own(actor, row)
    entity, row_id = row._meta.model_name, row.pk
    row.delete()
    audit_record(
        actor=actor, action=AuditEntry.Action.ERASE, entity=entity, entity_id=row_id, via=via
    )


def _check_own(owner: User, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "owner_id", owner.pk) != owner.pk:
            raise NotFound(obj._meta.model_name, obj.pk)


@transaction.atomic
def person_create(
    *,
    owner: User,
    given_name: str,
    particles: str = "",
    surname: str = "",
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    organisation: Organisation | None = None,
    organisation_name: str = "",
    tags: Sequence[str] = (),
    tier: str = Tier.B,
    how_met: str = "",
    introduced_by: Person | None = None,
    private_notes: str = "",
    via: str = "",
    **fields: Any,
) -> Person:
    """Add a person to the owner's file, with the owner's relationship to them."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_create() got unexpected fields {sorted(unknown)}")
    _check_own(owner, organisation, introduced_by)
    points = _clean_contacts(emails, phones, owner.country)
    if organisation is None and organisation_name.strip():
        organisation = organisation_find_or_create(owner=owner, name=organisation_name, via=via)
    person = Person(
        owner=owner,
        given_name=given_name.strip(),
        particles=particles.strip(),
        surname=surname.strip(),
        organisation=organisation,
        **fields,
    )
    person.full_clean()
    person.save()
    ContactPoint.objects.bulk_create(
        [ContactPoint(person=person, kind=kind, value=value) for kind, value in points]
    )
    person.tags.set(_tags(owner, tags))
    relationship = Relationship(
        owner=owner,
        person=person,
        tier=tier,
        how_met=how_met,
        introduced_by=introduced_by,
        private_notes=private_notes,
    )
    relationship.full_clean()
    relationship.save()
    audit_record(actor=owner, action=AuditEntry.Action.CREATE, instance=person, via=via)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    emails: Sequence[str] | None = None,
    phones: Sequence[str] | None = None,
    organisation_name: str | None = None,
    tags: Sequence[str] | None = None,
    via: str = "",
    **fields: Any,
) -> Person:
    """Change the given fields of a person; lists given replace the old ones."""
    _check_own(actor, person)
    unknown = set(fields) - set(PERSON_FIELDS) - {"organisation"}
    if unknown:
        raise TypeError(f"person_update() got unexpected fields {sorted(unknown)}")
    _check_own(actor, fields.get("organisation"))
    changed = set(fields)
    for name, value in fields.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    if organisation_name is not None:
        person.organisation = organisation_find_or_create(
            owner=actor, name=organisation_name, via=via
        )
        changed.add("organisation")
    person.full_clean()
    if emails is not None or phones is not None:
        old_emails = [c.value for c in person.contact_points.filter(kind=ContactPoint.Kind.EMAIL)]
        old_phones = [c.value for c in person.contact_points.filter(kind=ContactPoint.Kind.PHONE)]
        points = _clean_contacts(
            old_emails if emails is None else emails,
            old_phones if phones is None else phones,
            actor.country,
        )
        person.contact_points.all().delete()
        ContactPoint.objects.bulk_create(
            [ContactPoint(person=person, kind=kind, value=value) for kind, value in points]
        )
        changed.update(n for n, v in (("emails", emails), ("phones", phones)) if v is not None)
    if tags is not None:
        person.tags.set(_tags(actor, tags))
        changed.add("tags")
    person.save()
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=person, fields=changed, via=via
    )
    return person


@transaction.atomic
def person_erase(*, actor: User, person: Person, via: str = "") -> None:
    """Erase a person completely (GDPR art. 17): their record, relationship, notes, favours,
    asks and contact points, and every interaction that involved nobody else."""
    _check_own(actor, person)
    person_id = person.pk
    solo = [i.pk for i in person.interactions.all() if i.people.count() == 1]
    Interaction.objects.filter(pk__in=solo).delete()
    Relationship.objects.filter(introduced_by=person).update(introduced_by=None)
    person.delete()  # cascades: contact points, relationship, shares, notes, favours, asks
    audit_record(
        actor=actor, action=AuditEntry.Action.ERASE, entity="person", entity_id=person_id, via=via
    )


@transaction.atomic
def relationship_update(
    *,
    actor: User,
    relationship: Relationship,
    introduced_by: Person | object | None = ...,
    via: str = "",
    **fields: Any,
) -> Relationship:
    _check_own(actor, relationship)
    unknown = set(fields) - set(RELATIONSHIP_FIELDS)
    if unknown:
        raise TypeError(f"relationship_update() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(relationship, name, value)
    changed = set(fields)
    if introduced_by is not ...:
        _check_own(actor, introduced_by)
        if introduced_by is not None and introduced_by == relationship.person:
            raise ValidationError({"introduced_by": _("A person cannot introduce themselves.")})
        relationship.introduced_by = introduced_by  # type: ignore[assignment]
        changed.add("introduced_by")
    relationship.full_clean()
    relationship.save()
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=relationship, fields=changed, via=via
    )
    return relationship


@transaction.atomic
def share_set(
    *, actor: User, relationship: Relationship, workspace: Workspace, level: str, via: str = ""
) -> Share:
    """Set how much of a relationship the members of a workspace may see."""
    _check_own(actor, relationship)
    if not workspace.memberships.filter(user=actor).exists():
        raise NotFound("workspace", workspace.pk)
    if level not in ShareLevel.values:
        raise ValidationError(
            {"level": _("Unknown sharing level %(level)s.") % {"level": repr(level)}}
        )
    share, _created = Share.objects.update_or_create(
        relationship=relationship, workspace=workspace, defaults={"level": level}
    )
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=share, fields=["level"], via=via
    )
    return share


@transaction.atomic
def organisation_create(
    *, owner: User, name: str, tags: Sequence[str] = (), via: str = "", **fields: Any
) -> Organisation:
    organisation = Organisation(owner=owner, name=name.strip(), **fields)
    organisation.full_clean()
    organisation.save()
    if tags:
        organisation.tags.set(_tags(owner, tags))
    audit_record(actor=owner, action=AuditEntry.Action.CREATE, instance=organisation, via=via)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    competes_with: Sequence[Organisation] | None = None,
    tags: Sequence[str] | None = None,
    via: str = "",
    **fields: Any,
) -> Organisation:
    _check_own(actor, organisation)
    allowed = {"name", "sector", "size", "region", "website"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"organisation_update() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    organisation.full_clean()
    organisation.save()
    changed = set(fields)
    if competes_with is not None:
        _check_own(actor, *competes_with)
        if organisation in competes_with:
            raise ValidationError(
                {"competes_with": _("An organisation cannot compete with itself.")}
            )
        organisation.competes_with.set(competes_with)
        changed.add("competes_with")
    if tags is not None:
        organisation.tags.set(_tags(actor, tags))
        changed.add("tags")
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=organisation, fields=changed, via=via
    )
    return organisation


def organisation_erase(*, actor: User, organisation: Organisation, via: str = "") -> None:
    _erase(actor, organisation, via)


@transaction.atomic
def interaction_log(
    *,
    owner: User,
    people: Sequence[Person],
    occurred_at: dt.datetime | None = None,
    channel: str,
    minutes: int = 5,
    initiated_by: str = "me",
    answered: bool | None = None,
    summary: str = "",
    now: dt.datetime | None = None,
    via: str = "",
) -> Interaction:
    """Record a contact with one or more people (a five-minute call, a dinner, an e-mail) that
    happened at ``occurred_at`` (default ``now``); more than a day after ``now`` is refused."""
    if not people:
        raise ValidationError({"people": _("Name at least one person.")})
    _check_own(owner, *people)
    now = now or clock.now()
    occurred_at = occurred_at or now
    if timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": _("Give a time with its time zone.")})
    if occurred_at > now + dt.timedelta(days=1):
        raise ValidationError(
            {"occurred_at": _("That is in the future; log contacts that happened.")},
            code="future",
        )
    if minutes is not None and minutes > 24 * 60:
        raise ValidationError({"minutes": _("An interaction lasts at most a day (1440 minutes).")})
    interaction = Interaction(
        owner=owner,
        occurred_at=occurred_at,
        channel=channel,
        minutes=minutes,
        initiated_by=initiated_by,
        answered=answered,
        summary=summary.strip(),
    )
    interaction.full_clean()
    interaction.save()
    interaction.people.set(people)
    audit_record(actor=owner, action=AuditEntry.Action.CREATE, instance=interaction, via=via)
    return interaction


def interaction_erase(*, actor: User, interaction: Interaction, via: str = "") -> None:
    _erase(actor, interaction, via)


@transaction.atomic
def note_create(
    *,
    owner: User,
    text: str,
    person: Person | None = None,
    tags: Sequence[str] = (),
    noted_on: dt.date | None = None,
    via: str = "",
) -> IntelligenceNote:
    """Record what someone told you about the market."""
    _check_own(owner, person)
    note = IntelligenceNote(
        owner=owner,
        person=person,
        text=text.strip(),
        noted_on=noted_on or clock.today(clock.zone_of(owner)),
    )
    note.full_clean()
    note.save()
    if tags:
        note.tags.set(_tags(owner, tags))
    audit_record(actor=owner, action=AuditEntry.Action.CREATE, instance=note, via=via)
    return note


def note_erase(*, actor: User, note: IntelligenceNote, via: str = "") -> None:
    _erase(actor, note, via)


@transaction.atomic
def favour_record(
    *,
    owner: User,
    person: Person,
    direction: str,
    kind: str,
    value_eur: Decimal | None = None,
    occurred_on: dt.date | None = None,
    description: str = "",
    via: str = "",
) -> Favour:
    """Record a favour given to or received from a person."""
    _check_own(owner, person)
    if value_eur is not None and value_eur < 0:
        raise ValidationError({"value_eur": _("A favour's value cannot be negative.")})
    favour = Favour(
        owner=owner,
        person=person,
        direction=direction,
        kind=kind,
        value_eur=value_eur,
        occurred_on=occurred_on or clock.today(clock.zone_of(owner)),
        description=description.strip(),
    )
    favour.full_clean()
    favour.save()
    audit_record(actor=owner, action=AuditEntry.Action.CREATE, instance=favour, via=via)
    return favour


def favour_erase(*, actor: User, favour: Favour, via: str = "") -> None:
    _erase(actor, favour, via)


@transaction.atomic
def ask_create(
    *,
    owner: User,
    text: str,
    person: Person | None = None,
    role: str = "",
    sector: str = "",
    region: str = "",
    organisation_name: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    via: str = "",
) -> Ask:
    """Record whom or what someone is looking for; by default for the coming month."""
    _check_own(owner, person)
    start = valid_from or clock.today(clock.zone_of(owner))
    end = valid_to or start + dt.timedelta(days=30)
    if end < start:
        raise ValidationError({"valid_to": _("The end date comes before the start date.")})
    ask = Ask(
        owner=owner,
        person=person,
        text=text.strip(),
        role=role.strip(),
        sector=sector.strip(),
        region=region.strip(),
        organisation_name=organisation_name.strip(),
        valid_from=start,
        valid_to=end,
    )
    ask.full_clean()
    ask.save()
    audit_record(actor=owner, action=AuditEntry.Action.CREATE, instance=ask, via=via)
    return ask


def ask_erase(*, actor: User, ask: Ask, via: str = "") -> None:
    _erase(actor, ask, via)


@transaction.atomic
def ask_withdraw(*, actor: User, ask: Ask, today: dt.date, via: str = "") -> Ask | None:
    """Withdraw an ask that is open or still to come: it ends yesterday, so it stays in the
    record as an ask that was open until then; one that was never open before today is
    erased (returns None). An ask that ended already cannot be withdrawn."""
    _check_own(actor, ask)
    if ask.valid_to < today:
        raise ValidationError({"valid_to": _("This ask has ended already.")})
    if ask.valid_from >= today:
        _erase(actor, ask, via)
        return None
    ask.valid_to = today - dt.timedelta(days=1)
    ask.full_clean()
    ask.save(update_fields=["valid_to"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, instance=ask, fields=["valid_to"], via=via
    )
    return ask


def person_for_user(owner: User, user: User, *, via: str = "club") -> Person:
    """The person in ``owner``'s file who is the member ``user`` (by e-mail), made if there is
    none: how a fellow club member enters one's own relationship file."""
    found = Person.objects.filter(
        owner=owner,
        contact_points__kind=ContactPoint.Kind.EMAIL,
        contact_points__value__iexact=user.email,
    ).first()
    if found is not None:
        return found
    given, _, rest = user.name.partition(" ")
    return person_create(
        owner=owner,
        given_name=given or user.email,
        surname=rest,
        emails=[user.email],
        organisation_name=user.organisation,
        sector=user.sector,
        how_met="club",
        via=via,
    )


def shares_end_for_leaver(*, workspace: Workspace, user: User, **_: Any) -> None:
    """Receiver of ``workspaces.signals.member_left``: whatever the member shared with the
    workspace stops being shared."""
    Share.objects.filter(workspace=workspace, relationship__owner=user).delete()
