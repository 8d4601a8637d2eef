"""Pairs of one person's appointments that overlap or leave too short a gap, as tallies:
each pair of demands once, with the first and last date and the occurrences, worked out
by intersecting the two sessions' weekly progressions per weekday (sort and sweep), never
by listing dates. Pure: the load checks (`checks/weekly.py`) make findings of them."""

from __future__ import annotations

import datetime as dt
import operator

from familieplan.problems import level_of
from familieplan.schedule.demands import DemandRef, OneOff, PersonSchedule, WeeklySlot
from familieplan.schedule.findings import Finding
from familieplan.schedule.progression import intersect, week_index


class Tally:
    """Collects occurrences of one finding key into first, last, count and weekdays."""

    __slots__ = ("refs", "first", "last", "count", "weekdays", "detail")

    def __init__(self, refs: tuple[DemandRef, ...]) -> None:
        self.refs = refs
        self.first: dt.date | None = None
        self.last: dt.date | None = None
        self.count = 0
        self.weekdays: set[int] = set()
        self.detail: dict[str, object] = {}

    def add(self, first: dt.date, last: dt.date, count: int) -> None:
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)
        self.count += count
        self.weekdays.add(first.weekday())
        self.weekdays.add(last.weekday())

    def finding(self, code: str, schedule: PersonSchedule, **extra: object) -> Finding:
        assert self.first is not None and self.last is not None
        return Finding(code, level_of(code), schedule.case_id, schedule.person.id or "",
                       self.refs, self.first, self.last, self.count, weekdays=tuple(sorted(self.weekdays)),
                       detail=self.detail, **extra)  # type: ignore[arg-type]


def refs_key(*refs: DemandRef) -> tuple[DemandRef, ...]:
    if len(refs) == 2:  # the common case: two appointments
        a, b = refs
        if a.id == b.id:
            return (b,)
        return (a, b) if (a.kind, a.id) <= (b.kind, b.id) else (b, a)
    return tuple(sorted({r.id: r for r in refs}.values(), key=lambda r: (r.kind, r.id)))


Item = WeeklySlot | OneOff


def item_window(item: Item) -> tuple[int, int]:
    """The appointment widened by its travel time (one-offs here always have times)."""
    assert item.start is not None and item.end is not None
    return item.start - item.travel, item.end + item.travel


def _pair_occurrences(a: Item, b: Item) -> tuple[dt.date, dt.date, int] | None:
    """When two appointments both take place on the same day (first, last, count)."""
    if isinstance(a, WeeklySlot) and isinstance(b, WeeklySlot):
        if a.weekday != b.weekday:
            return None
        both = intersect(a.weeks, b.weeks)
        if both is None:
            return None
        return a.date(both.first_actual()), a.date(both.last_actual()), both.count
    if isinstance(a, OneOff) and isinstance(b, OneOff):
        return (a.date, a.date, 1) if a.date == b.date else None
    slot, oneoff = (a, b) if isinstance(a, WeeklySlot) else (b, a)
    assert isinstance(slot, WeeklySlot) and isinstance(oneoff, OneOff)
    if slot.weekday == oneoff.date.weekday() and slot.weeks.contains(week_index(oneoff.date)):
        return oneoff.date, oneoff.date, 1
    return None


def pair_tallies(schedule: PersonSchedule) -> dict[str, dict[tuple, Tally]]:
    """Overlaps and short gaps between two timed appointments of the person.

    Sort and sweep: per weekday, the appointments sorted by the start of their window
    (travel included); each is compared only with those that start before its end plus
    the wanted gap, so the cost grows with the collisions, not with the square of the
    appointments. Whether two of them really meet on a date is then computed from their
    week progressions (`_pair_occurrences`)."""
    min_gap = max(schedule.limits.min_gap_minutes, 0)
    found: dict[str, dict[tuple, Tally]] = {"overlap": {}, "short-gap": {}}
    by_weekday: dict[int, list[tuple[int, int, Item]]] = {}
    for slot in schedule.slots:
        by_weekday.setdefault(slot.weekday, []).append((slot.start - slot.travel, slot.end + slot.travel, slot))
    for oneoff in schedule.oneoffs:
        if oneoff.start is not None:
            assert oneoff.end is not None
            by_weekday.setdefault(oneoff.date.weekday(), []).append(
                (oneoff.start - oneoff.travel, oneoff.end + oneoff.travel, oneoff))
    for row in by_weekday.values():
        if len(row) < 2:
            continue
        row.sort(key=_first)
        for i, (_, a_end, a) in enumerate(row):
            reach = a_end + min_gap
            for j in range(i + 1, len(row)):
                b_start, _, b = row[j]
                if b_start >= reach:
                    break
                when = _pair_occurrences(a, b)
                if when is None:
                    continue
                refs = refs_key(a.ref, b.ref)
                tallies = found["overlap" if b_start < a_end else "short-gap"]
                key = tuple([r.id for r in refs])
                tally = tallies.get(key)
                if tally is None:
                    tally = tallies[key] = Tally(refs)
                tally.add(*when)
    return found


_first = operator.itemgetter(0)
