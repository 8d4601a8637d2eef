"""The type machinery of the file format: each type converts a node with an explicit
format, reports a problem at the value's position when it does not fit, and describes
itself as JSON Schema. The format itself is declared with these in `familieplan.schema`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from typing import Any

from familieplan import model as m
from familieplan.format import patterns
from familieplan.format.cpr import mask_cpr
from familieplan.format.nodes import _NULLS, Mapping, Node, Scalar, Sequence
from familieplan.problems import N_, Problem, Source, Term, make_problem

INVALID: Any = object()  # a value that failed conversion (its problem is already reported)
# Source(path, line, column) without the keyword handling of a NamedTuple's __new__.
_new_source = tuple.__new__

ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")
# Digits are ASCII digits: `\d` alone would also read ٢٠٢٦ (Arabic-Indic) as a year.
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)
_TIME_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)\Z", re.ASCII)
_INT_RE = re.compile(r"[+-]?\d+\Z", re.ASCII)
_DEC_RE = re.compile(r"\d+(?:\.\d+)?\Z", re.ASCII)
_INT_DIGITS = 4000  # longer whole numbers are out of range unread (int() refuses more than 4300 digits)

MIN_YEAR, MAX_YEAR = 1900, 2199
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ALIASES = {
    **{d: d for d in WEEKDAYS},
    "man": "mon", "tir": "tue", "ons": "wed", "tor": "thu", "fre": "fri", "lør": "sat", "søn": "sun",
}
_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "ja", "nej"}

# The same dates, times and ids recur across thousands of files: each is parsed once.
_DAYS: dict[str, dt.date] = {}
_TIMES: dict[str, dt.time] = {}
_IDS: dict[str, bool] = {}
_REMEMBERED = 50_000  # per table; a table that fills up starts over


def _remember(table: dict, key: str, value: Any) -> Any:
    if len(table) >= _REMEMBERED:
        table.clear()
    table[key] = value
    return value

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


class Ctx:
    """What a conversion needs: the file's path, the problem list, the known areas."""

    __slots__ = ("path", "problems", "areas")

    def __init__(self, path: str, problems: list[Problem], areas: frozenset[str]) -> None:
        self.path = path
        self.problems = problems
        self.areas = areas

    def src(self, node: Node) -> Source:
        return Source(self.path, node.line, node.col)

    def report(self, node: Node, code: str, message: str, hint: str | None = None, **args: object) -> None:
        # Messages quote values: mask anything CPR-shaped before it can reach a screen.
        masked = {k: mask_cpr(v) if type(v) is str else v for k, v in args.items()}
        self.problems.append(make_problem(code, Source(self.path, node.line, node.col), message, hint, **masked))


DID_YOU_MEAN = N_("did you mean '{suggestion}'?")


# Danish words a caseworker may write for a value of the format: never accepted (the format
# is the contract), but suggested, so that `role: barn` points at `child`, not at the
# nearest spelling (`parent`).
DANISH_SUGGESTIONS = {
    "barn": "child", "børn": "child", "boern": "child", "forælder": "parent", "forældre": "parent",
    "foraelder": "parent", "mor": "parent", "far": "parent", "andet": "other", "anden": "other",
    "aktiv": "active", "lukket": "closed", "afsluttet": "closed", "pause": "paused", "pauset": "paused",
    "i bero": "paused", "åben": "open", "aaben": "open", "udført": "done", "udfoert": "done",
    "færdig": "done", "annulleret": "cancelled", "aflyst": "cancelled", "afbud": "cancelled",
    "udeblevet": "no-show", "mødt": "attended", "op": "up", "ned": "down", "dansk": "da", "engelsk": "en",
    "familie": "family", "beskæftigelse": "employment", "job": "employment", "uddannelse": "education",
    "skole": "school", "sundhed": "health", "misbrug": "addiction", "rusmidler": "addiction",
    "økonomi": "economy", "bolig": "housing", "netværk": "network", "fritid": "leisure",
}


