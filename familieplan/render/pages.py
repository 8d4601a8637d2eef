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
from familieplan.checks.load import Finding
from familieplan.commands.check_load import LoadOptions, load_case_findings, sort_key, summarize
from familieplan.commands.followup import CaseRow, FollowUp
from familieplan.problems import ERROR, Problem
from familieplan.render import danish as d
from familieplan.render.documents import Names, minutes_context, plan_context
from familieplan.render.env import render, render_block
from familieplan.render.followup import WORDS as FOLLOWUP_WORDS
from familieplan.render.followup import _next as next_text
from familieplan.render.followup import _phase as phase_text
from familieplan.render.followup import _what as deadline_text
from familieplan.render.load import WORDS as LOAD_WORDS
from familieplan.render.load import Describer
from familieplan.render.problems import _excerpt as excerpt
from familieplan.render.richtext import html_block, html_inline
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.deadlines import (
    answer_due,
    case_deadlines,
    question_open,
    question_overdue,
)
from familieplan.schedule.deadlines import sort_key as deadline_order

HTML_FILTERS = {"text": html_block, "inline": html_inline}
DEADLINE_DAYS = 14  # the case page looks two weeks ahead

WORDS = {
    "da": {
        "app": "familieplan", "caseload": "Sager", "problems": "Problemer", "case": "Sag",
        "internal": "Teamets interne visning med alle oplysninger. Den må ikke vises til eller deles med "
                    "borgeren eller andre; brug »Se som« for at se en modtagers udgave.",
        "view_as": "Se som", "view_as_banner": "Siden viser kun det, samtykket giver denne modtager adgang til: det samme som modtagerens dokumenter.",
        "back_internal": "Tilbage til teamets interne visning", "show": "Vis", "everyone": "Teamet (alle oplysninger)",
        "coordinator": "Koordinator", "all_coordinators": "Alle koordinatorer", "filter": "Filtrér",
        "sort_by": "Sortér efter {col}", "phase": "Fase og uge", "next": "Næste møde", "open": "Åbne aftaler",
        "questions": "Åbne spørgsmål", "overdue": "Forsinket", "load": "Belastning (fejl/advarsler)",
        "no_cases": "Ingen aktive sager.", "invalid": "Sager, der ikke kan læses",
        "invalid_note": "Disse sager har fejl i filerne og er ikke med i tabellen. De øvrige sager vises som normalt.",
        "n_problems": "{e} fejl, {w} advarsler", "see_problems": "Se problemerne",
        "settings_problems": "Indstillingerne (familieplan.yaml) har problemer.",
        "findings": "Belastning: fund pr. person", "no_findings": "Ingen fund: ugen hænger sammen for alle.",
        "talk": "Bør tale sammen", "deadlines": "Frister (de næste {n} dage og forsinkede)",
        "no_deadlines": "Ingen frister at følge op på.", "question_log": "Spørgsmål",
        "no_questions": "Ingen spørgsmål.", "asked": "Spurgt", "by": "Af", "to": "Til", "about": "Spørgsmål",
        "answer_by": "Svarfrist", "answered": "Besvaret", "unanswered": "ubesvaret", "late": "for sent",
        "meetings": "Møder", "no_meetings": "Ingen møder.", "minutes": "Referat",
        "when": "Hvornår", "what": "Hvad", "responsible": "Ansvarlig", "state": "Status",
        "file": "Fil", "no_problems": "Ingen problemer: alle filer er i orden.", "hint": "Forslag",
        "problems_for": "Problemer i sagen {case}", "all_problems": "Alle problemer",
        "not_found": "Siden findes ikke", "not_found_text": "Der er ingen side med den adresse i dette arbejdsområde.",
        "case_problems": "Sagens filer har {e} fejl og {w} advarsler.", "made": "Dannet {when}.",
        "live": "Siden opdateres af sig selv, når en fil i arbejdsområdet ændres.",
        "level_error": "fejl", "level_warning": "advarsel", "total": "{n} sager",
    },
    "en": {
        "app": "familieplan", "caseload": "Cases", "problems": "Problems", "case": "Case",
        "internal": "The team's internal view with everything. Do not show or pass it to the citizen or "
                    "anyone else; use \"View as\" to see a recipient's version.",
        "view_as": "View as", "view_as_banner": "The page shows only what the consent lets this recipient read: the same as the recipient's documents.",
        "back_internal": "Back to the team's internal view", "show": "Show", "everyone": "The team (everything)",
        "coordinator": "Coordinator", "all_coordinators": "All coordinators", "filter": "Filter",
        "sort_by": "Sort by {col}", "phase": "Phase and week", "next": "Next meeting", "open": "Open agreements",
        "questions": "Open questions", "overdue": "Overdue", "load": "Load (errors/warnings)",
        "no_cases": "No active cases.", "invalid": "Cases that cannot be read",
        "invalid_note": "These cases have errors in their files and are not in the table. The other cases are shown as usual.",
        "n_problems": "{e} errors, {w} warnings", "see_problems": "See the problems",
        "settings_problems": "The settings (familieplan.yaml) have problems.",
        "findings": "Load: findings per person", "no_findings": "No findings: the week holds together for everyone.",
        "talk": "Should talk", "deadlines": "Deadlines (the next {n} days and overdue)",
        "no_deadlines": "No deadlines to follow up.", "question_log": "Questions",
        "no_questions": "No questions.", "asked": "Asked", "by": "By", "to": "To", "about": "Question",
        "answer_by": "Answer by", "answered": "Answered", "unanswered": "unanswered", "late": "late",
        "meetings": "Meetings", "no_meetings": "No meetings.", "minutes": "Minutes",
        "when": "When", "what": "What", "responsible": "Responsible", "state": "State",
        "file": "File", "no_problems": "No problems: every file is in order.", "hint": "Hint",
        "problems_for": "Problems in case {case}", "all_problems": "All problems",
        "not_found": "Page not found", "not_found_text": "There is no page at that address in this workspace.",
        "case_problems": "The case's files have {e} errors and {w} warnings.", "made": "Made {when}.",
        "live": "The page updates itself when a file of the workspace changes.",
        "level_error": "error", "level_warning": "warning", "total": "{n} cases",
    },
}

