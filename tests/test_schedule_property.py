"""The fast scheduler against plain expansion: every finding, and no other.

The oracle expands each session with dateutil.rrule, takes Danish holidays from the
`holidays` package, and computes each check day by day and week by week.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import holidays as holidays_pkg
import pytest
from dateutil.rrule import WEEKLY, rrule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from familieplan import model as m
from familieplan.checks.weekly import find_all
from familieplan.problems import Source
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import build_schedules
from familieplan.settings import DEFAULT_LOAD, CalendarSettings, LoadLimits, Settings

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DEPTS = ["jobcenter", "familie", "misbrug"]
AREAS = ["family", "employment", "education", "health"]
BASE = dt.date(2026, 1, 1)


def src(n: int) -> Source:
    return Source("plan.yaml", n, 1)


@st.composite
def cases(draw):
    counter = iter(range(1, 100000))
    start = BASE + dt.timedelta(days=draw(st.integers(0, 400)))
    end = start + dt.timedelta(days=draw(st.integers(7, 420)))

    def day_in(low: dt.date, high: dt.date) -> dt.date:
        return low + dt.timedelta(days=draw(st.integers(0, (high - low).days)))

    def minutes_time(mins: int) -> dt.time:
        return dt.time(mins // 60, mins % 60)

    people = []
    for pid in draw(st.sampled_from([["p1"], ["p1", "p2"]])):
        unavailable = ()
        if draw(st.booleans()):
            s = draw(st.integers(28, 60)) * 15
            unavailable = (m.Unavailability(source=src(next(counter)),
                                            days=tuple(draw(st.sets(st.sampled_from(DAYS), min_size=1, max_size=3))),
                                            start=minutes_time(s), end=minutes_time(s + draw(st.integers(2, 8)) * 15)),)
        load = None
        if draw(st.booleans()):
            load = LoadLimits(max_hours_per_week=float(draw(st.integers(2, 12))),
                                max_departments_per_week=draw(st.integers(1, 3)),
                                max_appointments_per_day=draw(st.integers(1, 3)),
                                min_gap_minutes=draw(st.sampled_from([0, 15, 30, 60])))
        people.append(m.Person(id=pid, name=pid, role="parent", unavailable=unavailable, load=load))
    interventions = []
    for i in range(draw(st.integers(1, 4))):
        iv_start = day_in(start, end)
        iv_end = day_in(iv_start, end)
        sessions = []
        for _ in range(draw(st.integers(0, 2))):
            s = draw(st.integers(28, 64)) * 15
            # A session's own period (second edition): inclusive, inside the intervention's.
            since = day_in(iv_start, iv_end) if draw(st.booleans()) else None
            until = day_in(since or iv_start, iv_end) if draw(st.booleans()) else None
            sessions.append(m.Session(source=src(next(counter)),
                                      days=tuple(draw(st.sets(st.sampled_from(DAYS), min_size=1, max_size=3))),
                                      start=minutes_time(s), end=minutes_time(s + draw(st.integers(2, 12)) * 15),
                                      every=draw(st.integers(1, 3)), since=since, until=until))
        appointments = []
        for _ in range(draw(st.integers(0, 2))):
            s = draw(st.integers(28, 64)) * 15
            appointments.append(m.Appointment(source=src(next(counter)), date=day_in(start, end),
                                              start=minutes_time(s), end=minutes_time(s + 60)))
        excepts = tuple(day_in(iv_start, iv_end) for _ in range(draw(st.integers(0, 3))))
        attendees = tuple(draw(st.sets(st.sampled_from([p.id for p in people]), min_size=1)))
        interventions.append(m.Intervention(
            source=src(next(counter)), id=f"i{i}", title=f"I{i}", department=draw(st.sampled_from(DEPTS)),
            area=draw(st.sampled_from(AREAS)), attendees=attendees, start=iv_start, end=iv_end,
            sessions=tuple(sessions), appointments=tuple(appointments), except_dates=excepts,
            travel_minutes=draw(st.sampled_from([0, 0, 15, 30])),
            hours_per_week=draw(st.sampled_from([None, None, 2.0, 4.5])), responsible="sb"))
    meetings = []
    for k in range(draw(st.integers(0, 2))):
        timed = draw(st.booleans())
        s = draw(st.integers(32, 60)) * 15
        meetings.append(m.Meeting(source=src(next(counter)), name=f"2026-01-0{k + 1}-m", title="M",
                                  date=day_in(start, end), start=minutes_time(s) if timed else None,
                                  end=minutes_time(s + 60) if timed else None, chair="sb",
                                  participants=tuple(m.Participant(id=p.id, present=draw(st.booleans()))
                                                     for p in people)))
    cut = day_in(start, end)
    phases = (m.Phase(id="f1", name="F1", start=start, end=cut,
                      focus=tuple(draw(st.sets(st.sampled_from(AREAS), max_size=2)))),)
    if cut < end:
        phases += (m.Phase(id="f2", name="F2", start=cut + dt.timedelta(days=1), end=end,
                           focus=tuple(draw(st.sets(st.sampled_from(AREAS), max_size=2)))),)
    info = m.CaseInfo(id="c", title="C", status="active", coordinator="sb", people=tuple(people),
                      professionals=(m.Professional(id="sb", name="SB", department="jobcenter"),))
    plan = m.Plan(title="P", start=start, end=end, phases=phases, interventions=tuple(interventions))
    case = m.Case("c", None, info, plan, meetings=tuple(meetings))  # type: ignore[arg-type]
    closed = tuple(day_in(start, end) for _ in range(draw(st.integers(0, 2))))
    workspace = Settings(load=LoadLimits(max_hours_per_week=float(draw(st.integers(2, 12))),
                                             max_departments_per_week=draw(st.integers(1, 3)),
                                             max_appointments_per_day=draw(st.integers(1, 3)),
                                             min_gap_minutes=draw(st.sampled_from([0, 15, 30, 60]))),
                           calendar=CalendarSettings(holidays="dk", closed=closed))
    window = (None, None)
    if draw(st.booleans()):
        w0 = day_in(start, end)
        window = (w0, day_in(w0, end))
    return case, workspace, window


def limit(settings_: Settings, person: m.Person, name: str):
    for layer in (person.load, settings_.load, DEFAULT_LOAD):
        if layer is not None and getattr(layer, name) is not None:
            return getattr(layer, name)


def mins(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def closed_days(settings_: Settings, start: dt.date, end: dt.date) -> set[dt.date]:
    """The workspace's closed days and the Danish holidays (from the `holidays` package)."""
    closed = set(settings_.calendar.closed)
    for year in range(start.year - 1, end.year + 2):
        closed.update(holidays_pkg.Denmark(years=year).keys())
    return closed


