"""Reads of accounts: the user's own API tokens, and an account by its address (for the
terminal command, which acts for one)."""

from __future__ import annotations

from django.db.models import QuerySet

from kring.accounts.models import ApiToken, User

__all__ = ["any_user", "api_tokens_of", "only_user", "user_by_email"]


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
