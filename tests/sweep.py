"""The moments a date test sweeps: every day of two years (2027, and the leap year 2028) at a
few hours on the local clock, and the moments where date code breaks: both clock changes in
Brussels, New Year's Eve at 23:30 and New Year's Day at 00:10, 29 February, and ISO week 53."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEARS = (2027, 2028)
HOURS = (dt.time(0, 10), dt.time(12), dt.time(23, 30))


def every_day(
    zone: ZoneInfo = BRUSSELS, hours: tuple[dt.time, ...] = HOURS
) -> Iterator[dt.datetime]:
    """Every day of :data:`YEARS` at each of ``hours`` on the clocks of ``zone``, in UTC."""
    day = dt.date(YEARS[0], 1, 1)
    while day.year <= YEARS[-1]:
        for hour in hours:
            yield dt.datetime.combine(day, hour, tzinfo=zone).astimezone(dt.UTC)
        day += dt.timedelta(days=1)


def _local(*args: int, zone: ZoneInfo = BRUSSELS, fold: int = 0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone, fold=fold).astimezone(dt.UTC)  # type: ignore[misc]


# (label, moment): a handful that whole features (the demo, the pages) are run at.
SPECIAL = [
    ("new-years-eve-2026-23:30", _local(2026, 12, 31, 23, 30)),
    ("new-year-2027-00:10", _local(2027, 1, 1, 0, 10)),
    ("week-53-monday", _local(2026, 12, 28, 9)),
    ("spring-change-01:59", _local(2027, 3, 28, 1, 59)),
    ("spring-change-03:01", _local(2027, 3, 28, 3, 1)),
    ("autumn-change-02:30-first", _local(2027, 10, 31, 2, 30)),
    ("autumn-change-02:30-second", _local(2027, 10, 31, 2, 30, fold=1)),
    ("leap-day-2028", _local(2028, 2, 29, 12)),
    ("new-years-eve-2028-23:30", _local(2028, 12, 31, 23, 30)),
    ("first-of-december", _local(2026, 12, 1, 8)),
]
