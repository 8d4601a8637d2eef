"""Words for `check-load` findings (Danish by default, English on request) and the three
output formats: a terminal view, JSON for tools, Markdown to paste into an agenda."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO

from familieplan.checks.load import Finding
from familieplan.commands.check_load import CaseSummary, LoadResult, PersonLoad
from familieplan.model import BUILTIN_AREAS, Settings
from familieplan.render import danish as d
from familieplan.schedule.demands import week_monday

AREA_EN = {"employment": "employment", "education": "education", "family": "family", "school": "school",
           "health": "health", "addiction": "addiction", "economy": "economy", "housing": "housing",
           "network": "network", "leisure": "leisure"}

WORDS = {
    "da": {
        "overlap": "overlapper", "times": "gange", "time": "gang", "limit": "grænse", "hours": "timer",
        "weeks": "uger", "week": "uge", "days": "dage", "day": "dag", "talk": "Bør tale sammen",
        "sources": "Kilder", "load": "Ugentlig belastning", "no_findings": "Ingen fund: ugen hænger sammen for alle.",
        "level_error": "fejl", "level_warning": "advarsel", "person": "Person", "finding": "Fund",
        "when": "Hvornår", "who": "Bør tale sammen", "level": "Niveau", "report": "Belastning på tværs af afdelinger",
        "summary": "{e} fejl og {w} advarsler", "and": "og",
    },
    "en": {
        "overlap": "overlap", "times": "times", "time": "time", "limit": "limit", "hours": "hours",
        "weeks": "weeks", "week": "week", "days": "days", "day": "day", "talk": "Should talk",
        "sources": "Sources", "load": "Weekly load", "no_findings": "No findings: the week holds together for everyone.",
        "level_error": "error", "level_warning": "warning", "person": "Person", "finding": "Finding",
        "when": "When", "who": "Should talk", "level": "Level", "report": "Load across departments",
        "summary": "{e} errors and {w} warnings", "and": "and",
    },
}


def number(value: float, lang: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "da" else text


def area_name(area: str, settings: Settings, lang: str) -> str:
    if lang == "en":
        return AREA_EN.get(area) or settings.areas.get(area, area)
    return (BUILTIN_AREAS.get(area) or settings.areas.get(area, area)).lower()


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


class Describer:
    """Turns findings into sentences that say who is loaded, by what, and who must talk."""

    def __init__(self, settings: Settings, summaries: list[CaseSummary], lang: str) -> None:
        self.settings = settings
        self.lang = lang
        self.w = WORDS[lang]
        self.cases = {s.case: s for s in summaries}
        self._demands: dict[tuple[str, str, str], str] = {}
        self._periods: dict[tuple, str] = {}

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

    def count(self, n: int, one: str, many: str) -> str:
        return f"{n} {self.w[one] if n == 1 else self.w[many]}"

    def when(self, f: Finding) -> str:
        key = (f.first, f.last)
        text = self._periods.get(key)
        if text is None:
            text = self._periods[key] = d.period(f.first, f.last, self.lang)
        return text

    def weekdays(self, f: Finding) -> str:
        names = d.WEEKDAY_PLURAL[self.lang]
        return d.join([names[i] for i in f.weekdays], self.lang)

    def message(self, f: Finding) -> str:
        lang = self.lang
        person = self.name(f.case, f.person)
        demands = d.join([self.demand(f, r) for r in f.refs], lang)
        times = self.count(f.occurrences, "time", "times")
        if f.code in ("overlap", "short-gap"):
            if len(f.refs) == 1:
                demands = f"{demands} ({'to aftaler' if lang == 'da' else 'two appointments'})"
            if f.code == "overlap":
                verb = "overlapper for" if lang == "da" else "overlap for"
            else:
                gap = self._gap(f)
                verb = (f"ligger under {gap} minutter fra hinanden for" if lang == "da"
                        else f"are less than {gap} minutes apart for")
            days = f", {self.weekdays(f)}" if f.occurrences > 1 else ""
            return f"{demands} {verb} {person}{days}, {self.when(f)} ({times})"
        if f.code == "unavailable":
            reason = f.detail.get("reason")
            why = f" ({reason})" if reason else ""
            if lang == "da":
                return f"{demands} ligger i et tidsrum, hvor {person} ikke kan{why}, {self.when(f)} ({times})"
            return f"{demands} falls in a time {person} is not available{why}, {self.when(f)} ({times})"
        if f.code in ("over-capacity", "too-many-departments"):
            weeks = d.weeks_text(f.weeks, lang)
            worst = d.weeks_text([f.worst_week], lang) if f.worst_week else ""
            n_weeks = self.count(f.occurrences, "week", "weeks")
            if f.code == "over-capacity":
                hours, limit = number(f.hours or 0, lang), number(f.limit or 0, lang)
                if lang == "da":
                    return (f"{person} har over {limit} timer om ugen i {n_weeks}: {weeks}; "
                            f"mest {hours} timer i {worst}. Kravene kommer fra {demands}")
                return (f"{person} has more than {limit} hours a week in {n_weeks}: {weeks}; "
                        f"at most {hours} hours in {worst}. The demands come from {demands}")
            departments = d.join([self.settings.department_name(x) for x in _strings(f.detail.get("departments_in_worst_week"))], lang)
            if lang == "da":
                return (f"{number(f.hours or 0, lang)} afdelinger stiller krav til {person} i samme uge "
                        f"(grænse {number(f.limit or 0, lang)}) i {n_weeks}: {weeks}; i {worst}: {departments}")
            return (f"{number(f.hours or 0, lang)} departments place demands on {person} in one week "
                    f"(limit {number(f.limit or 0, lang)}) in {n_weeks}: {weeks}; in {worst}: {departments}")
        if f.code == "busy-day":
            n_days = self.count(f.occurrences, "day", "days")
            most = f.detail.get("appointments")
            if lang == "da":
                return (f"{person} har op til {most} aftaler på én dag (grænse {number(f.limit or 0, lang)}) "
                        f"på {n_days}, {self.when(f)}: {demands}")
            return (f"{person} has up to {most} appointments in one day (limit {number(f.limit or 0, lang)}) "
                    f"on {n_days}, {self.when(f)}: {demands}")
        if f.code == "off-focus":
            area = area_name(str(f.detail.get("area")), self.settings, lang)
            focus = d.join([area_name(str(a), self.settings, lang) for a in _strings(f.detail.get("focus"))], lang)
            phase = f"{f.detail.get('phase')} »{f.detail.get('phase_name')}«"
            if lang == "da":
                return (f"{demands} handler om {area}, men ligger i fase {phase}, hvis fokus er {focus}, "
                        f"{self.when(f)} ({times})")
            return (f"{demands} is about {area} but falls in phase {phase}, whose focus is {focus}, "
                    f"{self.when(f)} ({times})")
        return f"{f.code}: {demands}, {self.when(f)}"  # pragma: no cover - every code is handled above

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


def json_report(result: LoadResult, out: IO[str], lang: str) -> None:
    describer = Describer(result.settings, result.cases, lang)
    write_json_lines((json.dumps(finding_json(f, describer), ensure_ascii=False) for f in result.findings), out)


def write_json_lines(rows: Iterable[str], out: IO[str]) -> None:
    """A JSON list with one object per line: readable, diffable, made by the C encoder
    (an indented dump is several times slower on a large workspace), and written as the
    rows are made, so that the text of all of them is never held at once."""
    first = True
    for row in rows:
        out.write("[\n" if first else ",\n")
        out.write(row)
        first = False
    out.write("[]\n" if first else "\n]\n")


BARS = "▁▂▃▄▅▆▇█"


def heat_row(load: PersonLoad) -> tuple[str, list[bool], str]:
    """One character per week (per month when the window is longer than two years)."""
    hours = load.hours
    weeks = sorted(hours)
    if not weeks:
        return "", [], ""
    if len(weeks) > 104:
        buckets: dict[tuple[int, int], float] = {}
        for week in weeks:
            monday = week_monday(week)
            key = (monday.year, monday.month)
            buckets[key] = max(buckets.get(key, 0.0), hours[week])
        values = list(buckets.values())
        unit = "måned"
    else:
        values = [hours[w] for w in weeks]
        unit = "uge"
    chars, over = [], []
    for value in values:
        if value <= 0:
            chars.append("·")
        else:
            level = min(len(BARS) - 1, int(value / max(load.limit, 0.01) * (len(BARS) - 1)))
            chars.append(BARS[level])
        over.append(value > load.limit)
    return "".join(chars), over, unit


def text_report(result: LoadResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, emoji=False, soft_wrap=True, force_terminal=color, no_color=color is False)
    describer = Describer(result.settings, result.cases, lang)
    w = WORDS[lang]
    by_case: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_case.setdefault(f.case, []).append(f)
    overviews: dict[str, list[PersonLoad]] = {}
    for load in result.overviews:
        overviews.setdefault(load.case, []).append(load)
    titles = {s.case: s.title for s in result.cases}
    for case in sorted(set(by_case) | set(overviews)):
        console.print(f"[bold]{escape(titles.get(case, case))}[/] ({escape(case)})")
        current = None
        for f in by_case.get(case, []):
            if f.person != current:
                current = f.person
                console.print(f"  [bold]{escape(describer.name(case, f.person))}[/]")
            style = "bold red" if f.level == "error" else "yellow"
            console.print(f"    [{style}]{w['level_' + f.level]} {f.code}[/]: {escape(describer.message(f))}")
            talk = describer.talk(f)
            if talk and len(f.responsible) > 1:
                console.print(f"      {w['talk']}: {escape(talk)}")
            console.print(f"      [dim]{w['sources']}: {escape(', '.join(str(s) for s in f.sources))}[/]")
        for load in overviews.get(case, []):
            row, over, unit = heat_row(load)
            unit_word = unit if lang == "da" else {"uge": "week", "måned": "month"}[unit]
            first, last = d.iso_week(load.window[0]), d.iso_week(load.window[1])
            console.print(f"  {w['load']}, {escape(load.name)} ({w['limit']} {number(load.limit, lang)} "
                          f"{w['hours']}, 1 tegn = 1 {unit_word}, {first} → {last}):")
            cells = "".join(f"[red]{c}[/]" if o else c for c, o in zip(row, over, strict=False))
            console.print(f"    {cells}")
        console.print()
    if not result.findings:
        console.print(w["no_findings"])
    else:
        console.print(w["summary"].format(e=result.errors, w=result.warnings))


def md_report(result: LoadResult, out: IO[str], lang: str) -> None:
    """A Markdown report a caseworker can paste into a meeting agenda."""
    from familieplan.render.markdown import escape_inline as md_escape

    describer = Describer(result.settings, result.cases, lang)
    w = WORDS[lang]
    lines = [f"# {w['report']}", ""]
    titles = {s.case: s.title for s in result.cases}
    by_case: dict[str, list[Finding]] = {}
    for f in result.findings:
        by_case.setdefault(f.case, []).append(f)
    if not by_case:
        lines += [w["no_findings"], ""]
    for case, findings in sorted(by_case.items()):
        lines += [f"## {md_escape(titles.get(case, case))} ({md_escape(case)})", "",
                  f"| {w['person']} | {w['level']} | {w['finding']} | {w['who']} |", "|---|---|---|---|"]
        for f in findings:
            lines.append(f"| {md_escape(describer.name(case, f.person))} | {w['level_' + f.level]} `{f.code}` | "
                         f"{md_escape(describer.message(f))} | {md_escape(describer.talk(f))} |")
        lines.append("")
    lines.append(w["summary"].format(e=result.errors, w=result.warnings))
    out.write("\n".join(lines) + "\n")


REPORTERS: dict[str, Callable[..., None]] = {"text": text_report, "json": json_report, "md": md_report}
