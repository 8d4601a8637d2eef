"""Attendance: the tallies over the past part of the window and `absence-with-cause`,
on the examples, through the CLI, and against a brute-force oracle (dateutil.rrule)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_schedule_property import DAYS, cases, closed_days, limit, mins, session_dates

from conftest import run_cli
from familieplan import api
from familieplan import model as m
from familieplan.checks.weekly import find_all
from familieplan.problems import Source
from familieplan.schedule.attendance import attendance_tallies
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import build_schedules
from familieplan.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
KARIMI = "2026-002-karimi"


def test_examples_absence_with_cause_names_both_departments():
    result = api.check_load(EXAMPLES, [KARIMI], api.LoadOptions(today=dt.date(2026, 11, 23)))
    found = [f for f in result.findings if f.code == "absence-with-cause"]
    assert [(f.first, f.level, str(f.at)) for f in found] == [
        (dt.date(2026, 3, 4), "warning", "examples/cases/2026-002-karimi/attendance.yaml:4:5"),
        (dt.date(2026, 4, 16), "warning", "examples/cases/2026-002-karimi/attendance.yaml:10:5")]
    cancelled = found[1]
    assert {c["kind"] for c in cancelled.detail["causes"]} == {"overlap", "over-capacity"}
    assert cancelled.departments == ["familie", "jobcenter"]
    # The attended entry (10 March) and the meeting are no absence.
    assert all(f.detail["status"] in ("cancelled", "no-show") for f in found)


def test_examples_absence_sentence_da_and_en(runner):
    out = run_cli(runner, ["check-load", KARIMI, "--workspace", str(EXAMPLES), "--today", "2026-11-23"]).stdout
    assert ("Afbud til Samtaler i jobcentret (Jobcentret) 16. april 2026 kl. 13 faldt sammen med "
            "Familiebehandling efter skilsmissen kl. 12.30–14.30 (Børne- og familiecentret)") in out
    assert "— mulig rimelig grund" in out
    assert "examples/cases/2026-002-karimi/attendance.yaml:10:5" in out
    en = run_cli(runner, ["check-load", KARIMI, "--workspace", str(EXAMPLES), "--today", "2026-11-23", "--lang", "en"])
    assert "No-show at Samtaler i jobcentret (Jobcentret) 4 March 2026 at 12:00 coincided with" in en.stdout
    assert "possibly a reasonable cause" in en.stdout


def test_attendance_rows_count_only_the_past(runner):
    args = ["check-load", KARIMI, "--workspace", str(EXAMPLES), "--format", "json"]
    early = json.loads(run_cli(runner, [*args, "--today", "2026-03-04"]).stdout)
    later = json.loads(run_cli(runner, [*args, "--today", "2026-04-30"]).stdout)
    before = json.loads(run_cli(runner, [*args, "--today", "2025-12-01"]).stdout)
    jobs = {r["intervention"]: r for r in early["attendance"]}["jobsamtaler"]
    assert (jobs["planned"], jobs["cancelled"], jobs["no_show"], jobs["rate"]) == (1, 0, 1, 0.0)
    jobs = {r["intervention"]: r for r in later["attendance"]}["jobsamtaler"]
    assert (jobs["planned"], jobs["cancelled"], jobs["no_show"], jobs["attended"]) == (2, 1, 1, 0)
    bridge = {r["intervention"]: r for r in early["attendance"]}["brobygning"]
    assert (bridge["from"], bridge["to"], bridge["planned"], bridge["rate"]) == ("2026-01-05", "2026-03-04", 3, 1.0)
    assert not before["attendance"]  # nothing has happened yet


def test_cases_without_attendance_file_show_no_rows():
    result = api.check_load(EXAMPLES, [], api.LoadOptions(today=dt.date(2026, 11, 23)))
    assert {t.case for t in result.attendance} == {KARIMI}


# --- the oracle ----------------------------------------------------------------------------

def expand(case: m.Case, settings_: Settings, window) -> tuple[dict, dict]:
    """Every occurrence per person, by plain expansion: (date, start, end, travel, kind,
    id, department); and each person's hours per ISO week (Monday)."""
    plan = case.plan
    start, end = window[0] or plan.start, window[1] or plan.end
    closed = closed_days(settings_, start, end)
    occurrences: dict[str, list] = {}
    week_hours: dict[str, dict] = {}
    for person in case.info.people:
        appts = []
        hours = defaultdict(float)
        for iv in plan.interventions:
            if person.id not in iv.attendees:
                continue
            for date, session in session_dates(iv, closed, start, end):
                appts.append((date, mins(session.start), mins(session.end), iv.travel_minutes,
                              "intervention", iv.id, iv.department))
            for appt in iv.appointments:
                if start <= appt.date <= end:
                    appts.append((appt.date, mins(appt.start), mins(appt.end), iv.travel_minutes,
                                  "intervention", iv.id, iv.department))
            if iv.hours_per_week:
                low, high = max(iv.start, start), min(iv.end, end)
                monday = low - dt.timedelta(days=low.weekday())
                while low <= high and monday <= high:
                    hours[monday] += iv.hours_per_week
                    monday += dt.timedelta(days=7)
        for meeting in case.meetings:
            if start <= meeting.date <= end and any(p.id == person.id and p.present for p in meeting.participants):
                appts.append((meeting.date, mins(meeting.start) if meeting.start else None,
                              mins(meeting.end) if meeting.end else None, 0, "meeting", meeting.name, "jobcenter"))
        for a in appts:
            if a[1] is not None:
                hours[a[0] - dt.timedelta(days=a[0].weekday())] += (a[2] - a[1]) / 60
        occurrences[person.id] = appts
        week_hours[person.id] = hours
    return occurrences, week_hours


