"""CSV for spreadsheets: the rows of a command's JSON, one table per list, in a dialect the
reader's spreadsheet opens.

Danish (the default): UTF-8 with a byte-order mark, `;` between cells and a decimal comma,
which is what Excel with Danish regional settings reads as columns with æ, ø and å intact.
English: plain UTF-8 with `,` and a decimal point. `--csv-sep` chooses the separator.

A cell holds the value of the JSON row it comes from: a nested object becomes columns named
`key_sub` (`baseline_date`, `baseline_value`), a list of plain values is joined with ", ",
a list of objects is written as its JSON text, `null` is an empty cell, booleans are
"ja"/"nej" ("true"/"false" in English), dates stay `2026-03-02` (spreadsheets read those).
Text is CPR-masked, and a text cell that a spreadsheet would run as a formula (it begins
with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from familieplan.format.cpr import mask_cpr
from familieplan.render.output_schemas import row_heads

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = {"tab": "\t"}  # `--csv-sep` names a tab; `;` and `,` are themselves


@dataclass(frozen=True)
class Dialect:
    separator: str
    decimal: str
    bom: bool
    yes: str
    no: str


def dialect(lang: str, separator: str | None = None) -> Dialect:
    """The reader's dialect: Danish `;`, decimal comma and a byte-order mark; English `,`."""
    danish = lang == "da"
    sep = SEPARATORS.get(separator or "", separator or (";" if danish else ","))
    return Dialect(sep, "," if danish else ".", danish, "ja" if danish else "true", "nej" if danish else "false")


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A JSON row as flat cells (the rule in the module's docstring), values not yet written."""
    cells: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            cells.update(flatten(value, f"{name}_"))
        elif isinstance(value, (list, tuple)):
            if any(isinstance(item, (Mapping, list, tuple)) for item in value):
                cells[name] = json.dumps(value, ensure_ascii=False)
            else:
                cells[name] = ", ".join(str(item) for item in value)
        else:
            cells[name] = value
    return cells


def cell(value: Any, how: Dialect) -> str:
    """One value as the text of its cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return how.yes if value else how.no
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", how.decimal)
    text = mask_cpr(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Table:
    """One table of a command's CSV: the command, the JSON list it comes from, its rows.
    Its columns are the list's in the command's output schema (`output_schemas.row_heads`),
    whatever rows there are, so that a spreadsheet's formulas find them each time."""

    command: str
    name: str
    rows: Sequence[Mapping[str, Any]]


def write_csv(out: IO[str], tables: Iterable[Table], lang: str, separator: str | None = None) -> None:
    """Each table (its header row, then its rows), tables apart by one empty line."""
    how = dialect(lang, separator)
    if how.bom:
        out.write(BOM)
    writer = csv.writer(out, delimiter=how.separator, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            out.write("\r\n")
        flat = [flatten(row) for row in table.rows]
        heads = row_heads(table.command, table.name)
        writer.writerow(heads)
        writer.writerows([cell(row.get(name), how) for name in heads] for row in flat)


class CsvReporter:
    """A command's `csv` reporter (the `Reporter` signature): `tables(result, lang)` gives its
    tables; `with_separator` the same reporter with the separator `--csv-sep` chose."""

    def __init__(self, tables: Callable[[Any, str], list[Table]], separator: str | None = None) -> None:
        self.tables = tables
        self.separator = separator

    def __call__(self, result: Any, out: IO[str], lang: str, color: bool | None = None, /) -> None:
        write_csv(out, self.tables(result, lang), lang, self.separator)

    def with_separator(self, separator: str | None) -> CsvReporter:
        return CsvReporter(self.tables, separator)
