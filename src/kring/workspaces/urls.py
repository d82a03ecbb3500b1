"""Workspaces, their members and invitations."""

from __future__ import annotations

from django.urls import path

from kring.workspaces import views

urlpatterns = [
    path("workspaces/", views.workspace_list, name="workspaces"),
    path("workspaces/<int:workspace_id>/", views.workspace_detail, name="workspace"),
    path(
        "workspaces/<int:workspace_id>/settings/",
        views.workspace_settings,
        name="workspace_settings",
    ),
    path("workspaces/<int:workspace_id>/leave/", views.workspace_leave, name="workspace_leave"),
    path(
        "workspaces/<int:workspace_id>/members/<int:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path("invite/<str:token>/", views.invitation, name="invitation"),
]
