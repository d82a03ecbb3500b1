"""The pooled network: introduction paths, introductions, asks, briefs and cards."""

from __future__ import annotations

from django.urls import path

from kring.network import views

urlpatterns = [
    path("workspaces/<int:workspace_id>/paths/", views.paths_page, name="workspace_paths"),
    path("workspaces/<int:workspace_id>/shared/", views.shared_page, name="workspace_shared"),
    path(
        "workspaces/<int:workspace_id>/introductions/",
        views.introductions_page,
        name="introductions",
    ),
    path(
        "workspaces/<int:workspace_id>/introductions/ask/<int:connector_id>/<int:person_id>/",
        views.introduction_request,
        name="introduction_request",
    ),
    path(
        "workspaces/<int:workspace_id>/members/<int:member_id>/card/",
        views.member_card,
        name="member_card",
    ),
    path("workspaces/<int:workspace_id>/asks/", views.club_asks, name="club_asks"),
    path(
        "workspaces/<int:workspace_id>/brief/<int:owner_id>/<int:person_id>/",
        views.brief_page,
        name="brief",
    ),
    path("introductions/<int:introduction_id>/", views.introduction_detail, name="introduction"),
    path(
        "introductions/opt-in/<str:token>/", views.introduction_opt_in, name="introduction_opt_in"
    ),
]
