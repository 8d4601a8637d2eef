"""The one reporter table: (command, format) -> a function of one signature.

Every reporter is `reporter(result, out, lang, color)`: the command's result (plain data
from `familieplan.commands`), the stream to write to, the reader's language and whether
to colour (None: as the terminal allows). The CLI calls `report` for every command.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import IO, Any

Reporter = Callable[[Any, IO[str], str, "bool | None"], None]

# Each reporter by its module (in familieplan.render) and name: a command imports only
# its own reporter (a run served from the cache is mostly start-up and output).
REPORTERS: dict[tuple[str, str], str] = {
    ("validate", "text"): "problems.validate_text",
    ("validate", "plain"): "problems.validate_plain",
    ("validate", "json"): "problems.validate_json",
    ("check-load", "text"): "load.text_report",
    ("check-load", "json"): "load.json_report",
    ("check-load", "md"): "load.md_report",
    ("due", "text"): "followup.due_text",
    ("due", "json"): "followup.due_json",
    ("due", "md"): "followup.due_md",
    ("status", "text"): "status.status_text",
    ("status", "json"): "status.status_json",
    ("status", "md"): "status.status_md",
    ("fit", "text"): "fit.text_report",
    ("fit", "json"): "fit.json_report",
    ("fit", "md"): "fit.md_report",
    ("changes", "text"): "changes.changes_text",
    ("changes", "json"): "changes.changes_json",
    ("changes", "md"): "changes.changes_md",
    ("report", "text"): "report.text_report",
    ("report", "json"): "report.json_report",
    ("report", "md"): "report.md_report",
    ("report", "html"): "report.html_report",
    ("disclosures", "text"): "disclosures.text_report",
    ("disclosures", "json"): "disclosures.json_report",
    ("disclosures", "md"): "disclosures.md_report",
    # The problems that stop a command before it can report (its files do not validate).
    ("invalid", "text"): "problems.invalid_text",
}


def formats(command: str) -> tuple[str, ...]:
    """The output formats a command offers, in the table's order."""
    return tuple(fmt for cmd, fmt in REPORTERS if cmd == command)


def report(command: str, result: Any, fmt: str, out: IO[str], lang: str, color: bool | None = None) -> None:
    """Write a command's result in a format and a language."""
    reporter(command, fmt)(result, out, lang, color)


def reporter(command: str, fmt: str) -> Reporter:
    """The reporter of a command in a format."""
    module, name = REPORTERS[(command, fmt)].split(".")
    found: Reporter = getattr(importlib.import_module(f"familieplan.render.{module}"), name)
    return found
