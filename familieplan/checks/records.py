"""Checks of the second edition's fields and files (FORMAT.md, "Additions"): sessions'
own periods, consent withdrawals, attendance.yaml, measures and measurements.yaml,
disclosures.yaml. Each is a registered unit, like those in `familieplan.checks.case`.

Attendance is checked against the scheduling core: an entry's date must be a day on
which `build_schedules` places that intervention on that person (a weekly slot whose
progression holds the date's week, or a one-off), never a second expansion.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Iterable, Iterator

from familieplan import model as m
from familieplan.checks.case import CaseIndex, check, reference, unknown_ref, unknown_refs
from familieplan.problems import ERROR, N_, WARNING, Problem, Term, make_problem
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import PersonSchedule, build_schedules
from familieplan.schedule.progression import minutes, week_index
from familieplan.settings import Record, Settings

BASIS_WORDS = ("family", "coordinator", "department", "no-area")
_POSITION = re.compile(r"consents\[(\d+)\]\Z")


def _hm(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


@check("outside-intervention", ERROR)
def check_session_period(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A session's `since` or `until` lies outside its intervention's `from`–`to`.

    A session's own period narrows the intervention's; a date outside it is a typo
    (the session could never take place there).

    Failing: intervention `from: 2026-03-09` `to: 2026-08-31`, a session `since: 2026-09-01`.
    Passing: `since: 2026-03-17`."""
    if not case.plan:
        return
    for iv in case.plan.interventions:
        if iv.start is None or iv.end is None:
            continue
        for session in iv.sessions:
            for key, day in (("since", session.since), ("until", session.until)):
                if day is not None and not iv.start <= day <= iv.end:
                    yield make_problem("outside-intervention", session.pos(key),
                                       N_("session {key} {day} lies outside intervention {id}'s period {start} – {end}"),
                                       key=key, day=day, id=iv.id, start=iv.start, end=iv.end)


