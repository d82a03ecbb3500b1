"""Writing to the audit log; called from inside other actions' transactions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models

from kring.audit.models import AuditEntry

if TYPE_CHECKING:  # for types only: every app writes the audit log, so audit imports none
    from kring.accounts.models import User


def audit_record(
    *,
    actor: User | None,
    action: str,
    instance: models.Model | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    fields: Iterable[str] = (),
    via: str = "",
) -> AuditEntry:
    if instance is not None:
        entity = instance._meta.model_name
        entity_id = instance.pk
    if entity is None:
        raise ValueError("audit_record needs an instance or an entity name")
    if len(via) > AuditEntry._meta.get_field("via").max_length:  # type: ignore[operator]
        # SQLite would store it anyway; PostgreSQL refuses it. Fail alike on both.
        raise ValueError(f"audit via {via!r} is longer than the column allows")
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        fields=sorted(set(fields)),
        via=via,
    )
