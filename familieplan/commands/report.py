"""`report`: outcomes per case and across cases, as plain data.

Per case, every goal with a `measure` gets its baseline, latest value, target, change and
a status; goals without one are achieved or open; and each person's attendance. Across
the cases: per indicator the people measured with their mean baseline and mean latest
value, and per area and role the share of people with a goal in that area who achieved
at least one (so that a team can write seed 002's sentence from its own files).

`--today` is a parameter: measurements and achievements after it are not yet known. A
report for a named reader (`recipient`, one case only) passes the one consent rule
(`consent.Reading`): goals through `subject_of`, attendance through its intervention.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from familieplan import model as m
from familieplan.consent import ReaderFilter
from familieplan.engine.cases import CaseRun, Skipped, case_results, settings_of, target_folders
from familieplan.problems import N_, Problem, UsageError
from familieplan.rules.outcomes import RuleTally, tally
from familieplan.rules.registry import Obligation, statutory_facts
from familieplan.schedule.attendance import AttendanceTally, attendance_tallies
from familieplan.schedule.calendar import WorkCalendar, work_calendar
from familieplan.schedule.demands import build_schedules
from familieplan.settings import Settings
from familieplan.workspace import paths as loader

ACHIEVED, WRONG_WAY, ON_TRACK, STANDING_STILL, OPEN = "achieved", "wrong-way", "on-track", "standing-still", "open"
OVERDUE, NO_MEASUREMENT = "measurement-overdue", "no-measurement"


@dataclass(frozen=True)
class ReportOptions:
    today: dt.date
    window: tuple[dt.date | None, dt.date | None] = (None, None)  # plan periods that touch it
    recipient: str | None = None  # a named reader (one case only)
    real_today: dt.date | None = None  # the real date of rendering (withdrawals on or before it apply)


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: float


@dataclass(frozen=True)
class GoalOutcome:
    case: str
    goal: str
    person: str
    role: str | None
    area: str
    text: str
    status: str  # achieved | wrong-way | on-track | standing-still (measured) or achieved | open
    flags: tuple[str, ...] = ()  # measurement-overdue, no-measurement
    indicator: str | None = None
    unit: str | None = None
    direction: str | None = None
    baseline: Point | None = None
    latest: Point | None = None
    target: float | None = None
    target_by: dt.date | None = None
    achieved_on: dt.date | None = None
    points: tuple[Point, ...] = ()  # the measurements known on `today`, by date

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest.value - self.baseline.value


@dataclass
class CaseOutcome:
    case: str
    title: str
    goals: list[GoalOutcome] = field(default_factory=list)
    attendance: list[AttendanceTally] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # people and professionals: id -> name
    omitted: int = 0  # items left out for the recipient
    goals_omitted: int = 0  # of them, goals (a page says so instead of "no goals")
    attendance_omitted: int = 0  # of them, interventions' attendance tallies
    areas: set[str] = field(default_factory=set)  # areas of what was included (for the disclosure log)
    about: set[str] = field(default_factory=set)  # people the included items are about
    basis: set[str] = field(default_factory=set)  # why they were released
    folder: Path | None = None  # the case folder (where its disclosure log is)
    statutory: list[Obligation] = field(default_factory=list)  # the rules' deadlines the reader may see


@dataclass(frozen=True)
class IndicatorFigures:
    indicator: str
    people: int  # people measured (one goal per person and indicator: the plan's first)
    mean_baseline: float | None
    mean_latest: float | None
    unit: str | None = None
    baselines: tuple[float, ...] = ()
    latests: tuple[float, ...] = ()


@dataclass(frozen=True)
class AreaShare:
    area: str
    role: str
    people: int  # people with a goal in the area
    achieved: int  # of them, those who achieved at least one

    @property
    def share(self) -> float:
        return self.achieved / self.people if self.people else 0.0


@dataclass
class Report:
    settings: Settings
    options: ReportOptions
    cases: list[CaseOutcome] = field(default_factory=list)
    indicators: list[IndicatorFigures] = field(default_factory=list)
    shares: list[AreaShare] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    workspace: Path | None = None  # the workspace root (its own templates override the shipped ones)
    rules: list[RuleTally] = field(default_factory=list)  # per rule: deadlines met on time, late, overdue, open


# --- one goal ------------------------------------------------------------------------------

def _better(a: float, b: float, direction: str | None) -> bool:
    """`a` is at least as good as `b`."""
    return a <= b if direction == "down" else a >= b


def _on_line(measure: m.Measure, latest: Point) -> float | None:
    """The straight line from baseline to target, at the latest measurement's date."""
    base, target = measure.baseline, measure.target
    if base is None or target is None or base.date is None or target.by is None or base.value is None \
            or target.value is None:
        return None
    span = (target.by - base.date).days
    if span <= 0:
        return target.value
    part = min(max((latest.date - base.date).days / span, 0.0), 1.0)
    return base.value + (target.value - base.value) * part


