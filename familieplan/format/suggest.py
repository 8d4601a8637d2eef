""""Did you mean …?": the value most likely meant by a word the format does not know."""

from __future__ import annotations

import difflib
from typing import Any

from familieplan.problems import N_, Term

DID_YOU_MEAN = N_("did you mean '{suggestion}'?")


# Danish words a caseworker may write for a value of the format: never accepted (the format
# is the contract), but suggested, so that `role: barn` points at `child`, not at the
# nearest spelling (`parent`).
DANISH_SUGGESTIONS = {
    "barn": "child", "børn": "child", "boern": "child", "forælder": "parent", "forældre": "parent",
    "foraelder": "parent", "mor": "parent", "far": "parent", "andet": "other", "anden": "other",
    "aktiv": "active", "lukket": "closed", "afsluttet": "closed", "pause": "paused", "pauset": "paused",
    "i bero": "paused", "åben": "open", "aaben": "open", "udført": "done", "udfoert": "done",
    "færdig": "done", "annulleret": "cancelled", "aflyst": "cancelled", "afbud": "cancelled",
    "udeblevet": "no-show", "mødt": "attended", "op": "up", "ned": "down", "dansk": "da", "engelsk": "en",
    "familie": "family", "beskæftigelse": "employment", "job": "employment", "uddannelse": "education",
    "skole": "school", "sundhed": "health", "misbrug": "addiction", "rusmidler": "addiction",
    "økonomi": "economy", "bolig": "housing", "netværk": "network", "fritid": "leisure",
}


def did_you_mean_text(word: str, choices: Any) -> str | None:
    """"did you mean 'x'?" for the one-line errors of the command line: a catalog word
    (`Term`), English as a string, in the reader's language as an error's argument."""
    suggestion = did_you_mean(word, choices)
    return Term(DID_YOU_MEAN, suggestion=suggestion) if suggestion else None


def did_you_mean(word: str, choices: Any) -> str | None:
    """The value most likely meant, if any: a Danish word's English value, the one choice
    that starts with what was written (`soes` for `soes-jobcenter`), else the closest
    spelling."""
    options = list(choices)
    lowered = word.strip().lower()
    suggested = DANISH_SUGGESTIONS.get(lowered)
    if suggested in options:
        return suggested
    prefixed = [c for c in options if lowered and isinstance(c, str) and c.startswith(lowered)]
    if len(prefixed) == 1:
        return str(prefixed[0])
    close = difflib.get_close_matches(word, prefixed or options, n=1, cutoff=0.6)
    return close[0] if close else None