def did_you_mean_text(word: str, choices: Any) -> str | None:
    """"did you mean 'x'?" for the one-line errors of the command line: a catalog word
    (`Term`), English as a string, in the reader's language as an error's argument."""
    suggestion = did_you_mean(word, choices)
    return Term(N_("did you mean '{suggestion}'?"), suggestion=suggestion) if suggestion else None


def did_you_mean(word: str, choices: Any) -> str | None:
    """The value most likely meant, if any: a Danish word's English value, the one choice
    that starts with what was written (`soes` for `soes-jobcenter`), else the closest
    spelling."""
    options = list(choices)
    lowered = word.strip().lower()
    suggested = DANISH_SUGGESTIONS.get(lowered)
    if suggested in options:
        return suggested
    prefixed = [c for c in options if lowered and isinstance(c, str) and c.startswith(lowered)]
    if len(prefixed) == 1:
        return str(prefixed[0])
    close = difflib.get_close_matches(word, prefixed or options, n=1, cutoff=0.6)
    return close[0] if close else None


def _kind(node: Node) -> Term:
    if type(node) is Mapping:
        return Term(N_("a mapping"))
    if type(node) is Sequence:
        return Term(N_("a list"))
    return Term(N_("nothing") if node.is_null else N_("a single value"))  # type: ignore[union-attr]


class Type:
    """A value type: converts a node, and describes itself as JSON Schema.

    A type of single values also has `of_text(value, plain, ctx)`: the converted value of
    a scalar that is not a plain null, or INVALID without reporting anything (its
    `convert` then says why). Records and lists call it first: the common case, a value
    that fits, costs one call and no position object."""

    name = "value"

    def convert(self, node: Node, ctx: Ctx) -> Any:
        raise NotImplementedError

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        raise NotImplementedError

    def _scalar(self, node: Node, ctx: Ctx) -> str | None:
        if type(node) is Scalar and not (node.plain and node.value in _NULLS):
            return node.value
        ctx.report(node, "wrong-type", N_("expected {name}, found {found}"), name=Term(self.name), found=_kind(node))
        return None


class Text(Type):
    name = N_("text")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        return value.rstrip("\n") if not node.plain else value  # type: ignore[union-attr]

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        return value if plain else value.rstrip("\n")

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        # Any scalar: the tool reads `title: 2026` and `title: true` as the text written.
        return {"type": ["string", "number", "boolean"]}


class Id(Type):
    name = N_("an id")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        if not ID_RE.match(value):
            ctx.report(node, "bad-id", N_("'{value}' is not a valid id"),
                       N_("use lower-case letters a-z, digits, '-' and '_', starting with a letter or digit; "
                          "at most 64 characters"), value=value[:64])
            return INVALID
        return value

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        return value if value in _IDS or (ID_RE.match(value) and _remember(_IDS, value, True)) else INVALID

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        # `id: 2026` is a number to YAML and the id "2026" to the tool.
        return {"type": ["string", "integer"], "pattern": r"^[a-z0-9][a-z0-9_-]*$", "maxLength": 64, "minimum": 0}


class Choice(Type):
    def __init__(self, name: str, choices: dict[str, str]) -> None:
        self.name = name
        self.choices = choices

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        found = self.choices.get(value)
        if found is None:
            canonical = tuple(sorted(set(self.choices.values())))
            suggestion = did_you_mean(value, self.choices)
            ctx.report(node, "bad-value", N_("'{value}' is not {name}; expected one of {choices}"),
                       DID_YOU_MEAN if suggestion else None, value=value[:40], name=Term(self.name),
                       choices=canonical, suggestion=suggestion)
            return INVALID
        return found

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        return self.choices.get(value, INVALID)

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return {"enum": list(self.choices)}


def choice(name: str, *values: str) -> Choice:
    return Choice(name, {v: v for v in values})


