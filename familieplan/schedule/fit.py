"""Where a new weekly demand fits into the weeks of some people. Pure.

The new demand (`Demand`: sessions of a given length on `per_week` different weekdays,
every `every` weeks) is run through `build_schedules` like any intervention, so its weeks
are the same progressions check-load would see (holidays, closed days). For one run of
it (a start and an end date) this module works out, per weekday, the start times on the
15-minute grid that collide with nothing (`DayFacts`), and per set of weekdays the worst
week's hours (`hours_for`) — by intersecting progressions and week classes, never by
listing dates:

- a start time `s` overlaps an existing appointment on weekday d when their progressions
  intersect and `s` lies in an open interval computed from both times and travel; the same
  for `unavailable` (without travel) and for a short gap (a warning);
- the existing weekly hours are constant on each class of weeks (`week_classes`, with
  every exceptional week evaluated on its own), and the new demand adds `per_week`
  sessions in every week of its progression except the few weeks where a holiday or the
  edge of the run removes one; those weeks are looked at one by one.

Nothing here reads the clock or the disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from familieplan import model as m
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import WEEKDAY_INDEX, DemandRef, PersonSchedule, build_schedules
from familieplan.schedule.progression import Progression, intersect, week_index
from familieplan.schedule.weeks import WeekProfile, week_classes
from familieplan.settings import Settings

GRID = 15  # minutes
WEEKDAY_IDS = tuple(WEEKDAY_INDEX)


@dataclass(frozen=True)
class Demand:
    """The new intervention asked for: what, not when."""

    length: int  # minutes per session
    per_week: int
    every: int = 1
    days: tuple[int, ...] = (0, 1, 2, 3, 4)  # the weekdays it may use, Monday = 0
    within: tuple[int, int] = (8 * 60, 16 * 60)  # minutes after midnight
    travel: int = 0
    department: str | None = None
    area: str | None = None

    def grid(self) -> list[int]:
        """Start times on the 15-minute grid inside `within`."""
        first = -(-self.within[0] // GRID) * GRID
        return list(range(first, self.within[1] - self.length + 1, GRID))


@dataclass(frozen=True)
class Blocker:
    """Something that takes a stretch of a weekday away from the new demand."""

    person: str
    weekday: int
    start: int  # minutes, of the appointment (or the unavailable time) itself
    end: int
    ref: DemandRef | None = None  # None: the person's own unavailable time
    reason: str | None = None
    travel: int = 0


@dataclass
class DayFacts:
    """One weekday of one run: the free start times and what the others cost."""

    weekday: int
    weeks: Progression
    allowed: list[int] = field(default_factory=list)
    gaps: dict[int, frozenset[tuple[str, str]]] = field(default_factory=dict)  # start -> (person, ref id)
    blockers: list[Blocker] = field(default_factory=list)
    busy: set[str] = field(default_factory=set)  # people whose day would hold too many appointments
    departments: set[str] = field(default_factory=set)  # people whose week would hold too many departments


@dataclass(frozen=True)
class WeekLoad:
    """A person's worst week with the new demand: total hours and what is already there."""

    person: str
    hours: float  # with the new demand
    existing: float
    week: int
    refs: frozenset[str]  # ids of the demands already in that week
    limit: float

    @property
    def fits(self) -> bool:
        return round(self.hours, 4) <= self.limit


class PersonFacts:
    """One person's existing schedule, arranged for the search: appointments by weekday
    and the exact classes of weeks (every exceptional week on its own)."""

    def __init__(self, schedule: PersonSchedule) -> None:
        self.schedule = schedule
        self.id = schedule.person.id or ""
        self.limits = schedule.limits
        self.classes = sorted(week_classes(schedule), key=lambda c: c[0].first)
        self.slots: list[list] = [[] for _ in range(7)]
        self.oneoffs: list[list] = [[] for _ in range(7)]
        for slot in schedule.slots:
            self.slots[slot.weekday].append(slot)
        for oneoff in schedule.oneoffs:
            if oneoff.start is not None:
                self.oneoffs[oneoff.date.weekday()].append(oneoff)
        self._week_cache: dict[int, WeekProfile | None] = {}

    def profile(self, week: int) -> WeekProfile | None:
        if week not in self._week_cache:
            self._week_cache[week] = next((p for c, p in self.classes if c.contains(week)), None)
        return self._week_cache[week]

    def classes_between(self, low: int, high: int) -> Iterable[tuple[Progression, WeekProfile]]:
        return (c for c in self.classes if c[0].first <= high and c[0].last >= low)

    def appointments_on(self, weekday: int, weeks: Progression) -> Iterable[tuple[DemandRef, int, int, int]]:
        """(ref, start, end, travel) of the appointments on days the new demand also takes place."""
        for slot in self.slots[weekday]:
            if intersect(slot.weeks, weeks) is not None:
                yield slot.ref, slot.start, slot.end, slot.travel
        for oneoff in self.oneoffs[weekday]:
            if weeks.contains(week_index(oneoff.date)):
                yield oneoff.ref, oneoff.start, oneoff.end, oneoff.travel


