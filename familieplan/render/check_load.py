"""`check-load`'s reporters: its findings (in the words of `render/finding_words.py`), the
weekly load of each person as a heat row, and attendance, in three formats: a terminal
view, JSON for tools, Markdown to paste into an agenda."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from familieplan.commands.check_load import LoadResult, PersonLoad
from familieplan.render import danish as d
from familieplan.render import terminal
from familieplan.render.attendance import md_table, tally_json, tally_line
from familieplan.render.attendance import title as attendance_title
from familieplan.render.attendance import until as attendance_until
from familieplan.render.catalog import catalog
from familieplan.render.csvout import CsvReporter, Table
from familieplan.render.finding_words import Describer
from familieplan.render.github import write_annotation, write_problems
from familieplan.render.jsonout import encode_row, problem_rows, rows_json, write_json
from familieplan.schedule.attendance import AttendanceTally
from familieplan.schedule.findings import Finding
from familieplan.schedule.progression import week_monday

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter


def finding_json(f: Finding, describer: Describer) -> dict[str, object]:
    out: dict[str, object] = {
        "case": f.case,
        "person": f.person,
        "code": f.code,
        "level": f.level,
        "interventions": [r.id for r in f.refs if r.kind == "intervention"],
        "meetings": [r.id for r in f.refs if r.kind == "meeting"],
        "departments": f.departments,
        "responsible": f.responsible,
        "first": f.first.isoformat(),
        "last": f.last.isoformat(),
        "weeks": [f"{y}-W{n:02d}" for y, n in f.weeks],
        "occurrences": f.occurrences,
        "hours": None,
        "sources": [str(s) for s in f.sources],
        "message": describer.message(f),
    }
    if f.code == "over-capacity":
        out["hours"] = {"hours": f.hours, "limit": f.limit,
                        "week": f"{f.worst_week[0]}-W{f.worst_week[1]:02d}" if f.worst_week else None}
    elif f.limit is not None:
        out["limit"] = f.limit
    return out


def json_report(result: LoadResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    """{"problems": [...], "findings": [...], "summary": {...}}: the same shape whether the
    files validate or not (README, "JSON output")."""
    describer = Describer(result.settings, result.cases, lang)
    # Attendance rows have their own list (docs/guide.md, "JSON output"). Findings are encoded
    # as they are written, so that the text of all of them is never held at once.
    write_json(out, {
        "problems": problem_rows(result.problems, lang),
        "findings": (encode_row(finding_json(f, describer)) for f in result.findings),
        "attendance": rows_json([tally_json(t) for t in result.attendance]),
    }, {"errors": result.errors, "warnings": result.warnings, **_reader_summary(result)})


def _reader_summary(result: LoadResult) -> dict[str, object]:
    """For a named reader: who, and how many findings and attendance rows were left out
    (`omitted` > 0 exactly when something was)."""
    if result.reader is None:
        return {}
    return {"for": result.reader, "omitted": result.omitted + result.omitted_attendance,
            "hidden_demands": result.hidden_demands}


BARS = "▁▂▃▄▅▆▇█"


def heat_row(load: PersonLoad) -> tuple[str, list[bool], bool]:
    """One character per week (per month when the window is longer than two years; the
    third value says which)."""
    hours = load.hours
    weeks = sorted(hours)
    if not weeks:
        return "", [], False
    monthly = len(weeks) > 104
    if monthly:
        buckets: dict[tuple[int, int], float] = {}
        for week in weeks:
            monday = week_monday(week)
            key = (monday.year, monday.month)
            buckets[key] = max(buckets.get(key, 0.0), hours[week])
        values = list(buckets.values())
    else:
        values = [hours[w] for w in weeks]
    chars, over = [], []
    for value in values:
        if value <= 0:
            chars.append("·")
        else:
            level = min(len(BARS) - 1, int(value / max(load.limit, 0.01) * (len(BARS) - 1)))
            chars.append(BARS[level])
        over.append(value > load.limit)
    return "".join(chars), over, monthly


def summary(result: LoadResult, lang: str) -> str:
    """'2 fejl og 1 advarsel' / 'No findings: …'; for a reader from whom findings were
    held back, never "no findings": how many concern what they may not see."""
    cat = catalog(lang)
    hidden = omitted_line(result, lang)
    if not result.findings and not (result.errors or result.warnings):
        if hidden:
            return cat.gettext("{hidden}; nothing else was found.").format(hidden=hidden)
        return cat.gettext("No findings: the week holds together for everyone.")
    counts = d.join([cat.ngettext("{n} error", "{n} errors", result.errors).format(n=result.errors),
                     cat.ngettext("{n} warning", "{n} warnings", result.warnings).format(n=result.warnings)], lang)
    return f"{counts}; {hidden}" if hidden else counts


def omitted_line(result: LoadResult, lang: str) -> str | None:
    """'4 fund vedrører områder, som du ikke har samtykke til at se' (None: nothing held back)."""
    if not result.omitted:
        return None
    return catalog(lang).ngettext("{n} finding concerns areas you have no consent to see",
                                  "{n} findings concern areas you have no consent to see",
                                  result.omitted).format(n=result.omitted)


def _held_back_notes(result: LoadResult, lang: str) -> list[str]:
    """The reader's notes on attendance rows and demands left out of the view."""
    cat = catalog(lang)
    notes = []
    if result.omitted_attendance:
        notes.append(cat.ngettext(
            "{n} attendance row was left out because the consent does not cover it.",
            "{n} attendance rows were left out because the consent does not cover them.",
            result.omitted_attendance).format(n=result.omitted_attendance))
    if result.hidden_demands and result.overviews:
        notes.append(cat.gettext("The weekly load adds up only what you may see; the week holds other "
                                 "demands as well."))
    return notes


