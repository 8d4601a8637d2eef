"""`render-minutes` and `render-plan`: one context per document, filtered by consent
before any template sees it, rendered to Markdown or HTML from the same context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from familieplan import clock
from familieplan import model as m
from familieplan.consent import ReaderFilter
from familieplan.format.suggest import did_you_mean_text
from familieplan.problems import N_, FamilieplanError, UsageError
from familieplan.render import danish as d
from familieplan.render.catalog import Catalog, catalog
from familieplan.render.language import language
from familieplan.render.words import area_name, intervention_schedule
from familieplan.schedule.deadlines import (
    CANCELLED,
    DONE,
    OPEN,
    OVERDUE,
    agreement_state,
    next_meeting,
    since_last_meeting,
)
from familieplan.schedule.facts import meeting_facts
from familieplan.workspace.disclosures import DisclosureEntry, record_disclosures
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


def _header(reader: Reader, now: dt.datetime, lang: str, settings: m.Settings) -> dict[str, Any]:
    """The line over every document: confidential, for whom, when (Copenhagen time, "26.
    november 2026 kl. 9.45"), and the municipality."""
    _ = catalog(lang).gettext
    when = d.moment_long(now, lang)
    return {
        "municipality": settings.municipality or "",
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


def _disclosed(share: ReaderFilter) -> dict[str, Any]:
    """What a document for a named reader included (for the disclosure log; not shown)."""
    return {"areas": sorted(share.areas), "about": sorted(share.about), "omitted": share.omitted,
            "basis": sorted(share.basis)}


def _case_line(case: m.Case, share: ReaderFilter) -> str | None:
    """The technical case id, for the team and the professionals; not in the family's version."""
    return None if share.reading.kind in ("family", "child") else case.folder_id


def _next_meeting(item: m.NextMeeting | None, share: ReaderFilter, lang: str) -> dict[str, Any] | None:
    if item is None or item.date is None or not share.allows(item):
        return None
    return {"date": d.date_long(item.date, lang), "purpose": item.purpose}


def minutes_context(case: m.Case, meeting: m.Meeting, settings: m.Settings, recipient: str | None,
                    lang: str, now: dt.datetime, today: dt.date | None = None,
                    real_today: dt.date | None = None) -> dict[str, Any]:
    """The minutes of a meeting for one reader (None: the team's internal version). A
    consent must be in force on the meeting's date and on `today`, the day the minutes are
    made (FORMAT.md, second edition)."""
    names = Names(case, settings, lang)
    reader = names.reader(recipient)
    day = meeting.date or now.date()
    share = ReaderFilter(case, recipient, [day, today or day], real_today)
    agenda = []
    for item in meeting.agenda:
        if share.allows(item):
            agenda.append({"left_out": False, "title": item.title or "", "notes": item.notes or "",
                           "decisions": list(item.decisions),
                           "area": area_name(item.area, settings, lang) if item.area else None})
        else:
            agenda.append({"left_out": True})
    made_here = [a for a in case.agreements if _made_at(a, meeting, case)]
    earlier = [a for a in case.agreements
               if a not in made_here and a.made and a.made < day and a.status != "cancelled"
               and not (a.status == "done" and a.done and a.done < day)]
    participants = [{"name": names.name(p.id), "role": names.role(p.id), "present": p.present}
                    for p in meeting.participants]
    context = {
        "lang": lang, "kind": "minutes",
        "title": catalog(lang).gettext("Minutes: {title}").format(title=meeting.title),
        "case_title": case.title, "case_id": _case_line(case, share),
        "header": _header(reader, now, lang, settings),
        "date": d.date_long(day, lang), "time": d.time_range(meeting.start, meeting.end, lang),
        "place": meeting.place, "chair": names.full(meeting.chair) if meeting.chair else None,
        "minutes_by": names.full(meeting.minutes_by) if meeting.minutes_by else None,
        "present": [p for p in participants if p["present"]],
        "absent": [p for p in participants if not p["present"]],
        "agenda": agenda,
        "agreements_made": _agreement_rows(made_here, share, names, lang, day),
        "earlier": _agreement_rows(earlier, share, names, lang, day),
        "since": _since_last_meeting(case, meeting, settings, share, names, lang),
        "next_meeting": _next_meeting(meeting.next_meeting, share, lang),
        "recipients": [names.full(r) for r in meeting.send_to],
    }
    context["disclosed"] = _disclosed(share)
    return context


def _made_at(agreement: m.Agreement, meeting: m.Meeting, case: m.Case) -> bool:
    """Made at this meeting: named by `meeting`, or made on its date with no `meeting` when
    it is the only meeting that day (docs/guide.md, "Minutes and plans for each reader")."""
    if agreement.meeting is not None:
        return agreement.meeting == meeting.name
    same_day = [mt for mt in case.meetings if mt.date == meeting.date]
    return agreement.made is not None and agreement.made == meeting.date and len(same_day) == 1


def _agreement_rows(agreements: list[m.Agreement], share: ReaderFilter, names: Names, lang: str,
                    day: dt.date) -> list[dict[str, Any]]:
    return [_agreement_row(a, names, lang, day) for a in agreements if share.allows(a)]


def _since_last_meeting(case: m.Case, meeting: m.Meeting, settings: m.Settings, share: ReaderFilter,
                        names: Names, lang: str) -> list[str]:
    """"Siden sidste møde": agreements done and questions answered (late ones marked)
    between the previous meeting and this one, as the reader may see them."""
    from familieplan.schedule.calendar import WorkCalendar

    if meeting.date is None:
        return []
    points = since_last_meeting(case, meeting.date, WorkCalendar(settings))
    cat = catalog(lang)
    lines: list[str] = []
    for a in points.done:
        if a.done and share.allows(a):
            lines.append(cat.gettext("Agreement {id} was done {date}: {text}").format(
                id=a.id, date=d.date_long(a.done, lang), text=a.text or ""))
    for q, late in points.answered:
        if q.answered is None or not share.allows(q):
            continue
        text = cat.gettext("{who} got an answer {date}: {about}").format(
            who=names.name(q.by), date=d.date_long(q.answered, lang), about=q.about or "")
        if late:
            text += " " + cat.ngettext("({n} working day late)", "({n} working days late)", late).format(n=late)
        lines.append(text)
    return lines


def _contact(names: Names, pid: str | None) -> dict[str, Any] | None:
    if not pid:
        return None
    pro = names.pros.get(pid)
    reach = [x for x in ((pro.phone, pro.email) if pro else ()) if x]
    return {"name": names.name(pid), "role": names.role(pid), "reach": reach}


def _iv_row(iv: m.Intervention, settings: m.Settings, names: Names, lang: str) -> dict[str, Any]:
    period = d.period(iv.start, iv.end, lang) if iv.start and iv.end else ""
    department = settings.department_name(iv.department or "")
    responsible = names.full(iv.responsible) if iv.responsible else ""
    if department and responsible.endswith(f", {department})"):
        # "Jobcentret, Line Holm (Sagsbehandler)": the department is not written twice.
        responsible = responsible[: -len(f", {department})")] + ")"
    return {"title": iv.title or "", "description": iv.description, "department": department,
            "responsible": responsible,
            "area": area_name(iv.area or "", settings, lang), "schedule": intervention_schedule(iv, lang),
            "period": period, "attendees": [names.name(a) for a in iv.attendees]}


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


def _phase_rows(plan: m.Plan, visible: list[m.Intervention], share: ReaderFilter, settings: m.Settings,
                names: Names, lang: str, today: dt.date) -> list[dict[str, Any]]:
    hidden = [iv for iv in plan.interventions if iv not in visible]
    phases: list[dict[str, Any]] = []
    for phase in plan.phases:
        if phase.start is None or phase.end is None:
            continue
        start, end = phase.start, phase.end
        phases.append({
            "id": phase.id, "name": phase.name or "", "period": d.period(start, end, lang),
            # "Fokus: familie og rusmidler", only the areas the reader may see.
            "focus": d.join([area_name(a, settings, lang).lower() for a in phase.focus if share.allows_area(a)],
                            lang),
            "current": start <= today <= end,
            "share": max(1, (end - start).days + 1),
            "interventions": [_iv_row(iv, settings, names, lang) for iv in visible if _active_in(iv, plan, start, end)],
            "left_out": sum(1 for iv in hidden if _active_in(iv, plan, start, end)),
        })
    total = sum(row["share"] for row in phases) or 1
    for row in phases:
        row["percent"] = round(100 * row["share"] / total, 2)
    return phases


def _goal_rows(case: m.Case, share: ReaderFilter, settings: m.Settings, lang: str) -> list[dict[str, Any]]:
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
                 "indicator": g.indicator}
                for g in shown]})
    return goals


