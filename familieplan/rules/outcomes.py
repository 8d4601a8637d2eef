"""The rules' obligations and notices on a day: statutory deadlines as entries of `due`
(kind "statutory"), the notices that hold, what a named reader may see of them (the one
consent rule: the area and the person each is about), and tallies for `status` and
`report`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from familieplan.rules.registry import MET, OVERDUE, RULES, Notice, Obligation, late, state
from familieplan.schedule.deadlines import DONE, DUE, Deadline
from familieplan.schedule.deadlines import OVERDUE as DEADLINE_OVERDUE

if TYPE_CHECKING:
    from familieplan.consent import Reading
    from familieplan.schedule.calendar import WorkCalendar

STATUTORY = "statutory"


def english(message: str, fields: Iterable[tuple[str, object]], date: dt.date) -> str:
    values = {key: (value.isoformat() if isinstance(value, dt.date) else value) for key, value in fields}
    return message.format(date=date.isoformat(), **values)


def law_of(item: Obligation) -> str:
    return item.law or RULES[item.rule].law


def as_deadline(case: str, item: Obligation, today: dt.date, calendar: WorkCalendar) -> Deadline:
    """The obligation as an entry of `due` on `today` (its state as for agreements: overdue,
    due or done; `late` once known)."""
    current = state(item, today)
    shown = {OVERDUE: DEADLINE_OVERDUE, MET: DONE}.get(current, DUE)
    until = today if current == OVERDUE else item.met
    days = calendar.working_days_between(item.date, until) if until and until > item.date else 0
    return Deadline(case, STATUTORY, shown, item.date, days, english(item.message, item.fields, item.date), None, None,
                    item.source, answered=item.met if current == MET else None, rule=item.rule, law=law_of(item),
                    link=RULES[item.rule].source,
                    late=late(item, today), person=item.person, area=item.area, message=item.message,
                    fields=item.fields)


def statutory_deadlines(case: str, items: Sequence[Obligation], today: dt.date, calendar: WorkCalendar,
                        horizon: dt.date, since: dt.date | None) -> list[Deadline]:
    """What `due` lists on `today`: overdue obligations, those due by `horizon`, and those
    met late since the case's latest meeting (`since`), to follow up there."""
    out = []
    for item in items:
        current = state(item, today)
        if current == MET:
            if not (item.met and item.met > item.date and (since is None or item.met >= since)):
                continue
        elif current != OVERDUE and item.date > horizon:
            continue
        out.append(as_deadline(case, item, today, calendar))
    return out


def notices_on(items: Iterable[Notice], today: dt.date) -> list[Notice]:
    """The notices that hold on `today`."""
    return [n for n in items if n.start is None or n.start <= today]


def reader_may_see(reading: Reading, area: str | None, person: str | None) -> bool:
    """The one consent rule for a statutory fact: its area, about its person."""
    return reading.allows(area, (person,) if person else ())


class RuleTally(NamedTuple):
    """How one rule's deadlines came out up to a day (`report`)."""

    rule: str
    law: str
    on_time: int
    late: int
    overdue: int
    open: int


def tally(items: Iterable[Obligation], today: dt.date) -> list[RuleTally]:
    """Per rule: deadlines met on time, met late, overdue and still open on `today`."""
    counts: dict[str, list[int]] = {}
    for item in items:
        row = counts.setdefault(item.rule, [0, 0, 0, 0])
        current = state(item, today)
        if current == MET:
            row[1 if late(item, today) else 0] += 1
        else:
            row[2 if current == OVERDUE else 3] += 1
    return [RuleTally(rule_id, RULES[rule_id].law, *row) for rule_id, row in
            sorted(counts.items(), key=lambda kv: list(RULES).index(kv[0]))]

