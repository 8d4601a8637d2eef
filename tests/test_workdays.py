"""Danish holidays (computed) against the holidays package; working days."""

from __future__ import annotations

import datetime as dt

import holidays as holidays_pkg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from familieplan.schedule.calendar import WorkCalendar, danish_holidays
from familieplan.settings import CalendarSettings, Settings


@pytest.mark.parametrize("year", range(2020, 2036))
def test_holidays_match_independent_source(year):
    assert set(danish_holidays(year)) == set(holidays_pkg.Denmark(years=year).keys())


def test_great_prayer_day_abolished_from_2024():
    names = lambda y: set(danish_holidays(y).values())  # noqa: E731
    assert "Store bededag" in names(2023) and "Store bededag" not in names(2024)


def calendar(*closed: str) -> WorkCalendar:
    return WorkCalendar(Settings(calendar=CalendarSettings(holidays="dk",
                                                                closed=tuple(dt.date.fromisoformat(c) for c in closed))))


def test_within_three_working_days_across_easter():
    # 2026: Maundy Thursday 2 April, Good Friday 3 April, Easter Monday 6 April.
    assert calendar().add_working_days(dt.date(2026, 4, 1), 3) == dt.date(2026, 4, 9)


def test_across_christmas_and_a_closed_day():
    # 24 Dec is closed by the workspace, 25-26 Dec are holidays, 27-28 a weekend.
    cal = calendar("2025-12-24", "2025-12-31")
    assert cal.add_working_days(dt.date(2025, 12, 22), 3) == dt.date(2025, 12, 30)
    assert calendar().add_working_days(dt.date(2025, 12, 22), 3) == dt.date(2025, 12, 29)


def test_across_new_year():
    cal = calendar("2026-12-31")
    # 30 Dec 2026 is a Wednesday; 31 Dec closed, 1 Jan holiday, 2-3 Jan weekend.
    assert cal.add_working_days(dt.date(2026, 12, 30), 1) == dt.date(2027, 1, 4)
    assert cal.working_days_between(dt.date(2026, 12, 30), dt.date(2027, 1, 6)) == 3


def test_no_holidays_calendar():
    cal = WorkCalendar(Settings(calendar=CalendarSettings(holidays="none")))
    assert cal.add_working_days(dt.date(2026, 4, 1), 3) == dt.date(2026, 4, 6)


@given(start=st.dates(dt.date(2019, 1, 1), dt.date(2031, 12, 31)), days=st.integers(-30, 900),
       closed=st.lists(st.dates(dt.date(2019, 1, 1), dt.date(2032, 12, 31)), max_size=8),
       holidays=st.sampled_from(["dk", "none"]))
def test_working_days_between_counts_what_walking_the_days_counts(start, days, closed, holidays):
    """The count (weekdays less closed weekdays) against walking every day of the span."""
    cal = WorkCalendar(Settings(calendar=CalendarSettings(holidays=holidays, closed=tuple(closed))))
    end = start + dt.timedelta(days=days)
    walked = sum(cal.is_working_day(start + dt.timedelta(days=n)) for n in range(1, max(days, 0) + 1))
    assert cal.working_days_between(start, end) == walked