def measured_status(measure: m.Measure, latest: Point | None, achieved: bool) -> str:
    """achieved, going the wrong way, on track, or standing still."""
    target = measure.target.value if measure.target else None
    if achieved or (latest is not None and target is not None and _better(latest.value, target, measure.direction)):
        return ACHIEVED
    base = measure.baseline.value if measure.baseline else None
    if latest is None or base is None:
        return STANDING_STILL
    if not _better(latest.value, base, measure.direction):
        return WRONG_WAY
    line = _on_line(measure, latest)
    if line is not None and _better(latest.value, line, measure.direction):
        return ON_TRACK
    return STANDING_STILL


def _goal_fields(case: m.Case, goal: m.Goal, achieved_on: dt.date | None) -> dict[str, object]:
    """What every goal's outcome says, measured or not: case, goal, person and role, area, text."""
    person = case.people_by_id().get(goal.person or "")
    return dict(case=case.folder_id, goal=goal.id or "", person=goal.person or "",
                role=person.role if person else None, area=goal.area or "", text=goal.text or "",
                achieved_on=achieved_on)


def _overdue(measure: m.Measure, status: str, latest: Point | None, today: dt.date) -> bool:
    """Whether an unachieved goal's next measurement is late: no measurement (nor a
    baseline) within `every_weeks` before today."""
    if status == ACHIEVED or not measure.every_weeks:
        return False
    last_seen = max([d for d in (latest.date if latest else None,
                                 measure.baseline.date if measure.baseline else None) if d], default=None)
    return last_seen is None or (today - last_seen).days > measure.every_weeks * 7


def _baseline_point(measure: m.Measure) -> Point | None:
    """The baseline as a point, when it has both a date and a value."""
    base = measure.baseline
    return Point(base.date, base.value) if base and base.date and base.value is not None else None


def goal_outcome(case: m.Case, goal: m.Goal, points: list[Point], today: dt.date) -> GoalOutcome:
    """One goal's outcome on `today`: open or achieved, or for a measured goal its status
    from the measurements known by then, with the flags no measurement and overdue."""
    achieved_on = goal.achieved if goal.achieved and goal.achieved <= today else None
    common = _goal_fields(case, goal, achieved_on)
    measure = goal.measure
    if measure is None:
        return GoalOutcome(status=ACHIEVED if achieved_on else OPEN, **common)  # type: ignore[arg-type]
    known = sorted((p for p in points if p.date <= today), key=lambda p: p.date)
    latest = known[-1] if known else None
    flags = []
    if latest is None:
        flags.append(NO_MEASUREMENT)
    status = measured_status(measure, latest, achieved_on is not None)
    if _overdue(measure, status, latest, today):
        flags.append(OVERDUE)
    target = measure.target
    return GoalOutcome(
        status=status, flags=tuple(flags), indicator=measure.indicator, unit=measure.unit,
        direction=measure.direction, baseline=_baseline_point(measure),
        latest=latest, target=target.value if target else None,
        target_by=target.by if target else None, points=tuple(known),
        **common)  # type: ignore[arg-type]


# --- one case ------------------------------------------------------------------------------

def _touches(plan: m.Plan, window: tuple[dt.date | None, dt.date | None]) -> bool:
    low, high = window
    return not ((low and plan.end and plan.end < low) or (high and plan.start and plan.start > high))


def _names(info: m.CaseInfo) -> dict[str, str]:
    """Each person's and professional's name by id (the id where no name is given)."""
    names = {p.id: p.name or p.id for p in info.people if p.id}
    names.update({p.id: p.name or p.id for p in info.professionals if p.id})
    return names


def _points_by_goal(case: m.Case) -> dict[str, list[Point]]:
    """The case's complete measurements (goal, date and value), per goal id."""
    points: dict[str, list[Point]] = {}
    for entry in case.measurements:
        if entry.goal and entry.date and entry.value is not None:
            points.setdefault(entry.goal, []).append(Point(entry.date, entry.value))
    return points


def _shared_attendance(case: m.Case, settings: Settings, calendar: WorkCalendar, share: ReaderFilter,
                       today: dt.date) -> list[AttendanceTally]:
    """The attendance tallies of the interventions the reader may see (none without
    attendance.yaml)."""
    if "attendance.yaml" not in case.optional_files:
        return []
    assert case.plan is not None
    interventions = {iv.id: iv for iv in case.plan.interventions if iv.id}
    return [tally for schedule in build_schedules(case, settings, calendar)
            for tally in attendance_tallies(schedule, today)
            if share.allows(interventions[tally.ref.id])]


