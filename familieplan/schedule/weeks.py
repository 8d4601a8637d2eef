"""Weekly load of one person as classes of weeks with the same profile. Pure.

Between the weeks where a demand starts or ends, the weeks repeat with a period that is
the least common multiple of the sessions' `every` (usually 1 or 2). Each residue class
of such a segment is one `Progression` with one profile. Weeks that differ from their
class — a holiday or `except` removes a session, a one-off adds an appointment — are
evaluated on their own, but a week that only loses appointments cannot exceed a limit
its class stays within, so those are evaluated only where the class is over a limit.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator

from familieplan.schedule.demands import OneOff, PersonSchedule, WeeklyHours, WeeklySlot
from familieplan.schedule.progression import Progression, lcm, week_index


class WeekProfile:
    """What one week (or a class of weeks) asks of a person: hours, departments and
    appointments per weekday; which demands are present (`refs`, and per weekday
    `day_refs`) is worked out only when a check asks (for the few weeks over a limit)."""

    __slots__ = ("hours", "departments", "per_day", "_parts", "_refs", "_day_refs")

    def __init__(self, hours: float, departments: frozenset[str], per_day: tuple[int, ...],
                 parts: tuple[list[WeeklyHours], list[WeeklySlot], list[OneOff]]) -> None:
        self.hours = hours
        self.departments = departments
        self.per_day = per_day  # appointments on each weekday, Monday first
        self._parts = parts
        self._refs: frozenset[str] | None = None
        self._day_refs: tuple[frozenset[str], ...] | None = None

    @property
    def refs(self) -> frozenset[str]:
        """The ids of the demands present in the week."""
        if self._refs is None:
            hours, slots, oneoffs = self._parts
            self._refs = frozenset([*(h.ref.id for h in hours), *(s.ref.id for s in slots),
                                    *(o.ref.id for o in oneoffs)])
        return self._refs

    @property
    def day_refs(self) -> tuple[frozenset[str], ...]:
        """The ids of the appointments per weekday, Monday first."""
        if self._day_refs is None:
            _, slots, oneoffs = self._parts
            days: list[set[str]] = [set(), set(), set(), set(), set(), set(), set()]
            for slot in slots:
                days[slot.weekday].add(slot.ref.id)
            for oneoff in oneoffs:
                days[oneoff.date.weekday()].add(oneoff.ref.id)
            self._day_refs = tuple(map(frozenset, days))
        return self._day_refs

    def __repr__(self) -> str:
        return f"WeekProfile(hours={self.hours}, departments={sorted(self.departments)}, per_day={self.per_day})"


def _profile(hours: list[WeeklyHours], slots: list[WeeklySlot], oneoffs: list[OneOff]) -> WeekProfile:
    total = 0.0
    departments: set[str | None] = set()
    per_day = [0, 0, 0, 0, 0, 0, 0]
    for demand in hours:
        total += demand.hours
        departments.add(demand.ref.department)
    for slot in slots:
        total += (slot.end - slot.start) / 60
        departments.add(slot.ref.department)
        per_day[slot.weekday] += 1
    for oneoff in oneoffs:
        total += oneoff.hours
        departments.add(oneoff.ref.department)
        per_day[oneoff.date.weekday()] += 1
    departments.discard(None)
    departments.discard("")
    return WeekProfile(round(total, 4), frozenset(departments), tuple(per_day),  # type: ignore[arg-type]
                       (hours, slots, oneoffs))


def week_classes(schedule: PersonSchedule, interesting: Callable[[WeekProfile], bool] = lambda p: True,
                 only: Callable[[WeekProfile], bool] | None = None) -> Iterator[tuple[Progression, WeekProfile]]:
    """Partition the window's weeks into progressions with one profile each.

    Weeks whose exact profile could differ from their class's are yielded on their own
    when they gain appointments, or when `interesting(class profile)` holds; otherwise
    they stay in the class, whose profile is then an upper bound for them.

    With `only` (a test that holds for a profile whenever it holds for a smaller one:
    "over a limit"), just the classes it holds for are yielded, and a week that gains
    appointments is worked out exactly only when the test holds for an upper bound of it."""
    spans = [(s.weeks.first, s.weeks.last, s.weeks.step, s) for s in schedule.slots]
    oneoff_weeks: dict[int, list[OneOff]] = {}
    for oneoff in schedule.oneoffs:
        oneoff_weeks.setdefault(week_index(oneoff.date), []).append(oneoff)
    marked = sorted(oneoff_weeks)
    edges = _segment_edges(schedule, spans)
    for seg_start, seg_end in zip(edges, edges[1:], strict=False):
        slots = [span for span in spans if span[0] <= seg_start and span[1] >= seg_end - 1]
        hours = [h for h in schedule.hours if h.first_week <= seg_start and h.last_week >= seg_end - 1]
        # The weeks of the segment with one-off appointments.
        in_segment = marked[bisect.bisect_left(marked, seg_start):bisect.bisect_left(marked, seg_end)]
        yield from _segment_classes(seg_start, seg_end, hours, slots, in_segment, oneoff_weeks,
                                    interesting, only)


_Span = tuple[int, int, int, WeeklySlot]  # a session's first and last week, its step, the session


def _segment_classes(seg_start: int, seg_end: int, hours: list[WeeklyHours], slots: list[_Span],
                     in_segment: list[int], oneoff_weeks: dict[int, list[OneOff]],
                     interesting: Callable[[WeekProfile], bool],
                     only: Callable[[WeekProfile], bool] | None) -> Iterator[tuple[Progression, WeekProfile]]:
    """The classes of one segment (weeks between two edges, where the same demands run):
    one progression per residue class, then the weeks that differ from their class."""
    for first, last, period in _residue_classes(seg_start, seg_end, _period(slots)):
        present, special = _class_members(first, period, slots, in_segment)
        profile = _profile(hours, present, [])
        hot = interesting(profile)
        if hot:
            special.update(_excluded_weeks(present, first, last, period))
        keep = hot if only is interesting else (only is None or only(profile))
        if keep and (last - first) // period + 1 > len(special):
            yield Progression(first, last, period, frozenset(special)), profile
        if special:
            yield from _special_weeks(sorted(special), profile, hours, present, oneoff_weeks, only)


def _segment_edges(schedule: PersonSchedule, spans: list[_Span]) -> list[int]:
    """The weeks of the window where a demand starts or stops (the week after its last),
    with the window's own first week and the week after its last, in order."""
    low, high = week_index(schedule.window[0]), week_index(schedule.window[1])
    bounds = {low, high + 1}
    for first, last, _, _ in spans:
        bounds.update((first, last + 1))
    for demand in schedule.hours:
        bounds.update((demand.first_week, demand.last_week + 1))
    return sorted(b for b in bounds if low <= b <= high + 1)


