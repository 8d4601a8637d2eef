"""The events a caseworker records, each as the change it makes to one case file.

Each function takes the event's values and returns an `Event` for `commands.record.record`:
called with the case as read under its lock, it refuses what cannot be true
(`record_checks`) or returns the `Change`. Ids are chosen there, under the lock: two
`agree` at once never take the same one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from familieplan import model as m
from familieplan.commands.record import Change, Event
from familieplan.commands.record_checks import everyone, happened, ids, not_before, occurrence, pick
from familieplan.problems import N_, UsageError
from familieplan.schedule.calendar import WorkCalendar
from familieplan.settings import Settings

if TYPE_CHECKING:  # fit's records import check-load's: only where fit runs
    from familieplan.commands.fit_records import Proposal

AGREEMENTS, ATTENDANCE, MEASUREMENTS = "agreements.yaml", "attendance.yaml", "measurements.yaml"
CASE, PLAN = "case.yaml", "plan.yaml"
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?", re.ASCII)  # as a measurement's value reads


def next_id(prefix: str, taken: Sequence[str | None]) -> str:
    """`prefix` and the first number after every one taken (a1, a2 … ; never reused)."""
    numbers = [int(found.group(1)) for t in taken if t and (found := re.fullmatch(rf"{prefix}(\d+)", t))]
    return f"{prefix}{max(numbers, default=0) + 1}"


def first_free_id(prefix: str, taken: Sequence[str | None]) -> str:
    """`prefix` and the lowest number not taken (c1 when none is)."""
    used = set(taken)
    number = 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def _who(case: m.Case, person: str) -> str:
    """How a person or professional is named in the printed line: a professional's title
    (else name), a person's name."""
    found = everyone(case).get(person)
    return (getattr(found, "title", None) or getattr(found, "name", None) or person) if found else person


def _optional(**values: object) -> dict[str, object]:
    return {key: value for key, value in values.items() if value is not None}


def agree(text: str, responsible: str, *, day: dt.date | None = None, due: dt.date | None = None,
          within: int | None = None, area: str | None = None, intervention: str | None = None,
          meeting: str | None = None) -> Event:
    """A new agreement with the next free id (`--within N`: due N working days after it was made)."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        made = happened(case, day or today, today, "--date")
        pick("person", responsible, everyone(case), case)
        if intervention is not None:
            pick("intervention", intervention, ids(case.plan.interventions if case.plan else ()), case)
        if meeting is not None:
            pick("meeting", meeting, {mt.name: mt for mt in case.meetings}, case)
        if area is not None:
            pick("area", area, settings.all_areas(), case)
        ending = WorkCalendar(settings).add_working_days(made, within) if within is not None else due
        if ending is not None and ending < made:
            raise UsageError(N_("--due {date}: before the agreement is made ({made})"), date=ending, made=made)
        new_id = next_id("a", [a.id for a in case.agreements])
        fields = {"id": new_id, "text": text, "responsible": responsible, "made": made.isoformat(),
                  **_optional(meeting=meeting, area=area, intervention=intervention,
                              due=ending.isoformat() if ending else None), "status": "open"}
        return Change(AGREEMENTS, "agreement", key="agreements", fields=fields,  # type: ignore[arg-type]
                      facts={"id": new_id, "text": text, "who": _who(case, responsible), "due": ending})
    return change


def _agreement(case: m.Case, agreement: str) -> tuple[int, m.Agreement]:
    found = pick("agreement", agreement, ids(case.agreements), case)
    return case.agreements.index(found), found


def done(agreement: str, *, day: dt.date | None = None) -> Event:
    """The agreement is kept: status done, on the day."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        index, found = _agreement(case, agreement)
        when = happened(case, day or today, today, "--date")
        if found.status == "done":
            raise UsageError(N_("{case}: agreement {id} is already done ({date})"), case=case.folder_id, id=agreement,
                             date=found.done or "?")
        if found.status == "cancelled":
            raise UsageError(N_("{case}: agreement {id} is cancelled"), case=case.folder_id, id=agreement)
        if found.made is not None and when < found.made:
            raise UsageError(N_("--date {date}: before the agreement was made ({made})"), date=when, made=found.made)
        return Change(AGREEMENTS, "done", at=("agreements", index), sets={"status": "done", "done": when.isoformat()},
                      after={"done": "status"}, facts={"id": agreement, "text": found.text, "date": when})
    return change


