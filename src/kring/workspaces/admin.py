from django.contrib import admin
from django.http import HttpRequest

from kring.lib.admin import ReadOnlyAdmin
from kring.workspaces.models import Membership, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ["user", "role", "joined_at"]

    def has_add_permission(self, request: HttpRequest, obj: Workspace | None = None) -> bool:
        return False


@admin.register(Workspace)
class WorkspaceAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    inlines = [MembershipInline]
