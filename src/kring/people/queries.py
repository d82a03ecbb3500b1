"""Permission-checked reads of the record.

Every lookup of one row goes through an ``access_<entity>_by_id`` function that answers
:class:`NotFound` alike for "does not exist" and "not yours". Lists are always filtered by owner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from kring.accounts.models import User
from kring.core.dates import upcoming_birthday
from kring.core.names import display_name
from kring.core.strength import Strength, Touch, is_conversation, relationship_strength
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
)
from kring.workspaces.models import Workspace
from kring.workspaces.queries import workspaces_for

BIRTHDAY_HORIZON_DAYS = 14  # the dashboard looks two weeks ahead

T = TypeVar("T", bound=Model)


def _owned(queryset: QuerySet[T], entity: str, ident: object, user: User, field: str = "pk") -> T:
    """The user's row with this id; NotFound alike for a bad id, a missing row and not-yours."""
    try:
        return queryset.get(**{field: int(ident), "owner": user})  # type: ignore[call-overload]
    except (ObjectDoesNotExist, TypeError, ValueError):
        raise NotFound(entity, ident) from None


def access_person_by_id(user: User, person_id: object) -> Person:
    people = Person.objects.select_related("organisation", "relationship").prefetch_related(
        "contact_points", "tags"
    )
    return _owned(people, "person", person_id, user)


def access_organisation_by_id(user: User, organisation_id: object) -> Organisation:
    organisations = Organisation.objects.prefetch_related("tags", "competes_with")
    return _owned(organisations, "organisation", organisation_id, user)


def access_interaction_by_id(user: User, interaction_id: object) -> Interaction:
    return _owned(
        Interaction.objects.prefetch_related("people"), "interaction", interaction_id, user
    )


def access_note_by_id(user: User, note_id: object) -> IntelligenceNote:
    return _owned(IntelligenceNote.objects.select_related("person"), "note", note_id, user)


def access_favour_by_id(user: User, favour_id: object) -> Favour:
    return _owned(Favour.objects.select_related("person"), "favour", favour_id, user)


def access_ask_by_id(user: User, ask_id: object) -> Ask:
    return _owned(Ask.objects.select_related("person"), "ask", ask_id, user)


def access_relationship_by_person_id(user: User, person_id: object) -> Relationship:
    relationships = Relationship.objects.select_related("person", "introduced_by")
    return _owned(relationships, "relationship", person_id, user, field="person_id")


def last_contact_of_person() -> Subquery:
    """The time of the latest interaction with the outer query's person.

    A correlated subquery rather than ``Max("interactions__occurred_at")``: the aggregate joins
    every interaction of every person and groups them back, also for the pager's COUNT(*) and
    for rows the page never shows; the subquery runs for the rows that need it (one index
    lookup each) and drops out of a count that does not filter on it.
    """
    latest = Interaction.people.through.objects.filter(person_id=OuterRef("pk"))
    return Subquery(
        latest.order_by("-interaction__occurred_at").values("interaction__occurred_at")[:1]
    )


def people_for(user: User) -> QuerySet[Person]:
    """The user's people, each with its relationship, organisation and last contact."""
    return (
        Person.objects.filter(owner=user)
        .select_related("organisation", "relationship")
        .annotate(last_contact=last_contact_of_person())
    )


def people_search(
    user: User,
    *,
    q: str = "",
    tier: str = "",
    sector: str = "",
    region: str = "",
    contacted_within_days: int | None = None,
    not_contacted_within_days: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Person]:
    """Search over name, organisation, role, tags and notes, then filter.

    A query of several words must match each word somewhere, so "berg acme" finds Jan van der
    Berg at Acme.
    """
    people = people_for(user)
    for word in q.split():
        # The organisation, the relationship and the tags as subqueries of the user's own
        # rows, not joins: joined, PostgreSQL reads every organisation and relationship of
        # every user to filter a few hundred people (a tag joined would also repeat the
        # person's rows before DISTINCT folds them).
        organisations = Organisation.objects.filter(owner=user, name__icontains=word)
        relationships = Relationship.objects.filter(owner=user).filter(
            Q(private_notes__icontains=word) | Q(how_met__icontains=word)
        )
        people = people.filter(
            Q(given_name__icontains=word)
            | Q(surname__icontains=word)
            | Q(particles__icontains=word)
            | Q(sort_name__icontains=word)
            | Q(organisation__in=organisations.values("pk"))
            | Q(title__icontains=word)
            | Q(sector__icontains=word)
            | Q(Exists(Tag.objects.filter(owner=user, people=OuterRef("pk"), name__icontains=word)))
            | Q(pk__in=relationships.values("person_id"))
            | Q(interests__icontains=word)
            | Q(hobbies__icontains=word)
        )
    if tier:
        people = people.filter(relationship__tier=tier)
    if sector:
        people = people.filter(Q(sector__iexact=sector) | Q(organisation__sector__iexact=sector))
    if region:
        people = people.filter(Q(region__iexact=region) | Q(organisation__region__iexact=region))
    if now is not None and contacted_within_days is not None:
        since = now - dt.timedelta(days=contacted_within_days)
        # last_contact is annotated in people_for(), which the plugin cannot follow.
        people = people.filter(last_contact__gte=since)  # type: ignore[misc]
    if now is not None and not_contacted_within_days is not None:
        cutoff = now - dt.timedelta(days=not_contacted_within_days)
        people = people.filter(Q(last_contact__lt=cutoff) | Q(last_contact__isnull=True))
    return people.order_by("sort_name", "id")


