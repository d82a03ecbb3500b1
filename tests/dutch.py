"""A pytest plugin that fails a test when a page served in Dutch shows English.

Every answer Django gives during the run (through the test client or the live server of the
browser tests) is read when it is in Dutch (``Content-Language: nl``): an HTML page through the
text a reader sees, a PDF through the text it draws; and so is every e-mail sent in Dutch.
Any English message of the catalogue (its placeholders left open, so "Tafel D is full." is
found from "%(table)s is full.") or English sentence the code raises without gettext fails
the test that asked for the page, naming the page and the sentence. The patterns come from
scripts/check_translations.py.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponseBase

from tests.privacy import pdf_text

_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_translations.py"
_spec = importlib.util.spec_from_file_location("check_translations", _SCRIPT)
assert _spec and _spec.loader
check = importlib.util.module_from_spec(_spec)
sys.modules["check_translations"] = check
_spec.loader.exec_module(check)

# English seen on Dutch pages since the current test began: (method and path, sentence).
FOUND: list[tuple[str, str]] = []


def english_in_response(response: HttpResponseBase) -> list[str]:
    """The English messages a Dutch response shows ([] for any other language or kind)."""
    if response.get("Content-Language") != "nl" or getattr(response, "streaming", False):
        return []
    kind = response.get("Content-Type", "")
    body = response.content  # type: ignore[attr-defined]
    if kind.startswith("text/html"):
        return check.english_in_html(body.decode("utf-8", errors="replace"))
    if kind.startswith("application/pdf"):
        return check.english_on_page(pdf_text(body))
    return []


_original = BaseHandler.get_response


def _get_response(self: BaseHandler, request: HttpRequest) -> Any:
    response = _original(self, request)
    for sentence in english_in_response(response):
        FOUND.append((f"{request.method} {request.get_full_path()}", sentence))
    return response


def pytest_configure(config: pytest.Config) -> None:
    BaseHandler.get_response = _get_response  # type: ignore[method-assign]


def pytest_unconfigure(config: pytest.Config) -> None:
    BaseHandler.get_response = _original  # type: ignore[method-assign]


def english_in_mail(message: Any) -> list[str]:
    """The English messages of an e-mail sent in Dutch (``Content-Language: nl``)."""
    if message.extra_headers.get("Content-Language") != "nl":
        return []
    return check.english_on_page(f"{message.subject}\n{message.body}")


@pytest.fixture(autouse=True)
def _no_english_on_dutch_pages() -> Iterator[list[tuple[str, str]]]:
    """Fails the test when a page it was served in Dutch, or an e-mail it sent in Dutch,
    showed English. A test that means to show English (to prove this check) takes the
    fixture ``english_seen`` and empties it."""
    FOUND.clear()
    yield FOUND
    from django.core import mail

    for message in getattr(mail, "outbox", []):
        for sentence in english_in_mail(message):
            FOUND.append((f"mail to {', '.join(message.to)}: {message.subject}", sentence))
    if FOUND:
        seen = "\n".join(f"  {where}: {sentence!r}" for where, sentence in FOUND)
        FOUND.clear()
        pytest.fail(f"English on a Dutch page:\n{seen}", pytrace=False)


@pytest.fixture
def english_seen(_no_english_on_dutch_pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What the check found so far in this test; empty it once looked at."""
    return _no_english_on_dutch_pages
