"""Failed and locked-out attempts go to the audit log (names of what happened, never the
password or the address: those stay in axes' own table, which the lock-out page shows)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from kring.accounts.models import User
from kring.accounts.throttle import API_TOKEN, KIND_ATTRIBUTE, SIGN_IN, username_of
from kring.audit.actions import audit_record
from kring.audit.models import AuditEntry


def _account(username: str | None) -> User | None:
    if not username:
        return None
    return User.objects.filter(email__iexact=username).first()


def _via(kind: str) -> str:
    return "api" if kind == API_TOKEN else "web"


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
