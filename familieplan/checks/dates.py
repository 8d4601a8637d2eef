"""Checks of one case's dates: orders, periods, phases, sessions on closed days, times.
Registered units like every check (`checks/case.py`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from familieplan import model as m
from familieplan.checks.case import CaseIndex, _p, _what, check
from familieplan.problems import ERROR, N_, WARNING, Problem
from familieplan.schedule import ended
from familieplan.schedule.calendar import WorkCalendar
from familieplan.settings import Record, Settings

_DAY = _dt.timedelta(days=1)


def _order(record: Record, first_key: str, first: object, last_key: str, last: object,
           strict: bool, what: str, rid: str | None = None) -> Iterator[Problem]:
    if first is None or last is None:
        return
    if last < first or (strict and last == first):  # type: ignore[operator]
        message = (N_("{what}: '{last_key}' ({last}) is not after '{first_key}' ({first})") if strict
                   else N_("{what}: '{last_key}' ({last}) is before '{first_key}' ({first})"))
        yield _p("date-order", record.pos(last_key), message, what=_what(what, rid), last_key=last_key,
                 last=str(last), first_key=first_key, first=str(first))


@check("date-order", ERROR)
def check_date_order(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """An end before its start.

    Dates: a period's `to` may equal its `from` but not come before it (plan, phases,
    interventions, consents, a session's `since`/`until`, a case's `opened`/`closed`, a
    question's `asked`/`answered`, an agreement's `made`/`done`). Times: `to` must come after `from` (sessions,
    appointments, unavailable times, meetings).

    Failing: a session `from: 12:00` `to: 09:00`."""
    info = case.info
    if info:
        yield from _order(info, "opened", info.opened, "closed", info.closed, False, N_("case"))
        for person in info.people:
            for slot in person.unavailable:
                yield from _order(slot, "from", slot.start, "to", slot.end, True, N_("unavailable time"))
        for consent in info.consents:
            yield from _order(consent, "from", consent.start, "until", consent.until, False, N_("consent"))
    plan = case.plan
    if plan:
        yield from _order(plan, "from", plan.start, "to", plan.end, False, N_("plan"))
        for phase in plan.phases:
            yield from _order(phase, "from", phase.start, "to", phase.end, False, N_("phase {id}"), phase.id)
        for iv in plan.interventions:
            yield from _order(iv, "from", iv.start, "to", iv.end, False, N_("intervention {id}"), iv.id)
            for session in iv.sessions:
                yield from _order(session, "from", session.start, "to", session.end, True, N_("session"))
                yield from _order(session, "since", session.since, "until", session.until, False, N_("session"))
            for appt in iv.appointments:
                yield from _order(appt, "from", appt.start, "to", appt.end, True, N_("appointment"))
    for agreement in case.agreements:
        yield from _order(agreement, "made", agreement.made, "done", agreement.done, False,
                          N_("agreement {id}"), agreement.id)
    for question in case.questions:
        yield from _order(question, "asked", question.asked, "answered", question.answered, False, N_("question"))
    for meeting in case.meetings:
        yield from _order(meeting, "from", meeting.start, "to", meeting.end, True, N_("meeting"))


@check("due-before-made", WARNING)
def check_due_before_made(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """An agreement is due before the day it was made.

    Usually a typo in the year or the month; as written, the agreement was overdue the
    moment it was made, and `due` lists it as late.

    Failing: `made: 2026-03-02` and `due: 2026-02-05`. Passing: `due: 2026-03-05`."""
    for agreement in case.agreements:
        if agreement.made and agreement.due and agreement.due < agreement.made:
            yield _p("due-before-made", agreement.pos("due"),
                     N_("agreement {id} is due {due}, before it was made ({made})"),
                     N_("check the year and month of `due`"), id=agreement.id, due=str(agreement.due),
                     made=str(agreement.made))


def _session_would_fall(iv: m.Intervention, day: _dt.date) -> bool:
    """Whether one of the intervention's sessions would take place on `day` but for `except`."""
    if iv.start is None or iv.end is None or not iv.start <= day <= iv.end:
        return False
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    for session in iv.sessions:
        since = getattr(session, "since", None) or iv.start
        until = getattr(session, "until", None) or iv.end
        anchor = since - _dt.timedelta(days=since.weekday())
        if weekday in session.days and since <= day <= until and ((day - anchor).days // 7) % session.every == 0:
            return True
    return False


@check("except-without-session", WARNING)
def check_except_without_session(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """An `except` date on which no session of the intervention would take place.

    `except` lists the dates a session is cancelled. A date on another weekday, outside
    the intervention's period, in a week an `every: 2` session skips, or on a holiday or
    closed day (when sessions do not take place anyway) cancels nothing — usually the
    wrong date was written, and the session that was meant to be cancelled still counts.

    Failing: sessions on Tuesdays and `except: [2026-10-14]` (a Wednesday)."""
    if case.plan is None:
        return
    calendar = WorkCalendar(settings)
    for iv in case.plan.interventions:
        # Without a valid period and valid sessions another problem is reported already.
        if iv.start is None or iv.end is None or not all(s.days and None not in s.days for s in iv.sessions):
            continue
        for position, day in enumerate(iv.except_dates):
            if not _session_would_fall(iv, day) or calendar.is_closed(day):
                yield _p("except-without-session", iv.item_pos("except", position),
                         N_("no session of intervention {id} would take place on {day}, so `except` cancels nothing"),
                         N_("check the date; sessions take place on {days}"), id=iv.id, day=day,
                         days=tuple(sorted({d for s in iv.sessions for d in s.days})))


@check("appointment-on-closed-day", WARNING)
def check_appointment_on_closed_day(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A one-off appointment falls on a public holiday or a closed day of the workspace.

    Sessions skip holidays by themselves; a one-off appointment is taken as written, so
    one on Easter Monday or a closed Christmas Eve is probably a mistake.

    Failing: an appointment `date: 2026-04-06` (Easter Monday)."""
    if case.plan is None:
        return
    calendar = WorkCalendar(settings)
    for iv in case.plan.interventions:
        for appt in iv.appointments:
            if appt.date and calendar.is_closed(appt.date):
                yield _p("appointment-on-closed-day", appt.pos("date"),
                         N_("appointment of intervention {id} on {date}, a public holiday or closed day"),
                         id=iv.id, date=appt.date)


@check("meeting-before-opened", WARNING)
def check_meeting_before_opened(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A meeting is dated before the case was opened.

    Failing: `opened: 2026-03-02` in case.yaml and a meeting file `2026-02-16-faellesmoede.yaml`."""
    opened = case.info.opened if case.info else None
    if opened is None:
        return
    for meeting in case.meetings:
        if meeting.date and meeting.date < opened:
            yield _p("meeting-before-opened", meeting.pos("date"),
                     N_("the meeting is dated {date}, before the case was opened ({opened})"),
                     date=meeting.date, opened=opened)


def _intervention_span(iv: m.Intervention) -> tuple[_dt.date, _dt.date] | None:
    dates = [a.date for a in iv.appointments if a.date]
    low = iv.start or (min(dates) if dates else None)
    high = iv.end or (max(dates) if dates else None)
    return (low, high) if low and high else None


@check("phase-outside-period", ERROR)
def check_phase_outside_period(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """An intervention names a `phase` that its dates never touch.

    The plan lists an intervention under its `phase`; one whose period (or appointments)
    lies wholly outside that phase would be shown in the wrong half-year.

    Failing: `phase: f1` (March–August) on an intervention `from: 2026-09-07`."""
    if case.plan is None:
        return
    phases = {p.id: p for p in case.plan.phases if p.id}
    for iv in case.plan.interventions:
        phase = phases.get(iv.phase or "")
        span = _intervention_span(iv)
        if phase is None or span is None or phase.start is None or phase.end is None:
            continue
        if span[1] < phase.start or phase.end < span[0]:
            yield _p("phase-outside-period", iv.pos("phase"),
                     N_("intervention {id} ({start} – {end}) never falls in phase {phase} ({phase_start} – {phase_end})"),
                     N_("correct `phase`, or leave it out to list the intervention under every phase its dates touch"),
                     id=iv.id, start=str(span[0]), end=str(span[1]), phase=phase.id,
                     phase_start=str(phase.start), phase_end=str(phase.end))


@check("phase-order", ERROR)
def check_phase_order(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """Phases overlap or are listed out of order.

    The plan's phases follow one another: each starts after the one before it ends, so
    that on any day exactly one phase (and its focus) is current.

    Failing: phase f1 `to: 2026-08-31`, phase f2 `from: 2026-08-15`."""
    if not case.plan:
        return
    previous: m.Phase | None = None
    for phase in case.plan.phases:
        if phase.start is None or phase.end is None:
            continue
        if previous is not None and previous.end is not None and phase.start <= previous.end:
            yield _p("phase-order", phase.pos("from"),
                     N_("phase {id} starts {start}, before phase {previous} ends ({end})"),
                     N_("phases follow one another without overlap"), id=phase.id, start=str(phase.start),
                     previous=previous.id, end=str(previous.end))
        previous = phase


@check("phase-gap", WARNING)
def check_phase_gap(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """Days between two phases (or at the plan's start or end) belong to no phase.

    On those days no focus applies, so `check-load` cannot tell whether an intervention is
    off-focus. Usually a typo in a date.

    Failing: f1 ends 2026-08-31 and f2 starts 2026-09-07."""
    plan = case.plan
    if not plan or not plan.phases or plan.start is None or plan.end is None:
        return
    expected = plan.start
    for phase in plan.phases:
        if phase.start is None or phase.end is None:
            return
        if phase.start > expected:
            yield _p("phase-gap", phase.pos("from"),
                     N_("no phase covers {start} to {end}"), start=str(expected), end=str(phase.start - _DAY))
        expected = max(expected, phase.end + _DAY)
    last = plan.phases[-1]
    if expected <= plan.end:
        yield _p("phase-gap", last.pos("to"), N_("no phase covers {start} to {end}"), start=str(expected),
                 end=str(plan.end))


@check("outside-plan", ERROR)
def check_outside_plan(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A phase, an intervention or an appointment lies outside the plan's period.

    Failing: plan `to: 2027-08-31`, intervention `to: 2027-12-18`."""
    plan = case.plan
    if not plan or plan.start is None or plan.end is None:
        return
    start, end = plan.start, plan.end

    def outside(record: Record, key: str, day: _dt.date | None, what: str, rid: str | None) -> Iterator[Problem]:
        if day is not None and not start <= day <= end:
            yield _p("outside-plan", record.pos(key), N_("{what} {key} {day} lies outside the plan period {start} – {end}"),
                     what=_what(what, rid), key=key, day=day, start=start, end=end)

    for phase in plan.phases:
        yield from outside(phase, "from", phase.start, N_("phase {id}"), phase.id)
        yield from outside(phase, "to", phase.end, N_("phase {id}"), phase.id)
    for iv in plan.interventions:
        yield from outside(iv, "from", iv.start, N_("intervention {id}"), iv.id)
        yield from outside(iv, "to", iv.end, N_("intervention {id}"), iv.id)
        for appt in iv.appointments:
            yield from outside(appt, "date", appt.date, N_("appointment of {id}"), iv.id)


@check("status-date", ERROR)
def check_status_date(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A closed case without `closed`, or a done agreement without `done`.

    The date says when it happened; reports and the minutes need it.

    Failing: `status: done` on an agreement with no `done: 2026-03-03`."""
    info = case.info
    if info and info.status == "closed" and info.closed is None:
        yield _p("status-date", info.pos("status"), N_("the case is closed but has no 'closed' date"))
    for agreement in case.agreements:
        if agreement.status == "done" and agreement.done is None:
            yield _p("status-date", agreement.pos("status"),
                     N_("agreement {id} is done but has no 'done' date"), id=agreement.id)


@check("missing-period", ERROR)
def check_missing_period(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """An intervention with `sessions` or `hours_per_week` but no `from` and `to`.

    Recurring demands need a period: without one nobody can tell which weeks they load.

    Failing: `sessions: [{days: [tue], from: 16:30, to: 18:00}]` with no `from`/`to`."""
    if not case.plan:
        return
    for iv in case.plan.interventions:
        # A key that is present but invalid was reported already by the schema layer.
        missing = tuple(k for k in ("from", "to") if k not in iv.where)
        if (iv.sessions or iv.hours_per_week is not None) and missing:
            yield _p("missing-period", iv.source,
                     N_("intervention {id} has sessions or hours_per_week but no {missing}"), id=iv.id,
                     missing=" / ".join(missing))


@check("meeting-time", ERROR)
def check_meeting_time(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A meeting has `from` without `to`, or `to` without `from`.

    A meeting's times are optional, but half a time cannot be put in anyone's calendar or
    checked for collisions.

    Failing: `from: 13:00` with no `to`. Passing: both, or neither."""
    for meeting in case.meetings:
        if ("from" in meeting.where) != ("to" in meeting.where):
            given, missing = ("from", "to") if "from" in meeting.where else ("to", "from")
            yield _p("meeting-time", meeting.pos(given), N_("the meeting has '{given}' but no '{missing}'"),
                     given=given, missing=missing)


@check("meeting-date", ERROR)
def check_meeting_date(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A meeting's `date` differs from the date in its file name.

    The file name orders meetings and is what agreements refer to; the two must agree.

    Failing: `meetings/2026-03-02-faellesmoede.yaml` with `date: 2026-03-03`."""
    for meeting in case.meetings:
        if meeting.date is None:
            continue
        named = meeting.name[:10]
        if named != meeting.date.isoformat() and len(named) == 10 and named[4] == "-":
            yield _p("meeting-date", meeting.pos("date"),
                     N_("date {date} differs from the file name's {named}"), date=str(meeting.date), named=str(named))


@check("ended-outside-period", ERROR)
def check_ended_outside_period(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """An intervention's `ended.from` lies outside its own period.

    `ended` says from which day an intervention that ends early asks no more time; a day
    before its first day or after its last (`from`/`to`, else its first and last
    appointment) ends nothing that was planned, so the date is probably a typo. To cancel
    an intervention before it starts, end it from its first day.

    Failing: `from: 2026-09-07`, `to: 2026-12-18` and `ended: {from: 2027-01-04}`.
    Passing: `ended: {from: 2026-11-25, reason: Afsluttet efter aftale}`."""
    if case.plan is None:
        return
    for iv in case.plan.interventions:
        span = _intervention_span(iv)
        stopped = ended.stopped(iv)
        if span is None or stopped is None or span[0] <= stopped <= span[1]:
            continue
        assert iv.ended is not None
        yield _p("ended-outside-period", iv.ended.pos("from"),
                 N_("intervention {id} is ended from {day}, outside its period {start} – {end}"),
                 N_("give a day from {start} to {end}; from {start} cancels all of it"),
                 id=iv.id, day=str(stopped), start=str(span[0]), end=str(span[1]))
