"""Problems are values: every loader and check returns them instead of raising.

A `Problem` carries a `Source` (file, 1-based line and column), a level, a stable code
and a message. Every code is registered once, with its level, group and documentation
(`register`); `make_problem` is the one way to make a Problem, taking the level from the
registry. Codes of reading and of the format are declared in `familieplan.format.codes`,
those of the checks by their registration decorators in `familieplan.checks`.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"


class Source(NamedTuple):
    """Where a model object or value came from: file path, 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def N_(message: str) -> str:
    """Mark an English message id for the catalog (`pybabel extract` finds `N_("…")`); the
    text is made in the reader's language by `familieplan.render` when it is shown."""
    return message


class Term(str):
    """An argument of a message that is itself a catalog word ('a date', 'phase {id}'), so
    the renderer translates it too; any other argument is user data, shown as written.
    The English text is the string itself; `msgid` and `fields` let a renderer redo it."""

    msgid: str
    fields: dict[str, object]

    def __new__(cls, msgid: str, **fields: object) -> Term:
        term = super().__new__(cls, msgid.format(**fields) if fields else msgid)
        term.msgid = msgid
        term.fields = fields
        return term

    def __reduce__(self) -> tuple[object, ...]:
        return (_make_term, (self.msgid, self.fields))


def _make_term(msgid: str, fields: dict[str, object]) -> Term:
    return Term(msgid, **fields)


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about the user's files: plain data made in the core. The message is a
    message id (English, with `{name}` fields) and its arguments; `message` and `hint` give
    the English text, `familieplan.render` gives it in the reader's language."""

    source: Source
    level: str
    code: str
    message_id: str
    hint_id: str | None = None
    args: tuple[tuple[str, object], ...] = ()

    @property
    def message(self) -> str:
        return self.message_id.format(**self.english_args()) if self.args else self.message_id

    @property
    def hint(self) -> str | None:
        if self.hint_id is None:
            return None
        return self.hint_id.format(**self.english_args()) if self.args else self.hint_id

    def english_args(self) -> dict[str, object]:
        """The arguments as the English text shows them (a list as 'a, b, c')."""
        return {k: ", ".join(map(str, v)) if isinstance(v, tuple) else v for k, v in self.args}

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.source.path, self.source.line, self.source.column, self.code)

    def format_line(self) -> str:
        text = f"{self.source}: {self.level} {self.code}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.source.path,
            "line": self.source.line,
            "column": self.source.column,
            "level": self.level,
            "code": self.code,
            "message": self.message + (f" ({self.hint})" if self.hint else ""),
        }


class FamilieplanError(Exception):
    """An expected failure shown to the user as one line (no traceback): missing folder,
    existing case, unknown template. Raised by library functions, caught in the CLI."""

    exit_code = 1


class UsageError(FamilieplanError):
    """Wrong arguments or options."""

    exit_code = 2



@dataclass(frozen=True)
class CodeDoc:
    """A registered code: its level, its group in docs/codes.md and its documentation."""

    code: str
    level: str
    group: str
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


CODES: dict[str, CodeDoc] = {}


def register(code: str, level: str, group: str, doc: str) -> None:
    """Declare a code once, with its level and user documentation."""
    if code in CODES:
        raise ValueError(f"code {code} registered twice")
    CODES[code] = CodeDoc(code, level, group, inspect.cleandoc(doc))


def level_of(code: str) -> str:
    return CODES[code].level


def make_problem(code: str, source: Source, message: str, hint: str | None = None, **args: object) -> Problem:
    """The one way to make a Problem: the level is the one its code is registered with.
    `message` and `hint` are message ids marked with `N_`, their `{fields}` filled from `args`."""
    return Problem(source, CODES[code].level, code, message, hint, tuple(args.items()))
