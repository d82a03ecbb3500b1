"""Nobody sees what is not theirs, proved over every route there is.

The routes come from Django's URL resolver and the API's OpenAPI schema (tests/routes.py), each
tried with every HTTP method it accepts by the cast: Bob, a member of Alice's club, and Charlie,
an outsider. Every id in a route is substituted in turn with real objects of that kind that the
caller may not see (Alice's private rows, the rows of a club the caller is not in, contacts a
member shares at level "nothing" or with another club only):

* the answer is "not found", byte for byte the answer for an id that does not exist (no
  existence oracle), and no statement writes to the database (and all tables hash alike
  before and after);
* no answer to Bob or Charlie holds any marker planted in what they may not see: names,
  organisations, titles, private notes of hidden contacts (and, for Charlie, everything of the
  club), in pages, JSON, CSV, vCard and the text of PDFs;
* every search box and filter a route reads is tried with hidden names: what it answers for
  one is what it answers for a word that exists nowhere.

A route the registry cannot build fails until someone says how (tests/routes.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client

from kring.cli.main import main as kring
from kring.people.models import Person
from tests.conftest import TEST_NOW
from tests.privacy import comparable, readable_text
from tests.routes import (
    AMBIGUOUS,
    BOB_MUST_SEE,
    CLUB_MARKERS,
    FORM_SLOTS,
    HIDDEN_MARKERS,
    NOT_IDS,
    OVERRIDES,
    PUBLIC,
    SEARCHED_MARKERS,
    UNKNOWN_WORD,
    VISIBLE_WORDS,
    Operation,
    Page,
    World,
    WriteLog,
    all_rows_exist,
    api_operations,
    body_fields,
    build_world,
    checksum,
    example,
    form_data,
    is_integer,
    kind_of,
    openapi_schema,
    pages,
    public_reason,
    reading,
)

pytestmark = pytest.mark.django_db

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Values tried in a parameter called so, beyond the search words: what reaches an export.
PARAMETER_VALUES = {"format": ["pdf", "csv", "json", "ics", "vcf"]}


@pytest.fixture
def world(cast):
    with time_machine.travel(TEST_NOW, tick=False):
        yield build_world(cast)


# --- One caller's requests -----------------------------------------------------------------
@dataclass
class Answer:
    response: HttpResponse
    writes: list[str]
    text: str


@dataclass
class Caller:
    """A signed-in member of the cast, whose every request is checked for markers."""

    world: World
    name: str
    markers: list[str]
    client: Client = field(init=False)
    failures: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # of BOB_MUST_SEE

    def __post_init__(self) -> None:
        user = getattr(self.world.cast, self.name)
        self.client = Client(raise_request_exception=False)
        self.client.force_login(user)
        self.cookies = self.client.cookies
        self.key = self.world.keys[user.email]

    def send(
        self,
        method: str,
        url: str,
        *,
        form: dict[str, Any] | None = None,
        body: Any = None,
        api: bool = False,
        keep: bool = False,
        sent: tuple[object, ...] = (),
    ) -> Answer:
        """One request in a savepoint: rolled back unless ``keep`` (a request that must change
        nothing is kept, so that the tables' checksum can prove it did not)."""
        self.client.cookies = self.cookies.__class__(self.cookies)  # each request signed in
        extra: dict[str, Any] = {}
        if api:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.key}"
        log = WriteLog()
        with transaction.atomic():
            with connection.execute_wrapper(log):
                if body is not None:
                    response = self.client.generic(
                        method, url, json.dumps(body), "application/json", **extra
                    )
                elif method == "POST":
                    response = self.client.post(url, form or {}, **extra)
                else:
                    response = self.client.generic(method, url, **extra)
            if not keep or response.status_code >= 500:
                transaction.set_rollback(True)
        text = readable_text(response) + " " + " ".join(f"{k}: {v}" for k, v in response.items())
        self.seen |= {word for word in BOB_MUST_SEE if word.casefold() in text.casefold()}
        for value in (str(v) for v in sent):  # what the caller sent may come back
            text = text.replace(value, "")
        answer = Answer(response, log.statements, text)
        self.check(method, url, answer)
        return answer

    def check(self, method: str, url: str, answer: Answer) -> None:
        status = answer.response.status_code
        if status >= 500:
            self.fail(method, url, f"answered {status}")
        folded = answer.text.casefold()
        for marker in self.markers:
            if marker.casefold() in folded:
                # Where it shows, so that a failure can be understood from CI's output alone.
                at = folded.index(marker.casefold())
                context = " ".join(answer.text[max(0, at - 300) : at + 100].split())
                self.fail(method, url, f"shows {marker!r} (status {status}, ...{context}...)")

    def fail(self, method: str, url: str, problem: str) -> None:
        self.failures.append(f"{self.name}: {method} {url}: {problem}")

    def expect_alike(
        self, method: str, hidden: tuple[str, Answer, object], missing: tuple[str, Answer, object]
    ) -> None:
        """The answer for a hidden object is the answer for one that does not exist."""
        (url, answer, value), (other_url, other, other_value) = hidden, missing
        sent = (url, other_url, _pk(value), _pk(other_value))
        if comparable(answer.response, *sent) != comparable(other.response, *sent):
            self.fail(
                method,
                url,
                f"answers {answer.response.status_code} for a hidden {value!r} but "
                f"{other.response.status_code} (or other words) for one that does not exist",
            )
        if answer.writes:
            self.fail(method, url, f"wrote {answer.writes}")