def session_dates(iv: m.Intervention, closed: set[dt.date], start: dt.date, end: dt.date):  # type: ignore[no-untyped-def]
    """Every date a session of the intervention takes place, by plain `dateutil.rrule`
    expansion: `every` counts from the week holding `since`, else the intervention's `from`."""
    wd = {d: i for i, d in enumerate(DAYS)}
    for session in iv.sessions:
        for day in set(session.days):
            rule = rrule(WEEKLY, interval=session.every, byweekday=wd[day],
                         dtstart=dt.datetime.combine(session.since or iv.start, dt.time()),
                         until=dt.datetime.combine(min(iv.end, session.until or iv.end), dt.time()))
            for when in rule:
                date = when.date()
                if date not in closed and date not in iv.except_dates and start <= date <= end:
                    yield date, session


def oracle(case: m.Case, settings_: Settings, window) -> dict:
    plan = case.plan
    start, end = window[0] or plan.start, window[1] or plan.end
    closed = closed_days(settings_, start, end)
    found: dict = {}
    for person in case.info.people:
        appts = []  # (date, start, end, travel, ref id, department)
        hours = []
        for iv in plan.interventions:
            if person.id not in iv.attendees:
                continue
            for date, session in session_dates(iv, closed, start, end):
                appts.append((date, mins(session.start), mins(session.end), iv.travel_minutes, iv.id, iv.department))
            for appt in iv.appointments:
                if start <= appt.date <= end:
                    appts.append((appt.date, mins(appt.start), mins(appt.end), iv.travel_minutes, iv.id, iv.department))
            if iv.hours_per_week:
                low, high = max(iv.start, start), min(iv.end, end)
                if low <= high:
                    hours.append((low, high, iv.hours_per_week, iv.id, iv.department))
        for meeting in case.meetings:
            if start <= meeting.date <= end and any(p.id == person.id and p.present for p in meeting.participants):
                appts.append((meeting.date, mins(meeting.start) if meeting.start else None,
                              mins(meeting.end) if meeting.end else None, 0, meeting.name, "jobcenter"))
        pid = person.id
        min_gap = limit(settings_, person, "min_gap_minutes")
        by_date = defaultdict(list)
        for a in appts:
            by_date[a[0]].append(a)
        pairs = defaultdict(list)
        for date, items in by_date.items():
            timed = [a for a in items if a[1] is not None]
            for i, a in enumerate(timed):
                for b in timed[i + 1:]:
                    a0, a1 = a[1] - a[3], a[2] + a[3]
                    b0, b1 = b[1] - b[3], b[2] + b[3]
                    if max(a0, b0) < min(a1, b1):
                        code = "overlap"
                    elif min_gap > 0 and max(b0 - a1, a0 - b1) < min_gap:
                        code = "short-gap"
                    else:
                        continue
                    pairs[(pid, code, frozenset((a[4], b[4])))].append(date)
        for key, dates in pairs.items():
            found[key] = (min(dates), max(dates), len(dates))
        hits = defaultdict(list)
        for slot in person.unavailable:
            for a in appts:
                if a[1] is None or DAYS[a[0].weekday()] not in slot.days:
                    continue
                if max(a[1], mins(slot.start)) < min(a[2], mins(slot.end)):
                    hits[(pid, "unavailable", frozenset((a[4],)), slot.source)].append(a[0])
        for key, dates in hits.items():
            found[key] = (min(dates), max(dates), len(dates))
        week_hours = defaultdict(float)
        week_depts = defaultdict(set)
        day = start - dt.timedelta(days=start.weekday())
        while day <= end:
            week_hours[day]  # every week of the window exists
            day += dt.timedelta(days=7)
        for a in appts:
            monday = a[0] - dt.timedelta(days=a[0].weekday())
            week_hours[monday] += (a[2] - a[1]) / 60 if a[1] is not None else 0
            week_depts[monday].add(a[5])
        for low, high, h, _, dept in hours:
            monday = low - dt.timedelta(days=low.weekday())
            while monday <= high:
                week_hours[monday] += h
                week_depts[monday].add(dept)
                monday += dt.timedelta(days=7)
        max_hours = limit(settings_, person, "max_hours_per_week")
        over = {w: round(h, 4) for w, h in week_hours.items() if round(h, 4) > max_hours}
        if over:
            found[(pid, "over-capacity")] = (frozenset(w.isocalendar()[:2] for w in over), max(over.values()))
        max_depts = limit(settings_, person, "max_departments_per_week")
        many = {w for w, ds in week_depts.items() if len(ds) > max_depts}
        if many:
            found[(pid, "too-many-departments")] = (frozenset(w.isocalendar()[:2] for w in many),)
        max_day = limit(settings_, person, "max_appointments_per_day")
        busy = [d for d, items in by_date.items() if len(items) > max_day]
        if busy:
            found[(pid, "busy-day")] = (min(busy), max(busy), len(busy))
        for iv in plan.interventions:
            if person.id not in iv.attendees:
                continue
            for phase in plan.phases:
                if not phase.focus or iv.area in phase.focus:
                    continue
                first, last = max(iv.start, phase.start, start), min(iv.end, phase.end, end)
                if first <= last:
                    # The first and last real occurrence in the phase (issue: not the edges).
                    days = [a[0] for a in appts if a[4] == iv.id and first <= a[0] <= last]
                    if days:
                        found[(pid, "off-focus", iv.id, phase.id)] = (min(days), max(days), len(days))
                    elif iv.hours_per_week:
                        found[(pid, "off-focus", iv.id, phase.id)] = (first, last, 0)
    return found


def fast(case, settings_, window) -> dict:
    found: dict = {}
    for schedule in build_schedules(case, settings_, WorkCalendar(settings_), window):
        for f in find_all(schedule):
            ids = frozenset(r.id for r in f.refs)
            if f.code in ("overlap", "short-gap"):
                found[(f.person, f.code, ids)] = (f.first, f.last, f.occurrences)
            elif f.code == "unavailable":
                found[(f.person, f.code, ids, f.detail["unavailable_source"])] = (f.first, f.last, f.occurrences)
            elif f.code == "over-capacity":
                found[(f.person, f.code)] = (frozenset(f.weeks), f.hours)
                assert f.occurrences == len(f.weeks)
            elif f.code == "too-many-departments":
                found[(f.person, f.code)] = (frozenset(f.weeks),)
            elif f.code == "busy-day":
                found[(f.person, f.code)] = (f.first, f.last, f.occurrences)
            else:
                found[(f.person, f.code, f.refs[0].id, f.detail["phase"])] = (f.first, f.last, f.occurrences)
    return found


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_fast_path_equals_rrule_expansion(data):
    case, settings_, window = data
    assert fast(case, settings_, window) == oracle(case, settings_, window)
