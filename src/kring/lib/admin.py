"""Read-only admin pages for domain rows.

Writes to the record go through ``actions.py`` only, so the admin lets staff look and, where
an erase action exists, erase through it; it never saves a domain row itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    erase: Callable[..., None] | None = None
    erase_arg: str = ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.erase is not None and super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        assert self.erase is not None
        type(self).erase(actor=obj.owner, via="admin", **{self.erase_arg: obj})  # type: ignore[misc,attr-defined]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