class Area(Type):
    """A life area: built-in ones plus the workspace's own."""

    name = N_("a life area")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        if value not in ctx.areas:
            suggestion = did_you_mean(value, ctx.areas)
            ctx.report(node, "bad-value", N_("'{value}' is not a known life area"),
                       DID_YOU_MEAN if suggestion else N_("add it under 'areas' in familieplan.yaml"),
                       value=value[:40], suggestion=suggestion)
            return INVALID
        return value

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        return value if value in ctx.areas else INVALID

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        # The workspace's own areas join the built-in ones where the schema is exported
        # (`familieplan.format.specs.json_schema`): one definition per file.
        return {"$ref": "#/$defs/area"}


class Date(Type):
    name = N_("a date (YYYY-MM-DD)")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        match = _DATE_RE.match(value)
        if not match:
            ctx.report(node, "bad-date", N_("'{value}' is not a date"), N_("write dates as 2026-03-02"),
                       value=value[:40])
            return INVALID
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            ctx.report(node, "bad-date", N_("{value} is not a date in the calendar"), value=value)
            return INVALID
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            # Always a typo in a case file, and it keeps date arithmetic far from its limits.
            ctx.report(node, "bad-date", N_("{value} is outside the years {low}–{high}"), value=value,
                       low=MIN_YEAR, high=MAX_YEAR)
            return INVALID
        return day

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        day = _DAYS.get(value)
        if day is None:
            match = _DATE_RE.match(value)
            if not match or not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
                return INVALID
            try:
                day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return INVALID
            _remember(_DAYS, value, day)
        return day

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return {"type": "string", "pattern": patterns.DATE, "examples": ["2026-03-02"]}


class Time(Type):
    name = N_("a time (HH:MM)")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        match = _TIME_RE.match(value)
        if not match:
            ctx.report(node, "bad-time", N_("'{value}' is not a time"), N_("write times as 09:00 or 14:30"),
                       value=value[:40])
            return INVALID
        return dt.time(int(match[1]), int(match[2]))

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        time = _TIMES.get(value)
        if time is None:
            match = _TIME_RE.match(value)
            if not match:
                return INVALID
            time = _remember(_TIMES, value, dt.time(int(match[1]), int(match[2])))
        return time

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return {"type": "string", "pattern": patterns.TIME, "examples": ["09:00", "14:30"]}


class Integer(Type):
    def __init__(self, low: int, high: int, name: str = N_("a whole number")) -> None:
        self.low, self.high, self.name = low, high, name

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        if not _INT_RE.match(value):
            ctx.report(node, "wrong-type", N_("expected {name}, found '{value}'"), name=Term(self.name),
                       value=value[:40])
            return INVALID
        if len(value) > _INT_DIGITS:
            ctx.report(node, "bad-value", N_("{value} is outside {low}–{high}"), value=value[:40] + "…",
                       low=self.low, high=self.high)
            return INVALID
        number = int(value)
        if not self.low <= number <= self.high:
            ctx.report(node, "bad-value", N_("{value} is outside {low}–{high}"), value=number, low=self.low,
                       high=self.high)
            return INVALID
        return number

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        if not _INT_RE.match(value) or len(value) > _INT_DIGITS:
            return INVALID
        number = int(value)
        return number if self.low <= number <= self.high else INVALID

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        # A quoted number ("20") is the same number to the tool.
        return {"type": ["integer", "string"], "minimum": self.low, "maximum": self.high,
                "pattern": patterns.integer_range(self.low, self.high)}


class Hours(Type):
    name = N_("hours (a number like 2 or 1.5)")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        if not _DEC_RE.match(value):
            hint = N_("use a decimal point: 1.5") if "," in value else None
            ctx.report(node, "wrong-type", N_("expected {name}, found '{value}'"), hint, name=Term(self.name),
                       value=value[:40])
            return INVALID
        hours = float(value)
        if hours > 168:
            ctx.report(node, "bad-value", N_("{value} hours is more than a week holds"), value=value)
            return INVALID
        return hours

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        if not _DEC_RE.match(value):
            return INVALID
        hours = float(value)
        return hours if hours <= 168 else INVALID

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return {"type": ["number", "string"], "minimum": 0, "maximum": 168, "pattern": patterns.HOURS,
                "examples": [2, 1.5]}


