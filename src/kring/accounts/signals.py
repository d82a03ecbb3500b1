"""Failed and locked-out attempts go to the audit log (names of what happened, never the
password or the address: those stay in axes' own table, which the lock-out page shows); a
sign-in is noted for the sessions list in settings, a log-out forgotten."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from kring.accounts import actions
from kring.accounts.middleware import REQUIRED_KEY, SEEN_KEY
from kring.accounts.models import User
from kring.accounts.throttle import API_TOKEN, DEVICE, KIND_ATTRIBUTE, SIGN_IN, username_of
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry
from kring.lib import clock


def _account(username: str | None) -> User | None:
    if not username:
        return None
    return User.objects.filter(email__iexact=username).first()


def _via(kind: str) -> str:
    return "api" if kind in (API_TOKEN, DEVICE) else "web"


@receiver(user_login_failed, dispatch_uid="kring.accounts.audit_failure")
def audit_failure(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:  # the test client's login() and the like: no attempt from outside
        return
    kind = getattr(request, KIND_ATTRIBUTE, SIGN_IN)
    account = _account(username_of(request, credentials))
    # The entity names what failed; the id is the account it named, if it exists.
    audit_record(
        actor=None,
        action=AuditEntry.Action.CREATE,
        entity=f"failed_{kind}",
        entity_id=account.pk if account else None,
        via=_via(kind),
    )


@receiver(user_locked_out, dispatch_uid="kring.accounts.audit_lockout")
def audit_lockout(
    sender: object, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    account = _account(username)
    audit_record(
        actor=None,
        action=AuditEntry.Action.CREATE,
        entity="lockout",
        entity_id=account.pk if account else None,
        fields=["username", "ip_address"] if username else ["ip_address"],
        via=_via(getattr(request, KIND_ATTRIBUTE, SIGN_IN)),
    )


def _address(request: HttpRequest) -> str | None:
    # The address axes found (REMOTE_ADDR, or the proxy's header when configured).
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in, dispatch_uid="kring.accounts.note_sign_in")
def note_sign_in(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session") or not request.session.session_key:
        return
    now = clock.now()
    actions.sign_in_record(
        user=user,
        session_key=request.session.session_key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip_address=_address(request),
        now=now,
    )
    request.session[SEEN_KEY] = now.isoformat()


@receiver(user_logged_out, dispatch_uid="kring.accounts.forget_sign_in")
def forget_sign_in(
    sender: object, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session") and request.session.session_key:
        actions.sign_in_forget(session_key=request.session.session_key)


@receiver(user_logged_in, dispatch_uid="kring.accounts.two_factor_required")
def flag_two_factor(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if actions.two_factor_device(user) is None and actions.two_factor_required(user):
        request.session[REQUIRED_KEY] = True
