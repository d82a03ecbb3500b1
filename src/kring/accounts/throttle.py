"""Throttling of sign-in, password reset and API-token attempts, through django-axes.

Every failed attempt counts against the account it named (when it named one) and against the
address it came from: after ``AXES_FAILURE_LIMIT`` failures within ``AXES_COOLOFF_TIME`` both
are locked for that time, and every further attempt during the lock (even with the right
password) starts the wait anew, so a guessing script gets nowhere. A failure is:

* a wrong password on the log-in page (axes sees Django's ``user_login_failed``);
* a wrong two-factor code (or recovery code) after the right password;
* a request for a password-reset mail (each one, so that nobody can flood a mailbox) and a
  reset link that does not check out (guessed or expired);
* an API request with a token that does not exist, or with a device password that is not
  the named account's;
* a single sign-on refused (an unverified address, no account); it counts per address only.

A site admin unlocks an account or an address on the lock-out page or with
``kring account unlock``; a successful sign-in or password reset clears the account's count.
"""

from __future__ import annotations

import math
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

# What the attempt was, for the audit log: set on the request by the view that reports it.
KIND_ATTRIBUTE = "kring_attempt"
SIGN_IN, RESET_REQUEST, RESET_LINK = "signin", "reset", "resetlink"
API_TOKEN, DEVICE, TWO_FACTOR = "apitoken", "device", "twofactor"
SSO = "sso"  # a single sign-on the provider vouched for that Kring refused


def mark(request: HttpRequest, kind: str) -> None:
    """Name what a failure on this request will have been, for the audit log."""
    setattr(request, KIND_ATTRIBUTE, kind)


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account an attempt named, as axes counts it: the address in lower case, so that
    "Jan@Example.be" and "jan@example.be" share one count."""
    name = (credentials or {}).get("username")
    if not isinstance(name, str) or not name.strip():
        return None
    return name.strip().lower()


def lockout_parameters(
    request: HttpRequest, credentials: dict[str, Any] | None
) -> list[str | list[str]]:
    """Count per account and per address; an attempt that names no account (an API token)
    only per address, so that anonymous failures never share one count."""
    if username_of(request, credentials):
        return ["username", "ip_address"]
    return ["ip_address"]


def wait_minutes() -> int:
    """How long a lock lasts, in whole minutes (rounded up)."""
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def wait_text() -> str:
    minutes = wait_minutes()
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)s minute.",
        "Too many failed attempts. Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The answer to a locked-out attempt (``AXES_LOCKOUT_CALLABLE``): 429 with the time to
    wait, as JSON for the API and as a page in the visitor's language otherwise."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": wait_text()}, status=429)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"minutes": wait_minutes(), "message": wait_text()},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


def is_allowed(request: HttpRequest, username: str | None = None) -> bool:
    """Whether an attempt from this request (naming ``username``, if any) may be tried."""
    return AxesProxyHandler.is_allowed(request, {"username": username})


def record_failure(request: HttpRequest, *, kind: str, username: str | None = None) -> bool:
    """Count a failed attempt that did not go through ``authenticate`` (a reset, a token);
    True when it locked the account or the address."""
    setattr(request, KIND_ATTRIBUTE, kind)
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))
