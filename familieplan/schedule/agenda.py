"""One person's occurrences in a window, day by day (the family's "Din uge"): the weekly
slots and one-offs of the scheduling core, exactly those `check-load` counts, never a
second expansion of the sessions."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from familieplan.schedule.demands import DemandRef, PersonSchedule
from familieplan.schedule.progression import week_index


class Occurrence(NamedTuple):
    date: dt.date
    start: int | None  # minutes after midnight; None: a meeting without a time
    end: int | None
    ref: DemandRef
    item: str  # "s0" (a session), "a1" (an appointment), "m" (a meeting)


def occurrences(schedule: PersonSchedule, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Every occurrence on the person from `start` to `end` (inclusive), by day and time."""
    found = []
    for slot in schedule.slots:
        weeks = slot.weeks.clip(week_index(start), week_index(end))
        for week in weeks.weeks() if weeks else ():
            day = slot.date(week)
            if start <= day <= end:
                found.append(Occurrence(day, slot.start, slot.end, slot.ref, slot.item))
    found += [Occurrence(o.date, o.start, o.end, o.ref, o.item) for o in schedule.oneoffs if start <= o.date <= end]
    return sorted(found, key=lambda o: (o.date, o.start if o.start is not None else -1, o.ref.title))
