"""`approve`: a person of the case approves the plan as it is now (FORMAT.md, third
edition). One entry is added at the end of plan.yaml's `approvals:` with the plan's
fingerprint (`schedule/approvals.py`); nothing else of the file changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from familieplan import model as m
from familieplan.commands.record import Change, Event, record
from familieplan.format.splice import Quoted, Value
from familieplan.format.suggest import did_you_mean_text
from familieplan.problems import N_, FamilieplanError, InvalidCaseError, UsageError
from familieplan.schedule.approvals import plan_fingerprint
from familieplan.settings import Settings

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


def approval(by: str, day: dt.date, channel: str | None, fingerprint: list[str]) -> Event:
    """The approval as a record event (`commands/record.py`): refused for someone who is not
    a person of the case, or twice on one day; the plan's fingerprint taken from the plan as
    read under the case's lock (and kept in `fingerprint` for the caller)."""

    def event(case: m.Case, settings: Settings, today: dt.date) -> Change:
        person = _person(case, by)
        assert case.plan is not None
        if any(a.by == by and a.date == day for a in case.plan.approvals):
            raise FamilieplanError(N_("{who} has already approved the plan on {date}"), who=by, date=str(day))
        fingerprint.append(plan_fingerprint(case.plan))
        fields: dict[str, Value] = {"by": by, "date": day.isoformat()}
        if channel:
            fields["channel"] = channel
        fields["plan"] = Quoted(fingerprint[-1])
        return Change("plan.yaml", "approval", key="approvals", fields=fields,
                      facts={"name": person.name or by, "date": day})

    return event


def approve(root: Path, case_name: str, by: str, day: dt.date, channel: str | None = None) -> Approved:
    """Record that `by` (a person of the case) approved the plan on `day`, the way every
    record command writes: under the case's lock, the entry spliced in with every other
    byte kept, the case checked with it before it is written (an error it would add is
    refused with its line), written atomically."""
    if channel is not None and channel not in CHANNELS:
        raise UsageError(N_("--channel {value}: one of meeting, paper, digital-post or mitid"), value=channel)
    fingerprint: list[str] = []
    done = record(root, case_name, approval(by, day, channel, fingerprint), today=day)
    if done.refused:
        first = done.problems[0]
        raise InvalidCaseError(N_("{where}: the approval would add an error ({code}); nothing was written"),
                               where=str(first.source), code=first.code)
    return Approved(done.case, Path(done.file), by, str(done.facts["name"]), day, channel, fingerprint[-1])