def _pk(value: object) -> object:
    return getattr(value, "pk", value)


def _kinds(world: World, route: str, parts: tuple[str, ...]) -> dict[str, str]:
    kinds = {}
    for part in parts:
        kind = kind_of(route, part)
        assert kind and kind != AMBIGUOUS and kind in world.slots, (
            f"{route}: the registry in tests/routes.py cannot build {part!r}"
        )
        kinds[part] = kind
    return kinds


# --- Pages ---------------------------------------------------------------------------------
def _pages_to_sweep() -> list[Page]:
    return [p for p in pages() if not public_reason(p.name)]


def _sweep_page(bob: Caller, charlie: Caller, page: Page) -> None:
    world = bob.world
    kinds = _kinds(world, page.name, page.parts)
    slots = world.slots
    visible = {part: slots[kind].visible for part, kind in kinds.items()}
    base_form = form_data({kind: slot.visible for kind, slot in slots.items()})
    url = page.url(visible)

    # Bob with what he may use: which methods the route accepts, and which parameters it reads.
    accepted = []
    found = False
    get_keys: set[str] = set()
    post_keys: set[str] = set()
    for method in METHODS:
        with reading(get_keys, post_keys):
            answer = bob.send(method, url, form=base_form)
            if method == "GET":
                bob.send(method, url + "?_probe=1")
        status = answer.response.status_code
        if status == 405:
            continue
        accepted.append(method)
        if status != 404:
            found = True
    if not accepted:
        bob.fail("*", url, "accepts no method")
    elif page.parts and not found:
        # A form may still refuse Bob's values with a 404 (his own attendance as his table
        # mate); one method must show that the objects exist for him.
        bob.fail("*", url, "answers 404 to every method with objects Bob may use")

    def variants(caller: Caller) -> list[tuple[str, str, object, object]]:
        """(part, url with one value foreign to the caller, that value, the missing one)."""
        found = []
        for part, kind in kinds.items():
            foreign = slots[kind].hidden + ([slots[kind].visible] if caller is charlie else [])
            missing = slots[kind].missing
            for value in foreign:
                found.append((part, page.url({**visible, part: value}), value, missing))
        return found

    for caller in (bob, charlie):
        for method in accepted:
            missing_answers: dict[str, Answer] = {}  # part -> the answer for a missing one
            for part, hidden_url, value, missing in variants(caller):
                missing_url = page.url({**visible, part: missing})
                answer = caller.send(method, hidden_url, form=base_form, keep=True)
                if part not in missing_answers:
                    missing_answers[part] = caller.send(
                        method, missing_url, form=base_form, keep=True
                    )
                other = missing_answers[part]
                if answer.response.status_code not in (404, other.response.status_code):
                    # 403 is right only for what the caller may not do to any such object.
                    caller.fail(method, hidden_url, f"answers {answer.response.status_code}")
                elif answer.response.status_code not in (403, 404):
                    caller.fail(method, hidden_url, f"answers {answer.response.status_code}")
                caller.expect_alike(
                    method, (hidden_url, answer, value), (missing_url, other, missing)
                )
            if page.parts and caller is charlie:
                continue  # Charlie was refused above with every value
            # Form fields that name an object: a foreign one answers like a missing one.
            if method == "POST":
                for name in sorted(post_keys):
                    kind = FORM_SLOTS.get(name)
                    if kind is None:
                        continue
                    slot = slots[kind]
                    foreign = slot.hidden + ([slot.visible] if caller is charlie else [])
                    other = caller.send(
                        method, url, form={**base_form, name: slot.missing}, keep=True
                    )
                    for value in foreign:
                        answer = caller.send(
                            method, url, form={**base_form, name: _pk(value)}, keep=True
                        )
                        caller.expect_alike(
                            method, (url, answer, value), (url, other, slot.missing)
                        )
            if caller is charlie:
                caller.send(method, url, form=base_form)  # his own page: markers only
    # Searches and filters: Bob on his pages, Charlie on his own.
    for caller in (bob, charlie):
        if caller is charlie and page.parts:
            continue
        if "GET" in accepted:
            _sweep_parameters(caller, url, sorted(get_keys - {"_probe"}))