def _overview_line(load: PersonLoad, lang: str) -> tuple[str, str, list[bool]]:
    cat = catalog(lang)
    row, over, monthly = heat_row(load)
    scale = cat.gettext("1 character = 1 month") if monthly else cat.gettext("1 character = 1 week")
    head = cat.gettext("Weekly load, {name} (limit {limit} hours, {scale}, {first} → {last}):").format(
        name=load.name, limit=cat.number(load.limit), scale=scale,
        first=d.iso_week(load.window[0]), last=d.iso_week(load.window[1]))
    return head, row, over


@dataclass
class _CasePart:
    findings: list[Finding] = field(default_factory=list)
    overviews: list[PersonLoad] = field(default_factory=list)
    attendance: list[AttendanceTally] = field(default_factory=list)


def text_report(result: LoadResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    """Each case's findings, weekly overviews and attendance, then the summary line."""
    describer = Describer(result.settings, result.cases, lang)
    parts: dict[str, _CasePart] = {}
    for f in result.findings:
        parts.setdefault(f.case, _CasePart()).findings.append(f)
    for load in result.overviews:
        parts.setdefault(load.case, _CasePart()).overviews.append(load)
    for tally in result.attendance:
        parts.setdefault(tally.case, _CasePart()).attendance.append(tally)
    titles = {s.case: s.title for s in result.cases}
    with terminal.Writer(out, color) as lines:
        for case in sorted(parts):
            part = parts[case]
            _case_block(lines, case, titles.get(case, case), part.findings, part.overviews, part.attendance,
                        describer, lang)
        for note in _held_back_notes(result, lang):
            lines.line(note)
        lines.line(summary(result, lang))


def _case_block(lines: terminal.Writer, case: str, title: str, findings: Sequence[Finding],
                overviews: Sequence[PersonLoad], tallies: Sequence[AttendanceTally], describer: Describer,
                lang: str) -> None:
    cat = catalog(lang)
    talk_word, sources_word = cat.gettext("Should talk"), cat.gettext("Sources")
    lines.line((title, "bold"), f" ({case})")
    current = None
    for f in findings:
        if f.person != current:
            current = f.person
            lines.line((describer.name(case, f.person), "bold"), indent=2)
        style = "bold red" if f.level == "error" else "yellow"
        lines.line((f"{cat.level(f.level)} {f.code}", style), f": {describer.message(f)}", indent=4)
        talk = describer.talk(f)
        if talk and len(f.responsible) > 1:
            lines.line(f"{talk_word}: {talk}", indent=6)
        lines.line((sources_word + ": " + ", ".join(str(s) for s in f.sources), "dim"), indent=6)
    for load in overviews:
        head, row, over = _overview_line(load, lang)
        lines.line(head, indent=2)
        _heat_lines(lines, row, over)
    _attendance_text(lines, list(tallies), describer, lang)
    lines.line()


def _heat_lines(lines: terminal.Writer, row: str, over: list[bool]) -> None:
    """The heat row, a year (52 characters) a line where the width does not hold it whole,
    weeks over the limit in red."""
    step = len(row) if lines.width is None or len(row) + 4 <= lines.width else max(min(52, lines.width - 4), 1)
    for start in range(0, len(row), step):
        lines.line(*((c, "red" if o else None) for c, o in zip(row[start:start + step], over[start:start + step],
                                                            strict=False)), indent=4)


def _attendance_text(lines: terminal.Writer, tallies: list, describer: Describer, lang: str) -> None:
    person = None
    for tally in tallies:
        if tally.person != person:
            person = tally.person
            lines.line(f"{attendance_title(lang)}, {describer.name(tally.case, person)} "
                       f"({attendance_until(tally.last, lang)}):", indent=2)
        lines.line(tally_line(tally, lang), indent=4)


def md_report(result: LoadResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    """A Markdown report a caseworker can paste into a meeting agenda."""
    from familieplan.render.markdown import escape_inline as md_escape

    describer = Describer(result.settings, result.cases, lang)
    cat = catalog(lang)
    _ = cat.gettext
    lines = ["# " + _("Load across departments"), ""]
    if result.reader is None:
        lines += ["*" + md_escape(_("Internal view for the coordinating team: it names every department's "
                                     "demands. Give others the version made with --for.")) + "*", ""]
    else:
        name = describer.name(result.cases[0].case, result.reader) if result.cases else result.reader
        lines += ["*" + md_escape(_("For {name}: only what the consent allows.").format(name=name)) + "*", ""]
        for note in [omitted_line(result, lang), *_held_back_notes(result, lang)]:
            if note:
                lines += ["*" + md_escape(note) + "*", ""]
    heads = "| " + " | ".join((_("Person"), _("Level"), _("Finding"), _("Should talk"))) + " |"
    titles = {s.case: s.title for s in result.cases}
    by_case: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_case.setdefault(f.case, []).append(f)
    for case, findings in sorted(by_case.items()):
        lines += [f"## {md_escape(titles.get(case, case))} ({md_escape(case)})", "",
                  heads, "|---|---|---|---|"]
        for f in findings:
            lines.append(f"| {md_escape(describer.name(case, f.person))} | {cat.level(f.level)} `{f.code}` | "
                         f"{md_escape(describer.message(f))} | {md_escape(describer.talk(f))} |")
        lines.append("")
    if result.attendance:
        lines += [f"## {attendance_title(lang)}", "",
                  *md_table(result.attendance, describer.name, lang, md_escape), ""]
    lines.append(summary(result, lang))
    out.write("\n".join(lines) + "\n")


def load_tables(result: LoadResult, lang: str) -> list[Table]:
    """CSV: one row per finding, then one per attendance tally (the JSON's two lists)."""
    describer = Describer(result.settings, result.cases, lang)
    return [Table("check-load", "findings", [finding_json(f, describer) for f in result.findings]),
            Table("check-load", "attendance", [tally_json(t) for t in result.attendance])]


def github_report(result: LoadResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    """GitHub Actions annotations: one per problem, then one per finding at its first place."""
    describer = Describer(result.settings, result.cases, lang)
    write_problems(out, result.problems, lang)
    for f in result.findings:
        write_annotation(out, f.level, f.sources[0] if f.sources else None, f.code, describer.message(f))
    for note in [omitted_line(result, lang), *_held_back_notes(result, lang)]:  # a reader's view says what it held back
        if note:
            write_annotation(out, "notice", None, "omitted", note)


REPORTERS: dict[str, Reporter] = {"text": text_report, "json": json_report, "md": md_report,
                                  "csv": CsvReporter(load_tables), "github": github_report}
