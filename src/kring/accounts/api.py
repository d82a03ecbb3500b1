"""The account in the API: who am I."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from kring.accounts import schemas as s
from kring.accounts.models import User
from kring.lib.api import api_user

me = Router(tags=["account"])


@me.get("/me", response=s.MeOut)
def get_me(request: HttpRequest) -> User:
    return api_user(request)


routers = [me]