SORTS = ("case", "coordinator", "phase", "next", "open", "questions", "overdue", "load")


@dataclass(frozen=True)
class Moment:
    """The day that decides phases, deadlines and consents, and the time printed on pages."""

    today: dt.date
    now: dt.datetime


def page(name: str, context: dict[str, Any], workspace: Path | None) -> str:
    """A web page from templates/web/, through the one Jinja environment."""
    return render(f"web/{name}.html.j2", context, workspace, html=True, filters=HTML_FILTERS)


def document_css(workspace: Path | None) -> str:
    """The documents' own style sheet (the `style` block of their base template): case pages
    print on A4 exactly like the rendered documents."""
    return render_block("render/base.html.j2", "style", {}, workspace, html=True, filters=HTML_FILTERS)


def _document(kind: str, context: dict[str, Any], workspace: Path | None) -> Markup:
    return Markup(render_block(f"render/{kind}.html.j2", "content", context, workspace, html=True,
                               filters=HTML_FILTERS))


def _base(lang: str, title: str, moment: Moment) -> dict[str, Any]:
    w = WORDS[lang]
    when = f"{d.date_long(moment.now.date(), lang)} {d.time_hhmm(moment.now.time())}"
    return {"w": w, "lang": lang, "title": title, "made": w["made"].format(when=when)}


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


