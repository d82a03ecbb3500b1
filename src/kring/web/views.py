"""The shell's own pages: the dashboard and the language switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kring.accounts.actions import user_update_settings
from kring.accounts.models import Language
from kring.lib import clock
from kring.lib.views import current_user, safe_redirect
from kring.people import queries


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    summary = queries.dashboard_summary(user, now=clock.now())
    return render(request, "web/dashboard.html", {"summary": summary})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the account and in a cookie."""
    language = request.POST.get("language", "")
    response = safe_redirect(request, request.POST.get("next"), "dashboard")
    if language not in Language.values:
        return response
    if request.user.is_authenticated:
        user_update_settings(user=current_user(request), language=language, via="web")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
