"""`export-ics`: a person's whole week across departments as an iCalendar file (RFC 5545).

Sessions become recurring events (RRULE with EXDATE for holidays, closed days and
`except`), appointments and meetings single events, all in Europe/Copenhagen time with
its VTIMEZONE (render/timezone.py). UIDs are stable, so importing a new export updates rather than duplicates.
The occurrences are exactly those `check-load` counts: the exclusions come from the same
scheduling core.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from familieplan import model as m
from familieplan.clock import COPENHAGEN
from familieplan.format.cpr import mask_cpr
from familieplan.format.suggest import did_you_mean_text
from familieplan.problems import N_, FamilieplanError, UsageError
from familieplan.render.catalog import catalog
from familieplan.render.language import language
from familieplan.render.timezone import TZID, vtimezone
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import OneOff, PersonSchedule, build_schedules
from familieplan.settings import Settings

BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def default_person(case: m.Case) -> str:
    people = case.info.people if case.info else ()
    for person in people:
        if person.role == "parent" and person.id:
            return person.id
    if people and people[0].id:
        return people[0].id
    raise FamilieplanError(N_("case {case} has no people to export a calendar for"), case=case.folder_id)


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=COPENHAGEN)


class _Events:
    """The events of one person's calendar: descriptions, stable UIDs, one event per
    session (a weekly rule), per one-off appointment and per meeting."""

    def __init__(self, case: m.Case, settings: Settings, person_id: str, stamp: dt.datetime, lang: str) -> None:
        self.case = case
        self.settings = settings
        self.person_id = person_id
        self.stamp = stamp
        self.gettext = catalog(lang).gettext
        self.people = case.people_by_id()
        self.pros = case.professionals_by_id()
        self.years: set[int] = set()  # the years the events fall in, for the VTIMEZONE

    def describe(self, department: str | None, responsible: str | None) -> str:
        _ = self.gettext
        lines = []
        if department:
            lines.append(_("Department") + f": {self.settings.department_name(department)}")
        if responsible:
            pro = self.pros.get(responsible)
            person = self.people.get(responsible)
            who = pro.name if pro else person.name if person else responsible
            title = f" ({pro.title})" if pro and pro.title else ""
            lines.append(_("Responsible") + f": {who}{title}")
        lines.append(_("Joint plan") + f": {self.case.title}")
        return "\n".join(lines)

    def event(self, uid: str, summary: str, description: str) -> Any:
        from icalendar import Event

        ev = Event()
        ev.add("uid", f"{self.case.folder_id}-{self.person_id}-{uid}@familieplan")
        ev.add("dtstamp", self.stamp)
        ev.add("summary", summary)
        ev.add("description", description)
        return ev

    def sessions(self, schedule: PersonSchedule) -> list[Any]:
        """One recurring event per session: RRULE with INTERVAL, UNTIL and EXDATE."""
        slots_by_session: dict[tuple[str, str], list] = {}
        for slot in schedule.slots:
            slots_by_session.setdefault((slot.ref.id, slot.item), []).append(slot)
        events = []
        for iv in schedule.interventions:
            for index, session in enumerate(iv.sessions):
                slots = slots_by_session.get((iv.id or "", f"s{index}"))
                if not slots or session.start is None or session.end is None or iv.end is None:
                    continue
                events.append(self.session(iv, index, session, slots))
        return events

    def session(self, iv: m.Intervention, index: int, session: m.Session, slots: list) -> Any:
        """The recurring event of one session (with a start and an end) from its weekly slots."""
        assert session.start is not None and session.end is not None
        first = min(s.date(s.weeks.first_actual()) for s in slots)
        excluded = sorted(s.date(w) for s in slots for w in s.weeks.excluded if s.date(w) > first)
        ev = self.event(f"{iv.id}-s{index}", iv.title or "", self.describe(iv.department, iv.responsible))
        ev.add("dtstart", _local(first, session.start))
        ev.add("dtend", _local(first, session.end))
        # UNTIL at the very end of the last day (in UTC, as RFC 5545 requires with a
        # TZID'd DTSTART): parsers that read it in the wrong offset (winter time for a
        # series ending in summer) still keep the last session.
        last = max(s.date(s.weeks.last_actual()) for s in slots)
        until = _local(last, dt.time(23, 59, 59))
        self.years.update((first.year, last.year))
        ev.add("rrule", {"freq": "weekly", "interval": session.every,
                         "byday": [BYDAY[d] for d in sorted({s.weekday for s in slots})],
                         "until": until.astimezone(dt.timezone.utc)})
        if excluded:
            ev.add("exdate", [_local(day, session.start) for day in excluded])
        return ev

    def oneoff(self, schedule: PersonSchedule, oneoff: OneOff) -> Any:
        self.years.add(oneoff.date.year)
        if oneoff.ref.kind == "intervention":
            iv = next(i for i in schedule.interventions if i.id == oneoff.ref.id)
            appt = iv.appointments[int(oneoff.item[1:])]
            ev = self.event(f"{iv.id}-{oneoff.item}", iv.title or "", self.describe(iv.department, iv.responsible))
            ev.add("dtstart", _local(oneoff.date, appt.start))  # type: ignore[arg-type]
            ev.add("dtend", _local(oneoff.date, appt.end))  # type: ignore[arg-type]
            if appt.place:
                ev.add("location", appt.place)
            return ev
        meeting = next(mt for mt in self.case.meetings if mt.name == oneoff.ref.id)
        ev = self.event(f"meeting-{meeting.name}", meeting.title or "",
                        self.describe(oneoff.ref.department, meeting.chair))
        if meeting.start and meeting.end:
            ev.add("dtstart", _local(oneoff.date, meeting.start))
            ev.add("dtend", _local(oneoff.date, meeting.end))
        else:
            ev.add("dtstart", oneoff.date)
            ev.add("dtend", oneoff.date + dt.timedelta(days=1))
        if meeting.place:
            ev.add("location", meeting.place)
        return ev


def export_ics(case: m.Case, settings: Settings, person_id: str | None, now: dt.datetime,
               lang: str | None = None) -> bytes:
    """The person's calendar (RFC 5545) across every department, as bytes."""
    from icalendar import Calendar

    if case.info is None or case.plan is None:
        raise FamilieplanError(N_("case {case} cannot be read; run 'familieplan validate'"), case=case.folder_id)
    person_id = person_id or default_person(case)
    people = case.people_by_id()
    if person_id not in people:
        hint = did_you_mean_text(person_id, people)
        if hint:
            raise UsageError(N_("no person '{id}' in case {case} ({hint})"), id=person_id, case=case.folder_id, hint=hint)
        raise UsageError(N_("no person '{id}' in case {case}"), id=person_id, case=case.folder_id)
    lang = language(lang, settings.language)
    [schedule] = build_schedules(case, settings, WorkCalendar(settings), only_person=person_id)
    events = _Events(case, settings, person_id, now.astimezone(dt.timezone.utc), lang)

    cal = Calendar()
    cal.add("prodid", "-//familieplan//familieplan//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # One line: a name written over several lines in the YAML must not break the property.
    cal.add("x-wr-calname", " ".join((events.gettext("Joint plan") + f": {people[person_id].name}").split()))
    cal.add("x-wr-timezone", TZID)
    components = [*events.sessions(schedule), *(events.oneoff(schedule, o) for o in schedule.oneoffs)]
    for ev in components:
        cal.add_component(ev)
    years = events.years or {schedule.window[0].year}
    cal.add_component(vtimezone(min(years), max(years)))
    # No CPR-shaped number leaves the tool, not even in a calendar (docs/guide.md, "Privacy").
    return mask_cpr(cal.to_ical().decode("utf-8")).encode("utf-8")


def _as_seen(attendee: Any, case: m.Case, hidden: frozenset[str], lang: str) -> Any:
    """An attendee as the reader may see them: a concealed professional by no name nor e-mail."""
    import dataclasses

    if attendee.id not in hidden:
        return attendee
    return dataclasses.replace(attendee, name=catalog(lang).pgettext("concealed", "a professional"),
                               address=f"urn:familieplan:{case.folder_id}:{attendee.id}")


def _party(attendee: Any, role: str | None = None) -> Any:
    from icalendar import vCalAddress

    address = vCalAddress(attendee.address)
    address.params["cn"] = " ".join(attendee.name.split())
    if role:
        address.params["role"] = role
        address.params["partstat"] = "NEEDS-ACTION"
        address.params["rsvp"] = "TRUE"
    return address


def invitation_ics(case: m.Case, inv: Any, now: dt.datetime, lang: str, hidden: frozenset[str] = frozenset(),
                   place: str | None = None) -> str:
    """One participant's invitation to a meeting (`invite`): METHOD:REQUEST (or CANCEL for a
    cancelled meeting), the meeting's UID and SEQUENCE, ORGANIZER and every ATTENDEE with
    their role, in Europe/Copenhagen time with its VTIMEZONE. CRLF line ends (RFC 5545).
    The professionals in `hidden` (of a department the reader may not learn of) are "en
    fagperson" at their `urn:`; `place` is the place the reader may see (None: none)."""
    from icalendar import Calendar, Event

    meeting = inv.meeting
    _ = catalog(lang).gettext
    cal = Calendar()
    cal.add("prodid", "-//familieplan//familieplan//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", inv.method)
    ev = Event()
    ev.add("uid", inv.uid)
    ev.add("dtstamp", now.astimezone(dt.timezone.utc))
    ev.add("sequence", inv.sequence)
    ev.add("summary", " ".join((meeting.title or "").split()))
    ev.add("dtstart", _local(meeting.date, meeting.start))
    ev.add("dtend", _local(meeting.date, meeting.end))
    if place:
        ev.add("location", " ".join(place.split()))
    lines = [_("Joint plan") + f": {case.title}"]
    if meeting.purpose:
        lines.append(_("Purpose") + f": {meeting.purpose}")
    lines += [f"- {q}" for q in meeting.questions]
    ev.add("description", "\n".join(lines))
    ev.add("status", "CANCELLED" if inv.method == "CANCEL" else "CONFIRMED")
    ev.add("organizer", _party(_as_seen(inv.organizer, case, hidden, lang)))
    for attendee in inv.attendees:
        ev.add("attendee", _party(_as_seen(attendee, case, hidden, lang), attendee.role))
    cal.add_component(ev)
    cal.add_component(vtimezone(meeting.date.year, meeting.date.year))
    text = mask_cpr(cal.to_ical().decode("utf-8"))
    return text.replace("\r\n", "\n").replace("\n", "\r\n")
