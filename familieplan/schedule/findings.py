"""A load finding: what a load check found on one person's schedule (`checks/load.py`
makes them). Apart from the checks, so that a run served from the cache can rebuild
findings without importing the checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from familieplan.problems import Source
from familieplan.schedule.demands import DemandRef


@dataclass(frozen=True, init=False)
class Finding:
    code: str
    level: str
    case: str
    person: str
    refs: tuple[DemandRef, ...]
    first: dt.date
    last: dt.date
    occurrences: int
    weeks: tuple[tuple[int, int], ...] = ()  # (ISO year, ISO week) for weekly codes
    weekdays: tuple[int, ...] = ()
    hours: float | None = None  # over-capacity: the worst week's hours
    worst_week: tuple[int, int] | None = None
    limit: float | None = None
    detail: dict[str, object] = field(default_factory=dict)
    at: Source | None = None  # the record the finding is about, when it is one (absence-with-cause)

    def __init__(self, code: str, level: str, case: str, person: str, refs: tuple[DemandRef, ...],
                 first: dt.date, last: dt.date, occurrences: int, weeks: tuple[tuple[int, int], ...] = (),
                 weekdays: tuple[int, ...] = (), hours: float | None = None,
                 worst_week: tuple[int, int] | None = None, limit: float | None = None,
                 detail: dict[str, object] | None = None, at: Source | None = None) -> None:
        # Written out: a frozen dataclass's own __init__ sets each field through
        # object.__setattr__, which made a finding cost twice as much (a large caseload
        # makes tens of thousands). tests/test_findings.py holds it to the fields.
        self.__dict__.update(code=code, level=level, case=case, person=person, refs=refs, first=first, last=last,
                             occurrences=occurrences, weeks=weeks, weekdays=weekdays, hours=hours,
                             worst_week=worst_week, limit=limit, detail={} if detail is None else detail, at=at)

    @property
    def departments(self) -> list[str]:
        return sorted({r.department for r in self.refs if r.department})

    @property
    def responsible(self) -> list[str]:
        return sorted({r.responsible for r in self.refs if r.responsible})

    @property
    def sources(self) -> list[Source]:
        return ([self.at] if self.at is not None else []) + [r.source for r in self.refs]
