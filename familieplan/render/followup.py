"""Output of `due` and `status`: terminal tables, JSON and Markdown, Danish by default."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from familieplan.commands.consents import ConsentNotice
from familieplan.commands.followup import CaseRow, FollowUp
from familieplan.render import danish as d
from familieplan.render import terminal
from familieplan.render.catalog import catalog
from familieplan.render.consents import consents_title, notice_json, notice_sentence
from familieplan.render.csvout import CsvReporter, Table
from familieplan.render.jsonout import encode_row, problem_rows, rows_json, write_json
from familieplan.render.statutory import (
    deadline_row,
    deadline_sentence,
    level_word,
    notice_row,
    rule_notice_sentence,
)
from familieplan.schedule.deadlines import ANSWERED_LATE, DONE, DUE, OVERDUE, Deadline

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter


def state_heading(state: str, lang: str) -> str:
    _ = catalog(lang).gettext
    if state == OVERDUE:
        return _("Overdue")
    if state == DUE:
        return _("Due soon")
    if state == DONE:
        return _("Met late (follow up at the next meeting)")
    return _("Answered late (follow up at the next meeting)")


def _late(item: Deadline, lang: str) -> str:
    if item.days_late == 0:
        return ""
    n = item.days_late
    return catalog(lang).ngettext("{n} working day late", "{n} working days late", n).format(n=n)


def _who(result: FollowUp, item: Deadline) -> str:
    if item.kind == "statutory":
        return item.law or ""
    name = result.names.get((item.case, item.responsible or ""), item.responsible or "")
    dept = result.settings.department_name(item.department) if item.department else ""
    return f"{name} ({dept})" if dept else name


def _what(item: Deadline, lang: str) -> str:
    _ = catalog(lang).gettext
    if item.kind == "statutory":
        return deadline_sentence(item, lang)
    if item.kind == "agreement":
        return _("Agreement {id}: {text}").format(id=item.agreement, text=item.text)
    if item.asked:
        return _("Question (asked {date}): {text}").format(date=d.date_long(item.asked, lang), text=item.text)
    return _("Question: {text}").format(text=item.text)


def _due_message(item: Deadline, lang: str) -> str:
    due = catalog(lang).gettext("due {date}").format(date=d.date_long(item.date, lang))
    return f"{_what(item, lang)} — {due} {_late(item, lang)}".strip()


def _sentence(result: FollowUp, notice: ConsentNotice, lang: str) -> str:
    return notice_sentence(notice, result.settings, lambda pid: result.names.get((notice.case, pid), pid), lang)


def due_row(result: FollowUp, item: Deadline, lang: str) -> dict[str, object]:
    """One deadline as its JSON object (and CSV row)."""
    if item.kind == "statutory":
        return deadline_row(item, result.names.get((item.case, item.person or "")), lang)
    return {
        "case": item.case, "kind": item.kind, "state": item.state, "date": item.date.isoformat(),
        "days_late": item.days_late, "agreement": item.agreement, "text": item.text,
        "responsible": item.responsible, "responsible_name": result.names.get((item.case, item.responsible or "")),
        "department": item.department, "asked": item.asked.isoformat() if item.asked else None,
        "answered": item.answered.isoformat() if item.answered else None, "source": str(item.source),
        "message": _due_message(item, lang),
    }


def due_json(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    deadlines = (encode_row(due_row(result, item, lang)) for item in result.deadlines)
    # Consents that end have their own list (docs/guide.md, "JSON output").
    consents = rows_json([notice_json(n, _sentence(result, n, lang)) for n in result.consents])
    notices = [notice_row(case, n, lang) for case, n in result.notices]
    write_json(out, {"problems": problem_rows(result.problems, lang), "deadlines": deadlines, "consents": consents,
                     "notices": notices},
               {"overdue": result.overdue, "consents": len(result.consents), "notices": len(result.notices)})


_STATE_STYLE = {OVERDUE: "bold red", DUE: "yellow", ANSWERED_LATE: "cyan", DONE: "cyan"}


def _due_item_lines(lines: terminal.Writer, result: FollowUp, item: Deadline, lang: str) -> None:
    style = _STATE_STYLE[item.state]
    late = _late(item, lang)
    lines.line(f"{d.date_short(item.date, lang)}  {result.titles.get(item.case, item.case)} ({item.case})",
               *((("  ", None), (late, style)) if late else ()), indent=2, hang=4)
    lines.line(_what(item, lang), indent=4)
    _ = catalog(lang).gettext
    label = _("Provision") if item.kind == "statutory" else _("Responsible")
    lines.line(f"{label}: {_who(result, item)}  ", (str(item.source), "dim"), indent=4)


def due_text(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    _ = catalog(lang).gettext
    with terminal.Writer(out, color) as lines:
        _consents_text(lines, result, lang)
        _notices_text(lines, result, lang)
        if not result.deadlines:
            lines.line(_("No deadlines to follow up."))
            return
        state = None
        for item in result.deadlines:
            if item.state != state:
                if state is not None:
                    lines.line()
                state = item.state
                lines.line((state_heading(state, lang), _STATE_STYLE[state]))
            _due_item_lines(lines, result, item, lang)
        lines.line()


def _consents_text(lines: terminal.Writer, result: FollowUp, lang: str) -> None:
    if not result.consents:
        return
    lines.line((consents_title(lang), "yellow"))
    for notice in result.consents:
        _consent_lines(lines, result, notice, lang)
    lines.line()


def _notices_text(lines: terminal.Writer, result: FollowUp, lang: str) -> None:
    if not result.notices:
        return
    lines.line((catalog(lang).gettext("Notes from the statutory rules"), "yellow"))
    for case, notice in result.notices:
        lines.line(f"{result.titles.get(case, case)} ({case})", indent=2)
        lines.line(f"{level_word(notice.level, lang)} {notice.rule}: {rule_notice_sentence(notice, lang)}  ",
                   (str(notice.source), "dim"), indent=4)
    lines.line()


def _consent_lines(lines: terminal.Writer, result: FollowUp, notice: ConsentNotice, lang: str) -> None:
    lines.line(f"{result.titles.get(notice.case, notice.case)} ({notice.case})", indent=2)
    lines.line(f"{_sentence(result, notice, lang)}  ", (str(notice.source), "dim"), indent=4)


def due_md(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    from familieplan.render.markdown import escape_inline as esc

    _ = catalog(lang).gettext
    lines = ["# " + _("Deadlines"), ""]
    if result.consents:
        lines += [f"## {consents_title(lang)}", ""]
        lines += [f"- {esc(result.titles.get(n.case, n.case))}: {esc(_sentence(result, n, lang))}"
                  for n in result.consents]
        lines.append("")
    if result.notices:
        lines += [f"## {_('Notes from the statutory rules')}", ""]
        lines += [f"- {esc(result.titles.get(case, case))}: {esc(level_word(n.level, lang))} {n.rule}: "
                  f"{esc(rule_notice_sentence(n, lang))}" for case, n in result.notices]
        lines.append("")
    if not result.deadlines:
        lines.append(_("No deadlines to follow up."))
    for state in (OVERDUE, DUE, ANSWERED_LATE, DONE):
        items = [i for i in result.deadlines if i.state == state]
        if not items:
            continue
        lines += [f"## {state_heading(state, lang)}", "",
                  "| " + " | ".join((_("When"), _("Case"), _("What"), _("Responsible"))) + " |", "|---|---|---|---|"]
        for item in items:
            when = d.date_long(item.date, lang) + (f" ({_late(item, lang)})" if item.days_late else "")
            lines.append(f"| {esc(when)} | {esc(result.titles.get(item.case, item.case))} | "
                         f"{esc(_what(item, lang))} | {esc(_who(result, item))} |")
        lines.append("")
    out.write("\n".join(lines).rstrip() + "\n")


def _phase(row: CaseRow, lang: str) -> str:
    if not row.phase:
        return "–"
    weeks = ""
    if row.phase_week:
        weeks = ", " + catalog(lang).gettext("week {week} of {weeks}").format(week=row.phase_week, weeks=row.phase_weeks)
    return f"{row.phase} {row.phase_name}{weeks}"


def _next(row: CaseRow, lang: str) -> str:
    if row.next_meeting is None:
        return "–"
    purpose = f": {row.next_purpose}" if row.next_purpose else ""
    passed = ""
    if row.next_meeting_passed:
        passed = " (" + catalog(lang).gettext("passed – no new meeting file") + ")"
    return f"{d.date_long(row.next_meeting, lang)}{purpose}{passed}"


def _status_heads(lang: str) -> tuple[str, ...]:
    _ = catalog(lang).gettext
    return (_("Case"), _("Coordinator"), _("Phase"), _("Next meeting"), _("Open agreements"), _("Open questions"),
            _("Overdue"), _("Load (errors/warnings)"))


def due_tables(result: FollowUp, lang: str) -> list[Table]:
    """CSV: one row per deadline, the values of the JSON's `deadlines`."""
    return [Table("due", "deadlines", [due_row(result, item, lang) for item in result.deadlines])]


REPORTERS: dict[str, Reporter] = {"text": due_text, "json": due_json, "md": due_md, "csv": CsvReporter(due_tables)}
