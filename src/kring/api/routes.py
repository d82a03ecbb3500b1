"""The JSON API under /api/: token authentication per user, the same actions as the pages.

Every lookup goes through the same ``access_*`` functions as the pages, so a row that is not
the caller's answers 404 exactly like a row that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.params.functions import Query
from ninja.security import HttpBearer

from kring.accounts.actions import api_token_authenticate
from kring.accounts.models import User
from kring.api import schemas as s
from kring.clubs import actions as club_actions
from kring.clubs import queries as club_queries
from kring.clubs.models import Attendance, Meeting, OneToOne, Referral
from kring.core.dates import year_start
from kring.lib import clock
from kring.lib.errors import NotFound, PermissionDenied
from kring.lib.validation import error_dict
from kring.network.queries import introduction_paths, network_reach
from kring.people import actions, queries
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
from kring.workspaces.models import Membership, Workspace
from kring.workspaces.queries import access_workspace_by_id


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return api_token_authenticate(token)


api = NinjaAPI(
    title="Kring API",
    version="1",
    description="People, organisations, relationships, interactions, notes, favours and asks; "
    "club meetings, seating and the referral ledger. "
    "Authenticate with `Authorization: Bearer <token>` (make a token under Settings).",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = error_dict(exc)
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


@api.exception_handler(NinjaValidationError)
def _invalid_shape(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("body", "payload")]
        errors.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return api.create_response(request, {"detail": "Invalid input", "errors": errors}, status=422)


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


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


me = Router(tags=["account"])


@me.get("/me", response=s.MeOut)
def get_me(request: HttpRequest) -> User:
    return _user(request)


people = Router(tags=["people"])


@people.get("/people", response=list[s.PersonOut])
@paginate(LimitOffsetPagination)
def list_people(
    request: HttpRequest, q: str = "", tier: str = "", sector: str = "", region: str = ""
) -> list[dict[str, Any]]:
    found = queries.people_search(_user(request), q=q, tier=tier, sector=sector, region=region)
    return [_person_out(p) for p in found.prefetch_related("contact_points", "tags")]


@people.post("/people", response={201: s.PersonOut, 422: s.ErrorOut})
def create_person(request: HttpRequest, payload: s.PersonIn) -> Status:
    user = _user(request)
    person = actions.person_create(owner=user, via="api", **payload.dict())
    return Status(201, _person_out(queries.access_person_by_id(user, person.pk)))


@people.get("/people/{person_id}", response=s.PersonOut)
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return _person_out(queries.access_person_by_id(_user(request), person_id))


@people.patch("/people/{person_id}", response={200: s.PersonOut, 422: s.ErrorOut})
def update_person(request: HttpRequest, person_id: int, payload: s.PersonPatch) -> dict[str, Any]:
    user = _user(request)
    person = queries.access_person_by_id(user, person_id)
    actions.person_update(actor=user, person=person, via="api", **payload.dict(exclude_unset=True))
    return _person_out(queries.access_person_by_id(user, person_id))


@people.delete("/people/{person_id}", response={204: None})
def erase_person(request: HttpRequest, person_id: int) -> Status:
    user = _user(request)
    actions.person_erase(actor=user, person=queries.access_person_by_id(user, person_id), via="api")
    return Status(204, None)


@people.get("/people/{person_id}/export", response=dict[str, Any])
def export_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    user = _user(request)
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
    return _relationship_out(queries.access_relationship_by_person_id(_user(request), person_id))


@people.put(
    "/people/{person_id}/relationship/shares/{workspace_id}",
    response={200: s.RelationshipOut, 422: s.ErrorOut},
)
def set_share(
    request: HttpRequest, person_id: int, workspace_id: int, payload: s.ShareIn
) -> dict[str, Any]:
    """How much of this relationship the members of one of my workspaces may see."""
    user = _user(request)
    relationship = queries.access_relationship_by_person_id(user, person_id)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    actions.share_set(
        actor=user, relationship=relationship, workspace=workspace, level=payload.level, via="api"
    )
    return _relationship_out(relationship)


@people.patch(
    "/people/{person_id}/relationship", response={200: s.RelationshipOut, 422: s.ErrorOut}
)
def update_relationship(
    request: HttpRequest, person_id: int, payload: s.RelationshipPatch
) -> dict[str, Any]:
    user = _user(request)
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
    found = queries.organisations_for(_user(request)).prefetch_related("competes_with", "tags")
    if q:
        found = found.filter(name__icontains=q)
    return [_organisation_out(o) for o in found]


@organisations.post("/organisations", response={201: s.OrganisationOut, 422: s.ErrorOut})
def create_organisation(request: HttpRequest, payload: s.OrganisationIn) -> Status:
    organisation = actions.organisation_create(owner=_user(request), via="api", **payload.dict())
    return Status(201, _organisation_out(organisation))


@organisations.get("/organisations/{organisation_id}", response=s.OrganisationOut)
def get_organisation(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    return _organisation_out(queries.access_organisation_by_id(_user(request), organisation_id))


@organisations.patch(
    "/organisations/{organisation_id}", response={200: s.OrganisationOut, 422: s.ErrorOut}
)
def update_organisation(
    request: HttpRequest, organisation_id: int, payload: s.OrganisationPatch
) -> dict[str, Any]:
    user = _user(request)
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
    user = _user(request)
    found = queries.interactions_for(user)
    if person is not None:
        found = found.filter(people=queries.access_person_by_id(user, person))
    return [_interaction_out(i) for i in found]


@records.post("/interactions", response={201: s.InteractionOut, 422: s.ErrorOut})
def log_interaction(request: HttpRequest, payload: s.InteractionIn) -> Status:
    user = _user(request)
    fields = payload.dict()
    fields["people"] = [queries.access_person_by_id(user, ident) for ident in fields["people"]]
    interaction = actions.interaction_log(owner=user, via="api", **fields)
    return Status(201, _interaction_out(interaction))


@records.get("/interactions/{interaction_id}", response=s.InteractionOut)
def get_interaction(request: HttpRequest, interaction_id: int) -> Any:
    return _interaction_out(queries.access_interaction_by_id(_user(request), interaction_id))


@records.delete("/interactions/{interaction_id}", response={204: None})
def erase_interaction(request: HttpRequest, interaction_id: int) -> Status:
    user = _user(request)
    interaction = queries.access_interaction_by_id(user, interaction_id)
    actions.interaction_erase(actor=user, interaction=interaction, via="api")
    return Status(204, None)


@records.get("/notes", response=list[s.NoteOut])
@paginate(LimitOffsetPagination)
def list_notes(request: HttpRequest, q: str = "") -> Any:
    found = queries.notes_for(_user(request))
    for word in q.split():
        found = found.filter(text__icontains=word)
    return [_note_out(n) for n in found]


@records.post("/notes", response={201: s.NoteOut, 422: s.ErrorOut})
def create_note(request: HttpRequest, payload: s.NoteIn) -> Status:
    user = _user(request)
    fields = payload.dict()
    ident = fields.pop("person_id")
    person = None if ident is None else queries.access_person_by_id(user, ident)
    return Status(
        201, _note_out(actions.note_create(owner=user, person=person, via="api", **fields))
    )


@records.delete("/notes/{note_id}", response={204: None})
def erase_note(request: HttpRequest, note_id: int) -> Status:
    user = _user(request)
    actions.note_erase(actor=user, note=queries.access_note_by_id(user, note_id), via="api")
    return Status(204, None)


@records.get("/favours", response=list[s.FavourOut])
@paginate(LimitOffsetPagination)
def list_favours(request: HttpRequest, person: int | None = None) -> Any:
    user = _user(request)
    found = queries.favours_for(user)
    if person is not None:
        found = found.filter(person=queries.access_person_by_id(user, person))
    return [_favour_out(f) for f in found]


@records.post("/favours", response={201: s.FavourOut, 422: s.ErrorOut})
def record_favour(request: HttpRequest, payload: s.FavourIn) -> Status:
    user = _user(request)
    fields = payload.dict()
    person = queries.access_person_by_id(user, fields.pop("person_id"))
    return Status(
        201, _favour_out(actions.favour_record(owner=user, person=person, via="api", **fields))
    )


@records.delete("/favours/{favour_id}", response={204: None})
def erase_favour(request: HttpRequest, favour_id: int) -> Status:
    user = _user(request)
    actions.favour_erase(actor=user, favour=queries.access_favour_by_id(user, favour_id), via="api")
    return Status(204, None)


@records.get("/asks", response=list[s.AskOut])
@paginate(LimitOffsetPagination)
def list_asks(request: HttpRequest) -> Any:
    return [_ask_out(a) for a in queries.asks_for(_user(request))]


@records.post("/asks", response={201: s.AskOut, 422: s.ErrorOut})
def create_ask(request: HttpRequest, payload: s.AskIn) -> Status:
    user = _user(request)
    fields = payload.dict()
    ident = fields.pop("person_id")
    person = None if ident is None else queries.access_person_by_id(user, ident)
    return Status(201, _ask_out(actions.ask_create(owner=user, person=person, via="api", **fields)))


@records.delete("/asks/{ask_id}", response={204: None})
def erase_ask(request: HttpRequest, ask_id: int) -> Status:
    user = _user(request)
    actions.ask_erase(actor=user, ask=queries.access_ask_by_id(user, ask_id), via="api")
    return Status(204, None)


network = Router(tags=["network"])


@network.get("/workspaces/{workspace_id}/paths", response={200: s.PathsOut, 422: s.ErrorOut})
def get_paths(
    request: HttpRequest,
    workspace_id: int,
    organisation: str = "",
    role: str = "",
    sector: str = "",
    region: str = "",
    person: int | None = None,
    owner: int | None = None,
    k: int = 5,
    hops: int = 3,
) -> dict[str, Any]:
    """The best warm introduction paths from me to a person (``person``, in the file of member
    ``owner``, by default mine), or to anyone at an organisation, in a role, sector or region."""
    paths, name = introduction_paths(
        _user(request),
        workspace_id,
        organisation=organisation,
        role=role,
        sector=sector,
        region=region,
        person=None if person is None else (owner or _user(request).pk, person),
        k=k,
        hops=hops,
        now=clock.now(),
    )
    return {"organisation": name, "paths": [asdict(p) for p in paths]}


@network.get("/workspaces/{workspace_id}/reach", response=s.ReachOut)
def get_reach(request: HttpRequest, workspace_id: int) -> dict[str, Any]:
    return asdict(network_reach(_user(request), workspace_id, now=clock.now()))


clubs = Router(tags=["clubs"])

# Every club endpoint can answer with these; declared so the published schema covers them.
_FAILS: dict[int, Any] = {403: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}


@contextmanager
def _as_fields(**names: str) -> Iterator[None]:
    """Report an action's errors under the API's field names (``receiver`` -> ``receiver_id``)."""
    try:
        yield
    except ValidationError as exc:
        renamed = {names.get(field, field): texts for field, texts in error_dict(exc).items()}
        raise ValidationError(renamed) from None


def _member(workspace: Workspace, user_id: int, field: str) -> User:
    """A member of the club by user id; a bad id is a bad value of ``field``."""
    membership = workspace.memberships.filter(user_id=user_id).select_related("user").first()
    if membership is None:
        raise ValidationError({field: _("No member of this club has id %(id)s.") % {"id": user_id}})
    return membership.user


def _meeting_out(meeting: Meeting, coming: int, my_answer: str | None) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "workspace_id": meeting.workspace_id,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "venue": meeting.venue,
        "policy": meeting.policy,
        "seated_at": meeting.seated_at,
        "coming": coming,
        "my_answer": my_answer,
    }


def _seat_out(attendance: Attendance, host_id: int | None = None) -> dict[str, Any]:
    return {
        "attendance_id": attendance.pk,
        "user_id": attendance.user_id,
        "guest_id": attendance.guest_id,
        # seating_of labels each attendance with the name to show (a former member unnamed)
        "name": attendance.shown,  # type: ignore[attr-defined]
        "host": host_id is not None and attendance.user_id == host_id,
        "locked": attendance.locked,
    }


def _meeting_detail(user: User, meeting: Meeting, membership: Membership) -> dict[str, Any]:
    tables, unseated = club_queries.seating_of(meeting)
    mine = meeting.attendances.filter(user=user).first()
    report = meeting.report or None
    return {
        **_meeting_out(
            meeting,
            sum(len(t.seated) for t in tables) + len(unseated),
            mine.answer if mine else None,
        ),
        "can_manage": membership.can_manage,
        "seats": sum(t.table.capacity for t in tables),
        "seating_state": meeting.seating_state,
        "seating_error": meeting.seating_error,
        "my_table_id": mine.table_id if mine else None,
        "tables": [
            {
                "id": view.table.pk,
                "name": view.table.name,
                "capacity": view.table.capacity,
                "host_id": view.table.host_id,
                "host_name": view.table.host.name if view.table.host else None,
                "seated": [_seat_out(a, view.table.host_id) for a in view.seated],
            }
            for view in tables
        ],
        "unseated": [_seat_out(a) for a in unseated],
        "report": report,
    }


def _attendance_out(attendance: Attendance) -> dict[str, Any]:
    return {
        "id": attendance.pk,
        "meeting_id": attendance.meeting_id,
        "user_id": attendance.user_id,
        "guest_id": attendance.guest_id,
        "name": attendance.name,
        "answer": attendance.answer,
        "table_id": attendance.table_id,
        "locked": attendance.locked,
    }


def _mates(user: User, meeting: Meeting) -> list[dict[str, Any]]:
    mates = club_queries.sat_with(user, meeting)
    talked = club_queries.talked_with(user, [mate for mate, _times in mates])
    return [
        {
            "id": m.pk,
            "user_id": m.user_id,
            "guest_id": m.guest_id,
            "name": m.shown,  # type: ignore[attr-defined]
            "sat_together": times,
            "talked": talked.get(m.pk, 0),
        }
        for m, times in mates
    ]


def _referral_out(r: Referral) -> dict[str, Any]:
    return {
        "id": r.pk,
        "workspace_id": r.workspace_id,
        "giver_id": r.giver_id,
        "giver": r.giver.name,
        "receiver_id": r.receiver_id,
        "receiver": r.receiver.name,
        "contact": r.contact,
        "details": r.details,
        "temperature": r.temperature,
        "status": r.status,
        "amount_eur": r.amount_eur,
        "given_on": r.given_on,
    }


def _one_to_one_out(o: OneToOne) -> dict[str, Any]:
    return {
        "id": o.pk,
        "workspace_id": o.workspace_id,
        "logged_by_id": o.logged_by_id,
        "with_member_id": o.with_member_id,
        "met_on": o.met_on,
        "note": o.note,
    }


@clubs.get("/workspaces/{workspace_id}/meetings", response={200: list[s.MeetingOut], **_FAILS})
@paginate(LimitOffsetPagination)
def list_meetings(request: HttpRequest, workspace_id: int) -> list[dict[str, Any]]:
    """The club's meetings, the latest first, with how many come and my answer."""
    user = _user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    answers = dict(
        Attendance.objects.filter(user=user, meeting__workspace=workspace).values_list(
            "meeting_id", "answer"
        )
    )
    found = Meeting.objects.filter(workspace=workspace).annotate(
        coming=Count("attendances", filter=Q(attendances__answer=Attendance.Answer.YES))
    )
    return [_meeting_out(m, m.coming, answers.get(m.pk)) for m in found]


