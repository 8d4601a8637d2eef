"""The citizen's own question log (`render-questions`), and the short "Dine spørgsmål"
section of open questions in her copy of the minutes and the plan.

A reader's own questions are those she asked (`by`) that the consent rule lets her read:
when each was asked, to whom, the day the answer is due (the agreement's working days,
counted on the workspace's calendar with its holidays and closed days), and whether it
was answered, on time or late. Empty rows follow, so that she can write the next questions
by hand and know when to expect the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from familieplan import model as m
from familieplan.consent import ReaderFilter
from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.render.document_parts import (
    Names,
    by_letter,
    case_line,
    concealed,
    disclosed,
    document_header,
    sender_block,
)
from familieplan.schedule.calendar import work_calendar
from familieplan.schedule.deadlines import question_open
from familieplan.schedule.facts import answer_due
from familieplan.settings import Settings

BLANK_ROWS = 6


def question_rows(case: m.Case, settings: Settings, share: ReaderFilter, names: Names, reader: str | None,
                  lang: str, today: dt.date, open_only: bool = False) -> list[dict[str, Any]]:
    """The reader's questions asked on or before `today`, oldest first, each as the words of
    one row; only those the reader may read (counted for the disclosure log)."""
    mine = [q for q in case.questions if q.by == reader and (q.asked is None or q.asked <= today)
            and not (open_only and not question_open(q, today))]
    agreements = {a.id: a for a in case.agreements if a.id}
    return [_row(q, answer_due(q, agreements, work_calendar(settings)), settings, names, lang, today)
            for q in sorted(mine, key=lambda q: q.asked or dt.date.min) if share.allows(q)]


def _row(question: m.Question, due: dt.date | None, settings: Settings, names: Names, lang: str,
         today: dt.date) -> dict[str, Any]:
    def day(value: dt.date | None) -> str:
        return d.date_long(value, lang) if value else ""

    answered = question.answered if question.answered and question.answered <= today else None
    return {"asked": day(question.asked), "to": names.full(question.to) if question.to else "",
            "about": question.about or "", "due": day(due), "answered": day(answered),
            "state": _state(question, due, today, work_calendar(settings), lang),
            "late": _is_late(question, due, today)}


def _is_late(question: m.Question, due: dt.date | None, today: dt.date) -> bool:
    if due is None:
        return False
    if question_open(question, today):
        return due < today
    return question.answered is not None and question.answered > due


def _state(question: m.Question, due: dt.date | None, today: dt.date, calendar: Any, lang: str) -> str:
    """'besvaret til tiden', 'besvaret 2 arbejdsdage for sent', 'ikke besvaret', 'ikke besvaret,
    3 arbejdsdage for sent'."""
    cat = catalog(lang)
    if not question_open(question, today):
        assert question.answered is not None
        if due is None or question.answered <= due:
            return cat.gettext("answered on time") if due else cat.gettext("answered")
        late = calendar.working_days_between(due, question.answered)
        return cat.ngettext("answered {n} working day late", "answered {n} working days late", late).format(n=late)
    if due is not None and due < today:
        late = calendar.working_days_between(due, today)
        return cat.ngettext("not answered, {n} working day late", "not answered, {n} working days late",
                            late).format(n=late)
    return cat.gettext("not answered yet")


def own_open_questions(case: m.Case, settings: Settings, share: ReaderFilter, names: Names, reader: str | None,
                       lang: str, today: dt.date) -> list[dict[str, Any]]:
    """"Dine spørgsmål" in the minutes and the plan: the open questions of a reader from the
    family (none for the team's version or a professional's)."""
    if reader is None or reader not in case.people_by_id():
        return []
    return question_rows(case, settings, share, names, reader, lang, today, open_only=True)


def questions_context(case: m.Case, settings: Settings, recipient: str | None, lang: str, now: dt.datetime,
                      today: dt.date, real_today: dt.date | None = None) -> dict[str, Any]:
    """The question log of one reader of the case (a person or a professional)."""
    share = ReaderFilter(case, recipient, [today], real_today, settings.department_areas)
    names = Names(case, settings, lang, concealed(share))  # "en fagperson" as in the minutes
    reader = names.reader(recipient)
    cat = catalog(lang)
    context = {
        "lang": lang, "kind": "questions",
        "title": cat.gettext("Your questions: {name}").format(name=reader.name),
        "case_title": case.title, "case_id": case_line(case, share),
        "header": document_header(reader, now, lang, settings, by_letter(case, recipient, now.date(), lang)),
        "sender": sender_block(case, settings, names),
        "today": d.date_long(today, lang),
        "rows": question_rows(case, settings, share, names, recipient, lang, today),
        "blank_rows": BLANK_ROWS,
        "agreements": _answer_times(case, share, names, lang),
    }
    context["disclosed"] = disclosed(share)
    return context


def _answer_times(case: m.Case, share: ReaderFilter, names: Names, lang: str) -> list[str]:
    """The standing agreements on answer times the reader may read: 'Børne- og
    familiecentret svarer inden for 3 arbejdsdage'."""
    cat = catalog(lang)
    lines = []
    for agreement in case.agreements:
        n = agreement.answer_within_days
        if n is None or agreement.status == "cancelled" or not share.allows(agreement):
            continue
        within = cat.ngettext("answer within {n} working day", "answer within {n} working days", n).format(n=n)
        who = names.full(agreement.responsible) if agreement.responsible else ""
        lines.append(f"{who}: {within}" if who else within)
    return lines