def cancel(agreement: str, *, day: dt.date | None = None, reason: str | None = None) -> Event:
    """The agreement no longer holds: status cancelled, the day and why."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        index, found = _agreement(case, agreement)
        when = happened(case, day or today, today, "--date")
        if found.status != "open":
            raise UsageError(N_("{case}: agreement {id} is {status}, not open"), case=case.folder_id, id=agreement,
                             status=found.status or "?")
        sets = {"status": "cancelled", "cancelled": when.isoformat(), **_optional(reason=reason)}
        return Change(AGREEMENTS, "cancel", at=("agreements", index), sets=sets,  # type: ignore[arg-type]
                      after={"cancelled": "status", "reason": "cancelled"},
                      facts={"id": agreement, "text": found.text, "date": when, "reason": reason})
    return change


def ask(about: str, by: str, to: str, *, day: dt.date | None = None, agreement: str | None = None,
        area: str | None = None) -> Event:
    """A question in the citizen's log; it is named q and its position (q1 the first)."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        asked = happened(case, day or today, today, "--date")
        pick("person", by, everyone(case), case)
        pick("person", to, everyone(case), case)
        if agreement is not None:
            _agreement(case, agreement)
        if area is not None:
            pick("area", area, settings.all_areas(), case)
        fields = {"asked": asked.isoformat(), "by": by, "to": to, "about": about,
                  **_optional(agreement=agreement, area=area)}
        name = f"q{len(case.questions) + 1}"
        return Change(AGREEMENTS, "question", key="questions", fields=fields,  # type: ignore[arg-type]
                      facts={"id": name, "about": about, "who": _who(case, to)})
    return change


def answer(question: str, *, day: dt.date | None = None) -> Event:
    """The question's answer: the day it was answered."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        named = {f"q{n}": q for n, q in enumerate(case.questions, 1)}
        found = pick("question", question, named, case)
        when = happened(case, day or today, today, "--date")
        if found.answered is not None:
            raise UsageError(N_("{case}: question {id} was answered on {date}"), case=case.folder_id, id=question,
                             date=found.answered)
        if found.asked is not None and when < found.asked:
            raise UsageError(N_("--date {date}: before the question was asked ({asked})"), date=when, asked=found.asked)
        return Change(AGREEMENTS, "answer", at=("questions", case.questions.index(found)),
                      sets={"answered": when.isoformat()}, after={"answered": "agreement"},
                      facts={"id": question, "about": found.about, "date": when})
    return change


def absent(person: str, date: dt.date | None, *, intervention: str | None = None, meeting: str | None = None,
           status: str = "cancelled", reason: str | None = None, reported_by: str | None = None) -> Event:
    """An attendance entry: an afbud (cancelled) or an udeblivelse (no-show) on a day the
    intervention or meeting asks the person to attend (for a meeting, its date by default)."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        pick("family", person, case.people_by_id(), case)
        if (intervention is None) == (meeting is None):
            raise UsageError(N_("name the intervention (--intervention) or the meeting (--meeting), one of them"))
        held = next((mt.date for mt in case.meetings if mt.name == meeting), None)
        day = date or held or today
        if status == "no-show":
            happened(case, day, today, "--date")
        else:
            not_before(case, day, "--date")
        if reported_by is not None:
            pick("person", reported_by, everyone(case), case)
        title = _target(case, settings, person, day, intervention, meeting)
        fields = {"date": day.isoformat(), "person": person,
                  **_optional(intervention=intervention, meeting=meeting), "status": status,
                  **_optional(reason=reason, reported_by=reported_by)}
        known = {m.entry_key(a) for a in case.attendance}
        if (day, person, intervention or meeting, None) in known:
            raise UsageError(N_("{case}: {person}'s attendance on {date} is recorded already"),
                             case=case.folder_id, person=person, date=day)
        return Change(ATTENDANCE, "absence", key="attendance", fields=fields,  # type: ignore[arg-type]
                      facts={"person": _who(case, person), "status": status, "date": day, "title": title})
    return change


def _target(case: m.Case, settings: Settings, person: str, day: dt.date, intervention: str | None,
            meeting: str | None) -> str:
    if intervention is not None:
        iv = pick("intervention", intervention, ids(case.plan.interventions if case.plan else ()), case)
        occurrence(case, settings, iv, person, day)
        return iv.title or intervention
    found = pick("meeting", meeting or "", {mt.name: mt for mt in case.meetings}, case)
    if found.date != day:
        raise UsageError(N_("{case}: meeting {id} is held on {held}, not {date}"), case=case.folder_id, id=meeting,
                         held=found.date or "?", date=day)
    if not any(p.id == person for p in found.participants):
        raise UsageError(N_("{case}: {person} is not a participant of meeting {id}"), case=case.folder_id,
                         person=person, id=meeting)
    return found.title or found.name


