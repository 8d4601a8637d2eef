"""Regular expressions for the JSON Schemas: the value rules of `familieplan.format.scalars`
written as patterns an editor can check (ECMA 262 syntax, the common part of Python's).

Digits are written `[0-9]`: a backslash-d means any Unicode digit to some engines
(Python's) and only 0–9 to others (ECMA 262 without the u flag). Each pattern accepts
exactly what the tool's conversion accepts, so that the editor and `familieplan validate`
agree on the same text; `tests/test_schema_agreement.py` checks each
against the conversion itself.
"""

from __future__ import annotations

# A date in the years the tool accepts (1900–2199), with the months' lengths and leap years:
# 29 February in every fourth year but 1900 and 2100 (2000 is a leap year).
_YEAR = r"(?:19|2[01])[0-9][0-9]"
_LEAP_YEAR = r"(?:(?:19|2[01])(?:0[48]|[2468][048]|[13579][26])|2000)"
_MONTH_DAY = (r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
              r"|(?:0[13-9]|1[0-2])-(?:29|30)"
              r"|(?:0[13578]|1[02])-31)")
DATE_BODY = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
DATE = rf"^{DATE_BODY}$"

TIME = r"^(?:[01]?[0-9]|2[0-3]):[0-5][0-9]$"

# 2026-03-02T14:05:00+01:00: seconds and fractions optional, the offset required.
DATE_TIME = (rf"^{DATE_BODY}T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{{1,6}})?)?"
             r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$")

# Decimal hours from 0 to 168 (a week), with a decimal point.
HOURS = r"^0*(?:(?:1[0-5][0-9]|16[0-7]|[0-9]{1,2})(?:\.[0-9]+)?|168(?:\.0+)?)$"

NUMBER = r"^[+-]?[0-9]+(?:\.[0-9]+)?$"

BOOLEAN = r"^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"


def _same_length(low: str, high: str) -> str:
    """A pattern for the numbers from `low` to `high`, written with the same number of digits."""
    if low == high:
        return low
    if low[0] == high[0]:
        return low[0] + _same_length(low[1:], high[1:])
    rest = len(low) - 1
    if rest == 0:
        return f"[{low}-{high}]"
    if low == "0" * len(low) and high == "9" * len(high):
        return rf"[0-9]{{{len(low)}}}"
    parts = [low[0] + _same_length(low[1:], "9" * rest)]
    first, last = int(low[0]) + 1, int(high[0]) - 1
    if first <= last:
        digit = str(first) if first == last else f"[{first}-{last}]"
        parts.append(digit + (r"[0-9]" if rest == 1 else rf"[0-9]{{{rest}}}"))
    parts.append(high[0] + _same_length("0" * rest, high[1:]))
    return "(?:" + "|".join(parts) + ")"


def integer_range(low: int, high: int) -> str:
    """A pattern for a whole number from `low` to `high` (both at least 0) as the tool reads
    it: an optional `+`, leading zeros allowed, and `-0` for zero."""
    if low < 0 or high < low:
        raise ValueError("integer_range needs 0 <= low <= high")
    parts = []
    for digits in range(len(str(low)), len(str(high)) + 1):
        start = max(low, 10 ** (digits - 1) if digits > 1 else 0)
        end = min(high, 10 ** digits - 1)
        if start <= end:
            parts.append(_same_length(str(start), str(end)))
    body = rf"\+?0*(?:{'|'.join(parts)})"
    return rf"^(?:{body}|-0+)$" if low == 0 else rf"^{body}$"
