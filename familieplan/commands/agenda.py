"""The follow-up items of a scaffolded meeting's agenda (`new-meeting`).

An agenda item is read by whoever its `area` (or its `intervention`'s) lets read it, so a
generated item must never gather lines of several areas under none: the open and overdue
agreements and questions become one item per area and intervention, each keeping the area
and intervention that decide who may read its lines (consent.py). What happened since the
last meeting is not copied at all: the minutes build that section for each reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from familieplan import model as m
from familieplan.schedule.deadlines import OVERDUE, Deadline


@dataclass(frozen=True)
class FollowUpLine:
    """One agreement or question to follow up: its text, its deadline, whether it is late."""

    text: str
    due: dt.date | None
    overdue: bool
    question: bool = False


@dataclass(frozen=True)
class FollowUpItem:
    """One agenda item: the area and intervention its lines share (None: for every reader)."""

    area: str | None
    intervention: str | None
    title: str  # what the item is about beyond "Opfølgning på aftaler": an area's or intervention's name
    lines: tuple[FollowUpLine, ...]


Key = tuple[str | None, str | None]


def _agreement_key(agreement: m.Agreement) -> Key:
    return (agreement.area, agreement.intervention)


def _question_key(case: m.Case, question: m.Question) -> Key:
    """A question is read as its agreement is, unless it has its own area."""
    agreement = next((a for a in case.agreements if a.id and a.id == question.agreement), None)
    if agreement is None:
        return (question.area, None)
    return (question.area or agreement.area, agreement.intervention)


def _title(case: m.Case, key: Key, area_names: dict[str, str]) -> str:
    area, intervention = key
    if intervention and case.plan is not None:
        for iv in case.plan.interventions:
            if iv.id == intervention:
                return iv.title or intervention
    return area_names.get(area or "", area or "")


def _lines(case: m.Case, deadlines: list[Deadline]) -> dict[Key, list[FollowUpLine]]:
    """The lines to follow up, by the area and intervention that decide who may read them."""
    late = {(d.source.path, d.source.line): d.date for d in deadlines if d.state == OVERDUE}
    groups: dict[Key, list[FollowUpLine]] = {(None, None): []}
    for a in case.agreements:
        if a.status == "open" and a.id:
            overdue = (a.source.path, a.source.line) in late
            groups.setdefault(_agreement_key(a), []).append(FollowUpLine(a.text or "", a.due, overdue))
    for q in case.questions:
        due = late.get((q.source.path, q.source.line))
        if due is not None:
            groups.setdefault(_question_key(case, q), []).append(FollowUpLine(q.about or "", due, True, True))
    return groups


def follow_up_items(case: m.Case, deadlines: list[Deadline], area_names: dict[str, str]) -> list[FollowUpItem]:
    """The open agreements and the overdue agreements and questions on the meeting's day,
    grouped by the area and intervention that decide who may read them: the group of no
    area first (said even when empty), then the others in the order they first appear."""
    items = []
    for key, lines in _lines(case, deadlines).items():
        if lines or key == (None, None):
            title = _title(case, key, area_names) if key != (None, None) else ""
            items.append(FollowUpItem(key[0], key[1], title, tuple(lines)))
    return items
