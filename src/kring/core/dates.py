"""Calendar arithmetic that every part of Kring shares: weeks, months, birthdays, wall-clock
times in a time zone.

Plain functions of dates; nothing here reads the clock. ``today`` and ``now`` are always passed
in, so that a test can sweep them over every day of a year, the clock changes and New Year.

Conventions
-----------
- A week starts on Monday and is named by its ISO 8601 number (``2026-W53`` exists).
- A birthday on 29 February is kept on 28 February in common years.
- A wall-clock time that a clock change skips (02:30 on the last Sunday of March in Brussels)
  moves forward by the gap; one that happens twice (02:30 on the last Sunday of October) is
  the first of the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

__all__ = [
    "add_months",
    "at_local_time",
    "birthday_in",
    "birthday_in_year",
    "iso_week",
    "local_date",
    "month_start",
    "months_between",
    "next_birthday",
    "nth_weekday",
    "upcoming_birthday",
    "week_start",
    "year_start",
]


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week that holds ``day``.

    Examples
    --------
    >>> week_start(dt.date(2027, 1, 1)), week_start(dt.date(2026, 12, 28))
    (datetime.date(2026, 12, 28), datetime.date(2026, 12, 28))
    """
    return day - dt.timedelta(days=day.weekday())


def iso_week(day: dt.date) -> tuple[int, int]:
    """The ISO year and week number of ``day``; the year may differ from the calendar's.

    Examples
    --------
    >>> iso_week(dt.date(2027, 1, 1)), iso_week(dt.date(2024, 12, 30))
    ((2026, 53), (2025, 1))
    """
    year, week, _ = day.isocalendar()
    return year, week


def month_start(day: dt.date) -> dt.date:
    """The first day of the month that holds ``day``."""
    return day.replace(day=1)


def year_start(day: dt.date) -> dt.date:
    """1 January of the year that holds ``day``."""
    return day.replace(month=1, day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months (negative goes back), clipped to the month's last day.

    Examples
    --------
    >>> add_months(dt.date(2026, 12, 15), 1), add_months(dt.date(2027, 1, 31), 1)
    (datetime.date(2027, 1, 15), datetime.date(2027, 2, 28))
    >>> add_months(dt.date(2027, 1, 10), -13)
    datetime.date(2025, 12, 10)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, _month_length(year, month)))


def months_between(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """The first day of every month from ``start``'s month to ``end``'s, both included.

    Examples
    --------
    >>> [d.isoformat() for d in months_between(dt.date(2026, 11, 20), dt.date(2027, 1, 2))]
    ['2026-11-01', '2026-12-01', '2027-01-01']
    """
    month = month_start(start)
    last = month_start(end)
    while month <= last:
        yield month
        month = add_months(month, 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th (1-based) ``weekday`` (0 = Monday) of a month.

    Examples
    --------
    >>> nth_weekday(2026, 12, 3, 3)  # the third Thursday of December 2026
    datetime.date(2026, 12, 17)
    """
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    if day.month != month:
        raise ValueError(f"{year}-{month:02d} has no weekday {weekday} number {n}")
    return day


def birthday_in_year(birthday: dt.date, year: int) -> dt.date:
    """The day someone born on ``birthday`` celebrates in ``year``.

    Examples
    --------
    >>> birthday_in_year(dt.date(1980, 2, 29), 2027), birthday_in_year(dt.date(1980, 2, 29), 2028)
    (datetime.date(2027, 2, 28), datetime.date(2028, 2, 29))
    """
    if birthday.month == 2 and birthday.day == 29 and not _leap(year):
        return dt.date(year, 2, 28)
    return birthday.replace(year=year)


def next_birthday(birthday: dt.date, today: dt.date) -> dt.date:
    """The first celebration of ``birthday`` on or after ``today``.

    Examples
    --------
    >>> next_birthday(dt.date(1970, 1, 1), dt.date(2026, 12, 31))
    datetime.date(2027, 1, 1)
    """
    this_year = birthday_in_year(birthday, today.year)
    return this_year if this_year >= today else birthday_in_year(birthday, today.year + 1)


def upcoming_birthday(birthday: dt.date, today: dt.date, days: int) -> dt.date | None:
    """The celebration within ``days`` days from ``today`` (both ends included), or None."""
    day = next_birthday(birthday, today)
    return day if (day - today).days <= days else None


def birthday_in(birthday: dt.date, first: dt.date, last: dt.date) -> dt.date | None:
    """The celebration of ``birthday`` between ``first`` and ``last`` (both included), if any;
    the period may span New Year.

    Examples
    --------
    >>> birthday_in(dt.date(1990, 1, 2), dt.date(2026, 12, 28), dt.date(2027, 1, 3))
    datetime.date(2027, 1, 2)
    """
    day = next_birthday(birthday, first)
    return day if day <= last else None


def local_date(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The calendar day an aware ``moment`` falls on for someone in ``zone``.

    Examples
    --------
    >>> local_date(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), ZoneInfo("Europe/Brussels"))
    datetime.date(2027, 1, 1)
    """
    if moment.tzinfo is None:
        raise ValueError("local_date needs an aware datetime")
    return moment.astimezone(zone).date()


def at_local_time(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The aware moment (in UTC) when the clocks in ``zone`` show ``time`` on ``day``.

    A time the spring change skips moves forward by the gap; an autumn time that happens twice
    is the first of the two.

    Examples
    --------
    >>> brussels = ZoneInfo("Europe/Brussels")
    >>> at_local_time(dt.date(2027, 7, 15), dt.time(19), brussels).hour
    17
    >>> at_local_time(dt.date(2027, 3, 28), dt.time(2, 30), brussels).astimezone(brussels).time()
    datetime.time(3, 30)
    """
    naive = dt.datetime.combine(day, time)
    utc = naive.replace(tzinfo=zone).astimezone(dt.UTC)
    # zoneinfo reads a skipped time with the offset before the change; round-tripping through
    # UTC shows where the clocks really are then.
    return utc


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if _leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31
