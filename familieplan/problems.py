"""Problems are values: every loader and check returns them instead of raising.

A `Problem` carries a `Source` (file, 1-based line and column), a level, a stable code
and a message. Codes are documented in `familieplan.codes`; a test fails if one is used
without documentation.
"""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about the user's files."""

    source: Source
    level: str
    code: str
    message: str
    hint: str | None = None

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

