"""The one place Kring reads the clock, and the time zones people read times in.

Views, commands, tasks and the API take ``now = clock.now()`` once and pass it down; actions,
queries and the core never read the clock themselves (a test checks that nothing else in
``src/`` calls ``timezone.now()``, ``datetime.now()`` or ``date.today()``). Times are stored in
UTC and shown in the reader's zone: a user's own setting, or a club's for what the club prints.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import dates

__all__ = [
    "Zoned",
    "is_zone",
    "local",
    "local_date",
    "now",
    "today",
    "validate_zone",
    "zone",
    "zone_choices",
    "zone_names",
    "zone_of",
]


class Zoned(Protocol):
    """A user or a workspace: anything with a ``time_zone`` name."""

    time_zone: str


def now() -> dt.datetime:
    """The current moment, aware, in UTC."""
    return timezone.now()


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def is_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone Kring can use (``Europe/Brussels``)."""
    return name in _zone_names()


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_names() -> list[str]:
    """Every zone a person can choose, sorted (``Africa/Abidjan`` … ``Europe/Brussels`` …)."""
    return sorted(n for n in _zone_names() if "/" in n and not n.startswith(("Etc/", "SystemV/")))


def zone_choices() -> list[tuple[str, str]]:
    """The zones as (value, label) pairs for a form's select."""
    return [(name, name.replace("_", " ")) for name in zone_names()]


def validate_zone(name: str) -> None:
    """Model and form validator: refuses a name that is not an IANA time zone."""
    if not is_zone(name):
        raise ValidationError(
            _("%(zone)s is not a time zone; write it like Europe/Brussels."),
            code="time_zone",
            params={"zone": name},
        )


def zone(name: str | None = None) -> ZoneInfo:
    """The zone called ``name``; the site's default (``TIME_ZONE``) for an empty or unknown
    name, so that a bad stored value never stops a page."""
    try:
        return _zone(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return _zone(settings.TIME_ZONE)


def zone_of(owner: Zoned | object | None) -> ZoneInfo:
    """The zone a user or a workspace reads times in."""
    return zone(getattr(owner, "time_zone", None))


def local(moment: dt.datetime, where: ZoneInfo) -> dt.datetime:
    """``moment`` as the clocks in ``where`` show it."""
    return moment.astimezone(where)


def local_date(moment: dt.datetime, where: ZoneInfo) -> dt.date:
    """The calendar day ``moment`` falls on in ``where``."""
    return dates.local_date(moment, where)


def today(where: ZoneInfo, at: dt.datetime | None = None) -> dt.date:
    """The calendar day in ``where`` at ``at`` (default: now)."""
    return dates.local_date(at or now(), where)
