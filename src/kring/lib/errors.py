"""Errors shared by every interface (web, API, CLI)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise


class NotFound(Exception):
    """The record does not exist or is not the caller's: both answer alike, by design."""

    def __init__(self, entity: str, ident: object) -> None:
        super().__init__(f"{entity} {ident} not found")
        self.entity = entity
        self.ident = ident


class PermissionDenied(Exception):
    """The caller may see the record but not do this to it."""


def coded_message(
    texts: Mapping[str, Promise], code: str, params: Mapping[str, object] | None = None
) -> str:
    """A core error's ``code`` in the active language, its ``params`` filled in.

    ``texts`` maps each code to a lazy translation and must hold ``"invalid"``, the sentence
    for a code it does not know; a translation that lost a placeholder is shown unfilled
    rather than failing the page.
    """
    translated = str(texts.get(code, texts["invalid"]))
    try:
        return translated % params if params else translated
    except (KeyError, TypeError, ValueError):
        return translated