def _sweep_parameters(caller: Caller, url: str, keys: list[str], *, api: bool = False) -> None:
    join = "&" if "?" in url else "?"
    for key in keys:
        unknown = caller.send("GET", f"{url}{join}{_query(key, UNKNOWN_WORD)}", api=api)
        for word in VISIBLE_WORDS + PARAMETER_VALUES.get(key, []):
            caller.send("GET", f"{url}{join}{_query(key, word)}", api=api, sent=(word,))
        for word in SEARCHED_MARKERS:
            searched = f"{url}{join}{_query(key, word)}"
            answer = caller.send("GET", searched, api=api, sent=(word,))
            sent = (searched, f"{url}{join}{_query(key, UNKNOWN_WORD)}", word, UNKNOWN_WORD)
            if comparable(answer.response, *sent) != comparable(unknown.response, *sent):
                caller.fail("GET", searched, f"answers {key}={word} unlike a word nobody has")


def _query(key: str, value: str) -> str:
    from urllib.parse import urlencode

    return urlencode({key: value})


# --- The API -------------------------------------------------------------------------------
@dataclass
class Plan:
    operation: Operation
    path: dict[str, str]  # part -> kind
    query: dict[str, str]
    body: dict[str, str]
    strings: list[str]  # string query parameters: searches and filters


def _plan(world: World, operation: Operation) -> Plan:
    key = operation.key
    path = _kinds(world, key, operation.path_parts)
    query, body, strings = {}, {}, []
    for name, schema in operation.query:
        if is_integer(schema) and name not in NOT_IDS:
            query[name] = _kinds(world, key, (name,))[name]
        elif schema.get("type") == "string" and "format" not in schema:
            strings.append(name)
    for name, schema in body_fields(operation).items():
        if is_integer(schema) and name not in NOT_IDS:
            body[name] = _kinds(world, key, (name,))[name]
    return Plan(operation, path, query, body, strings)


def _api_request(world: World, plan: Plan, values: dict[str, Any]) -> tuple[str, Any]:  # url, body
    op = plan.operation
    url = op.url({part: values[part] for part in plan.path})
    query = {name: _pk(values[name]) for name in plan.query}
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    body = None
    if op.body is not None:
        body = example("", op.body)
        for name in plan.body:
            value = _pk(values[name])
            body[name] = [value] if body_fields(op)[name].get("type") == "array" else value
    return url, body


