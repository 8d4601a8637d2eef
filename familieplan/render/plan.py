"""The joint plan for one reader (`render-plan`, the case pages of `serve`): one context,
filtered by consent before any template sees it, with the weekly load charts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from familieplan import model as m
from familieplan.consent import ReaderFilter
from familieplan.problems import N_, FamilieplanError
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
)
from familieplan.render.questions import own_open_questions
from familieplan.render.words import area_name, ended_text, intervention_schedule
from familieplan.schedule.deadlines import OPEN, OVERDUE, agreement_state, next_meeting
from familieplan.schedule.facts import meeting_facts
from familieplan.settings import Settings


def plan_context(case: m.Case, settings: Settings, recipient: str | None, lang: str, now: dt.datetime,
                 today: dt.date, charts: bool = True, real_today: dt.date | None = None) -> dict[str, Any]:
    """The joint plan for one reader (None: the team's internal version), with the consents
    in force on `today`."""
    if case.info is None or case.plan is None:
        raise FamilieplanError(N_("case {case} cannot be read; run 'familieplan validate'"), case=case.folder_id)
    _ = catalog(lang).gettext
    info, plan = case.info, case.plan
    share = ReaderFilter(case, recipient, [today], real_today, settings.department_areas)
    names = Names(case, settings, lang, concealed(share))
    reader = names.reader(recipient)
    visible = [iv for iv in plan.interventions if share.allows(iv)]
    agreements, agreements_left_out = agreement_section(
        [a for a in case.agreements if agreement_state(a, today) in (OPEN, OVERDUE)], share, names, lang, today)
    upcoming, upcoming_left_out = _upcoming_meeting(case, share, today, lang)
    context = {
        "lang": lang, "kind": "plan",
        "title": plan.title or _("Joint plan: {title}").format(title=case.title),
        "case_title": case.title, "case_id": case_line(case, share),
        "header": document_header(reader, now, lang, settings, by_letter(case, recipient, now.date(), lang)),
        "period": _plan_period(plan, lang), "people_heading": _people_heading(info, lang),
        "people": [{"name": p.name or p.id, "role": names.role(p.id)} for p in info.people],
        "coordinator": _contact(names, info.coordinator), "contact": _contact(names, info.contact),
        "phases": _phase_rows(plan, visible, share, settings, names, lang, today),
        "goals": _goal_rows(case, share, settings, lang), "agreements": agreements,
        "agreements_left_out": agreements_left_out,
        "next_meeting": upcoming, "next_meeting_left_out": upcoming_left_out,
        "charts": load_charts(case, settings, visible, recipient, lang) if charts else [],
        # The charts add only what the reader may see; say that other demands exist.
        "charts_partial": (_("The charts count only the interventions shown here; the week holds other "
                             "demands as well.") if len(visible) < len(plan.interventions) else None),
        "sender": sender_block(case, settings, names, people=False),
        "your_questions": own_open_questions(case, settings, share, names, recipient, lang, today),
    }
    context["omitted_note"] = omitted_note(share, lang)
    context["disclosed"] = disclosed(share)
    return context


def _upcoming_meeting(case: m.Case, share: ReaderFilter, today: dt.date,
                      lang: str) -> tuple[dict[str, Any] | None, str | None]:
    """The next meeting, if the reader may see its area (else the line saying it was left
    out). A plan must not present a past date as the next meeting (`status` flags it)."""
    coming = next_meeting(meeting_facts(case), today)
    if not (coming and coming.date and not coming.passed):
        return None, None
    if share.reading.allows(coming.area):
        return {"date": d.date_long(coming.date, lang), "purpose": coming.purpose}, None
    share.omitted += 1
    return None, left_out(1, lang)


def _people_heading(info: m.CaseInfo, lang: str) -> str:
    """'The citizen' for a case about one adult with no children, else 'The family'."""
    _ = catalog(lang).gettext
    single = len(info.people) == 1 and info.people[0].role != "child"
    return _("The citizen") if single else _("The family")


def _plan_period(plan: m.Plan, lang: str) -> str:
    return d.period(plan.start, plan.end, lang) if plan.start and plan.end else ""


def _contact(names: Names, pid: str | None) -> dict[str, Any] | None:
    if not pid:
        return None
    pro = names.pros.get(pid) if pid not in names.hidden else None
    reach = [x for x in ((pro.phone, pro.email) if pro else ()) if x]
    return {"name": names.name(pid), "role": names.role(pid), "reach": reach}


def _iv_row(iv: m.Intervention, settings: Settings, names: Names, lang: str,
            concealed: frozenset[str] = frozenset()) -> dict[str, Any]:
    period = d.period(iv.start, iv.end, lang) if iv.start and iv.end else ""
    # A department the reader may not learn of is not named, even beside what they may read.
    department = "" if iv.department in concealed else settings.department_name(iv.department or "")
    responsible = names.full(iv.responsible) if iv.responsible else ""
    if department and responsible.endswith(f", {department})"):
        # "Jobcentret, Line Holm (Sagsbehandler)": the department is not written twice.
        responsible = responsible[: -len(f", {department})")] + ")"
    return {"title": iv.title or "", "description": iv.description, "department": department,
            "responsible": responsible,
            "area": area_name(iv.area or "", settings, lang), "schedule": intervention_schedule(iv, lang),
            "period": period, "ended": ended_text(iv, lang), "attendees": [names.name(a) for a in iv.attendees]}


def _active_in(iv: m.Intervention, plan: m.Plan, start: dt.date, end: dt.date) -> bool:
    """Listed under a phase: its own `phase`, else every phase its dates touch."""
    if iv.phase:
        return any(p.id == iv.phase and p.start == start for p in plan.phases)
    dates = [a.date for a in iv.appointments if a.date]
    low = iv.start or (min(dates) if dates else None)
    high = iv.end or (max(dates) if dates else None)
    if low is None or high is None:
        return start == (plan.phases[0].start if plan.phases else None)
    return low <= end and start <= high


def _phase_rows(plan: m.Plan, visible: list[m.Intervention], share: ReaderFilter, settings: Settings,
                names: Names, lang: str, today: dt.date) -> list[dict[str, Any]]:
    """A row per dated phase with the interventions the reader may see (and how many were
    left out), and each phase's share of the plan's days in percent."""
    hidden = [iv for iv in plan.interventions if iv not in visible]
    concealed = share.reading.concealed_departments()
    phases: list[dict[str, Any]] = []
    for phase in plan.phases:
        if phase.start is None or phase.end is None:
            continue
        row = _phase_row(phase, phase.start, phase.end, share, settings, lang, today)
        row["interventions"] = [_iv_row(iv, settings, names, lang, concealed) for iv in visible
                                if _active_in(iv, plan, phase.start, phase.end)]
        row["left_out"] = sum(1 for iv in hidden if _active_in(iv, plan, phase.start, phase.end))
        phases.append(row)
    total = sum(row["share"] for row in phases) or 1
    for row in phases:
        row["percent"] = round(100 * row["share"] / total, 2)
    return phases


def _phase_row(phase: m.Phase, start: dt.date, end: dt.date, share: ReaderFilter, settings: Settings,
               lang: str, today: dt.date) -> dict[str, Any]:
    """A phase's name, period and focus, whether it is the current one, and its days."""
    return {
        "id": phase.id, "name": phase.name or "", "period": d.period(start, end, lang),
        # "Fokus: familie og rusmidler", only the areas the reader may see.
        "focus": d.join([area_name(a, settings, lang).lower() for a in phase.focus if share.allows_area(a)],
                        lang),
        "current": start <= today <= end,
        "share": max(1, (end - start).days + 1),
    }


def _goal_rows(case: m.Case, share: ReaderFilter, settings: Settings, lang: str) -> list[dict[str, Any]]:
    assert case.info is not None and case.plan is not None
    cat = catalog(lang)
    goals = []
    for person in case.info.people:
        mine = [g for g in case.plan.goals if g.person == person.id]
        shown = [g for g in mine if share.allows(g)]
        if mine:
            goals.append({"person": person.name or person.id, "left_out": len(mine) - len(shown), "goals": [
                {"text": g.text or "", "area": area_name(g.area or "", settings, lang),
                 "by": cat.pgettext("goal", "by {date}").format(date=d.date_long(g.by, lang)) if g.by else None,
                 "indicator": settings.indicators.get(g.indicator, g.indicator) if settings.indicators and g.indicator else g.indicator}
                for g in shown]})
    return goals


def load_charts(case: m.Case, settings: Settings, visible: list[m.Intervention], recipient: str | None,
                lang: str) -> list[dict[str, Any]]:
    """Weekly hours per person from the same scheduling core as check-load, counting only
    the interventions (and meetings) the reader may see."""
    import dataclasses

    from familieplan.render.chart import weekly_chart
    from familieplan.schedule.calendar import WorkCalendar
    from familieplan.schedule.demands import build_schedules
    from familieplan.schedule.progression import week_monday
    from familieplan.schedule.weeks import weekly_hours

    assert case.plan is not None
    shown_plan = dataclasses.replace(case.plan, interventions=tuple(visible))
    shown_case = dataclasses.replace(case, plan=shown_plan)
    charts = []
    for schedule in build_schedules(shown_case, settings, WorkCalendar(settings)):
        if not (schedule.slots or schedule.oneoffs or schedule.hours):
            continue
        hours = weekly_hours(schedule)
        weeks = [(week_monday(w), h) for w, h in hours.items()]
        name = schedule.person.name or schedule.person.id or ""
        limit = schedule.limits.max_hours_per_week
        label = catalog(lang).gettext("Hours per week for {name}").format(name=name)
        charts.append({"name": name, "limit": catalog(lang).number(limit, 2),
                       "svg": weekly_chart(weeks, limit, label, lang)})
    return charts
