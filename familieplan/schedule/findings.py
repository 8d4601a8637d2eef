"""A load finding: what a load check found on one person's schedule (`checks/weekly.py`
makes them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from familieplan.problems import Source
from familieplan.schedule.demands import DemandRef


@dataclass(frozen=True, slots=True)
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

    @property
    def departments(self) -> list[str]:
        return sorted({r.department for r in self.refs if r.department})

    @property
    def responsible(self) -> list[str]:
        return sorted({r.responsible for r in self.refs if r.responsible})

    @property
    def sources(self) -> list[Source]:
        return ([self.at] if self.at is not None else []) + [r.source for r in self.refs]
