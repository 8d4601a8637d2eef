"""The types of single values: each reads the text as written with an explicit format
(`14:30` is a time, `no` is not a boolean) and reports at the value's place when it does
not fit. `patterns` writes the same rules as JSON Schema patterns for editors.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from familieplan.format import patterns
from familieplan.format.nodes import Scalar
from familieplan.format.suggest import DID_YOU_MEAN, did_you_mean
from familieplan.format.types import INVALID, Ctx, SingleValue
from familieplan.problems import N_, Term

ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")
# Digits are ASCII digits: `\d` alone would also read ٢٠٢٦ (Arabic-Indic) as a year.
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_TIME_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)\Z", re.ASCII)
_INT_RE = re.compile(r"[+-]?\d+\Z", re.ASCII)
_DEC_RE = re.compile(r"\d+(?:\.\d+)?\Z", re.ASCII)
_NUMBER_RE = re.compile(r"[+-]?\d+(?:\.\d+)?\Z", re.ASCII)
_DATETIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})\Z", re.ASCII)
_INT_DIGITS = 4000  # longer whole numbers are out of range unread (int() refuses more than 4300 digits)

MIN_YEAR, MAX_YEAR = 1900, 2199
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_ALIASES = {
    **{d: d for d in WEEKDAYS},
    "man": "mon", "tir": "tue", "ons": "wed", "tor": "thu", "fre": "fri", "lør": "sat", "søn": "sun",
}
_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "ja", "nej"}


class Text(SingleValue):
    name = N_("text")

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        return text if node.plain else text.rstrip("\n")

    def json_schema(self) -> dict[str, Any]:
        # Any scalar: the tool reads `title: 2026` and `title: true` as the text written.
        return {"type": ["string", "number", "boolean"]}


class Id(SingleValue):
    name = N_("an id")

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        if not ID_RE.match(text):
            ctx.report(node, "bad-id", N_("'{value}' is not a valid id"),
                       N_("use lower-case letters a-z, digits, '-' and '_', starting with a letter or digit; "
                          "at most 64 characters"), value=text[:64])
            return INVALID
        return text

    def json_schema(self) -> dict[str, Any]:
        # `id: 2026` is a number to YAML and the id "2026" to the tool.
        return {"type": ["string", "integer"], "pattern": r"^[a-z0-9][a-z0-9_-]*$", "maxLength": 64, "minimum": 0}


class Choice(SingleValue):
    def __init__(self, name: str, choices: dict[str, str]) -> None:
        self.name = name
        self.choices = choices

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        found = self.choices.get(text)
        if found is None:
            canonical = tuple(sorted(set(self.choices.values())))
            suggestion = did_you_mean(text, self.choices)
            ctx.report(node, "bad-value", N_("'{value}' is not {name}; expected one of {choices}"),
                       DID_YOU_MEAN if suggestion else None, value=text[:40], name=Term(self.name),
                       choices=canonical, suggestion=suggestion)
            return INVALID
        return found

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}


def choice(name: str, *values: str) -> Choice:
    return Choice(name, {v: v for v in values})


class Area(SingleValue):
    """A life area: built-in ones plus the workspace's own."""

    name = N_("a life area")

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        if text not in ctx.areas:
            suggestion = did_you_mean(text, ctx.areas)
            ctx.report(node, "bad-value", N_("'{value}' is not a known life area"),
                       DID_YOU_MEAN if suggestion else N_("add it under 'areas' in familieplan.yaml"),
                       value=text[:40], suggestion=suggestion)
            return INVALID
        return text

    def json_schema(self) -> dict[str, Any]:
        # The workspace's own areas join the built-in ones where the schema is exported
        # (`familieplan.format.specs.json_schema`): one definition per file.
        return {"$ref": "#/$defs/area"}


def _within_years(year: int, text: str, node: Scalar, ctx: Ctx) -> bool:
    """Whether a date's year is in MIN_YEAR–MAX_YEAR (reported when not): another year is
    always a typo in a case file, and the range keeps date arithmetic far from its limits."""
    if MIN_YEAR <= year <= MAX_YEAR:
        return True
    ctx.report(node, "bad-date", N_("{value} is outside the years {low}–{high}"), value=text[:40],
               low=MIN_YEAR, high=MAX_YEAR)
    return False


