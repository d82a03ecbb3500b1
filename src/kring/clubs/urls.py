"""Club meetings, seating, printouts, members and the referral ledger."""

from __future__ import annotations

from django.urls import path

from kring.clubs import views

urlpatterns = [
    path("workspaces/<int:workspace_id>/meetings/", views.meetings_page, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting_page, name="meeting"),
    path("meetings/<int:meeting_id>/answer/", views.meeting_answer, name="meeting_answer"),
    path("meetings/<int:meeting_id>/seat/", views.meeting_seat, name="meeting_seat"),
    path("meetings/<int:meeting_id>/seats/<int:attendance_id>/", views.seat_move, name="seat_move"),
    path(
        "meetings/<int:meeting_id>/tables/<int:table_id>/lock/",
        views.table_lock,
        name="table_lock",
    ),
    path(
        "meetings/<int:meeting_id>/seating-progress/",
        views.seating_progress,
        name="seating_progress",
    ),
    path("meetings/<int:meeting_id>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:meeting_id>/guests/", views.guest_add, name="guest_add"),
    path(
        "meetings/<int:meeting_id>/attendance/<int:attendance_id>/",
        views.attendance_edit,
        name="attendance_edit",
    ),
    path("meetings/answer/<str:token>/", views.answer_by_link, name="answer_by_link"),
    path("meetings/<int:meeting_id>/my-table/", views.my_table, name="my_table"),
    path("meetings/<int:meeting_id>/want-to-meet/", views.want_to_meet, name="want_to_meet"),
    path(
        "meetings/<int:meeting_id>/plan.pdf",
        views.meeting_print,
        {"kind": "plan"},
        name="meeting_pdf",
    ),
    path(
        "meetings/<int:meeting_id>/cards.pdf",
        views.meeting_print,
        {"kind": "cards"},
        name="meeting_cards_pdf",
    ),
    path(
        "meetings/<int:meeting_id>/badges.pdf",
        views.meeting_print,
        {"kind": "badges"},
        name="meeting_badges_pdf",
    ),
    path("workspaces/<int:workspace_id>/members/", views.members_page, name="club_members"),
    path(
        "workspaces/<int:workspace_id>/seating-rules/<int:rule_id>/remove/",
        views.seating_rule_remove,
        name="seating_rule_remove",
    ),
    path("workspaces/<int:workspace_id>/ledger/", views.ledger_page, name="club_ledger"),
    path("referrals/<int:referral_id>/", views.referral_update, name="referral_update"),
]
