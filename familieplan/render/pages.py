"""The pages of `familieplan serve`: one context per page, made from the same results and
document contexts as the commands.

Nothing is computed here a second time and there is no second consent rule: the case page
shows the plan's and the minutes' own content blocks, built by `plan_context` and
`minutes_context` with `recipient=`; a reader's view ("Se som") is only that. The team's
internal sections (load findings, deadlines, the question log) are shown only in the
internal view, because they are made for the coordinating team.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from familieplan import model as m
from familieplan.commands.changes import ChangesResult
from familieplan.commands.check_load import LoadOptions, load_case_findings, sort_key, summarize
from familieplan.commands.followup import CaseRow, FollowUp
from familieplan.commands.reader_view import (
    deadlines_for_reader,
    findings_for_reader,
    questions_for_reader,
)
from familieplan.commands.report import Report
from familieplan.consent import Reading
from familieplan.problems import ERROR, N_, Problem
from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.render.changes import _header as changes_header
from familieplan.render.changes import _when as change_day
from familieplan.render.changes import sentence as change_sentence
from familieplan.render.consents import consents_title, notice_sentence
from familieplan.render.document_parts import Names
from familieplan.render.env import render, render_block
from familieplan.render.followup import _late as late_text
from familieplan.render.followup import _next as next_text
from familieplan.render.followup import _phase as phase_text
from familieplan.render.followup import _what as deadline_text
from familieplan.render.followup import state_heading
from familieplan.render.load import Describer
from familieplan.render.messages import problem_text
from familieplan.render.minutes import minutes_context
from familieplan.render.plan import plan_context
from familieplan.render.problems import _excerpt as excerpt
from familieplan.render.report import attendance_heads, case_rows, goal_heads, indicator_charts
from familieplan.render.richtext import html_block, html_inline
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.deadlines import (
    case_deadlines,
    question_open,
    question_overdue,
)
from familieplan.schedule.deadlines import sort_key as deadline_order
from familieplan.schedule.facts import answer_due, case_facts
from familieplan.schedule.findings import Finding

HTML_FILTERS = {"text": html_block, "inline": html_inline}
DEADLINE_DAYS = 14  # the case page looks two weeks ahead

# The fixed words of the pages: English message ids, translated by the one catalog;
# templates get them as `w` (`w.caseload`), made by `page_words(lang)`.
WORDS: dict[str, str] = {
    "caseload": N_("Cases"),
    "problems": N_("Problems"),
    "case": N_("Case"),
    "internal": N_("The team's internal view with everything. Do not show or pass it to the citizen or anyone else; use \"View as\" to see a recipient's version."),
    "view_as": N_("View as"),
    "view_as_banner": N_("The page shows only what the consent lets this recipient read: the same as the recipient's documents."),
    "back_internal": N_("Back to the team's internal view"),
    "show": N_("Show"),
    "everyone": N_("The team (everything)"),
    "coordinator": N_("Coordinator"),
    "all_coordinators": N_("All coordinators"),
    "filter": N_("Filter"),
    "sort_by": N_("Sort by {col}"),
    "phase": N_("Phase and week"),
    "next": N_("Next meeting"),
    "open": N_("Open agreements"),
    "questions": N_("Open questions"),
    "overdue": N_("Overdue"),
    "load": N_("Load (errors/warnings)"),
    "no_cases": N_("No active cases."),
    "invalid": N_("Cases that cannot be read"),
    "invalid_note": N_("These cases have errors in their files and are not in the table. The other cases are shown as usual."),
    "n_problems": N_("{e} errors, {w} warnings"),
    "see_problems": N_("See the problems"),
    "settings_problems": N_("The settings (familieplan.yaml) have problems."),
    "findings": N_("Load: findings per person"),
    "no_findings": N_("No findings: the week holds together for everyone."),
    "talk": N_("Should talk"),
    "deadlines": N_("Deadlines (the next {n} days and overdue)"),
    "no_deadlines": N_("No deadlines to follow up."),
    "question_log": N_("Questions"),
    "no_questions": N_("No questions."),
    "asked": N_("Asked"),
    "by": N_("By"),
    "to": N_("To"),
    "about": N_("Question"),
    "answer_by": N_("Answer by"),
    "answered": N_("Answered"),
    "unanswered": N_("unanswered"),
    "late": N_("late"),
    "meetings": N_("Meetings"),
    "no_meetings": N_("No meetings."),
    "minutes": N_("Minutes"),
    "when": N_("When"),
    "what": N_("What"),
    "responsible": N_("Responsible"),
    "state": N_("State"),
    "file": N_("File"),
    "no_problems": N_("No problems: every file is in order."),
    "hint": N_("Hint"),
    "problems_for": N_("Problems in case {case}"),
    "all_problems": N_("All problems"),
    "not_found": N_("Page not found"),
    "not_found_text": N_("There is no page at that address in this workspace."),
    "case_problems": N_("The case's files have {e} errors and {w} warnings."),
    "made": N_("Made {when}."),
    "live": N_("The page updates itself when a file of the workspace changes."),
    "total": N_("{n} cases"),
    "changes": N_("Changes since the last meeting"),
    "no_git": N_("The workspace is not a git repository, so the changes since the last meeting cannot be shown."),
    "changes_unavailable": N_("The changes since the last meeting cannot be read from git for this case (is it committed?)."),
    "attendance": N_("Attendance"),
    "no_attendance": N_("No attendance recorded in the plan period."),
    "outcomes": N_("Outcomes"),
    "no_outcomes": N_("No goals in the plan period."),
    "left_out": N_("{n} left out: the consent does not cover them."),
    "reader_findings": N_("Only the findings about what the consent lets this recipient read."),
}


def page_words(lang: str) -> dict[str, str]:
    """The pages' words in the reader's language (plus the app's name and the levels)."""
    cat = catalog(lang)
    words = {key: cat.gettext(msgid) for key, msgid in WORDS.items()}
    words.update({"app": "familieplan", "level_error": cat.level("error"), "level_warning": cat.level("warning")})
    return words

SORTS = ("case", "coordinator", "phase", "next", "open", "questions", "overdue", "load")


@dataclass(frozen=True)
class Moment:
    """The day that decides phases, deadlines and consents, and the time printed on pages."""

    today: dt.date
    now: dt.datetime


def page(name: str, context: dict[str, Any], workspace: Path | None) -> str:
    """A web page from templates/web/, through the one Jinja environment."""
    return render(f"web/{name}.html.j2", context, workspace, html=True, filters=HTML_FILTERS,
                  translations=catalog(context["lang"]).translations)


def document_css(workspace: Path | None) -> str:
    """The documents' own style sheet (the `style` block of their base template): case pages
    print on A4 exactly like the rendered documents."""
    return render_block("render/base.html.j2", "style", {}, workspace, html=True, filters=HTML_FILTERS)


def _document(kind: str, context: dict[str, Any], workspace: Path | None) -> Markup:
    return Markup(render_block(f"render/{kind}.html.j2", "content", context, workspace, html=True,
                               translations=catalog(context["lang"]).translations,
                               filters=HTML_FILTERS))


def _base(lang: str, title: str, moment: Moment) -> dict[str, Any]:
    w = page_words(lang)
    return {"w": w, "lang": lang, "title": title, "made": w["made"].format(when=d.moment_long(moment.now, lang))}


# --- Sager -------------------------------------------------------------------------------

def case_of(path: str, known: set[str]) -> str | None:
    """The case a problem's file belongs to: the folder right below a `cases` folder."""
    parts = Path(path).parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "cases" and parts[i + 1] in known:
            return parts[i + 1]
    return None


def problem_counts(problems: list[Problem], known: set[str]) -> dict[str | None, tuple[int, int]]:
    """Errors and warnings per case (None: files outside a case, e.g. the settings)."""
    counts: dict[str | None, tuple[int, int]] = {}
    for problem in problems:
        case = case_of(problem.source.path, known)
        errors, warnings = counts.get(case, (0, 0))
        counts[case] = (errors + 1, warnings) if problem.level == ERROR else (errors, warnings + 1)
    return counts


def coordinator_name(row: CaseRow) -> str:
    return row.coordinator_name or row.coordinator or ""


def _row(row: CaseRow, result: FollowUp, lang: str) -> dict[str, Any]:
    def name(some_id: str) -> str:
        return result.names.get((row.case, some_id), some_id)

    consents = [notice_sentence(n, result.settings, name, lang) for n in row.consents]
    return {"consents": consents, "case": row.case, "title": row.title, "coordinator": coordinator_name(row),
            "phase": phase_text(row, lang), "next": next_text(row, lang), "passed": row.next_meeting_passed,
            "open": row.open_agreements, "questions": row.open_questions, "overdue": row.overdue,
            "load_errors": row.load_errors, "load_warnings": row.load_warnings}


def _sort_key(sort: str):  # type: ignore[no-untyped-def]
    far = dt.date.max
    keys = {
        "case": lambda r: (r.title.casefold(), r.case),
        "coordinator": lambda r: ((r.coordinator_name or r.coordinator or "").casefold(), r.case),
        "phase": lambda r: (r.phase or "", r.phase_week or 0, r.case),
        "next": lambda r: (r.next_meeting or far, r.case),
        "open": lambda r: (-r.open_agreements, r.case),
        "questions": lambda r: (-r.open_questions, r.case),
        "overdue": lambda r: (-r.overdue, r.case),
        "load": lambda r: (-r.load_errors, -r.load_warnings, r.case),
    }
    return keys.get(sort, keys["case"])


def caseload_context(result: FollowUp, known: list[str], lang: str, moment: Moment,
                     coordinator: str | None, sort: str) -> dict[str, Any]:
    """The `status` table with every coordinator to filter by and the unreadable cases."""
    w = page_words(lang)
    # Coordinator ids are the case's own (every case may have its `sb-job`): filter by name.
    coordinators = sorted({coordinator_name(r) for r in result.rows}, key=str.casefold)
    rows = [r for r in result.rows if not coordinator or coordinator_name(r) == coordinator]
    rows.sort(key=_sort_key(sort if sort in SORTS else "case"))
    counts = problem_counts(result.problems, set(known))
    invalid = [{"case": case, "errors": e, "warnings": wn, "text": w["n_problems"].format(e=e, w=wn)}
               for case, (e, wn) in sorted(counts.items(), key=lambda kv: kv[0] or "") if case and e]
    settings_errors = counts.get(None, (0, 0))[0]
    columns = [(key, w[key] if key != "case" else w["case"]) for key in SORTS]
    columns[1] = ("coordinator", w["coordinator"])
    return {**_base(lang, w["caseload"], moment), "rows": [_row(r, result, lang) for r in rows],
            "consents_title": consents_title(lang),
            "columns": columns, "sort": sort if sort in SORTS else "case", "coordinators": coordinators,
            "coordinator": coordinator or "", "invalid": invalid, "settings_problems": settings_errors > 0,
            "total": w["total"].format(n=len(rows)), "nav": "caseload"}


# --- A case ------------------------------------------------------------------------------

def readers(case: m.Case, names: Names) -> list[dict[str, str]]:
    """Everyone a case page can be viewed as: the family, then the professionals."""
    assert case.info is not None
    ids = [p.id for p in case.info.people if p.id] + [p.id for p in case.info.professionals if p.id]
    return [{"id": some_id, "label": names.full(some_id)} for some_id in ids]


def shown_path(path: str, root: Path | None) -> str:
    """A file as the team knows it: relative to the workspace."""
    return os.path.relpath(Path(path).resolve(), root.resolve()) if root is not None else path


@dataclass(frozen=True)
class CaseHistory:
    """What the web layer asked the library for beside the case: `report` for the case
    (outcomes and attendance) and `changes` since the last meeting (None when it cannot be
    read; `changes_missing` then names the page's word for why)."""

    report: Report | None = None
    changes: ChangesResult | None = None
    changes_missing: str = "no_git"


def _findings(case: m.Case, settings: m.Settings, calendar: WorkCalendar, lang: str,
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
               reading: Reading) -> tuple[list[dict[str, Any]], int]:
    found = case_deadlines(case_facts(case, calendar), today, calendar, DEADLINE_DAYS)
    shown = found if reading.internal else deadlines_for_reader(reading, case, found)
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
    rows = case_rows(report.cases[0], lang) if report is not None and report.cases else None
    return {"goals": rows["goals"] if rows else [], "attendance": rows["attendance"] if rows else [],
            "omitted": rows["omitted"] if rows else "", "goal_heads": goal_heads(lang),
            "attendance_heads": attendance_heads(lang),
            "charts": indicator_charts(report, lang) if report is not None and report.cases else []}


def case_context(case: m.Case, settings: m.Settings, problems: list[Problem], lang: str, moment: Moment,
                 recipient: str | None, workspace: Path | None,
                 history: CaseHistory | None = None) -> dict[str, Any]:
    """A case page: the plan as `render-plan --for` gives it, the load findings, deadlines,
    question log, changes since the last meeting, attendance and outcomes beside it; for a
    reader each of them filtered by the one consent rule."""
    w = page_words(lang)
    names = Names(case, settings, lang)
    plan = plan_context(case, settings, recipient, lang, moment.now, moment.today, charts=True)
    reading = Reading(case, recipient, [moment.today])
    calendar = WorkCalendar(settings)
    findings, findings_out = _findings(case, settings, calendar, lang, workspace, reading)
    deadlines, deadlines_out = _deadlines(case, names, calendar, lang, moment.today, reading)
    questions, questions_out = _questions(case, names, calendar, lang, moment.today, reading)
    errors = sum(p.level == ERROR for p in problems)

    def left_out(n: int) -> str:
        return w["left_out"].format(n=n) if n else ""

    return {**_base(lang, case.title, moment), "nav": "case", "case_id": case.folder_id, "case_title": case.title,
            "for_id": recipient or "", "for_label": names.full(recipient) if recipient else "",
            "readers": readers(case, names), "document": _document("plan", plan, workspace),
            "meetings": _meetings(case, lang), "internal": recipient is None,
            "findings": findings, "findings_out": left_out(findings_out),
            "deadlines": deadlines, "deadlines_out": left_out(deadlines_out),
            "deadlines_title": w["deadlines"].format(n=DEADLINE_DAYS),
            "questions": questions, "questions_out": left_out(questions_out),
            "changes": _changes(history or CaseHistory(), lang),
            "outcomes": _outcomes(history or CaseHistory(), lang),
            "case_problems": (w["case_problems"].format(e=errors, w=len(problems) - errors)
                              if problems and recipient is None else "")}


def meeting_context(case: m.Case, meeting: m.Meeting, settings: m.Settings, lang: str, moment: Moment,
                    recipient: str | None, workspace: Path | None) -> dict[str, Any]:
    """A meeting's minutes, exactly as `render-minutes --for` gives them."""
    names = Names(case, settings, lang)
    minutes = minutes_context(case, meeting, settings, recipient, lang, moment.now)
    return {**_base(lang, minutes["title"], moment), "nav": "case", "case_id": case.folder_id,
            "case_title": case.title, "meeting": meeting.name, "for_id": recipient or "",
            "for_label": names.full(recipient) if recipient else "", "readers": readers(case, names),
            "document": _document("minutes", minutes, workspace), "internal": recipient is None}


# --- Problems ----------------------------------------------------------------------------

def problems_context(problems: list[Problem], root: Path, known: list[str], lang: str, moment: Moment,
                     only_case: str | None) -> dict[str, Any]:
    """validate's problems per file, each with its quoted line and hint."""
    w = page_words(lang)
    files: dict[str, list[dict[str, Any]]] = {}
    for problem in problems:
        if only_case is not None and case_of(problem.source.path, set(known)) != only_case:
            continue
        quoted = excerpt(problem)
        message, hint = problem_text(problem, lang)
        shown = shown_path(problem.source.path, root)
        files.setdefault(shown, []).append({
            "line": problem.source.line, "column": problem.source.column, "level": problem.level,
            "level_word": w["level_" + problem.level], "code": problem.code, "message": message,
            "hint": hint or "", "quoted": quoted[0] if quoted else "", "marks": quoted[1] if quoted else ""})
    title = w["problems_for"].format(case=only_case) if only_case else w["problems"]
    return {**_base(lang, title, moment), "nav": "problems", "files": sorted(files.items()),
            "only_case": only_case or ""}


def not_found_context(lang: str, moment: Moment) -> dict[str, Any]:
    w = page_words(lang)
    return {**_base(lang, w["not_found"], moment), "nav": ""}
