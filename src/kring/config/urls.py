from django.contrib import admin
from django.urls import include, path

from kring.api.routes import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("import/", include("kring.imports.urls")),
    path("plan/", include("kring.planner.urls")),
    path("", include("kring.web.urls")),
]
