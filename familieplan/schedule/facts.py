"""What the follow-up of a case needs from its files, as small plain records.

Deadlines, "overdue", the next meeting, the phase a day is in and the consents that end
all depend on the day they are asked about; the facts they are worked out from do not.
`case_facts` takes them from a case once (the answer date of each question counted in
working days, the load findings counted), so that the engine can keep them per case and
`due` and `status` work out any day from them (`schedule/deadlines.py`,
`commands/consents.py`, `commands/followup.py`) without reading the case again. Named
tuples: they are what a warm run of 2,000 cases loads, and tuples load fastest.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from familieplan.problems import Source
from familieplan.schedule import ended

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import model as m
    from familieplan.schedule.calendar import WorkCalendar


class AgreementFact(NamedTuple):
    id: str | None
    text: str
    responsible: str | None
    department: str | None  # the responsible professional's
    made: dt.date | None
    status: str | None
    done: dt.date | None
    due: dt.date | None
    source: Source


class QuestionFact(NamedTuple):
    about: str
    to: str | None
    department: str | None  # the department of the one asked
    agreement: str | None
    asked: dt.date | None
    answered: dt.date | None
    answer_date: dt.date | None  # the agreement's working days after it was asked
    source: Source


class MeetingFact(NamedTuple):
    name: str
    title: str | None
    date: dt.date | None
    next_date: dt.date | None  # the `next_meeting` it announced
    next_purpose: str | None
    next_area: str | None
    announced: bool  # it has a `next_meeting`


class PhaseFact(NamedTuple):
    id: str | None
    name: str | None
    start: dt.date | None
    end: dt.date | None


class SpanFact(NamedTuple):
    """An intervention's department and when it runs (for "still working")."""

    department: str | None
    start: dt.date | None
    end: dt.date | None
    appointments: tuple[dt.date, ...]


class ConsentFact(NamedTuple):
    label: str  # its id, or `consents[N]`
    person: str | None
    departments: tuple[str, ...]
    until: dt.date | None
    withdrawn: dt.date | None
    until_source: Source
    withdrawn_source: Source


class CaseFacts(NamedTuple):
    case: str
    title: str
    source: str  # case.yaml's place, for `status`
    coordinator: str | None
    coordinator_name: str | None
    names: tuple[tuple[str, str], ...]  # people and professionals: (id, name)
    agreements: tuple[AgreementFact, ...]
    questions: tuple[QuestionFact, ...]
    meetings: tuple[MeetingFact, ...]
    phases: tuple[PhaseFact, ...]
    interventions: tuple[SpanFact, ...]
    consents: tuple[ConsentFact, ...]
    load_errors: int = 0
    load_warnings: int = 0
    statutory: tuple[Any, ...] = ()  # the rules' obligations (`familieplan.rules`, a layer above)
    notices: tuple[Any, ...] = ()  # the rules' findings that are not deadlines


def meeting_facts(case: m.Case) -> tuple[MeetingFact, ...]:
    out = []
    for mt in case.meetings:
        announced = mt.next_meeting
        out.append(MeetingFact(mt.name, mt.title, mt.date, announced.date if announced else None,
                               announced.purpose if announced else None,
                               getattr(announced, "area", None) if announced else None, announced is not None))
    return tuple(out)


def agreement_facts(case: m.Case) -> tuple[AgreementFact, ...]:
    pros = case.professionals_by_id()
    return tuple(AgreementFact(a.id, a.text or "", a.responsible,
                               pros[a.responsible].department if a.responsible in pros else None,
                               a.made, a.status, a.done, a.due, a.source) for a in case.agreements)


def answer_due(question: m.Question, agreements: dict[str, m.Agreement], calendar: WorkCalendar) -> dt.date | None:
    """The answer date of a question: its agreement's working days after it was asked."""
    agreement = agreements.get(question.agreement or "")
    if agreement is None or agreement.answer_within_days is None or question.asked is None:
        return None
    return calendar.add_working_days(question.asked, agreement.answer_within_days)


def question_facts(case: m.Case, calendar: WorkCalendar) -> tuple[QuestionFact, ...]:
    pros = case.professionals_by_id()
    agreements = {a.id: a for a in case.agreements if a.id}
    return tuple(QuestionFact(q.about or "", q.to, pros[q.to].department if q.to in pros else None, q.agreement,
                              q.asked, q.answered, answer_due(q, agreements, calendar), q.source)
                 for q in case.questions)


def consent_facts(case: m.Case) -> tuple[ConsentFact, ...]:
    from familieplan.consent import consent_label

    if case.info is None:
        return ()
    return tuple(ConsentFact(consent_label(case, c), c.person, tuple(c.departments), c.until, c.withdrawn,
                             c.pos("until"), c.pos("withdrawn")) for c in case.info.consents)


def case_facts(case: m.Case, calendar: WorkCalendar, load: tuple[int, int] = (0, 0)) -> CaseFacts:
    """The facts of a case (`load`: its load findings' errors and warnings)."""
    info, plan = case.info, case.plan
    pros = case.professionals_by_id()
    coordinator = info.coordinator if info else None
    phases = tuple(PhaseFact(p.id, p.name, p.start, p.end) for p in plan.phases) if plan else ()
    spans = tuple(SpanFact(iv.department, iv.start, ended.last_day(iv),
                           tuple(a.date for a in iv.appointments if a.date and ended.demands_on(iv, a.date)))
                  for iv in plan.interventions) if plan else ()
    return CaseFacts(case.folder_id, case.title, str(info.source) if info else "", coordinator,
                     pros[coordinator].name if coordinator in pros else None, _names(case),
                     agreement_facts(case), question_facts(case, calendar), meeting_facts(case), phases, spans,
                     consent_facts(case), *load)


def _names(case: m.Case) -> tuple[tuple[str, str], ...]:
    if case.info is None:
        return ()
    people = [(p.id or "", p.name or "") for p in case.info.people]
    return (*people, *((p.id or "", p.name or "") for p in case.info.professionals))


def phase_on(phases: tuple[PhaseFact, ...], day: dt.date) -> PhaseFact | None:
    for phase in phases:
        if phase.start and phase.end and phase.start <= day <= phase.end:
            return phase
    return None
