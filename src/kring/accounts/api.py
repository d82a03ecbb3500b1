"""The account in the API: who am I, my settings, my API tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from kring.accounts import actions, queries
from kring.accounts import schemas as s
from kring.accounts.models import ApiToken, User
from kring.lib.api import FAILS, api_user

me = Router(tags=["account"])


def _me_out(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "country": user.country,
        "time_zone": user.time_zone,
        "weekly_budget_minutes": user.weekly_budget_minutes,
        "organisation": user.organisation,
        "sector": user.sector,
        "offer": user.offer,
        "seeking": user.seeking,
        "ideal_customer": user.ideal_customer,
    }


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "label": token.label,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
    }


@me.get("/me", response=s.MeOut)
def get_me(request: HttpRequest) -> dict[str, Any]:
    return _me_out(api_user(request))


@me.patch("/me", response={200: s.MeOut, **FAILS})
def update_me(request: HttpRequest, payload: s.MePatch) -> dict[str, Any]:
    """Change my settings: name, language, country, time zone, weekly networking time and the
    profile fellow members see. Fields left out stay as they are."""
    user = api_user(request)
    actions.user_update_settings(user=user, via="api", **payload.dict(exclude_unset=True))
    return _me_out(user)


@me.get("/me/tokens", response=list[s.TokenOut])
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    return [_token_out(t) for t in queries.api_tokens_of(api_user(request))]


@me.post("/me/tokens", response={201: s.TokenCreatedOut, **FAILS})
def create_token(request: HttpRequest, payload: s.TokenIn) -> Status:
    """A new token; its key is in this answer only."""
    token, key = actions.api_token_create(user=api_user(request), label=payload.label, via="api")
    return Status(201, {**_token_out(token), "key": key})


@me.delete("/me/tokens/{token_id}", response={204: None, **FAILS})
def revoke_token(request: HttpRequest, token_id: int) -> Status:
    """The token stops working at once (also the one this request uses)."""
    actions.api_token_revoke(user=api_user(request), token_id=token_id, via="api")
    return Status(204, None)


routers = [me]
