"""The options of `fit` as written on the command line: lengths, weekdays, times of day.
Mistakes are usage errors (exit 2)."""

from __future__ import annotations

import re

from familieplan.problems import N_, UsageError
from familieplan.schedule.demands import WEEKDAY_INDEX

WEEKDAY_WORDS = {**WEEKDAY_INDEX, "man": 0, "tir": 1, "ons": 2, "tor": 3, "fre": 4, "lør": 5, "søn": 6}

_LENGTH_RE = re.compile(r"^(?:(?P<h>\d+(?:[.,]\d+)?)\s*[ht]|(?P<m>\d+)\s*m(?:in)?|(?P<hh>\d+):(?P<mm>[0-5]\d))$")


def parse_length(text: str) -> int:
    """'3h', '1.5h', '90m', '1:30' -> minutes."""
    match = _LENGTH_RE.match(text.strip().lower())
    if match is None:
        raise UsageError(N_("--length {text}: write it as 3h, 90m or 1:30"), text=text)
    if match["h"]:
        minutes = round(float(match["h"].replace(",", ".")) * 60)
    elif match["m"]:
        minutes = int(match["m"])
    else:
        minutes = int(match["hh"]) * 60 + int(match["mm"])
    if not 0 < minutes < 24 * 60:
        raise UsageError(N_("--length {text}: must be more than nothing and less than a day"), text=text)
    return minutes


def parse_days(text: str) -> tuple[int, ...]:
    """'mon,tue' (or the Danish 'man,tir') -> weekday numbers, Monday = 0."""
    days = []
    for word in filter(None, (w.strip().lower() for w in text.split(","))):
        day = WEEKDAY_WORDS.get(word)
        if day is None:
            raise UsageError(N_("--days {text}: '{word}' is not a weekday (mon tue wed thu fri sat sun)"), text=text, word=word)
        days.append(day)
    if not days:
        raise UsageError(N_("--days: name at least one weekday"))
    return tuple(sorted(set(days)))


def parse_within(text: str) -> tuple[int, int]:
    """'08:00-16:00' -> minutes after midnight."""
    match = re.match(r"^(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})$", text.strip())
    if match is None:
        raise UsageError(N_("--within {text}: write it as 08:00-16:00"), text=text)
    h1, m1, h2, m2 = map(int, match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) >= (h2, m2):
        raise UsageError(N_("--within {text}: two times of day, the first before the second"), text=text)
    return h1 * 60 + m1, h2 * 60 + m2
