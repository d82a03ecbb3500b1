"""Errors shared by every interface (web, API, CLI)."""

from __future__ import annotations


class NotFound(Exception):
    """The record does not exist or is not the caller's: both answer alike, by design."""

    def __init__(self, entity: str, ident: object) -> None:
        super().__init__(f"{entity} {ident} not found")
        self.entity = entity
        self.ident = ident


class PermissionDenied(Exception):
    """The caller may see the record but not do this to it."""
