"""`render-minutes` and `render-plan`: one context per document, filtered by consent
before any template sees it, rendered to Markdown or HTML from the same context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from familieplan import model as m
from familieplan.consent import may_read
from familieplan.format.types import did_you_mean_text
from familieplan.problems import N_, FamilieplanError, UsageError
from familieplan.render import danish as d
from familieplan.render.catalog import Catalog, catalog
from familieplan.render.words import area_name, intervention_schedule
from familieplan.schedule.deadlines import CANCELLED, DONE, OVERDUE, agreement_state, next_meeting
from familieplan.workspace.files import write_atomic

OUTPUT_DIR = "output"


@dataclass(frozen=True)
class Reader:
    """For whom a document is rendered: an id from the case, or None for the full version."""

    id: str | None
    name: str
    description: str  # "Line Holm, Sagsbehandler, Jobcentret"


def role_word(role: str | None, cat: Catalog) -> str:
    """A person's role in the family as the reader's word ('forælder'); none for 'other'."""
    if role == "parent":
        return cat.pgettext("role", "parent")
    if role == "child":
        return cat.pgettext("role", "child")
    return ""


class Names:
    """Names, titles and departments of everyone in a case, in the document's language."""

    def __init__(self, case: m.Case, settings: m.Settings, lang: str) -> None:
        self.people = case.people_by_id()
        self.pros = case.professionals_by_id()
        self.settings = settings
        self.lang = lang

    def name(self, some_id: str | None) -> str:
        if not some_id:
            return ""
        if some_id in self.people:
            return self.people[some_id].name or some_id
        if some_id in self.pros:
            return self.pros[some_id].name or some_id
        return some_id

    def role(self, some_id: str | None) -> str:
        """'Sagsbehandler, Jobcentret' for a professional, 'forælder' for a person."""
        if some_id in self.pros:
            pro = self.pros[some_id]  # type: ignore[index]
            return ", ".join(x for x in (pro.title, self.settings.department_name(pro.department or "")) if x)
        if some_id in self.people:
            return role_word(self.people[some_id].role, catalog(self.lang))  # type: ignore[index]
        return ""

    def full(self, some_id: str | None) -> str:
        role = self.role(some_id)
        return f"{self.name(some_id)} ({role})" if role else self.name(some_id)

    def reader(self, some_id: str | None) -> Reader:
        if some_id is None:
            return Reader(None, "", "")
        if some_id not in self.people and some_id not in self.pros:
            hint = did_you_mean_text(some_id, [*self.people, *self.pros])
            if hint:
                raise UsageError(N_("--for {id}: neither a person nor a professional of the case ({hint})"),
                                 id=some_id, hint=hint)
            raise UsageError(N_("--for {id}: neither a person nor a professional of the case"), id=some_id)
        role = self.role(some_id)
        return Reader(some_id, self.name(some_id), f"{self.name(some_id)}, {role}" if role else self.name(some_id))


def _header(reader: Reader, now: dt.datetime, lang: str) -> dict[str, Any]:
    _ = catalog(lang).gettext
    when = f"{d.date_long(now.date(), lang)} {d.time_hhmm(now.time())}"
    return {
        "confidential": _("Confidential"),
        "for_whom": (_("Prepared for {who} on {when}.").format(who=reader.description, when=when) if reader.id
                     else _("Made on {when}.").format(when=when)),
        "internal": None if reader.id else _("Internal version with every item. Do not pass it on; "
                                             "send each recipient the version made for them."),
    }


def _deadline(agreement: m.Agreement, lang: str) -> str:
    cat = catalog(lang)
    if agreement.answer_within_days is not None:
        n = agreement.answer_within_days
        return cat.ngettext("answer within {n} working day", "answer within {n} working days", n).format(n=n)
    if agreement.due:
        return cat.gettext("by {date}").format(date=d.date_long(agreement.due, lang))
    return cat.gettext("ongoing")


