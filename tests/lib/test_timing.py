"""The Server-Timing header (KRING_SERVER_TIMING): what Django spent on one answer."""

from __future__ import annotations

import gc
import re

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from kring.lib.timing import ServerTimingMiddleware

pytestmark = pytest.mark.django_db

METRIC = re.compile(r'(\w+);dur=([0-9.]+)(?:;desc="([^"]*)")?')


def _metrics(header: str) -> dict[str, tuple[float, str | None]]:
    return {name: (float(ms), desc) for name, ms, desc in METRIC.findall(header)}


def test_it_counts_the_queries_and_the_collectors_pause_of_the_request():
    def view(request):
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute("SELECT 1")
        garbage = [[] for _ in range(200_000)]
        gc.collect()
        del garbage
        return HttpResponse("ok")

    response = ServerTimingMiddleware(view)(RequestFactory().get("/"))
    metrics = _metrics(response["Server-Timing"])
    assert set(metrics) == {"app", "cpu", "db", "gc"}
    assert metrics["db"][1] == "3 queries"
    assert metrics["gc"][0] > 0
    assert metrics["app"][0] >= metrics["gc"][0]
    assert metrics["cpu"][0] > 0


def test_a_request_without_queries_or_collection_says_zero():
    gc.disable()
    try:
        response = ServerTimingMiddleware(lambda request: HttpResponse("ok"))(
            RequestFactory().get("/")
        )
    finally:
        gc.enable()
    metrics = _metrics(response["Server-Timing"])
    assert metrics["db"] == (0.0, "0 queries")
    assert metrics["gc"][0] == 0.0


def test_a_page_through_every_middleware_says_its_time(client):
    middleware = ["kring.lib.timing.ServerTimingMiddleware", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        response = client.get("/login/")
    assert response.status_code == 200
    app, _ = _metrics(response["Server-Timing"])["app"]
    assert app > 0
    # Off by default: the header tells nobody how long the server worked.
    # (A client loads the middleware on its first request: a new one for the settings'.)
    assert "Server-Timing" not in Client().get("/login/")
