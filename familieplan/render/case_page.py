"""A case's page and a meeting's page of `familieplan serve`, made from the same results and
document contexts as the commands.

Nothing is computed here a second time and there is no second consent rule: the case page
shows the plan's and the minutes' own content blocks, built by `plan_context` and
`minutes_context` with `recipient=`; a reader's view ("Se som") is only that. The team's
internal sections (load findings, deadlines, the question log) are shown only in the
internal view, because they are made for the coordinating team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from familieplan import model as m
from familieplan.commands.changes import ChangesResult
from familieplan.commands.check_load import LoadOptions, load_case_findings, sort_key, summarize
from familieplan.commands.reader_view import (
    deadlines_for_reader,
    findings_for_reader,
    questions_for_reader,
)
from familieplan.commands.report import Report
from familieplan.consent import Reading
from familieplan.problems import ERROR, Problem
from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.render.changes import _header as changes_header
from familieplan.render.changes import _when as change_day
from familieplan.render.changes import sentence as change_sentence
from familieplan.render.document_parts import Names
from familieplan.render.env import render_block
from familieplan.render.finding_words import Describer
from familieplan.render.followup import _late as late_text
from familieplan.render.followup import _what as deadline_text
from familieplan.render.followup import state_heading
from familieplan.render.minutes import minutes_context
from familieplan.render.pages import HTML_FILTERS, Moment, base_context, page_words, shown_path
from familieplan.render.plan import plan_context
from familieplan.render.report import (
    attendance_heads,
    case_rows,
    goal_heads,
    indicator_charts,
    omitted_sentence,
)
from familieplan.render.statutory import rule_notices, statutory_on
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.deadlines import (
    case_deadlines,
    question_open,
    question_overdue,
)
from familieplan.schedule.deadlines import sort_key as deadline_order
from familieplan.schedule.facts import answer_due, case_facts
from familieplan.schedule.findings import Finding
from familieplan.settings import Settings

DEADLINE_DAYS = 14  # the case page looks two weeks ahead


def document_block(kind: str, context: dict[str, Any], workspace: Path | None) -> Markup:
    return Markup(render_block(f"render/{kind}.html.j2", "content", context, workspace, html=True,
                               translations=catalog(context["lang"]).translations,
                               filters=HTML_FILTERS))


def readers(case: m.Case, names: Names) -> list[dict[str, str]]:
    """Everyone a case page can be viewed as: the family, then the professionals."""
    assert case.info is not None
    ids = [p.id for p in case.info.people if p.id] + [p.id for p in case.info.professionals if p.id]
    return [{"id": some_id, "label": names.full(some_id)} for some_id in ids]


@dataclass(frozen=True)
class CaseHistory:
    """What the web layer asked the library for beside the case: `report` for the case
    (outcomes and attendance) and `changes` since the last meeting (None when it cannot be
    read; `changes_missing` then names the page's word for why)."""

    report: Report | None = None
    changes: ChangesResult | None = None
    changes_missing: str = "no_git"


def _findings(case: m.Case, settings: Settings, calendar: WorkCalendar, lang: str,
              root: Path | None, reading: Reading) -> tuple[list[dict[str, Any]], int]:
    """check-load's findings of the case, in words, grouped by person, errors first; for a
    reader only those `check-load --for` shows (and how many were left out)."""
    found: list[Finding] = load_case_findings(case, settings, calendar, LoadOptions())[0]
    shown = found if reading.internal else findings_for_reader(reading, found)
    describer = Describer(settings, [summarize(case, settings)], lang)
    cat = catalog(lang)
    groups: list[dict[str, Any]] = []
    for f in sorted(shown, key=sort_key):
        if not groups or groups[-1]["id"] != f.person:
            groups.append({"id": f.person, "name": describer.name(case.folder_id, f.person), "findings": []})
        talk = describer.talk(f) if len(f.responsible) > 1 else ""
        groups[-1]["findings"].append({"level": f.level, "level_word": cat.level(f.level), "code": f.code,
                                       "message": describer.message(f), "talk": talk,
                                       "sources": ", ".join(f"{shown_path(s.path, root)}:{s.line}:{s.column}"
                                                             for s in f.sources)})
    return groups, len(found) - len(shown)


def _deadlines(case: m.Case, names: Names, calendar: WorkCalendar, lang: str, today: dt.date,
               reading: Reading, settings: Settings) -> tuple[list[dict[str, Any]], int]:
    facts = case_facts(case, calendar)
    found = case_deadlines(facts, today, calendar, DEADLINE_DAYS)
    shown = found if reading.internal else deadlines_for_reader(reading, case, found)
    statutory = statutory_on(case, settings, calendar, today, DEADLINE_DAYS, reading)
    found, shown = found + statutory[0], shown + statutory[1]
    rows = []
    for item in sorted(shown, key=deadline_order):
        rows.append({"state": item.state, "state_word": state_heading(item.state, lang),
                     "date": d.date_long(item.date, lang), "late": late_text(item, lang),
                     "what": deadline_text(item, lang),
                     "responsible": names.full(item.responsible) if item.responsible else ""})
    return rows, len(found) - len(shown)


def _questions(case: m.Case, names: Names, calendar: WorkCalendar, lang: str, today: dt.date,
               reading: Reading) -> tuple[list[dict[str, Any]], int]:
    agreements = {a.id: a for a in case.agreements if a.id}
    shown = list(case.questions) if reading.internal else questions_for_reader(reading, case)
    rows = []
    for q in sorted(shown, key=lambda q: (q.asked or dt.date.min, q.source.line)):
        due = answer_due(q, agreements, calendar)
        rows.append({"asked": d.date_long(q.asked, lang) if q.asked else "", "by": names.full(q.by),
                     "to": names.full(q.to), "about": q.about or "",
                     "due": d.date_long(due, lang) if due else "",
                     "answered": d.date_long(q.answered, lang) if q.answered else "",
                     "open": question_open(q, today),
                     "overdue": question_overdue(q, due, today),
                     "late": bool(q.answered and due and q.answered > due)})
    return rows, len(case.questions) - len(shown)


def _meetings(case: m.Case, lang: str) -> list[dict[str, Any]]:
    shown = sorted(case.meetings, key=lambda mt: (mt.date or dt.date.min, mt.name), reverse=True)
    return [{"name": mt.name, "title": mt.title or mt.name, "date": d.date_long(mt.date, lang) if mt.date else ""}
            for mt in shown]


def _changes(history: CaseHistory, lang: str) -> dict[str, Any]:
    """`changes` since the last meeting, as its reporters word it (the header's first line,
    the case's title, is the page's own)."""
    result = history.changes
    if result is None:
        return {"missing": page_words(lang)[history.changes_missing], "lines": [], "entries": []}
    return {"missing": "", "lines": changes_header(result, lang)[1:],
            "entries": [{"when": change_day(c, lang), "who": c.commit.author if c.commit else "",
                       "what": change_sentence(c, result, lang)} for c in result.changes]}


def _outcomes(history: CaseHistory, lang: str) -> dict[str, Any]:
    """`report` for the case: its goals, attendance per person and intervention, and the
    indicator charts, as the report document words them."""
    report = history.report
    case = report.cases[0] if report is not None and report.cases else None
    rows = case_rows(case, lang) if case is not None else None
    return {"goals": rows["goals"] if rows else [], "attendance": rows["attendance"] if rows else [],
            "goals_out": omitted_sentence(case.goals_omitted, lang) if case else "",
            "attendance_out": omitted_sentence(case.attendance_omitted, lang) if case else "",
            "goal_heads": goal_heads(lang),
            "attendance_heads": attendance_heads(lang),
            "charts": indicator_charts(report, lang) if report is not None and report.cases else []}


def case_context(case: m.Case, settings: Settings, problems: list[Problem], lang: str, moment: Moment,
                 recipient: str | None, workspace: Path | None,
                 history: CaseHistory | None = None) -> dict[str, Any]:
    """A case page: the plan as `render-plan --for` gives it, the load findings, deadlines,
    question log, changes since the last meeting, attendance and outcomes beside it; for a
    reader each of them filtered by the one consent rule."""
    w = page_words(lang)
    names = Names(case, settings, lang)
    plan = plan_context(case, settings, recipient, lang, moment.now, moment.today, charts=True,
                        real_today=moment.real_today)
    reading = Reading(case, recipient, [moment.today], moment.real_today, settings.department_areas)
    calendar = WorkCalendar(settings)
    findings, findings_out = _findings(case, settings, calendar, lang, workspace, reading)
    deadlines, deadlines_out = _deadlines(case, names, calendar, lang, moment.today, reading, settings)
    questions, questions_out = _questions(case, names, calendar, lang, moment.today, reading)
    errors = sum(p.level == ERROR for p in problems)

    return {**base_context(lang, case.title, moment), "nav": "case", "case_id": case.folder_id, "case_title": case.title,
            "for_id": recipient or "", "for_label": names.full(recipient) if recipient else "",
            "readers": readers(case, names), "document": document_block("plan", plan, workspace),
            "meetings": _meetings(case, lang), "internal": recipient is None,
            "findings": findings, "findings_out": omitted_sentence(findings_out, lang),
            "deadlines": deadlines, "deadlines_out": omitted_sentence(deadlines_out, lang),
            "deadlines_title": w["deadlines"].format(n=DEADLINE_DAYS),
            "rule_notices": rule_notices(case, settings, calendar, lang, moment.today, reading),
            "questions": questions, "questions_out": omitted_sentence(questions_out, lang),
            "changes": _changes(history or CaseHistory(), lang),
            "outcomes": _outcomes(history or CaseHistory(), lang),
            "case_problems": (w["case_problems"].format(e=errors, w=len(problems) - errors)
                              if problems and recipient is None else "")}


def meeting_context(case: m.Case, meeting: m.Meeting, settings: Settings, lang: str, moment: Moment,
                    recipient: str | None, workspace: Path | None) -> dict[str, Any]:
    """A meeting's minutes, exactly as `render-minutes --for` gives them."""
    names = Names(case, settings, lang)
    minutes = minutes_context(case, meeting, settings, recipient, lang, moment.now, moment.today, moment.real_today)
    return {**base_context(lang, minutes["title"], moment), "nav": "case", "case_id": case.folder_id,
            "case_title": case.title, "meeting": meeting.name, "for_id": recipient or "",
            "for_label": names.full(recipient) if recipient else "", "readers": readers(case, names),
            "document": document_block("minutes", minutes, workspace), "internal": recipient is None}
