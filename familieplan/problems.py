"""Problems are values: every loader and check returns them instead of raising.

A `Problem` carries a `Source` (file, 1-based line and column), a level, a stable code
and a message. Every code is registered once, with its level, group and documentation
(`register`); `make_problem` is the one way to make a Problem, taking the level from the
registry. Codes of reading and of the format are declared in `familieplan.format.codes`,
those of the checks by their registration decorators in `familieplan.checks`.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"
INFO = "info"  # a remark: never a finding, never changes the exit code


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
    quote: str | None = None  # the line at `source`, as it was read (never read again)

    def __reduce__(self) -> tuple[type[Problem], tuple[object, ...]]:
        # Pickled as a call with its fields (the cache): unpickling a slotted dataclass
        # through its generic __setstate__ costs several times more, for thousands of them.
        return (Problem, (self.source, self.level, self.code, self.message_id, self.hint_id, self.args, self.quote))

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
    existing case or output, unknown template. Raised by library functions, caught in the
    CLI. Exit 2: the command could not do what it was asked (README, "Exit codes").

    Like a Problem, the message is a message id (English, marked with `N_`) and its
    arguments, so that the command line shows it in the reader's language; `str()` is the
    English text. A message given without arguments is shown as it is."""

    exit_code = 2

    def __init__(self, message: str, **args: object) -> None:
        self.message_id = message
        self.args_map = {key: _visible_arg(value) for key, value in args.items()}
        super().__init__(message.format(**self.args_map) if args else message)


class UsageError(FamilieplanError):
    """Wrong arguments or options: an unknown case, person or id, a filter naming nothing."""

    exit_code = 2


class InvalidCaseError(FamilieplanError):
    """The case a command needs does not validate. Exit 1: its problems are findings."""

    exit_code = 1


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
    `message` and `hint` are message ids marked with `N_`, their `{fields}` filled from `args`.
    Control, bidi and line-separator characters in the arguments (they may quote a value
    from a file) are shown escaped, so that none reaches a terminal."""
    shown = tuple((key, _visible_arg(value)) for key, value in args.items())
    if not args:
        message, hint = visible(message), visible(hint) if hint else hint
    return Problem(source, CODES[code].level, code, message, hint, shown)


_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _visible_arg(value: object) -> object:
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, tuple):
        return tuple(visible(v) if isinstance(v, str) else v for v in value)
    return value


def visible(text: str) -> str:
    """`text` with every control and invisible formatting character written as an escape."""
    if text.isprintable():
        return text
    return _INVISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
