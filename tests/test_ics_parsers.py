"""Calendars every phone reads alike: five iCalendar parsers (three Python, two Node) expand
the exported calendars of every person of the examples to the same occurrences, and the
VTIMEZONE agrees with the tz database over the whole accepted range of years."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from familieplan import api
from familieplan.render.timezone import vtimezone

TZ = ZoneInfo("Europe/Copenhagen")
NODE_TOOLS = Path(__file__).parent / "node"
FAR = (dt.datetime(1900, 1, 1, tzinfo=TZ), dt.datetime(2200, 1, 1, tzinfo=TZ))


def _local(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(TZ).strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def with_icalendar(text: str) -> dict[str, list[str]]:
    cal = icalendar.Calendar.from_ical(text)
    out: dict[str, list[str]] = {}
    for event in recurring_ical_events.of(cal).between(*FAR):
        out.setdefault(str(event["UID"]), []).append(_local(event["DTSTART"].dt))
    return out


def with_ical(text: str) -> dict[str, list[str]]:
    from ical.calendar_stream import IcsCalendarStream

    cal = IcsCalendarStream.calendar_from_ics(text)
    out: dict[str, list[str]] = {}
    for event in cal.timeline_tz(TZ):
        out.setdefault(event.uid or "", []).append(_local(event.dtstart))
    return out


def with_vobject(text: str) -> dict[str, list[str]]:
    cal = vobject.readOne(text)
    out: dict[str, list[str]] = {}
    for event in cal.contents.get("vevent", []):
        uid = event.uid.value
        if hasattr(event, "rrule"):
            out[uid] = [_local(when) for when in event.getrruleset(addRDate=True)]
        else:
            out[uid] = [_local(event.dtstart.value)]
    return out


def with_node(path: Path) -> dict[str, dict[str, list[str]]]:
    proc = subprocess.run(["node", str(NODE_TOOLS / "expand.mjs"), str(path)], capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout)


def _people() -> list[tuple[str, str]]:
    ws, _ = api.load_valid(EXAMPLES, [])
    return [(case.folder_id, p.id) for case in ws.cases if case.info for p in case.info.people if p.id]


def _sorted(found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {uid: sorted(times) for uid, times in found.items()}


@pytest.mark.slow
@pytest.mark.parametrize("case, person", _people())
def test_five_parsers_count_the_same_occurrences(tmp_path: Path, case: str, person: str):
    assert shutil.which("node"), "node is needed (installed with the machine; see .ci/run)"
    assert (NODE_TOOLS / "node_modules" / "ical.js").is_dir(), "run `make node-tools`"
    ws, _ = api.load_valid(EXAMPLES, [case])
    data = api.export_ics(ws.cases[0], ws.settings, person, dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc))
    text = data.decode("utf-8")
    path = tmp_path / f"{person}.ics"
    path.write_bytes(data)
    reference = _sorted(with_icalendar(text))
    node = with_node(path)
    readings = {"ical": with_ical(text), "vobject": with_vobject(text), **node}
    for name, found in readings.items():
        assert _sorted(found) == reference, name


def test_the_examples_have_the_series_that_parsers_disagreed_on():
    """A weekly series that ends in summer time and one that crosses a change of clock."""
    ws, _ = api.load_valid(EXAMPLES, [])
    ends = [iv.end for case in ws.cases for iv in (case.plan.interventions if case.plan else ())
            if iv.sessions and iv.end]
    assert any(dt.datetime.combine(day, dt.time(12), TZ).dst() for day in ends)
    assert any(iv.start and iv.end and (dt.datetime.combine(iv.start, dt.time(12), TZ).dst()
                                         != dt.datetime.combine(iv.end, dt.time(12), TZ).dst())
               for case in ws.cases for iv in (case.plan.interventions if case.plan else ()) if iv.sessions)


def test_until_is_the_end_of_the_last_day():
    ws, _ = api.load_valid(EXAMPLES, ["2025-001-holm"])
    text = api.export_ics(ws.cases[0], ws.settings, None, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)).decode()
    # The Monday/Wednesday teaching ends Friday 26 June 2026 (summer time): its last session
    # is Wednesday 24 June, and UNTIL is that day's 23:59:59 local time, in UTC.
    assert "UNTIL=20260624T215959Z" in text
    assert "2038" not in text


COPENHAGEN = vtimezone(1900, 2199).to_tz()


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2199, 12, 31)))
def test_the_vtimezone_agrees_with_the_tz_database(moment: dt.datetime):
    """Over the whole accepted range 1900–2199, not only 1970–2038."""
    assert moment.replace(tzinfo=COPENHAGEN).utcoffset() == moment.replace(tzinfo=TZ).utcoffset()


@pytest.mark.parametrize("year", [1916, 1945, 1980, 1995, 1996, 2026, 2038, 2100, 2199])
def test_the_vtimezone_around_each_change_of_clock(year: int):
    moment = dt.datetime(year, 1, 1)
    while moment.year == year:
        assert moment.replace(tzinfo=COPENHAGEN).utcoffset() == moment.replace(tzinfo=TZ).utcoffset(), moment
        moment += dt.timedelta(minutes=30 * 47)  # steps that hit every hour of the day over the year
