"""The records of familieplan.yaml, and the base every record of the model shares.

Apart from the case records (`familieplan.model`), so that a run served from the store,
which needs the settings but no case's records, does not create the model's thirty other
classes. Import these names from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from familieplan.problems import Source

_NOWHERE = Source("", 0, 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    source: Source = _NOWHERE
    where: Mapping[str, Source] = field(default_factory=dict, repr=False, compare=False)
    extensions: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)

    def pos(self, key: str) -> Source:
        """The source of the value under `key` (the record's own source when absent)."""
        return self.where.get(key, self.source)

    def item_pos(self, key: str, index: int) -> Source:
        """The source of the `index`th item of the list under `key` (`key[index]`), else
        the list's own source."""
        return self.where.get(f"{key}[{index}]") or self.pos(key)


# --- familieplan.yaml -------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class LoadLimits(Record):
    max_hours_per_week: float | None = None
    max_departments_per_week: int | None = None
    max_appointments_per_day: int | None = None
    min_gap_minutes: int | None = None


DEFAULT_LOAD = LoadLimits(max_hours_per_week=20.0, max_departments_per_week=3,
                          max_appointments_per_day=2, min_gap_minutes=30)


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarSettings(Record):
    holidays: str = "dk"
    closed: tuple[dt.date, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSettings(Record):
    """`rules:` (third edition): which statutory rules a workspace applies, and their
    parameters (`familieplan.rules` reads them)."""

    off: tuple[str, ...] = ()  # rule ids the workspace does not apply
    on: tuple[str, ...] = ()  # rules that are off unless switched on (local standards)
    minutes_within_days: int = 5
    minutes_from: dt.date | None = None
    summons_notice_days: int = 5


BUILTIN_AREAS: dict[str, str] = {
    "employment": "Beskæftigelse",
    "education": "Uddannelse",
    "family": "Familie",
    "school": "Skole",
    "health": "Sundhed",
    "addiction": "Rusmidler",
    "economy": "Økonomi",
    "housing": "Bolig",
    "network": "Netværk",
    "leisure": "Fritid",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Department(Record):
    """A department in its long form (third edition): its name and the areas it works in."""

    name: str | None = None
    areas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings(Record):
    format: int = 1
    municipality: str | None = None
    language: str | None = None  # None: not set; the language rule decides (render/language.py)
    departments: Mapping[str, str] | None = None  # None: any department id is accepted
    # The areas a department works in (third edition): a reader who may read none of them
    # sees its professionals only as "a professional" (consent.Reading.conceals).
    department_areas: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    load: LoadLimits = DEFAULT_LOAD
    calendar: CalendarSettings = CalendarSettings()
    areas: Mapping[str, str] = field(default_factory=dict)
    indicators: Mapping[str, str] | None = None  # None: any indicator id is accepted
    rules: RuleSettings = RuleSettings()

    def all_areas(self) -> dict[str, str]:
        return {**BUILTIN_AREAS, **self.areas}

    def departments_without_areas(self) -> list[str]:
        """The departments that name no areas (`validate` says so: they reveal nothing)."""
        return [d for d in (self.departments or {}) if not self.department_areas.get(d)]

    def department_name(self, dept_id: str) -> str:
        return (self.departments or {}).get(dept_id, dept_id)