def _sweep_operation(bob: Caller, charlie: Caller, plan: Plan) -> None:
    world, op = bob.world, plan.operation
    slots = world.slots
    kinds = {**plan.path, **plan.query, **plan.body}
    visible = {part: slots[kind].visible for part, kind in kinds.items()}
    url, body = _api_request(world, plan, visible)
    answer = bob.send(op.method, url, body=body, api=True)
    if answer.response.status_code in (404, 405) and kinds:
        bob.fail(op.method, url, f"answers {answer.response.status_code} with Bob's objects")
    for caller in (bob, charlie):
        if not kinds and caller is charlie:
            caller.send(op.method, url, body=body, api=True)
        for part, kind in kinds.items():
            foreign = slots[kind].hidden + ([slots[kind].visible] if caller is charlie else [])
            missing = slots[kind].missing
            missing_url, missing_body = _api_request(world, plan, {**visible, part: missing})
            other = caller.send(op.method, missing_url, body=missing_body, api=True, keep=True)
            for value in foreign:
                hidden_url, hidden_body = _api_request(world, plan, {**visible, part: value})
                answer = caller.send(op.method, hidden_url, body=hidden_body, api=True, keep=True)
                if part in plan.path and answer.response.status_code != 404:
                    caller.fail(op.method, hidden_url, f"answers {answer.response.status_code}")
                if 200 <= answer.response.status_code < 300:
                    caller.fail(op.method, hidden_url, "succeeds with a foreign id")
                caller.expect_alike(
                    op.method, (hidden_url, answer, value), (missing_url, other, missing)
                )
        if op.method == "GET" and (caller is bob or not kinds):
            _sweep_parameters(caller, url, plan.strings, api=True)


# --- The tests -----------------------------------------------------------------------------
def _callers(world: World) -> tuple[Caller, Caller]:
    bob = Caller(world, "bob", HIDDEN_MARKERS)
    charlie = Caller(world, "charlie", HIDDEN_MARKERS + CLUB_MARKERS)
    return bob, charlie


def test_it_knows_how_to_build_every_route(world, client):
    """Every page and API operation either has a builder for each id it takes, or is public
    with a reason; nothing in the registry names a route that is gone."""
    names = {p.name for p in pages()}
    problems = [f"the world's {wrong} is no row" for wrong in all_rows_exist(world)]
    for page in pages():
        if public_reason(page.name):
            continue
        if page.name.endswith(":") or not page.name:
            problems.append(f"page {page.route}: give it a name")
        for part in page.parts:
            kind = kind_of(page.name, part)
            if not kind or kind == AMBIGUOUS or kind not in world.slots:
                problems.append(f"page {page.name} ({page.route}): say how to build {part!r}")
    schema = openapi_schema(client, world.keys[world.cast.bob.email])
    for op in api_operations(schema):
        if op.key in PUBLIC:
            continue
        try:
            _plan(world, op)
        except AssertionError as exc:
            problems.append(str(exc).split("\n")[0])
    keys = {op.key for op in api_operations(schema)}
    for name in PUBLIC:
        if not (name in names or name in keys or name.endswith(":*") or name.startswith("api:")):
            problems.append(f"PUBLIC names {name!r}, which is no route")
    for route, _part in OVERRIDES:
        if route not in names and route not in keys:
            problems.append(f"OVERRIDES names {route!r}, which is no route")
    assert not problems, "\n".join(problems)


def test_no_page_shows_or_changes_what_is_not_the_callers(world):
    bob, charlie = _callers(world)
    with time_machine.travel(TEST_NOW, tick=False):
        before = checksum()
        for page in _pages_to_sweep():
            _sweep_page(bob, charlie, page)
        after = checksum()
    changed = sorted(t for t in before if before[t] != after.get(t))
    failures = bob.failures + charlie.failures
    assert not changed, f"tables changed: {changed}"
    assert not failures, "\n".join(failures)
    assert bob.seen == set(BOB_MUST_SEE), f"the sweep never showed {set(BOB_MUST_SEE) - bob.seen}"


