"""The family's own copy of the plan (`render-plan --for` an adult of the family): written
for them, not cut from the team's. "Du" and short sentences; first "Din uge", the next
four weeks from the day it is made as of (exactly the occurrences `check-load` counts for
that person), then their goals in their own words, who to call, and when answers are due.

Every fixed word the copy uses is in `FIXED_WORDS` (a test scores them with LIX, and checks
that the template uses no other). The consent rule filters the data while it is built,
as for every document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from familieplan import model as m
from familieplan.consent import ReaderFilter
from familieplan.problems import N_
from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.render.document_parts import Names, disclosed, document_header, sender_block
from familieplan.render.plan import plan_approval
from familieplan.render.questions import own_open_questions
from familieplan.schedule.agenda import Occurrence, occurrences
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.deadlines import OPEN, OVERDUE, agreement_state
from familieplan.schedule.demands import build_schedules
from familieplan.settings import Settings

WEEKS = 4

FIXED_WORDS = (
    N_("Your plan"), N_("This is your plan. It is written for you."),
    N_("Your week"), N_("The next four weeks, from {date}."), N_("Day"), N_("Time"), N_("What"), N_("Where"),
    N_("With whom"), N_("You have no appointments in these four weeks."),
    N_("Your goals"), N_("You have no goals in the plan yet."), N_("By {date}."),
    N_("Who can you call?"), N_("Call {name} first."), N_("Your caseworker is {name}."),
    N_("Your questions"), N_("Questions you have asked that are not answered yet, and when the answer is due."),
    N_("asked {date}"), N_("to {who}"), N_("answer due by {date}"), N_("From"), N_("Journal number"),
    N_("What you will do"), N_("By {date}."), N_("The next meeting is {date}."),
    N_("Something was left out, because it is not about you."),
)


def is_family_adult(case: m.Case, recipient: str | None) -> bool:
    """An adult of the family (not a child): they get the family's own copy."""
    person = case.people_by_id().get(recipient or "")
    return person is not None and person.role != "child"


def _hm(minutes: int | None) -> dt.time | None:
    return None if minutes is None else dt.time(minutes // 60, minutes % 60)


def _week_rows(case: m.Case, settings: Settings, person: str, visible: list[m.Intervention], names: Names,
               today: dt.date, lang: str) -> list[dict[str, str]]:
    """'Din uge': every occurrence on the person in the next four weeks, as check-load counts them."""
    assert case.plan is not None
    shown = dataclasses.replace(case, plan=dataclasses.replace(case.plan, interventions=tuple(visible)))
    end = today + dt.timedelta(weeks=WEEKS, days=-1)
    schedules = build_schedules(shown, settings, WorkCalendar(settings), window=(today, end), only_person=person)
    rows = []
    cat = catalog(lang)
    for occ in (occurrences(schedules[0], today, end) if schedules else []):
        day = cat.pgettext("date", "{day} {month}").format(day=occ.date.day, month=d.month_short(occ.date.month, cat))
        rows.append({"day": f"{d.weekday(occ.date.weekday(), lang)} {day}",
                     "time": d.time_range(_hm(occ.start), _hm(occ.end), lang),
                     "what": occ.ref.title, "where": _where(case, settings, occ),
                     "with": names.name(occ.ref.responsible) if occ.ref.responsible else ""})
    return rows


def _where(case: m.Case, settings: Settings, occ: Occurrence) -> str:
    if occ.ref.kind == "meeting":
        meeting = next((mt for mt in case.meetings if mt.name == occ.ref.id), None)
        if meeting and meeting.place:
            return meeting.place
    elif occ.item.startswith("a") and case.plan:
        iv = next((i for i in case.plan.interventions if i.id == occ.ref.id), None)
        place = iv.appointments[int(occ.item[1:])].place if iv else None
        if place:
            return place
    return settings.department_name(occ.ref.department) if occ.ref.department else ""


def _calls(case: m.Case, names: Names, lang: str) -> list[str]:
    """Whom to call: the contact first, then the caseworker, each with their phone or e-mail."""
    _ = catalog(lang).gettext
    info = case.info
    assert info is not None
    wanted = [(info.contact, N_("Call {name} first."))] if info.contact else []
    if info.coordinator and info.coordinator != info.contact:
        wanted.append((info.coordinator, N_("Your caseworker is {name}.")))
    lines = []
    for some_id, words in wanted:
        pro = names.pros.get(some_id or "")
        reach = ", ".join(x for x in ((pro.phone, pro.email) if pro else ()) if x)
        lines.append(_(words).format(name=names.name(some_id)) + (f" {reach}" if reach else ""))
    return lines


def family_plan_context(case: m.Case, settings: Settings, recipient: str, lang: str, now: dt.datetime,
                        today: dt.date, real_today: dt.date | None = None) -> dict[str, Any]:
    """The plan for one adult of the family, in their words ("du"), filtered by consent."""
    assert case.info is not None and case.plan is not None
    cat = catalog(lang)
    _ = cat.gettext
    names = Names(case, settings, lang)
    share = ReaderFilter(case, recipient, [today], real_today, settings.department_areas)
    visible = [iv for iv in case.plan.interventions if share.allows(iv)]
    goals = [g for g in case.plan.goals if g.person == recipient]
    shown_goals = [g for g in goals if share.allows(g)]
    context = {
        "lang": lang, "kind": "family_plan", "title": _("Your plan"), "case_title": case.title,
        "header": document_header(names.reader(recipient), now, lang, settings),
        "approval": plan_approval(case, recipient, names, lang),
        "from": d.date_long(today, lang),
        "week": _week_rows(case, settings, recipient, visible, names, today, lang),
        "goals": [{"text": _sentence(g.text or ""), "by": _("By {date}.").format(date=_due(g.by, lang)) if g.by else None}
                  for g in shown_goals],
        "left_out": len(goals) - len(shown_goals),
        "calls": _calls(case, names, lang),
        "sender": sender_block(case, settings, names, people=False),
        "your_questions": own_open_questions(case, settings, share, names, recipient, lang, today),
        "promises": _promises(case, share, recipient, today, lang),
        "next_meeting": _next_meeting(case, share, today, lang),
    }
    context["disclosed"] = disclosed(share)
    return context


def _promises(case: m.Case, share: ReaderFilter, person: str, today: dt.date, lang: str) -> list[dict[str, str | None]]:
    """The agreements the person keeps, open on `today`."""
    mine = [a for a in case.agreements if a.responsible == person and a.made and a.made <= today
            and agreement_state(a, today) in (OPEN, OVERDUE) and share.allows(a)]
    return [{"text": a.text or "", "date": _due(a.due, lang)} for a in mine]


def _sentence(text: str) -> str:
    """A goal as a sentence of its own: a full stop where it has none (short sentences)."""
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _due(day: dt.date | None, lang: str) -> str | None:
    return d.date_long(day, lang) if day else None


def _next_meeting(case: m.Case, share: ReaderFilter, today: dt.date, lang: str) -> str | None:
    coming = sorted((mt for mt in case.meetings if mt.date and mt.date >= today and mt.status != "cancelled"),
                    key=lambda mt: (mt.date, mt.name))
    if coming and coming[0].date:
        return d.date_long(coming[0].date, lang)
    announced = [mt.next_meeting for mt in case.meetings if mt.next_meeting and mt.next_meeting.date
                 and mt.next_meeting.date >= today and share.reading.allows(mt.next_meeting.area)]
    return d.date_long(min(n.date for n in announced if n.date), lang) if announced else None
