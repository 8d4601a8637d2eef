"""Danish public holidays and working days.

Holidays are computed, never listed per year: the Easter-based ones from
`dateutil.easter`. Great Prayer Day (store bededag) was abolished from 2024.
Constitution Day, Christmas Eve and New Year's Eve are not public holidays; a workspace
lists them under `calendar.closed` where its offices close.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING

from dateutil.easter import easter

from familieplan.settings import CalendarSettings

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan.settings import Settings


_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=256)
def danish_holidays(year: int) -> dict[dt.date, str]:
    """The official Danish public holidays of `year`, with their Danish names."""
    e = easter(year)
    days = {
        dt.date(year, 1, 1): "Nytårsdag",
        e - 3 * _DAY: "Skærtorsdag",
        e - 2 * _DAY: "Langfredag",
        e: "Påskedag",
        e + _DAY: "2. påskedag",
        e + 39 * _DAY: "Kristi himmelfartsdag",
        e + 49 * _DAY: "Pinsedag",
        e + 50 * _DAY: "2. pinsedag",
        dt.date(year, 12, 25): "Juledag",
        dt.date(year, 12, 26): "2. juledag",
    }
    if year < 2024:
        days[e + 26 * _DAY] = "Store bededag"
    return days


class WorkCalendar:
    """Which days are working days for a workspace: weekdays that are neither public
    holidays (when `holidays: dk`) nor listed under `calendar.closed`."""

    def __init__(self, settings: Settings | None = None) -> None:
        calendar = settings.calendar if settings is not None else CalendarSettings()
        self.use_holidays = calendar.holidays == "dk"
        self.closed = frozenset(calendar.closed)
        self._weekdays_closed: dict[int, tuple[dt.date, ...]] = {}  # year -> its closed weekdays, sorted

    def is_closed(self, day: dt.date) -> bool:
        """A day without sessions: a public holiday or a closed day (any weekday)."""
        return day in self.closed or (self.use_holidays and day in danish_holidays(day.year))

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.is_closed(day)

    def closed_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Holidays and closed days from start to end (inclusive), sorted."""
        days = {d for d in self.closed if start <= d <= end}
        if self.use_holidays:
            for year in range(start.year, end.year + 1):
                days.update(d for d in danish_holidays(year) if start <= d <= end)
        return sorted(days)

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day` ("within N working days")."""
        current = day
        remaining = count
        while remaining > 0:
            current += _DAY
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start):
        the weekdays of the span less its closed weekdays, counted, not walked (each year's
        closed weekdays are listed once per calendar and found by bisection)."""
        if end <= start:
            return 0
        first = start + _DAY
        closed = 0
        for year in range(first.year, end.year + 1):
            days = self._closed_weekdays(year)
            closed += bisect.bisect_right(days, end) - bisect.bisect_left(days, first)
        return _weekdays(first, end) - closed

    def _closed_weekdays(self, year: int) -> tuple[dt.date, ...]:
        found = self._weekdays_closed.get(year)
        if found is None:
            days = [d for d in self.closed_days(dt.date(year, 1, 1), dt.date(year, 12, 31)) if d.weekday() < 5]
            found = self._weekdays_closed[year] = tuple(days)
        return found


def _weekdays(first: dt.date, last: dt.date) -> int:
    """Mondays to Fridays from `first` to `last`, both included."""
    weeks, rest = divmod((last - first).days + 1, 7)
    start = first.weekday()
    return weeks * 5 + sum((start + offset) % 7 < 5 for offset in range(rest))


_CALENDARS: dict[int, tuple[Settings, WorkCalendar]] = {}


def work_calendar(settings: Settings) -> WorkCalendar:
    """One working-day calendar per settings object (made once per process, so that the
    per-case work of a command shares its memo of holidays)."""
    kept = _CALENDARS.get(id(settings))
    if kept is None or kept[0] is not settings:
        kept = _CALENDARS[id(settings)] = (settings, WorkCalendar(settings))
    return kept[1]