def organisations_for(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(owner=user).order_by("name", "id")


def organisations_search(user: User, *, q: str = "") -> QuerySet[Organisation]:
    """The user's organisations whose name holds ``q``, each with ``n_people``."""
    found = organisations_for(user).annotate(n_people=Count("people"))
    if q.strip():
        found = found.filter(name__icontains=q.strip())
    return found


def people_at(user: User, organisation: Organisation) -> QuerySet[Person]:
    """The user's people at one of the user's organisations."""
    if organisation.owner_id != user.pk:
        raise NotFound("organisation", organisation.pk)
    return people_for(user).filter(organisation=organisation).order_by("sort_name", "id")


def competitor_choices(user: User, organisation: Organisation) -> QuerySet[Organisation]:
    """The user's other organisations: what one of them may compete with."""
    if organisation.owner_id != user.pk:
        raise NotFound("organisation", organisation.pk)
    return organisations_for(user).exclude(pk=organisation.pk)


def tags_for(user: User) -> QuerySet[Tag]:
    return Tag.objects.filter(owner=user)


def interactions_for(user: User, *, person: object = None) -> QuerySet[Interaction]:
    """The user's interactions; with ``person`` (an id), those with that person of the user's
    (not found when the person is not the user's)."""
    found = Interaction.objects.filter(owner=user).prefetch_related("people")
    if person is not None:
        found = found.filter(people=access_person_by_id(user, person))
    return found


def notes_for(user: User) -> QuerySet[IntelligenceNote]:
    return (
        IntelligenceNote.objects.filter(owner=user)
        .select_related("person")
        .prefetch_related("tags")
    )


def notes_search(user: User, *, q: str = "") -> QuerySet[IntelligenceNote]:
    """The user's notes holding every word of ``q`` in their text or a tag."""
    notes = notes_for(user)
    for word in q.split():
        notes = notes.filter(Q(text__icontains=word) | Q(tags__name__icontains=word))
    return notes.distinct() if q.split() else notes


def favours_for(user: User, *, person: object = None) -> QuerySet[Favour]:
    """The user's favours; with ``person`` (an id), those with that person of the user's."""
    found = Favour.objects.filter(owner=user).select_related("person")
    if person is not None:
        found = found.filter(person=access_person_by_id(user, person))
    return found


def asks_for(user: User) -> QuerySet[Ask]:
    return Ask.objects.filter(owner=user).select_related("person")


def open_asks(user: User, *, today: dt.date) -> QuerySet[Ask]:
    """The user's own asks to the network (about nobody in particular) open on ``today``,
    the first to close first."""
    return (
        asks_for(user)
        .filter(person__isnull=True, valid_from__lte=today, valid_to__gte=today)
        .order_by("valid_to", "id")
    )


@dataclass(frozen=True)
class AskLists:
    mine: QuerySet[Ask]  # asks to the network
    theirs: list[Ask]  # what people in the user's file asked for, still open


def asks_page(user: User, *, today: dt.date, limit: int = 100) -> AskLists:
    """The asks page: the user's asks to the network, and the open asks of people in the
    user's file."""
    asks = asks_for(user)
    return AskLists(
        mine=asks.filter(person__isnull=True),
        theirs=list(asks.filter(person__isnull=False, valid_to__gte=today)[:limit]),
    )


def share_rows(user: User, person: Person) -> list[tuple[Workspace, str]]:
    """Per club or company the user is in: how much of the relationship with ``person`` its
    members may see."""
    if person.owner_id != user.pk:
        raise NotFound("person", person.pk)
    level = Share.objects.filter(
        workspace=OuterRef("workspace"), relationship__person=person, relationship__owner=user
    ).values("level")[:1]
    memberships = (
        workspaces_for(user)
        .exclude(workspace__kind=Workspace.Kind.PERSONAL)
        .annotate(share_level=Subquery(level))
    )
    return [(m.workspace, m.share_level or ShareLevel.NONE) for m in memberships]


def sectors_and_regions(user: User) -> tuple[list[str], list[str]]:
    people = Person.objects.filter(owner=user)
    sectors = sorted({s for s in people.values_list("sector", flat=True).distinct() if s})
    regions = sorted({r for r in people.values_list("region", flat=True).distinct() if r})
    return sectors, regions


TIMELINE_LENGTH = 20  # the person page shows the latest entries, the rest one click away


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # interaction, note, favour, ask
    when: dt.datetime | dt.date
    item: Any
    others: str = ""  # an interaction's other people, "An Aerts, Bart Claes" (person_history)

    @property
    def sort_at(self) -> dt.datetime:
        if isinstance(self.when, dt.datetime):
            return self.when
        return dt.datetime.combine(self.when, dt.time(12), tzinfo=dt.UTC)


def _timeline_entries(
    user: User, person: Person, interactions: list[Interaction]
) -> tuple[list[TimelineEntry], list[Favour]]:
    """Every entry about one person, newest first (the interactions given, read already);
    with the favours, which the ledger counts too."""
    favours = list(person.favours.filter(owner=user))
    entries = [TimelineEntry("interaction", i.occurred_at, i) for i in interactions]
    entries += [
        TimelineEntry("note", n.noted_on, n)
        for n in person.intelligence_notes.filter(owner=user).prefetch_related("tags")
    ]
    entries += [TimelineEntry("favour", f.occurred_on, f) for f in favours]
    entries += [TimelineEntry("ask", a.valid_from, a) for a in person.asks.filter(owner=user)]
    entries.sort(key=lambda e: e.sort_at, reverse=True)
    return entries, favours


def person_timeline(user: User, person: Person) -> list[TimelineEntry]:
    """Interactions, notes, favours and asks about one person, newest first."""
    if person.owner_id != user.pk:
        raise NotFound("person", person.pk)
    interactions = list(person.interactions.filter(owner=user).prefetch_related("people"))
    return _timeline_entries(user, person, interactions)[0]


@dataclass(frozen=True)
class PersonHistory:
    """What the person page shows of the history with one person."""

    timeline: list[TimelineEntry]  # newest first, at most the limit asked for
    hidden: int  # older entries left off the timeline
    strength: Strength
    familiarity: int  # conversations so far (see familiarity())
    favours: dict[str, int]  # given, received, balance (see favour_balance_with())


def person_history(
    user: User, person: Person, *, now: dt.datetime, limit: int | None = TIMELINE_LENGTH
) -> PersonHistory:
    """The timeline (its latest ``limit`` entries; every one with None), the strength, the
    familiarity and the favour ledger of one relationship, from one read of each kind of entry.

    Each interaction is read once, for the timeline, the strength and the familiarity alike;
    of the people an interaction was with, only the names of the others on the entries shown.
    """
    if person.owner_id != user.pk:
        raise NotFound("person", person.pk)
    interactions = list(person.interactions.filter(owner=user))
    entries, favours = _timeline_entries(user, person, interactions)
    shown = entries if limit is None else entries[:limit]
    shown_ids = [e.item.pk for e in shown if e.kind == "interaction"]
    others: dict[int, list[str]] = {}
    if shown_ids:
        # The interactions are the user's, so are the people in them.
        together = (
            Interaction.people.through.objects.filter(interaction_id__in=shown_ids)
            .exclude(person_id=person.pk)
            .order_by("person__sort_name", "person_id")
            .values_list("interaction_id", *(f"person__{name}" for name in NAME_COLUMNS))
        )
        for interaction_id, given, particles, surname in together:
            others.setdefault(interaction_id, []).append(display_name(given, particles, surname))
    timeline = [
        TimelineEntry(e.kind, e.when, e.item, ", ".join(others.get(e.item.pk, ())))
        if e.kind == "interaction"
        else e
        for e in shown
    ]
    touches = [
        Touch(i.occurred_at, i.channel, i.minutes, i.initiated_by, i.answered) for i in interactions
    ]
    given = sum(1 for f in favours if f.direction == Favour.Direction.GIVEN)
    received = sum(1 for f in favours if f.direction == Favour.Direction.RECEIVED)
    return PersonHistory(
        timeline=timeline,
        hidden=len(entries) - len(shown),
        strength=relationship_strength(touches, now=now),
        familiarity=sum(1 for t in touches if is_conversation(t.initiated_by, t.answered)),
        favours={"given": given, "received": received, "balance": given - received},
    )


def person_emails(person: Person) -> list[str]:
    return [c.value for c in person.contact_points.all() if c.kind == ContactPoint.Kind.EMAIL]


def person_phones(person: Person) -> list[str]:
    return [c.value for c in person.contact_points.all() if c.kind == ContactPoint.Kind.PHONE]


NAME_COLUMNS = ("given_name", "particles", "surname")  # what Person.full_name reads


def prefetch_people_of_interactions() -> Prefetch:
    return Prefetch("people", queryset=Person.objects.only("id", *NAME_COLUMNS))


@dataclass(frozen=True)
class DashboardSummary:
    people: int
    tier_counts: dict[str, int]
    recent: list[Interaction]
    waiting_a_tier: list[Person]
    open_asks: list[Ask]
    favours_given: int
    favours_received: int
    channel_minutes: list[tuple[str, str, int, int]]  # code, label, touches, percent of max
    birthdays: list[tuple[dt.date, Person]]


def dashboard_summary(user: User, *, now: dt.datetime) -> DashboardSummary:

    from kring.people.models import Channel, Tier

    today = clock.today(clock.zone_of(user), now)
    tiers = dict(
        Relationship.objects.filter(owner=user)
        .values_list("tier")
        .annotate(n=Count("id"))
        .values_list("tier", "n")
    )
    recent = list(
        Interaction.objects.filter(owner=user)
        .prefetch_related(prefetch_people_of_interactions())
        .order_by("-occurred_at", "-id")[:8]
    )
    # Not spoken to in four weeks: no interaction since (an anti-join on the A-tier people)
    # rather than a filter on the last contact, which PostgreSQL worked out for every person
    # of the user's before it looked at the tier. The relationship's owner too, for the
    # index on (owner, tier).
    since = Interaction.people.through.objects.filter(
        person_id=OuterRef("pk"), interaction__occurred_at__gte=now - dt.timedelta(days=28)
    )
    waiting: QuerySet[Person] = (
        Person.objects.filter(owner=user, relationship__owner=user, relationship__tier=Tier.A)
        .filter(~Exists(since))
        .select_related("organisation")
        .only(*NAME_COLUMNS, "sort_name", "organisation__name")
        .annotate(last_contact=last_contact_of_person())
        .order_by("last_contact", "sort_name")[:8]
    )
    asks = list(
        Ask.objects.filter(owner=user, valid_to__gte=today, valid_from__lte=today)
        .select_related("person")
        .only("text", "person", *(f"person__{name}" for name in NAME_COLUMNS))
        .order_by("valid_to")[:6]
    )
    favours = dict(
        Favour.objects.filter(owner=user)
        .values_list("direction")
        .annotate(n=Count("id"))
        .values_list("direction", "n")
    )
    by_channel = dict(
        Interaction.objects.filter(owner=user, occurred_at__gte=now - dt.timedelta(days=90))
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    top = max(by_channel.values(), default=0) or 1
    channels = [
        (code, str(label), by_channel.get(code, 0), round(100 * by_channel.get(code, 0) / top))
        for code, label in Channel.choices
    ]
    birthdays = []
    for person in Person.objects.filter(owner=user, birthday__isnull=False).only(
        "id", *NAME_COLUMNS, "sort_name", "birthday"
    ):
        assert person.birthday is not None
        day = upcoming_birthday(person.birthday, today, BIRTHDAY_HORIZON_DAYS)
        if day is not None:
            birthdays.append((day, person))
    birthdays.sort(key=lambda pair: (pair[0], pair[1].sort_name))
    return DashboardSummary(
        people=sum(tiers.values()),
        tier_counts={t: tiers.get(t, 0) for t in Tier.values},
        recent=recent,
        waiting_a_tier=list(waiting),
        open_asks=asks,
        favours_given=favours.get("given", 0),
        favours_received=favours.get("received", 0),
        channel_minutes=channels,
        birthdays=birthdays[:8],
    )


def person_strength(user: User, person: Person, *, now: dt.datetime) -> Strength:
    """The strength of the user's relationship with one person (kring.core.strength)."""
    if person.owner_id != user.pk:
        raise NotFound("person", person.pk)
    touches = [
        Touch(occurred_at, channel, minutes, initiated_by, answered)
        for occurred_at, channel, minutes, initiated_by, answered in person.interactions.filter(
            owner=user
        ).values_list("occurred_at", "channel", "minutes", "initiated_by", "answered")
    ]
    return relationship_strength(touches, now=now)


def favour_balance_with(user: User, person: Person) -> dict[str, int]:
    """Favours given to and received from one person: the reciprocity ledger of a tie."""
    counts = dict(
        Favour.objects.filter(owner=user, person=person)
        .values_list("direction")
        .annotate(n=Count("id"))
        .values_list("direction", "n")
    )
    given, received = counts.get("given", 0), counts.get("received", 0)
    return {"given": given, "received": received, "balance": given - received}


def familiarity(user: User, person: Person) -> int:
    """Conversations so far: interactions that were a real exchange (not unanswered outbound)."""
    return person.interactions.filter(owner=user).exclude(initiated_by="me", answered=False).count()
