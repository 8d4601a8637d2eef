"""`check-load`: validate, build every person's schedule, run the load checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from familieplan.engine.cases import (
    CaseOutcome,
    CaseRun,
    Skipped,
    case_results,
    settings_of,
    target_folders,
)
from familieplan.engine.filters import check_filter
from familieplan.problems import ERROR, Problem
from familieplan.schedule.attendance import AttendanceTally, attendance_tallies
from familieplan.schedule.demands import Limits, build_schedules
from familieplan.schedule.findings import Finding
from familieplan.schedule.weeks import weekly_hours
from familieplan.workspace import paths as loader

if TYPE_CHECKING:
    from familieplan import model as m
    from familieplan.schedule.calendar import WorkCalendar
    from familieplan.settings import Settings

SEVERITY = {"error": 0, "warning": 1}
CODE_ORDER = ["overlap", "unavailable", "over-capacity", "too-many-departments", "busy-day", "short-gap", "off-focus",
              "absence-with-cause"]


@dataclass(frozen=True)
class PersonLoad:
    """The weekly overview of one person: hours per week across the window."""

    case: str
    person: str
    name: str
    limit: float
    window: tuple[dt.date, dt.date]
    hours: dict[int, float]


@dataclass(frozen=True)
class CaseSummary:
    case: str
    title: str
    names: dict[str, str]  # people and professionals: id -> name
    roles: dict[str, str]  # professional id -> "title, department name"
    departments: dict[str, str | None]  # professional id -> department id


@dataclass
class LoadResult:
    settings: Settings
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    overviews: list[PersonLoad] = field(default_factory=list)
    attendance: list[AttendanceTally] = field(default_factory=list)  # cases with attendance.yaml only
    cases: list[CaseSummary] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # invalid cases, left out
    people: set[str] = field(default_factory=set)  # every person id read (for --person)
    errors: int = 0
    warnings: int = 0
    reader: str | None = None  # made for this reader (commands/reader_view.py); None: internal
    omitted: int = 0  # findings left out for the reader
    omitted_attendance: int = 0  # attendance rows left out for the reader
    hidden_demands: int = 0  # interventions the reader's weekly load rows do not add up

    def count(self, findings: Sequence[Finding]) -> None:
        for f in findings:
            if f.level == ERROR:
                self.errors += 1
            else:
                self.warnings += 1


@dataclass(frozen=True)
class LoadOptions:
    window: tuple[dt.date | None, dt.date | None] = (None, None)
    person: str | None = None
    overview: bool = False
    only_active: bool = True
    today: dt.date | None = None  # the end of "the past part of the window" (None: no attendance)


_CODE_RANK = {code: rank for rank, code in enumerate(CODE_ORDER)}


def sort_key(f: Finding) -> tuple:
    return (f.person, SEVERITY.get(f.level, 2), _CODE_RANK.get(f.code, 99), f.first, tuple([r.id for r in f.refs]))


def summarize(case: m.Case, settings: Settings) -> CaseSummary:
    names: dict[str, str] = {}
    roles: dict[str, str] = {}
    departments: dict[str, str | None] = {}
    if case.info:
        for person in case.info.people:
            if person.id:
                names[person.id] = person.name or person.id
        for pro in case.info.professionals:
            if pro.id:
                names[pro.id] = pro.name or pro.id
                roles[pro.id] = ", ".join(x for x in (pro.title, settings.department_name(pro.department or "")) if x)
                departments[pro.id] = pro.department
    return CaseSummary(case.folder_id, case.title, names, roles, departments)


def load_case_findings(case: m.Case, settings: Settings, calendar: WorkCalendar,
                       options: LoadOptions) -> tuple[list[Finding], list[PersonLoad], list[AttendanceTally]]:
    """The load findings, the weekly overviews (with `overview`) and, for a case that
    records attendance, each person's attendance up to `options.today`."""
    # The checks: imported only where a case is checked.
    from familieplan.checks.weekly import LoadFacts, find_all

    findings: list[Finding] = []
    overviews: list[PersonLoad] = []
    tallies: list[AttendanceTally] = []
    records = options.today is not None and "attendance.yaml" in case.optional_files
    for schedule in build_schedules(case, settings, calendar, options.window, options.person):
        facts = LoadFacts(schedule)
        findings.extend(find_all(schedule, facts))
        if records:
            assert options.today is not None
            tallies.extend(attendance_tallies(schedule, options.today, facts.by_ref))
        if options.overview and (schedule.slots or schedule.oneoffs or schedule.hours):
            limits: Limits = schedule.limits
            overviews.append(PersonLoad(case.folder_id, schedule.person.id or "",
                                        schedule.person.name or "", limits.max_hours_per_week,
                                        schedule.window, weekly_hours(schedule)))
    return findings, overviews, tallies


@dataclass(frozen=True)
class CaseLoad:
    """The load findings of one case (cached per case)."""

    findings: tuple[Finding, ...]
    overviews: tuple[PersonLoad, ...]
    attendance: tuple[AttendanceTally, ...]  # cases with attendance.yaml only
    summary: CaseSummary | None  # when there is anything to show


def case_load(case: m.Case, settings: Settings, options: LoadOptions) -> CaseLoad:
    from familieplan.schedule.calendar import work_calendar

    findings, overviews, tallies = load_case_findings(case, settings, work_calendar(settings), options)
    findings.sort(key=sort_key)
    summary = summarize(case, settings) if findings or overviews or tallies else None
    return CaseLoad(tuple(findings), tuple(overviews), tuple(tallies), summary)


def _names_person(person: str, outcome: CaseOutcome) -> bool:
    return person in outcome.people


def _of_person(load: CaseLoad, person: str) -> CaseLoad:
    return CaseLoad(tuple(f for f in load.findings if f.person == person),
                    tuple(o for o in load.overviews if o.person == person),
                    tuple(t for t in load.attendance if t.person == person), load.summary)


def check_load(workspace: Path | None, case_names: list[str], options: LoadOptions,
               jobs: int | None = None, start: Path | None = None, cache: bool = True) -> LoadResult:
    """Load findings of the named cases (or every active one); the invalid cases are
    skipped (`LoadResult.skipped`); a `--person` that names nobody is a UsageError. With
    a person, only the cases that name them are worked on."""
    root = loader.workspace_root(workspace, case_names, start)
    settings, _, problems = settings_of(root, cache)
    only_active = options.only_active and not case_names
    stored = dataclasses.replace(options, person=None, only_active=True)
    wanted = functools.partial(_names_person, options.person) if options.person else None
    run = CaseRun("check-load", case_load, stored, only_active=only_active, cache=cache, wanted=wanted,
                  mentions=options.person)
    folders = target_folders(root, case_names)
    result = LoadResult(settings, problems)
    # Results come back in folder order and each case's findings are sorted already.
    for outcome, load in case_results(root, settings, folders, run, jobs=jobs):
        result.problems.extend(outcome.problems)
        if outcome.skipped is not None:
            result.skipped.append(outcome.skipped)
        result.people.update(outcome.people)
        if load is None:
            continue
        if options.person:
            load = _of_person(load, options.person)
        result.count(load.findings)
        result.findings.extend(load.findings)
        result.overviews.extend(load.overviews)
        result.attendance.extend(load.attendance)
        if load.summary is not None and (load.findings or load.overviews or load.attendance):
            result.cases.append(load.summary)
    check_filter(root, settings, folders, "--person", options.person, result.people, "people", cache)
    result.problems.sort(key=Problem.sort_key)
    return result
