"""The one reporter table: for each command, its reporters by format.

A reporter is `reporter(result, out, lang, color)`: the command's result (plain data from
`familieplan.commands`), the stream to write to, the reader's language and whether to
colour (None: as `render/terminal.console` decides; False: plain text for a file). Each
render module names its own in a `REPORTERS` dict (format -> reporter); adding a format
is one entry there. The CLI calls `report` for every command.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any, Protocol


class Reporter(Protocol):
    def __call__(self, result: Any, out: IO[str], lang: str, color: bool | None = None, /) -> None: ...


def _table() -> dict[str, Mapping[str, Reporter]]:
    from familieplan.render import (
        changes,
        disclosures,
        fit,
        followup,
        load,
        problems,
        report,
        status,
    )

    return {
        "validate": problems.REPORTERS,
        "check-load": load.REPORTERS,
        "due": followup.REPORTERS,
        "status": status.REPORTERS,
        "fit": fit.REPORTERS,
        "changes": changes.REPORTERS,
        "report": report.REPORTERS,
        "disclosures": disclosures.REPORTERS,
        # The problems that stop a command before it can report (its files do not validate).
        "invalid": problems.INVALID,
    }


REPORTERS: dict[str, Mapping[str, Reporter]] = _table()


def formats(command: str) -> tuple[str, ...]:
    """The output formats a command offers, in its module's order."""
    return tuple(REPORTERS[command])


def report(command: str, result: Any, fmt: str, out: IO[str], lang: str, color: bool | None = None) -> None:
    """Write a command's result in a format and a language."""
    REPORTERS[command][fmt](result, out, lang, color)
