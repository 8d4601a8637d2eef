"""What changed between two states of one case, in the plan's own terms and by id.

Pure: two loaded cases in, a list of `Change` out. Entries are matched by `id`, questions
by (`asked`, `by`, `about`) and consents by `id` or (`person`, `from`) (FORMAT.md, "Keys
of entries without an id"). `changes` adds who changed what and when from git; the
minutes' "Siden sidste møde" can use the same list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from familieplan import model as m
from familieplan.consent import effective_area
from familieplan.problems import Source
from familieplan.schedule import ended
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.facts import answer_due
from familieplan.settings import Record
from familieplan.workspace.history import Commit

T = TypeVar("T")
_EMPTY = m.Case("", Path("."), None, None)


@dataclass(frozen=True)
class Change:
    """One change: `kind` such as `agreement-done`, the `item` it is about and its `id`,
    a title (the text, title or name), details (old and new values, dates, working days
    late), where it is (file:line in the newer state; the older one for a removal), the
    item's area for the consent rule, the date it takes effect and the commit."""

    kind: str
    item: str
    id: str
    title: str | None
    details: Mapping[str, Any] = field(default_factory=dict)
    source: Source | None = None
    area: str | None = None
    areas: tuple[str, ...] = ()
    effective: dt.date | None = None
    commit: Commit | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.item, self.id)


