"""What a named reader may see of check-load's result: the one consent rule applied to
findings and attendance rows before any reporter sees them (its Markdown is pasted into
agendas that go to other departments)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from familieplan.commands.cases import load_one
from familieplan.commands.check_load import LoadResult
from familieplan.consent import Reading
from familieplan.problems import UsageError
from familieplan.schedule.findings import Finding


def _finding_allowed(reading: Reading, finding: Finding) -> bool:
    """A finding may be shown when the reader may read every demand it names (a meeting has
    no area: every participant knows of it) for the person it is about."""
    return all(ref.kind == "meeting" or reading.allows(ref.area, (finding.person,)) for ref in finding.refs)


def for_reader(root: Path, result: LoadResult, case_names: list[str], recipient: str, day: dt.date) -> LoadResult:
    """The result as `recipient` may see it; the number of findings left out is kept."""
    if len(case_names) != 1:
        raise UsageError("--for takes exactly one case")
    _, case = load_one(root, case_names[0])
    known = set(case.people_by_id()) | set(case.professionals_by_id())
    if recipient not in known:
        from familieplan.format.types import did_you_mean_text

        hint = did_you_mean_text(recipient, known)
        raise UsageError(f"--for {recipient}: neither a person nor a professional of the case"
                         + (f" ({hint})" if hint else ""))
    reading = Reading(case, recipient, [day])
    shown = [f for f in result.findings if _finding_allowed(reading, f)]
    attendance = [row for row in result.attendance if reading.allows(row.ref.area, (row.person,))]
    errors = sum(f.level == "error" for f in shown)
    return dataclasses.replace(result, findings=shown, attendance=attendance, errors=errors,
                               warnings=len(shown) - errors, reader=recipient,
                               omitted=len(result.findings) - len(shown))
