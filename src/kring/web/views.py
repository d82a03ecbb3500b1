"""The shell's own pages: the dashboard, the language switch and the web app manifest."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.actions import user_update_settings
from kring.accounts.models import Language
from kring.lib import clock
from kring.lib.views import current_user, safe_redirect
from kring.network.queries import personal_reach
from kring.people import queries
from kring.workspaces.models import Workspace
from kring.workspaces.queries import workspaces_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    now = clock.now()
    summary = queries.dashboard_summary(user, now=now)
    # An account without people gets a way in instead of empty figures: import, add someone,
    # or the clubs it belongs to already (an invitation brings a new member here first).
    groups = (
        [m.workspace for m in workspaces_for(user) if m.workspace.kind != Workspace.Kind.PERSONAL]
        if summary.people == 0
        else []
    )
    # The people counted as the reach funnel counts them (one per real person).
    known = personal_reach(user, now=now) if summary.people else 0
    return render(
        request, "web/dashboard.html", {"summary": summary, "groups": groups, "known": known}
    )


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


def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: a member can put Kring on a phone's home screen."""
    response = JsonResponse(
        {
            "name": "Kring",
            "short_name": "Kring",
            "description": _("Your network, kept warm: whom to contact this week."),
            "lang": request.LANGUAGE_CODE,
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#2f5f98",
            "icons": [
                {"src": static("kring/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("kring/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("kring/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        }
    )
    response["Content-Type"] = "application/manifest+json"
    return response
