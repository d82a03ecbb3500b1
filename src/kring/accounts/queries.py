"""Reads of accounts: the user's own API tokens, and an account by its address (for the
terminal command, which acts for one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum

from kring.accounts.models import ApiToken, User

__all__ = ["Lock", "any_user", "api_tokens_of", "locks", "only_user", "user_by_email"]


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, the newest first (only prefixes: the keys are never kept)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def user_by_email(email: str) -> User | None:
    """The account with this e-mail address (any case), if there is one."""
    return User.objects.filter(email__iexact=email.strip()).first()


def only_user() -> User | None:
    """The account, when exactly one exists (a single-user install)."""
    users = list(User.objects.order_by("id")[:2])
    return users[0] if len(users) == 1 else None


def any_user() -> bool:
    """Whether any account exists yet."""
    return User.objects.exists()


@dataclass(frozen=True)
class Lock:
    """An account (``username``) or an address (``ip_address``) that may not sign in now."""

    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    until: dt.datetime


def locks(*, now: dt.datetime) -> list[Lock]:
    """The accounts and addresses locked out at ``now``: as many failures as the limit within
    the cool-off time (the site admin's lock-out page; not user data of anyone's)."""
    cool_off: dt.timedelta = settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    found = []
    for kind in ("username", "ip_address"):
        rows = (
            recent.exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by(kind)
        )
        found += [Lock(kind, row[kind], row["failures"], row["last"] + cool_off) for row in rows]
    return found
