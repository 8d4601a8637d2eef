"""CPR numbers: find them in files (a warning at their place) and mask them in output."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

# DDMMYY-NNNN, DDMMYY NNNN or ten digits; the date part is checked separately.
CPR_PATTERN = re.compile(r"(?<![\d])(\d\d)(\d\d)(\d\d)[- ]?\d{4}(?![\d])")
_DIGIT = re.compile(r"\d")


def _valid_date(day: int, month: int) -> bool:
    try:
        dt.date(2000, month, day)  # a leap year: 29 February is a possible birthday
    except ValueError:
        return False
    return True


def find_cpr(text: str) -> Iterator[int]:
    """Offsets in `text` where something shaped like a CPR number starts."""
    for match in CPR_PATTERN.finditer(text):
        if _valid_date(int(match[1]), int(match[2])):
            yield match.start()


def mask_cpr(text: str) -> str:
    """Replace the digits of anything CPR-shaped with '#'."""
    if not any(c.isdigit() for c in text):
        return text
    return CPR_PATTERN.sub(lambda m: _DIGIT.sub("#", m.group()), text)