def test_no_api_operation_shows_or_changes_what_is_not_the_callers(world, client):
    bob, charlie = _callers(world)
    schema = openapi_schema(client, world.keys[world.cast.bob.email])
    with time_machine.travel(TEST_NOW, tick=False):
        before = checksum()
        for op in api_operations(schema):
            if op.key not in PUBLIC:
                _sweep_operation(bob, charlie, _plan(world, op))
        after = checksum()
    changed = sorted(t for t in before if before[t] != after.get(t))
    failures = bob.failures + charlie.failures
    assert not changed, f"tables changed: {changed}"
    assert not failures, "\n".join(failures)
    assert "Piet Publiek" in bob.seen, "the paths answer never named the shared contact"


def test_it_sends_strangers_to_the_login_page(world):
    """Without an account every page but the public ones sends you to log in, and the API
    answers 401."""
    anonymous = Client()
    visible = {kind: slot.visible for kind, slot in world.slots.items()}
    wrong = []
    with time_machine.travel(TEST_NOW, tick=False):
        for page in _pages_to_sweep():
            kinds = _kinds(world, page.name, page.parts)
            url = page.url({part: visible[kind] for part, kind in kinds.items()})
            for method in ("GET", "POST"):
                response = anonymous.generic(method, url)
                if response.status_code == 405:
                    continue
                if response.status_code != 302 or "/login/" not in response["Location"]:
                    wrong.append(f"{method} {url}: {response.status_code}")
        for path in ("/api/people", "/api/me", f"/api/people/{world.cast.jan.pk}"):
            if anonymous.get(path).status_code != 401:
                wrong.append(f"GET {path}")
    assert not wrong, "\n".join(wrong)


def test_the_public_routes_show_nothing_of_anyone(world):
    """The routes that need no account (PUBLIC), with made-up tokens, show no marker to a
    stranger, to Bob or to Charlie."""
    bob, charlie = _callers(world)
    stranger = Caller(world, "bob", HIDDEN_MARKERS + CLUB_MARKERS)
    stranger.client = Client(raise_request_exception=False)
    stranger.cookies = stranger.client.cookies
    stranger.name = "stranger"
    with time_machine.travel(TEST_NOW, tick=False):
        for page in pages():
            if not public_reason(page.name) or page.name.startswith(("admin:", "api:")):
                continue
            if page.name == "logout":
                continue  # would end the session the others use; it shows nothing
            url = page.url(dict.fromkeys(page.parts, "Zzmadeup"))
            for caller in (stranger, bob, charlie):
                caller.send("GET", url)
    failures = stranger.failures + bob.failures + charlie.failures
    assert not failures, "\n".join(failures)


def test_it_keeps_the_admin_to_staff(world):
    for user in (world.cast.alice, world.cast.bob, world.cast.charlie):
        client = Client()
        client.force_login(user)
        for path in (
            "/admin/",
            "/admin/people/person/",
            f"/admin/people/person/{world.cast.jan.pk}/change/",
        ):
            response = client.get(path)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], path


@pytest.mark.parametrize("intruder", ["bob", "charlie"])
def test_it_answers_not_found_on_every_cli_command(cast, capsys, intruder):
    email = getattr(cast, intruder).email
    p = str(cast.jan.pk)
    for argv in (
        ["people", "show", p],
        ["log", p],
        ["export", "--person", p],
        ["erase-person", p, "--yes"],
        ["people", "show", "Berg"],
    ):
        assert kring([*argv, "--user", email]) == 2, argv
        err = capsys.readouterr().err
        assert "not found" in err or "nobody matches" in err
        assert "Berg" not in err.replace("'Berg'", "")
    assert kring(["people", "list", "--user", email, "--json"]) == 0
    out = capsys.readouterr().out
    for secret in ["Berg", "Secret: wants to leave", "merger", "Acme opens a lab"]:
        assert secret not in out
    assert Person.objects.filter(pk=cast.jan.pk).exists()
