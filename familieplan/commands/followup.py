"""`due` and `status`: what is overdue, what comes up, and where each case stands."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from familieplan.commands.consents import ConsentNotice, consent_notices
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
from familieplan.rules.outcomes import notices_on, statutory_deadlines
from familieplan.rules.registry import Notice, statutory_facts
from familieplan.rules.registry import state as rule_state
from familieplan.schedule.calendar import WorkCalendar, work_calendar
from familieplan.schedule.deadlines import (
    OPEN,
    OVERDUE,
    Deadline,
    agreement_state,
    case_deadlines,
    last_meeting_before,
    next_meeting,
    question_open,
    question_overdue,
    sort_key,
)
from familieplan.schedule.facts import CaseFacts, case_facts, phase_on
from familieplan.workspace import paths as loader

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import model as m
    from familieplan.settings import Settings


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
    settings: Settings
    problems: list[Problem] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    consents: list[ConsentNotice] = field(default_factory=list)
    notices: list[tuple[str, Notice]] = field(default_factory=list)  # (case, a rule's finding that is no deadline)
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


def with_rules(facts: CaseFacts, case: m.Case, settings: Settings, calendar: WorkCalendar) -> CaseFacts:
    """The facts with the statutory rules' obligations and notices (`familieplan.rules`)."""
    obligations, notices = statutory_facts(case, settings, calendar)
    return facts._replace(statutory=obligations, notices=notices)


def due_facts(case: m.Case, settings: Settings, extra: object = None) -> CaseFacts:
    """What `due` keeps of a case: its facts, whatever the day (`schedule/facts.py`), and
    the statutory rules' obligations."""
    calendar = work_calendar(settings)
    return with_rules(case_facts(case, calendar), case, settings, calendar)


def status_facts(case: m.Case, settings: Settings, extra: object = None) -> CaseFacts:
    """What `status` keeps of a case: its facts with its load findings counted."""
    from familieplan.commands.check_load import (  # where a case is checked
        LoadOptions,
        load_case_findings,
    )

    calendar = work_calendar(settings)
    findings, _, _ = load_case_findings(case, settings, calendar, LoadOptions())
    errors = sum(f.level == ERROR for f in findings)
    return with_rules(case_facts(case, calendar, (errors, len(findings) - errors)), case, settings, calendar)


def case_due(case: CaseFacts, options: DueOptions, calendar: WorkCalendar) -> tuple[list[Deadline],
                                                                                   list[ConsentNotice]]:
    """The case's deadlines on `options.today` that `options` shows, and its consents that
    end (none with `overdue_only` or `responsible`)."""
    horizon = options.today + dt.timedelta(days=options.within_days)
    found = case_deadlines(case, options.today, calendar, options.within_days)
    found += statutory_deadlines(case.case, case.statutory, options.today, calendar, horizon,
                                 last_meeting_before(case.meetings, options.today))
    items = [item for item in found if _shown(item, options)]
    if options.overdue_only or options.responsible:
        return items, []
    return items, consent_notices(case, options.today, options.consents_within)


def _shown(item: Deadline, options: DueOptions) -> bool:
    return (not (options.overdue_only and item.state != OVERDUE)
            and not (options.responsible and item.responsible != options.responsible))


def _names(someone: str, outcome: CaseOutcome) -> bool:
    return someone in outcome.everyone


def _coordinates(someone: str, outcome: CaseOutcome) -> bool:
    return someone in outcome.coordinators


def _follow_up(root: Path, settings: Settings, problems: list[Problem], folders: Sequence[Path], run: CaseRun,
               jobs: int | None) -> tuple[FollowUp, list[CaseFacts]]:
    result = FollowUp(settings, problems)
    facts: list[CaseFacts] = []
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
        facts.append(part)
    return result, facts


def due(workspace: Path | None, case_names: list[str], options: DueOptions, jobs: int | None = None,
        cache: bool = True) -> FollowUp:
    """Deadlines of the named cases (or every active one) on `options.today`; invalid
    cases are skipped (`FollowUp.skipped`); a `--responsible` that names nobody is a
    UsageError. Only the cases that name the responsible one are worked on."""
    root = loader.workspace_root(workspace, case_names)
    settings, _, problems = settings_of(root, cache)
    wanted = functools.partial(_names, options.responsible) if options.responsible else None
    run = CaseRun("due", due_facts, only_active=options.only_active and not case_names, cache=cache, wanted=wanted,
                  mentions=options.responsible)
    folders = target_folders(root, case_names)
    result, facts = _follow_up(root, settings, problems, folders, run, jobs)
    check_filter(root, settings, folders, "--responsible", options.responsible, result.ids, "everyone", cache)
    calendar = work_calendar(settings)
    for case in facts:
        deadlines, consents = case_due(case, options, calendar)
        result.deadlines += deadlines
        result.consents += consents
        if not (options.overdue_only or options.responsible):
            result.notices += [(case.case, n) for n in notices_on(case.notices, options.today)]
    result.deadlines.sort(key=sort_key)
    result.problems.sort(key=Problem.sort_key)
    return result


def case_row(case: CaseFacts, calendar: WorkCalendar, today: dt.date, consents_within: int = 30) -> CaseRow:
    """The case's row in `status` on `today`."""
    phase = phase_on(case.phases, today)
    week = weeks = None
    if phase and phase.start and phase.end:
        week = (today - phase.start).days // 7 + 1
        weeks = (phase.end - phase.start).days // 7 + 1
    coming = next_meeting(case.meetings, today)
    states = [agreement_state(a, today) for a in case.agreements]
    overdue = (states.count(OVERDUE) + sum(question_overdue(q, q.answer_date, today) for q in case.questions)
               + sum(rule_state(item, today) == OVERDUE for item in case.statutory))
    return CaseRow(case.case, case.title, case.coordinator, case.coordinator_name,
                   phase.id if phase else None, phase.name if phase else None, week, weeks,
                   coming.date if coming else None, coming.purpose if coming else None,
                   bool(coming and coming.passed), sum(state in (OPEN, OVERDUE) for state in states),
                   sum(question_open(q, today) for q in case.questions), overdue,
                   case.load_errors, case.load_warnings, case.source,
                   tuple(consent_notices(case, today, consents_within)))


def status(workspace: Path | None, today: dt.date, coordinator: str | None = None, jobs: int | None = None,
           consents_within: int = 30, cache: bool = True) -> FollowUp:
    """One row per valid active case (with `coordinator`, of the cases that caseworker
    coordinates: only those are worked on); invalid ones are skipped
    (`FollowUp.skipped`); a `--coordinator` that coordinates no case is a UsageError."""
    root = loader.workspace_root(workspace)
    settings, _, problems = settings_of(root, cache)
    wanted = functools.partial(_coordinates, coordinator) if coordinator else None
    run = CaseRun("status", status_facts, only_active=True, cache=cache, wanted=wanted, mentions=coordinator)
    folders = loader.case_folders(root)
    result, facts = _follow_up(root, settings, problems, folders, run, jobs)
    calendar = work_calendar(settings)
    result.rows = [case_row(case, calendar, today, consents_within) for case in facts]
    check_filter(root, settings, folders, "--coordinator", coordinator, result.coordinators, "coordinators", cache)
    result.problems.sort(key=Problem.sort_key)
    return result
