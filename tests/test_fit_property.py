"""`fit` against the tool's own checker as the oracle, on random plans and requests.

Each candidate pattern is written into the plan as a new intervention and the plan is
checked with `find_all` (what check-load runs): it fits when no error-level finding
involves the new intervention and each of its days takes place at least once. A brute
force over the same 15-minute grid must find exactly what `fit --limit 0` finds, with the
same warnings; with `--weeks`, no earlier start; when nothing fits, no earlier date from
which it would. The random plans' sessions have their own periods (`since`/`until`) in
about three cases of four, so both properties cover them (issue 15).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from familieplan import model as m
from familieplan.checks.weekly import find_all
from familieplan.commands.fit import fit_case
from familieplan.commands.fit_records import FitRequest
from familieplan.problems import Source
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import build_schedules
from familieplan.schedule.fit import Demand
from familieplan.schedule.progression import week_index, week_monday
from familieplan.settings import CalendarSettings, LoadLimits, Settings

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DEPTS = ["jobcenter", "familie", "misbrug", None]
AREAS = ["family", "employment", "education", None]
NEW = "ny-indsats"


def t(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


@st.composite
def fit_cases(draw, max_days: int = 200, small: bool = False):
    counter = itertools.count(1)

    def src() -> Source:
        return Source("plan.yaml", next(counter), 1)

    start = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400)))
    end = start + dt.timedelta(days=draw(st.integers(6, max_days)))

    def day_in(low: dt.date, high: dt.date) -> dt.date:
        return low + dt.timedelta(days=draw(st.integers(0, (high - low).days)))

    people = []
    for pid in draw(st.sampled_from([["p1"], ["p1", "p2"]])):
        unavailable = ()
        if draw(st.booleans()):
            s = draw(st.integers(32, 52)) * 15
            unavailable = (m.Unavailability(source=src(), days=tuple(draw(st.sets(st.sampled_from(DAYS[:6]), min_size=1))),
                                            start=t(s), end=t(s + draw(st.integers(2, 8)) * 15), reason="x"),)
        load = None
        if draw(st.booleans()):
            load = LoadLimits(max_hours_per_week=float(draw(st.integers(1, 10))),
                                max_departments_per_week=draw(st.integers(1, 3)),
                                max_appointments_per_day=draw(st.integers(1, 3)),
                                min_gap_minutes=draw(st.sampled_from([0, 15, 30, 60])))
        people.append(m.Person(id=pid, name=pid, role="parent", unavailable=unavailable, load=load))
    interventions = []
    for i in range(draw(st.integers(0, 3))):
        iv_start = day_in(start, end)
        iv_end = day_in(iv_start, end)
        sessions = []
        for _ in range(draw(st.integers(0, 2))):
            # A session's own period (second edition): inclusive, inside the intervention's;
            # `every` counts from the week holding `since`.
            since = day_in(iv_start, iv_end) if draw(st.booleans()) else None
            until = day_in(since or iv_start, iv_end) if draw(st.booleans()) else None
            s = draw(st.integers(30, 56)) * 15
            sessions.append(m.Session(
                source=src(), days=tuple(draw(st.sets(st.sampled_from(DAYS[:6]), min_size=1, max_size=3))),
                start=t(s), end=t(s + draw(st.integers(2, 10)) * 15), every=draw(st.integers(1, 3)),
                since=since, until=until))
        appointments = tuple(
            m.Appointment(source=src(), date=day_in(start, end), start=t(s := draw(st.integers(30, 56)) * 15),
                          end=t(s + 60))
            for _ in range(draw(st.integers(0, 2))))
        interventions.append(m.Intervention(
            source=src(), id=f"i{i}", title=f"I{i}", department=draw(st.sampled_from(DEPTS[:3])),
            area=draw(st.sampled_from(AREAS[:3])), responsible="sb",
            attendees=tuple(draw(st.sets(st.sampled_from([p.id for p in people]), min_size=1))),
            start=iv_start, end=iv_end, sessions=tuple(sessions), appointments=appointments,
            except_dates=tuple(day_in(iv_start, iv_end) for _ in range(draw(st.integers(0, 2)))),
            travel_minutes=draw(st.sampled_from([0, 0, 15])), hours_per_week=draw(st.sampled_from([None, None, 2.0]))))
    meetings = tuple(
        m.Meeting(source=src(), name=f"2026-01-0{k + 1}-m", title="M", date=day_in(start, end),
                  start=t(s := draw(st.integers(32, 56)) * 15), end=t(s + 60), chair="sb",
                  participants=tuple(m.Participant(id=p.id) for p in people))
        for k in range(draw(st.integers(0, 1))))
    cut = day_in(start, end)
    phases = (m.Phase(id="f1", name="F1", start=start, end=cut,
                      focus=tuple(draw(st.sets(st.sampled_from(AREAS[:3]), max_size=2)))),)
    if cut < end:
        phases += (m.Phase(id="f2", name="F2", start=cut + dt.timedelta(days=1), end=end,
                           focus=tuple(draw(st.sets(st.sampled_from(AREAS[:3]), max_size=2)))),)
    info = m.CaseInfo(id="c", title="C", status="active", coordinator="sb", people=tuple(people),
                      professionals=(m.Professional(id="sb", name="SB", department="jobcenter"),))
    plan = m.Plan(title="P", start=start, end=end, phases=phases, interventions=tuple(interventions))
    case = m.Case("c", None, info, plan, meetings=meetings)  # type: ignore[arg-type]
    workspace = Settings(load=LoadLimits(max_hours_per_week=float(draw(st.integers(2, 12))),
                                             max_departments_per_week=draw(st.integers(1, 3)),
                                             max_appointments_per_day=draw(st.integers(1, 3)),
                                             min_gap_minutes=draw(st.sampled_from([0, 15, 30]))),
                           calendar=CalendarSettings(holidays="dk", closed=(day_in(start, end),)))
    # The request: a small grid, so that brute force stays cheap.
    days = tuple(sorted(draw(st.sets(st.integers(0, 5), min_size=2, max_size=2 if small else 3))))
    length = draw(st.sampled_from([30, 60] if small else [30, 60, 90]))
    first = draw(st.integers(32, 52)) * 15
    demand = Demand(length=length, per_week=1 if small else draw(st.integers(1, 2)), every=draw(st.integers(1, 2)),
                    days=days, within=(first, first + length + (30 if small else 90)),
                    travel=draw(st.sampled_from([0, 15])), department=draw(st.sampled_from(DEPTS)),
                    area=draw(st.sampled_from(AREAS)))
    who = tuple(draw(st.sampled_from([("p1",), tuple(p.id for p in people)])))
    req_from = day_in(start, end)
    req_to = draw(st.sampled_from([None, day_in(req_from, end)]))
    return case, workspace, demand, who, req_from, req_to


def verdict(case, settings_, demand, people, days, starts, start, end):
    """Written into the plan and checked: (fits, warning codes, warning findings)."""
    sessions = tuple(m.Session(days=(DAYS[d],), start=t(s), end=t(s + demand.length), every=demand.every)
                     for d, s in zip(days, starts, strict=True))
    iv = m.Intervention(id=NEW, title="Ny", department=demand.department, area=demand.area, attendees=people,
                        start=start, end=end, sessions=sessions, travel_minutes=demand.travel)
    plan = dataclasses.replace(case.plan, interventions=case.plan.interventions + (iv,))
    new_case = dataclasses.replace(case, plan=plan)
    codes, count = set(), 0
    for pid in people:
        for schedule in build_schedules(new_case, settings_, WorkCalendar(settings_), only_person=pid):
            if {s.weekday for s in schedule.slots if s.ref.id == NEW} != set(days):
                return False, set(), 0
            for finding in find_all(schedule):
                if NEW not in {r.id for r in finding.refs}:
                    continue
                if finding.level == "error":
                    return False, set(), 0
                codes.add(finding.code)
                count += 1
    return True, codes, count


def brute_force(case, settings_, demand, people, start, end):
    grid = demand.grid()
    found = {}
    for days in itertools.combinations(demand.days, demand.per_week):
        for starts in itertools.product(grid, repeat=len(days)):
            ok, codes, count = verdict(case, settings_, demand, people, days, starts, start, end)
            if ok:
                found[(days, starts)] = (codes, count)
    return found


def window(case, req_from, req_to):
    return max(req_from, case.plan.start), min(req_to or case.plan.end, case.plan.end)


def check_fixed(data):
    case, settings_, demand, people, req_from, req_to = data
    result = fit_case(case, settings_, FitRequest(people, demand, req_from, req_from, req_to, limit=0))
    start, end = window(case, req_from, req_to)
    expected = brute_force(case, settings_, demand, people, start, end)
    got = {(p.days, p.starts): (set(p.warnings), p.warning_count) for p in result.proposals}
    assert got == expected
    assert len(result.proposals) == len(got)  # no pattern twice
    counts = [p.warning_count for p in result.proposals]
    assert counts == sorted(counts)
    assert bool(result.reasons) == (not expected)
    earliest = [r.date for r in result.reasons if r.kind == "earliest"]
    if not expected:
        assert earliest[:1] == earliest_brute(case, settings_, demand, people, start, end)


def earliest_brute(case, settings_, demand, people, start, end):
    for week in range(week_index(start) + 1, week_index(end) + 1):
        if brute_force(case, settings_, demand, people, week_monday(week), end):
            return [week_monday(week)]
    return []


def check_weeks(data, weeks):
    case, settings_, demand, people, req_from, _ = data
    result = fit_case(case, settings_, FitRequest(people, demand, req_from, req_from, None, weeks=weeks, limit=0))
    start, end = window(case, req_from, None)
    for week in range(week_index(start), week_index(end) - weeks + 2):
        run_start = max(start, week_monday(week))
        run_end = min(end, week_monday(week + weeks - 1) + dt.timedelta(days=6))
        expected = brute_force(case, settings_, demand, people, run_start, run_end)
        if expected:
            assert result.proposals, f"nothing found, but {run_start} – {run_end} fits"
            assert result.proposals[0].start == run_start
            assert {(p.days, p.starts) for p in result.proposals} == set(expected)
            return
    assert not result.proposals


PROPERTY = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=25, **PROPERTY)
@given(fit_cases())
def test_fit_equals_brute_force_quick(data):
    check_fixed(data)


@pytest.mark.slow
@settings(max_examples=300, **PROPERTY)
@given(fit_cases())
def test_fit_equals_brute_force(data):
    check_fixed(data)


@settings(max_examples=10, **PROPERTY)
@given(fit_cases(max_days=120, small=True), st.integers(1, 4))
def test_earliest_start_quick(data, weeks):
    check_weeks(data, weeks)


@pytest.mark.slow
@settings(max_examples=150, **PROPERTY)
@given(fit_cases(max_days=150, small=True), st.integers(1, 6))
def test_earliest_start(data, weeks):
    check_weeks(data, weeks)