@clubs.get("/meetings/{meeting_id}", response={200: s.MeetingDetailOut, **_FAILS})
def get_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """The tables with who sits where, who is not seated yet, the seating report, my answer."""
    user = _user(request)
    meeting, membership = club_queries.access_meeting_by_id(user, meeting_id)
    return _meeting_detail(user, meeting, membership)


@clubs.post("/meetings/{meeting_id}/answer", response={200: s.AttendanceOut, **_FAILS})
def answer_meeting(request: HttpRequest, meeting_id: int, payload: s.AnswerIn) -> dict[str, Any]:
    """I come or I do not; an organiser may answer for another member (``member_id``)."""
    user = _user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    member = None
    if payload.member_id is not None:
        member = _member(meeting.workspace, payload.member_id, "member_id")
    with _as_fields(member="member_id"):
        attendance = club_actions.attendance_answer(
            actor=user, meeting=meeting, answer=payload.answer, member=member, via="api"
        )
    return _attendance_out(attendance)


@clubs.post(
    "/meetings/{meeting_id}/seat",
    response={200: s.MeetingDetailOut, 202: s.MeetingDetailOut, **_FAILS},
)
def seat_meeting(request: HttpRequest, meeting_id: int, payload: s.SeatEveryoneIn) -> Status:
    """Seat everyone who comes (organisers only); hosts and locked seats stay put. A large
    meeting is seated by the worker: 202, and ``seating_state`` says how far it is."""
    user = _user(request)
    meeting, membership = club_queries.access_meeting_by_id(user, meeting_id)
    ready = club_actions.meeting_seat_request(
        actor=user, meeting=meeting, policy=payload.policy, keep=payload.keep, via="api"
    )
    return Status(200 if ready else 202, _meeting_detail(user, meeting, membership))


