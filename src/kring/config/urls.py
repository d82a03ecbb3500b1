"""Every app brings its own pages (``<app>/urls.py``) and API router (``<app>/api.py``)."""

from django.contrib import admin
from django.urls import include, path

from kring.config.api import api
from kring.lib.unavailable import healthz

# A database that cannot be reached before any view runs (the session, the user) is a 503.
handler500 = "kring.lib.unavailable.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("import/", include("kring.imports.urls")),
    path("plan/", include("kring.planner.urls")),
    path("", include("kring.web.urls")),
    path("", include("kring.accounts.urls")),
    path("", include("kring.people.urls")),
    path("", include("kring.workspaces.urls")),
    path("", include("kring.network.urls")),
    path("", include("kring.clubs.urls")),
    path("", include("kring.teams.urls")),
]
