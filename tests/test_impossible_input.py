"""Impossible input in every search box and filter, generated from the routes: a NUL character,
bytes that are no UTF-8 (``%ED%A0%80``), a value too long or of too many words, a number too
large for any database. Every parameter a page's view reads (found by watching it read, see
tests/routes.py) and every query parameter of the API's schema answers a clear 400 (page) or
422 (API) that names the parameter, on SQLite and PostgreSQL alike, never a 500; so do form
fields and JSON bodies holding a NUL or a lone surrogate."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.urls import reverse

from kring.lib.input import MAX_PARAMETER_LENGTH, MAX_PARAMETER_WORDS
from tests.conftest import TEST_NOW
from tests.routes import (
    api_operations,
    body_fields,
    build_world,
    example,
    kind_of,
    openapi_schema,
    pages,
    public_reason,
    reading,
)

pytestmark = pytest.mark.django_db

# (what, the raw query-string value): each must be refused.
IMPOSSIBLE = [
    ("a NUL character", "a%00b"),
    ("half a surrogate pair", "%ED%A0%80"),
    ("bytes that are no UTF-8", "%FF%FE"),
    ("too long a value", "x" * (MAX_PARAMETER_LENGTH + 1)),
    ("too many words", "+".join(["ab"] * (MAX_PARAMETER_WORDS + 1))),
]
# Possible, but large: must not break anything either.
LARGE = ["9" * 40, "-" + "9" * 40, "x" * MAX_PARAMETER_LENGTH]


@pytest.fixture
def world(cast):
    with time_machine.travel(TEST_NOW, tick=False):
        yield build_world(cast)


def _page_urls(world):
    """Every page with values Bob may use (made-up ones on public pages), and the GET
    parameters its view reads."""
    visible = {kind: slot.visible for kind, slot in world.slots.items()}
    client = world.cast.client(world.cast.bob)
    for page in pages():
        if page.name.startswith(("admin:", "api:")) or page.name == "logout":
            continue
        if public_reason(page.name):
            url = page.url(dict.fromkeys(page.parts, "Zzmadeup"))
        else:
            url = page.url({p: visible[kind_of(page.name, p)] for p in page.parts})
        keys: set[str] = set()
        with reading(keys, set()):
            client.get(url + "?_probe=1")
        yield url, sorted(keys - {"_probe"})


def test_every_page_parameter_refuses_impossible_input(world):
    client = world.cast.client(world.cast.bob)
    client.raise_request_exception = False
    wrong, swept = [], 0
    with time_machine.travel(TEST_NOW, tick=False):
        for url, keys in _page_urls(world):
            for key in keys:
                swept += 1
                for what, raw in IMPOSSIBLE:
                    response = client.get(f"{url}?{key}={raw}")
                    body = response.content.decode()
                    if response.status_code != 400 or f'data-field="{key}"' not in body:
                        wrong.append(f"{url}?{key}=({what}): {response.status_code}")
                for value in LARGE:
                    response = client.get(url, {key: value})
                    if response.status_code >= 500:
                        wrong.append(f"{url}?{key}={value[:12]}…: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert swept >= 20  # people, notes, organisations, shared, paths, plan, ledger, card…


def test_every_api_query_parameter_refuses_impossible_input(world, client):
    key = world.keys[world.cast.bob.email]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.raise_request_exception = False
    visible = {kind: slot.visible for kind, slot in world.slots.items()}
    wrong, swept = [], 0
    with time_machine.travel(TEST_NOW, tick=False):
        for op in api_operations(openapi_schema(client, key)):
            if op.method != "GET":
                continue
            url = op.url({p: visible[kind_of(op.key, p)] for p in op.path_parts})
            for name, _schema in op.query:
                swept += 1
                for what, raw in IMPOSSIBLE:
                    response = client.get(f"{url}?{name}={raw}", **auth)
                    if response.status_code != 422 or name not in response.json()["errors"]:
                        wrong.append(f"{url}?{name}=({what}): {response.status_code}")
                for value in LARGE:
                    response = client.get(url, {name: value}, **auth)
                    if response.status_code >= 500:
                        wrong.append(f"{url}?{name}={value[:12]}…: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert swept >= 10


@pytest.mark.parametrize("text", ["a\x00b", "\ud800"], ids=["NUL", "lone surrogate"])
def test_every_api_body_refuses_impossible_text(world, client, text):
    key = world.keys[world.cast.bob.email]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.raise_request_exception = False
    visible = {kind: slot.visible for kind, slot in world.slots.items()}
    wrong, swept = [], 0
    with time_machine.travel(TEST_NOW, tick=False):
        for op in api_operations(openapi_schema(client, key)):
            strings = [n for n, s in body_fields(op).items() if s.get("type") == "string"]
            if not strings:
                continue
            url = op.url({p: visible[kind_of(op.key, p)] for p in op.path_parts})
            for name in strings:
                swept += 1
                body = {**example("", op.body), name: text}
                encoded = json.dumps(body)  # "\ud800" stays an escape, as a client sends it
                response = client.generic(op.method, url, encoded, "application/json", **auth)
                if response.status_code != 422 or name not in response.json()["errors"]:
                    wrong.append(f"{op.key} {name}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert swept >= 10


def test_a_form_field_with_a_nul_is_refused_before_any_view_reads_it(world):
    client = world.cast.client(world.cast.bob)
    client.raise_request_exception = False
    for url, data in [
        (reverse("token_create"), {"label": "a\x00b"}),
        (reverse("person_create"), {"given_name": "a\x00b"}),
        (reverse("introduction", args=[world.slots["introduction"].visible.pk]), {"step": "\x00"}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400, url
        assert 'data-field="' in response.content.decode()


def test_it_says_what_is_wrong_in_the_users_language(cast):
    from kring.accounts.actions import user_update_settings

    user_update_settings(user=cast.bob, language="nl")
    response = cast.client(cast.bob).get(reverse("people") + "?q=a%00b")
    body = response.content.decode()
    assert response.status_code == 400
    assert "NUL" in body and "“q”" in body and "Kring kan niet lezen" in body