def _agreement_row(agreement: m.Agreement, names: Names, lang: str, as_of: dt.date) -> dict[str, Any]:
    _ = catalog(lang).gettext
    state = agreement_state(agreement, as_of)
    if state == CANCELLED:
        status = _("cancelled")
    elif state == DONE and agreement.done:
        status = _("done {date}").format(date=d.date_long(agreement.done, lang))
    elif state == OVERDUE:
        status = _("open, past its deadline")
    else:
        status = _("open")
    return {"id": agreement.id, "text": agreement.text or "", "responsible": names.full(agreement.responsible),
            "deadline": _deadline(agreement, lang), "status": status}


def minutes_context(case: m.Case, meeting: m.Meeting, settings: m.Settings, recipient: str | None,
                    lang: str, now: dt.datetime) -> dict[str, Any]:
    names = Names(case, settings, lang)
    reader = names.reader(recipient)
    day = meeting.date or now.date()
    agenda = []
    for item in meeting.agenda:
        if may_read(case, recipient, item.area, day):
            agenda.append({"left_out": False, "title": item.title or "", "notes": item.notes or "",
                           "decisions": list(item.decisions),
                           "area": area_name(item.area, settings, lang) if item.area else None})
        else:
            agenda.append({"left_out": True})
    made_here = [_agreement_row(a, names, lang, day) for a in case.agreements if a.meeting == meeting.name]
    earlier = [
        _agreement_row(a, names, lang, day) for a in case.agreements
        if a.meeting != meeting.name and a.made and a.made < day and a.status != "cancelled"
        and not (a.status == "done" and a.done and a.done < day)
    ]
    participants = [{"name": names.name(p.id), "role": names.role(p.id), "present": p.present}
                    for p in meeting.participants]
    nxt = meeting.next_meeting
    return {
        "lang": lang, "kind": "minutes",
        "title": catalog(lang).gettext("Minutes: {title}").format(title=meeting.title),
        "case_title": case.title, "case_id": case.folder_id,
        "header": _header(reader, now, lang),
        "date": d.date_long(day, lang), "time": d.time_range(meeting.start, meeting.end, lang),
        "place": meeting.place, "chair": names.full(meeting.chair) if meeting.chair else None,
        "minutes_by": names.full(meeting.minutes_by) if meeting.minutes_by else None,
        "present": [p for p in participants if p["present"]],
        "absent": [p for p in participants if not p["present"]],
        "agenda": agenda, "agreements_made": made_here, "earlier": earlier,
        "next_meeting": {"date": d.date_long(nxt.date, lang), "purpose": nxt.purpose} if nxt and nxt.date else None,
        "recipients": [names.full(r) for r in meeting.send_to],
    }


