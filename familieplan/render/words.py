"""Fixed text of rendered documents, Danish and English, and schedules in words."""

from __future__ import annotations

import datetime as dt

from familieplan import model as m
from familieplan.render import danish as d

TEXT = {
    "da": {
        "minutes": "Referat", "plan": "Fællesplan", "confidential": "Fortroligt",
        "for_whom": "Udarbejdet til {who} den {when}.",
        "internal": "Intern version med alle punkter. Må ikke videregives; send den version, der er lavet til den enkelte modtager.",
        "rendered": "Dannet den {when}.",
        "case": "Sag", "date": "Dato", "time": "Tid", "place": "Sted", "chair": "Mødeleder", "minutes_by": "Referent",
        "participants": "Deltagere", "present": "Til stede", "absent": "Afbud", "agenda": "Dagsorden",
        "decisions": "Beslutninger", "left_out": "Et punkt er udeladt, fordi samtykket ikke omfatter det.",
        "agreements_made": "Aftaler fra mødet", "what": "Hvad", "who": "Ansvarlig", "when": "Frist",
        "earlier": "Status på tidligere aftaler", "status": "Status", "next_meeting": "Næste møde",
        "purpose": "Formål", "recipients": "Modtagere", "no_agreements": "Ingen nye aftaler.",
        "answer_within": "svar inden for {n} hverdage", "answer_within1": "svar inden for 1 hverdag",
        "by": "senest {date}", "no_deadline": "løbende", "open": "åben", "open_late": "åben, fristen er overskredet",
        "done_on": "udført {date}", "cancelled": "annulleret", "family": "Familien", "coordinator": "Koordinerende sagsbehandler",
        "contact": "Kontaktperson", "reach": "Kontakt", "phases": "Faser", "focus": "Fokus", "goals": "Mål",
        "goal_by": "inden {date}", "indicator": "Målepunkt", "interventions": "Indsatser", "department": "Afdeling",
        "schedule": "Tidspunkt", "period": "Periode", "open_agreements": "Åbne aftaler", "load": "Ugentlig belastning",
        "load_note": "Timer pr. uge (ISO-uge) med de indsatser og møder, der er vist her. Stiplet linje: grænsen på {limit} timer. Røde søjler: uger over grænsen.",
        "current": "nu", "none": "Ingen.", "role_parent": "forælder", "role_child": "barn", "role_other": "",
        "phase": "Fase", "plan_period": "Planperiode", "no_phase": "Uden for faserne",
        "hours_per_week": "{h} timer om ugen", "except": "ikke {dates}", "every1": "hver uge",
        "every2": "hver anden uge", "everyn": "hver {n}. uge", "since": "fra {date}", "until": "til og med {date}", "clock": "kl.", "page_lang": "da", "kl": "kl.",
        "week": "uge", "hours": "timer", "limit": "grænse", "chart_label": "Timer pr. uge for {name}",
    },
    "en": {
        "minutes": "Minutes", "plan": "Joint plan", "confidential": "Confidential",
        "for_whom": "Prepared for {who} on {when}.",
        "internal": "Internal version with every item. Do not pass it on; send each recipient the version made for them.",
        "rendered": "Made on {when}.",
        "case": "Case", "date": "Date", "time": "Time", "place": "Place", "chair": "Chair", "minutes_by": "Minutes by",
        "participants": "Participants", "present": "Present", "absent": "Absent", "agenda": "Agenda",
        "decisions": "Decisions", "left_out": "An item was left out because the consent does not cover it.",
        "agreements_made": "Agreements made at the meeting", "what": "What", "who": "Responsible", "when": "By when",
        "earlier": "Status of earlier agreements", "status": "Status", "next_meeting": "Next meeting",
        "purpose": "Purpose", "recipients": "Recipients", "no_agreements": "No new agreements.",
        "answer_within": "answer within {n} working days", "answer_within1": "answer within 1 working day",
        "by": "by {date}", "no_deadline": "ongoing", "open": "open", "open_late": "open, past its deadline",
        "done_on": "done {date}", "cancelled": "cancelled", "family": "The family", "coordinator": "Coordinating caseworker",
        "contact": "Contact person", "reach": "Contact", "phases": "Phases", "focus": "Focus", "goals": "Goals",
        "goal_by": "by {date}", "indicator": "Indicator", "interventions": "Interventions", "department": "Department",
        "schedule": "When", "period": "Period", "open_agreements": "Open agreements", "load": "Weekly load",
        "load_note": "Hours per ISO week from the interventions and meetings shown here. Dashed line: the limit of {limit} hours. Red bars: weeks over the limit.",
        "current": "now", "none": "None.", "role_parent": "parent", "role_child": "child", "role_other": "",
        "phase": "Phase", "plan_period": "Plan period", "no_phase": "Outside the phases",
        "hours_per_week": "{h} hours a week", "except": "not {dates}", "every1": "every week",
        "every2": "every other week", "everyn": "every {n}th week", "since": "from {date}", "until": "up to and including {date}", "clock": "", "page_lang": "en", "kl": "",
        "week": "week", "hours": "hours", "limit": "limit", "chart_label": "Hours per week for {name}",
    },
}

AREA_NAMES_EN = {"employment": "Employment", "education": "Education", "family": "Family", "school": "School",
                 "health": "Health", "addiction": "Addiction", "economy": "Economy", "housing": "Housing",
                 "network": "Network", "leisure": "Leisure"}


def area_name(area: str, settings: m.Settings, lang: str) -> str:
    if lang == "en" and area in AREA_NAMES_EN:
        return AREA_NAMES_EN[area]
    return settings.all_areas().get(area, area)


def time_range(start: dt.time | None, end: dt.time | None, lang: str) -> str:
    if start is None or end is None:
        return ""
    if lang == "da":
        return f"kl. {d.time_short(start)}–{d.time_short(end)}"
    return f"{d.time_hhmm(start)}–{d.time_hhmm(end)}"


def session_words(session: m.Session, lang: str) -> str:
    """'mandag, onsdag og torsdag kl. 9–12, hver uge'."""
    t = TEXT[lang]
    order = {day: i for i, day in enumerate(d.WEEKDAY_IDS)}
    days = [d.WEEKDAYS[lang][order[day]] for day in sorted(set(session.days), key=order.__getitem__)]
    every = t["every1"] if session.every == 1 else t["every2"] if session.every == 2 else t["everyn"].format(n=session.every)
    text = f"{d.join(days, lang)} {time_range(session.start, session.end, lang)}, {every}"
    # A session's own period (second edition): "fra 17. august 2026", "til og med 14. august 2026".
    if session.since:
        text += f" {t['since'].format(date=d.date_long(session.since, lang))}"
    if session.until:
        text += f" {t['until'].format(date=d.date_long(session.until, lang))}"
    return text


def intervention_schedule(iv: m.Intervention, lang: str) -> list[str]:
    t = TEXT[lang]
    parts = [session_words(s, lang) for s in iv.sessions]
    if iv.except_dates:
        parts.append(t["except"].format(dates=d.join([d.date_long(x, lang) for x in sorted(iv.except_dates)], lang)))
    for appt in iv.appointments:
        if appt.date:
            parts.append(f"{d.date_long(appt.date, lang)} {time_range(appt.start, appt.end, lang)}".strip())
    if iv.hours_per_week:
        hours = f"{iv.hours_per_week:g}".replace(".", "," if lang == "da" else ".")
        parts.append(t["hours_per_week"].format(h=hours))
    return parts
