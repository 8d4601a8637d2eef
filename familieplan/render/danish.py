"""Dates, weeks and lists as Danes write them (and in English on request)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

MONTHS = {
    "da": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}
MONTHS_SHORT = {
    "da": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
WEEKDAYS = {
    "da": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
WEEKDAY_PLURAL = {
    "da": ["mandage", "tirsdage", "onsdage", "torsdage", "fredage", "lørdage", "søndage"],
    "en": ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"],
}
WEEKDAY_IDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def date_long(day: dt.date, lang: str = "da") -> str:
    """'2. marts 2026' / '2 March 2026'."""
    if lang == "en":
        return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"
    return f"{day.day}. {MONTHS['da'][day.month - 1]} {day.year}"


def date_short(day: dt.date, lang: str = "da") -> str:
    """'2. mar 2026' for tables."""
    if lang == "en":
        return f"{day.day} {MONTHS_SHORT['en'][day.month - 1]} {day.year}"
    return f"{day.day}. {MONTHS_SHORT['da'][day.month - 1]} {day.year}"


def period(start: dt.date, end: dt.date, lang: str = "da") -> str:
    """'2. marts – 26. juni 2026', the year written once when it is the same."""
    if start == end:
        return date_long(start, lang)
    if start.year == end.year:
        first = date_long(start, lang).rsplit(" ", 1)[0]
        return f"{first} – {date_long(end, lang)}"
    return f"{date_long(start, lang)} – {date_long(end, lang)}"


def time_short(value: dt.time) -> str:
    """'9', '9.30' — Danish clock times in running text (kl. 9–12)."""
    return f"{value.hour}" if value.minute == 0 else f"{value.hour}.{value.minute:02d}"


def time_hhmm(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def join(items: Sequence[str], lang: str = "da") -> str:
    """'a, b og c' / 'a, b and c'."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    word = "og" if lang == "da" else "and"
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def iso_week(day: dt.date) -> str:
    """'2026-W15' (the machine form used in JSON)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_runs(weeks: Iterable[tuple[int, int]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Consecutive (year, week) pairs grouped into runs."""
    runs: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for year, week in sorted(set(weeks)):
        monday = dt.date.fromisocalendar(year, week, 1)
        if runs:
            last = runs[-1][1]
            if dt.date.fromisocalendar(*last, 1) + dt.timedelta(days=7) == monday:
                runs[-1] = (runs[-1][0], (year, week))
                continue
        runs.append(((year, week), (year, week)))
    return runs


def weeks_text(weeks: Iterable[tuple[int, int]], lang: str = "da", limit: int = 6) -> str:
    """'uge 15–26 2026', 'uge 50 2026 – uge 3 2027', 'uge 10, 12 og 14 2026'."""
    word = "uge" if lang == "da" else "week"
    runs = week_runs(weeks)
    if not runs:
        return ""
    parts: list[str] = []
    for (y1, w1), (y2, w2) in runs:
        if (y1, w1) == (y2, w2):
            parts.append(f"{w1} {y1}")
        elif y1 == y2:
            parts.append(f"{w1}–{w2} {y1}")
        else:
            parts.append(f"{w1} {y1} – {word} {w2} {y2}")
    # Drop a repeated year inside a list of single weeks of one year: "10, 12 og 14 2026".
    if all(a[0] == b[0] == runs[0][0][0] for a, b in runs):
        year = runs[0][0][0]
        parts = [p[: -len(f" {year}")] for p in parts]
        shown = parts if len(parts) <= limit else parts[: limit - 1] + ["…", parts[-1]]
        return f"{word} {join(shown, lang)} {year}"
    shown = parts if len(parts) <= limit else parts[: limit - 1] + ["…", parts[-1]]
    return f"{word} {join(shown, lang)}"
