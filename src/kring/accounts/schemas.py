"""The account's API shapes."""

from __future__ import annotations

from ninja import Schema


class MeOut(Schema):
    email: str
    display_name: str
    language: str
    country: str
    time_zone: str
    weekly_budget_minutes: int
