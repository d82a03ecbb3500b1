"""When the database cannot be reached: a 503 in the reader's language, never a 500.

A database that is down (restarted, its machine rebooting, its connections used up) makes
every page fail. The reader sees "try again in a minute" in their language, the API a JSON
error with ``Retry-After``, and the next request after the database is back is served by the
same process: Django opens a new connection for it (``CONN_HEALTH_CHECKS``), nothing needs a
restart.

The database error can surface in a view (caught by :class:`DatabaseUnavailableMiddleware`)
or in a middleware that reads the session or the user before any view runs (caught by
:func:`server_error`, the project's ``handler500``).

``/healthz`` (:func:`healthz`) answers 200 ``ok`` when this process can query the database
and 503 when it cannot, for a proxy's or a monitor's health check.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# What a driver raises when the server is gone or refuses more connections; a programming
# error (a missing column, a broken constraint) stays a 500.
UNAVAILABLE = (OperationalError, InterfaceError)


def is_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, UNAVAILABLE)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON for the API, else a page that needs no database."""
    # The reader's saved language needs the database; the browser's and the cookie do not.
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if _wants_json(request):
            response: HttpResponse = JsonResponse(
                {
                    "detail": _("Kring cannot reach its database just now. Try again in a minute."),
                    "code": "database_unavailable",
                },
                status=503,
            )
        else:
            html = render_to_string("503.html", {"LANGUAGE_CODE": language})
            response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _forget_broken_connection() -> None:
    # A connection that failed mid-request is closed now, so the next request opens a new one
    # instead of reusing a dead socket until CONN_MAX_AGE runs out.
    try:
        connection.close_if_unusable_or_obsolete()
        if connection.connection is not None and not connection.is_usable():
            connection.close()
    except DatabaseError:
        pass


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is unreachable answers 503, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_unavailable(exception):
            return None
        logger.warning("database unavailable: %s", str(exception).strip().splitlines()[:1])
        _forget_broken_connection()
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database error before any view ran (the session, the user's
    language) is a 503 too; anything else is Django's plain 500."""
    exception = sys.exc_info()[1]
    if is_unavailable(exception):
        _forget_broken_connection()
        return unavailable_response(request)
    if _wants_json(request):
        return JsonResponse({"detail": "Internal server error"}, status=500)
    return defaults.server_error(request)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 ``ok`` when this process can query the database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except UNAVAILABLE:
        _forget_broken_connection()
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
