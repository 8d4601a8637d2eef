"""Output of `due` and `status`: terminal tables, JSON and Markdown, Danish by default."""

from __future__ import annotations

from typing import IO

from familieplan.commands.consents import ConsentNotice
from familieplan.commands.followup import CaseRow, FollowUp
from familieplan.render import danish as d
from familieplan.render import terminal
from familieplan.render.catalog import catalog
from familieplan.render.consents import consents_title, notice_json, notice_sentence
from familieplan.render.jsonout import encode_row, problem_rows, rows_json, write_json
from familieplan.render.privacy import mask_each
from familieplan.schedule.deadlines import ANSWERED_LATE, DUE, OVERDUE, Deadline


def state_heading(state: str, lang: str) -> str:
    _ = catalog(lang).gettext
    if state == OVERDUE:
        return _("Overdue")
    if state == DUE:
        return _("Due soon")
    return _("Answered late (follow up at the next meeting)")


def _late(item: Deadline, lang: str) -> str:
    if item.days_late == 0:
        return ""
    n = item.days_late
    return catalog(lang).ngettext("{n} working day late", "{n} working days late", n).format(n=n)


def _who(result: FollowUp, item: Deadline) -> str:
    name = result.names.get((item.case, item.responsible or ""), item.responsible or "")
    dept = result.settings.department_name(item.department) if item.department else ""
    return f"{name} ({dept})" if dept else name


def _what(item: Deadline, lang: str) -> str:
    _ = catalog(lang).gettext
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


def _due_json_row(result: FollowUp, item: Deadline, lang: str) -> str:
    return encode_row({
        "case": item.case, "kind": item.kind, "state": item.state, "date": item.date.isoformat(),
        "days_late": item.days_late, "agreement": item.agreement, "text": item.text,
        "responsible": item.responsible, "responsible_name": result.names.get((item.case, item.responsible or "")),
        "department": item.department, "asked": item.asked.isoformat() if item.asked else None,
        "answered": item.answered.isoformat() if item.answered else None, "source": str(item.source),
        "message": _due_message(item, lang),
    })


