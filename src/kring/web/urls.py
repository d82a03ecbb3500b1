"""The shell's pages: the dashboard and the language switch."""

from __future__ import annotations

from django.urls import path

from kring.web import views

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("", views.dashboard, name="dashboard"),
    path("language/", views.set_language, name="set_language"),
]
