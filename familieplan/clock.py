"""The one clock: every date and time of a case is Copenhagen's (Europe/Copenhagen).

The machine's own time zone never counts: a server in UTC and a laptop in Aarhus make the
same document. The core does not read the clock — `today` is a parameter of every library
function that needs one — only the command line, the web view and `familieplan.api` do,
through `now()`, `today()` and `today_or()`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def now() -> dt.datetime:
    """This moment, aware, in Copenhagen time."""
    return dt.datetime.now(COPENHAGEN)


def today() -> dt.date:
    """Today's date in Copenhagen (just after midnight there it is already tomorrow in UTC's
    terms, and the other way round)."""
    return now().date()


def today_or(given: dt.date | None) -> dt.date:
    """The day a run counts from: `--today` when given, else the real date in Copenhagen."""
    return given if given is not None else today()


def local(moment: dt.datetime) -> dt.datetime:
    """A moment in Copenhagen time: an aware one converted, a naive one taken as Copenhagen's
    (a time written in a case file or given as `--now`)."""
    return moment.astimezone(COPENHAGEN) if moment.tzinfo is not None else moment.replace(tzinfo=COPENHAGEN)
