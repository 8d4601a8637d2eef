"""Dates, weeks, clock times and lists as Danes write them (and in English on request).

The words and forms come from the catalog (`render/catalog.py`); this module only puts
them together: "2. marts 2026", "uge 10–26 2026", "kl. 9.30", "a, b og c".
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence

from familieplan.clock import local as in_copenhagen
from familieplan.render.catalog import Catalog, catalog

WEEKDAY_IDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def month(number: int, cat: Catalog) -> str:
    """The month's name (1 = January)."""
    return _months(cat)[number - 1]


@functools.cache
def _months(cat: Catalog) -> tuple[str, ...]:
    pgettext = cat.pgettext
    return (pgettext("month", "January"), pgettext("month", "February"), pgettext("month", "March"), pgettext("month", "April"),
            pgettext("month", "May"), pgettext("month", "June"), pgettext("month", "July"), pgettext("month", "August"),
            pgettext("month", "September"), pgettext("month", "October"), pgettext("month", "November"),
            pgettext("month", "December"))


def month_short(number: int, cat: Catalog) -> str:
    """The month's short name, for tables and chart axes."""
    return _months_short(cat)[number - 1]


@functools.cache
def _months_short(cat: Catalog) -> tuple[str, ...]:
    pgettext = cat.pgettext
    return (pgettext("short month", "Jan"), pgettext("short month", "Feb"), pgettext("short month", "Mar"), pgettext("short month", "Apr"),
            pgettext("short month", "May"), pgettext("short month", "Jun"), pgettext("short month", "Jul"), pgettext("short month", "Aug"),
            pgettext("short month", "Sep"), pgettext("short month", "Oct"), pgettext("short month", "Nov"),
            pgettext("short month", "Dec"))


def weekday(index: int, lang: str = "da") -> str:
    """The weekday's name (0 = Monday), as in 'mandag og onsdag'."""
    pgettext = catalog(lang).pgettext
    return (pgettext("weekday", "Monday"), pgettext("weekday", "Tuesday"), pgettext("weekday", "Wednesday"), pgettext("weekday", "Thursday"),
            pgettext("weekday", "Friday"), pgettext("weekday", "Saturday"), pgettext("weekday", "Sunday"))[index]


def weekday_plural(index: int, lang: str = "da") -> str:
    """Every such weekday, as in 'mandage og onsdage'."""
    pgettext = catalog(lang).pgettext
    return (pgettext("weekdays", "Mondays"), pgettext("weekdays", "Tuesdays"), pgettext("weekdays", "Wednesdays"),
            pgettext("weekdays", "Thursdays"), pgettext("weekdays", "Fridays"), pgettext("weekdays", "Saturdays"),
            pgettext("weekdays", "Sundays"))[index]


@functools.lru_cache(maxsize=8192)  # a caseload's deadlines fall on a few hundred dates
def date_long(day: dt.date, lang: str = "da") -> str:
    """'2. marts 2026' / '2 March 2026'."""
    cat = catalog(lang)
    return cat.pgettext("date", "{day} {month} {year}").format(day=day.day, month=month(day.month, cat),
                                                               year=day.year)


@functools.lru_cache(maxsize=8192)
def date_short(day: dt.date, lang: str = "da") -> str:
    """'2. mar 2026' for tables."""
    cat = catalog(lang)
    return cat.pgettext("date", "{day} {month} {year}").format(day=day.day, month=month_short(day.month, cat),
                                                               year=day.year)


@functools.lru_cache(maxsize=8192)
def period(start: dt.date, end: dt.date, lang: str = "da") -> str:
    """'2. marts – 26. juni 2026', the year written once when it is the same."""
    if start == end:
        return date_long(start, lang)
    if start.year == end.year:
        first = date_long(start, lang).rsplit(" ", 1)[0]
        return f"{first} – {date_long(end, lang)}"
    return f"{date_long(start, lang)} – {date_long(end, lang)}"


def clock(value: dt.time, lang: str = "da") -> str:
    """'9', '9.30' in Danish running text (kl. 9–12); '09:00', '09:30' in English."""
    pgettext = catalog(lang).pgettext
    form = pgettext("clock time", "{hour:02d}:00") if value.minute == 0 else pgettext("clock time", "{hour:02d}:{minute:02d}")
    return form.format(hour=value.hour, minute=value.minute)


def time_range(start: dt.time | None, end: dt.time | None, lang: str = "da") -> str:
    """'kl. 9–12' / '09:00–12:00'; empty without both times."""
    if start is None or end is None:
        return ""
    return catalog(lang).pgettext("clock time", "{start}–{end}").format(start=clock(start, lang),
                                                                         end=clock(end, lang))


def moment_long(moment: dt.datetime, lang: str = "da") -> str:
    """'26. november 2026 kl. 9.45' / '26 November 2026 at 09:45': when a document or a page
    was made, in Copenhagen time (a naive moment is taken as Copenhagen's)."""
    local = in_copenhagen(moment)
    return catalog(lang).gettext("{date} at {time}").format(date=date_long(local.date(), lang),
                                                           time=clock(local.time(), lang))


def time_hhmm(value: dt.time) -> str:
    """'14:30': the time a document was made, the same in both languages."""
    return f"{value.hour:02d}:{value.minute:02d}"


def join(items: Sequence[str], lang: str = "da") -> str:
    """'a, b og c' / 'a, b and c'."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return catalog(lang).gettext("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


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
    word = catalog(lang).pgettext("iso week", "week")
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
