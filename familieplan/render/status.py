"""Output of `status`: one row per active case as a terminal table, JSON and Markdown.

The terminal table is rich's Table, laid out so that no case id and no word is broken
across lines (`status_text` says how it decides at a narrow width). User text goes in as
rich Text (never markup), masked before it is laid out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from familieplan.commands.followup import CaseRow, FollowUp
from familieplan.render import danish as d
from familieplan.render import terminal
from familieplan.render.catalog import catalog
from familieplan.render.consents import consents_title, notice_json
from familieplan.render.csvout import CsvReporter
from familieplan.render.csvout import Table as CsvTable
from familieplan.render.followup import _next, _phase, _sentence, _status_heads
from familieplan.render.jsonout import problem_rows, rows_json, write_json
from familieplan.render.privacy import mask_each

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from familieplan.render.reporter import Reporter

# The texts of a row, masked (`_status_texts`), in this order.
TITLE, CASE, COORDINATOR, PHASE, MEETING, AGREEMENTS, QUESTIONS, OVERDUE, LOAD = range(9)


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


@dataclass(frozen=True)
class _Row:
    """A row's masked texts, its counts as lines of words (for the compact table) and the
    styles its state gives them."""

    texts: list[str]
    follow_up: list[str]
    passed: bool  # the next meeting's date has passed
    overdue: bool
    load_errors: bool

    def count_styles(self) -> list[str | None]:
        return [None, None, "bold red" if self.overdue else None, "bold red" if self.load_errors else None]


def _follow_up(row: CaseRow, lang: str) -> list[str]:
    """The four counts as lines of words: '3 åbne aftaler', …, 'belastning: 6 fejl og 7 advarsler'."""
    cat = catalog(lang)
    load = d.join([cat.ngettext("{n} error", "{n} errors", row.load_errors).format(n=row.load_errors),
                   cat.ngettext("{n} warning", "{n} warnings", row.load_warnings).format(n=row.load_warnings)], lang)
    return [cat.ngettext("{n} open agreement", "{n} open agreements", row.open_agreements).format(n=row.open_agreements),
            cat.ngettext("{n} open question", "{n} open questions", row.open_questions).format(n=row.open_questions),
            cat.ngettext("{n} overdue", "{n} overdue", row.overdue).format(n=row.overdue),
            cat.gettext("load: {findings}").format(findings=load)]


def _text(*lines: tuple[str, str | None]) -> Text:
    """Lines of text, each with its style, as one rich Text (no markup)."""
    from rich.text import Text

    made = Text()
    for index, (words, style) in enumerate(lines):
        if index:
            made.append("\n")
        made.append(words, style)
    return made


def _wide(rows: Sequence[_Row], heads: Sequence[str]) -> tuple[list[str], list[list[Text]], list[str]]:
    """Eight columns: the case (title over id), coordinator, phase, next meeting and the
    four counts."""
    cells = []
    for row in rows:
        t = row.texts
        counts = [_text((t[AGREEMENTS + i], style)) for i, style in enumerate(row.count_styles())]
        cells.append([_text((t[TITLE], None), (t[CASE], "dim")), _text((t[COORDINATOR], None)),
                      _text((t[PHASE], None)), _text((t[MEETING], "red" if row.passed else None)), *counts])
    return list(heads[:8]), cells, ["left"] * 4 + ["right"] * 4


def _compact(rows: Sequence[_Row], heads: Sequence[str]) -> tuple[list[str], list[list[Text]], list[str]]:
    """Four columns: the case (title, id, coordinator), phase, next meeting, and the four
    counts in words, one to a line ('3 åbne aftaler')."""
    cells = []
    for row in rows:
        t = row.texts
        counts = list(zip(row.follow_up, row.count_styles(), strict=True))
        case = [(t[TITLE], None), (t[CASE], "dim"), *([(t[COORDINATOR], None)] if t[COORDINATOR] else [])]
        cells.append([_text(*case), _text((t[PHASE], None)), _text((t[MEETING], "red" if row.passed else None)),
                      _text(*counts)])
    return [heads[0], heads[2], heads[3], heads[8]], cells, ["left"] * 4


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in text.split()), default=0)


def _longest_line(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def _widths(heads: Sequence[str], cells: Sequence[Sequence[Text]], room: int) -> list[int] | None:
    """Column widths (of content) in `room` cells where no word of a head or a cell needs
    breaking: None when the longest words alone do not fit. The room left over makes
    columns as wide as their longest line, the one that needs least first (the counts, the
    names), and the rest goes to the longest texts."""
    columns = [[head, *(str(row[i]) for row in cells)] for i, head in enumerate(heads)]
    least = [max(_longest_word(text) for text in column) for column in columns]
    most = [max(_longest_line(text) for text in column) for column in columns]
    spare = room - sum(least)
    if spare < 0:
        return None
    widths = list(least)
    for index in sorted(range(len(widths)), key=lambda i: most[i] - least[i]):
        grow = min(max(most[index] - widths[index], 0), spare)
        widths[index] += grow
        spare -= grow
    return widths


def _table(title: str, heads: Sequence[str], cells: Sequence[Sequence[Text]], justify: Sequence[str],
           width: int) -> Table | None:
    """The table in `width`, or None when it cannot be laid out there without breaking a word."""
    from rich.table import Table

    table = Table(title=title)
    extra = 2 + len(heads) - 1  # the outer edges and the lines between the columns
    padding = 2 * len(heads)  # a space each side of every cell
    widths = _widths(heads, cells, width - extra - padding)
    if widths is None:
        return None
    for head, size, side in zip(heads, widths, justify, strict=True):
        table.add_column(head, width=size, justify=side, overflow="fold")  # type: ignore[arg-type]
    for row in cells:
        table.add_row(*row)
    return table


def status_text(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    """The status table, as wide as it needs and no wider than the terminal.

    How it decides: the wide table (eight columns) when every column can be at least as
    wide as the longest word in it, head included, so that no case id or word is broken;
    else the compact table (four columns: the case with its id and coordinator, phase,
    next meeting, and the four counts in words, one to a line: '3 åbne aftaler') by the
    same test; else a list, one block per case, wrapped at words. The widths are computed
    here (`_widths`), not left to rich, whose collapsing would fold words. Into a pipe
    nothing is wrapped: the wide table at its full width. User text is masked before any
    of it is laid out."""
    _ = catalog(lang).gettext
    with terminal.Writer(out, color) as lines:
        if not result.rows:
            lines.line(_("No active cases."))
            return
        rows = [_Row(texts, _follow_up(row, lang), row.next_meeting_passed, bool(row.overdue), bool(row.load_errors))
                for row, texts in zip(result.rows, _status_texts(result, lang), strict=True)]
        heads = (*_status_heads(lang), catalog(lang).gettext("Follow-up"))
        width = lines.width or terminal.UNWRAPPED
        for layout in (_wide, _compact):
            table = _table(_("Case status"), *layout(rows, heads), width)
            if table is not None:
                lines.print(table)
                break
        else:
            _status_list(lines, rows, heads, _("Case status"))
        notices = [n for row in result.rows for n in row.consents]
        if notices:
            if table is None:
                lines.line()
            lines.line((consents_title(lang), "yellow"))
            for notice in notices:
                lines.line(f"{notice.case}: {_sentence(result, notice, lang)}", indent=2)


def _status_list(lines: terminal.Writer, rows: Sequence[_Row], heads: Sequence[str], title: str) -> None:
    """One block per case: its title and id, then a line for each column, wrapped at words."""
    lines.line((title, "bold cyan"))
    for row in rows:
        t = row.texts
        lines.line()
        lines.line((t[TITLE], "bold"), " (", (t[CASE], "dim"), ")")
        for head, index in ((heads[1], COORDINATOR), (heads[2], PHASE)):
            if t[index]:
                lines.line(f"{head}: {t[index]}", indent=2)
        lines.line(f"{heads[3]}: ", (t[MEETING], "red" if row.passed else None), indent=2)
        counts: list[terminal.Run] = []
        for i, (words, style) in enumerate(zip(row.follow_up, row.count_styles(), strict=True)):
            counts += [", "] if i else []
            counts.append((words, style))
        lines.line(*counts, indent=2)


def status_rows(result: FollowUp, lang: str) -> list[dict[str, object]]:
    """One object per case (the JSON's `cases`, and the CSV's rows)."""
    rows: list[dict[str, object]] = []
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
    return rows


def status_json(result: FollowUp, out: IO[str], lang: str, color: bool | None = None) -> None:
    write_json(out, {"problems": problem_rows(result.problems, lang), "cases": rows_json(status_rows(result, lang))})


def status_tables(result: FollowUp, lang: str) -> list[CsvTable]:
    """CSV: one row per case."""
    return [CsvTable("status", "cases", status_rows(result, lang))]


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


REPORTERS: dict[str, Reporter] = {"text": status_text, "json": status_json, "md": status_md,
                                  "csv": CsvReporter(status_tables)}
