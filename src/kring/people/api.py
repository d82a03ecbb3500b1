"""People, organisations, relationships, interactions, notes, favours and asks in the API:
the same actions and access checks as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kring.lib import clock
from kring.lib.api import ErrorOut, api_user
from kring.people import actions, queries
from kring.people import schemas as s
from kring.people.export import person_as_dict
from kring.people.models import (
    Ask,
    Favour,
    IntelligenceNote,
    Interaction,
    Organisation,
    Person,
    Relationship,
)
from kring.workspaces.queries import access_workspace_by_id


def _person_out(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "given_name": p.given_name,
        "particles": p.particles,
        "surname": p.surname,
        "full_name": p.full_name,
        "title": p.title,
        "organisation_id": p.organisation_id,
        "organisation": p.organisation.name if p.organisation else None,
        "emails": queries.person_emails(p),
        "phones": queries.person_phones(p),
        "linkedin_url": p.linkedin_url,
        "sector": p.sector,
        "region": p.region,
        "languages": p.languages,
        "birthday": p.birthday,
        "interests": p.interests,
        "hobbies": p.hobbies,
        "family_notes": p.family_notes,
        "tags": [t.name for t in p.tags.all()],
        "tier": p.relationship.tier,
    }


def _organisation_out(o: Organisation) -> dict[str, Any]:
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


def _interaction_out(i: Interaction) -> dict[str, Any]:
    return {
        "id": i.pk,
        "people": [p.pk for p in i.people.all()],
        "occurred_at": i.occurred_at,
        "channel": i.channel,
        "minutes": i.minutes,
        "initiated_by": i.initiated_by,
        "answered": i.answered,
        "summary": i.summary,
    }


def _note_out(n: IntelligenceNote) -> dict[str, Any]:
    return {
        "id": n.pk,
        "text": n.text,
        "person_id": n.person_id,
        "tags": [t.name for t in n.tags.all()],
        "noted_on": n.noted_on,
    }


def _favour_out(f: Favour) -> dict[str, Any]:
    return {
        "id": f.pk,
        "person_id": f.person_id,
        "direction": f.direction,
        "kind": f.kind,
        "value_eur": f.value_eur,
        "occurred_on": f.occurred_on,
        "description": f.description,
    }


def _ask_out(a: Ask) -> dict[str, Any]:
    return {
        "id": a.pk,
        "text": a.text,
        "person_id": a.person_id,
        "role": a.role,
        "sector": a.sector,
        "region": a.region,
        "organisation_name": a.organisation_name,
        "valid_from": a.valid_from,
        "valid_to": a.valid_to,
    }


people = Router(tags=["people"])


@people.get("/people", response=list[s.PersonOut])
@paginate(LimitOffsetPagination)
def list_people(
    request: HttpRequest, q: str = "", tier: str = "", sector: str = "", region: str = ""
) -> list[dict[str, Any]]:
    found = queries.people_search(api_user(request), q=q, tier=tier, sector=sector, region=region)
    return [_person_out(p) for p in found.prefetch_related("contact_points", "tags")]


@people.post("/people", response={201: s.PersonOut, 422: ErrorOut})
def create_person(request: HttpRequest, payload: s.PersonIn) -> Status:
    user = api_user(request)
    person = actions.person_create(owner=user, via="api", **payload.dict())
    return Status(201, _person_out(queries.access_person_by_id(user, person.pk)))


@people.get("/people/{person_id}", response=s.PersonOut)
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return _person_out(queries.access_person_by_id(api_user(request), person_id))


@people.patch("/people/{person_id}", response={200: s.PersonOut, 422: ErrorOut})
def update_person(request: HttpRequest, person_id: int, payload: s.PersonPatch) -> dict[str, Any]:
    user = api_user(request)
    person = queries.access_person_by_id(user, person_id)
    actions.person_update(actor=user, person=person, via="api", **payload.dict(exclude_unset=True))
    return _person_out(queries.access_person_by_id(user, person_id))


@people.delete("/people/{person_id}", response={204: None})
def erase_person(request: HttpRequest, person_id: int) -> Status:
    user = api_user(request)
    actions.person_erase(actor=user, person=queries.access_person_by_id(user, person_id), via="api")
    return Status(204, None)


@people.get("/people/{person_id}/export", response=dict[str, Any])
def export_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    user = api_user(request)
    return person_as_dict(user, queries.access_person_by_id(user, person_id))


def _relationship_out(relationship: Relationship) -> dict[str, Any]:
    return {
        "person_id": relationship.person_id,
        "tier": relationship.tier,
        "how_met": relationship.how_met,
        "introduced_by_id": relationship.introduced_by_id,
        "private_notes": relationship.private_notes,
        "snoozed_until": relationship.snoozed_until,
        "dont_contact_before": relationship.dont_contact_before,
        "stars": relationship.stars,
        "shares": [
            {"workspace_id": share.workspace_id, "level": share.level}
            for share in relationship.shares.order_by("workspace_id")
        ],
    }


@people.get("/people/{person_id}/relationship", response=s.RelationshipOut)
def get_relationship(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return _relationship_out(queries.access_relationship_by_person_id(api_user(request), person_id))


@people.put(
    "/people/{person_id}/relationship/shares/{workspace_id}",
    response={200: s.RelationshipOut, 422: ErrorOut},
)
def set_share(
    request: HttpRequest, person_id: int, workspace_id: int, payload: s.ShareIn
) -> dict[str, Any]:
    """How much of this relationship the members of one of my workspaces may see."""
    user = api_user(request)
    relationship = queries.access_relationship_by_person_id(user, person_id)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    actions.share_set(
        actor=user, relationship=relationship, workspace=workspace, level=payload.level, via="api"
    )
    return _relationship_out(relationship)


@people.patch("/people/{person_id}/relationship", response={200: s.RelationshipOut, 422: ErrorOut})
def update_relationship(
    request: HttpRequest, person_id: int, payload: s.RelationshipPatch
) -> dict[str, Any]:
    user = api_user(request)
    relationship = queries.access_relationship_by_person_id(user, person_id)
    fields = payload.dict(exclude_unset=True)
    extra: dict[str, Any] = {}
    if "introduced_by_id" in fields:
        ident = fields.pop("introduced_by_id")
        extra["introduced_by"] = None if ident is None else queries.access_person_by_id(user, ident)
    relationship = actions.relationship_update(
        actor=user, relationship=relationship, via="api", **fields, **extra
    )
    return _relationship_out(relationship)


organisations = Router(tags=["organisations"])


@organisations.get("/organisations", response=list[s.OrganisationOut])
@paginate(LimitOffsetPagination)
def list_organisations(request: HttpRequest, q: str = "") -> list[dict[str, Any]]:
    found = queries.organisations_search(api_user(request), q=q).prefetch_related(
        "competes_with", "tags"
    )
    return [_organisation_out(o) for o in found]


@organisations.post("/organisations", response={201: s.OrganisationOut, 422: ErrorOut})
def create_organisation(request: HttpRequest, payload: s.OrganisationIn) -> Status:
    organisation = actions.organisation_create(owner=api_user(request), via="api", **payload.dict())
    return Status(201, _organisation_out(organisation))


@organisations.get("/organisations/{organisation_id}", response=s.OrganisationOut)
def get_organisation(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    return _organisation_out(queries.access_organisation_by_id(api_user(request), organisation_id))


@organisations.patch(
    "/organisations/{organisation_id}", response={200: s.OrganisationOut, 422: ErrorOut}
)
def update_organisation(
    request: HttpRequest, organisation_id: int, payload: s.OrganisationPatch
) -> dict[str, Any]:
    user = api_user(request)
    organisation = queries.access_organisation_by_id(user, organisation_id)
    fields = payload.dict(exclude_unset=True)
    if "competes_with" in fields:
        fields["competes_with"] = [
            queries.access_organisation_by_id(user, ident) for ident in fields["competes_with"]
        ]
    actions.organisation_update(actor=user, organisation=organisation, via="api", **fields)
    return _organisation_out(queries.access_organisation_by_id(user, organisation_id))


records = Router(tags=["interactions, notes, favours, asks"])


@records.get("/interactions", response=list[s.InteractionOut])
@paginate(LimitOffsetPagination)
def list_interactions(request: HttpRequest, person: int | None = None) -> Any:
    found = queries.interactions_for(api_user(request), person=person)
    return [_interaction_out(i) for i in found]


@records.post("/interactions", response={201: s.InteractionOut, 422: ErrorOut})
def log_interaction(request: HttpRequest, payload: s.InteractionIn) -> Status:
    user = api_user(request)
    fields = payload.dict()
    fields["people"] = [queries.access_person_by_id(user, ident) for ident in fields["people"]]
    interaction = actions.interaction_log(owner=user, via="api", **fields)
    return Status(201, _interaction_out(interaction))


@records.get("/interactions/{interaction_id}", response=s.InteractionOut)
def get_interaction(request: HttpRequest, interaction_id: int) -> Any:
    return _interaction_out(queries.access_interaction_by_id(api_user(request), interaction_id))


@records.delete("/interactions/{interaction_id}", response={204: None})
def erase_interaction(request: HttpRequest, interaction_id: int) -> Status:
    user = api_user(request)
    interaction = queries.access_interaction_by_id(user, interaction_id)
    actions.interaction_erase(actor=user, interaction=interaction, via="api")
    return Status(204, None)


@records.get("/notes", response=list[s.NoteOut])
@paginate(LimitOffsetPagination)
def list_notes(request: HttpRequest, q: str = "") -> Any:
    return [_note_out(n) for n in queries.notes_search(api_user(request), q=q)]


@records.post("/notes", response={201: s.NoteOut, 422: ErrorOut})
def create_note(request: HttpRequest, payload: s.NoteIn) -> Status:
    user = api_user(request)
    fields = payload.dict()
    ident = fields.pop("person_id")
    person = None if ident is None else queries.access_person_by_id(user, ident)
    return Status(
        201, _note_out(actions.note_create(owner=user, person=person, via="api", **fields))
    )


@records.delete("/notes/{note_id}", response={204: None})
def erase_note(request: HttpRequest, note_id: int) -> Status:
    user = api_user(request)
    actions.note_erase(actor=user, note=queries.access_note_by_id(user, note_id), via="api")
    return Status(204, None)


@records.get("/favours", response=list[s.FavourOut])
@paginate(LimitOffsetPagination)
def list_favours(request: HttpRequest, person: int | None = None) -> Any:
    found = queries.favours_for(api_user(request), person=person)
    return [_favour_out(f) for f in found]


@records.post("/favours", response={201: s.FavourOut, 422: ErrorOut})
def record_favour(request: HttpRequest, payload: s.FavourIn) -> Status:
    user = api_user(request)
    fields = payload.dict()
    person = queries.access_person_by_id(user, fields.pop("person_id"))
    return Status(
        201, _favour_out(actions.favour_record(owner=user, person=person, via="api", **fields))
    )


@records.delete("/favours/{favour_id}", response={204: None})
def erase_favour(request: HttpRequest, favour_id: int) -> Status:
    user = api_user(request)
    actions.favour_erase(actor=user, favour=queries.access_favour_by_id(user, favour_id), via="api")
    return Status(204, None)


@records.get("/asks", response=list[s.AskOut])
@paginate(LimitOffsetPagination)
def list_asks(request: HttpRequest) -> Any:
    return [_ask_out(a) for a in queries.asks_for(api_user(request))]


@records.post("/asks", response={201: s.AskOut, 422: ErrorOut})
def create_ask(request: HttpRequest, payload: s.AskIn) -> Status:
    user = api_user(request)
    fields = payload.dict()
    ident = fields.pop("person_id")
    person = None if ident is None else queries.access_person_by_id(user, ident)
    return Status(201, _ask_out(actions.ask_create(owner=user, person=person, via="api", **fields)))


@records.post("/asks/{ask_id}/withdraw", response={200: s.AskOut, 204: None, 422: ErrorOut})
def withdraw_ask(request: HttpRequest, ask_id: int) -> Status:
    """Withdraw an open ask: it ends yesterday (200, the ask); one that was not open before
    today is erased (204)."""
    user = api_user(request)
    ask = queries.access_ask_by_id(user, ask_id)
    found = actions.ask_withdraw(
        actor=user, ask=ask, today=clock.today(clock.zone_of(user)), via="api"
    )
    return Status(204, None) if found is None else Status(200, _ask_out(found))


@records.delete("/asks/{ask_id}", response={204: None})
def erase_ask(request: HttpRequest, ask_id: int) -> Status:
    user = api_user(request)
    actions.ask_erase(actor=user, ask=queries.access_ask_by_id(user, ask_id), via="api")
    return Status(204, None)


routers = [people, organisations, records]
