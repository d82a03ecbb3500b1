from django.contrib.auth import views as auth_views
from django.urls import path

from kring.clubs import views as clubs
from kring.network import views as network
from kring.teams import views as teams
from kring.web.views import account, pages, people, workspaces

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("people/", people.people_list, name="people"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:person_id>/", people.person_detail, name="person"),
    path("people/<int:person_id>/edit/", people.person_edit, name="person_edit"),
    path(
        "people/<int:person_id>/relationship/", people.relationship_edit, name="relationship_edit"
    ),
    path("people/<int:person_id>/log/", people.person_log, name="person_log"),
    path("people/<int:person_id>/notes/", people.person_note, name="person_note"),
    path("people/<int:person_id>/favours/", people.person_favour, name="person_favour"),
    path("people/<int:person_id>/asks/", people.person_ask, name="person_ask"),
    path("people/<int:person_id>/share/", people.person_share, name="person_share"),
    path("people/<int:person_id>/erase/", people.person_erase, name="person_erase"),
    path("people/<int:person_id>/export.json", people.person_export, name="person_export"),
    path(
        "interactions/<int:interaction_id>/erase/",
        people.interaction_erase,
        name="interaction_erase",
    ),
    path("organisations/", pages.organisation_list, name="organisations"),
    path("organisations/new/", pages.organisation_create, name="organisation_create"),
    path("organisations/<int:organisation_id>/", pages.organisation_detail, name="organisation"),
    path(
        "organisations/<int:organisation_id>/edit/",
        pages.organisation_edit,
        name="organisation_edit",
    ),
    path("asks/", pages.asks_page, name="asks"),
    path("notes/", pages.notes_page, name="notes"),
    path("workspaces/", workspaces.workspace_list, name="workspaces"),
    path("workspaces/<int:workspace_id>/", workspaces.workspace_detail, name="workspace"),
    path(
        "workspaces/<int:workspace_id>/settings/",
        workspaces.workspace_settings,
        name="workspace_settings",
    ),
    path(
        "workspaces/<int:workspace_id>/leave/", workspaces.workspace_leave, name="workspace_leave"
    ),
    path(
        "workspaces/<int:workspace_id>/members/<int:membership_id>/role/",
        workspaces.membership_role,
        name="membership_role",
    ),
    path("workspaces/<int:workspace_id>/paths/", network.paths_page, name="workspace_paths"),
    path(
        "workspaces/<int:workspace_id>/introductions/",
        network.introductions_page,
        name="introductions",
    ),
    path(
        "workspaces/<int:workspace_id>/introductions/ask/<int:connector_id>/<int:person_id>/",
        network.introduction_request,
        name="introduction_request",
    ),
    path(
        "workspaces/<int:workspace_id>/members/<int:member_id>/card/",
        network.member_card,
        name="member_card",
    ),
    path("workspaces/<int:workspace_id>/asks/", network.club_asks, name="club_asks"),
    path("workspaces/<int:workspace_id>/meetings/", clubs.meetings_page, name="meetings"),
    path("meetings/<int:meeting_id>/", clubs.meeting_page, name="meeting"),
    path("meetings/<int:meeting_id>/answer/", clubs.meeting_answer, name="meeting_answer"),
    path("meetings/<int:meeting_id>/seat/", clubs.meeting_seat, name="meeting_seat"),
    path("meetings/<int:meeting_id>/seats/<int:attendance_id>/", clubs.seat_move, name="seat_move"),
    path(
        "meetings/<int:meeting_id>/tables/<int:table_id>/lock/",
        clubs.table_lock,
        name="table_lock",
    ),
    path(
        "meetings/<int:meeting_id>/seating-progress/",
        clubs.seating_progress,
        name="seating_progress",
    ),
    path("meetings/<int:meeting_id>/invite/", clubs.meeting_invite, name="meeting_invite"),
    path("meetings/<int:meeting_id>/guests/", clubs.guest_add, name="guest_add"),
    path(
        "meetings/<int:meeting_id>/attendance/<int:attendance_id>/",
        clubs.attendance_edit,
        name="attendance_edit",
    ),
    path("meetings/answer/<str:token>/", clubs.answer_by_link, name="answer_by_link"),
    path("meetings/<int:meeting_id>/my-table/", clubs.my_table, name="my_table"),
    path(
        "meetings/<int:meeting_id>/plan.pdf",
        clubs.meeting_print,
        {"kind": "plan"},
        name="meeting_pdf",
    ),
    path(
        "meetings/<int:meeting_id>/cards.pdf",
        clubs.meeting_print,
        {"kind": "cards"},
        name="meeting_cards_pdf",
    ),
    path(
        "meetings/<int:meeting_id>/badges.pdf",
        clubs.meeting_print,
        {"kind": "badges"},
        name="meeting_badges_pdf",
    ),
    path("workspaces/<int:workspace_id>/members/", clubs.members_page, name="club_members"),
    path(
        "workspaces/<int:workspace_id>/seating-rules/<int:rule_id>/remove/",
        clubs.seating_rule_remove,
        name="seating_rule_remove",
    ),
    path("workspaces/<int:workspace_id>/ledger/", clubs.ledger_page, name="club_ledger"),
    path("referrals/<int:referral_id>/", clubs.referral_update, name="referral_update"),
    path(
        "workspaces/<int:workspace_id>/brief/<int:owner_id>/<int:person_id>/",
        network.brief_page,
        name="brief",
    ),
    path("introductions/<int:introduction_id>/", network.introduction_detail, name="introduction"),
    path(
        "introductions/opt-in/<str:token>/", network.introduction_opt_in, name="introduction_opt_in"
    ),
    path("invite/<str:token>/", workspaces.invitation, name="invitation"),
    path("settings/", account.settings_page, name="settings"),
    path("settings/tokens/", account.token_create, name="token_create"),
    path("settings/tokens/<int:token_id>/revoke/", account.token_revoke, name="token_revoke"),
    path("settings/export.json", account.account_export, name="account_export"),
    path("settings/erase/", account.account_erase, name="account_erase"),
    path("language/", account.set_language, name="set_language"),
    path("signup/", account.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("workspaces/<int:workspace_id>/teams/", teams.teams_page, name="teams"),
    path("rotations/<int:rotation_id>/", teams.rotation_page, name="rotation"),
    path("rotations/<int:rotation_id>/teams.csv", teams.rotation_csv, name="rotation_csv"),
    path("rotations/<int:rotation_id>/delete/", teams.rotation_delete, name="rotation_delete"),
]
