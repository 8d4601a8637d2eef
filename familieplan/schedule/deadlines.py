"""Agreements and answer deadlines in Danish working days. Pure: `today` is a parameter.

An open agreement with `due` is overdue the day after it. A question logged under an
agreement with `answer_within_days: N` must be answered by the N-th working day after
it was asked; unanswered after that, it is overdue. Questions answered after their
deadline are listed for the follow-up at the next meeting: those answered since the
case's latest meeting held on or before today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from familieplan.problems import Source
from familieplan.schedule import ended
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.facts import (
    AgreementFact,
    CaseFacts,
    MeetingFact,
    QuestionFact,
    answer_due,
)

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import model as m

OVERDUE, DUE, ANSWERED_LATE = "overdue", "due", "answered-late"
OPEN, DONE, CANCELLED, NOT_YET = "open", "done", "cancelled", "not-yet"


def agreement_state(agreement: m.Agreement | AgreementFact, day: dt.date) -> str:
    """An agreement as it stood on `day`: not yet made, cancelled, done (on or before the
    day), overdue (open, past its `due`) or open. The one place that says what is overdue."""
    if agreement.made and agreement.made > day:
        return NOT_YET
    if agreement.status == CANCELLED:
        return CANCELLED
    if agreement.status == DONE and agreement.done and agreement.done <= day:
        return DONE
    if agreement.due and agreement.due < day:
        return OVERDUE
    return OPEN


def question_open(question: m.Question | QuestionFact, day: dt.date) -> bool:
    """Asked on or before `day` and not answered by then."""
    asked = question.asked is None or question.asked <= day
    return asked and (question.answered is None or question.answered > day)


def question_overdue(question: m.Question | QuestionFact, answer_date: dt.date | None, day: dt.date) -> bool:
    """Open on `day` and past its answer date."""
    return question_open(question, day) and answer_date is not None and answer_date < day


@dataclass(frozen=True)
class NextMeeting:
    """The case's next meeting: the first meeting file dated on or after the day, else
    the `next_meeting` of the latest meeting (which may have passed: `passed`)."""

    date: dt.date | None
    purpose: str | None
    passed: bool
    area: str | None = None


def next_meeting(meetings: Sequence[MeetingFact], day: dt.date) -> NextMeeting | None:
    """The one definition of "the next meeting" (status, plans, minutes' agendas), from a
    case's meetings (`facts.meeting_facts`)."""
    planned = sorted((mt for mt in meetings if mt.date), key=lambda mt: (mt.date, mt.name))
    upcoming = [mt for mt in planned if mt.date and mt.date >= day]
    if upcoming:
        return NextMeeting(upcoming[0].date, upcoming[0].title, False)
    latest = [mt for mt in planned if mt.announced]
    if not latest:
        return None
    announced = latest[-1]
    return NextMeeting(announced.next_date, announced.next_purpose,
                       announced.next_date is not None and announced.next_date < day, announced.next_area)


@dataclass(frozen=True)
class Deadline:
    case: str
    kind: str  # "agreement" | "question"
    state: str  # overdue | due | answered-late
    date: dt.date  # the due date or answer date
    days_late: int  # working days after `date` (0 when not late)
    text: str  # the agreement's text or the question asked
    responsible: str | None
    department: str | None
    source: Source
    agreement: str | None = None
    asked: dt.date | None = None
    answered: dt.date | None = None
    # A statutory deadline (kind "statutory", `familieplan.rules`): its rule, the provision
    # in Danish, the link to it, whether it was late once known, whom and which area it is
    # about (the consent rule), and its message id with fields (`text` is the English).
    rule: str | None = None
    law: str | None = None
    link: str | None = None
    late: bool | None = None
    person: str | None = None
    area: str | None = None
    message: str | None = None
    fields: tuple[tuple[str, object], ...] = ()


def last_meeting_before(meetings: Sequence[MeetingFact], today: dt.date) -> dt.date | None:
    held = [mt.date for mt in meetings if mt.date and mt.date <= today]
    return max(held, default=None)


@dataclass(frozen=True)
class SinceLastMeeting:
    """What happened between the previous meeting and a meeting on `day`, from the files'
    own dates: agreements done, and questions answered with the working days they came
    late (0 when on time). `since` is the previous meeting's date (None: no earlier
    meeting, and nothing to tell)."""

    since: dt.date | None
    done: tuple[m.Agreement, ...] = ()
    answered: tuple[tuple[m.Question, int], ...] = ()
    ended: tuple[m.Intervention, ...] = ()  # interventions ended early from a day in between


def since_last_meeting(case: m.Case, day: dt.date, calendar: WorkCalendar) -> SinceLastMeeting:
    """The points of "Siden sidste møde", for the minutes of a meeting on `day` and for the
    agenda that `new-meeting` writes for it (one selection for both)."""
    since = max((mt.date for mt in case.meetings if mt.date and mt.date < day), default=None)
    if since is None:
        return SinceLastMeeting(None)
    done = tuple(a for a in case.agreements if a.status == "done" and a.done and since <= a.done < day)
    agreements = {a.id: a for a in case.agreements if a.id}
    answered = tuple((q, _late(q, answer_due(q, agreements, calendar), calendar)) for q in case.questions
                     if q.answered and since <= q.answered < day)
    return SinceLastMeeting(since, done, answered, _ended_between(case, since, day))


def _ended_between(case: m.Case, since: dt.date, day: dt.date) -> tuple[m.Intervention, ...]:
    """The interventions ended early from a day from `since` up to (not including) `day`."""
    found = []
    for iv in case.plan.interventions if case.plan else ():
        stop = ended.stopped(iv)
        if stop is not None and since <= stop < day:
            found.append(iv)
    return tuple(found)


def _late(question: m.Question, due: dt.date | None, calendar: WorkCalendar) -> int:
    """Working days a question was answered after its answer date (0: on time)."""
    answered = question.answered
    return calendar.working_days_between(due, answered) if due and answered and answered > due else 0


def case_deadlines(case: CaseFacts, today: dt.date, calendar: WorkCalendar, within_days: int = 7) -> list[Deadline]:
    """Overdue and coming deadlines of one case, and questions answered late."""
    horizon = today + dt.timedelta(days=within_days)
    items: list[Deadline] = []
    for agreement in case.agreements:
        state = agreement_state(agreement, today)
        if state not in (OPEN, OVERDUE) or agreement.due is None or agreement.due > horizon:
            continue
        late = state == OVERDUE
        items.append(Deadline(case.case, "agreement", OVERDUE if late else DUE, agreement.due,
                              calendar.working_days_between(agreement.due, today) if late else 0,
                              agreement.text, agreement.responsible, agreement.department,
                              agreement.source, agreement=agreement.id))
    since = last_meeting_before(case.meetings, today)
    for question in case.questions:
        due = question.answer_date
        if due is None or (question.asked is not None and question.asked > today):
            continue  # no answer date, or asked after the day we look from
        item = _question_deadline(case.case, question, due, today, since, horizon, calendar)
        if item is not None:
            items.append(item)
    return items


def _question_deadline(case: str, question: QuestionFact, due: dt.date, today: dt.date, since: dt.date | None,
                       horizon: dt.date, calendar: WorkCalendar) -> Deadline | None:
    if question_open(question, today):
        if due > horizon:
            return None
        late = due < today
        return Deadline(case, "question", OVERDUE if late else DUE, due,
                        calendar.working_days_between(due, today) if late else 0, question.about, question.to,
                        question.department, question.source, agreement=question.agreement, asked=question.asked)
    if (question.answered is not None and due < question.answered <= today
            and (since is None or question.answered >= since)):
        return Deadline(case, "question", ANSWERED_LATE, due, calendar.working_days_between(due, question.answered),
                        question.about, question.to, question.department, question.source,
                        agreement=question.agreement, asked=question.asked, answered=question.answered)
    return None


ORDER = {OVERDUE: 0, DUE: 1, ANSWERED_LATE: 2, DONE: 3}


def sort_key(item: Deadline) -> tuple:
    # Overdue first (the longest overdue at the top), then by date.
    return (ORDER[item.state], -item.days_late if item.state == OVERDUE else 0, item.date, item.case,
            item.source.path, item.source.line)
