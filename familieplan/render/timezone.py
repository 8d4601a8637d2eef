"""The VTIMEZONE of Europe/Copenhagen for the years a calendar uses (RFC 5545, 3.6.5).

icalendar's generated VTIMEZONE lists every change of clock as an RDATE and stops in 2038
("This timezone only works from 1970-01-01 to 2038-01-01"), while the format accepts dates
up to 2199. This one is exact for the whole accepted range 1900–2199: from 1996 on, the EU
rule as two yearly RRULEs with no end (last Sunday of March and of October); before 1996,
each change of clock read from the tz database as its own observance; and a standard-time
observance from 1 January of the first year, so that every date of the calendar is covered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from familieplan.clock import COPENHAGEN

TZID = COPENHAGEN.key
EU_RULE_FROM = 1996
_HOUR = dt.timedelta(hours=1)
_UTC = dt.timezone.utc


def _offset(moment: dt.datetime) -> dt.timedelta:
    offset = moment.astimezone(COPENHAGEN).utcoffset()
    assert offset is not None
    return offset


def transitions(first_year: int, last_year: int) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    """Changes of clock between two years (inclusive): (instant in UTC, offset before, after)."""
    found = []
    day = dt.datetime(first_year, 1, 1, 12, tzinfo=_UTC)
    end = dt.datetime(last_year, 12, 31, 12, tzinfo=_UTC)
    before = _offset(day)
    while day < end:
        following = day + dt.timedelta(days=1)
        after = _offset(following)
        if after != before:
            moment = day
            while _offset(moment + _HOUR) == before:  # the change happens on a whole UTC hour
                moment += _HOUR
            found.append((moment + _HOUR, before, after))
            before = after
        day = following
    return found


def _observance(kind: Any, start: dt.datetime, before: dt.timedelta, after: dt.timedelta, name: str) -> Any:
    component = kind()
    component.add("dtstart", start)
    component.add("tzoffsetfrom", before)
    component.add("tzoffsetto", after)
    component.add("tzname", name)
    return component


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def vtimezone(first_year: int, last_year: int) -> Any:
    """A VTIMEZONE component covering 1 January `first_year` to the end of `last_year`."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    tz = Timezone()
    tz.add("tzid", TZID)
    start = dt.datetime(first_year, 1, 1, tzinfo=_UTC)
    base = _offset(start)
    tz.add_component(_observance(TimezoneStandard, dt.datetime(first_year, 1, 1), base, base,
                                 start.astimezone(COPENHAGEN).tzname() or "CET"))
    for moment, before, after in transitions(first_year, min(last_year, EU_RULE_FROM - 1)):
        kind = TimezoneDaylight if after > before else TimezoneStandard
        local = (moment + before).replace(tzinfo=None)
        tz.add_component(_observance(kind, local, before, after, moment.astimezone(COPENHAGEN).tzname() or ""))
    if last_year >= EU_RULE_FROM:
        year = max(first_year, EU_RULE_FROM)
        cet, cest = dt.timedelta(hours=1), dt.timedelta(hours=2)
        summer = _observance(TimezoneDaylight, dt.datetime.combine(_last_sunday(year, 3), dt.time(2)), cet, cest, "CEST")
        summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
        winter = _observance(TimezoneStandard, dt.datetime.combine(_last_sunday(year, 10), dt.time(3)), cest, cet, "CET")
        winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
        tz.add_component(summer)
        tz.add_component(winter)
    return tz