class Date(SingleValue):
    name = N_("a date (YYYY-MM-DD)")

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        if not _DATE_RE.match(text):
            ctx.report(node, "bad-date", N_("'{value}' is not a date"), N_("write dates as 2026-03-02"),
                       value=text[:40])
            return INVALID
        try:
            day = dt.date.fromisoformat(text)  # exactly YYYY-MM-DD here; an impossible day raises
        except ValueError:
            ctx.report(node, "bad-date", N_("{value} is not a date in the calendar"), value=text)
            return INVALID
        return day if _within_years(day.year, text, node, ctx) else INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": patterns.DATE, "examples": ["2026-03-02"]}


class Time(SingleValue):
    name = N_("a time (HH:MM)")

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        match = _TIME_RE.match(text)
        if not match:
            ctx.report(node, "bad-time", N_("'{value}' is not a time"), N_("write times as 09:00 or 14:30"),
                       value=text[:40])
            return INVALID
        return dt.time(int(match[1]), int(match[2]))

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": patterns.TIME, "examples": ["09:00", "14:30"]}


class Integer(SingleValue):
    def __init__(self, low: int, high: int, name: str = N_("a whole number")) -> None:
        self.low, self.high, self.name = low, high, name

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        if not _INT_RE.match(text):
            ctx.report(node, "wrong-type", N_("expected {name}, found '{value}'"), name=Term(self.name),
                       value=text[:40])
            return INVALID
        if len(text) > _INT_DIGITS:
            ctx.report(node, "bad-value", N_("{value} is outside {low}–{high}"), value=text[:40] + "…",
                       low=self.low, high=self.high)
            return INVALID
        number = int(text)
        if not self.low <= number <= self.high:
            ctx.report(node, "bad-value", N_("{value} is outside {low}–{high}"), value=number, low=self.low,
                       high=self.high)
            return INVALID
        return number

    def json_schema(self) -> dict[str, Any]:
        # A quoted number ("20") is the same number to the tool.
        return {"type": ["integer", "string"], "minimum": self.low, "maximum": self.high,
                "pattern": patterns.integer_range(self.low, self.high)}


class Hours(SingleValue):
    name = N_("hours (a number like 2 or 1.5)")

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        if not _DEC_RE.match(text):
            hint = N_("use a decimal point: 1.5") if "," in text else None
            ctx.report(node, "wrong-type", N_("expected {name}, found '{value}'"), hint, name=Term(self.name),
                       value=text[:40])
            return INVALID
        hours = float(text)
        if hours > 168:
            ctx.report(node, "bad-value", N_("{value} hours is more than a week holds"), value=text)
            return INVALID
        return hours

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["number", "string"], "minimum": 0, "maximum": 168, "pattern": patterns.HOURS,
                "examples": [2, 1.5]}


class Number(SingleValue):
    """A decimal number, for measured values (14, 9.5, -2)."""

    name = N_("a number like 14 or 9.5")

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        if not _NUMBER_RE.match(text):
            hint = N_("use a decimal point: 9.5") if "," in text else None
            ctx.report(node, "wrong-type", N_("expected {what}, found '{value}'"), hint, what=Term(self.name),
                       value=text[:40])
            return INVALID
        return float(text)

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["number", "string"], "pattern": patterns.NUMBER}


class DateTime(SingleValue):
    """An ISO 8601 date and time with its UTC offset: 2026-03-02T14:05:00+01:00."""

    name = N_("a date and time with offset (2026-03-02T14:05:00+01:00)")

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        match = _DATETIME_RE.match(text)
        if not match:
            ctx.report(node, "bad-date", N_("'{value}' is not a date and time with its offset"),
                       N_("write the time with its offset, e.g. 2026-03-02T14:05:00+01:00"), value=text[:40])
            return INVALID
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            ctx.report(node, "bad-date", N_("{value} is not a time in the calendar"), value=text[:40])
            return INVALID
        return moment if _within_years(moment.year, text, node, ctx) else INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": patterns.DATE_TIME, "examples": ["2026-03-02T14:05:00+01:00"]}


class Boolean(SingleValue):
    name = N_("true or false")

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        low = text.lower()
        if low == "true":
            return True
        if low == "false":
            return False
        if low in _BOOL_WORDS:
            ctx.report(node, "bad-boolean", N_("'{value}' is not a boolean here"), N_("write true or false"),
                       value=text)
        else:
            ctx.report(node, "wrong-type", N_("expected true or false, found '{value}'"), value=text[:40])
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["boolean", "string"], "pattern": patterns.BOOLEAN}