@clubs.post(
    "/meetings/{meeting_id}/seats/{attendance_id}", response={200: s.AttendanceOut, **_FAILS}
)
def move_seat(
    request: HttpRequest, meeting_id: int, attendance_id: int, payload: s.SeatMoveIn
) -> dict[str, Any]:
    """Put one attendee at a table (or none) and lock or unlock the seat (organisers only)."""
    user = _user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    attendance = meeting.attendances.filter(pk=attendance_id).select_related("user").first()
    if attendance is None:
        raise NotFound("attendance", attendance_id)
    table = None
    if payload.table_id is not None:
        table = meeting.tables.filter(pk=payload.table_id).first()
        if table is None:
            raise ValidationError(
                {"table_id": _("This meeting has no table %(id)s.") % {"id": payload.table_id}}
            )
    with _as_fields(table="table_id"):
        attendance = club_actions.seat_move(
            actor=user, attendance=attendance, table=table, locked=payload.locked, via="api"
        )
    return _attendance_out(attendance)


@clubs.get("/meetings/{meeting_id}/my-table", response={200: s.MyTableOut, **_FAILS})
def get_my_table(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """My table tonight: each mate, how often we sat together before and how often we talked."""
    user = _user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    mine = (
        meeting.attendances.filter(user=user, table__isnull=False).select_related("table").first()
    )
    table = mine.table if mine else None
    return {
        "meeting_id": meeting.pk,
        "table": {"id": table.pk, "name": table.name} if table else None,
        "mates": _mates(user, meeting),
    }


@clubs.post("/meetings/{meeting_id}/conversations", response={201: s.MateOut, **_FAILS})
def log_conversation(request: HttpRequest, meeting_id: int, payload: s.ConversationIn) -> Status:
    """Log the conversation with a table mate (``mate_id``: their id in my-table) in my own
    file; answers the mate with the new counts."""
    user = _user(request)
    meeting, _membership = club_queries.access_meeting_by_id(user, meeting_id)
    mate = meeting.attendances.filter(pk=payload.mate_id).select_related("user", "guest").first()
    if mate is None:
        raise NotFound("table mate", payload.mate_id)
    club_actions.conversation_log(actor=user, meeting=meeting, mate=mate, via="api")
    return Status(201, next(m for m in _mates(user, meeting) if m["id"] == mate.pk))


@clubs.get("/workspaces/{workspace_id}/referrals", response={200: s.ReferralsOut, **_FAILS})
def list_referrals(request: HttpRequest, workspace_id: int) -> dict[str, Any]:
    """The referrals I gave and received in this club, the latest 50 of each."""
    given, received = club_queries.referrals_for(_user(request), workspace_id)
    return {
        "given": [_referral_out(r) for r in given],
        "received": [_referral_out(r) for r in received],
    }


@clubs.post("/workspaces/{workspace_id}/referrals", response={201: s.ReferralOut, **_FAILS})
def give_referral(request: HttpRequest, workspace_id: int, payload: s.ReferralIn) -> Status:
    """Pass business to a fellow member."""
    user = _user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    fields = payload.dict()
    receiver = _member(workspace, fields.pop("receiver_id"), "receiver_id")
    with _as_fields(receiver="receiver_id"):
        referral = club_actions.referral_give(
            actor=user, workspace=workspace, receiver=receiver, via="api", **fields
        )
    return Status(201, _referral_out(referral))


@clubs.post("/referrals/{referral_id}", response={200: s.ReferralOut, **_FAILS})
def update_referral(
    request: HttpRequest, referral_id: int, payload: s.ReferralPatch
) -> dict[str, Any]:
    """The receiver says how it went; closed business thanks the giver by e-mail."""
    user = _user(request)
    referral = club_queries.access_referral_by_id(user, referral_id)
    club_actions.referral_update(
        actor=user,
        referral=referral,
        status=payload.status,
        amount_eur=payload.amount_eur,
        via="api",
    )
    return _referral_out(referral)


@clubs.post("/workspaces/{workspace_id}/one-to-ones", response={201: s.OneToOneOut, **_FAILS})
def log_one_to_one(request: HttpRequest, workspace_id: int, payload: s.OneToOneIn) -> Status:
    """Two members met one-to-one to learn each other's business."""
    user = _user(request)
    workspace, _membership = access_workspace_by_id(user, workspace_id)
    fields = payload.dict()
    with_member = _member(workspace, fields.pop("with_member_id"), "with_member_id")
    with _as_fields(with_member="with_member_id"):
        talk = club_actions.one_to_one_log(
            actor=user, workspace=workspace, with_member=with_member, via="api", **fields
        )
    return Status(201, _one_to_one_out(talk))


# "from" is a Python keyword, so the query parameters take aliases (module-level, as ruff's B008
# asks for defaults that are calls).
_FROM = Query(None, alias="from", description="first day (default: 1 January this year)")
_TO = Query(None, alias="to", description="last day (default: today)")


@clubs.get("/workspaces/{workspace_id}/club-report", response={200: s.ClubReportOut, **_FAILS})
def get_club_report(
    request: HttpRequest,
    workspace_id: int,
    start: dt.date | None = _FROM,
    end: dt.date | None = _TO,
) -> dict[str, Any]:
    """Per member over a period (by default this year so far): referrals given and received,
    business closed, one-to-ones and meetings attended."""
    user = _user(request)
    today = clock.today(clock.zone_of(user))
    start = start or year_start(today)
    end = end or today
    if end < start:
        raise ValidationError({"to": _("The period ends before it starts.")})
    report = club_queries.club_report(user, workspace_id, start=start, end=end)
    return {"start": start, "end": end, "members": [asdict(row) for row in report]}


api.add_router("/", me)
api.add_router("/", people)
api.add_router("/", organisations)
api.add_router("/", records)
api.add_router("/", network)
api.add_router("/", clubs)
