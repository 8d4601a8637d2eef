"""Output of `due` and `status`: terminal tables, JSON and Markdown, Danish by default."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO

from familieplan.commands.consents import ConsentNotice
from familieplan.commands.followup import CaseRow, FollowUp
from familieplan.render import danish as d
from familieplan.render.consents import WORDS as CONSENT_WORDS
from familieplan.render.consents import notice_json, notice_sentence
from familieplan.schedule.deadlines import ANSWERED_LATE, DUE, OVERDUE, Deadline

WORDS = {
    "da": {
        OVERDUE: "Forsinket", DUE: "Forfalder snart", ANSWERED_LATE: "Besvaret for sent (til opfølgning på næste møde)",
        "agreement": "Aftale", "question": "Spørgsmål", "late": "{n} hverdage for sent", "late1": "1 hverdag for sent",
        "due_on": "frist", "responsible": "Ansvarlig", "none": "Ingen frister at følge op på.",
        "case": "Sag", "coordinator": "Koordinator", "phase": "Fase", "next": "Næste møde", "open": "Åbne aftaler",
        "questions": "Åbne spørgsmål", "overdue": "Forsinket", "load": "Belastning (fejl/advarsler)",
        "week_of": "uge {w} af {n}", "status_title": "Status for sagerne", "due_title": "Frister",
        "asked": "spurgt", "answered": "besvaret", "what": "Hvad", "when": "Hvornår", "where": "Kilde",
        "no_cases": "Ingen aktive sager.",
    },
    "en": {
        OVERDUE: "Overdue", DUE: "Due soon", ANSWERED_LATE: "Answered late (follow up at the next meeting)",
        "agreement": "Agreement", "question": "Question", "late": "{n} working days late", "late1": "1 working day late",
        "due_on": "due", "responsible": "Responsible", "none": "No deadlines to follow up.",
        "case": "Case", "coordinator": "Coordinator", "phase": "Phase", "next": "Next meeting", "open": "Open agreements",
        "questions": "Open questions", "overdue": "Overdue", "load": "Load (errors/warnings)",
        "week_of": "week {w} of {n}", "status_title": "Case status", "due_title": "Deadlines",
        "asked": "asked", "answered": "answered", "what": "What", "when": "When", "where": "Source",
        "no_cases": "No active cases.",
    },
}


def _late(item: Deadline, w: dict[str, str]) -> str:
    if item.days_late == 0:
        return ""
    return w["late1"] if item.days_late == 1 else w["late"].format(n=item.days_late)


def _who(result: FollowUp, item: Deadline) -> str:
    name = result.names.get((item.case, item.responsible or ""), item.responsible or "")
    dept = result.settings.department_name(item.department) if item.department else ""
    return f"{name} ({dept})" if dept else name


def _what(item: Deadline, w: dict[str, str], lang: str) -> str:
    if item.kind == "agreement":
        return f"{w['agreement']} {item.agreement}: {item.text}"
    text = f"{w['question']} ({w['asked']} {d.date_long(item.asked, lang)})" if item.asked else w["question"]
    return f"{text}: {item.text}"


def _sentence(result: FollowUp, notice: ConsentNotice, lang: str) -> str:
    return notice_sentence(notice, result.settings, lambda pid: result.names.get((notice.case, pid), pid), lang)


def due_json(result: FollowUp, out: IO[str], lang: str) -> None:
    w = WORDS[lang]
    rows = []
    for item in result.deadlines:
        rows.append({
            "case": item.case, "kind": item.kind, "state": item.state, "date": item.date.isoformat(),
            "days_late": item.days_late, "agreement": item.agreement, "text": item.text,
            "responsible": item.responsible, "responsible_name": result.names.get((item.case, item.responsible or "")),
            "department": item.department, "asked": item.asked.isoformat() if item.asked else None,
            "answered": item.answered.isoformat() if item.answered else None, "source": str(item.source),
            "message": f"{_what(item, w, lang)} — {w['due_on']} {d.date_long(item.date, lang)} {_late(item, w)}".strip(),
        })
    # Consents that end follow the deadlines; they have the kind "consent".
    rows += [notice_json(n, _sentence(result, n, lang)) for n in result.consents]
    json.dump(rows, out, ensure_ascii=False, indent=2)
    out.write("\n")


def due_text(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, emoji=False, soft_wrap=True, force_terminal=color, no_color=color is False)
    w = WORDS[lang]
    _consents_text(console, result, lang)
    if not result.deadlines:
        console.print(w["none"])
        return
    for state in (OVERDUE, DUE, ANSWERED_LATE):
        items = [i for i in result.deadlines if i.state == state]
        if not items:
            continue
        style = {OVERDUE: "bold red", DUE: "yellow", ANSWERED_LATE: "cyan"}[state]
        console.print(f"[{style}]{w[state]}[/]")
        for item in items:
            late = _late(item, w)
            console.print(f"  {d.date_short(item.date, lang)}  {escape(result.titles.get(item.case, item.case))} "
                          f"({escape(item.case)})" + (f"  [{style}]{late}[/]" if late else ""))
            console.print(f"    {escape(_what(item, w, lang))}")
            console.print(f"    {w['responsible']}: {escape(_who(result, item))}  [dim]{escape(str(item.source))}[/]")
        console.print()


def _consents_text(console, result: FollowUp, lang: str) -> None:  # type: ignore[no-untyped-def]
    from rich.markup import escape

    if not result.consents:
        return
    console.print(f"[yellow]{CONSENT_WORDS[lang]['title']}[/]")
    for notice in result.consents:
        console.print(f"  {escape(result.titles.get(notice.case, notice.case))} ({escape(notice.case)})")
        console.print(f"    {escape(_sentence(result, notice, lang))}  [dim]{escape(str(notice.source))}[/]")
    console.print()


def due_md(result: FollowUp, out: IO[str], lang: str) -> None:
    from familieplan.render.markdown import escape_inline as esc

    w = WORDS[lang]
    lines = [f"# {w['due_title']}", ""]
    if result.consents:
        lines += [f"## {CONSENT_WORDS[lang]['title']}", ""]
        lines += [f"- {esc(result.titles.get(n.case, n.case))}: {esc(_sentence(result, n, lang))}"
                  for n in result.consents]
        lines.append("")
    if not result.deadlines:
        lines.append(w["none"])
    for state in (OVERDUE, DUE, ANSWERED_LATE):
        items = [i for i in result.deadlines if i.state == state]
        if not items:
            continue
        lines += [f"## {w[state]}", "", f"| {w['when']} | {w['case']} | {w['what']} | {w['responsible']} |",
                  "|---|---|---|---|"]
        for item in items:
            when = d.date_long(item.date, lang) + (f" ({_late(item, w)})" if item.days_late else "")
            lines.append(f"| {esc(when)} | {esc(result.titles.get(item.case, item.case))} | "
                         f"{esc(_what(item, w, lang))} | {esc(_who(result, item))} |")
        lines.append("")
    out.write("\n".join(lines).rstrip() + "\n")


def _phase(row: CaseRow, w: dict[str, str]) -> str:
    if not row.phase:
        return "–"
    weeks = f", {w['week_of'].format(w=row.phase_week, n=row.phase_weeks)}" if row.phase_week else ""
    return f"{row.phase} {row.phase_name}{weeks}"


def _next(row: CaseRow, lang: str) -> str:
    if row.next_meeting is None:
        return "–"
    purpose = f": {row.next_purpose}" if row.next_purpose else ""
    passed = ""
    if row.next_meeting_passed:
        passed = " (overskredet – intet nyt møde er oprettet)" if lang == "da" else " (passed – no new meeting file)"
    return f"{d.date_long(row.next_meeting, lang)}{purpose}{passed}"


def status_text(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False, emoji=False, width=160, force_terminal=color, no_color=color is False)
    w = WORDS[lang]
    if not result.rows:
        console.print(w["no_cases"])
        return
    table = Table(title=w["status_title"], show_lines=False)
    for head in (w["case"], w["coordinator"], w["phase"], w["next"], w["open"], w["questions"], w["overdue"], w["load"]):
        table.add_column(head, overflow="fold")
    for row in result.rows:
        overdue = f"[bold red]{row.overdue}[/]" if row.overdue else "0"
        load = f"{row.load_errors}/{row.load_warnings}"
        load = f"[bold red]{load}[/]" if row.load_errors else load
        next_text = _next(row, lang)
        table.add_row(f"{row.title}\n[dim]{row.case}[/]", row.coordinator_name or row.coordinator or "",
                      _phase(row, w), f"[red]{next_text}[/]" if row.next_meeting_passed else next_text, str(row.open_agreements), str(row.open_questions),
                      overdue, load)
    console.print(table)
    notices = [n for row in result.rows for n in row.consents]
    if notices:
        from rich.markup import escape

        console.print(f"[yellow]{CONSENT_WORDS[lang]['title']}[/]")
        for notice in notices:
            console.print(f"  {escape(notice.case)}: {escape(_sentence(result, notice, lang))}")


def status_json(result: FollowUp, out: IO[str], lang: str) -> None:
    rows = []
    for row in result.rows:
        rows.append({
            "case": row.case, "title": row.title, "coordinator": row.coordinator,
            "coordinator_name": row.coordinator_name, "phase": row.phase, "phase_name": row.phase_name,
            "phase_week": row.phase_week, "phase_weeks": row.phase_weeks,
            "next_meeting": row.next_meeting.isoformat() if row.next_meeting else None,
            "next_purpose": row.next_purpose, "next_meeting_passed": row.next_meeting_passed, "open_agreements": row.open_agreements,
            "open_questions": row.open_questions, "overdue": row.overdue,
            "load_errors": row.load_errors, "load_warnings": row.load_warnings,
            "consents": [notice_json(n, _sentence(result, n, lang)) for n in row.consents],
        })
    out.write("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n" if rows else "[]\n")


def status_md(result: FollowUp, out: IO[str], lang: str) -> None:
    from familieplan.render.markdown import escape_inline as esc

    w = WORDS[lang]
    lines = [f"# {w['status_title']}", ""]
    if not result.rows:
        lines.append(w["no_cases"])
    else:
        heads = (w["case"], w["coordinator"], w["phase"], w["next"], w["open"], w["questions"], w["overdue"], w["load"])
        lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        for row in result.rows:
            cells = [f"{row.title} ({row.case})", row.coordinator_name or row.coordinator or "", _phase(row, w),
                     _next(row, lang), str(row.open_agreements), str(row.open_questions), str(row.overdue),
                     f"{row.load_errors}/{row.load_warnings}"]
            lines.append("| " + " | ".join(esc(c) for c in cells) + " |")
        notices = [n for row in result.rows for n in row.consents]
        if notices:
            lines += ["", f"## {CONSENT_WORDS[lang]['title']}", ""]
            lines += [f"- {esc(n.case)}: {esc(_sentence(result, n, lang))}" for n in notices]
    out.write("\n".join(lines) + "\n")


DUE_REPORTERS: dict[str, Callable[..., None]] = {"text": due_text, "json": due_json, "md": due_md}
STATUS_REPORTERS: dict[str, Callable[..., None]] = {"text": status_text, "json": status_json, "md": status_md}