def new_weeks(case: m.Case, settings: Settings, calendar: WorkCalendar, demand: Demand,
              start: dt.date, end: dt.date) -> dict[int, Progression]:
    """The weeks the new demand takes place on each of its weekdays, from `start` (which
    anchors `every`) to `end`, as build_schedules makes them for any intervention."""
    person = m.Person(id="new", name="new")
    session = m.Session(days=tuple(WEEKDAY_IDS[d] for d in demand.days), start=dt.time(0, 0),
                        end=dt.time(0, GRID), every=demand.every)
    iv = m.Intervention(id="new", title="new", attendees=("new",), start=start, end=end, sessions=(session,))
    probe = m.Case(case.folder_id, case.path, m.CaseInfo(people=(person,)),
                   m.Plan(start=start, end=end, interventions=(iv,)))
    weeks: dict[int, Progression] = {}
    for schedule in build_schedules(probe, settings, calendar, (start, end)):
        for slot in schedule.slots:
            weeks[slot.weekday] = slot.weeks
    return weeks


def _intervals(person: PersonFacts, demand: Demand, weekday: int, weeks: Progression,
               facts: DayFacts) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    """Open intervals of forbidden start times, and of start times with a short gap."""
    length, travel = demand.length, demand.travel
    gap = person.limits.min_gap_minutes
    forbidden: list[tuple[int, int]] = []
    short: list[tuple[int, int, str]] = []
    low_grid, high_grid = demand.within[0] - length, demand.within[1]
    for ref, start, end, other_travel in person.appointments_on(weekday, weeks):
        low, high = start - other_travel - travel - length, end + other_travel + travel
        forbidden.append((low, high))
        if low < high_grid and high > low_grid:
            facts.blockers.append(Blocker(person.id, weekday, start, end, ref, travel=other_travel))
        if gap > 0:
            short.append((low - gap, high + gap, ref.id))
    for busy in person.schedule.unavailable:
        if busy.weekday == weekday:
            forbidden.append((busy.start - length, busy.end))
            if busy.start - length < high_grid and busy.end > low_grid:
                facts.blockers.append(Blocker(person.id, weekday, busy.start, busy.end, reason=busy.reason))
    return forbidden, short


def _inside(value: int, intervals: Sequence[tuple[int, ...]]) -> bool:
    return any(iv[0] < value < iv[1] for iv in intervals)


def _limit_flags(person: PersonFacts, demand: Demand, weekday: int, weeks: Progression, facts: DayFacts) -> None:
    """Whether a day with the new session holds too many appointments, or a week with it
    too many departments, in any week it takes place."""
    limits = person.limits
    extra = {demand.department} if demand.department else set()
    for progression, profile in person.classes_between(weeks.first, weeks.last):
        busy = profile.per_day[weekday] + 1 > limits.max_appointments_per_day
        many = len(profile.departments | extra) > limits.max_departments_per_week
        if (busy or many) and intersect(progression, weeks) is not None:
            if busy:
                facts.busy.add(person.id)
            if many:
                facts.departments.add(person.id)


