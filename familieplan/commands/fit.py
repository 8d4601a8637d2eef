"""`fit`: where a new intervention fits into the family's week, before anyone books it.

A pattern is a start time on the 15-minute grid for each of `per_week` different
weekdays. It fits when, added to the plan as a new intervention for the named people,
it causes no error-level finding that involves it (overlap, unavailable, over-capacity);
errors the plan already has are context, not a reason to refuse. Fitting patterns are
ranked: fewest warnings (busy-day, short-gap, too-many-departments, off-focus), the most
even spread over the week, the most slack under the weekly limit, then by days and times.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

from familieplan import model as m
from familieplan.checks.weekly import find_all
from familieplan.commands.check_load import summarize
from familieplan.commands.fit_records import FitRequest, FitResult, Proposal, Reason
from familieplan.consent import Reading
from familieplan.engine.cases import load_valid
from familieplan.format.suggest import did_you_mean_text
from familieplan.problems import ERROR, N_, UsageError
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import DemandRef, build_schedules
from familieplan.schedule.fit import (
    DayFacts,
    PersonFacts,
    WeekLoad,
    day_facts,
    events,
    hours_for,
    new_weeks,
    off_focus_phases,
)
from familieplan.schedule.progression import Progression, lcm, week_index, week_monday
from familieplan.settings import Settings
from familieplan.workspace.paths import workspace_root

CODE_ORDER = ("busy-day", "short-gap", "too-many-departments", "off-focus")


# --- one run of the new demand ---------------------------------------------------------

class Run:
    """The new demand from `start` to `end`: free times per weekday, hours per set of days."""

    def __init__(self, search: Search, start: dt.date, end: dt.date) -> None:
        self.search = search
        self.start, self.end = start, end
        demand = search.demand
        self.weeks: dict[int, Progression] = new_weeks(search.case, search.settings, search.calendar, demand,
                                                       start, end)
        self.days: dict[int, DayFacts] = {d: day_facts(search.people, demand, d, self.weeks[d])
                                          for d in demand.days if d in self.weeks}
        self._loads: dict[tuple[int, ...], list[WeekLoad]] = {}

    def loads(self, days: tuple[int, ...]) -> list[WeekLoad]:
        if days not in self._loads:
            self._loads[days] = [hours_for(p, self.search.demand, self.weeks, days) for p in self.search.people]
        return self._loads[days]

    def free_days(self) -> list[int]:
        return [d for d in sorted(self.days) if self.days[d].allowed]

    def day_sets(self) -> Iterator[tuple[int, ...]]:
        """Sets of days that each have a free time and stay under every weekly limit."""
        for days in itertools.combinations(self.free_days(), self.search.demand.per_week):
            if all(load.fits for load in self.loads(days)):
                yield days

    def feasible(self) -> bool:
        return next(self.day_sets(), None) is not None

    def feasible_somewhere(self) -> bool:
        """Like `feasible`, but a day on which the run never takes place counts as free.
        Unlike `feasible`, this is monotone in the start of runs with a common end."""
        usable = [d for d in self.search.demand.days if d not in self.days or self.days[d].allowed]
        for days in itertools.combinations(usable, self.search.demand.per_week):
            present = tuple(d for d in days if d in self.days)
            if not present or all(load.fits for load in self.loads(present)):
                return True
        return False


def _spread(days: tuple[int, ...]) -> int:
    """Sum of squared gaps between the days around the week: smaller is more even."""
    gaps = [b - a for a, b in itertools.pairwise(days)] + [7 - days[-1] + days[0]]
    return sum(g * g for g in gaps)


def _stream(key: tuple, starts: list[list[int]], codes: tuple[str, ...],
            loads: list[WeekLoad]) -> Iterator[tuple]:
    for chosen in itertools.product(*starts):
        yield key, chosen, codes, loads


def _phases_with_sessions(run: Run, days: tuple[int, ...], phases: list[m.Phase]) -> int:
    """How many of the phases hold at least one real session on the chosen days (as
    check-load's off-focus counts: a phase the period touches without a session is none)."""
    count = 0
    for phase in phases:
        assert phase.start is not None and phase.end is not None
        low, high = max(phase.start, run.start), min(phase.end, run.end)
        for day in days:
            weeks = run.weeks.get(day)
            first_day = low + dt.timedelta(days=(day - low.weekday()) % 7)
            last_day = high - dt.timedelta(days=(high.weekday() - day) % 7)
            if weeks is None or first_day > last_day:
                continue
            clipped = weeks.clip(week_index(first_day), week_index(last_day))
            if clipped is not None and clipped.count:
                count += 1
                break
    return count


def _by_gaps(day: DayFacts) -> list[tuple[frozenset, list[int]]]:
    """A day's allowed start times grouped by the short gaps they would leave."""
    groups: dict[frozenset, list[int]] = {}
    for start in day.allowed:
        groups.setdefault(day.gaps[start], []).append(start)
    return list(groups.items())


def _ranked(run: Run) -> Iterator[Proposal]:
    """Every fitting pattern of the run, best first, made lazily (a heap merge of the
    groups of start times that share the same short gaps)."""
    search = run.search
    demand = search.demand
    phases = off_focus_phases(search.phases, demand.area, run.start, run.end)
    streams = []
    for days in run.day_sets():
        off_focus = _phases_with_sessions(run, days, phases) * len(search.people) if phases else 0
        loads = run.loads(days)
        facts = [run.days[d] for d in days]
        busy = set().union(*(f.busy for f in facts))
        many = set().union(*(f.departments for f in facts))
        slack = min(load.limit - load.hours for load in loads)
        for combo in itertools.product(*map(_by_gaps, facts)):
            short = frozenset().union(*(g for g, _ in combo))
            count = len(busy) + len(many) + off_focus + len(short)
            codes = tuple(c for c, on in zip(CODE_ORDER, (busy, short, many, off_focus), strict=True) if on)
            key = (count, _spread(days), -round(slack, 4), days)
            streams.append(_stream(key, [starts for _, starts in combo], codes, loads))
    for key, starts, codes, loads in heapq.merge(*streams, key=lambda item: (item[0], item[1])):
        yield Proposal(key[3], starts, demand.length, demand.every, run.start, run.end,
                       {load.person: load.hours for load in loads}, codes, key[0])


# --- the search ------------------------------------------------------------------------

class Search:
    """The case, the named people's existing schedules, and the runs looked at."""

    def __init__(self, case: m.Case, settings: Settings, request: FitRequest,
                 window: tuple[dt.date, dt.date]) -> None:
        assert case.plan is not None and case.plan.start is not None and case.plan.end is not None
        self.case, self.settings, self.request = case, settings, request
        # The one rule for the reader (--for), with the real date's withdrawals.
        self.reading = Reading(case, request.reader, [request.today], request.real_today, settings.department_areas)
        self.demand = request.demand
        self.calendar = WorkCalendar(settings)
        self.window = window
        self.phases = case.plan.phases
        # Whole ISO weeks (inside the plan): a week's hours count what comes before `--from`.
        low = max(case.plan.start, week_monday(week_index(window[0])))
        high = min(case.plan.end, week_monday(week_index(window[1])) + dt.timedelta(days=6))
        schedules = {s.person.id: s for s in build_schedules(case, settings, self.calendar, (low, high))}
        self.people = [PersonFacts(schedules[pid]) for pid in request.people]
        self.refs: dict[str, DemandRef] = {}
        for person in self.people:
            self.refs.update(person.schedule.refs)

    def run(self, start: dt.date, end: dt.date) -> Run:
        return Run(self, start, end)

    def period(self) -> int:
        period = self.demand.every
        for person in self.people:
            for slot in person.schedule.slots:
                period = lcm(period, slot.weeks.step)
        return period

    def earliest_run(self, weeks: int) -> Run | None:
        """The first run of `weeks` weeks, starting on or after the window's start, in
        which something fits. Only starts near a week where something changes are tried:
        between them the weeks repeat with the period of the progressions."""
        start, end = self.window
        first, last = week_index(start), week_index(end) - weeks + 1
        period = self.period()
        marks = events(self.people, self.calendar, start, end)
        candidates = {first + r for r in range(period + 1)}
        for mark in marks:
            for offset in (-weeks, -weeks + 1, 0, 1):
                candidates.update(mark + offset + r for r in range(-period, period + 1))
        for week in sorted(c for c in candidates if first <= c <= last):
            run_start = max(start, week_monday(week))
            run_end = min(end, week_monday(week + weeks - 1) + dt.timedelta(days=6))
            run = self.run(run_start, run_end)
            if run.feasible():
                return run
        return None

    def earliest_start(self) -> dt.date | None:
        """The first Monday after the window's start from which something fits until the
        window's end. A later start only drops weeks (for the same `every` residue), so
        whether something fits is monotone (as long as every day still takes place): a binary
        search per residue, then a step forward while a chosen day has no session left."""
        start, end = self.window
        every = self.demand.every
        best: dt.date | None = None
        for residue in range(every):
            weeks = [w for w in range(week_index(start) + 1, week_index(end) + 1) if w % every == residue]
            low, high = 0, len(weeks)
            while low < high:
                middle = (low + high) // 2
                if self.run(week_monday(weeks[middle]), end).feasible_somewhere():
                    high = middle
                else:
                    low = middle + 1
            # From there on, the first start at which every chosen day also takes place.
            day = next((week_monday(w) for w in weeks[low:] if self.run(week_monday(w), end).feasible()), None)
            if day is not None and (best is None or day < best):
                best = day
        return best


# --- why nothing fits ------------------------------------------------------------------

def _visible(search: Search, refs: Sequence[DemandRef], person: str | None = None) -> tuple[tuple[DemandRef, ...], int]:
    """The demands the reader may read (about `person`; a department reads its own), and
    how many were left out."""
    reading = search.reading
    shown = tuple(r for r in refs
                  if reading.allows(r.area, (person,) if person else (),
                                    (r.department,) if r.kind == "intervention" and r.department else ()))
    return shown, len(refs) - len(shown)


def _hours_reasons(search: Search, run: Run) -> list[Reason]:
    """The weekly limit binds when no set of days, whatever the times, stays under it."""
    days_with_sessions = sorted(run.days)
    sets = list(itertools.combinations(days_with_sessions, search.demand.per_week))
    if not sets or any(all(load.fits for load in run.loads(days)) for days in sets):
        return []
    best = min(sets, key=lambda days: max(load.hours - load.limit for load in run.loads(days)))
    reasons = []
    for load in run.loads(best):
        if not load.fits:
            refs = sorted((search.refs[r] for r in load.refs if r in search.refs), key=lambda r: r.title)
            shown, hidden = _visible(search, refs, load.person)
            reasons.append(Reason("hours", person=load.person, load=load, refs=shown, hidden=hidden))
    return reasons


def _times_reason(search: Search, run: Run) -> list[Reason]:
    free = run.free_days()
    if len(free) >= search.demand.per_week:
        return []
    blocked = []
    for weekday in sorted(run.days):
        if weekday in free:
            continue
        blockers = run.days[weekday].blockers
        shown = [b for b in blockers if b.ref is None or _visible(search, [b.ref])[1] == 0]
        unique = list(dict.fromkeys(shown))
        blocked.append((weekday, tuple(unique), len(set(blockers)) - len(set(shown))))
    return [Reason("times", free_days=tuple(free), blocked=tuple(blocked))]


def reasons_for(search: Search, run: Run) -> list[Reason]:
    if len(run.days) < search.demand.per_week:
        return [Reason("no-days", free_days=tuple(sorted(run.days)))]
    reasons = _times_reason(search, run) + _hours_reasons(search, run)
    return reasons or [Reason("combination")]


# --- the command -----------------------------------------------------------------------

def _check_request(case: m.Case, settings: Settings, request: FitRequest) -> None:
    people = case.people_by_id()
    if not request.people:
        raise UsageError(N_("name at least one person with --person"))
    for pid in request.people:
        if pid not in people:
            if not people:
                raise UsageError(N_("--person {person}: the case has no people"), person=pid)
            raise UsageError(N_("--person {person}: not one of the case's people ({known})"), person=pid,
                             known=", ".join(sorted(people)))
    if request.reader is not None and request.reader not in people and request.reader not in case.professionals_by_id():
        raise UsageError(N_("--for {id}: neither a person nor a professional of the case"), id=request.reader)
    demand = request.demand
    if settings.departments is not None and demand.department and demand.department not in settings.departments:
        raise UsageError(N_("--department {department}: not one of the workspace's departments"),
                         department=demand.department)
    if demand.area and demand.area not in settings.all_areas():
        raise UsageError(N_("--area {area}: not a known area"), area=demand.area)
    if not 1 <= demand.per_week <= len(set(demand.days)):
        raise UsageError(N_("--per-week {count}: needs as many different days in --days"), count=demand.per_week)
    if not demand.grid():
        raise UsageError(N_("--length does not fit inside --within"))


def _window(plan: m.Plan, request: FitRequest) -> tuple[dt.date, dt.date]:
    assert plan.start is not None and plan.end is not None
    start = max(request.start or request.today, plan.start)
    end = min(request.end or plan.end, plan.end)
    if start > end:
        raise UsageError(N_("nothing of the plan ({first} – {last}) is left from {start} to {end}"),
                         first=str(plan.start), last=str(plan.end), start=str(start), end=str(end))
    return start, end


def _context(search: Search, result: FitResult) -> None:
    """Errors the plan already has for the named people in the window."""
    start, end = search.window
    request = search.request
    for pid in request.people:
        for schedule in build_schedules(search.case, search.settings, search.calendar, (start, end), pid):
            for finding in find_all(schedule):
                if finding.level != ERROR:
                    continue
                if _visible(search, finding.refs, finding.person)[1]:
                    result.hidden_context += 1
                else:
                    result.context.append(finding)


def fit(root: Path | None, case_name: str, request: FitRequest) -> FitResult:
    """Where a new weekly demand fits for the named people of one case (see the module)."""
    ws, problems = load_valid(workspace_root(root, [case_name]), [case_name])
    if any(p.level == ERROR for p in problems):
        return FitResult(ws.settings, problems, request)
    result = fit_case(ws.cases[0], ws.settings, request)
    result.problems = problems
    return result


def fit_case(case: m.Case, settings: Settings, request: FitRequest) -> FitResult:
    """The search on one case already loaded (and valid)."""
    if case.info is None or case.plan is None or case.plan.start is None or case.plan.end is None:
        raise UsageError(N_("{case}: the case has no plan period"), case=case.folder_id)
    _check_request(case, settings, request)
    window = _window(case.plan, request)
    if request.instead is not None:
        case = without_intervention(case, request.instead)
    result = FitResult(settings, [], request, summarize(case, settings), window)
    assert result.window is not None
    search = Search(case, settings, request, result.window)
    _context(search, result)
    find(search, result)
    return result


def find(search: Search, result: FitResult) -> None:
    """Proposals, or the reasons nothing fits and from when it would."""
    request = search.request
    start, end = search.window
    if request.weeks:
        if week_index(end) - week_index(start) + 1 < request.weeks:
            result.reasons = [Reason("weeks", date=end)]
            return
        run = search.earliest_run(request.weeks)
        if run is None:
            first = search.run(start, min(end, start + dt.timedelta(weeks=request.weeks, days=-1)))
            result.reasons = [*reasons_for(search, first), Reason("weeks", date=end)]
            return
    else:
        run = search.run(start, end)
    ranked = _ranked(run)
    result.proposals = list(itertools.islice(ranked, request.limit or None))
    if result.proposals:
        return
    result.reasons = reasons_for(search, run)
    if not request.weeks:
        earliest = search.earliest_start()
        if earliest is not None:
            result.reasons.append(Reason("earliest", date=earliest))


def without_intervention(case: m.Case, intervention: str) -> m.Case:
    """The case as if `intervention` were not in its plan (`fit --instead`): what would
    fit in its place. An unknown id is a usage error naming the nearest."""
    assert case.plan is not None
    known = {iv.id: iv for iv in case.plan.interventions if iv.id}
    if intervention not in known:
        hint = did_you_mean_text(intervention, known)
        if hint:
            raise UsageError(N_("--instead {id}: no intervention '{id}' in case {case} ({hint})"),
                             id=intervention, case=case.folder_id, hint=hint)
        raise UsageError(N_("--instead {id}: no intervention '{id}' in case {case}"), id=intervention, case=case.folder_id)
    plan = dataclasses.replace(case.plan, interventions=tuple(
        iv for iv in case.plan.interventions if iv.id != intervention))
    return dataclasses.replace(case, plan=plan)
