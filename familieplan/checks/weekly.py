"""The load checks: what collides on one person across departments. Each is registered
with its code and level; its docstring is the user documentation (docs/codes.md).

A finding that repeats is one finding: the same two sessions colliding every Monday for
twelve weeks are one `overlap` with its first and last date and 12 occurrences.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from familieplan import model as m
from familieplan.checks.registry import Unit, registrar
from familieplan.problems import ERROR, WARNING, level_of
from familieplan.schedule import ended
from familieplan.schedule.attendance import ByRef, demands_by_ref, occurrences_between
from familieplan.schedule.demands import DemandRef, PersonSchedule, WeeklySlot, may_exceed
from familieplan.schedule.findings import Finding
from familieplan.schedule.pairs import Item, Tally, item_window, pair_tallies, refs_key
from familieplan.schedule.progression import (
    Progression,
    week_date,
    week_monday,
)
from familieplan.schedule.weeks import WeekProfile, week_classes

# Each load check: a person's schedule -> findings.
LOAD_CHECKS: list[Unit] = []
load_check = registrar("check-load", LOAD_CHECKS)


class LoadFacts:
    """One person's schedule and what several load checks derive from it, computed once
    per schedule and shared: the pairs of appointments (overlap, short-gap) and the week
    classes that may exceed a limit (over-capacity, too-many-departments, busy-day)."""

    def __init__(self, schedule: PersonSchedule) -> None:
        self.schedule = schedule

    @functools.cached_property
    def pairs(self) -> dict[str, dict[tuple, Tally]]:
        return pair_tallies(self.schedule)

    @functools.cached_property
    def by_ref(self) -> ByRef:
        return demands_by_ref(self.schedule)

    @functools.cached_property
    def limit_classes(self) -> list[tuple[Progression, WeekProfile]]:
        """The week classes, with exact profiles wherever a class exceeds any limit."""
        return self._over_a_limit()

    def _over_a_limit(self) -> list[tuple[Progression, WeekProfile]]:
        schedule = self.schedule
        limits = schedule.limits
        if not may_exceed(schedule):
            return []

        def over_any(p: WeekProfile) -> bool:
            return (p.hours > limits.max_hours_per_week or len(p.departments) > limits.max_departments_per_week
                    or max(p.per_day) > limits.max_appointments_per_day)

        return list(week_classes(schedule, over_any, only=over_any))


def find_all(schedule: PersonSchedule, facts: LoadFacts | None = None) -> list[Finding]:
    """Every load check on one person's schedule (`facts`: its LoadFacts, when the caller
    shares them)."""
    facts = facts if facts is not None else LoadFacts(schedule)
    findings: list[Finding] = []
    for unit in LOAD_CHECKS:
        findings.extend(unit.func(facts))
    return findings


@load_check("overlap", ERROR)
def check_overlap(facts: LoadFacts) -> list[Finding]:
    """Two demands on the same person overlap in time.

    Sessions, appointments and meetings of one person may not overlap; each session is
    widened by its intervention's `travel_minutes` on both sides. Repeated collisions of
    the same two interventions are one finding with their first and last date and count.

    Failing: a course Monday to Friday 08:30–13:30 (jobcenter) and addiction treatment
    Monday, Wednesday and Friday 09:00–11:30 (misbrug) for the same mother."""
    schedule = facts.schedule
    return [t.finding("overlap", schedule) for t in facts.pairs["overlap"].values()]


@load_check("short-gap", WARNING)
def check_short_gap(facts: LoadFacts) -> list[Finding]:
    """Less than `min_gap_minutes` between two appointments on one day.

    Travel time is included (the sessions are widened by `travel_minutes`). Every two
    appointments of the day are compared, not only neighbours.

    Failing: family treatment ending 14:30 and a meeting at 14:45 with `min_gap_minutes: 30`."""
    schedule = facts.schedule
    tallies = list(facts.pairs["short-gap"].values())
    for tally in tallies:
        tally.detail = {"min_gap": schedule.limits.min_gap_minutes}
    return [t.finding("short-gap", schedule) for t in tallies]


@load_check("unavailable", ERROR)
def check_unavailable(facts: LoadFacts) -> list[Finding]:
    """A demand falls in one of the person's `unavailable` times.

    The person has said when they cannot be booked (fetching children, work). Travel time
    does not count here, only the appointment itself.

    Failing: `unavailable: [{days: [tue], from: 14:00, to: 15:00}]` and family treatment
    Tuesdays 12:30–14:30."""
    schedule = facts.schedule
    if not schedule.unavailable:
        return []
    tallies: dict[tuple, Tally] = {}
    items: list[Item] = [*schedule.slots, *(o for o in schedule.oneoffs if o.start is not None)]
    for busy in schedule.unavailable:
        for item in items:
            start, end = item_window(item)
            if max(start + item.travel, busy.start) >= min(end - item.travel, busy.end):
                continue
            when: tuple[dt.date, dt.date, int]
            if isinstance(item, WeeklySlot):
                if item.weekday != busy.weekday:
                    continue
                when = (item.date(item.weeks.first_actual()), item.date(item.weeks.last_actual()), item.weeks.count)
            else:
                if item.date.weekday() != busy.weekday:
                    continue
                when = (item.date, item.date, 1)
            tally = tallies.setdefault((item.ref.id, busy.index), Tally((item.ref,)))
            tally.detail = {"reason": busy.reason, "unavailable_source": busy.source}
            tally.add(*when)
    return [t.finding("unavailable", schedule) for t in tallies.values()]


# --- weeks and days --------------------------------------------------------------------

def _iso(week: int) -> tuple[int, int]:
    year, number, _ = week_monday(week).isocalendar()
    return year, number


def _weekly(facts: LoadFacts, code: str, over: Callable[[WeekProfile], bool],
            value: Callable[[WeekProfile], float], limit: float) -> list[Finding]:
    schedule = facts.schedule
    weeks: dict[int, WeekProfile] = {}
    for progression, profile in facts.limit_classes:
        if over(profile):
            for week in progression.weeks():
                weeks[week] = profile
    if not weeks:
        return []
    refs: dict[str, DemandRef] = {}
    for profile in weeks.values():
        for ref_id in profile.refs:
            refs[ref_id] = schedule.refs[ref_id]
    worst = max(weeks, key=lambda w: (value(weeks[w]), -w))
    start, end = schedule.window
    first = max(week_monday(min(weeks)), start)
    last = min(week_monday(max(weeks)) + dt.timedelta(days=6), end)
    return [Finding(code, level_of(code), schedule.case_id, schedule.person.id or "",
                    refs_key(*refs.values()), first, last, len(weeks),
                    weeks=tuple(_iso(w) for w in sorted(weeks)), hours=value(weeks[worst]),
                    worst_week=_iso(worst), limit=limit,
                    detail={"departments_in_worst_week": sorted(weeks[worst].departments)})]


@load_check("over-capacity", ERROR)
def check_over_capacity(facts: LoadFacts) -> list[Finding]:
    """The person's scheduled hours in an ISO week exceed `max_hours_per_week`.

    All departments' demands are added up: sessions, appointments and meetings (their
    length, without travel) and `hours_per_week` in every week its period touches. One
    finding per person lists the weeks over the limit and the worst week's hours.

    Failing: a full-time course (25 hours) on top of addiction treatment (7.5 hours) and
    family treatment (4 hours) with `max_hours_per_week: 20`."""
    schedule = facts.schedule
    limit = schedule.limits.max_hours_per_week
    return _weekly(facts, "over-capacity", lambda p: p.hours > limit, lambda p: p.hours, limit)


@load_check("too-many-departments", WARNING)
def check_departments(facts: LoadFacts) -> list[Finding]:
    """More than `max_departments_per_week` departments place demands in one ISO week.

    Each department has its own rules, people and letters; many at once is a load of its
    own, and the sign that nobody coordinates. A meeting counts for its chair's department.

    Failing: jobcenter, family centre, addiction centre and school in the same week with
    `max_departments_per_week: 3`."""
    schedule = facts.schedule
    limit = schedule.limits.max_departments_per_week
    return _weekly(facts, "too-many-departments", lambda p: len(p.departments) > limit,
                   lambda p: len(p.departments), limit)


@load_check("busy-day", WARNING)
def check_busy_day(facts: LoadFacts) -> list[Finding]:
    """More than `max_appointments_per_day` appointments on one day.

    Sessions, appointments and meetings count; `hours_per_week` does not. One finding per
    person lists how many days are too busy, from the first to the last.

    Failing: a course in the morning, a job interview at noon and family treatment in the
    afternoon with `max_appointments_per_day: 2`."""
    schedule = facts.schedule
    limit = schedule.limits.max_appointments_per_day
    days: list[dt.date] = []
    refs: dict[str, DemandRef] = {}
    counts: dict[dt.date, int] = {}
    for progression, profile in facts.limit_classes:
        for weekday, count in enumerate(profile.per_day):
            if count <= limit:
                continue
            for week in progression.weeks():
                day = week_date(week, weekday)
                days.append(day)
                counts[day] = count
            for ref_id in profile.day_refs[weekday]:
                refs[ref_id] = schedule.refs[ref_id]
    if not days:
        return []
    busiest = max(counts, key=lambda d: (counts[d], -d.toordinal()))
    return [Finding("busy-day", level_of("busy-day"), schedule.case_id, schedule.person.id or "",
                    refs_key(*refs.values()), min(days), max(days), len(days),
                    weekdays=tuple(sorted({d.weekday() for d in days})), limit=limit,
                    detail={"busiest_day": busiest, "appointments": counts[busiest]})]


# --- phases ----------------------------------------------------------------------------

@load_check("off-focus", WARNING)
def check_off_focus(facts: LoadFacts) -> list[Finding]:
    """An intervention is active in a phase whose `focus` does not include its area.

    The joint plan's phases say what comes first (structure at home before activation).
    An intervention outside the current focus competes for the family's attention; it may
    be right, but it should be a decision. Phases without `focus` are not checked.

    Failing: a bridging course (`area: education`) from March in a phase with
    `focus: [family, addiction]`."""
    schedule = facts.schedule
    findings: list[Finding] = []
    if not any(phase.focus for phase in schedule.phases):
        return findings
    for iv in schedule.interventions:
        if not iv.area or not iv.id:
            continue
        active = _active_period(iv)
        if active is None:
            continue
        for phase in schedule.phases:
            if not phase.focus or iv.area in phase.focus or phase.start is None or phase.end is None:
                continue
            finding = _off_focus_in_phase(facts, iv, phase, active)
            if finding is not None:
                findings.append(finding)
    return findings


def _active_period(iv: m.Intervention) -> tuple[dt.date, dt.date] | None:
    """An intervention's first and last day: its start and end, or else its first and
    last dated appointment (None when it has neither); an ended one's until the day before."""
    if iv.start and iv.end:
        last = ended.last_day(iv)
        return (iv.start, last) if last and iv.start <= last else None
    dates = [a.date for a in iv.appointments if a.date and ended.demands_on(iv, a.date)]
    return (min(dates), max(dates)) if dates else None


def _off_focus_in_phase(facts: LoadFacts, iv: m.Intervention, phase: m.Phase,
                        active: tuple[dt.date, dt.date]) -> Finding | None:
    """The finding for an intervention active (within the window) in a phase whose focus
    leaves out its area, when it takes place there."""
    schedule = facts.schedule
    assert iv.id is not None and phase.start is not None and phase.end is not None
    window_start, window_end = schedule.window
    first = max(active[0], phase.start, window_start)
    last = min(active[1], phase.end, window_end)
    if first > last:
        return None
    # The first and last real session or appointment, not the edges of the phase or
    # the window; weekly hours without fixed times have only their period.
    real = occurrences_between(schedule, iv.id, first, last, facts.by_ref)
    if real is not None:
        first, last, count = real
    elif iv.hours_per_week:
        count = 0
    else:
        return None
    return Finding("off-focus", level_of("off-focus"), schedule.case_id, schedule.person.id or "",
                   (schedule.refs[iv.id],), first, last, count,
                   detail={"phase": phase.id, "phase_name": phase.name, "focus": list(phase.focus), "area": iv.area})