def _row(row: CaseRow, lang: str) -> dict[str, Any]:
    w = FOLLOWUP_WORDS[lang]
    return {"case": row.case, "title": row.title, "coordinator": coordinator_name(row),
            "phase": phase_text(row, w), "next": next_text(row, lang), "passed": row.next_meeting_passed,
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
    w = WORDS[lang]
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
    return {**_base(lang, w["caseload"], moment), "rows": [_row(r, lang) for r in rows],
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


def _findings(case: m.Case, settings: m.Settings, calendar: WorkCalendar, lang: str,
              root: Path | None) -> list[dict[str, Any]]:
    """check-load's findings of the case, in words, grouped by person, errors first."""
    findings: list[Finding] = sorted(load_case_findings(case, settings, calendar, LoadOptions())[0], key=sort_key)
    describer = Describer(settings, [summarize(case, settings)], lang)
    words = LOAD_WORDS[lang]
    groups: list[dict[str, Any]] = []
    for f in findings:
        if not groups or groups[-1]["id"] != f.person:
            groups.append({"id": f.person, "name": describer.name(case.folder_id, f.person), "findings": []})
        talk = describer.talk(f) if len(f.responsible) > 1 else ""
        groups[-1]["findings"].append({"level": f.level, "level_word": words["level_" + f.level], "code": f.code,
                                       "message": describer.message(f), "talk": talk,
                                       "sources": ", ".join(f"{shown_path(s.path, root)}:{s.line}:{s.column}"
                                                             for s in f.sources)})
    return groups


def _deadlines(case: m.Case, names: Names, calendar: WorkCalendar, lang: str, today: dt.date) -> list[dict[str, Any]]:
    w = FOLLOWUP_WORDS[lang]
    rows = []
    for item in sorted(case_deadlines(case, today, calendar, DEADLINE_DAYS), key=deadline_order):
        late = ""
        if item.days_late:
            late = w["late1"] if item.days_late == 1 else w["late"].format(n=item.days_late)
        rows.append({"state": item.state, "state_word": w[item.state], "date": d.date_long(item.date, lang),
                     "late": late, "what": deadline_text(item, w, lang),
                     "responsible": names.full(item.responsible) if item.responsible else ""})
    return rows


def _questions(case: m.Case, names: Names, calendar: WorkCalendar, lang: str, today: dt.date) -> list[dict[str, Any]]:
    agreements = {a.id: a for a in case.agreements if a.id}
    rows = []
    for q in sorted(case.questions, key=lambda q: (q.asked or dt.date.min, q.source.line)):
        due = answer_due(q, agreements, calendar)
        rows.append({"asked": d.date_long(q.asked, lang) if q.asked else "", "by": names.full(q.by),
                     "to": names.full(q.to), "about": q.about or "",
                     "due": d.date_long(due, lang) if due else "",
                     "answered": d.date_long(q.answered, lang) if q.answered else "",
                     "open": question_open(q, today),
                     "overdue": question_overdue(q, due, today),
                     "late": bool(q.answered and due and q.answered > due)})
    return rows


def _meetings(case: m.Case, lang: str) -> list[dict[str, Any]]:
    shown = sorted(case.meetings, key=lambda mt: (mt.date or dt.date.min, mt.name), reverse=True)
    return [{"name": mt.name, "title": mt.title or mt.name, "date": d.date_long(mt.date, lang) if mt.date else ""}
            for mt in shown]


def case_context(case: m.Case, settings: m.Settings, problems: list[Problem], lang: str, moment: Moment,
                 recipient: str | None, workspace: Path | None) -> dict[str, Any]:
    """A case page: the plan as `render-plan --for` gives it, and for the team (no
    recipient) the load findings, deadlines and question log beside it."""
    w = WORDS[lang]
    names = Names(case, settings, lang)
    plan = plan_context(case, settings, recipient, lang, moment.now, moment.today, charts=True)
    context = {**_base(lang, case.title, moment), "nav": "case", "case_id": case.folder_id, "case_title": case.title,
               "for_id": recipient or "", "for_label": names.full(recipient) if recipient else "",
               "readers": readers(case, names), "document": _document("plan", plan, workspace),
               "meetings": _meetings(case, lang), "internal": recipient is None}
    if recipient is None:
        calendar = WorkCalendar(settings)
        errors = sum(p.level == ERROR for p in problems)
        context.update({
            "findings": _findings(case, settings, calendar, lang, workspace),
            "deadlines": _deadlines(case, names, calendar, lang, moment.today),
            "deadlines_title": w["deadlines"].format(n=DEADLINE_DAYS),
            "questions": _questions(case, names, calendar, lang, moment.today),
            "case_problems": w["case_problems"].format(e=errors, w=len(problems) - errors) if problems else "",
        })
    return context


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
    w = WORDS[lang]
    cache: dict[str, list[str] | None] = {}
    files: dict[str, list[dict[str, Any]]] = {}
    for problem in problems:
        if only_case is not None and case_of(problem.source.path, set(known)) != only_case:
            continue
        quoted = excerpt(problem, cache)
        shown = shown_path(problem.source.path, root)
        files.setdefault(shown, []).append({
            "line": problem.source.line, "column": problem.source.column, "level": problem.level,
            "level_word": w["level_" + problem.level], "code": problem.code, "message": problem.message,
            "hint": problem.hint or "", "quoted": quoted[0] if quoted else "", "marks": quoted[1] if quoted else ""})
    title = w["problems_for"].format(case=only_case) if only_case else w["problems"]
    return {**_base(lang, title, moment), "nav": "problems", "files": sorted(files.items()),
            "only_case": only_case or ""}


def not_found_context(lang: str, moment: Moment) -> dict[str, Any]:
    w = WORDS[lang]
    return {**_base(lang, w["not_found"], moment), "nav": ""}