def plan_context(case: m.Case, settings: m.Settings, recipient: str | None, lang: str, now: dt.datetime,
                 today: dt.date, charts: bool = True, real_today: dt.date | None = None) -> dict[str, Any]:
    """The joint plan for one reader (None: the team's internal version), with the consents
    in force on `today`."""
    if case.info is None or case.plan is None:
        raise FamilieplanError(N_("case {case} cannot be read; run 'familieplan validate'"), case=case.folder_id)
    _ = catalog(lang).gettext
    names = Names(case, settings, lang)
    reader = names.reader(recipient)
    info, plan = case.info, case.plan
    share = ReaderFilter(case, recipient, [today], real_today)
    visible = [iv for iv in plan.interventions if share.allows(iv)]
    agreements = _agreement_rows([a for a in case.agreements if agreement_state(a, today) in (OPEN, OVERDUE)],
                                 share, names, lang, today)
    # A plan must not present a past date as the next meeting (`status` flags it instead).
    coming = next_meeting(meeting_facts(case), today)
    upcoming = None
    if coming and coming.date and not coming.passed and share.reading.allows(coming.area):
        upcoming = {"date": d.date_long(coming.date, lang), "purpose": coming.purpose}
    # A case about one adult with no children is about a citizen, not a family.
    single = len(info.people) == 1 and info.people[0].role != "child"
    context = {
        "lang": lang, "kind": "plan",
        "title": plan.title or _("Joint plan: {title}").format(title=case.title),
        "case_title": case.title, "case_id": _case_line(case, share),
        "header": _header(reader, now, lang, settings),
        "period": d.period(plan.start, plan.end, lang) if plan.start and plan.end else "",
        "people_heading": _("The citizen") if single else _("The family"),
        "people": [{"name": p.name or p.id, "role": names.role(p.id)} for p in info.people],
        "coordinator": _contact(names, info.coordinator), "contact": _contact(names, info.contact),
        "phases": _phase_rows(plan, visible, share, settings, names, lang, today),
        "goals": _goal_rows(case, share, settings, lang), "agreements": agreements, "next_meeting": upcoming,
        "charts": load_charts(case, settings, visible, recipient, lang) if charts else [],
    }
    context["disclosed"] = _disclosed(share)
    return context


