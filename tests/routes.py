"""Every route of Kring, found by walking Django's URL resolver and the API's OpenAPI schema,
and a world to run them in: the cast of tests/conftest.py grown with everything a route can
point at, each kind of object both in a form the member (Bob) may use and in forms nobody but
its owner (Alice) may see, with unique marker strings planted in what must stay hidden.

The access tests (tests/test_access.py) and the impossible-input sweep
(tests/test_impossible_input.py) are generated from these routes. A route whose URL holds a
value the registry below cannot build fails those tests until someone says how to build it
(:data:`SLOTS`, :data:`OVERRIDES`) or why it is public (:data:`PUBLIC`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kring.accounts.actions import (
    api_token_create,
    device_password_create,
    sign_in_record,
    user_sign_up,
    user_update_settings,
)
from kring.accounts.models import User
from kring.clubs import actions as club_actions
from kring.clubs.models import Attendance, Meeting
from kring.imports import actions as import_actions
from kring.imports.models import ImportBatch, Merge, MergeProposal
from kring.lib import clock
from kring.network import actions as network_actions
from kring.people import actions as people
from kring.people.models import Person
from kring.planner.models import PlannedTouch, TierProposal
from kring.teams import actions as team_actions
from kring.workspaces.actions import workspace_create
from kring.workspaces.models import Membership, Workspace
from tests.conftest import PASSWORD, Cast

# --- Markers -------------------------------------------------------------------------------
# Planted in what nobody but Alice may see: no answer to Bob or Charlie may hold one.
HIDDEN_MARKERS = [
    "Zqhenk",  # a contact Alice shares at level "nothing"
    "Zqverborgen",
    "Zqorghidden",
    "Zqtitlehidden",
    "Zqnotehenk",
    "zqhenk@hidden.example",
    "Zqinteresthenk",
    "Zqgreet",  # a contact Alice never shared
    "Zqgeheim",
    "Zqorgnoshare",
    "Zqsofie",  # shared as "knows someone at Betazichtbaar": the organisation only
    "Zqsmetnaam",
    "Zqtitlesofie",
    "Zqnotesofie",
    "Zqnotepiet",  # shared with name and role: the rest of the relationship stays private
    "Zqhowmetpiet",
    "Zqinterestpiet",
    "Zqhobbypiet",
    "Zqfamilypiet",
    "zqpiet@hidden.example",
    "Zqtagpiet",
    "Zqwim",  # shared with another club only
    "Zqanders",
    "Zqorgelsewhere",
    "Zqorgrival",  # named only in Alice's private "competes with" record
    "Zqsummaryhenk",
    "Zqsummarypiet",
    "Zqnotetextpiet",
    "Zqfavourhenk",
    "Zqaskhenk",
    "Zqdora",  # a member of Alice's other club, which Bob and Charlie are not in
    "Zqclubtwo",
    "Zqcompanytwo",
    "Zqmeetingtwo",
    "Zqguesttwo",
    "Zqreferraltwo",
    "Zqreasontwo",
    "Zqdoracontact",
    "Zqrotationhidden",
    "Secret: wants to leave",  # Jan, in the cast
    "Acme opens a lab",
    "Talked about the merger",
    "HR managers in Hasselt",
]
# What the club shows its members, but nobody outside it may see.
CLUB_MARKERS = [
    "Businessclub Test",
    "Zqmeetingclub",
    "Zqguestclub",
    "Zqreferralclub",
    "Zqreasonclub",
    "Zqofferalice",
    "Zqaskgeneral",
    "Zqcompanyone",
    "Zqrotationvisible",
    "Piet Publiek",
    "Betazichtbaar",
    "Publiekbedrijf",
    "alice@example.be",
]
# What a search for a hidden thing is tried with, and a word that exists nowhere.
SEARCHED_MARKERS = ["Zqhenk", "Zqorghidden", "Zqorgrival", "Zqnotepiet", "Zqsofie", "Zqtagpiet"]
UNKNOWN_WORD = "Zznowhere"
# What Bob's answers, all together, must show: the sweep reached the pooled pages and the
# club's, and the markers would have been seen there.
BOB_MUST_SEE = [
    "Piet Publiek",  # shared with name and role: on the paths, shared, brief and ask pages
    "someone at Betazichtbaar",  # shared as "knows someone at"
    "Zqmeetingclub",
    "Zqguestclub",
    "Zqreferralclub",
    "Zqofferalice",
    "Zqaskgeneral",
    "Zqrotationvisible",
]
VISIBLE_WORDS = ["Piet", "Betazichtbaar", "Inkoper"]


# --- The world -----------------------------------------------------------------------------
@dataclass
class Slot:
    """The values one kind of URL part can take: ``visible`` is one Bob may use (his own, or
    his club's); ``hidden`` are real objects of the same kind that neither Bob nor Charlie may
    see; ``missing`` is one that does not exist."""

    visible: Any
    hidden: list[Any]
    missing: Any = 10**9


@dataclass
class World:
    cast: Cast
    dora: User
    club2: Workspace
    company: Workspace
    company2: Workspace
    slots: dict[str, Slot] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # user -> API key


def _person(owner: User, given: str, surname: str, **fields: Any) -> Person:
    return people.person_create(owner=owner, given_name=given, surname=surname, **fields)


def _meeting(owner: User, workspace: Workspace, member: User, title: str, guest: str) -> Meeting:
    starts = dt.datetime(2027, 1, 20, 18, 30, tzinfo=dt.UTC)
    meeting = club_actions.meeting_create(
        actor=owner,
        workspace=workspace,
        title=title,
        starts_at=starts,
        tables=[("Tafel 1", 4, None), ("Tafel 2", 4, None)],
        now=starts - dt.timedelta(days=30),
    )
    for user in (owner, member):
        club_actions.attendance_answer(actor=user, meeting=meeting, answer="yes")
    club_actions.guest_add(actor=owner, meeting=meeting, name=guest)
    club_actions.meeting_seat(actor=owner, meeting=meeting)
    first = meeting.tables.order_by("id").first()
    for attendance in meeting.attendances.all():  # everyone at one table: all table mates
        club_actions.seat_move(actor=owner, attendance=attendance, table=first, locked=True)
    return meeting


def _private_records(owner: User, person: Person, word: str) -> dict[str, Any]:
    """One of each private record about ``person``, its texts holding ``word``."""
    when = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
    return {
        "interaction": people.interaction_log(
            owner=owner, people=[person], occurred_at=when, channel="call", summary=f"{word}call"
        ),
        "note": people.note_create(owner=owner, person=person, text=f"{word}note"),
        "favour": people.favour_record(
            owner=owner, person=person, direction="given", kind="advice", description=word
        ),
        "ask": people.ask_create(owner=owner, person=person, text=f"{word}ask"),
        "touch": PlannedTouch.objects.create(
            owner=owner, person=person, week=dt.date(2026, 12, 28), channel="call"
        ),
        "tier_proposal": TierProposal.objects.create(
            relationship=person.relationship, proposed="A", reason="strength"
        ),
        "batch": ImportBatch.objects.create(owner=owner, preview={"rows_read": 1, "files": []}),
    }


def build_world(cast: Cast) -> World:
    alice, bob = cast.alice, cast.bob
    dora = user_sign_up(email="dora@example.be", password=PASSWORD, display_name="Zqdora")
    user_update_settings(user=alice, offer="Zqofferalice: lab software")
    club2 = workspace_create(owner=alice, name="Zqclubtwo", kind=Workspace.Kind.CLUB)
    Membership.objects.create(workspace=club2, user=dora, role=Membership.Role.MEMBER)
    company = workspace_create(owner=alice, name="Zqcompanyone", kind=Workspace.Kind.COMPANY)
    Membership.objects.create(workspace=company, user=bob, role=Membership.Role.MEMBER)
    company2 = workspace_create(owner=alice, name="Zqcompanytwo", kind=Workspace.Kind.COMPANY)
    Membership.objects.create(workspace=company2, user=dora, role=Membership.Role.MEMBER)
    world = World(cast, dora, club2, company, company2)

    # Alice's file: what she shares with the club, and what she does not.
    henk = _person(
        alice,
        "Zqhenk",
        "Zqverborgen",
        organisation_name="Zqorghidden",
        title="Zqtitlehidden",
        private_notes="Zqnotehenk",
        emails=["zqhenk@hidden.example"],
        interests="Zqinteresthenk",
    )
    greet = _person(alice, "Zqgreet", "Zqgeheim", organisation_name="Zqorgnoshare")
    sofie = _person(
        alice,
        "Zqsofie",
        "Zqsmetnaam",
        organisation_name="Betazichtbaar",
        title="Zqtitlesofie",
        private_notes="Zqnotesofie",
    )
    piet = _person(
        alice,
        "Piet",
        "Publiek",
        organisation_name="Publiekbedrijf",
        title="Inkoper",
        private_notes="Zqnotepiet",
        how_met="Zqhowmetpiet",
        interests="Zqinterestpiet",
        hobbies="Zqhobbypiet",
        family_notes="Zqfamilypiet",
        emails=["zqpiet@hidden.example"],
        tags=["Zqtagpiet"],
    )
    wim = _person(alice, "Zqwim", "Zqanders", organisation_name="Zqorgelsewhere")
    bob_in_alices_file = _person(alice, "Bob", "Lid", emails=[bob.email])
    for person, workspace, level in [
        (henk, cast.club, "none"),
        (sofie, cast.club, "organisation"),
        (piet, cast.club, "name_role"),
        (wim, club2, "name_role"),
    ]:
        people.share_set(
            actor=alice, relationship=person.relationship, workspace=workspace, level=level
        )
    rival = people.organisation_create(owner=alice, name="Zqorgrival")
    people.organisation_update(actor=alice, organisation=piet.organisation, competes_with=[rival])
    when = dt.datetime(2026, 12, 10, 10, tzinfo=dt.UTC)
    for person, word in [(henk, "Zqsummaryhenk"), (piet, "Zqsummarypiet"), (sofie, "")]:
        people.interaction_log(
            owner=alice, people=[person], occurred_at=when, channel="in_person", summary=word
        )
    people.interaction_log(
        owner=alice, people=[bob_in_alices_file], occurred_at=when, channel="call"
    )
    people.note_create(owner=alice, person=piet, text="Zqnotetextpiet")
    people.favour_record(
        owner=alice, person=henk, direction="given", kind="advice", description="Zqfavourhenk"
    )
    people.ask_create(owner=alice, person=henk, text="Zqaskhenk")
    people.ask_create(owner=alice, text="Zqaskgeneral: an Inkoper", role="Inkoper")
    alices = _private_records(alice, henk, "Zqsummaryhenk")
    alices["merge_proposal"] = MergeProposal.objects.create(
        owner=alice, person=henk, duplicate=greet, score=0.8
    )

    # A merge Alice made (undoable from the person's page), and one of Bob's below.
    import_actions.person_merge(
        actor=alice, keep=greet, duplicate=_person(alice, "Zqgreet", "Zqdubbel"), via="test"
    )
    alices["merge"] = Merge.objects.get(owner=alice)

    # Bob's own file: what Bob may use wherever a route wants one of his rows.
    bobs_contact = _person(
        bob, "Bobcontact", "Eigen", organisation_name="Bobbedrijf", title="Inkoper"
    )
    people.ask_create(owner=bob, text="Someone at Publiekbedrijf", role="Inkoper")
    bobs_double = _person(bob, "Bobcontact", "Dubbel")
    alice_in_bobs_file = _person(bob, "Alice", "Eigenaar", emails=[alice.email])
    people.interaction_log(owner=bob, people=[alice_in_bobs_file], occurred_at=when, channel="call")
    bobs = _private_records(bob, bobs_contact, "Bobown")
    bobs["merge_proposal"] = MergeProposal.objects.create(
        owner=bob, person=bobs_contact, duplicate=bobs_double, score=0.8
    )
    import_actions.person_merge(
        actor=bob, keep=bobs_contact, duplicate=_person(bob, "Bobcontact", "Drie"), via="test"
    )
    bobs["merge"] = Merge.objects.get(owner=bob)

    # The club Bob is in, and Alice's other club and company he is not in.
    meeting = _meeting(alice, cast.club, bob, "Zqmeetingclub", "Zqguestclub")
    meeting2 = _meeting(alice, club2, dora, "Zqmeetingtwo", "Zqguesttwo")
    rule = club_actions.seating_rule_add(actor=alice, workspace=cast.club, first=alice, second=bob)
    rule2 = club_actions.seating_rule_add(actor=alice, workspace=club2, first=alice, second=dora)
    referral = club_actions.referral_give(
        actor=alice, workspace=cast.club, receiver=bob, contact="Zqreferralclub"
    )
    referral2 = club_actions.referral_give(
        actor=alice, workspace=club2, receiver=dora, contact="Zqreferraltwo"
    )
    doras_contact = _person(dora, "Zqdoracontact", "Zqdoracontact", organisation_name="Gamma")
    people.share_set(
        actor=dora, relationship=doras_contact.relationship, workspace=club2, level="name_role"
    )
    introduction2 = network_actions.introduction_request(
        requester=alice,
        workspace=club2,
        connector=dora,
        target=doras_contact,
        reason="Zqreasontwo.",
        accept_url="http://testserver/",
    )
    introduction = network_actions.introduction_request(
        requester=bob,
        workspace=cast.club,
        connector=alice,
        target=piet,
        reason="Zqreasonclub.",
        accept_url="http://testserver/",
    )
    rotation = team_actions.rotation_create(
        actor=alice, workspace=company, name="Zqrotationvisible", team_size=2, rounds=1
    )
    rotation2 = team_actions.rotation_create(
        actor=alice, workspace=company2, name="Zqrotationhidden", team_size=2, rounds=1
    )
    alice_token, _key = api_token_create(user=alice, label="alice")
    bob_token, _key = api_token_create(user=bob, label="bob's second")
    for user in (bob, cast.charlie):
        _token, world.keys[user.email] = api_token_create(user=user, label="probe")

    now = clock.now()

    def sign_in(user: User, key: str) -> Any:
        return sign_in_record(
            user=user, session_key=key, user_agent="Firefox", ip_address="192.0.2.1", now=now
        )

    def device(user: User) -> Any:
        return device_password_create(user=user, name=f"{user.name}'s phone", now=now)[0]

    def attendance(of: Meeting, user: User) -> Attendance:
        return Attendance.objects.get(meeting=of, user=user)

    personal = Membership.objects.get(user=alice, workspace__kind=Workspace.Kind.PERSONAL)
    world.slots = {
        "workspace": Slot(cast.club, [club2, personal.workspace]),
        "meeting": Slot(meeting, [meeting2]),
        "attendance": Slot(attendance(meeting, bob), [attendance(meeting2, dora)]),
        "table_mate": Slot(attendance(meeting, alice), [attendance(meeting2, dora)]),
        "table": Slot(meeting.tables.first(), [meeting2.tables.first()]),
        "rule": Slot(rule, [rule2]),
        "referral": Slot(referral, [referral2]),
        "introduction": Slot(introduction, [introduction2]),
        "membership": Slot(
            Membership.objects.get(workspace=cast.club, user=bob),
            [Membership.objects.get(workspace=club2, user=dora)],
        ),
        "member": Slot(alice, [dora, cast.charlie]),
        # Even a contact shared with name and role has no page of its own for the club.
        "person": Slot(bobs_contact, [cast.jan, piet]),
        # A person in a member's file, as the pooled network knows them.
        "shared_person": Slot(piet, [henk, greet, wim, cast.jan]),
        "organisation": Slot(bobs_contact.organisation, [cast.jan.organisation, rival]),
        "interaction": Slot(bobs["interaction"], [alices["interaction"]]),
        "note": Slot(bobs["note"], [alices["note"]]),
        "favour": Slot(bobs["favour"], [alices["favour"]]),
        "ask": Slot(bobs["ask"], [alices["ask"]]),
        "touch": Slot(bobs["touch"], [alices["touch"]]),
        "tier_proposal": Slot(bobs["tier_proposal"], [alices["tier_proposal"]]),
        "batch": Slot(bobs["batch"], [alices["batch"]]),
        "merge_proposal": Slot(bobs["merge_proposal"], [alices["merge_proposal"]]),
        "merge": Slot(bobs["merge"], [alices["merge"]]),
        "api_token": Slot(bob_token, [alice_token]),
        "sign_in": Slot(sign_in(bob, "bobsessionkey0"), [sign_in(alice, "alicesessionkey0")]),
        "device_password": Slot(device(bob), [device(alice)]),
        "rotation": Slot(rotation, [rotation2]),
    }
    return world


# --- The registry: what a URL part or an API field names -----------------------------------
AMBIGUOUS = "ambiguous"
SLOTS: dict[str, str] = {
    "workspace_id": "workspace",
    "meeting_id": "meeting",
    "attendance_id": "attendance",
    "table_id": "table",
    "rule_id": "rule",
    "referral_id": "referral",
    "introduction_id": "introduction",
    "membership_id": "membership",
    "member_id": "member",
    "connector_id": "member",
    "owner_id": "member",
    "person_id": "person",
    "organisation_id": "organisation",
    "interaction_id": "interaction",
    "note_id": "note",
    "favour_id": "favour",
    "ask_id": "ask",
    "touch_id": "touch",
    "batch_id": "batch",
    "token_id": "api_token",
    "sign_in_id": "sign_in",
    "device_password_id": "device_password",
    "rotation_id": "rotation",
    "proposal_id": AMBIGUOUS,  # a merge proposal (imports) or a tier proposal (planner)
    "tier_proposal_id": "tier_proposal",
    "merge_proposal_id": "merge_proposal",
    "merge_id": "merge",
    # Query and body fields of the API, and form fields of the pages, that hold ids.
    "person": "person",
    "people": "person",
    "introduced_by_id": "person",
    "competes_with": "organisation",
    "receiver_id": "member",
    "with_member_id": "member",
    "mate_id": "table_mate",
    "owner": "member",
    "member_ids": "member",
}
# (url name or "METHOD /api/path", part) -> kind, where a name means something else there.
OVERRIDES: dict[tuple[str, str], str] = {
    ("brief", "person_id"): "shared_person",
    ("introduction_request", "person_id"): "shared_person",
    ("GET /api/workspaces/{workspace_id}/paths", "person"): "shared_person",
    ("proposal", "proposal_id"): "merge_proposal",
    ("proposal_accept", "proposal_id"): "merge_proposal",
    ("proposal_reject", "proposal_id"): "merge_proposal",
    ("tier_decide", "proposal_id"): "tier_proposal",
}
# Form fields of the pages that hold ids, and what they point at.
FORM_SLOTS: dict[str, str] = {
    "workspace": "workspace",
    "member": "member",
    "mate": "table_mate",
    "table": "table",
    "receiver": "member",
    "with_member": "member",
    "first": "member",
    "second": "member",
    "others": "member",
}
# Integer query and body fields of the API that are no ids.
NOT_IDS = {
    "limit",
    "offset",
    "k",
    "hops",
    "minutes",
    "stars",
    "days",
    "weekly_budget_minutes",
    "team_size",
    "rounds",
    "weeks_per_round",
    "seed",
    "a_min_days",
    "a_max_days",
    "b_days",
    "max_unanswered",
    "snooze_days",
}

# Routes that need no account or are no user data, each with the reason: a page by its URL
# name ("admin:*" for a whole namespace), an API operation as "METHOD /api/path". Their own
# tests check what they promise (named in the reason).
PUBLIC: dict[str, str] = {
    "healthz": "the health check for a proxy or monitor: ok or 503, no data "
    "(tests/ops/test_failing_well.py)",
    "login": "the sign-in form; shows no data",
    "login_code": "the sign-in's second step: only after the right password in this session, "
    "else back to the log-in (tests/accounts/test_two_factor.py)",
    "logout": "ends the caller's own session; shows no data",
    "sso_start": "the single sign-on button: off to the provider (404 while the server has "
    "none); shows no data (tests/browser/test_single_sign_on.py)",
    "sso_callback": "the provider's answer: the state and code the provider signed are the key "
    "(tests/browser/test_single_sign_on.py)",
    "signup": "the sign-up form; tests/web/test_pages.py",
    "signup_sent": "a fixed page: check your e-mail",
    "signup_finish": "the signed link in the sign-up mail: the token is the key, forged, "
    "expired and used alike (tests/accounts/test_signup.py)",
    "password_reset": "asks an e-mail address; answers alike for any address",
    "password_reset_done": "a fixed page",
    "password_reset_confirm": "Django's signed reset link; the token is the key",
    "password_reset_complete": "a fixed page",
    "set_language": "sets the caller's own language; shows no data",
    "manifest": "the web app manifest: names and icons, no data (tests/browser/test_phone.py)",
    "answer_by_link": "the answer link in an invitation e-mail: the signed token is the key "
    "(tests/clubs/test_meetings.py)",
    "introduction_opt_in": "the target's opt-in link: the secret token is the key, wrong and "
    "used alike (tests/network/test_introductions.py)",
    "invitation": "the invitation link: the secret token is the key (tests/web/test_workspaces.py)",
    "calendar_feed": "the private calendar feed: the secret token is the key, wrong and "
    "revoked alike (tests/planner/test_tiers_feed_digest.py)",
    "admin:*": "Django's admin, for staff accounts only (test_it_keeps_the_admin_to_staff)",
    "api:openapi-json": "the API's published schema; no data",
    "api:openapi-view": "the API's documentation page; no data",
}


def kind_of(route: str, part: str) -> str | None:
    """The kind of object ``part`` of ``route`` names, or None when the registry does not
    know it; AMBIGUOUS when the name alone does not say."""
    return OVERRIDES.get((route, part)) or SLOTS.get(part)


# --- Pages ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    name: str  # the URL name, with its namespace
    route: str  # e.g. "people/<int:person_id>/"
    parts: tuple[str, ...]  # the URL's own keyword arguments
    defaults: tuple[tuple[str, Any], ...]

    def url(self, values: dict[str, Any]) -> str:
        return reverse(self.name, kwargs={k: _ident(v) for k, v in values.items()})


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", converters: tuple[str, ...] = ()
) -> Iterator[Page]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        names = converters + tuple(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner, names)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name or ''}"
            yield Page(name, route, names, tuple(sorted(entry.default_args.items())))


def pages() -> list[Page]:
    """Every URL pattern of the site, the API's own patterns (namespace ``api``) left to
    :func:`api_operations`."""
    return [p for p in _walk(get_resolver().url_patterns) if not p.name.startswith("api:")]


def public_reason(name: str) -> str | None:
    namespace = name.split(":")[0] + ":*" if ":" in name else ""
    return PUBLIC.get(name) or PUBLIC.get(namespace)


# --- The API -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as in the schema, e.g. "/api/people/{person_id}"
    path_parts: tuple[str, ...]
    query: tuple[tuple[str, dict[str, Any]], ...]  # name -> schema
    body: dict[str, Any] | None  # the JSON schema of the body, references resolved

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, values: dict[str, Any]) -> str:
        path = self.path
        for name, value in values.items():
            path = path.replace("{" + name + "}", str(_ident(value)))
        return path


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], components)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _resolve(options[0], components) if options else {"type": "null"}
    if schema.get("type") == "object":
        return {
            **schema,
            "properties": {
                k: _resolve(v, components) for k, v in schema.get("properties", {}).items()
            },
        }
    if schema.get("type") == "array":
        return {**schema, "items": _resolve(schema.get("items", {}), components)}
    return schema


def openapi_schema(client: Client, key: str) -> dict[str, Any]:
    response = client.get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    return response.json()


def api_operations(schema: dict[str, Any]) -> list[Operation]:
    """Every path and method of the published schema."""
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            body = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            found.append(
                Operation(
                    method.upper(),
                    path,
                    tuple(p["name"] for p in params if p["in"] == "path"),
                    tuple(
                        (p["name"], _resolve(p.get("schema", {}), components))
                        for p in params
                        if p["in"] == "query"
                    ),
                    _resolve(body, components) if body else None,
                )
            )
    return found


def is_integer(schema: dict[str, Any]) -> bool:
    if schema.get("type") == "array":
        return is_integer(schema.get("items", {}))
    return schema.get("type") == "integer"


def example(name: str, schema: dict[str, Any]) -> Any:
    """A plausible value of ``schema`` for a field called ``name``."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {k: example(k, v) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(name, schema.get("items", {}))]
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("format") == "date":
            return "2027-02-01"
        if schema.get("format") == "date-time":
            return "2027-02-01T10:00:00+01:00"
        if name in ("emails",):
            return "probe@example.invalid"
        if name in ("linkedin_url", "website"):
            return ""
        return "Probe"
    return None


def body_fields(operation: Operation) -> dict[str, dict[str, Any]]:
    if not operation.body:
        return {}
    return dict(operation.body.get("properties", {}))


# --- Form data for the pages ---------------------------------------------------------------
FORM: dict[str, str] = {
    "channel": "call",
    "minutes": "5",
    "initiated_by": "me",
    "text": "Probe text",
    "direction": "given",
    "kind": "advice",
    "level": "name_role",
    "answer": "yes",
    "reason": "Probe reason.",
    "step": "accept",
    "policy": "0.5",
    "name": "Probe",
    "given_name": "Probe",
    "email": "probe@example.invalid",
    "role": "member",
    "status": "contacted",
    "contact": "Probe",
    "temperature": "warm",
    "label": "probe",
    "title": "Probe",
    "starts_at": "2099-01-01T19:00",
    "tables": "T, 4",
    "tier": "A",
    "days": "7",
    "locked": "on",
    "organisation": "Probe",
}


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """The form above with the id fields set to ``values`` (kind -> object)."""
    data: dict[str, Any] = dict(FORM)
    for field_name, kind in FORM_SLOTS.items():
        data[field_name] = _ident(values[kind])
    return data


def _ident(value: Any) -> Any:
    return getattr(value, "pk", value)


# --- What a request changed ----------------------------------------------------------------
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
# Written by any request of a signed-in caller, and no data of anyone's.
# The network version is a cache key the first look at a club's network creates (a random
# token and a counter): it says nothing about anyone.
VOLATILE_TABLES = ("django_session", "accounts_apitoken", "network_networkversion")


class WriteLog:
    """Every statement that writes, as Django sends it to the database."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ):
        if WRITE.match(sql) and not any(t in sql for t in VOLATILE_TABLES):
            self.statements.append(sql[:160])
        return execute(sql, params, many, context)


def checksum() -> dict[str, int]:
    """Per table of the database, a hash of all its rows (volatile tables and columns left
    out): equal before and after means nothing changed."""
    sums = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in VOLATILE_TABLES:
                continue
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
                if c.name != "last_login"
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            sums[table] = hash(json.dumps(rows))
    return sums


def all_rows_exist(world: World) -> list[str]:
    """The values of the world that are not rows in the database (a builder that lies)."""
    wrong = []
    for kind, slot in world.slots.items():
        for value in [slot.visible, *slot.hidden]:
            model = type(value)
            if hasattr(value, "pk") and not model._default_manager.filter(pk=value.pk).exists():
                wrong.append(f"{kind}: {value!r}")
    return wrong


# --- Which parameters a view reads ---------------------------------------------------------
class _Recording(QueryDict):
    """A QueryDict that notes every key a view looks up."""

    seen: set[str]

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return super().__getitem__(key)

    def getlist(self, key: str, default: Any = None) -> Any:
        self.seen.add(key)
        return super().getlist(key, default)

    def __contains__(self, key: object) -> bool:
        self.seen.add(str(key))
        return super().__contains__(key)

    def __deepcopy__(self, memo: dict[int, Any]) -> QueryDict:
        # A copy (axes keeps one of a failed attempt's form) is no reading by the view.
        plain = QueryDict(mutable=True)
        for key, values in self.lists():
            plain.setlist(key, list(values))
        return plain


def _recording(original: QueryDict, seen: set[str]) -> _Recording:
    copy = _Recording(mutable=True)
    for key, values in original.lists():
        copy.setlist(key, values)
    copy._mutable = False
    copy.seen = seen
    return copy


@contextmanager
def reading(get: set[str], post: set[str]) -> Iterator[None]:
    """While inside, the GET and POST keys views read are added to ``get`` and ``post``."""
    from django.core.handlers.wsgi import WSGIRequest

    plain_get = WSGIRequest.__dict__["GET"]
    plain_post = WSGIRequest.__dict__["POST"]

    def recorded_get(self: WSGIRequest) -> QueryDict:
        if "_recorded_get" not in self.__dict__:
            self.__dict__["_recorded_get"] = _recording(plain_get.func(self), get)
        return self.__dict__["_recorded_get"]

    def recorded_post(self: WSGIRequest) -> QueryDict:
        found = plain_post.fget(self)
        if not isinstance(found, _Recording):
            found = _recording(found, post)
            self._post = found
        return found

    WSGIRequest.GET = property(recorded_get)  # type: ignore[assignment,method-assign]
    WSGIRequest.POST = property(recorded_post, plain_post.fset)  # type: ignore[assignment]
    try:
        yield
    finally:
        WSGIRequest.GET = plain_get  # type: ignore[method-assign]
        WSGIRequest.POST = plain_post  # type: ignore[method-assign]
