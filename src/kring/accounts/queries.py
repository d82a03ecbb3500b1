"""Reads of accounts: the user's own API tokens, and an account by its address (for the
terminal command, which acts for one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum

from kring.accounts.models import (
    ApiToken,
    DevicePassword,
    SignIn,
    SingleSignOnIdentity,
    User,
    WorkspaceSignInPolicy,
)
from kring.workspaces.models import Workspace

__all__ = [
    "Lock",
    "any_user",
    "api_tokens_of",
    "device_passwords_of",
    "locks",
    "only_user",
    "sign_in_policy_of",
    "sign_ins_of",
    "sso_identities_of",
    "sso_only_workspaces_of",
    "user_by_email",
    "workspaces_owned_by",
]


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, the newest first (only prefixes: the keys are never kept)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def user_by_email(email: str) -> User | None:
    """The account with this e-mail address (any case), if there is one."""
    return User.objects.filter(email__iexact=email.strip()).first()


def active_user_by_id(user_id: int | str) -> User | None:
    """The account a half-finished sign-in (password checked, code still to come) belongs to,
    while it may still sign in."""
    return User.objects.filter(pk=user_id, is_active=True).first()


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


def sign_ins_of(user: User, *, now: dt.datetime) -> list[SignIn]:
    """The account's live sessions, the most recently seen first (an expired or ended
    session is left out even while its row waits to be cleared)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    alive_since = now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = SignIn.objects.filter(user=user, last_seen_at__gte=alive_since).order_by(
        "-last_seen_at", "-id"
    )
    return [row for row in rows if store.exists(row.session_key)]


def device_passwords_of(user: User) -> QuerySet[DevicePassword]:
    """The account's device passwords, the newest first (names only: the passwords are never
    kept)."""
    return DevicePassword.objects.filter(user=user).order_by("-created_at", "-id")


def sign_in_policy_of(workspace: Workspace) -> WorkspaceSignInPolicy | None:
    """The sign-in rules of a club or company (None: the defaults, nothing required)."""
    return WorkspaceSignInPolicy.objects.filter(workspace=workspace).first()


def workspaces_owned_by(user: User) -> QuerySet[Workspace]:
    """The clubs and companies the user owns (whose sign-in rules they set)."""
    from kring.workspaces.models import Membership

    return (
        Workspace.objects.filter(memberships__user=user, memberships__role=Membership.Role.OWNER)
        .exclude(kind=Workspace.Kind.PERSONAL)
        .order_by("name")
    )


def sso_only_workspaces_of(user: User) -> QuerySet[Workspace]:
    """The clubs and companies of the user whose members sign in only with single sign-on
    (none while the server offers no single sign-on, so that nobody is locked out)."""
    if not getattr(settings, "OIDC_ISSUER", ""):
        return Workspace.objects.none()
    return Workspace.objects.filter(memberships__user=user, sign_in_policy__sso_only=True).order_by(
        "name"
    )


def sso_identities_of(user: User) -> QuerySet[SingleSignOnIdentity]:
    """The account's links to the server's single sign-on provider (none while it has none)."""
    issuer = getattr(settings, "OIDC_ISSUER", "")
    if not issuer:
        return SingleSignOnIdentity.objects.none()
    return SingleSignOnIdentity.objects.filter(user=user, issuer=issuer).order_by("linked_at", "id")