def day_facts(people: Sequence[PersonFacts], demand: Demand, weekday: int, weeks: Progression) -> DayFacts:
    """The start times on `weekday` that collide with nothing for any of the people."""
    facts = DayFacts(weekday, weeks)
    forbidden: list[tuple[int, int]] = []
    short: list[tuple[str, tuple[int, int, str]]] = []
    for person in people:
        bad, near = _intervals(person, demand, weekday, weeks, facts)
        forbidden += bad
        short += [(person.id, interval) for interval in near]
        _limit_flags(person, demand, weekday, weeks, facts)
    for start in demand.grid():
        if _inside(start, forbidden):
            continue
        facts.allowed.append(start)
        facts.gaps[start] = frozenset((pid, iv[2]) for pid, iv in short if iv[0] < start < iv[1])
    return facts


def _present(weeks: dict[int, Progression], days: Sequence[int], week: int) -> int:
    return sum(1 for d in days if weeks[d].contains(week))


_Worst = tuple[float, float, int, frozenset[str]]  # total and existing hours, the week, the demands in it
_NO_WEEK: _Worst = (-1.0, 0.0, 0, frozenset())


def hours_for(person: PersonFacts, demand: Demand, weeks: dict[int, Progression], days: Sequence[int]) -> WeekLoad:
    """The person's worst week with the new demand on `days`.

    In the weeks all the days take place the new demand adds `len(days)` sessions, and the
    existing load is constant on each class of weeks: one intersection per class. The few
    other weeks (a holiday, the first or last week of the run) are evaluated one by one."""
    session_hours = demand.length / 60
    progressions = [weeks[d] for d in days]
    odd: set[int] = set()
    for p in progressions:
        odd.update(p.excluded)
        odd.update((p.first, p.last))
    worst = _worst_regular_week(person, progressions, odd, len(days) * session_hours)
    total, existing, week, refs = _worst_odd_week(person, weeks, days, odd, session_hours, worst)
    return WeekLoad(person.id, round(max(total, 0.0), 4), existing, week, refs, person.limits.max_hours_per_week)


def _worst_regular_week(person: PersonFacts, progressions: list[Progression], odd: set[int],
                        full: float) -> _Worst:
    """The worst of the weeks all the days take place (`full`: the hours the new demand
    adds in each): one intersection per class of the person's weeks."""
    first, last = max(p.first for p in progressions), min(p.last for p in progressions)
    if first > last:
        return _NO_WEEK
    step = progressions[0].step
    regular = Progression(first, last, step, frozenset(w for w in odd if first <= w <= last
                                                       and (w - first) % step == 0))
    worst = _NO_WEEK
    if regular.count == 0:
        return worst
    for progression, profile in person.classes_between(first, last):
        both = intersect(progression, regular) if profile.hours + full > worst[0] else None
        if both is not None:
            worst = (profile.hours + full, profile.hours, both.first_actual(), profile.refs)
    return worst


def _worst_odd_week(person: PersonFacts, weeks: dict[int, Progression], days: Sequence[int], odd: set[int],
                    session_hours: float, worst: _Worst) -> _Worst:
    """The worst week so far, or one of the odd weeks (not every day takes place) when
    it is worse, each worked out exactly."""
    for week in sorted(odd):
        count = _present(weeks, days, week)
        exact = person.profile(week) if count else None
        if exact is not None and exact.hours + count * session_hours > worst[0]:
            worst = (exact.hours + count * session_hours, exact.hours, week, exact.refs)
    return worst


def off_focus_phases(phases: Sequence[m.Phase], area: str | None, start: dt.date, end: dt.date) -> list[m.Phase]:
    """The phases the new demand would run in whose focus leaves out its area."""
    if not area:
        return []
    return [p for p in phases if p.focus and area not in p.focus and p.start and p.end
            and max(p.start, start) <= min(p.end, end)]


def events(people: Sequence[PersonFacts], calendar: WorkCalendar, start: dt.date, end: dt.date) -> set[int]:
    """The weeks where something starts, ends or is exceptional for these people; between
    them their weeks repeat with a fixed period."""
    found = {week_index(start), week_index(end)}
    for person in people:
        for slot in person.schedule.slots:
            found.update((slot.weeks.first, slot.weeks.last + 1))
            found.update(slot.weeks.excluded)
        for hours in person.schedule.hours:
            found.update((hours.first_week, hours.last_week + 1))
        for oneoff in person.schedule.oneoffs:
            found.add(week_index(oneoff.date))
    found.update(week_index(day) for day in calendar.closed_days(start, end))
    return found