def measure(goal: str, value: str, *, day: dt.date | None = None, by: str | None = None,
            note: str | None = None) -> Event:
    """A measurement of a goal's indicator."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        found = pick("goal", goal, ids(case.plan.goals if case.plan else ()), case)
        when = happened(case, day or today, today, "--date")
        if not _NUMBER.fullmatch(value.strip()):
            raise UsageError(N_("{value}: not a number; write it as 12 or 4.5"), value=value)
        fields = {"goal": goal, "date": when.isoformat(), "value": value.strip(), **_optional(by=by, note=note)}
        return Change(MEASUREMENTS, "measurement", key="measurements", fields=fields,  # type: ignore[arg-type]
                      facts={"id": goal, "text": found.text, "value": value.strip(), "date": when})
    return change


def consent(person: str, departments: Sequence[str], areas: Sequence[str], *, start: dt.date | None = None,
            until: dt.date | None = None) -> Event:
    """A consent with the first id `cN` not used in the case."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        pick("family", person, case.people_by_id(), case)
        if not departments or not areas:
            raise UsageError(N_("name the departments (--departments) and the areas (--areas) the consent covers"))
        if settings.departments is not None:
            for department in departments:
                pick("department", department, settings.departments, case)
        for area in areas:
            pick("area", area, settings.all_areas(), case)
        since = not_before(case, start or today, "--from")
        if until is not None and until < since:
            raise UsageError(N_("--until {date}: before --from ({start})"), date=until, start=since)
        new_id = first_free_id("c", [c.id for c in case.info.consents] if case.info else [])
        fields = {"id": new_id, "person": person, "areas": list(areas), "departments": list(departments),
                  "from": since.isoformat(), **_optional(until=until.isoformat() if until else None)}
        return Change(CASE, "consent", key="consents", fields=fields,  # type: ignore[arg-type]
                      facts={"id": new_id, "person": _who(case, person), "departments": tuple(departments),
                             "areas": tuple(areas), "date": since})
    return change


def withdraw(consent_id: str, *, day: dt.date | None = None) -> Event:
    """The consent is withdrawn: no longer in force from the day."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        consents = case.info.consents if case.info else ()
        found = pick("consent", consent_id, ids(consents), case)
        when = happened(case, day or today, today, "--date")
        if found.withdrawn is not None:
            raise UsageError(N_("{case}: consent {id} was withdrawn on {date}"), case=case.folder_id, id=consent_id,
                             date=found.withdrawn)
        return Change(CASE, "withdrawal", at=("consents", consents.index(found)), sets={"withdrawn": when.isoformat()},
                      after={"withdrawn": "until"}, facts={"id": consent_id, "person": _who(case, found.person or ""),
                                                          "date": when})
    return change


def end(intervention: str, start: dt.date, *, reason: str | None = None) -> Event:
    """The intervention ends early: `ended: {from, reason}`; it stays in the plan."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        interventions = case.plan.interventions if case.plan else ()
        found = pick("intervention", intervention, ids(interventions), case)
        not_before(case, start, "--from")
        if found.ended is not None:
            raise UsageError(N_("{case}: intervention {id} has ended already ({date})"), case=case.folder_id,
                             id=intervention, date=found.ended.start or "?")
        ended = {"from": start.isoformat(), **_optional(reason=reason)}
        return Change(PLAN, "end", at=("interventions", interventions.index(found)),
                      fields={"ended": ended},  # type: ignore[dict-item]
                      facts={"id": intervention, "title": found.title, "date": start, "reason": reason})
    return change


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def book(proposal: Proposal, people: Sequence[str], intervention: str, title: str, department: str, area: str, *,
         responsible: str | None = None, travel: int = 0) -> Event:
    """A proposal of `fit` written into plan.yaml as a new intervention for `people`."""
    def change(case: m.Case, settings: Settings, today: dt.date) -> Change:
        existing = ids(case.plan.interventions if case.plan else ())
        if intervention in existing:
            raise UsageError(N_("{case}: intervention {id} exists already; choose another id for --book"),
                             case=case.folder_id, id=intervention)
        if responsible is not None:
            pick("person", responsible, everyone(case), case)
        sessions = [{"days": [WEEKDAYS[day] for day in days], "from": _hhmm(start), "to": _hhmm(end),
                     **({"every": str(proposal.every)} if proposal.every > 1 else {})}
                    for days, start, end in proposal.sessions()]
        fields = {"id": intervention, "title": title, "department": department,
                  **_optional(responsible=responsible), "area": area, "attendees": list(people),
                  "from": proposal.start.isoformat(), "to": proposal.end.isoformat(), "sessions": sessions,
                  **({"travel_minutes": str(travel)} if travel else {})}
        model_sessions = tuple(m.Session(days=tuple(WEEKDAYS[day] for day in days),
                                         start=dt.time(start // 60, start % 60), end=dt.time(end // 60, end % 60),
                                         every=proposal.every) for days, start, end in proposal.sessions())
        return Change(PLAN, "booking", key="interventions", fields=fields,  # type: ignore[arg-type]
                      facts={"id": intervention, "title": title, "sessions": model_sessions,
                             "start": proposal.start, "end": proposal.end})
    return change
