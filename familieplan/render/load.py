"""Words for `check-load` findings (Danish by default, English on request) and the three
output formats: a terminal view, JSON for tools, Markdown to paste into an agenda."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO

from familieplan.commands.check_load import CaseLoad, CaseRows, CaseSummary, LoadResult, PersonLoad
from familieplan.format.cpr import masked_utf8
from familieplan.render import danish as d
from familieplan.render import terminal, words
from familieplan.render.attendance import absence_message, md_table, tally_json, tally_line
from familieplan.render.attendance import title as attendance_title
from familieplan.render.attendance import until as attendance_until
from familieplan.render.catalog import catalog
from familieplan.render.jsonout import JsonWriter, encode_row, problem_rows, rows_json, write_json
from familieplan.render.jsonout import json_string as _json_string
from familieplan.render.privacy import write_masked
from familieplan.schedule.attendance import AttendanceTally
from familieplan.schedule.demands import DemandRef, week_monday
from familieplan.schedule.findings import Finding
from familieplan.settings import Settings


def area_name(area: str, settings: Settings, lang: str) -> str:
    """An area in running text: 'beskæftigelse', 'employment'."""
    return words.area_name(area, settings, lang).lower()


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


# '3 gange', '1 uge': a count with its word, in the reader's language (made once per number).
@functools.lru_cache(maxsize=1024)
def _times(lang: str, n: int) -> str:
    return catalog(lang).ngettext("{n} time", "{n} times", n).format(n=n)


@functools.lru_cache(maxsize=1024)
def _weeks(lang: str, n: int) -> str:
    return catalog(lang).ngettext("{n} week", "{n} weeks", n).format(n=n)


@functools.lru_cache(maxsize=1024)
def _days(lang: str, n: int) -> str:
    return catalog(lang).ngettext("{n} day", "{n} days", n).format(n=n)


@functools.lru_cache(maxsize=512)
def _weekdays(weekdays: tuple[int, ...], lang: str) -> str:
    return d.join([d.weekday_plural(i, lang) for i in weekdays], lang)


class _Words:
    """The words of one settings and language that do not depend on a case (areas, the
    phases' focus, sentence templates): made once and shared by the describers of every
    case a worker renders, instead of once per case."""

    __slots__ = ("settings", "lang", "areas", "focus", "templates")

    def __init__(self, settings: Settings, lang: str) -> None:
        self.settings = settings  # held, so that its identity stays its own
        self.lang = lang
        self.areas: dict[str, str] = {}
        self.focus: dict[tuple[object, ...], tuple[str, str]] = {}
        self.templates: dict[str, str] = {}


_LAST_WORDS: _Words | None = None


def _words_of(settings: Settings, lang: str) -> _Words:
    """The shared words of the settings and language used last (a run renders with one)."""
    global _LAST_WORDS
    last = _LAST_WORDS
    if last is None or last.settings is not settings or last.lang != lang:
        last = _LAST_WORDS = _Words(settings, lang)
    return last


class Describer:
    """Turns findings into sentences that say who is loaded, by what, and who must talk."""

    def __init__(self, settings: Settings, summaries: list[CaseSummary], lang: str) -> None:
        self.settings = settings
        self.lang = lang
        self.cat = catalog(lang)
        self.cases = {s.case: s for s in summaries}
        self._demands: dict[tuple[str, str, str], str] = {}
        self._demand_lists: dict[tuple[int, ...], str] = {}  # by the identity of a finding's refs
        words = _words_of(settings, lang)
        self._focus = words.focus
        self._areas = words.areas
        self._templates = words.templates

    def name(self, case: str, some_id: str | None) -> str:
        if not some_id:
            return ""
        summary = self.cases.get(case)
        return summary.names.get(some_id, some_id) if summary else some_id

    def demand(self, f: Finding, ref) -> str:  # type: ignore[no-untyped-def]
        key = (f.case, ref.kind, ref.id)
        text = self._demands.get(key)
        if text is None:
            who = [self.settings.department_name(ref.department)] if ref.department else []
            if ref.responsible:
                who.append(self.name(f.case, ref.responsible))
            text = self._demands[key] = f"{ref.title} ({', '.join(who)})" if who else ref.title
        return text

    def times(self, n: int) -> str:
        return _times(self.lang, n)

    def weeks(self, n: int) -> str:
        return _weeks(self.lang, n)

    def days(self, n: int) -> str:
        return _days(self.lang, n)

    def when(self, f: Finding) -> str:
        return d.period(f.first, f.last, self.lang)

    def weekdays(self, f: Finding) -> str:
        return _weekdays(f.weekdays, self.lang)

    def message(self, f: Finding) -> str:
        """The finding as one sentence: who is loaded, by what, when and how often."""
        if f.code in ("overlap", "short-gap"):
            return self._pair_message(f)
        if f.code == "unavailable":
            return self.cat.gettext("{demands} falls in a time {person} is not available{why}, {when} ({times})").format(
                demands=self._demands_of(f), person=self.name(f.case, f.person), when=self.when(f),
                why=f" ({f.detail['reason']})" if f.detail.get("reason") else "", times=self.times(f.occurrences))
        if f.code in ("over-capacity", "too-many-departments"):
            return self._weekly_message(f)
        if f.code == "busy-day":
            return self.cat.gettext("{person} has up to {most} appointments in one day (limit {limit}) "
                                    "on {days}, {when}: {demands}").format(
                person=self.name(f.case, f.person), most=f.detail.get("appointments"),
                limit=self.cat.number(f.limit or 0), days=self.days(f.occurrences), when=self.when(f),
                demands=self._demands_of(f))
        if f.code == "off-focus":
            return self._focus_message(f)
        if f.code == "absence-with-cause":
            return absence_message(f, self.settings, lambda some_id: self.name(f.case, some_id), self.lang)
        return f"{f.code}: {self._demands_of(f)}, {self.when(f)}"  # pragma: no cover - every code is handled above

    def _demands_of(self, f: Finding) -> str:
        key = tuple(map(id, f.refs))  # the refs live as long as the findings that hold them
        text = self._demand_lists.get(key)
        if text is None:
            text = self._demand_lists[key] = d.join([self.demand(f, r) for r in f.refs], self.lang)
        return text

    def _pair_message(self, f: Finding) -> str:
        _ = self.cat.gettext
        demands = self._demands_of(f)
        if len(f.refs) == 1:
            demands = demands + " (" + _("two appointments") + ")"
        days = f", {self.weekdays(f)}" if f.occurrences > 1 else ""
        if f.code == "overlap":
            sentence = _("{demands} overlap for {person}{days}, {when} ({times})")
        else:
            sentence = _("{demands} are less than {gap} minutes apart for {person}{days}, {when} ({times})")
        return sentence.format(demands=demands, gap=self._gap(f), person=self.name(f.case, f.person), days=days,
                               when=self.when(f), times=self.times(f.occurrences))

    def _weekly_message(self, f: Finding) -> str:
        _ = self.cat.gettext
        number = self.cat.number
        values = {"person": self.name(f.case, f.person), "weeks": d.weeks_text(f.weeks, self.lang),
                  "worst": d.weeks_text([f.worst_week], self.lang) if f.worst_week else "",
                  "n_weeks": self.weeks(f.occurrences), "demands": self._demands_of(f),
                  "hours": number(f.hours or 0), "limit": number(f.limit or 0)}
        if f.code == "over-capacity":
            return _("{person} has more than {limit} hours a week in {n_weeks}: {weeks}; "
                     "at most {hours} hours in {worst}. The demands come from {demands}").format(**values)
        departments = [self.settings.department_name(x) for x in _strings(f.detail.get("departments_in_worst_week"))]
        return _("{hours} departments place demands on {person} in one week (limit {limit}) "
                 "in {n_weeks}: {weeks}; in {worst}: {departments}").format(
            departments=d.join(departments, self.lang), **values)

    def _focus_message(self, f: Finding) -> str:
        detail = f.detail
        key = (detail.get("phase"), detail.get("phase_name"), *_strings(detail.get("focus")))
        words = self._focus.get(key)
        if words is None:
            words = self._focus[key] = (f"{key[0]} »{key[1]}«", d.join([self._area(str(a)) for a in key[2:]], self.lang))
        return self._focus_template.format(
            demands=self._demands_of(f), area=self._area(str(detail.get("area"))), phase=words[0], focus=words[1],
            when=d.period(f.first, f.last, self.lang), times=_times(self.lang, f.occurrences))

    @property
    def _focus_template(self) -> str:
        text = self._templates.get("off-focus")
        if text is None:
            text = self._templates["off-focus"] = self.cat.gettext(
                "{demands} is about {area} but falls in phase {phase}, whose focus is {focus}, {when} ({times})")
        return text

    def _area(self, area: str) -> str:
        text = self._areas.get(area)
        if text is None:
            text = self._areas[area] = area_name(area, self.settings, self.lang)
        return text

    def _gap(self, f: Finding) -> int:
        gap = f.detail.get("min_gap")
        return gap if isinstance(gap, int) and gap > 0 else 30

    def talk(self, f: Finding) -> str:
        """Who must talk to whom: the responsible professionals with their roles."""
        summary = self.cases.get(f.case)
        people = []
        for pro in f.responsible:
            role = summary.roles.get(pro, "") if summary else ""
            people.append(f"{self.name(f.case, pro)} ({role})" if role else self.name(f.case, pro))
        return d.join(people, self.lang)


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


class FindingRows:
    """`encode_row(finding_json(f, describer))` for the findings of one case, written
    straight as JSON text: the parts that repeat across a case's findings (the demands'
    ids, departments, responsible professionals and sources) are encoded once per set of
    demands, and strings go through the JSON encoder's own string function, so the text is
    the encoder's, byte for byte (a test compares them over the examples and a generated
    caseload). About three times faster than a dict per finding, encoded."""

    def __init__(self, describer: Describer) -> None:
        self.describer = describer
        self._refs: dict[tuple[int, ...], tuple[str, str]] = {}
        self._heads: dict[tuple[str, str, str, str], str] = {}  # case, person, code, level

    def _encode_refs(self, refs: tuple[DemandRef, ...]) -> tuple[str, str]:
        string = _json_string
        if len(refs) == 1:
            [ref] = refs
            ident = string(ref.id)
            return ('"interventions": [{}], "meetings": [{}], "departments": [{}], "responsible": [{}]'.format(
                ident if ref.kind == "intervention" else "", ident if ref.kind == "meeting" else "",
                string(ref.department) if ref.department else "", string(ref.responsible) if ref.responsible else ""),
                string(str(ref.source)))
        departments = sorted({r.department for r in refs if r.department})
        responsible = sorted({r.responsible for r in refs if r.responsible})
        return ('"interventions": [{}], "meetings": [{}], "departments": [{}], "responsible": [{}]'.format(
            ", ".join(string(r.id) for r in refs if r.kind == "intervention"),
            ", ".join(string(r.id) for r in refs if r.kind == "meeting"),
            ", ".join(map(string, departments)), ", ".join(map(string, responsible))),
            ", ".join(string(str(r.source)) for r in refs))

    def tally(self, t: AttendanceTally) -> str:
        """`encode_row(tally_json(t))`, written straight."""
        string = _json_string
        rate = "null" if t.rate is None else float.__repr__(round(t.rate, 4))
        department = string(t.ref.department) if t.ref.department is not None else "null"
        return (f'{{"case": {string(t.case)}, "person": {string(t.person)}, "intervention": {string(t.ref.id)}, '
                f'"department": {department}, "from": "{t.first.isoformat()}", "to": "{t.last.isoformat()}", '
                f'"planned": {t.planned}, "cancelled": {t.cancelled}, "no_show": {t.no_show}, '
                f'"attended": {t.attended}, "rate": {rate}}}')

    def row(self, f: Finding) -> str:
        key = tuple(map(id, f.refs))  # the refs live as long as the findings that hold them
        parts = self._refs.get(key)
        if parts is None:
            parts = self._refs[key] = self._encode_refs(f.refs)
        refs, sources = parts
        if f.at is not None:
            sources = _json_string(str(f.at)) + (", " + sources if sources else "")
        head = self._heads.get((f.case, f.person, f.code, f.level))
        if head is None:
            string = _json_string
            head = self._heads[(f.case, f.person, f.code, f.level)] = (
                f'{{"case": {string(f.case)}, "person": {string(f.person)}, "code": {string(f.code)}, '
                f'"level": {string(f.level)}, ')
        weeks = ", ".join([f'"{y}-W{n:02d}"' for y, n in f.weeks]) if f.weeks else ""
        occurrences = str(f.occurrences) if type(f.occurrences) is int else encode_row(f.occurrences)
        hours = "null"
        limit = ""
        if f.code == "over-capacity":
            hours = encode_row({"hours": f.hours, "limit": f.limit,
                                "week": f"{f.worst_week[0]}-W{f.worst_week[1]:02d}" if f.worst_week else None})
        elif f.limit is not None:
            limit = ', "limit": ' + encode_row(f.limit)
        return (f'{head}{refs}, "first": "{f.first.isoformat()}", "last": "{f.last.isoformat()}", '
                f'"weeks": [{weeks}], "occurrences": {occurrences}, "hours": {hours}, "sources": [{sources}], '
                f'"message": {_json_string(self.describer.message(f))}{limit}}}')


def case_rows(load: CaseLoad, settings: Settings, lang: str) -> CaseRows:
    """One case's rows of `json_report` (`check_load(rows=(case_rows, lang))`) as one
    block each of findings and attendance, masked here (in the worker, once) and written
    past the output's mask."""
    describer = Describer(settings, [load.summary] if load.summary else [], lang)
    errors = sum(f.level == "error" for f in load.findings)
    # One block of rows per case (rows joined as the writer joins rows), masked in one pass.
    rows = FindingRows(describer)
    findings = ",\n".join(map(rows.row, load.findings))
    attendance = ",\n".join(map(rows.tally, load.attendance))
    return CaseRows(errors, len(load.findings) - errors,
                    (masked_utf8(findings),) if findings else (),
                    (masked_utf8(attendance),) if attendance else ())