def _period(slots: list[_Span]) -> int:
    """After how many weeks the sessions of a segment repeat: the lcm of their steps."""
    period = 1
    for span in slots:
        if span[2] != 1:
            period = lcm(period, span[2])
    return period


def _residue_classes(seg_start: int, seg_end: int, period: int) -> Iterator[tuple[int, int, int]]:
    """The residue classes of the segment's weeks modulo the period: first week, last
    week and step of each (fewer classes than the period when the segment is shorter)."""
    for residue in range(min(period, seg_end - seg_start)):
        first = seg_start + residue
        yield first, first + (seg_end - 1 - first) // period * period, period


def _class_members(first: int, period: int, slots: list[_Span],
                   in_segment: list[int]) -> tuple[list[WeeklySlot], set[int]]:
    """The sessions present in the class that starts at `first`, and its weeks with
    one-off appointments."""
    if period == 1:
        return [span[3] for span in slots], set(in_segment)
    present = [span[3] for span in slots if (first - span[0]) % span[2] == 0]
    return present, {w for w in in_segment if (w - first) % period == 0}


def _excluded_weeks(present: list[WeeklySlot], first: int, last: int, period: int) -> Iterator[int]:
    """The weeks of the class where one of its sessions does not take place (holidays,
    `except`)."""
    return (w for s in present for w in s.weeks.excluded
            if first <= w <= last and (w - first) % period == 0)


def _special_weeks(weeks: list[int], profile: WeekProfile, hours: list[WeeklyHours], present: list[WeeklySlot],
                   oneoff_weeks: dict[int, list[OneOff]],
                   only: Callable[[WeekProfile], bool] | None) -> Iterator[tuple[Progression, WeekProfile]]:
    """The weeks of a class that differ from it, each with its exact profile."""
    for week in weeks:
        oneoffs = oneoff_weeks.get(week, [])
        if only is not None and oneoffs and not only(_upper_bound(profile, oneoffs)):
            continue
        exact = _profile(hours, [s for s in present if week not in s.weeks.excluded], oneoffs)
        if only is None or only(exact):
            yield Progression(week, week, 1), exact


def _upper_bound(profile: WeekProfile, oneoffs: list[OneOff]) -> WeekProfile:
    """At least what a week of the class asks with these appointments added (a week only
    loses the class's sessions: holidays, `except`); hours with a margin for rounding."""
    per_day = list(profile.per_day)
    departments = set(profile.departments)
    total = profile.hours + 0.001
    for oneoff in oneoffs:
        per_day[oneoff.date.weekday()] += 1
        total += oneoff.hours
        if oneoff.ref.department:
            departments.add(oneoff.ref.department)
    return WeekProfile(total, frozenset(departments), tuple(per_day), ([], [], []))


def weekly_hours(schedule: PersonSchedule) -> dict[int, float]:
    """Exact hours for every week of the window (for the overview and the chart)."""
    result: dict[int, float] = {}
    for weeks, profile in week_classes(schedule):
        for week in weeks.weeks():
            result[week] = profile.hours
    return dict(sorted(result.items()))
