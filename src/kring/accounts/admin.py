from django.contrib import admin

from kring.accounts.models import User
from kring.lib.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["email", "display_name", "language", "country", "is_staff", "date_joined"]
    search_fields = ["email", "display_name"]
    exclude = ["password"]
