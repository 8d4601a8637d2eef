"""`due` and `status`: what is overdue, what comes up, and where each case stands."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from familieplan.commands.cases import (
    CaseRun,
    ProblemView,
    Skipped,
    case_results,
    rendered_problems,
    settings_of,
    target_folders,
    unknown_filter,
)
from familieplan.commands.check_load import LoadOptions, load_case_findings
from familieplan.commands.consents import ConsentNotice, consent_notices
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
from familieplan.settings import Settings
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


@dataclass(frozen=True)
class DueRows:
    """A case's deadlines and ending consents as a reporter wrote them (cached per case,
    per format, language and colour: a warm run writes them without rebuilding them).
    Each deadline row keeps its order key and state, for the order across cases."""

    deadlines: tuple[tuple[tuple[Any, ...], str, str], ...]  # (sort key, state, row)
    consents: tuple[str, ...]


# A reporter's rows of one case's deadlines (a module-level function, so that it reaches
# workers) and how it writes them (format, language, colour): part of the cache key.
DueView = tuple[Callable[["CaseFollowUp", Settings, Any], DueRows], Any]


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
    rendered: dict[int, str] = field(default_factory=dict)  # problem rows made in the workers (`problem_view`)
    due_rows: list[DueRows] | None = None  # with `due(rows=…)`: instead of `deadlines` and `consents`

    @property
    def overdue(self) -> int:
        """How many deadlines are overdue."""
        if self.due_rows is not None:
            return sum(state == OVERDUE for rows in self.due_rows for _, state, _ in rows.deadlines)
        return sum(item.state == OVERDUE for item in self.deadlines)

    def merged_due_rows(self) -> list[tuple[str, str]]:
        """(state, row) of every case's deadline rows, in the order of `sort_key` across cases."""
        assert self.due_rows is not None
        return [(state, row) for _, state, row in sorted((d for rows in self.due_rows for d in rows.deadlines),
                                                          key=lambda d: d[0])]


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
    items = [item for item in case_deadlines(case, options.today, work_calendar(settings), options.within_days)
             if not (options.overdue_only and item.state != OVERDUE)
             and not (options.responsible and item.responsible != options.responsible)]
    consents: tuple[ConsentNotice, ...] = ()
    if not options.overdue_only and options.responsible is None:
        consents = tuple(consent_notices(case, options.today, options.consents_within))
    return CaseFollowUp(case.title, _case_names(case), deadlines=tuple(items), consents=consents)


def _due_rows(view: Callable[[CaseFollowUp, m.Settings, Any], DueRows], case: m.Case, settings: m.Settings,
              extra: tuple[DueOptions, Any]) -> DueRows:
    options, how = extra
    return view(case_due(case, settings, options), settings, how)


def case_status(case: m.Case, settings: m.Settings, extra: tuple[dt.date, int]) -> CaseFollowUp:
    today, consents_within = extra
    row = case_row(case, settings, work_calendar(settings), today, consents_within)
    return CaseFollowUp(case.title, _case_names(case), row=row)


def _follow_up(root: Path, settings: m.Settings, problems: list[Problem], folders: Sequence[Path], run: CaseRun,
               jobs: int | None, coordinator: str | None = None) -> FollowUp:
    result = FollowUp(settings, problems, due_rows=[] if run.command == "due:rows" else None)
    for outcome, part in case_results(root, settings, folders, run, jobs=jobs):
        result.problems += outcome.problems
        rendered_problems(result.rendered, outcome)
        if outcome.skipped is not None:
            result.skipped.append(outcome.skipped)
        result.ids.update(outcome.everyone)
        result.coordinators.update(outcome.coordinators)
        if isinstance(part, DueRows):
            assert result.due_rows is not None
            result.due_rows.append(part)
            continue
        if part is None or (coordinator and part.row is not None and part.row.coordinator != coordinator):
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
        cache: bool = True, problem_view: ProblemView | None = None, rows: DueView | None = None) -> FollowUp:
    """Deadlines of the named cases (or every active one); invalid cases are skipped
    (`FollowUp.skipped`); a `--responsible` that names nobody is a UsageError. With `rows`,
    each case's deadlines come as the reporter's rows (`FollowUp.due_rows`) instead of
    `deadlines` and `consents`."""
    root = loader.workspace_root(workspace, case_names)
    settings, _, problems = settings_of(root, cache)
    if case_names:
        options = replace(options, only_active=False)
    if rows is not None:
        run = CaseRun("due:rows", functools.partial(_due_rows, rows[0]), DueRows, (options, rows[1]),
                      only_active=options.only_active, cache=cache, problem_view=problem_view)
    else:
        run = CaseRun("due", case_due, CaseFollowUp, options, only_active=options.only_active, cache=cache,
                      problem_view=problem_view)
    result = _follow_up(root, settings, problems, target_folders(root, case_names), run, jobs)
    unknown_filter("--responsible", options.responsible, result.ids)
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
           consents_within: int = 30, cache: bool = True, problem_view: ProblemView | None = None) -> FollowUp:
    """One row per valid active case; invalid ones are skipped (`FollowUp.skipped`); a
    `--coordinator` that coordinates no case is a UsageError."""
    root = loader.workspace_root(workspace)
    settings, _, problems = settings_of(root, cache)
    run = CaseRun("status", case_status, CaseFollowUp, (today, consents_within), only_active=True, cache=cache,
                  problem_view=problem_view)
    result = _follow_up(root, settings, problems, loader.case_folders(root), run, jobs, coordinator)
    unknown_filter("--coordinator", coordinator, result.coordinators)
    result.problems.sort(key=Problem.sort_key)
    return result
