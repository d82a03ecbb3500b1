"""Signing up and in, password reset, settings and API tokens."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from kring.accounts import views

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/tokens/", views.token_create, name="token_create"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("signup/finish/<str:token>/", views.signup_finish, name="signup_finish"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("login/sso/", views.SingleSignOnStartView.as_view(), name="sso_start"),
    path("login/sso/callback/", views.SingleSignOnCallbackView.as_view(), name="sso_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/locks/", views.signin_locks, name="signin_locks"),
    path("settings/security/", views.security, name="security"),
    path("settings/two-factor/", views.two_factor, name="two_factor"),
    path(
        "workspaces/<int:workspace_id>/sign-in/",
        views.workspace_sign_in,
        name="workspace_sign_in",
    ),
    path("settings/password/", views.password_change, name="password_change"),
    path("settings/sessions/<int:sign_in_id>/end/", views.sign_in_end, name="sign_in_end"),
    path("settings/devices/", views.device_password_create, name="device_password_create"),
    path(
        "settings/devices/<int:device_password_id>/revoke/",
        views.device_password_revoke,
        name="device_password_revoke",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
