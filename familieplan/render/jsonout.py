"""The one JSON style of every command: a top-level object of named lists (and a summary).

    {
    "problems": [
    {"path": "cases/…/case.yaml", "line": 6, …},
    …
    ],
    "findings": [
    …
    ],
    "summary": {"errors": 1, "warnings": 0}
    }

Every command's object has `problems` (what is wrong in the files it read) beside its own
lists, so a tool reads one shape whether the files validate or not. One object per line:
readable, diffable, and made by the C encoder (an indented dump is several times slower on
a large workspace).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from familieplan.format.cpr import mask_cpr
from familieplan.problems import Problem
from familieplan.render.messages import problem_text
from familieplan.render.privacy import write_masked

# One encoder for every row: `json.dumps` with an option builds a new encoder per call,
# which costs more than encoding a row (16,000 deadline rows: 0.18 s against 0.06 s).
encode_row = json.JSONEncoder(ensure_ascii=False).encode
# A string as `encode_row` writes it (the encoder's own function: C where available).
json_string = json.encoder.encode_basestring


def problem_json(problem: Problem, lang: str = "en") -> str:
    """One problem as a JSON object (one line); the message in the reader's language."""
    row = problem.as_json()
    if lang != "en":
        message, hint = problem_text(problem, lang)
        row["message"] = message + (f" ({hint})" if hint else "")
    return encode_row(row)


def problem_rows(problems: Iterable[Problem], lang: str, rendered: Mapping[int, str] | None = None) -> Iterator[str]:
    """The problems as JSON rows, CPR-masked (a `masked` list of `write_json`); `rendered`:
    rows made (and masked) already, in the workers and cached, by the identity of their problem."""
    rendered = rendered or {}
    for problem in problems:
        row = rendered.get(id(problem))
        yield row if row is not None else mask_cpr(problem_json(problem, lang))


def rows_json(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return [encode_row(row) for row in rows]


def write_json(out: IO[str], lists: Mapping[str, Iterable[str]], summary: dict[str, object] | None = None,
               masked: Collection[str] = ()) -> None:
    """Write the object: each named list with one already-encoded object per line. A list
    may be a generator: its rows are written as they are made, never all held at once. The
    lists named in `masked` hold rows `mask_cpr` has masked: written a thousand at a time
    past the output's mask."""
    writer = JsonWriter(out)
    for name, rows in lists.items():
        writer.start(name)
        if name in masked:
            for chunk in _chunks(rows, 1000):
                writer.rows(chunk, masked=True)
            continue
        for row in rows:
            writer.row(row)
    writer.close(summary)


def _chunks(rows: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class JsonWriter:
    """The object of `write_json` written a list at a time, a row at a time (for a
    command that writes rows as its cases come)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.separator = "\n"
        self.opening = ""
        out.write("{")

    def start(self, name: str) -> None:
        self._end_list()
        self.out.write(f"{self.separator}{json.dumps(name)}: ")
        self.separator = ",\n"
        self.opening = "[\n"

    def row(self, row: str) -> None:
        self.out.write(self.opening)
        self.out.write(row)
        self.opening = ",\n"

    def rows(self, rows: Sequence[str] | Sequence[bytes], masked: bool = False) -> None:
        """Several rows in one write (the output's CPR mask then runs once for them); with
        `masked`, rows that `mask_cpr` masked where they were made (not masked again),
        as text or as UTF-8 bytes."""
        if not rows:
            return
        if masked and isinstance(rows[0], bytes):
            write_masked(self.out, self.opening.encode() + b",\n".join(rows))  # type: ignore[arg-type]
        elif masked:
            self.out.write(self.opening)
            write_masked(self.out, ",\n".join(rows))  # type: ignore[arg-type]
        else:
            self.out.write(self.opening + ",\n".join(rows))  # type: ignore[arg-type]
        self.opening = ",\n"

    def _end_list(self) -> None:
        if self.opening:
            self.out.write("[]" if self.opening == "[\n" else "\n]")
            self.opening = ""

    def close(self, summary: dict[str, object] | None = None) -> None:
        self._end_list()
        if summary is not None:
            self.out.write(f'{self.separator}"summary": {encode_row(summary)}')
        self.out.write("\n}\n")