def oracle(case, settings_, window, today) -> tuple[dict, dict]:
    plan = case.plan
    start, end = window[0] or plan.start, window[1] or plan.end
    occurrences, week_hours = expand(case, settings_, window)
    tallies = {}
    last = min(end, today)
    for person in case.info.people:
        pid = person.id
        entries = [e for e in case.attendance if e.person == pid and start <= e.date <= end]
        for iv in plan.interventions:
            planned = sum(1 for a in occurrences[pid] if a[5] == iv.id and a[4] == "intervention"
                          and start <= a[0] <= last)
            if person.id not in iv.attendees or planned == 0:
                continue
            mine = [e for e in entries if e.intervention == iv.id and e.date <= last]
            tallies[(pid, iv.id)] = (planned, sum(e.status == "cancelled" for e in mine),
                                     sum(e.status == "no-show" for e in mine))
    absences = {}
    for person in case.info.people:
        pid = person.id
        max_hours = limit(settings_, person, "max_hours_per_week")
        for e in case.attendance:
            if e.person != pid or e.status == "attended" or not start <= e.date <= end:
                continue
            kind, target = ("intervention", e.intervention) if e.intervention else ("meeting", e.meeting)
            day = [a for a in occurrences[pid] if a[0] == e.date]
            absent = [a for a in day if a[4] == kind and a[5] == target
                      and (e.start is None or a[1] == mins(e.start))]
            causes = set()
            for a in absent:
                for b in day:
                    if b[5] == a[5] or a[1] is None or b[1] is None:
                        continue
                    if max(a[1] - a[3], b[1] - b[3]) < min(a[2] + a[3], b[2] + b[3]):
                        causes.add(("overlap", b[5]))
                for slot in person.unavailable:
                    if a[1] is not None and DAYS[e.date.weekday()] in slot.days \
                            and max(a[1], mins(slot.start)) < min(a[2], mins(slot.end)):
                        causes.add(("unavailable", None))
            monday = e.date - dt.timedelta(days=e.date.weekday())
            if absent and round(week_hours[pid][monday], 4) > max_hours:
                causes.add(("over-capacity", None))
            if causes:
                absences[e.source] = frozenset(causes)
    return tallies, absences


def fast(case, settings_, window, today) -> tuple[dict, dict]:
    tallies, absences = {}, {}
    for schedule in build_schedules(case, settings_, WorkCalendar(settings_), window):
        for t in attendance_tallies(schedule, today):
            tallies[(t.person, t.ref.id)] = (t.planned, t.cancelled, t.no_show)
            assert t.rate == (t.planned - t.cancelled - t.no_show) / t.planned
        for f in find_all(schedule):
            if f.code == "absence-with-cause":
                absences[f.at] = frozenset((c["kind"], c["with"]) for c in f.detail["causes"])
    return tallies, absences


@st.composite
def with_attendance(draw):
    case, settings_, window = draw(cases())
    everything, _ = expand(case, settings_, (None, None))
    entries, keys = [], set()
    line = iter(range(1, 10000))
    for pid, appts in sorted(everything.items()):
        if not appts:
            continue
        # Half the draws from days with more than one demand, where the causes are.
        per_day = defaultdict(set)
        for a in appts:
            per_day[a[0]].add(a[5])
        crowded = [a for a in appts if len(per_day[a[0]]) > 1]
        picks = draw(st.lists(st.sampled_from(appts), max_size=6))
        picks += draw(st.lists(st.sampled_from(crowded), max_size=6)) if crowded else []
        for a in picks:
            timed = a[1] is not None and draw(st.booleans())
            start = dt.time(a[1] // 60, a[1] % 60) if timed else None
            key = (a[0], pid, a[5], start)
            if key in keys:
                continue
            keys.add(key)
            target = {"intervention": a[5]} if a[4] == "intervention" else {"meeting": a[5]}
            entries.append(m.Attendance(source=Source("attendance.yaml", next(line), 5), date=a[0], person=pid,
                                        status=draw(st.sampled_from(["cancelled", "no-show", "attended"])),
                                        start=start, **target))
    case = dataclasses.replace(case, attendance=tuple(entries))
    today = case.plan.start + dt.timedelta(days=draw(st.integers(-10, 450)))
    return case, settings_, window, today


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(with_attendance())
def test_attendance_and_absence_equal_rrule_expansion(data):
    case, settings_, window, today = data
    assert fast(case, settings_, window, today) == oracle(case, settings_, window, today)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(with_attendance())
def test_attendance_oracle_few_rounds(data):
    case, settings_, window, today = data
    assert fast(case, settings_, window, today) == oracle(case, settings_, window, today)
