"""Words for `check-load` findings (Danish by default, English on request) and the three
output formats: a terminal view, JSON for tools, Markdown to paste into an agenda."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from familieplan.commands.check_load import CaseSummary, LoadResult, PersonLoad
from familieplan.render import danish as d
from familieplan.render import terminal, words
from familieplan.render.attendance import absence_message, md_table, tally_json, tally_line
from familieplan.render.attendance import title as attendance_title
from familieplan.render.attendance import until as attendance_until
from familieplan.render.catalog import catalog
from familieplan.render.jsonout import encode_row, problem_rows, rows_json, write_json
from familieplan.schedule.attendance import AttendanceTally
from familieplan.schedule.findings import Finding
from familieplan.schedule.progression import week_monday
from familieplan.settings import Settings

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter


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
    phases' focus, sentence templates), made once per report."""

    __slots__ = ("settings", "lang", "areas", "focus", "templates")

    def __init__(self, settings: Settings, lang: str) -> None:
        self.settings = settings  # held, so that its identity stays its own
        self.lang = lang
        self.areas: dict[str, str] = {}
        self.focus: dict[tuple[object, ...], tuple[str, str]] = {}
        self.templates: dict[str, str] = {}


class Describer:
    """Turns findings into sentences that say who is loaded, by what, and who must talk."""

    def __init__(self, settings: Settings, summaries: list[CaseSummary], lang: str) -> None:
        self.settings = settings
        self.lang = lang
        self.cat = catalog(lang)
        self.cases = {s.case: s for s in summaries}
        self._demands: dict[tuple[str, str, str], str] = {}
        self._demand_lists: dict[tuple[int, ...], str] = {}  # by the identity of a finding's refs
        words = _Words(settings, lang)
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


REPORTERS: dict[str, Reporter] = {"text": text_report, "json": json_report, "md": md_report}