def plan_context(case: m.Case, settings: m.Settings, recipient: str | None, lang: str, now: dt.datetime,
                 today: dt.date, charts: bool = True) -> dict[str, Any]:
    if case.info is None or case.plan is None:
        raise FamilieplanError(f"case {case.folder_id} cannot be read; run 'familieplan validate'")
    _ = catalog(lang).gettext
    names = Names(case, settings, lang)
    reader = names.reader(recipient)
    info, plan = case.info, case.plan

    def contact(pid: str | None) -> dict[str, Any] | None:
        if not pid:
            return None
        pro = names.pros.get(pid)
        reach = [x for x in ((pro.phone, pro.email) if pro else ()) if x]
        return {"name": names.name(pid), "role": names.role(pid), "reach": reach}

    visible_ivs = [iv for iv in plan.interventions if may_read(case, recipient, iv.area, today)]
    hidden_ivs = [iv for iv in plan.interventions if iv not in visible_ivs]

    def iv_row(iv: m.Intervention) -> dict[str, Any]:
        period = d.period(iv.start, iv.end, lang) if iv.start and iv.end else ""
        return {"title": iv.title or "", "description": iv.description, "department": settings.department_name(iv.department or ""),
                "responsible": names.full(iv.responsible) if iv.responsible else "",
                "area": area_name(iv.area or "", settings, lang), "schedule": intervention_schedule(iv, lang),
                "period": period, "attendees": [names.name(a) for a in iv.attendees]}

    def active_in(iv: m.Intervention, start: dt.date, end: dt.date) -> bool:
        if iv.phase:
            return any(p.id == iv.phase and p.start == start for p in plan.phases)
        dates = [a.date for a in iv.appointments if a.date]
        low = iv.start or (min(dates) if dates else None)
        high = iv.end or (max(dates) if dates else None)
        if low is None or high is None:
            return start == (plan.phases[0].start if plan.phases else None)
        return low <= end and start <= high

    phases: list[dict[str, Any]] = []
    for phase in plan.phases:
        if phase.start is None or phase.end is None:
            continue
        phases.append({
            "id": phase.id, "name": phase.name or "", "period": d.period(phase.start, phase.end, lang),
            "focus": [area_name(a, settings, lang) for a in phase.focus],
            "current": phase.start <= today <= phase.end,
            "share": max(1, (phase.end - phase.start).days + 1),
            "interventions": [iv_row(iv) for iv in visible_ivs if active_in(iv, phase.start, phase.end)],
            "left_out": sum(1 for iv in hidden_ivs if active_in(iv, phase.start, phase.end)),
        })
    total = sum(row["share"] for row in phases) or 1
    for row in phases:
        row["percent"] = round(100 * row["share"] / total, 2)
    goals = []
    for person in info.people:
        mine = [g for g in plan.goals if g.person == person.id]
        shown = [g for g in mine if may_read(case, recipient, g.area, today)]
        if mine:
            goals.append({"person": person.name or person.id, "left_out": len(mine) - len(shown), "goals": [
                {"text": g.text or "", "area": area_name(g.area or "", settings, lang),
                 "by": catalog(lang).pgettext("goal", "by {date}").format(date=d.date_long(g.by, lang)) if g.by else None, "indicator": g.indicator}
                for g in shown]})
    agreements = [_agreement_row(a, names, lang, today) for a in case.agreements if a.status == "open"]
    # A plan must not present a past date as the next meeting (`status` flags it instead).
    coming = next_meeting(case, today)
    upcoming = None
    if coming and coming.date and not coming.passed:
        upcoming = {"date": d.date_long(coming.date, lang), "purpose": coming.purpose}
    people = [{"name": p.name or p.id, "role": names.role(p.id)} for p in info.people]
    context = {
        "lang": lang, "kind": "plan",
        "title": plan.title or _("Joint plan: {title}").format(title=case.title),
        "case_title": case.title, "case_id": case.folder_id,
        "header": _header(reader, now, lang),
        "period": d.period(plan.start, plan.end, lang) if plan.start and plan.end else "",
        "people": people, "coordinator": contact(info.coordinator), "contact": contact(info.contact),
        "phases": phases, "goals": goals, "agreements": agreements, "next_meeting": upcoming,
        "charts": [],
    }
    if charts:
        context["charts"] = load_charts(case, settings, visible_ivs, recipient, lang)
    return context


def load_charts(case: m.Case, settings: m.Settings, visible: list[m.Intervention], recipient: str | None,
                lang: str) -> list[dict[str, Any]]:
    """Weekly hours per person from the same scheduling core as check-load, counting only
    the interventions (and meetings) the reader may see."""
    import dataclasses

    from familieplan.render.chart import weekly_chart
    from familieplan.schedule.calendar import WorkCalendar
    from familieplan.schedule.demands import build_schedules, week_monday
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


def render_text(kind: str, fmt: str, context: dict[str, Any], workspace: Path | None) -> str:
    from familieplan.render.env import render
    from familieplan.render.richtext import html_block, html_inline, md_block, md_inline

    cat = catalog(context["lang"])
    if fmt == "html":
        return render(f"render/{kind}.html.j2", context, workspace, html=True,
                      filters={"text": html_block, "inline": html_inline}, translations=cat.translations)
    return render(f"render/{kind}.md.j2", context, workspace, html=False,
                  filters={"text": md_block, "inline": md_inline}, translations=cat.translations)