@check("withdrawn-before-from", WARNING)
def check_withdrawn(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A consent is withdrawn before the date it was given from.

    Such a consent was never in force; usually one of the two dates is a typo.

    Failing: `from: 2026-03-02` with `withdrawn: 2026-02-15`. Passing: `withdrawn: 2026-09-15`."""
    for consent in case.info.consents if case.info else ():
        if consent.start and consent.withdrawn and consent.withdrawn < consent.start:
            yield make_problem("withdrawn-before-from", consent.pos("withdrawn"),
                               N_("the consent is withdrawn {withdrawn}, before it applies from {start}"),
                               N_("it was never in force; check both dates"),
                               withdrawn=consent.withdrawn, start=consent.start)


# --- references in the new files ---------------------------------------------------------

def _basis_known(case: m.Case, basis: str) -> bool:
    consents = case.info.consents if case.info else ()
    if basis in BASIS_WORDS or any(c.id == basis for c in consents):
        return True
    position = _POSITION.match(basis)
    return position is not None and int(position[1]) < len(consents)


@reference
def entry_references(case: m.Case, index: CaseIndex) -> Iterator[Problem]:
    for entry in case.attendance:
        yield from unknown_ref(entry, "person", entry.person, index.people, N_("person"))
        yield from unknown_ref(entry, "intervention", entry.intervention, index.interventions, N_("intervention"))
        yield from unknown_ref(entry, "meeting", entry.meeting, index.meetings, N_("meeting file"))
        yield from unknown_ref(entry, "reported_by", entry.reported_by, index.parties, N_("person or professional"))
    for measurement in case.measurements:
        yield from unknown_ref(measurement, "goal", measurement.goal, index.goals, N_("goal"))
    for disclosure in case.disclosures:
        yield from unknown_ref(disclosure, "recipient", disclosure.recipient, index.parties, N_("person or professional"))
        yield from unknown_refs(disclosure, "about", disclosure.about, index.people, N_("person"))
        for position, basis in enumerate(disclosure.basis):
            if not _basis_known(case, basis):
                ids = [c.id for c in (case.info.consents if case.info else ()) if c.id]
                yield from unknown_ref(disclosure, "basis", basis, {*ids, *BASIS_WORDS}, N_("consent or basis"),
                                       N_("no consent or basis '{value}' (a consent id, consents[N] counted from 0, "
                                          "family, coordinator, department or no-area)"), index=position)


# --- attendance.yaml ---------------------------------------------------------------------

@check("attendance-target", ERROR)
def check_attendance_target(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """An attendance entry names neither an `intervention` nor a `meeting`, or both.

    Each entry records one occurrence of one thing the person was asked to attend.

    Failing: `{date: 2026-02-04, person: anna, status: cancelled}` (attended what?)."""
    for entry in case.attendance:
        given = [k for k in ("intervention", "meeting") if k in entry.where]
        if len(given) != 1:
            message = (N_("the entry names both 'intervention' and 'meeting'") if given
                       else N_("the entry names neither 'intervention' nor 'meeting'"))
            yield make_problem("attendance-target", entry.source, message,
                               N_("name exactly one: the intervention or the meeting file"))


def _starts_on(schedule: PersonSchedule, iv_id: str, day: _dt.date) -> list[int]:
    """The start minutes of the intervention's occurrences for this person on `day`."""
    week, weekday = week_index(day), day.weekday()
    starts = [slot.start for slot in schedule.slots
              if slot.ref.id == iv_id and slot.weekday == weekday and slot.weeks.contains(week)]
    starts += [o.start for o in schedule.oneoffs
               if o.ref.kind == "intervention" and o.ref.id == iv_id and o.date == day and o.start is not None]
    return sorted(starts)


def _intervention_entry(entry: m.Attendance, schedule: PersonSchedule | None,
                        index: CaseIndex) -> Iterator[Problem]:
    iv = index.interventions.get(entry.intervention or "")
    if iv is None or schedule is None or entry.date is None:
        return
    if entry.person not in iv.attendees:
        yield make_problem("not-an-occurrence", entry.pos("person"),
                           N_("{person} does not attend intervention {id}"), person=entry.person, id=iv.id)
        return
    starts = _starts_on(schedule, iv.id or "", entry.date)
    if not starts:
        yield make_problem("not-an-occurrence", entry.pos("date"),
                           N_("intervention {id} does not take place for {person} on {date}"),
                           N_("check the date against the sessions, `except`, holidays and closed days"),
                           id=iv.id, person=entry.person, date=entry.date)
    elif entry.start is not None and minutes(entry.start) not in starts:
        yield make_problem("not-an-occurrence", entry.pos("from"),
                           N_("no session of {id} starts at {start} on {date}"),
                           N_("sessions that day start at {starts}"),
                           id=iv.id, start=f"{entry.start:%H:%M}", date=entry.date, starts=tuple(map(_hm, starts)))


def _meeting_entry(entry: m.Attendance, case: m.Case) -> Iterator[Problem]:
    meeting = next((mt for mt in case.meetings if mt.name == entry.meeting), None)
    if meeting is None or entry.date is None or meeting.date is None:
        return
    if entry.date != meeting.date:
        yield make_problem("not-an-occurrence", entry.pos("date"),
                           N_("meeting {name} is held on {held}, not {date}"), name=meeting.name,
                           held=meeting.date, date=entry.date)
    elif not any(p.id == entry.person for p in meeting.participants):
        yield make_problem("not-an-occurrence", entry.pos("person"),
                           N_("{person} is not a participant of meeting {name}"), person=entry.person,
                           name=meeting.name)
    elif entry.start is not None and meeting.start is not None and entry.start != meeting.start:
        yield make_problem("not-an-occurrence", entry.pos("from"),
                           N_("meeting {name} starts at {start}, not {given}"), name=meeting.name,
                           start=f"{meeting.start:%H:%M}", given=f"{entry.start:%H:%M}")


@check("not-an-occurrence", ERROR)
def check_occurrences(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """An attendance entry for a day on which that intervention or meeting does not ask
    that person to attend.

    The date must be an occurrence: a session day inside the intervention's (and the
    session's own) period, in a week its `every` counts, not in `except`, not a holiday
    or closed day; or a one-off appointment's date; or the meeting's date with the person
    among its participants. With `from`, a session (or the meeting) must start then.

    Failing: `{date: 2026-10-14, person: mor, intervention: kursus, status: cancelled}`
    where 2026-10-14 is in the intervention's `except`."""
    if not case.attendance or case.plan is None or case.info is None:
        return
    # Built once per person, and only for the people whose attendance is recorded.
    schedules: dict[str, PersonSchedule | None] = {}
    calendar: WorkCalendar | None = None
    for entry in case.attendance:
        if entry.person not in index.people:
            continue
        if entry.intervention is not None and entry.meeting is None:
            person = entry.person or ""
            if person not in schedules:
                calendar = calendar or WorkCalendar(settings)
                found = build_schedules(case, settings, calendar, only_person=person)
                schedules[person] = found[-1] if found else None  # the last of a repeated id, as before
            yield from _intervention_entry(entry, schedules[person], index)
        elif entry.meeting is not None and entry.intervention is None:
            yield from _meeting_entry(entry, case)


@check("attendance-in-future", WARNING)
def check_attendance_future(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """An occurrence after today is recorded as `attended` or `no-show`.

    Nobody can have attended, or failed to turn up to, what has not happened yet; a
    cancellation (`cancelled`, afbud) may well be given in advance. Usually a wrong year
    or month. `validate --today` sets the date (default: today's).

    Failing: `{date: 2027-02-03, status: no-show}` validated on 2026-11-26."""
    if index.today is None:
        return
    for day, problem in attendance_after(case):
        if day > index.today:
            yield on_day(problem, index.today)


def attendance_after(case: m.Case) -> list[tuple[_dt.date, Problem]]:
    """Each occurrence recorded as `attended` or `no-show`, with the problem it is on any
    day before its date (`on_day` says which day): what a case's files say whatever the
    date, kept by the engine so that another day needs no reading."""
    return [(entry.date, make_problem("attendance-in-future", entry.pos("date"),
                                      N_("{date} is after today ({today}) but is recorded as {status}"),
                                      date=entry.date, today="", status=entry.status))
            for entry in case.attendance if entry.date and entry.status in ("attended", "no-show")]


def on_day(problem: Problem, today: _dt.date) -> Problem:
    """A problem of `attendance_after` as it reads on `today`."""
    return dataclasses.replace(problem, args=tuple((k, str(today) if k == "today" else v) for k, v in problem.args))


# --- keys of entries without an id -------------------------------------------------------

def _duplicates(what: str, entries: Iterable[Record]) -> Iterator[Problem]:
    seen: dict[object, Record] = {}
    for entry in entries:
        key = m.entry_key(entry)
        if any(part is None for part in key[:2]):  # type: ignore[index]
            continue  # a required part failed: reported already
        first = seen.setdefault(key, entry)
        if first is not entry:
            yield make_problem("duplicate-entry", entry.source,
                               N_("the same {what} twice (first at line {line})"),
                               N_("merge the two entries into one"), what=Term(what), line=first.source.line)


@check("duplicate-entry", ERROR)
def check_duplicate_entries(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """Two entries with the same key, in a list whose entries have no id.

    Entries are told apart by their key (FORMAT.md, "Keys of entries without an id"): a
    question by (asked, by, about), an attendance entry by (date, person, intervention or
    meeting, from), a measurement by (goal, date), a disclosure by (at, recipient,
    document, source), a request by (kind, by, received). Two entries with one key say
    two things about one thing, and a merge could not tell them apart.

    Failing: two measurements of goal m2 on 2025-11-03."""
    yield from _duplicates(N_("question (asked, by, about)"), case.questions)
    yield from _duplicates(N_("attendance entry (date, person, intervention or meeting, from)"), case.attendance)
    yield from _duplicates(N_("measurement (goal, date)"), case.measurements)
    yield from _duplicates(N_("disclosure (at, recipient, document, source)"), case.disclosures)
    yield from _duplicates(N_("request (kind, by, received)"), case.requests)


# --- measures and measurements -----------------------------------------------------------

@check("no-measure", ERROR)
def check_measured_goal(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A measurement of a goal that has no `measure`.

    Without a measure nobody knows the indicator, unit or direction of the value.

    Failing: a measurement `goal: m1` where goal m1 in plan.yaml has no `measure:`."""
    if not case.plan:
        return
    unmeasured = {g.id for g in case.plan.goals if g.id and g.measure is None}
    for entry in case.measurements:
        if entry.goal in unmeasured:
            yield make_problem("no-measure", entry.pos("goal"), N_("goal {goal} has no 'measure' in plan.yaml"),
                               N_("add a measure (indicator, direction, baseline, target) to the goal"), goal=entry.goal)


@check("unknown-indicator", WARNING)
def check_indicator(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A goal's `measure.indicator` is not among the `indicators` of familieplan.yaml.

    Checked only when the workspace lists indicators: the same id across cases is the
    same indicator, so a misspelt id would split one figure in two in reports.

    Failing: `indicator: skolefravear` where familieplan.yaml lists `skolefravaer`."""
    known = settings.indicators
    if known is None or not case.plan:
        return
    for goal in case.plan.goals:
        measure = goal.measure
        if measure is not None and measure.indicator and measure.indicator not in known:
            yield from (make_problem("unknown-indicator", p.source, p.message_id, p.hint_id, **dict(p.args))
                        for p in unknown_ref(measure, "indicator", measure.indicator, set(known),
                                             N_("indicator"), N_("no {what} '{value}' in familieplan.yaml")))