_NUMBER_RE = re.compile(r"[+-]?\d+(?:\.\d+)?\Z", re.ASCII)
_DATETIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})\Z", re.ASCII)


class Number(Type):
    """A decimal number, for measured values (14, 9.5, -2)."""

    name = N_("a number like 14 or 9.5")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        if not _NUMBER_RE.match(value):
            hint = N_("use a decimal point: 9.5") if "," in value else None
            ctx.report(node, "wrong-type", N_("expected {what}, found '{value}'"), hint, what=Term(self.name),
                       value=value[:40])
            return INVALID
        return float(value)

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        return float(value) if _NUMBER_RE.match(value) else INVALID

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return {"type": ["number", "string"], "pattern": patterns.NUMBER}


class DateTime(Type):
    """An ISO 8601 date and time with its UTC offset: 2026-03-02T14:05:00+01:00."""

    name = N_("a date and time with offset (2026-03-02T14:05:00+01:00)")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        match = _DATETIME_RE.match(value)
        if not match:
            ctx.report(node, "bad-date", N_("'{value}' is not a date and time with its offset"),
                       N_("write the time with its offset, e.g. 2026-03-02T14:05:00+01:00"), value=value[:40])
            return INVALID
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            ctx.report(node, "bad-date", N_("{value} is not a time in the calendar"), value=value[:40])
            return INVALID
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            ctx.report(node, "bad-date", N_("{value} is outside the years {low}–{high}"), value=value[:40],
                       low=MIN_YEAR, high=MAX_YEAR)
            return INVALID
        return moment

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        if not _DATETIME_RE.match(value):
            return INVALID
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return INVALID
        return moment if MIN_YEAR <= moment.year <= MAX_YEAR else INVALID

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return {"type": "string", "pattern": patterns.DATE_TIME, "examples": ["2026-03-02T14:05:00+01:00"]}


class Boolean(Type):
    name = N_("true or false")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        value = self._scalar(node, ctx)
        if value is None:
            return INVALID
        found = self.of_text(value, node.plain, ctx)  # type: ignore[union-attr]
        if found is not INVALID:
            return found
        low = value.lower()
        if low in _BOOL_WORDS:
            ctx.report(node, "bad-boolean", N_("'{value}' is not a boolean here"), N_("write true or false"),
                       value=value)
        else:
            ctx.report(node, "wrong-type", N_("expected true or false, found '{value}'"), value=value[:40])
        return INVALID

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        low = value.lower()
        return True if low == "true" else False if low == "false" else INVALID

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return {"type": ["boolean", "string"], "pattern": patterns.BOOLEAN}


class ListOf(Type):
    def __init__(self, item: Type, min_items: int = 0) -> None:
        self.item = item
        self.min_items = min_items
        self.name = f"a list of {item.name}"

    def convert(self, node: Node, ctx: Ctx) -> Any:
        if type(node) is not Sequence:
            hint = N_("write a list: [{value}]") if type(node) is Scalar and not node.is_null else None
            ctx.report(node, "wrong-type", N_("expected a list, found {found}"), hint, found=_kind(node),
                       value=node.value if type(node) is Scalar else "")
            return INVALID
        if len(node.items) < self.min_items:
            ctx.report(node, "missing-field", N_("the list needs at least {n} entry"), n=self.min_items)
            return INVALID
        convert = self.item.convert
        of_text = getattr(self.item, "of_text", None)
        out = []
        for child in node.items:
            value = INVALID
            if of_text is not None and type(child) is Scalar and not (child.plain and child.value in _NULLS):
                value = of_text(child.value, child.plain, ctx)
            if value is INVALID:
                value = convert(child, ctx)
            if value is not INVALID:
                out.append(value)
        return tuple(out)

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema(tr)}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


