from django.contrib import admin

from kring.audit.models import AuditEntry
from kring.lib.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "entity", "entity_id", "via"]
    list_filter = ["action", "entity", "via"]
