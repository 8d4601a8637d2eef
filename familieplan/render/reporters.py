"""The one reporter table: for each command, its reporters by format.

A reporter is `reporter(result, out, lang, color)` (`render/reporter.Reporter`). Each
render module names its own in a `REPORTERS` dict (format -> reporter); adding a format
is one entry there. The CLI calls `report` for every command.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from familieplan.render import changes, check_load, disclosures, fit, followup, problems, status
from familieplan.render import report as outcomes
from familieplan.render.reporter import Reporter

REPORTERS: dict[str, Mapping[str, Reporter]] = {
    "validate": problems.REPORTERS,
    "check-load": check_load.REPORTERS,
    "due": followup.REPORTERS,
    "status": status.REPORTERS,
    "fit": fit.REPORTERS,
    "changes": changes.REPORTERS,
    "report": outcomes.REPORTERS,
    "disclosures": disclosures.REPORTERS,
    # The problems that stop a command before it can report (its files do not validate).
    "invalid": problems.INVALID,
}


def formats(command: str) -> tuple[str, ...]:
    """The output formats a command offers, in its module's order."""
    return tuple(REPORTERS[command])


def report(command: str, result: Any, fmt: str, out: IO[str], lang: str, color: bool | None = None) -> None:
    """Write a command's result in a format and a language."""
    REPORTERS[command][fmt](result, out, lang, color)
