"""Time demands on one person, as weekly progressions, one-offs and weekly hours. Pure.

A weekly session on one weekday becomes a `WeeklySlot`: the weeks it takes place in form
an arithmetic progression (first week, last week, step `every`) minus a few excluded
weeks (holidays, closed days, `except`). Two slots then collide either never or on a
progression that is computed, not enumerated, so cost does not grow with the length of
the plan. Week numbers are a global index of ISO weeks (Monday to Sunday).

Nothing here reads the clock or the disk: the window and the calendar are parameters.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from familieplan.problems import Source
from familieplan.schedule import ended
from familieplan.schedule.progression import Progression, minutes, week_date, week_index
from familieplan.settings import DEFAULT_LOAD

if TYPE_CHECKING:  # the calendar (and dateutil's holidays) only where days are counted
    from familieplan import model as m
    from familieplan.schedule.calendar import WorkCalendar
    from familieplan.settings import Settings

WEEKDAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@dataclass(frozen=True, slots=True)
class DemandRef:
    """What places a demand: an intervention or a meeting, and who answers for it."""

    kind: str  # "intervention" | "meeting"
    id: str
    title: str
    department: str | None
    responsible: str | None
    area: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class WeeklySlot:
    """One weekday of a recurring session of an intervention, for one person."""

    ref: DemandRef
    item: str  # the session within the intervention: "s0"
    weekday: int
    start: int  # minutes after midnight
    end: int
    travel: int
    weeks: Progression
    source: Source

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 60

    def date(self, week: int) -> dt.date:
        return week_date(week, self.weekday)


@dataclass(frozen=True, slots=True)
class OneOff:
    """An appointment or a meeting on one date."""

    ref: DemandRef
    item: str
    date: dt.date
    start: int | None  # None: a meeting without times
    end: int | None
    travel: int
    source: Source

    @property
    def hours(self) -> float:
        return 0.0 if self.start is None or self.end is None else (self.end - self.start) / 60


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """`hours_per_week` without fixed times: counts in every ISO week its period touches."""

    ref: DemandRef
    first_week: int
    last_week: int
    hours: float
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class Unavailable:
    index: int  # position in the person's `unavailable` list
    weekday: int
    start: int
    end: int
    reason: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class Limits:
    max_hours_per_week: float
    max_departments_per_week: int
    max_appointments_per_day: int
    min_gap_minutes: int


def effective_limits(settings: Settings, person: m.Person) -> Limits:
    """Person settings override workspace settings, which override the defaults."""
    values = {}
    for name in ("max_hours_per_week", "max_departments_per_week", "max_appointments_per_day", "min_gap_minutes"):
        value = None
        for layer in (person.load, settings.load, DEFAULT_LOAD):
            if layer is not None and getattr(layer, name) is not None:
                value = getattr(layer, name)
                break
        values[name] = value
    return Limits(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PersonSchedule:
    case_id: str
    person: m.Person
    window: tuple[dt.date, dt.date]
    limits: Limits
    slots: tuple[WeeklySlot, ...] = ()
    oneoffs: tuple[OneOff, ...] = ()
    hours: tuple[WeeklyHours, ...] = ()
    unavailable: tuple[Unavailable, ...] = ()
    interventions: tuple[m.Intervention, ...] = field(default=(), repr=False)
    phases: tuple[m.Phase, ...] = field(default=(), repr=False)
    refs: dict[str, DemandRef] = field(default_factory=dict, repr=False)
    attendance: tuple[m.Attendance, ...] = field(default=(), repr=False)  # the person's records in the window


class ClosedDays:
    """Holidays and closed days by weekday, for quick look-ups of a slot's exclusions."""

    def __init__(self, calendar: WorkCalendar, start: dt.date, end: dt.date) -> None:
        self.by_weekday: list[list[dt.date]] = [[] for _ in range(7)]
        for day in calendar.closed_days(start, end):
            self.by_weekday[day.weekday()].append(day)

    def on(self, weekday: int, start: dt.date, end: dt.date) -> list[dt.date]:
        days = self.by_weekday[weekday]
        return days[bisect.bisect_left(days, start):bisect.bisect_right(days, end)]


def _slot_weeks(weekday: int, every: int, anchor_day: dt.date, low: dt.date, high: dt.date,
                excluded_days: Iterable[dt.date]) -> Progression | None:
    """The weeks a session day takes place: the week holding `anchor_day` (the session's
    `since`, else the intervention's `from`), then every `every`-th week, on dates from
    `low` to `high` (in day numbers: day 1 was a Monday)."""
    low_day, high_day = low.toordinal(), high.toordinal()
    first_day = low_day + (weekday - (low_day - 1) % 7) % 7
    last_day = high_day - ((high_day - 1) % 7 - weekday) % 7
    if first_day > last_day:
        return None
    anchor = (anchor_day.toordinal() - 1) // 7
    first = (first_day - 1) // 7
    first += (anchor - first) % every
    last = (last_day - 1) // 7
    last -= (last - anchor) % every
    if first > last:
        return None
    excluded = frozenset(
        week for day in excluded_days
        if day.weekday() == weekday and first <= (week := week_index(day)) <= last and (week - first) % every == 0
    )
    weeks = Progression(first, last, every, excluded)
    return weeks if (last - first) // every + 1 > len(excluded) else None


