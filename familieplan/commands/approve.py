"""`approve`: a person of the case approves the plan as it is now (FORMAT.md, third
edition). One entry is added at the end of plan.yaml's `approvals:` with the plan's
fingerprint (`schedule/approvals.py`); nothing else of the file changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from familieplan import model as m
from familieplan.engine.cases import load_one
from familieplan.format.insert import append_entry
from familieplan.format.suggest import did_you_mean_text
from familieplan.problems import N_, FamilieplanError, UsageError
from familieplan.schedule.approvals import plan_fingerprint
from familieplan.workspace.edit import edit_case_file

CHANNELS = ("meeting", "paper", "digital-post", "mitid")


@dataclass(frozen=True)
class Approved:
    """What `approve` wrote."""

    case: str
    path: Path
    by: str
    name: str
    date: dt.date
    channel: str | None
    fingerprint: str


def _person(case: m.Case, by: str) -> m.Person:
    people = case.people_by_id()
    if by in people:
        return people[by]
    hint = did_you_mean_text(by, people)
    if hint:
        raise UsageError(N_("--by {id}: not a person of case {case} ({hint})"), id=by, case=case.folder_id, hint=hint)
    raise UsageError(N_("--by {id}: not a person of case {case}"), id=by, case=case.folder_id)


def approve(root: Path, case_name: str, by: str, day: dt.date, channel: str | None = None) -> Approved:
    """Record that `by` (a person of the case) approved the plan on `day`: validated
    first, under the case's lock, written atomically with comments and layout kept."""
    if channel is not None and channel not in CHANNELS:
        raise UsageError(N_("--channel {value}: one of meeting, paper, digital-post or mitid"), value=channel)
    settings, case = load_one(root, case_name)
    person = _person(case, by)
    path = case.path / "plan.yaml"
    fingerprint: list[str] = []

    def change(text: str, plan: object) -> str:
        assert isinstance(plan, m.Plan)
        if any(a.by == by and a.date == day for a in plan.approvals):
            raise FamilieplanError(N_("{who} has already approved the plan on {date}"), who=by, date=str(day))
        fingerprint.append(plan_fingerprint(plan))
        entry = [f"- by: {by}", f"  date: {day.isoformat()}"]
        if channel:
            entry.append(f"  channel: {channel}")
        entry.append(f'  plan: "{fingerprint[0]}"')
        return append_entry(text, str(path), "approvals", entry)

    def expect(old: object, new: object) -> bool:
        assert isinstance(old, m.Plan) and isinstance(new, m.Plan)
        added = new.approvals[-1] if new.approvals else None
        return (plan_fingerprint(new) == fingerprint[0] and len(new.approvals) == len(old.approvals) + 1
                and added is not None and (added.by, added.date, added.plan) == (by, day, fingerprint[0]))

    edit_case_file(path, "plan", frozenset(settings.all_areas()), change, expect)
    return Approved(case.folder_id, path, by, person.name or by, day, channel, fingerprint[0])