def case_outcome(case: m.Case, settings: Settings, calendar: WorkCalendar, options: ReportOptions) -> CaseOutcome:
    """One case's outcome for the report's reader: the goals and the attendance the
    reader may see, and what was left out (for the disclosure log)."""
    assert case.info is not None and case.plan is not None
    share = ReaderFilter(case, options.recipient, [options.today], options.real_today, settings.department_areas)
    out = CaseOutcome(case.folder_id, case.title, names=_names(case.info), folder=case.path)
    points = _points_by_goal(case)
    for goal in case.plan.goals:
        if not share.allows(goal):
            continue
        out.goals.append(goal_outcome(case, goal, points.get(goal.id or "", []), options.today))
    out.goals_omitted = share.omitted
    out.attendance.extend(_shared_attendance(case, settings, calendar, share, options.today))
    out.attendance_omitted = share.omitted - out.goals_omitted
    obligations, _ = statutory_facts(case, settings, calendar)
    out.statutory = [o for o in obligations if o.date <= options.today or (o.met and o.met <= options.today)
                     if share.allows_fact(o.area, (o.person,) if o.person else ())]
    # What the report included, for the disclosure log.
    out.omitted, out.areas, out.about, out.basis = share.omitted, share.areas, share.about, share.basis
    return out


# --- across cases --------------------------------------------------------------------------

def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def indicator_figures(outcomes: Sequence[CaseOutcome]) -> list[IndicatorFigures]:
    """Per indicator: the people measured, their mean baseline and mean latest value
    (one goal per person and indicator: the first in the plan)."""
    chosen: dict[tuple[str, str, str], GoalOutcome] = {}
    for case in outcomes:
        for goal in case.goals:
            if goal.indicator and goal.latest is not None:
                chosen.setdefault((goal.indicator, case.case, goal.person), goal)
    by_indicator: dict[str, list[GoalOutcome]] = {}
    for (indicator, _, _), goal in chosen.items():
        by_indicator.setdefault(indicator, []).append(goal)
    figures = []
    for indicator, goals in sorted(by_indicator.items()):
        baselines = tuple(g.baseline.value for g in goals if g.baseline is not None)
        latests = tuple(g.latest.value for g in goals if g.latest is not None)
        figures.append(IndicatorFigures(indicator, len(goals), _mean(baselines), _mean(latests),
                                        next((g.unit for g in goals if g.unit), None), baselines, latests))
    return figures


def area_shares(outcomes: Sequence[CaseOutcome]) -> list[AreaShare]:
    """Per area and role: people with a goal in the area, and those who achieved one."""
    people: dict[tuple[str, str], set[tuple[str, str]]] = {}
    achieved: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for case in outcomes:
        for goal in case.goals:
            key = (goal.area, goal.role or "other")
            people.setdefault(key, set()).add((case.case, goal.person))
            if goal.status == ACHIEVED:
                achieved.setdefault(key, set()).add((case.case, goal.person))
    return [AreaShare(area, role, len(who), len(achieved.get((area, role), set())))
            for (area, role), who in sorted(people.items())]


def case_report(case: m.Case, settings: Settings, options: ReportOptions) -> CaseOutcome | None:
    """The outcome of one valid case, when its plan period touches the window."""
    assert case.plan is not None
    if not _touches(case.plan, options.window):
        return None
    return case_outcome(case, settings, work_calendar(settings), options)


def report(workspace: Path | None, case_names: list[str], options: ReportOptions, jobs: int | None = None,
           cache: bool = True) -> Report:
    """Outcomes of the named cases (default: every case, active or closed, whose plan
    period touches the window); invalid cases are skipped. A recipient needs one case."""
    root = loader.workspace_root(workspace, case_names)
    settings, _, problems = settings_of(root, cache)
    folders = target_folders(root, case_names)
    if options.recipient is not None and len(case_names) != 1:
        raise UsageError(N_("--for needs exactly one case: consent is given per case"))
    result = Report(settings, options, problems=problems, workspace=root)
    run = CaseRun("report", case_report, options, cache=cache)
    for outcome, part in case_results(root, settings, folders, run, jobs=jobs):
        result.problems += outcome.problems
        if outcome.skipped is not None:
            result.skipped.append(outcome.skipped)
        if part is not None:
            result.cases.append(part)
    if options.recipient is not None and result.cases:
        case = result.cases[0]
        if options.recipient not in case.names:
            from familieplan.engine.filters import unknown_filter

            unknown_filter("--for", options.recipient, case.names)
    result.indicators = indicator_figures(result.cases)
    result.shares = area_shares(result.cases)
    result.rules = tally([o for case in result.cases for o in case.statutory], options.today)
    result.problems.sort(key=Problem.sort_key)
    return result
