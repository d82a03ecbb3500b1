"""Reads of the caller's own account: API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from kring.accounts.models import ApiToken, User

__all__ = ["api_tokens_of"]


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's API tokens, the newest first (only prefixes: the keys are never kept)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
