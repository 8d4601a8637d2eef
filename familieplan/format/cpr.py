"""CPR numbers: find them in files (a warning at their place) and mask them in output."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

# DDMMYY-NNNN or ten digits, the two parts also apart by a space, a no-break space, any
# dash (en dash, non-breaking hyphen, …; spaces around it too), a dash escaped for Markdown
# (`\-`, or `\\-` where Markdown output escaped the backslash) or written as an escape of
# YAML or JSON (`\x2D`, `\u2011`), or a line break: in a file (with the next line's
# indentation, or the escape `\n`), in Markdown (a hard break: a backslash or spaces before
# it) or in HTML (`<br>`). The date part is checked separately.
_SPACE = "[ \t\u00a0\u202f]"
_DASH = r"(?:\\{0,2}[-\u2010-\u2015\u2212]|\\x2[dD]|\\u(?:002[dD]|201[0-5]|2212))"
_BREAK = r"(?:\\?\r?\n|<br\s*/?>\r?\n?|\\[rn])[ \t>]*"
_SEPARATOR = rf"(?:{_SPACE}{{0,3}}{_DASH}{_SPACE}{{0,3}}|{_SPACE}{{1,3}}|{_SPACE}{{0,2}}{_BREAK})?"
# The pattern starts with a digit and looks behind it (not before it) for another: a
# pattern that starts with a character class lets the regex engine skip ahead to the next
# digit in C, about twice as fast over a whole file as one that starts with a lookbehind.
CPR_PATTERN = re.compile(r"\d(?<!\d\d)\d{5}" + _SEPARATOR + r"\d{4}(?!\d)")
_DIGIT = re.compile(r"\d")


def _valid_date(day: int, month: int) -> bool:
    try:
        dt.date(2000, month, day)  # a leap year: 29 February is a possible birthday
    except ValueError:
        return False
    return True


# The UTF-8 lead bytes of the characters other than ASCII digits that `\d` matches (every
# other script's decimal digits: Arabic-Indic, Devanagari, fullwidth, …); a test derives
# them from the Unicode database again. Danish letters, dashes and quotes are not among them.
DIGIT_LEADS = frozenset((0xD9, 0xDB, 0xDF, 0xE0, 0xE1, 0xEA, 0xEF, 0xF0))
# UTF-8 bytes seen as digit runs: an ASCII digit is "0", a lead byte of DIGIT_LEADS is
# "!", anything else a space.
_RUNS = bytes(ord("0") if chr(b).isdigit() and b < 0x80 else ord("!") if b in DIGIT_LEADS else ord(" ")
              for b in range(256))


def may_hold_cpr(data: bytes) -> bool:
    """False when the UTF-8 text `data` holds nothing `find_cpr` can find: no six ASCII
    digits in a row and no character that may be another script's digit. One pass in C, about ten times
    faster than the pattern itself, which then runs only on the few files left."""
    runs = data.translate(_RUNS)
    return b"000000" in runs or b"!" in runs


def find_cpr(text: str) -> Iterator[int]:
    """Offsets in `text` where something shaped like a CPR number starts."""
    for match in CPR_PATTERN.finditer(text):
        start = match.start()
        if _valid_date(int(text[start:start + 2]), int(text[start + 2:start + 4])):
            yield start


def mask_cpr(text: str) -> str:
    """Replace the digits of anything CPR-shaped with '#'."""
    if _DIGIT.search(text) is None or (len(text) > 200 and not may_hold_cpr(text.encode("utf-8", "surrogatepass"))):
        return text  # (a long text is first looked over as bytes: see `may_hold_cpr`)
    return CPR_PATTERN.sub(lambda m: _DIGIT.sub("#", m.group()), text)
