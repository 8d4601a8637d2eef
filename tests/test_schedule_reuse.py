"""The speed paths of the scheduler against its plain paths.

`build_schedules` keeps the last case's schedules (`demands._LAST`) and shares each
intervention's parts between people; `week_classes(..., only=...)` skips classes under
every limit and weeks whose upper bound is under them. Each is compared here with the
same computation made afresh (no kept schedules; every class and week worked out).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_schedule_property import cases

from familieplan import model as m
from familieplan.schedule import demands
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import Limits, PersonSchedule, build_schedules
from familieplan.schedule.weeks import WeekProfile, week_classes
from familieplan.settings import LoadLimits, Settings


def fresh(case: m.Case, settings_: Settings, window, only_person: str | None = None) -> list[PersonSchedule]:
    kept, demands._LAST = demands._LAST, None
    try:
        return build_schedules(case, settings_, WorkCalendar(settings_), window, only_person)
    finally:
        demands._LAST = kept  # the next call may find the schedules kept before this one


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases(), st.data())
def test_kept_schedules_are_those_of_the_case_settings_and_window_asked(data, draw):
    case, settings_, window = data
    assert case.plan is not None and case.plan.start is not None and case.plan.end is not None
    start, end = case.plan.start, case.plan.end
    low = start + dt.timedelta(days=draw.draw(st.integers(0, (end - start).days)))
    other_window = (low, end)
    other_settings = dataclasses.replace(settings_, load=LoadLimits(max_hours_per_week=1.0))
    other_case = dataclasses.replace(case, folder_id="other")
    calls = [(case, settings_, window, None), (case, settings_, window, "p1"), (case, settings_, other_window, None),
             (case, other_settings, window, None), (other_case, settings_, window, None), (case, settings_, window, None)]
    demands._LAST = None
    for c, s, w, person in draw.draw(st.permutations(calls)):
        assert build_schedules(c, s, WorkCalendar(s), w, person) == fresh(c, s, w, person)


def _over_weeks(classes, over) -> dict[int, tuple]:  # type: ignore[no-untyped-def]
    weeks: dict[int, WeekProfile] = {}
    for progression, profile in classes:
        for week in progression.weeks():
            assert week not in weeks  # the classes partition the weeks
            weeks[week] = profile
    return {w: (p.hours, p.departments, p.per_day, p.refs, p.day_refs) for w, p in weeks.items() if over(p)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_only_the_classes_over_a_limit_are_those_of_every_class(data):
    case, settings_, window = data
    for schedule in fresh(case, settings_, window):
        over = _over_any(schedule.limits)
        assert _over_weeks(week_classes(schedule, over, only=over), over) == _over_weeks(week_classes(schedule, over),
                                                                                         over)


def _over_any(limits: Limits):  # type: ignore[no-untyped-def]
    def over(p: WeekProfile) -> bool:
        return (p.hours > limits.max_hours_per_week or len(p.departments) > limits.max_departments_per_week
                or max(p.per_day) > limits.max_appointments_per_day)

    return over
