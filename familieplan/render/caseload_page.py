"""The caseload page of `familieplan serve`: the `status` table with every coordinator to
filter by, sortable by each column, and the cases that cannot be read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from familieplan.commands.followup import CaseRow, FollowUp
from familieplan.problems import ERROR, WARNING, Problem
from familieplan.render.consents import consents_title, notice_sentence
from familieplan.render.followup import _next as next_text
from familieplan.render.followup import _phase as phase_text
from familieplan.render.pages import Moment, base_context, case_of, page_words

SORTS = ("case", "coordinator", "phase", "next", "open", "questions", "overdue", "load")


def problem_counts(problems: list[Problem], known: set[str]) -> dict[str | None, tuple[int, int]]:
    """Errors and warnings per case (None: files outside a case, e.g. the settings)."""
    counts: dict[str | None, tuple[int, int]] = {}
    for problem in problems:
        if problem.level not in (ERROR, WARNING):  # an info line is no problem
            continue
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
    return {**base_context(lang, w["caseload"], moment), "rows": [_row(r, result, lang) for r in rows],
            "consents_title": consents_title(lang),
            "columns": columns, "sort": sort if sort in SORTS else "case", "coordinators": coordinators,
            "coordinator": coordinator or "", "invalid": invalid, "settings_problems": settings_errors > 0,
            "total": w["total"].format(n=len(rows)), "nav": "caseload"}
