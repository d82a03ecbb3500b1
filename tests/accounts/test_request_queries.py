"""What the middleware stack costs a signed-in page: reading the session and the user, no
write. "Last seen" of the session's sign-in is written at most once in
:data:`kring.accounts.actions.SEEN_EVERY` (issue 16: every page under 50 ms at the median)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from kring.accounts.models import SignIn
from tests.conftest import PASSWORD, TEST_NOW

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _nothing(request: HttpRequest) -> HttpResponse:
    """A page that reads nothing itself: every query is the middleware's."""
    return HttpResponse("ok" if request.user.is_authenticated else "anonymous")


urlpatterns = [path("nothing/", _nothing)]


def _get(client: Client) -> tuple[list[str], str]:
    with override_settings(ROOT_URLCONF=__name__), CaptureQueriesContext(connection) as queries:
        response = client.get("/nothing/")
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries], response.content.decode()


def _signed_in(email: str) -> Client:
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
    assert client.post("/login/", {"username": email, "password": PASSWORD}).status_code == 302
    return client


def test_a_signed_in_page_costs_the_middleware_two_reads_and_no_write(cast):
    with time_machine.travel(TEST_NOW, tick=False) as traveller:
        client = _signed_in(cast.alice.email)
        traveller.shift(dt.timedelta(minutes=1))
        queries, body = _get(client)
        assert body == "ok"
        assert len(queries) == 2, queries  # the session, the user
        assert "django_session" in queries[0] and "accounts_user" in queries[1]
        assert not [q for q in queries if q.lstrip().upper().startswith(WRITES)]


def test_last_seen_is_written_once_in_five_minutes_then_reads_only_again(cast):
    with time_machine.travel(TEST_NOW, tick=False) as traveller:
        client = _signed_in(cast.alice.email)
        traveller.shift(dt.timedelta(minutes=6))
        queries, _ = _get(client)
        assert [q for q in queries if q.lstrip().upper().startswith(WRITES)], queries
        assert SignIn.objects.get(user=cast.alice).last_seen_at == TEST_NOW + dt.timedelta(
            minutes=6
        )
        traveller.shift(dt.timedelta(minutes=1))
        queries, _ = _get(client)
        assert len(queries) == 2, queries


def test_an_anonymous_page_costs_no_query():
    queries, body = _get(Client())
    assert body == "anonymous"
    assert queries == []


def test_a_revoked_session_is_refused_on_the_next_request(cast):
    client = _signed_in(cast.alice.email)
    SignIn.objects.filter(user=cast.alice).delete()
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    _, body = _get(client)
    assert body == "anonymous"