def _ref_for_intervention(iv: m.Intervention) -> DemandRef:
    return DemandRef("intervention", iv.id or "", iv.title or "", iv.department, iv.responsible, iv.area, iv.source)


def _meeting_ref(meeting: m.Meeting, case: m.Case, professionals: dict[str, m.Professional]) -> DemandRef:
    lead = meeting.chair if meeting.chair in professionals else (case.info.coordinator if case.info else None)
    department = professionals[lead].department if lead in professionals else None
    return DemandRef("meeting", meeting.name, meeting.title or meeting.name, department, lead, None, meeting.source)


@dataclass
class _Demands:
    """The demands on one person being collected."""

    slots: list[WeeklySlot] = field(default_factory=list)
    oneoffs: list[OneOff] = field(default_factory=list)
    hours: list[WeeklyHours] = field(default_factory=list)
    refs: dict[str, DemandRef] = field(default_factory=dict)


class _Parts:
    """What one case's interventions and meetings ask of whoever attends them, within one
    window: made once per intervention (and meeting) and shared by its attendees'
    schedules, since a session's weeks do not depend on who attends it."""

    def __init__(self, case: m.Case, calendar: WorkCalendar, start: dt.date, end: dt.date) -> None:
        self.case = case
        self.calendar = calendar
        self.start = start
        self.end = end
        self._closed: ClosedDays | None = None
        self._interventions: dict[int, _Demands] = {}  # by id() of the (held) intervention
        self._meetings: dict[int, DemandRef] = {}
        self._professionals: dict[str, m.Professional] | None = None
        self._attended: dict[str, list[m.Meeting]] | None = None  # person id -> meetings in the window
        self._limits: Limits | None = None  # of the people without limits of their own

    def limits(self, settings: Settings, person: m.Person) -> Limits:
        if person.load is not None:
            return effective_limits(settings, person)
        if self._limits is None:
            self._limits = effective_limits(settings, person)
        return self._limits

    def intervention(self, iv: m.Intervention) -> _Demands:
        found = self._interventions.get(id(iv))
        if found is None:
            if self._closed is None:
                self._closed = ClosedDays(self.calendar, self.start, self.end)
            found = self._interventions[id(iv)] = _Demands()
            _add_intervention(found, iv, self.start, self.end, self._closed)
        return found

    def meeting_ref(self, meeting: m.Meeting) -> DemandRef:
        found = self._meetings.get(id(meeting))
        if found is None:
            if self._professionals is None:
                self._professionals = self.case.professionals_by_id()
            found = self._meetings[id(meeting)] = _meeting_ref(meeting, self.case, self._professionals)
        return found

    def meetings_of(self, person_id: str) -> list[m.Meeting]:
        """The meetings in the window the person takes part in (present), in file order."""
        if self._attended is None:
            self._attended = {}
            start, end = self.start, self.end
            for meeting in self.case.meetings:
                if meeting.date is None or not start <= meeting.date <= end:
                    continue
                for pid in dict.fromkeys(p.id for p in meeting.participants if p.present and p.id):
                    self._attended.setdefault(pid, []).append(meeting)
        return self._attended.get(person_id, [])


def _add_intervention(demands: _Demands, iv: m.Intervention, start: dt.date, end: dt.date,
                      closed: ClosedDays) -> None:
    """What an intervention asks within [start, end]: its sessions and weekly hours over
    its period, and its dated appointments; nothing on or after the day it was ended."""
    ref = _ref_for_intervention(iv)
    demands.refs[ref.id] = ref
    last = ended.last_day(iv)
    if iv.start and last:
        low, high = max(iv.start, start), min(last, end)
        _add_sessions(demands, ref, iv, low, high, closed)
        if iv.hours_per_week and low <= high:
            demands.hours.append(WeeklyHours(ref, week_index(low), week_index(high), iv.hours_per_week, low, high))
    for a_index, appt in enumerate(iv.appointments):
        if appt.date and appt.start and appt.end and start <= appt.date <= end and ended.demands_on(iv, appt.date):
            demands.oneoffs.append(OneOff(ref, f"a{a_index}", appt.date, minutes(appt.start), minutes(appt.end),
                                          iv.travel_minutes, appt.source))


