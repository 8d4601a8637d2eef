"""What `fit` is asked and what it answers, as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from familieplan.commands.check_load import CaseSummary
from familieplan.problems import Problem
from familieplan.schedule.demands import DemandRef
from familieplan.schedule.findings import Finding
from familieplan.schedule.fit import Blocker, Demand, WeekLoad
from familieplan.settings import Settings


@dataclass(frozen=True)
class FitRequest:
    people: tuple[str, ...]
    demand: Demand
    today: dt.date
    start: dt.date | None = None  # --from (default: today)
    end: dt.date | None = None  # --to (default: the plan's end)
    weeks: int | None = None  # the length of a run whose earliest start is wanted
    limit: int = 5  # proposals; 0 for all
    reader: str | None = None  # --for: None is the internal view
    instead: str | None = None  # --instead: an intervention the search treats as gone
    real_today: dt.date | None = None  # the real date: a withdrawal on or before it always applies


@dataclass(frozen=True)
class Proposal:
    days: tuple[int, ...]
    starts: tuple[int, ...]  # minutes, one per day
    length: int
    every: int
    start: dt.date
    end: dt.date
    max_hours: dict[str, float]
    warnings: tuple[str, ...]  # codes
    warning_count: int  # findings, as check-load would count them

    def sessions(self) -> list[tuple[tuple[int, ...], int, int]]:
        """(weekdays, from, to) grouped by time, in the order of their first day."""
        by_time: dict[int, list[int]] = {}
        for day, start in zip(self.days, self.starts, strict=True):
            by_time.setdefault(start, []).append(day)
        return sorted(((tuple(days), start, start + self.length) for start, days in by_time.items()),
                      key=lambda s: s[0][0])


@dataclass(frozen=True)
class Reason:
    """Why nothing fits (or from when it would): the binding constraint, as data."""

    kind: str  # no-days | times | hours | combination | weeks | earliest
    person: str | None = None
    load: WeekLoad | None = None
    refs: tuple[DemandRef, ...] = ()  # the demands named (what the reader may see)
    hidden: int = 0  # demands left unnamed for the reader
    free_days: tuple[int, ...] = ()
    blocked: tuple[tuple[int, tuple[Blocker, ...], int], ...] = ()  # (weekday, blockers, hidden)
    date: dt.date | None = None


@dataclass
class FitResult:
    settings: Settings
    problems: list[Problem] = field(default_factory=list)
    request: FitRequest | None = None
    case: CaseSummary | None = None
    window: tuple[dt.date, dt.date] | None = None
    proposals: list[Proposal] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    context: list[Finding] = field(default_factory=list)  # errors the plan already has
    hidden_context: int = 0

    @property
    def fits(self) -> bool:
        return bool(self.proposals)
