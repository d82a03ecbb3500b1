"""Speak the language and show the times a logged-in user chose; otherwise what the browser
asks for and the site's time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from kring.lib import clock


class UserLanguageMiddleware:
    """After LocaleMiddleware guessed from cookie and browser, a logged-in user's choice wins;
    every time a page shows is in the user's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            timezone.activate(clock.zone_of(user))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


SEEN_KEY = "kring_seen"  # in the session: when its sign-in row last had "last seen" set


class SignInSeenMiddleware:
    """Keeps "last seen" of the session's sign-in (settings' sessions list) to within
    :data:`kring.accounts.actions.SEEN_EVERY`: the time is first compared with one kept in the
    session, so most requests cost no query at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        key = request.session.session_key
        if user.is_authenticated and key:
            from kring.accounts import actions  # actions import models; middleware loads first

            now = clock.now()
            seen = request.session.get(SEEN_KEY)
            if not isinstance(seen, str) or _older(seen, now - actions.SEEN_EVERY):
                address = getattr(request, "axes_ip_address", None) or request.META.get(
                    "REMOTE_ADDR"
                )
                actions.sign_in_record(
                    user=user,
                    session_key=key,
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    ip_address=address,
                    now=now,
                )
                request.session[SEEN_KEY] = now.isoformat()
        return self.get_response(request)


def _older(stamp: str, than: dt.datetime) -> bool:
    try:
        return dt.datetime.fromisoformat(stamp) < than
    except ValueError:
        return True


# In the session: a password checked, waiting for the second factor (log-in code page).
PENDING_KEY = "kring_2fa_pending"
# In the session: signed in with the second factor (or set it up) in this session.
VERIFIED_KEY = "kring_2fa_ok"
# In the session: a club or company the user runs requires two-factor, which is not set up.
REQUIRED_KEY = "kring_2fa_required"


class TwoFactorRequiredMiddleware:
    """Sends an owner or admin of a club that requires two-factor sign-in to set it up before
    anything else (the flag is set at sign-in, so most requests cost nothing)."""

    ALLOWED = ("/settings/two-factor/", "/logout/", "/language/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and request.session.get(REQUIRED_KEY)
            and not request.session.get(VERIFIED_KEY)
            and not request.path.startswith(self.ALLOWED)
            and not request.path.startswith("/api/")
        ):
            from django.shortcuts import redirect

            return redirect("two_factor")
        return self.get_response(request)
