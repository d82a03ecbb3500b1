"""The account's API shapes."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from kring.accounts.models import Country, Language


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    language: str
    country: str
    time_zone: str
    weekly_budget_minutes: int
    organisation: str
    sector: str
    offer: str
    seeking: str
    ideal_customer: str


class MePatch(Schema):
    display_name: str | None = Field(None, max_length=150)
    language: Language | None = None
    country: Country | None = None
    time_zone: str | None = Field(None, description="an IANA zone, e.g. Europe/Brussels")
    weekly_budget_minutes: int | None = None
    organisation: str | None = Field(None, max_length=200)
    sector: str | None = Field(None, max_length=100)
    offer: str | None = Field(None, max_length=300)
    seeking: str | None = Field(None, max_length=300)
    ideal_customer: str | None = Field(None, max_length=300)


class TokenOut(Schema):
    id: int
    label: str
    prefix: str  # the key's first characters, to tell tokens apart
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class TokenIn(Schema):
    label: str = Field("", max_length=100)


class TokenCreatedOut(TokenOut):
    key: str  # shown this once; only its digest is kept
