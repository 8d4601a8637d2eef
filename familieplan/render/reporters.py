"""The one reporter table: for each command, its reporters by format.

A reporter is `reporter(result, out, lang, color)` (`render/reporter.Reporter`). Each
render module names its own in a `REPORTERS` dict (format -> reporter); adding a format
is one entry there. The CLI calls `report` for every command; only the command's own
module is imported (a warm run is mostly start-up and output).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import IO, Any

from familieplan.render.csvout import CsvReporter
from familieplan.render.reporter import Reporter

# Each command's module in familieplan.render, and the name of its table there.
MODULES: dict[str, tuple[str, str]] = {
    "validate": ("problems", "REPORTERS"),
    "check-load": ("check_load", "REPORTERS"),
    "due": ("followup", "REPORTERS"),
    "status": ("status", "REPORTERS"),
    "fit": ("fit", "REPORTERS"),
    "changes": ("changes", "REPORTERS"),
    "report": ("report", "REPORTERS"),
    "disclosures": ("disclosures", "REPORTERS"),
    "record": ("record", "REPORTERS"),
    "rules": ("statutory", "REPORTERS"),
    # The problems that stop a command before it can report (its files do not validate).
    "invalid": ("problems", "INVALID"),
}


def reporters(command: str) -> Mapping[str, Reporter]:
    """A command's reporters by format."""
    module, table = MODULES[command]
    found: Mapping[str, Reporter] = getattr(importlib.import_module(f"familieplan.render.{module}"), table)
    return found


def formats(command: str) -> tuple[str, ...]:
    """The output formats a command offers, in its module's order."""
    return tuple(reporters(command))


def report(command: str, result: Any, fmt: str, out: IO[str], lang: str, color: bool | None = None,
           csv_sep: str | None = None) -> None:
    """Write a command's result in a format and a language (CSV with the separator
    `csv_sep` chose, else the language's)."""
    reporter = reporters(command)[fmt]
    if csv_sep is not None and isinstance(reporter, CsvReporter):
        reporter = reporter.with_separator(csv_sep)
    reporter(result, out, lang, color)
