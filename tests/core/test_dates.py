"""Calendar arithmetic over every day of two years, the clock changes and New Year."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kring.core import dates
from tests.sweep import AMSTERDAM, BRUSSELS, SPECIAL, every_day

DAYS = [dt.date(2027, 1, 1) + dt.timedelta(days=k) for k in range(731)]


def test_it_starts_every_week_on_a_monday_and_names_week_53():
    for day in DAYS:
        monday = dates.week_start(day)
        assert monday.weekday() == 0
        assert 0 <= (day - monday).days <= 6
        assert dates.iso_week(day) == dates.iso_week(monday)
    # 2026 has 53 ISO weeks; its last week runs into 2027.
    assert dates.iso_week(dt.date(2027, 1, 3)) == (2026, 53)
    assert dates.iso_week(dt.date(2027, 1, 4)) == (2027, 1)
    assert dates.week_start(dt.date(2027, 1, 1)) == dt.date(2026, 12, 28)


def test_it_moves_by_months_across_the_year_end():
    for day in DAYS:
        nxt = dates.add_months(day, 1)
        assert (nxt.year * 12 + nxt.month) - (day.year * 12 + day.month) == 1
        assert nxt.day == day.day or nxt.day < day.day  # clipped to the month's end
        assert dates.add_months(dates.month_start(day), -1) < dates.month_start(day)
    assert dates.add_months(dt.date(2027, 12, 17), 1) == dt.date(2028, 1, 17)
    assert dates.add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
    st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
)
def test_it_lists_each_month_once_in_order(a, b):
    start, end = min(a, b), max(a, b)
    months = list(dates.months_between(start, end))
    assert months[0] == dates.month_start(start) and months[-1] == dates.month_start(end)
    assert all(m.day == 1 for m in months)
    assert all(later == dates.add_months(earlier, 1) for earlier, later in pairwise(months))


def test_it_keeps_a_29_february_birthday_on_28_february_in_common_years():
    leapling = dt.date(1996, 2, 29)
    for day in DAYS:
        nxt = dates.next_birthday(leapling, day)
        assert day <= nxt <= day + dt.timedelta(days=366)
        assert (nxt.month, nxt.day) in ((2, 29), (2, 28))
        assert nxt.day == (29 if nxt.year == 2028 else 28)
    assert dates.birthday_in(leapling, dt.date(2027, 2, 22), dt.date(2027, 2, 28)) == dt.date(
        2027, 2, 28
    )
    assert dates.birthday_in(leapling, dt.date(2028, 2, 28), dt.date(2028, 3, 5)) == dt.date(
        2028, 2, 29
    )


def test_it_finds_birthdays_in_weeks_that_span_new_year():
    for day in DAYS:
        monday = dates.week_start(day)
        sunday = monday + dt.timedelta(days=6)
        for birthday in (dt.date(1980, 1, 1), dt.date(1980, 12, 31), dt.date(1980, 2, 29)):
            found = dates.birthday_in(birthday, monday, sunday)
            expected = [
                d
                for d in (monday + dt.timedelta(days=k) for k in range(7))
                if d == dates.birthday_in_year(birthday, d.year)
            ]
            assert found == (expected[0] if expected else None)
        upcoming = dates.upcoming_birthday(dt.date(1980, 1, 2), day, 14)
        assert upcoming is None or 0 <= (upcoming - day).days <= 14


@pytest.mark.parametrize("zone", [BRUSSELS, AMSTERDAM])
def test_it_shows_seven_in_the_evening_as_19_00_on_every_day(zone):
    for moment in every_day(zone, hours=(dt.time(12),)):
        day = moment.astimezone(zone).date()
        evening = dates.at_local_time(day, dt.time(19), zone)
        assert evening.tzinfo is dt.UTC
        assert evening.astimezone(zone).time() == dt.time(19)
        assert evening.astimezone(zone).date() == day
        # Summer time: 17:00 UTC; winter time: 18:00 UTC.
        assert evening.hour == (17 if evening.astimezone(zone).dst() else 18)


def test_it_moves_a_skipped_time_forward_and_takes_the_first_of_a_doubled_one():
    spring = dates.at_local_time(dt.date(2027, 3, 28), dt.time(2, 30), BRUSSELS)
    assert spring.astimezone(BRUSSELS).time() == dt.time(3, 30)
    autumn = dates.at_local_time(dt.date(2027, 10, 31), dt.time(2, 30), BRUSSELS)
    assert autumn == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)


def test_it_reads_the_local_day_around_midnight():
    for label, moment in SPECIAL:
        local = moment.astimezone(BRUSSELS)
        assert dates.local_date(moment, BRUSSELS) == local.date(), label
    eve = next(m for label, m in SPECIAL if label == "new-years-eve-2026-23:30")
    assert eve.date() == dt.date(2026, 12, 31) and dates.local_date(eve, BRUSSELS).day == 31
    new_year = next(m for label, m in SPECIAL if label == "new-year-2027-00:10")
    assert new_year.date() == dt.date(2026, 12, 31)  # still the old year in UTC
    assert dates.local_date(new_year, BRUSSELS) == dt.date(2027, 1, 1)
    with pytest.raises(ValueError, match="aware"):
        dates.local_date(dt.datetime(2027, 1, 1), BRUSSELS)


def test_it_names_the_nth_weekday_of_each_month():
    for year in (2026, 2027, 2028):
        for month in range(1, 13):
            third_thursday = dates.nth_weekday(year, month, 3, 3)
            assert third_thursday.weekday() == 3 and 15 <= third_thursday.day <= 21
    with pytest.raises(ValueError):
        dates.nth_weekday(2027, 2, 0, 5)


def test_the_doctests_pass():
    import doctest

    result = doctest.testmod(dates)
    assert result.attempted > 10 and result.failed == 0
