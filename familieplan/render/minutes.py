"""The minutes of a meeting for one reader (`render-minutes`, the meeting pages of
`serve`): one context, filtered by consent before any template sees it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from familieplan import model as m
from familieplan.consent import ReaderFilter
from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.render.document_parts import (
    Names,
    agreement_section,
    by_letter,
    case_line,
    concealed,
    disclosed,
    document_header,
    left_out,
    omitted_note,
    sender_block,
    shown_place,
)
from familieplan.render.questions import own_open_questions
from familieplan.render.words import area_name, ended_text
from familieplan.schedule.deadlines import since_last_meeting
from familieplan.settings import Settings


def minutes_context(case: m.Case, meeting: m.Meeting, settings: Settings, recipient: str | None,
                    lang: str, now: dt.datetime, today: dt.date | None = None,
                    real_today: dt.date | None = None) -> dict[str, Any]:
    """The minutes of a meeting for one reader (None: the team's internal version). A
    consent must be in force on the meeting's date and on `today`, the day the minutes are
    made (FORMAT.md, second edition); a withdrawal dated on or before `real_today` always
    applies. A professional of a department whose areas the reader may read none of is
    "en fagperson" in every list, and a place naming that department is not shown."""
    day = meeting.date or now.date()
    share = ReaderFilter(case, recipient, [day, today or day], real_today, settings.department_areas)
    names = Names(case, settings, lang, concealed(share))
    reader = names.reader(recipient)
    made_here = [a for a in case.agreements if _made_at(a, meeting, case)]
    earlier = _still_open_from_before(case, made_here, day)
    participants = _participants(meeting, names)
    agreements_made, made_left_out = agreement_section(made_here, share, names, lang, day)
    earlier_rows, earlier_left_out = agreement_section(earlier, share, names, lang, day)
    since, since_left_out = _since_last_meeting(case, meeting, settings, share, names, lang)
    next_meeting = _next_meeting(meeting.next_meeting, share, lang)
    context = {
        "lang": lang, "kind": "minutes",
        "title": catalog(lang).gettext("Minutes: {title}").format(title=meeting.title),
        "case_title": case.title, "case_id": case_line(case, share),
        "header": document_header(reader, now, lang, settings, by_letter(case, recipient, now.date(), lang)),
        "date": d.date_long(day, lang), "time": d.time_range(meeting.start, meeting.end, lang),
        "place": shown_place(meeting.place, share, settings, names), "chair": _full_name(names, meeting.chair),
        "minutes_by": _full_name(names, meeting.minutes_by),
        "present": [p for p in participants if p["present"]],
        "absent": [p for p in participants if not p["present"]],
        "agenda": _agenda(meeting, share, settings, lang),
        "agreements_made": agreements_made, "agreements_made_left_out": made_left_out,
        "earlier": earlier_rows, "earlier_left_out": earlier_left_out,
        "since": since, "since_left_out": since_left_out,
        "next_meeting": next_meeting,
        "next_meeting_left_out": left_out(1, lang) if next_meeting is None and _has_next(meeting) else None,
        "recipients": [names.full(r) for r in meeting.send_to],
        "sender": sender_block(case, settings, names),
        "your_questions": own_open_questions(case, settings, share, names, recipient, lang, today or day),
    }
    context["omitted_note"] = omitted_note(share, lang)
    context["disclosed"] = disclosed(share)
    return context


def _has_next(meeting: m.Meeting) -> bool:
    return meeting.next_meeting is not None and meeting.next_meeting.date is not None


def _agenda(meeting: m.Meeting, share: ReaderFilter, settings: Settings, lang: str) -> list[dict[str, Any]]:
    """The agenda's items, numbered 1, 2, 3 as the reader sees them; an item the reader may
    not see is only marked as left out (and takes no number)."""
    agenda: list[dict[str, Any]] = []
    number = 0
    for item in meeting.agenda:
        if share.allows(item):
            number += 1
            agenda.append({"left_out": False, "number": number, "title": item.title or "",
                           "notes": item.notes or "", "decisions": list(item.decisions),
                           "area": area_name(item.area, settings, lang) if item.area else None})
        else:
            agenda.append({"left_out": True})
    return agenda


def _still_open_from_before(case: m.Case, made_here: list[m.Agreement], day: dt.date) -> list[m.Agreement]:
    """Agreements made before the meeting's day and neither cancelled nor done before it."""
    return [a for a in case.agreements
            if a not in made_here and a.made and a.made < day and a.status != "cancelled"
            and not (a.status == "done" and a.done and a.done < day)]


def _participants(meeting: m.Meeting, names: Names) -> list[dict[str, Any]]:
    return [{"name": names.name(p.id), "role": names.role(p.id), "present": p.present}
            for p in meeting.participants]


def _full_name(names: Names, some_id: str | None) -> str | None:
    """'Line Holm (Sagsbehandler, Jobcentret)', or None when nobody is named."""
    return names.full(some_id) if some_id else None


def _made_at(agreement: m.Agreement, meeting: m.Meeting, case: m.Case) -> bool:
    """Made at this meeting: named by `meeting`, or made on its date with no `meeting` when
    it is the only meeting that day (docs/guide.md, "Minutes and plans for each reader")."""
    if agreement.meeting is not None:
        return agreement.meeting == meeting.name
    same_day = [mt for mt in case.meetings if mt.date == meeting.date]
    return agreement.made is not None and agreement.made == meeting.date and len(same_day) == 1


def _since_last_meeting(case: m.Case, meeting: m.Meeting, settings: Settings, share: ReaderFilter,
                        names: Names, lang: str) -> tuple[list[str], str | None]:
    """"Siden sidste møde": agreements done and questions answered (late ones marked)
    between the previous meeting and this one, as the reader may see them, and the line
    saying how many were left out."""
    from familieplan.schedule.calendar import WorkCalendar

    if meeting.date is None:
        return [], None
    points = since_last_meeting(case, meeting.date, WorkCalendar(settings))
    cat = catalog(lang)
    lines: list[str] = []
    hidden = 0
    for a in points.done:
        if a.done and not share.allows(a):
            hidden += 1
        elif a.done:
            lines.append(cat.gettext("Agreement {id} was done {date}: {text}").format(
                id=a.id, date=d.date_long(a.done, lang), text=a.text or ""))
    for q, late in points.answered:
        if q.answered is None:
            continue
        if not share.allows(q):
            hidden += 1
            continue
        text = cat.gettext("{who} got an answer {date}: {about}").format(
            who=names.name(q.by), date=d.date_long(q.answered, lang), about=q.about or "")
        if late:
            text += " " + cat.ngettext("({n} working day late)", "({n} working days late)", late).format(n=late)
        lines.append(text)
    ended = [iv for iv in points.ended if share.allows(iv)]
    lines += [ended_text(iv, lang) for iv in ended]
    return lines, left_out(hidden + len(points.ended) - len(ended), lang)


def _next_meeting(item: m.NextMeeting | None, share: ReaderFilter, lang: str) -> dict[str, Any] | None:
    if item is None or item.date is None or not share.allows(item):
        return None
    return {"date": d.date_long(item.date, lang), "purpose": item.purpose}