def _add_sessions(demands: _Demands, ref: DemandRef, iv: m.Intervention, low: dt.date, high: dt.date,
                  closed: ClosedDays) -> None:
    """The weekly slots of an intervention's timed sessions between low and high, without
    closed days and its `except` dates."""
    assert iv.start is not None
    except_days = [d for d in iv.except_dates if low <= d <= high]
    for s_index, session in enumerate(iv.sessions):
        if session.start is None or session.end is None:
            continue
        # A session's own period narrows the intervention's; `every` counts from its start.
        s_low = max(low, session.since) if session.since else low
        s_high = min(high, session.until) if session.until else high
        anchor = session.since or iv.start
        begins, ends = minutes(session.start), minutes(session.end)
        for day in dict.fromkeys(session.days):
            weekday = WEEKDAY_INDEX[day]
            weeks = _slot_weeks(weekday, session.every, anchor, s_low, s_high,
                                [*closed.on(weekday, s_low, s_high), *except_days])
            if weeks is not None:
                demands.slots.append(WeeklySlot(ref, f"s{s_index}", weekday, begins, ends, iv.travel_minutes,
                                                weeks, session.source))


def _add_meetings(demands: _Demands, parts: _Parts, person_id: str) -> None:
    for meeting in parts.meetings_of(person_id):
        assert meeting.date is not None
        ref = parts.meeting_ref(meeting)
        demands.refs[ref.id] = ref
        timed = meeting.start is not None and meeting.end is not None  # half a time is no time
        demands.oneoffs.append(OneOff(ref, "m", meeting.date,
                                      minutes(meeting.start) if timed else None,  # type: ignore[arg-type]
                                      minutes(meeting.end) if timed else None, 0, meeting.source))  # type: ignore[arg-type]


def _unavailable(person: m.Person) -> tuple[Unavailable, ...]:
    return tuple(
        Unavailable(index, WEEKDAY_INDEX[day], minutes(slot.start), minutes(slot.end), slot.reason, slot.source)
        for index, slot in enumerate(person.unavailable) if slot.start and slot.end
        for day in dict.fromkeys(slot.days)
    )


def build_schedules(case: m.Case, settings: Settings, calendar: WorkCalendar,
                    window: tuple[dt.date | None, dt.date | None] = (None, None),
                    only_person: str | None = None) -> list[PersonSchedule]:
    """Every time demand on every person of the case's family, within the window
    (default: the plan's period). `calendar` must be the settings' calendar."""
    if case.info is None or case.plan is None:
        return []
    plan = case.plan
    start = window[0] or plan.start
    end = window[1] or plan.end
    if start is None or end is None or start > end:
        return []
    parts = _Parts(case, calendar, start, end)
    return [_person_schedule(case, settings, person, parts) for person in case.info.people
            if person.id is not None and not (only_person and person.id != only_person)]


def _person_schedule(case: m.Case, settings: Settings, person: m.Person, parts: _Parts) -> PersonSchedule:
    assert case.plan is not None and person.id is not None
    plan = case.plan
    start, end = parts.start, parts.end
    demands = _Demands()
    mine = [iv for iv in plan.interventions if person.id in iv.attendees]
    for iv in mine:
        made = parts.intervention(iv)
        demands.slots += made.slots
        demands.hours += made.hours
        demands.oneoffs += made.oneoffs
        demands.refs.update(made.refs)
    _add_meetings(demands, parts, person.id)
    return PersonSchedule(
        case_id=case.folder_id, person=person, window=(start, end),
        limits=parts.limits(settings, person), slots=tuple(demands.slots),
        oneoffs=tuple(sorted(demands.oneoffs, key=lambda o: (o.date, o.start or 0))),
        hours=tuple(demands.hours), unavailable=_unavailable(person), interventions=tuple(mine),
        phases=plan.phases, refs=demands.refs,
        attendance=tuple(a for a in case.attendance
                         if a.person == person.id and a.date is not None and start <= a.date <= end),
    )


def may_exceed(schedule: PersonSchedule) -> bool:
    """Whether any week could exceed a weekly or daily limit: every slot at most once
    a week, all weekly hours, and the busiest week (day) of one-offs."""
    limits = schedule.limits
    hours = sum((s.end - s.start) / 60 for s in schedule.slots) + sum(h.hours for h in schedule.hours)
    departments: set[str | None] = set()
    per_weekday = [0] * 7
    for slot in schedule.slots:
        departments.add(slot.ref.department)
        per_weekday[slot.weekday] += 1
    for demand in schedule.hours:
        departments.add(demand.ref.department)
    oneoff_hours: dict[int, float] = {}
    oneoff_days: dict[dt.date, int] = {}
    for oneoff in schedule.oneoffs:
        departments.add(oneoff.ref.department)
        week = (oneoff.date.toordinal() - 1) // 7
        oneoff_hours[week] = oneoff_hours.get(week, 0.0) + oneoff.hours
        oneoff_days[oneoff.date] = oneoff_days.get(oneoff.date, 0) + 1
    departments.discard(None)
    busiest_day = max((per_weekday[d.weekday()] + n for d, n in oneoff_days.items()), default=0)
    return (round(hours + max(oneoff_hours.values(), default=0.0), 4) > limits.max_hours_per_week
            or len(departments) > limits.max_departments_per_week
            or max(max(per_weekday), busiest_day) > limits.max_appointments_per_day)
