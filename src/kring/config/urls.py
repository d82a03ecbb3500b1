"""Every app brings its own pages (``<app>/urls.py``) and API router (``<app>/api.py``)."""

from django.contrib import admin
from django.urls import include, path

from kring.config.api import api

urlpatterns = [
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