def due_json(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    deadlines = (_due_json_row(result, item, lang) for item in result.deadlines)
    # Consents that end have their own list (docs/guide.md, "JSON output").
    consents = rows_json([notice_json(n, _sentence(result, n, lang)) for n in result.consents])
    write_json(out, {"problems": problem_rows(result.problems, lang), "deadlines": deadlines, "consents": consents},
               {"overdue": result.overdue, "consents": len(result.consents)})


_STATE_STYLE = {OVERDUE: "bold red", DUE: "yellow", ANSWERED_LATE: "cyan"}


def _due_item_lines(lines: terminal.Lines, result: FollowUp, item: Deadline, lang: str) -> None:
    style = _STATE_STYLE[item.state]
    late = _late(item, lang)
    lines.line(f"  {d.date_short(item.date, lang)}  {result.titles.get(item.case, item.case)} "
               f"({item.case})" + (f"  {lines.style(style, late)}" if late else ""))
    lines.line(f"    {_what(item, lang)}")
    lines.line(f"    {catalog(lang).gettext('Responsible')}: {_who(result, item)}  {lines.style('dim', str(item.source))}")


def due_text(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    _ = catalog(lang).gettext
    with terminal.Lines(out, color) as lines:
        _consents_text(lines, result, lang)
        if not result.deadlines:
            lines.line(_("No deadlines to follow up."))
            return
        state = None
        for item in result.deadlines:
            if item.state != state:
                if state is not None:
                    lines.line()
                state = item.state
                lines.line(lines.style(_STATE_STYLE[state], state_heading(state, lang)))
            _due_item_lines(lines, result, item, lang)
        lines.line()


def _consents_text(lines: terminal.Lines, result: FollowUp, lang: str) -> None:
    if not result.consents:
        return
    lines.line(lines.style("yellow", consents_title(lang)))
    for notice in result.consents:
        _consent_lines(lines, result, notice, lang)
    lines.line()


def _consent_lines(lines: terminal.Lines, result: FollowUp, notice: ConsentNotice, lang: str) -> None:
    lines.line(f"  {result.titles.get(notice.case, notice.case)} ({notice.case})")
    lines.line(f"    {_sentence(result, notice, lang)}  {lines.style('dim', str(notice.source))}")


def due_md(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    from familieplan.render.markdown import escape_inline as esc

    _ = catalog(lang).gettext
    lines = ["# " + _("Deadlines"), ""]
    if result.consents:
        lines += [f"## {consents_title(lang)}", ""]
        lines += [f"- {esc(result.titles.get(n.case, n.case))}: {esc(_sentence(result, n, lang))}"
                  for n in result.consents]
        lines.append("")
    if not result.deadlines:
        lines.append(_("No deadlines to follow up."))
    for state in (OVERDUE, DUE, ANSWERED_LATE):
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


def _status_texts(result: FollowUp, lang: str) -> list[list[str]]:
    """Each row's texts as the table shows them: title, case, coordinator, phase, next
    meeting and the four counts, each text masked on its own (`mask_each`): a CPR-shaped
    number is masked even where the table folds it across two lines (where masking the
    output would not find it)."""
    texts = []
    for row in result.rows:
        texts += [row.title, row.case, row.coordinator_name or row.coordinator or "", _phase(row, lang),
                  _next(row, lang), *_counts(row)]
    masked = mask_each(texts)
    return [masked[start:start + 9] for start in range(0, len(masked), 9)]


def _counts(row: CaseRow) -> list[str]:
    return [str(row.open_agreements), str(row.open_questions), str(row.overdue), f"{row.load_errors}/{row.load_warnings}"]


def _notice_lines(result: FollowUp, lang: str) -> list[str]:
    notices = [n for row in result.rows for n in row.consents]
    return mask_each([f"  {n.case}: {_sentence(result, n, lang)}" for n in notices])


def status_text(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    """The status table, through rich's Table. User text goes in as rich Text (styled
    spans, no markup), masked before it is laid out."""
    from rich.table import Table
    from rich.text import Text

    def text(*runs: tuple[str, str | None]) -> Text:
        made = Text()
        for index, (words, style) in enumerate(runs):
            if index:
                made.append("\n")
            made.append(words, style)
        return made

    console = terminal.console(out, color)
    _ = catalog(lang).gettext
    if not result.rows:
        console.print(_("No active cases."))
        return
    table = Table(title=_("Case status"), show_lines=False)
    for index, head in enumerate(_status_heads(lang)):
        if index < 4:
            table.add_column(head, overflow="fold", ratio=(2, 2, 3, 3)[index])
        else:
            table.add_column(head, overflow="fold", justify="right")
    for row, texts in zip(result.rows, _status_texts(result, lang), strict=True):
        title, case, coordinator, phase, meeting, agreements, questions, overdue, load = texts
        table.add_row(text((title, None), (case, "dim")), text((coordinator, None)), text((phase, None)),
                      text((meeting, "red" if row.next_meeting_passed else None)), agreements, questions,
                      text((overdue, "bold red" if row.overdue else None)),
                      text((load, "bold red" if row.load_errors else None)))
    console.print(table)
    notices = _notice_lines(result, lang)
    if notices:
        console.print(text((consents_title(lang), "yellow")))
        for notice in notices:
            console.print(Text(notice))


def status_json(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
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
    write_json(out, {"problems": problem_rows(result.problems, lang), "cases": rows_json(rows)})


def status_md(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    from familieplan.render.markdown import escape_inline as esc

    _ = catalog(lang).gettext
    lines = ["# " + _("Case status"), ""]
    if not result.rows:
        lines.append(_("No active cases."))
    else:
        heads = _status_heads(lang)
        lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        for row in result.rows:
            cells = [f"{row.title} ({row.case})", row.coordinator_name or row.coordinator or "", _phase(row, lang),
                     _next(row, lang), str(row.open_agreements), str(row.open_questions), str(row.overdue),
                     f"{row.load_errors}/{row.load_warnings}"]
            lines.append("| " + " | ".join(esc(c) for c in cells) + " |")
        notices = [n for row in result.rows for n in row.consents]
        if notices:
            lines += ["", f"## {consents_title(lang)}", ""]
            lines += [f"- {esc(n.case)}: {esc(_sentence(result, n, lang))}" for n in notices]
    out.write("\n".join(lines) + "\n")