def load_charts(case: m.Case, settings: m.Settings, visible: list[m.Intervention], recipient: str | None,
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


def render_text(kind: str, fmt: str, context: dict[str, Any], workspace: Path | None) -> str:
    from familieplan.format.cpr import mask_cpr
    from familieplan.render.env import render
    from familieplan.render.richtext import (
        html_block,
        html_inline,
        md_block,
        md_inline,
        md_inline_start,
    )

    cat = catalog(context["lang"])
    if fmt == "html":
        return mask_cpr(render(f"render/{kind}.html.j2", context, workspace, html=True,
                      filters={"text": html_block, "inline": html_inline, "inline_start": html_inline},
                      translations=cat.translations))
    return mask_cpr(render(f"render/{kind}.md.j2", context, workspace, html=False,
                  filters={"text": md_block, "inline": md_inline, "inline_start": md_inline_start},
                  translations=cat.translations))


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
    if known:
        raise FamilieplanError(N_("no meeting '{meeting}' in case {case} (meetings: {known})"), meeting=stem,
                               case=case.folder_id, known=", ".join(known))
    raise FamilieplanError(N_("no meeting '{meeting}' in case {case}"), meeting=stem, case=case.folder_id)


@dataclass(frozen=True)
class DocumentRequest:
    """What `render-minutes` and `render-plan` are asked for."""

    kind: str  # minutes | plan
    fmt: str  # md | html
    for_id: str | None  # a reader's id, "all", or None for the internal version
    lang: str | None  # None: by the language rule (the workspace's, else the locale's)
    now: dt.datetime  # the time of rendering, printed in the document
    today: dt.date  # the day that decides the current phase and the consents in force
    meeting: str | None = None  # the meeting file's name, for minutes
    record: bool = True  # append to the case's disclosures.yaml for each named recipient
    real_now: dt.datetime | None = None  # the real time of rendering (None: `now`; api.render_documents: the clock's)


@dataclass
class Documents:
    """Rendered documents: their texts by recipient, where they were written, and what was
    recorded in the disclosure log."""

    texts: list[tuple[str | None, str]]
    paths: list[Path]
    recorded: list[DisclosureEntry] = field(default_factory=list)


def _real_now(req: DocumentRequest) -> dt.datetime:
    return clock.local(req.real_now or req.now)


def _document_maker(req: DocumentRequest, case: m.Case, settings: m.Settings, root: Path,
                    lang: str) -> tuple[str, str, list[str | None], Any]:
    """The file stem, the source file, every possible recipient, and a function recipient ->
    (text, what it disclosed)."""
    real_today = _real_now(req).date()
    fmt = "html" if req.fmt == "pdf" else req.fmt
    if req.kind == "minutes":
        target = find_meeting(case, req.meeting or "")
        stem = catalog(lang).pgettext("file name", "{meeting}-minutes").format(meeting=target.name)

        def make_minutes(recipient: str | None) -> tuple[str, dict[str, Any]]:
            context = minutes_context(case, target, settings, recipient, lang, req.now, req.today, real_today)
            return render_text("minutes", fmt, context, root), context["disclosed"]

        return stem, f"meetings/{target.name}.yaml", list(target.send_to), make_minutes
    assert case.info is not None
    # `--for all` makes no plan for a child: name the child with --for to make one.
    everyone: list[str | None] = ([p.id for p in case.info.people if p.role != "child"]
                                  + [p.id for p in case.info.professionals])

    def make_plan(recipient: str | None) -> tuple[str, dict[str, Any]]:
        context = plan_context(case, settings, recipient, lang, req.now, req.today, charts=fmt == "html",
                               real_today=real_today)
        return render_text("plan", fmt, context, root), context["disclosed"]

    return catalog(lang).pgettext("file name", "joint-plan"), "plan.yaml", everyone, make_plan


def render_documents(root: Path, case: m.Case, settings: m.Settings, req: DocumentRequest,
                     output: Path | None, force: bool = False) -> Documents:
    """Render minutes or a plan for one reader, every reader (`all`) or the team; write
    them (atomically, 0600) unless `output` is '-', in which case only the text is returned
    (a preview: nothing is recorded). Each document written for a named reader is recorded
    in the case's disclosures.yaml (unless `req.record` is false)."""
    lang = language(req.lang, settings.language)
    stem, source, everyone, make = _document_maker(req, case, settings, root, lang)
    recipients: list[str | None] = list(everyone) if req.for_id == "all" else [req.for_id]
    if output is not None and str(output) == "-":
        if len(recipients) != 1:
            raise UsageError(N_("--output - takes one recipient"))
        if req.fmt == "pdf":
            raise UsageError(N_("--format pdf writes a file: give --output a file or folder"))
        return Documents([(recipients[0], make(recipients[0])[0])], [])
    made: dict[str | None, dict[str, Any]] = {}

    def text_of(recipient: str | None) -> str | bytes:
        text, disclosed = make(recipient)
        made[recipient] = disclosed
        if req.fmt == "pdf":
            from familieplan.render.pdf import html_to_pdf

            return html_to_pdf(text)
        return text

    paths = write_documents(root, case, stem, req.fmt, recipients, text_of, output, force, lang)
    entries = [DisclosureEntry(at=_real_now(req).replace(microsecond=0), recipient=recipient,
                               document=req.kind, source=source, about=tuple(made[recipient]["about"]),
                               areas=tuple(made[recipient]["areas"]), omitted=made[recipient]["omitted"],
                               basis=tuple(made[recipient]["basis"]))
               for recipient in recipients if recipient is not None and recipient in made]
    if req.record and entries and case.path is not None:
        record_disclosures(case.path, entries)
        return Documents([], paths, entries)
    return Documents([], paths)
