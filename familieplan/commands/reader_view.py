"""What a named reader may see of check-load's result: the one consent rule applied to
findings and attendance rows before any reporter sees them (its Markdown is pasted into
agendas that go to other departments)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from familieplan import model as m
from familieplan.commands.check_load import LoadOptions, LoadResult, PersonLoad, load_case_findings
from familieplan.consent import Reading, subject_of
from familieplan.engine.cases import load_one
from familieplan.problems import N_, UsageError
from familieplan.schedule.deadlines import Deadline
from familieplan.schedule.demands import DemandRef
from familieplan.schedule.findings import Finding
from familieplan.settings import Record


def _finding_allowed(reading: Reading, finding: Finding) -> bool:
    """A finding may be shown when the reader may read every demand it names (a meeting has
    no area: every participant knows of it) for the person it is about; a department
    reads its own interventions."""
    return all(ref.kind == "meeting" or reading.allows(ref.area, (finding.person,), _dept(ref))
               for ref in finding.refs)


def _dept(ref: DemandRef) -> tuple[str, ...]:
    return (ref.department,) if ref.kind == "intervention" and ref.department else ()


def findings_for_reader(reading: Reading, findings: list[Finding]) -> list[Finding]:
    """The findings of one case the reader may see (check-load --for, serve's "Se som")."""
    return [f for f in findings if _finding_allowed(reading, f)]


def questions_for_reader(reading: Reading, case: m.Case) -> list[m.Question]:
    """The case's questions the reader may read (their area and the people they are about)."""
    return [q for q in case.questions if reading.allows_subject(subject_of(case, q))]


def deadlines_for_reader(reading: Reading, case: m.Case, items: list[Deadline]) -> list[Deadline]:
    """The deadlines of the agreements and questions the reader may read."""
    records: dict[tuple[str, int], Record] = {(r.source.path, r.source.line): r
                                                for r in [*case.agreements, *case.questions]}
    shown = []
    for item in items:
        record = records.get((item.source.path, item.source.line))
        if record is not None and reading.allows_subject(subject_of(case, record)):
            shown.append(item)
    return shown


def for_reader(root: Path, result: LoadResult, case_names: list[str], recipient: str, day: dt.date,
               real_today: dt.date | None = None, options: LoadOptions | None = None) -> LoadResult:
    """The result as `recipient` may see it, with how much was left out. A withdrawal
    dated on or before `real_today` (the real date, given by the caller) applies whatever
    `day` says. With `options`, the weekly load rows are added up again from only the
    interventions the reader may see."""
    if len(case_names) != 1:
        raise UsageError(N_("--for takes exactly one case"))
    _, case = load_one(root, case_names[0])
    known = set(case.people_by_id()) | set(case.professionals_by_id())
    if recipient not in known:
        from familieplan.format.suggest import did_you_mean_text

        hint = did_you_mean_text(recipient, known)
        if hint:
            raise UsageError(N_("--for {id}: neither a person nor a professional of the case ({hint})"),
                             id=recipient, hint=hint)
        raise UsageError(N_("--for {id}: neither a person nor a professional of the case"), id=recipient)
    reading = Reading(case, recipient, [day], real_today, result.settings.department_areas)
    shown = findings_for_reader(reading, result.findings)
    attendance = [row for row in result.attendance
                  if reading.allows(row.ref.area, (row.person,), _dept(row.ref))]
    overviews, hidden = _reader_overviews(case, reading, result, options)
    errors = sum(f.level == "error" for f in shown)
    return dataclasses.replace(result, findings=shown, attendance=attendance, errors=errors,
                               warnings=len(shown) - errors, reader=recipient,
                               omitted=len(result.findings) - len(shown),
                               omitted_attendance=len(result.attendance) - len(attendance),
                               overviews=overviews, hidden_demands=hidden)


def _reader_overviews(case: m.Case, reading: Reading, result: LoadResult,
                      options: LoadOptions | None) -> tuple[list[PersonLoad], int]:
    """Each person's weekly hours from the interventions (and meetings) the reader may
    see, and how many interventions were not added."""
    if case.plan is None:
        return result.overviews, 0
    visible = tuple(iv for iv in case.plan.interventions if reading.allows_subject(subject_of(case, iv)))
    hidden = len(case.plan.interventions) - len(visible)
    if not result.overviews or options is None:
        return [] if hidden else result.overviews, hidden
    from familieplan.schedule.calendar import work_calendar

    shown_case = dataclasses.replace(case, plan=dataclasses.replace(case.plan, interventions=visible))
    wanted = dataclasses.replace(options, overview=True)
    _, overviews, _ = load_case_findings(shown_case, result.settings, work_calendar(result.settings), wanted)
    return overviews, hidden