class JsonStream:
    """`json_report` written as the cases come (`check_load(sink=…)`): the findings first,
    each case's rows as soon as they arrive, then the attendance rows, the problems and
    the summary (`finish`), so that the findings of all cases are never held at once."""

    def __init__(self, out: IO[str], lang: str) -> None:
        self.out = out
        self.lang = lang
        self._writer: JsonWriter | None = None
        self.attendance: list[bytes] = []

    @property
    def writer(self) -> JsonWriter:
        """Started at the first case, so that a usage error before it leaves no output."""
        if self._writer is None:
            self._writer = JsonWriter(self.out)
            self._writer.start("findings")
        return self._writer

    def __call__(self, rows: CaseRows) -> None:
        self.writer.rows(rows.findings, masked=True)
        self.attendance.extend(rows.attendance)

    def finish(self, result: LoadResult) -> None:
        self.writer.start("attendance")
        for start in range(0, len(self.attendance), 1000):  # never all rows joined into one string
            self.writer.rows(self.attendance[start:start + 1000], masked=True)
        self.writer.start("problems")
        rows = list(problem_rows(result.problems, self.lang, result.rendered))
        for start in range(0, len(rows), 1000):
            self.writer.rows(rows[start:start + 1000], masked=True)
        self.writer.close({"errors": result.errors, "warnings": result.warnings})


