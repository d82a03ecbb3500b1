"""Input no database can store and no search needs, refused at the door with a clear answer:
400 on a page, 422 in the API, alike on SQLite and PostgreSQL, never a 500.

* a NUL character (PostgreSQL cannot store one, SQLite cuts text at it);
* bytes that are not UTF-8 in a query string (``%ED%A0%80``, half of a surrogate pair), and
  lone surrogates in a JSON body (``"\\ud800"``), which no database can encode;
* a search or filter longer than :data:`MAX_PARAMETER_LENGTH` characters or of more than
  :data:`MAX_PARAMETER_WORDS` words (a search of fifty words joins more tables than SQLite
  allows, and nobody types one).

Every parameter of the query string is checked, whichever view reads it; form fields and JSON
bodies for NUL and surrogates (their lengths are the forms' and schemas' business).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

MAX_PARAMETER_LENGTH = 500
MAX_PARAMETER_WORDS = 12
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return _("It holds a NUL character, which no text may hold.")
    if _SURROGATE.search(text):
        return _("It holds half of a character (a lone surrogate), which is no text.")
    return None


def query_problems(query_string: str) -> dict[str, list[str]]:
    """What is wrong with each parameter of a raw query string, by name."""
    problems: dict[str, list[str]] = {}
    for pair in query_string.split("&"):
        if not pair:
            continue
        raw_name, _equals, raw_value = pair.partition("=")
        try:
            name = unquote_to_bytes(raw_name.replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError:
            problems.setdefault("__all__", []).append(
                _("A parameter's name is not valid text (UTF-8).")
            )
            continue
        try:
            value = unquote_to_bytes(raw_value.replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError:
            problems.setdefault(name, []).append(_("It is not valid text (UTF-8)."))
            continue
        problem = _text_problem(name) or _text_problem(value)
        if problem:
            problems.setdefault(name, []).append(problem)
        elif len(value) > MAX_PARAMETER_LENGTH:
            problems.setdefault(name, []).append(
                _("It is longer than %(max)s characters.") % {"max": MAX_PARAMETER_LENGTH}
            )
        elif len(value.split()) > MAX_PARAMETER_WORDS:
            problems.setdefault(name, []).append(
                _("Search with at most %(max)s words.") % {"max": MAX_PARAMETER_WORDS}
            )
    return problems


def _strings(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) for every string in a JSON document, keys included."""
    if isinstance(data, str):
        yield path or "__all__", data
    elif isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, str(key)
            yield from _strings(value, where)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{path}.{index}" if path else str(index))


def body_problems(request: HttpRequest) -> dict[str, list[str]]:
    """NUL characters and lone surrogates in a form's fields or a JSON body, by field."""
    problems: dict[str, list[str]] = {}
    content_type = request.content_type or ""
    found: list[tuple[str, str]] = []
    if content_type == "application/json" and request.body:
        try:
            found = list(_strings(json.loads(request.body)))
        except ValueError:
            return {}  # not JSON: the API says so itself
    elif request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        found = [(name, value) for name, values in request.POST.lists() for value in values]
    for where, text in found:
        problem = _text_problem(text)
        if problem and problem not in problems.get(where, []):
            problems.setdefault(where, []).append(problem)
    return problems


class ImpossibleInputMiddleware:
    """Answers a request with impossible input before any view sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        problems = query_problems(request.META.get("QUERY_STRING", ""))
        if not problems:
            problems = body_problems(request)
        if not problems:
            return None
        match = request.resolver_match
        if match is not None and "api" in match.namespaces:
            return JsonResponse(
                {"code": "invalid", "detail": _("Invalid input"), "errors": problems},
                status=422,
            )
        return render(request, "400.html", {"problems": sorted(problems.items())}, status=400)


def _upload_limit() -> int:
    from django.conf import settings

    return int(getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


# Room for the form's other fields and the multipart boundaries around the files.
_FORM_OVERHEAD_BYTES = 64 * 1024
_DRAIN_FACTOR = 2


class UploadLimitMiddleware:
    """A request whose body is larger than ``UPLOAD_MAX_BYTES`` (``KRING_UPLOAD_MAX_MB``) is
    refused with 413 from its Content-Length, before a byte of it is read: a 200 MB upload
    holds no server thread. It runs before the session and the user are read, so its page
    needs no database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = _upload_limit()
        if length <= limit + _FORM_OVERHEAD_BYTES:
            return self.get_response(request)
        response = _too_large(request, length, limit)
        if length <= _DRAIN_FACTOR * limit:
            # A browser (and Caddy, and Python's urllib) sends the whole body before it
            # reads the answer: cut off, it shows "connection reset" instead of the message.
            # A body up to a few times the limit is read and thrown away (no parsing, no
            # disk: at loopback speed behind a proxy); a larger one is cut off.
            while request.read(1 << 20):
                pass
        else:
            # The rest of the body is never read: the connection ends with this answer.
            response["Connection"] = "close"
        return response


def _too_large(request: HttpRequest, length: int, limit: int) -> HttpResponse:
    from django.template.loader import render_to_string
    from django.utils import translation

    params = {"size": f"{length / 1_048_576:.0f}", "max": f"{limit / 1_048_576:.0f}"}
    with translation.override(translation.get_language_from_request(request)):
        message = (
            _(
                "The upload is %(size)s MB; Kring takes at most %(max)s MB at once. Split the "
                "file, or export less at a time."
            )
            % params
        )
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": message, "code": "upload_too_large"}, status=413
            )
        else:
            html = render_to_string(
                "413.html",
                {"message": message, "LANGUAGE_CODE": translation.get_language()},
            )
            response = HttpResponse(html, status=413)
    return response
