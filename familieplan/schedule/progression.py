"""ISO weeks as one global index, and weekly progressions: the weeks a weekly session
takes place in, as an arithmetic progression (first, step, last) less a few excluded
weeks, and their intersection, computed, never enumerated. Pure arithmetic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from math import gcd


def week_index(day: dt.date) -> int:
    """A global ISO-week number: day 1 (0001-01-01) was a Monday."""
    return (day.toordinal() - 1) // 7


def week_date(week: int, weekday: int) -> dt.date:
    return dt.date.fromordinal(week * 7 + weekday + 1)


def week_monday(week: int) -> dt.date:
    return dt.date.fromordinal(week * 7 + 1)


def minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def lcm(a: int, b: int) -> int:
    return a * b // gcd(a, b)


@dataclass(frozen=True, slots=True)
class Progression:
    """Weeks first, first+step, ..., last, without the weeks in `excluded`."""

    first: int
    last: int
    step: int
    excluded: frozenset[int] = frozenset()

    def contains(self, week: int) -> bool:
        return (self.first <= week <= self.last and (week - self.first) % self.step == 0
                and week not in self.excluded)

    @property
    def count(self) -> int:
        return (self.last - self.first) // self.step + 1 - len(self.excluded)

    def first_actual(self) -> int:
        week = self.first
        while week in self.excluded:
            week += self.step
        return week

    def last_actual(self) -> int:
        week = self.last
        while week in self.excluded:
            week -= self.step
        return week

    def clip(self, low: int, high: int) -> Progression | None:
        """The part of the progression from week `low` to `high`."""
        first = self.first if self.first >= low else self.first + -(-(low - self.first) // self.step) * self.step
        last = min(self.last, high)
        if first > last:
            return None
        last = first + (last - first) // self.step * self.step
        excluded = frozenset(w for w in self.excluded if first <= w <= last)
        result = Progression(first, last, self.step, excluded)
        return result if result.count > 0 else None

    def weeks(self) -> Iterable[int]:
        for week in range(self.first, self.last + 1, self.step):
            if week not in self.excluded:
                yield week


def intersect(a: Progression, b: Progression) -> Progression | None:
    """The weeks in both progressions (Chinese remainder by search: steps are small)."""
    low, high = max(a.first, b.first), min(a.last, b.last)
    if low > high:
        return None
    step = lcm(a.step, b.step)
    for week in range(low, min(low + step, high + 1)):
        if (week - a.first) % a.step == 0 and (week - b.first) % b.step == 0:
            break
    else:
        return None
    last = week + (high - week) // step * step
    excluded = frozenset(w for w in a.excluded | b.excluded if week <= w <= last and (w - week) % step == 0)
    result = Progression(week, last, step, excluded)
    return result if result.count > 0 else None
