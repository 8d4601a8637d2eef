"""The one reporter table: (command, format) -> a function of one signature.

Every reporter is `reporter(result, out, lang, color)`: the command's result (plain data
from `familieplan.commands`), the stream to write to, the reader's language and whether
to colour (None: as the terminal allows). The CLI calls `report` for every command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from familieplan.render import changes, disclosures, fit, followup, load, problems
from familieplan.render import report as outcomes

Reporter = Callable[[Any, IO[str], str, "bool | None"], None]

REPORTERS: dict[tuple[str, str], Reporter] = {
    ("validate", "text"): problems.validate_text,
    ("validate", "plain"): problems.validate_plain,
    ("validate", "json"): problems.validate_json,
    ("check-load", "text"): load.text_report,
    ("check-load", "json"): load.json_report,
    ("check-load", "md"): load.md_report,
    ("due", "text"): followup.due_text,
    ("due", "json"): followup.due_json,
    ("due", "md"): followup.due_md,
    ("status", "text"): followup.status_text,
    ("status", "json"): followup.status_json,
    ("status", "md"): followup.status_md,
    ("fit", "text"): fit.text_report,
    ("fit", "json"): fit.json_report,
    ("fit", "md"): fit.md_report,
    ("changes", "text"): changes.changes_text,
    ("changes", "json"): changes.changes_json,
    ("changes", "md"): changes.changes_md,
    ("report", "text"): outcomes.text_report,
    ("report", "json"): outcomes.json_report,
    ("report", "md"): outcomes.md_report,
    ("report", "html"): outcomes.html_report,
    ("disclosures", "text"): disclosures.text_report,
    ("disclosures", "json"): disclosures.json_report,
    ("disclosures", "md"): disclosures.md_report,
    # The problems that stop a command before it can report (its files do not validate).
    ("invalid", "text"): problems.invalid_text,
}


def formats(command: str) -> tuple[str, ...]:
    """The output formats a command offers, in the table's order."""
    return tuple(fmt for cmd, fmt in REPORTERS if cmd == command)


def report(command: str, result: Any, fmt: str, out: IO[str], lang: str, color: bool | None = None) -> None:
    """Write a command's result in a format and a language."""
    REPORTERS[(command, fmt)](result, out, lang, color)
