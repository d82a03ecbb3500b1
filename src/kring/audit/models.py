"""The audit log: who created, changed and erased what, and when.

An entry names the kind of record, its id and the fields touched, never their values, so
that erasing a person under the GDPR leaves no copy of their data behind in the log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        ERASE = "erase"
        EXPORT = "export"
        MERGE = "merge"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    entity = models.CharField(max_length=40)
    entity_id = models.BigIntegerField(null=True)
    fields = models.JSONField(default=list, blank=True)
    via = models.CharField(max_length=10, blank=True)  # web, api, cli, import, demo

    class Meta:
        indexes = [models.Index(fields=["entity", "entity_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.entity}#{self.entity_id}"
        )
