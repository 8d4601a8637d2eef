"""Attendance over the past part of a window, counted on the weekly progressions. Pure.

An occurrence with no record counts as attended once its date has passed (FORMAT.md,
"Attendance"); a record changes no demand. The planned occurrences of an intervention
between two dates are counted by clipping its weekly slots' progressions, never by
listing dates, and adding its one-off appointments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from familieplan.schedule.demands import DemandRef, OneOff, PersonSchedule, WeeklySlot

CANCELLED, NO_SHOW, ATTENDED = "cancelled", "no-show", "attended"
ABSENT = (CANCELLED, NO_SHOW)


@dataclass(frozen=True, slots=True)
class AttendanceTally:
    """One person's attendance of one intervention from `first` to `last` (the past part
    of the window)."""

    case: str
    person: str
    ref: DemandRef
    first: dt.date
    last: dt.date
    planned: int  # occurrences so far
    cancelled: int
    no_show: int

    @property
    def attended(self) -> int:
        return self.planned - self.cancelled - self.no_show

    @property
    def rate(self) -> float | None:
        """The share of the planned occurrences attended (None: nothing planned yet)."""
        return self.attended / self.planned if self.planned else None


ByRef = dict[str, tuple[list[WeeklySlot], list[OneOff]]]


def demands_by_ref(schedule: PersonSchedule) -> ByRef:
    """The schedule's weekly slots and one-offs by the id of what places them."""
    found: ByRef = {}
    for slot in schedule.slots:
        found.setdefault(slot.ref.id, ([], []))[0].append(slot)
    for oneoff in schedule.oneoffs:
        found.setdefault(oneoff.ref.id, ([], []))[1].append(oneoff)
    return found


def occurrences_between(schedule: PersonSchedule, ref_id: str, start: dt.date, end: dt.date,
                        by_ref: ByRef | None = None) -> tuple[dt.date, dt.date, int] | None:
    """The first and last real occurrence of a demand between two dates, and how many
    (`by_ref`: the schedule's `demands_by_ref`, for a caller that asks many times).

    Each weekly slot's progression is clipped to the weeks of its weekday's first and
    last date in the range, in day and week numbers (`Progression.clip`, written out)."""
    slots, oneoffs = (by_ref if by_ref is not None else demands_by_ref(schedule)).get(ref_id, ([], []))
    low_day, high_day = start.toordinal(), end.toordinal()
    low_weekday, high_weekday = (low_day - 1) % 7, (high_day - 1) % 7  # day 1 was a Monday
    first_day = last_day = 0
    count = 0
    for slot in slots:
        found = _slot_occurrences(slot, low_day, high_day, low_weekday, high_weekday)
        if found is None:
            continue
        first, last, n = found
        count += n
        first_day = first if not first_day or first < first_day else first_day
        last_day = last if last > last_day else last_day
    for oneoff in oneoffs:
        if start <= oneoff.date <= end:
            count += 1
            day = oneoff.date.toordinal()
            first_day = day if not first_day or day < first_day else first_day
            last_day = day if day > last_day else last_day
    return (dt.date.fromordinal(first_day), dt.date.fromordinal(last_day), count) if count else None


def _slot_occurrences(slot: WeeklySlot, low_day: int, high_day: int, low_weekday: int,
                      high_weekday: int) -> tuple[int, int, int] | None:
    """A weekly slot's first and last real occurrence (as day ordinals) between two day
    ordinals with their weekdays, and how many; None when it has none there."""
    weekday = slot.weekday
    low = (low_day + (weekday - low_weekday) % 7 - 1) // 7  # the weeks of the slot's first and
    high = (high_day - (high_weekday - weekday) % 7 - 1) // 7  # last weekday in the range
    weeks = slot.weeks
    step = weeks.step
    first = weeks.first if weeks.first >= low else weeks.first - (weeks.first - low) // step * step
    last = min(weeks.last, high)
    if first > last:
        return None
    last = first + (last - first) // step * step
    n = (last - first) // step + 1
    excluded = weeks.excluded
    if excluded:
        for week in excluded:
            if first <= week <= last:
                n -= 1
        if n <= 0:
            return None
        while first in excluded:
            first += step
        while last in excluded:
            last -= step
    return first * 7 + weekday + 1, last * 7 + weekday + 1, n


def past_part(schedule: PersonSchedule, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The part of the schedule's window up to and including `today` (None: none yet)."""
    start, end = schedule.window
    last = min(end, today)
    return (start, last) if start <= last else None


def attendance_tallies(schedule: PersonSchedule, today: dt.date, by_ref: ByRef | None = None) -> list[AttendanceTally]:
    """Per intervention the person attends: the occurrences planned in the past part of
    the window, and how many of them were cancelled or missed (no-show)."""
    past = past_part(schedule, today)
    if past is None:
        return []
    first, last = past
    absences: dict[tuple[str, str], int] = {}
    for entry in schedule.attendance:
        if entry.intervention and entry.date and first <= entry.date <= last and entry.status in ABSENT:
            key = (entry.intervention, entry.status)
            absences[key] = absences.get(key, 0) + 1
    tallies = []
    by_ref = by_ref if by_ref is not None else demands_by_ref(schedule)
    for ref in schedule.refs.values():
        if ref.kind != "intervention":
            continue
        found = occurrences_between(schedule, ref.id, first, last, by_ref)
        if found is None:
            continue
        tallies.append(AttendanceTally(schedule.case_id, schedule.person.id or "", ref, first, last, found[2],
                                       absences.get((ref.id, CANCELLED), 0), absences.get((ref.id, NO_SHOW), 0)))
    return tallies
