"""The one JSON style of every command: a top-level object of named lists (and a summary).

    {
    "format": 1,
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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from familieplan.problems import Problem
from familieplan.render.messages import problem_text

# One encoder for every row: `json.dumps` with an option builds a new encoder per call,
# which costs more than encoding a row (16,000 deadline rows: 0.18 s against 0.06 s).
encode_row = json.JSONEncoder(ensure_ascii=False).encode

# The version of the JSON shapes, the first key of every object (`"format": 1`): raised when a
# shape changes in a way that is not an addition (render/output_schemas.py has the shapes).
JSON_FORMAT = 1


def problem_json(problem: Problem, lang: str = "en") -> str:
    """One problem as a JSON object (one line); the message in the reader's language."""
    row = problem.as_json()
    if lang != "en":
        message, hint = problem_text(problem, lang)
        row["message"] = message + (f" ({hint})" if hint else "")
    return encode_row(row)


def problem_rows(problems: Iterable[Problem], lang: str) -> Iterator[str]:
    """The problems as JSON rows."""
    for problem in problems:
        yield problem_json(problem, lang)


def rows_json(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return [encode_row(row) for row in rows]


def write_json(out: IO[str], lists: Mapping[str, Iterable[str]], summary: dict[str, object] | None = None) -> None:
    """Write the object: each named list with one already-encoded object per line. A list
    may be a generator: its rows are written as they are made, a thousand at a time (one
    write each: the output's CPR mask runs once per thousand rows, not per row)."""
    separator = ",\n"
    out.write(f'{{\n"format": {JSON_FORMAT}')
    for name, rows in lists.items():
        out.write(f"{separator}{json.dumps(name)}: [")
        separator = ",\n"
        iterator = iter(rows)
        first = True
        while chunk := list(itertools.islice(iterator, 1000)):
            out.write(("\n" if first else ",\n") + ",\n".join(chunk))
            first = False
        out.write("]" if first else "\n]")
    if summary is not None:
        out.write(f'{separator}"summary": {encode_row(summary)}')
    out.write("\n}\n")
