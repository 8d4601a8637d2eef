"""The pages of `familieplan serve`, what they share: the pages' words in the reader's
language, the moment a page is made for, the context every page starts from and rendering a
page through the one Jinja environment; and the two pages with no data of a case of their
own, the problems and "not found".

The caseload table is made by `render/caseload_page.py`, a case's and a meeting's pages by
`render/case_page.py`, from the same results and document contexts as the commands.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from familieplan.problems import N_, Problem
from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.render.env import render, render_block
from familieplan.render.messages import problem_text
from familieplan.render.problems import _excerpt as excerpt
from familieplan.render.richtext import html_block, html_inline

HTML_FILTERS = {"text": html_block, "inline": html_inline}

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
    "reader_findings": N_("Only the findings about what the consent lets this recipient read."),
}


def page_words(lang: str) -> dict[str, str]:
    """The pages' words in the reader's language (plus the app's name and the levels)."""
    cat = catalog(lang)
    words = {key: cat.gettext(msgid) for key, msgid in WORDS.items()}
    words.update({"app": "familieplan", "level_error": cat.level("error"), "level_warning": cat.level("warning"),
                  "level_info": cat.level("info")})
    return words


@dataclass(frozen=True)
class Moment:
    """The day that decides phases, deadlines and consents, the time printed on pages, and
    the real date (a withdrawal on or before it always applies, whatever `today` says), as
    the documents are given them."""

    today: dt.date
    now: dt.datetime
    real_today: dt.date | None = None  # None: `today`


def page(name: str, context: dict[str, Any], workspace: Path | None, base: str = "") -> str:
    """A web page from templates/web/, through the one Jinja environment; `base` is the
    path every address of the site starts with (the run's capability, `/<token>`)."""
    return render(f"web/{name}.html.j2", {**context, "base": base}, workspace, html=True, filters=HTML_FILTERS,
                  translations=catalog(context["lang"]).translations)


def document_css(workspace: Path | None) -> str:
    """The documents' own style sheet (the `style` block of their base template): case pages
    print on A4 exactly like the rendered documents."""
    return render_block("render/base.html.j2", "style", {}, workspace, html=True, filters=HTML_FILTERS)


def base_context(lang: str, title: str, moment: Moment) -> dict[str, Any]:
    """What every page's context starts with: its words, language, title and "Made …" line."""
    w = page_words(lang)
    return {"w": w, "lang": lang, "title": title, "made": w["made"].format(when=d.moment_long(moment.now, lang))}


def case_of(path: str, known: set[str]) -> str | None:
    """The case a problem's file belongs to: the folder right below a `cases` folder."""
    parts = Path(path).parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "cases" and parts[i + 1] in known:
            return parts[i + 1]
    return None


def shown_path(path: str, root: Path | None) -> str:
    """A file as the team knows it: relative to the workspace."""
    return os.path.relpath(Path(path).resolve(), root.resolve()) if root is not None else path


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
    return {**base_context(lang, title, moment), "nav": "problems", "files": sorted(files.items()),
            "only_case": only_case or ""}


def not_found_context(lang: str, moment: Moment) -> dict[str, Any]:
    w = page_words(lang)
    return {**base_context(lang, w["not_found"], moment), "nav": ""}