def plain_data(value: object) -> object:
    """A record's user data, without positions: what "changed" compares."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple((f.name, plain_data(getattr(value, f.name))) for f in dataclasses.fields(value)
                     if f.name not in ("source", "where", "extensions"))
    if isinstance(value, tuple):
        return tuple(plain_data(v) for v in value)
    return value


def _pairs(old: Iterable[T], new: Iterable[T], key: Callable[[T], object]) -> Iterator[tuple[object, T | None, T | None]]:
    before = {key(x): x for x in old}
    after = {key(x): x for x in new}
    for k, item in after.items():
        yield k, before.get(k), item
    for k, item in before.items():
        if k not in after:
            yield k, item, None


def _changed(a: object, b: object, names: Iterable[str]) -> dict[str, list[object]]:
    return {name: [getattr(a, name, None), getattr(b, name, None)] for name in names
            if plain_data(getattr(a, name, None)) != plain_data(getattr(b, name, None))}


def item_area(case: m.Case, item: object) -> str | None:
    """The area that decides who may read an item: the model's one rule
    (`consent.effective_area`: its own `area`, else its intervention's, else a question's
    agreement's)."""
    return effective_area(case, item) if isinstance(item, Record) else getattr(item, "area", None)


class _Diff:
    def __init__(self, old: m.Case, new: m.Case, calendar: WorkCalendar, since: dt.date | None, to: dt.date) -> None:
        self.old, self.new, self.calendar, self.since, self.to = old, new, calendar, since, to
        self.changes: list[Change] = []

    def emit(self, kind: str, item: str, ident: str, title: str | None, record: object, case: m.Case | None = None,
             **details: Any) -> None:
        effective = details.pop("effective", None)
        source = getattr(record, "source", None)
        areas = details.pop("areas", ())
        area_of = details.pop("area_of", record)  # the record whose area decides who may read it
        self.changes.append(Change(kind, item, ident, title, details, source if source and source.line else None,
                                   item_area(case or self.new, area_of), tuple(areas), effective))

    def agreements(self) -> None:
        for key, a, b in _pairs(self.old.agreements, self.new.agreements, lambda x: x.id):
            ident = str(key)
            if b is None:
                assert a is not None
                self.emit("agreement-removed", "agreement", ident, a.text, a, self.old)
                continue
            if a is None:
                self.emit("agreement-made", "agreement", ident, b.text, b, responsible=b.responsible, due=b.due,
                          made=b.made, effective=b.made)
            else:
                fields = _changed(a, b, ("text", "responsible", "due", "answer_within_days"))
                if fields:
                    self.emit("agreement-changed", "agreement", ident, b.text, b, fields=fields)
            if (a.status if a else "open") != b.status:
                self.status(ident, b)

    def status(self, ident: str, b: m.Agreement) -> None:
        if b.status == "done":
            self.emit("agreement-done", "agreement", ident, b.text, b, done=b.done, effective=b.done)
        elif b.status == "cancelled":
            self.emit("agreement-cancelled", "agreement", ident, b.text, b)
        else:
            self.emit("agreement-reopened", "agreement", ident, b.text, b)

    def questions(self) -> None:
        agreements = {a.id: a for a in self.new.agreements if a.id}
        for _, a, b in _pairs(self.old.questions, self.new.questions, lambda q: (q.asked, q.by, q.about)):
            q = b or a
            assert q is not None
            ident = f"{q.asked.isoformat() if q.asked else ''} {q.by}"
            if b is None:
                self.emit("question-removed", "question", ident, q.about, q, self.old)
                continue
            if a is None:
                self.emit("question-asked", "question", ident, b.about, b, by=b.by, to=b.to, asked=b.asked,
                          effective=b.asked)
            if b.answered is not None and (a is None or a.answered != b.answered):
                due = answer_due(b, agreements, self.calendar)
                late = self.calendar.working_days_between(due, b.answered) if due and b.answered > due else 0
                self.emit("question-answered", "question", ident, b.about, b, by=b.by, to=b.to, asked=b.asked,
                          answered=b.answered, due=due, late_days=late, effective=b.answered)

    def interventions(self) -> None:
        old = self.old.plan.interventions if self.old.plan else ()
        new = self.new.plan.interventions if self.new.plan else ()
        for key, a, b in _pairs(old, new, lambda x: x.id):
            ident = str(key)
            if b is None:
                assert a is not None
                self.emit("intervention-removed", "intervention", ident, a.title, a, self.old)
            elif a is None:
                first = b.start or min((ap.date for ap in b.appointments if ap.date), default=None)
                self.emit("intervention-added", "intervention", ident, b.title, b, department=b.department,
                          effective=first)
            else:
                self.intervention_changed(ident, a, b)

    def intervention_changed(self, ident: str, a: m.Intervention, b: m.Intervention) -> None:
        """An intervention in both states: ended earlier, rescheduled, other fields changed."""
        # Its last day of demand: `to`, or the day before `ended.from` (FORMAT, third edition).
        old_end, new_end = ended.last_day(a), ended.last_day(b)
        if new_end and old_end and new_end < old_end:
            self.emit("intervention-ended", "intervention", ident, b.title, b, old_end=old_end, effective=new_end)
        self.rescheduled(ident, a, b)
        other = _changed(a, b, ("title", "department", "responsible", "area", "goals", "attendees", "phase"))
        if other:
            self.emit("intervention-changed", "intervention", ident, b.title, b, fields=other)

    def rescheduled(self, ident: str, a: m.Intervention, b: m.Intervention) -> None:
        """A change to when an intervention takes place (a later end too); effective from
        the earliest `since` of its new sessions, or its new start."""
        schedule = _changed(a, b, ("start", "sessions", "except_dates", "appointments", "hours_per_week",
                                   "travel_minutes"))
        if b.end and a.end and b.end > a.end:
            schedule["end"] = [a.end, b.end]
        if not schedule:
            return
        old_sessions = {plain_data(s) for s in a.sessions}
        starts = [getattr(s, "since", None) for s in b.sessions if plain_data(s) not in old_sessions]
        effective = min((d for d in starts if d), default=b.start if "start" in schedule else None)
        self.emit("intervention-rescheduled", "intervention", ident, b.title, b, fields=sorted(schedule),
                  sessions=[_session(s) for s in b.sessions], effective=effective)

    def goals(self) -> None:
        old = self.old.plan.goals if self.old.plan else ()
        new = self.new.plan.goals if self.new.plan else ()
        for key, a, b in _pairs(old, new, lambda x: x.id):
            ident = str(key)
            if b is None:
                assert a is not None
                self.emit("goal-removed", "goal", ident, a.text, a, self.old)
                continue
            if a is None:
                self.emit("goal-added", "goal", ident, b.text, b, person=b.person)
            else:
                fields = _changed(a, b, ("text", "person", "area", "by", "indicator"))
                if fields:
                    self.emit("goal-changed", "goal", ident, b.text, b, fields=fields)
            achieved = getattr(b, "achieved", None)
            if achieved and (a is None or getattr(a, "achieved", None) != achieved):
                self.emit("goal-achieved", "goal", ident, b.text, b, achieved=achieved, effective=achieved)

    def phases(self) -> None:
        old = self.old.plan.phases if self.old.plan else ()
        new = self.new.plan.phases if self.new.plan else ()
        for key, a, b in _pairs(old, new, lambda x: x.id):
            if b is None:
                assert a is not None
                self.emit("phase-removed", "phase", str(key), a.name, a, self.old)
            elif a is None:
                self.emit("phase-added", "phase", str(key), b.name, b, start=b.start, end=b.end, effective=b.start)
            elif fields := _changed(a, b, ("name", "start", "end", "focus")):
                self.emit("phase-changed", "phase", str(key), b.name, b, fields=fields)

    def members(self) -> None:
        for item, attr in (("person", "people"), ("professional", "professionals")):
            old = getattr(self.old.info, attr) if self.old.info else ()
            new = getattr(self.new.info, attr) if self.new.info else ()
            for key, a, b in _pairs(old, new, lambda x: x.id):
                if b is None:
                    assert a is not None
                    self.emit(f"{item}-left", item, str(key), a.name, a, self.old)
                elif a is None:
                    self.emit(f"{item}-joined", item, str(key), b.name, b,
                              department=getattr(b, "department", None))

    def consents(self) -> None:
        old = self.old.info.consents if self.old.info else ()
        new = self.new.info.consents if self.new.info else ()
        for key, a, b in _pairs(old, new, _consent_key):
            c = b or a
            assert c is not None
            ident = key if isinstance(key, str) else f"{c.person} {c.start.isoformat() if c.start else ''}"
            common: dict[str, Any] = {"person": c.person, "departments": list(c.departments), "areas": c.areas}
            if b is None:
                self.emit("consent-removed", "consent", ident, None, c, self.old, **common)
                continue
            self.consent_changed(ident, a, b, common)
            if b.until and b.until < self.to and (self.since is None or b.until >= self.since):
                self.emit("consent-expired", "consent", ident, None, b, until=b.until,
                          effective=b.until + dt.timedelta(days=1), **common)

    def consent_changed(self, ident: str, a: m.Consent | None, b: m.Consent, common: dict[str, Any]) -> None:
        """A consent given, withdrawn, or with other areas, departments or dates."""
        withdrawn = getattr(b, "withdrawn", None)
        if a is None:
            self.emit("consent-given", "consent", ident, None, b, start=b.start, until=b.until,
                      effective=b.start, **common)
        elif withdrawn and getattr(a, "withdrawn", None) != withdrawn:
            self.emit("consent-withdrawn", "consent", ident, None, b, withdrawn=withdrawn, effective=withdrawn,
                      **common)
        elif fields := _changed(a, b, ("areas", "departments", "start", "until")):
            self.emit("consent-changed", "consent", ident, None, b, fields=fields, **common)

    def meetings(self) -> None:
        for key, a, b in _pairs(self.old.meetings, self.new.meetings, lambda x: x.name):
            if b is None:
                assert a is not None
                self.emit("meeting-removed", "meeting", str(key), a.title, a, self.old, date=a.date)
            elif a is None:
                held = b.date is not None and b.date <= self.to
                self.emit("meeting-held" if held else "meeting-planned", "meeting", str(key), b.title, b,
                          date=b.date, effective=b.date)

    def attendance(self) -> None:
        """A cancellation, no-show or attendance recorded (an entry new by its key)."""
        def key(a: m.Attendance) -> object:
            return (a.date, a.person, a.intervention, a.meeting, a.start)

        titles = {iv.id: iv.title for iv in (self.new.plan.interventions if self.new.plan else ())}
        titles.update((mt.name, mt.title) for mt in self.new.meetings)
        for _, a, b in _pairs(self.old.attendance, self.new.attendance, key):
            if a is None and b is not None:
                what = b.intervention or b.meeting or ""
                self.emit(f"attendance-{b.status}", "attendance", f"{b.date} {b.person} {what}",
                          titles.get(what) or what, b, person=b.person, date=b.date, effective=b.date)

    def measurements(self) -> None:
        """A measurement recorded (new by its goal and date); it is read as its goal is."""
        goals = {g.id: g for g in (self.new.plan.goals if self.new.plan else ()) if g.id}
        for _, a, b in _pairs(self.old.measurements, self.new.measurements, lambda x: (x.goal, x.date)):
            if a is None and b is not None:
                self.emit("measurement-recorded", "measurement", f"{b.goal} {b.date}", b.goal, b,
                          goal=b.goal, value=b.value, date=b.date, effective=b.date, area_of=goals.get(b.goal or ""))


def _consent_key(consent: m.Consent) -> object:
    ident = getattr(consent, "id", None)
    return ident if ident else (consent.person, consent.start)


def _session(session: m.Session) -> dict[str, object]:
    data: dict[str, object] = {"days": list(session.days), "from": session.start, "to": session.end,
                               "every": session.every}
    for name in ("since", "until"):
        if getattr(session, name, None) is not None:
            data[name] = getattr(session, name)
    return data


def diff_cases(old: m.Case | None, new: m.Case, calendar: WorkCalendar, since: dt.date | None,
               to: dt.date) -> list[Change]:
    """Every change from `old` (None: the case did not exist) to `new`, by id."""
    diff = _Diff(old if old is not None else dataclasses.replace(_EMPTY, folder_id=new.folder_id), new, calendar,
                 since, to)
    for part in (diff.members, diff.consents, diff.phases, diff.goals, diff.interventions, diff.agreements,
                 diff.questions, diff.meetings, diff.attendance, diff.measurements):
        part()
    return diff.changes