def json_report(result: LoadResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    """{"problems": [...], "findings": [...], "summary": {...}}: the same shape whether the
    files validate or not (docs/guide.md, "JSON output")."""
    if result.rows is not None:  # made per case (and cached) by `case_rows`
        write_json(out, {
            "problems": problem_rows(result.problems, lang, result.rendered),
            "findings": (row.decode() for case in result.rows for row in case.findings),
            "attendance": (row.decode() for case in result.rows for row in case.attendance),
        }, {"errors": result.errors, "warnings": result.warnings})
        return
    describer = Describer(result.settings, result.cases, lang)
    # Attendance rows have their own list (docs/guide.md, "JSON output"). Findings are encoded
    # as they are written, so that the text of all of them is never held at once.
    write_json(out, {
        "problems": problem_rows(result.problems, lang, result.rendered),
        "findings": (encode_row(finding_json(f, describer)) for f in result.findings),
        "attendance": rows_json([tally_json(t) for t in result.attendance]),
    }, {"errors": result.errors, "warnings": result.warnings})


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
    """'2 fejl og 1 advarsel' / 'No findings: …'."""
    cat = catalog(lang)
    if not result.findings and not (result.errors or result.warnings):
        return cat.gettext("No findings: the week holds together for everyone.")
    return d.join([cat.ngettext("{n} error", "{n} errors", result.errors).format(n=result.errors),
                   cat.ngettext("{n} warning", "{n} warnings", result.warnings).format(n=result.warnings)], lang)


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
    if result.rows is not None:  # made per case (and cached) by `case_text`
        stream = TextStream(out, lang)
        for rows in result.rows:
            stream(rows)
        stream.finish(result)
        return
    describer = Describer(result.settings, result.cases, lang)
    parts: dict[str, _CasePart] = {}
    for f in result.findings:
        parts.setdefault(f.case, _CasePart()).findings.append(f)
    for load in result.overviews:
        parts.setdefault(load.case, _CasePart()).overviews.append(load)
    for tally in result.attendance:
        parts.setdefault(tally.case, _CasePart()).attendance.append(tally)
    titles = {s.case: s.title for s in result.cases}
    with terminal.Lines(out, color) as lines:
        for case in sorted(parts):
            part = parts[case]
            _case_block(lines, case, titles.get(case, case), part.findings, part.overviews, part.attendance,
                        describer, lang)
        lines.line(summary(result, lang))


def case_text(load: CaseLoad, settings: Settings, view: tuple[str, bool]) -> CaseRows:
    """One case's block of `text_report` (`check_load(rows=(case_text, (lang, color)))`),
    masked here (in the worker, once) and written past the output's mask."""
    lang, color = view
    errors = sum(f.level == "error" for f in load.findings)
    if load.summary is None:
        return CaseRows(errors, len(load.findings) - errors, (), ())
    buffer = io.StringIO()
    with terminal.Lines(buffer, color) as lines:
        _case_block(lines, load.summary.case, load.summary.title, load.findings, load.overviews, load.attendance,
                    Describer(settings, [load.summary], lang), lang)
    return CaseRows(errors, len(load.findings) - errors, (masked_utf8(buffer.getvalue()),), ())


def _case_block(lines: terminal.Lines, case: str, title: str, findings: Sequence[Finding],
                overviews: Sequence[PersonLoad], tallies: Sequence[AttendanceTally], describer: Describer,
                lang: str) -> None:
    cat = catalog(lang)
    talk_word, sources_word = cat.gettext("Should talk"), cat.gettext("Sources")
    lines.line(f"{lines.style('bold', title)} ({case})")
    current = None
    for f in findings:
        if f.person != current:
            current = f.person
            lines.line(f"  {lines.style('bold', describer.name(case, f.person))}")
        style = "bold red" if f.level == "error" else "yellow"
        lines.line(f"    {lines.style(style, f'{cat.level(f.level)} {f.code}')}: {describer.message(f)}")
        talk = describer.talk(f)
        if talk and len(f.responsible) > 1:
            lines.line(f"      {talk_word}: {talk}")
        lines.line(f"      {lines.style('dim', sources_word + ': ' + ', '.join(str(s) for s in f.sources))}")
    for load in overviews:
        head, row, over = _overview_line(load, lang)
        lines.line(f"  {head}")
        lines.line("    " + "".join(lines.style("red", c) if o else c for c, o in zip(row, over, strict=False)))
    _attendance_text(lines, list(tallies), describer, lang)
    lines.line()


class TextStream:
    """`text_report` written as the cases come (`check_load(sink=…)`): each case's block
    as soon as it arrives, then the summary line (`finish`)."""

    def __init__(self, out: IO[str], lang: str) -> None:
        self.out = out
        self.lang = lang

    def __call__(self, rows: CaseRows) -> None:
        if rows.findings:
            write_masked(self.out, b"".join(rows.findings))

    def finish(self, result: LoadResult) -> None:
        self.out.write(summary(result, self.lang) + "\n")


def _attendance_text(lines: terminal.Lines, tallies: list, describer: Describer, lang: str) -> None:
    person = None
    for tally in tallies:
        if tally.person != person:
            person = tally.person
            lines.line(f"  {attendance_title(lang)}, {describer.name(tally.case, person)} "
                       f"({attendance_until(tally.last, lang)}):")
        lines.line(f"    {tally_line(tally, lang)}")


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
        if result.omitted:
            lines += ["*" + md_escape(catalog(lang).ngettext(
                "{n} finding was left out because the consent does not cover it.",
                "{n} findings were left out because the consent does not cover them.",
                result.omitted).format(n=result.omitted)) + "*", ""]
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