class MapOf(Type):
    """id: display name — departments and extra areas in familieplan.yaml."""

    name = N_("a mapping of id: name")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        if type(node) is not Mapping:
            ctx.report(node, "wrong-type", N_("expected {name}, found {found}"), name=Term(self.name),
                       found=_kind(node))
            return INVALID
        out = {}
        for key, (key_node, value_node) in node.items.items():
            if Id().convert(key_node, ctx) is INVALID:
                continue
            value = Text().convert(value_node, ctx)
            if value is not INVALID:
                out[key] = value
        return out

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return {"type": "object", "propertyNames": {"type": "string", "pattern": Id().json_schema()["pattern"],
                                                    "maxLength": 64},
                "additionalProperties": Text().json_schema()}


def or_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, or nothing (`key:` left empty)."""
    if "type" in schema and "anyOf" not in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


_EXTENSION_DOC = N_("Your own key: keys starting with x- are kept and not checked")


class Nullable(Type):
    def __init__(self, inner: Type) -> None:
        self.inner = inner
        self.name = inner.name

    def convert(self, node: Node, ctx: Ctx) -> Any:
        if type(node) is Scalar and node.is_null:
            return None
        return self.inner.convert(node, ctx)

    def of_text(self, value: str, plain: bool, ctx: Ctx) -> Any:
        of_text = getattr(self.inner, "of_text", None)
        return INVALID if of_text is None else of_text(value, plain, ctx)

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return or_null(self.inner.json_schema(tr))


class Field:
    __slots__ = ("type", "required", "attr", "doc", "nullable")

    def __init__(self, type_: Type, required: bool = False, attr: str | None = None, doc: str = "") -> None:
        self.type = type_
        self.nullable = isinstance(type_, Nullable)
        self.required = required
        self.attr: str = attr or ""  # the model attribute; Record fills in the key when empty
        self.doc = doc


def F(type_: Type, doc: str = "", *, required: bool = False, attr: str | None = None) -> Field:
    return Field(type_, required, attr, doc)


def _plain(node: Node) -> object:
    """A node as plain Python data, for `x-` extension keys."""
    if type(node) is Scalar:
        return None if node.is_null else node.value
    if type(node) is Sequence:
        return [_plain(child) for child in node.items]
    return {key: _plain(value) for key, (_, value) in node.items.items()}  # type: ignore[union-attr]


def _item_places(where: dict[str, Source], key: str, path: str, node: Sequence) -> None:
    """`key[i]` for each scalar item of a list that converted whole: a check on one item
    (an unknown id in `send_to: [mor, nobody]`) points at that item, not at the list."""
    for index, item in enumerate(node.items):
        if type(item) is Scalar:
            where[f"{key}[{index}]"] = _new_source(Source, (path, item.line, item.col))


class Record(Type):
    """A mapping with known keys, built into a model record."""

    def __init__(self, name: str, cls: type, fields: dict[str, Field], doc: str = "",
                 rules: dict[str, Any] | None = None) -> None:
        self.name = name
        self.cls = cls
        self.fields = fields
        self.doc = doc
        # JSON Schema keywords for the rules between the record's own fields that a check
        # enforces (`status: closed` needs `closed`): what an editor can check as well.
        self.rules = rules or {}
        for key, spec in fields.items():
            if not spec.attr:
                spec.attr = key
        self._required = [k for k, f in fields.items() if f.required]
        import dataclasses

        # Attributes whose default is None may take an explicit None (a failed value);
        # the others keep their default.
        self._nullable = frozenset(f.name for f in dataclasses.fields(cls) if f.default is None)
        # Per key what the loop in `convert` needs, looked up once.
        attrs = {f.name for f in dataclasses.fields(cls)}
        assert all(spec.attr in attrs for spec in fields.values()), (name, cls)
        self._fast = {key: (spec.attr, getattr(spec.type, "of_text", None), spec.type.convert,
                            spec.nullable and not spec.required, spec.required and not spec.nullable)
                      for key, spec in fields.items()}

    def convert(self, node: Node, ctx: Ctx, extra: dict[str, Any] | None = None) -> Any:
        """The record, or INVALID; `extra` are values of attributes that no key gives (a
        meeting's name, from its file name)."""
        if type(node) is not Mapping:
            ctx.report(node, "wrong-type", N_("expected {name} (a mapping of key: value), found {found}"),
                       name=Term(self.name), found=_kind(node))
            return INVALID
        fast = self._fast
        values: dict[str, Any] = {}
        where: dict[str, Source] = {}
        extensions: dict[str, object] = {}
        path = ctx.path
        blank = False  # some value is None
        for key, (key_node, value_node) in node.items.items():
            spec = fast.get(key)
            if spec is None:
                self._unknown(key, key_node, value_node, ctx, extensions)
                continue
            attr, of_text, convert, _, must = spec
            where[key] = _new_source(Source, (path, value_node.line, value_node.col))
            value = INVALID
            if type(value_node) is Scalar:
                if value_node.plain and value_node.value in _NULLS:
                    # An optional field left empty counts as absent (a nullable one is None).
                    if must:
                        ctx.report(value_node, "missing-field", N_("'{key}' has no value"), key=key)
                    values[attr] = None
                    blank = True
                    continue
                if of_text is not None:
                    value = of_text(value_node.value, value_node.plain, ctx)
            if value is INVALID:
                value = convert(value_node, ctx)  # reports why it does not fit
                if type(value_node) is Sequence and type(value) is tuple and len(value) == len(value_node.items):
                    _item_places(where, key, path, value_node)
            if value is INVALID or value is None:
                values[attr] = None
                blank = True
            else:
                values[attr] = value
        for key in self._required:
            if key not in node.items:
                ctx.report(node, "missing-field", N_("{name} is missing '{key}'"), name=Term(self.name), key=key)
        # Absent fields keep the dataclass defaults; None from a failed value overrides them
        # only where the dataclass allows it.
        if blank:
            values = {k: v for k, v in values.items() if v is not None or k in self._nullable}
        if extra:
            values.update(extra)
        return self.cls(source=_new_source(Source, (path, node.line, node.col)), where=where, extensions=extensions,
                        **values)

    def _unknown(self, key: str, key_node: Scalar, value_node: Node, ctx: Ctx, extensions: dict[str, object]) -> None:
        """A key the record does not know: an `x-` extension is kept, any other reported."""
        if key.startswith("x-"):
            extensions[key] = _plain(value_node)
            return
        suggestion = did_you_mean(key, self.fields)
        ctx.report(key_node, "unknown-key", N_("unknown key '{key}' in {name}"),
                   DID_YOU_MEAN if suggestion else None, key=key[:40], name=Term(self.name),
                   suggestion=suggestion)

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        props = {}
        for key, spec in self.fields.items():
            schema = spec.type.json_schema(tr)
            if not spec.required and not spec.nullable:
                schema = or_null(schema)  # an optional field left empty counts as absent
            if spec.doc:
                schema = {**schema, "description": tr(spec.doc)}
            props[key] = schema
        out: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "patternProperties": {"^x-": {"description": tr(_EXTENSION_DOC)}},
            "additionalProperties": False,
        }
        if self.doc:
            out["description"] = tr(self.doc)
        if self._required:
            out["required"] = list(self._required)
        return {**out, **self.rules}


class ParticipantType(Type):
    """A participant: an id, or a mapping {id, present} to mark someone absent."""

    name = "a participant"

    def __init__(self, record: Record) -> None:
        self.record = record

    def convert(self, node: Node, ctx: Ctx) -> Any:
        if type(node) is Scalar:
            pid = Id().convert(node, ctx)
            if pid is INVALID:
                return INVALID
            return m.Participant(source=ctx.src(node), id=pid)
        return self.record.convert(node, ctx)

    def json_schema(self, tr: Translate = _same) -> dict[str, Any]:
        return {"anyOf": [Id().json_schema(tr), self.record.json_schema(tr)]}
