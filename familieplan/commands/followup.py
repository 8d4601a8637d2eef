"""`due` and `status`: what is overdue, what comes up, and where each case stands."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from familieplan.commands.check_load import LoadOptions, load_case_findings
from familieplan.commands.consents import ConsentNotice, consent_notices
from familieplan.engine.cases import (
    CaseOutcome,
    CaseRun,
    Skipped,
    case_results,
    settings_of,
    target_folders,
    unknown_filter,
)
from familieplan.problems import ERROR, Problem
from familieplan.schedule.calendar import WorkCalendar, work_calendar
from familieplan.schedule.deadlines import (
    OPEN,
    OVERDUE,
    Deadline,
    agreement_state,
    answer_due,
    case_deadlines,
    next_meeting,
    question_open,
    question_overdue,
    sort_key,
)
from familieplan.workspace import paths as loader

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import model as m


@dataclass(frozen=True)
class DueOptions:
    today: dt.date
    within_days: int = 7
    consents_within: int = 30  # consents expiring within this many days are listed
    overdue_only: bool = False
    responsible: str | None = None
    only_active: bool = True


@dataclass(frozen=True)
class CaseRow:
    """One case in `status`."""

    case: str
    title: str
    coordinator: str | None
    coordinator_name: str | None
    phase: str | None
    phase_name: str | None
    phase_week: int | None  # the week of the phase today is in (1-based)
    phase_weeks: int | None
    next_meeting: dt.date | None
    next_purpose: str | None
    next_meeting_passed: bool
    open_agreements: int
    open_questions: int
    overdue: int
    load_errors: int
    load_warnings: int
    source: str
    consents: tuple[ConsentNotice, ...] = ()  # consents that end (they change no exit code)


@dataclass
class FollowUp:
    settings: m.Settings
    problems: list[Problem] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    consents: list[ConsentNotice] = field(default_factory=list)
    rows: list[CaseRow] = field(default_factory=list)
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (case, id) -> name
    titles: dict[str, str] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)  # invalid cases, left out
    ids: set[str] = field(default_factory=set)  # every person and professional id read
    coordinators: set[str] = field(default_factory=set)  # every coordinator id read

    @property
    def overdue(self) -> int:
        """How many deadlines are overdue."""
        return sum(item.state == OVERDUE for item in self.deadlines)


@dataclass(frozen=True)
class CaseFollowUp:
    """What `due` or `status` found in one case (cached per case)."""

    title: str
    names: tuple[tuple[str, str], ...]  # people and professionals: (id, name)
    deadlines: tuple[Deadline, ...] = ()
    consents: tuple[ConsentNotice, ...] = ()  # consents that end (due)
    row: CaseRow | None = None


def _case_names(case: m.Case) -> tuple[tuple[str, str], ...]:
    assert case.info is not None
    return (*((p.id or "", p.name or "") for p in case.info.people),
            *((p.id or "", p.name or "") for p in case.info.professionals))


def case_due(case: m.Case, settings: m.Settings, options: DueOptions) -> CaseFollowUp:
    """Every deadline of the case in the window, and its consents that end (the filters
    of `options` are applied by `due`, so that the stored result serves every filter)."""
    items = case_deadlines(case, options.today, work_calendar(settings), options.within_days)
    consents = tuple(consent_notices(case, options.today, options.consents_within))
    return CaseFollowUp(case.title, _case_names(case), deadlines=tuple(items), consents=consents)


def _shown(item: Deadline, options: DueOptions) -> bool:
    return (not (options.overdue_only and item.state != OVERDUE)
            and not (options.responsible and item.responsible != options.responsible))


def _names(someone: str, outcome: CaseOutcome) -> bool:
    return someone in outcome.everyone


def _coordinates(someone: str, outcome: CaseOutcome) -> bool:
    return someone in outcome.coordinators


def case_status(case: m.Case, settings: m.Settings, extra: tuple[dt.date, int]) -> CaseFollowUp:
    today, consents_within = extra
    row = case_row(case, settings, work_calendar(settings), today, consents_within)
    return CaseFollowUp(case.title, _case_names(case), row=row)


def _follow_up(root: Path, settings: m.Settings, problems: list[Problem], folders: Sequence[Path], run: CaseRun,
               jobs: int | None) -> FollowUp:
    result = FollowUp(settings, problems)
    for outcome, part in case_results(root, settings, folders, run, jobs=jobs):
        result.problems += outcome.problems
        if outcome.skipped is not None:
            result.skipped.append(outcome.skipped)
        result.ids.update(outcome.everyone)
        result.coordinators.update(outcome.coordinators)
        if part is None:
            continue
        result.titles[outcome.case] = part.title
        for some_id, name in part.names:
            result.names[(outcome.case, some_id)] = name
        result.deadlines += part.deadlines
        result.consents += part.consents
        if part.row is not None:
            result.rows.append(part.row)
    return result


def due(workspace: Path | None, case_names: list[str], options: DueOptions, jobs: int | None = None,
        cache: bool = True) -> FollowUp:
    """Deadlines of the named cases (or every active one); invalid cases are skipped
    (`FollowUp.skipped`); a `--responsible` that names nobody is a UsageError. Only the
    cases that name the responsible one are worked on."""
    root = loader.workspace_root(workspace, case_names)
    settings, _, problems = settings_of(root)
    only_active = options.only_active and not case_names
    stored = replace(options, overdue_only=False, responsible=None, only_active=True)
    wanted = functools.partial(_names, options.responsible) if options.responsible else None
    run = CaseRun("due", case_due, stored, only_active=only_active, cache=cache, wanted=wanted)
    result = _follow_up(root, settings, problems, target_folders(root, case_names), run, jobs)
    unknown_filter("--responsible", options.responsible, result.ids)
    result.deadlines = [item for item in result.deadlines if _shown(item, options)]
    if options.overdue_only or options.responsible:
        result.consents = []
    result.deadlines.sort(key=sort_key)
    result.problems.sort(key=Problem.sort_key)
    return result


def case_row(case: m.Case, settings: m.Settings, calendar: WorkCalendar, today: dt.date,
             consents_within: int = 30) -> CaseRow:
    assert case.info is not None and case.plan is not None
    info, plan = case.info, case.plan
    pros = case.professionals_by_id()
    phase = plan.phase_on(today)
    week = weeks = None
    if phase and phase.start and phase.end:
        week = (today - phase.start).days // 7 + 1
        weeks = (phase.end - phase.start).days // 7 + 1
    coming = next_meeting(case, today)
    next_date = coming.date if coming else None
    next_purpose = coming.purpose if coming else None
    agreements = {a.id: a for a in case.agreements if a.id}
    states = [agreement_state(a, today) for a in case.agreements]
    open_agreements = sum(state in (OPEN, OVERDUE) for state in states)
    open_questions = sum(question_open(q, today) for q in case.questions)
    overdue = states.count(OVERDUE) + sum(
        question_overdue(q, answer_due(q, agreements, calendar), today) for q in case.questions)
    findings, _, _ = load_case_findings(case, settings, calendar, LoadOptions())
    errors = sum(f.level == ERROR for f in findings)
    return CaseRow(case.folder_id, case.title, info.coordinator,
                   pros[info.coordinator].name if info.coordinator in pros else None,
                   phase.id if phase else None, phase.name if phase else None, week, weeks,
                   next_date, next_purpose, bool(coming and coming.passed), open_agreements, open_questions, overdue,
                   errors, len(findings) - errors, str(info.source),
                   tuple(consent_notices(case, today, consents_within)))


def status(workspace: Path | None, today: dt.date, coordinator: str | None = None, jobs: int | None = None,
           consents_within: int = 30, cache: bool = True) -> FollowUp:
    """One row per valid active case (with `coordinator`, of the cases that caseworker
    coordinates: only those are worked on); invalid ones are skipped
    (`FollowUp.skipped`); a `--coordinator` that coordinates no case is a UsageError."""
    root = loader.workspace_root(workspace)
    settings, _, problems = settings_of(root)
    wanted = functools.partial(_coordinates, coordinator) if coordinator else None
    run = CaseRun("status", case_status, (today, consents_within), only_active=True, cache=cache, wanted=wanted)
    result = _follow_up(root, settings, problems, loader.case_folders(root), run, jobs)
    unknown_filter("--coordinator", coordinator, result.coordinators)
    result.problems.sort(key=Problem.sort_key)
    return result