def default_output(root: Path, case: m.Case, stem: str, recipient: str | None, fmt: str, lang: str) -> Path:
    """output/<case>/<stem>-til-<id>.<fmt> (English: -for-<id>), or <stem>-intern (-internal)."""
    pgettext = catalog(lang).pgettext
    if recipient:
        suffix = pgettext("file name", "-for-{reader}").format(reader=recipient)
    else:
        suffix = pgettext("file name", "-internal")
    return root / OUTPUT_DIR / case.folder_id / f"{stem}{suffix}.{fmt}"


def write_documents(root: Path, case: m.Case, stem: str, fmt: str, recipients: list[str | None],
                    make: Any, output: Path | None, force: bool, lang: str) -> list[Path]:
    """Render one document per recipient and write each atomically with mode 0600."""
    written = []
    many = len(recipients) > 1
    for recipient in recipients:
        text = make(recipient)
        if output is None:
            path = default_output(root, case, stem, recipient, fmt, lang)
        elif many or output.is_dir():
            path = output / default_output(root, case, stem, recipient, fmt, lang).name
        else:
            path = output
        # Inside the workspace no folder on the way may be a link (output/ is ignored by git).
        write_atomic(path, text, force=force, base=root if output is None else None)
        written.append(path)
    return written


def find_meeting(case: m.Case, name: str) -> m.Meeting:
    stem = Path(name).name.removesuffix(".yaml")
    for meeting in case.meetings:
        if meeting.name == stem:
            return meeting
    known = [mt.name for mt in case.meetings]
    raise FamilieplanError(f"no meeting '{stem}' in case {case.folder_id}" + (f" (meetings: {', '.join(known)})" if known else ""))


@dataclass(frozen=True)
class DocumentRequest:
    """What `render-minutes` and `render-plan` are asked for."""

    kind: str  # minutes | plan
    fmt: str  # md | html
    for_id: str | None  # a reader's id, "all", or None for the internal version
    lang: str | None  # None: the workspace's language
    now: dt.datetime  # the time of rendering, printed in the document
    today: dt.date  # the day that decides the current phase and the consents in force
    meeting: str | None = None  # the meeting file's name, for minutes


@dataclass
class Documents:
    """Rendered documents: their texts by recipient, and where they were written."""

    texts: list[tuple[str | None, str]]
    paths: list[Path]


def _document_maker(req: DocumentRequest, case: m.Case, settings: m.Settings, root: Path,
                    lang: str) -> tuple[str, list[str | None], Any]:
    """The file stem, every possible recipient, and a function recipient -> text."""
    if req.kind == "minutes":
        target = find_meeting(case, req.meeting or "")
        stem = catalog(lang).pgettext("file name", "{meeting}-minutes").format(meeting=target.name)

        def make_minutes(recipient: str | None) -> str:
            return render_text("minutes", req.fmt,
                               minutes_context(case, target, settings, recipient, lang, req.now), root)

        return stem, list(target.send_to), make_minutes
    assert case.info is not None
    everyone: list[str | None] = [p.id for p in case.info.people] + [p.id for p in case.info.professionals]

    def make_plan(recipient: str | None) -> str:
        context = plan_context(case, settings, recipient, lang, req.now, req.today, charts=req.fmt == "html")
        return render_text("plan", req.fmt, context, root)

    return catalog(lang).pgettext("file name", "joint-plan"), everyone, make_plan


def render_documents(root: Path, case: m.Case, settings: m.Settings, req: DocumentRequest,
                     output: Path | None, force: bool = False) -> Documents:
    """Render minutes or a plan for one reader, every reader (`all`) or the team; write
    them (atomically, 0600) unless `output` is '-', in which case only the text is returned."""
    lang = req.lang or settings.language
    stem, everyone, make = _document_maker(req, case, settings, root, lang)
    recipients: list[str | None] = list(everyone) if req.for_id == "all" else [req.for_id]
    if output is not None and str(output) == "-":
        if len(recipients) != 1:
            raise UsageError("--output - takes one recipient")
        return Documents([(recipients[0], make(recipients[0]))], [])
    paths = write_documents(root, case, stem, req.fmt, recipients, make, output, force, lang)
    return Documents([], paths)
