"""Rotating project teams for companies."""

from __future__ import annotations

from django.urls import path

from kring.teams import views

urlpatterns = [
    path("workspaces/<int:workspace_id>/teams/", views.teams_page, name="teams"),
    path("rotations/<int:rotation_id>/", views.rotation_page, name="rotation"),
    path("rotations/<int:rotation_id>/teams.csv", views.rotation_csv, name="rotation_csv"),
    path("rotations/<int:rotation_id>/delete/", views.rotation_delete, name="rotation_delete"),
]
