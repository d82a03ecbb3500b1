"""Pages of the record: people, organisations, asks, notes and the account's GDPR pages."""

from __future__ import annotations

from django.urls import path

from kring.people import views

urlpatterns = [
    path("people/", views.people_list, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/relationship/", views.relationship_edit, name="relationship_edit"),
    path("people/<int:person_id>/log/", views.person_log, name="person_log"),
    path("people/<int:person_id>/notes/", views.person_note, name="person_note"),
    path("people/<int:person_id>/favours/", views.person_favour, name="person_favour"),
    path("people/<int:person_id>/asks/", views.person_ask, name="person_ask"),
    path("people/<int:person_id>/share/", views.person_share, name="person_share"),
    path("people/<int:person_id>/erase/", views.person_erase, name="person_erase"),
    path("people/<int:person_id>/export.json", views.person_export, name="person_export"),
    path(
        "interactions/<int:interaction_id>/erase/",
        views.interaction_erase,
        name="interaction_erase",
    ),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<int:organisation_id>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("asks/", views.asks_page, name="asks"),
    path("asks/<int:ask_id>/withdraw/", views.ask_withdraw, name="ask_withdraw"),
    path("notes/", views.notes_page, name="notes"),
    path("settings/erase/", views.account_erase, name="account_erase"),
]
