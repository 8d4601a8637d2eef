"""Words and output of `report`: text, JSON, Markdown and HTML (one small SVG chart per
indicator). Danish by default; the words come from the one catalog."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from familieplan.commands.report import (
    ACHIEVED,
    NO_MEASUREMENT,
    ON_TRACK,
    OPEN,
    OVERDUE,
    STANDING_STILL,
    WRONG_WAY,
    AreaShare,
    CaseOutcome,
    GoalOutcome,
    IndicatorFigures,
    Report,
)
from familieplan.render import danish as d
from familieplan.render import terminal
from familieplan.render.attendance import md_table, rate_text, tally_json, tally_line
from familieplan.render.attendance import title as attendance_title
from familieplan.render.catalog import Catalog, catalog
from familieplan.render.csvout import CsvReporter, Table
from familieplan.render.jsonout import problem_json, rows_json, write_json
from familieplan.render.statutory import rule_tally_json, tally_sentence
from familieplan.render.words import area_name

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter


def _status_word(status: str, cat: Catalog) -> str:
    """A goal's status or flag in the reader's words."""
    pgettext = cat.pgettext
    return {
        ACHIEVED: pgettext("goal status", "achieved"), WRONG_WAY: pgettext("goal status", "going the wrong way"),
        ON_TRACK: pgettext("goal status", "on track"), STANDING_STILL: pgettext("goal status", "standing still"),
        OPEN: pgettext("goal status", "open"), OVERDUE: pgettext("goal status", "measurement overdue"),
        NO_MEASUREMENT: pgettext("goal status", "no measurement yet"),
    }[status]


def _role_word(role: str, cat: Catalog) -> str:
    """A role in the plural, as in 'of the parents with a goal in …'."""
    pgettext = cat.pgettext
    words = {"parent": pgettext("role plural", "parents"), "child": pgettext("role plural", "children"),
             "other": pgettext("role plural", "others")}
    return words.get(role, role)


def goal_heads(lang: str) -> list[str]:
    _ = catalog(lang).gettext
    return [_("No."), _("Person"), _("Goals"), _("Baseline"), _("Latest"), _("Target"), _("Change"), _("Status")]


def share_heads(lang: str) -> list[str]:
    _ = catalog(lang).gettext
    return [_("Area"), _("Role"), _("With a goal"), _("Achieved at least one"), _("Share")]


NONE = "–"


def num(value: float | None, lang: str) -> str:
    """One decimal at most; a Danish decimal comma."""
    if value is None:
        return NONE
    text = catalog(lang).number(value)
    return "0" if text == "-0" else text


def pct(value: float, lang: str) -> str:
    return f"{num(value * 100, lang)} %"


def _value(point, unit: str | None, lang: str) -> str:  # type: ignore[no-untyped-def]
    if point is None:
        return NONE
    suffix = f" {unit}" if unit and unit != "%" else (" %" if unit == "%" else "")
    return f"{num(point.value, lang)}{suffix} ({d.date_short(point.date, lang)})"


def status_text(goal: GoalOutcome, lang: str) -> str:
    cat = catalog(lang)
    text = _status_word(goal.status, cat)
    if goal.status == ACHIEVED and goal.achieved_on:
        text += f" {d.date_short(goal.achieved_on, lang)}"
    return ", ".join([text, *(_status_word(f, cat) for f in goal.flags)])


def goal_row(goal: GoalOutcome, case: CaseOutcome, lang: str) -> list[str]:
    person = case.names.get(goal.person, goal.person)
    if goal.indicator is None:
        return [goal.goal, person, goal.text, NONE, NONE, NONE, NONE, status_text(goal, lang)]
    by = catalog(lang).pgettext("target date", "by {date}")
    target = num(goal.target, lang) + (f" {by.format(date=d.date_short(goal.target_by, lang))}"
                                       if goal.target_by else "")
    change = goal.change
    change_text = NONE if change is None else (("+" if change > 0 else "") + num(change, lang))
    return [goal.goal, person, goal.text, _value(goal.baseline, goal.unit, lang), _value(goal.latest, goal.unit, lang),
            target, change_text, status_text(goal, lang)]


def indicator_name(report: Report, indicator: str) -> str:
    return (report.settings.indicators or {}).get(indicator, indicator)


def share_sentence(share: AreaShare, report: Report, lang: str) -> str:
    cat = catalog(lang)
    return cat.gettext("{share} of the {role} with a goal in {area} achieved at least one ({n} of {m})").format(
        share=pct(share.share, lang), role=_role_word(share.role, cat),
        area=area_name(share.area, report.settings, lang).lower(), n=share.achieved, m=share.people)


def moved_sentence(fig: IndicatorFigures, report: Report, lang: str) -> str:
    return catalog(lang).ngettext("{name}: from {a} to {b} on average ({n} person)",
                                  "{name}: from {a} to {b} on average ({n} people)", fig.people).format(
        name=indicator_name(report, fig.indicator), a=num(fig.mean_baseline, lang), b=num(fig.mean_latest, lang),
        n=fig.people)


def _heading(report: Report, lang: str) -> list[str]:
    _ = catalog(lang).gettext
    who = report.options.recipient
    lines = [_("As of {date}.").format(date=d.date_long(report.options.today, lang))]
    if who is None:
        lines.append(_("Internal version with every goal. Do not pass it on."))
    else:
        names = report.cases[0].names if report.cases else {}
        lines.append(_("Prepared for {who}.").format(who=names.get(who, who)))
    return lines


def _omitted(case: CaseOutcome, lang: str) -> str | None:
    return omitted_sentence(case.omitted, lang) or None


def omitted_sentence(omitted: int, lang: str) -> str:
    """How many items the consent left out ("" when none)."""
    if not omitted:
        return ""
    _ = catalog(lang).gettext
    if omitted == 1:  # "Et punkt …": the singular names no number
        return _("An item was left out because the consent does not cover it.")
    return _("{n} items were left out because the consent does not cover them.").format(n=omitted)


# --- text ----------------------------------------------------------------------------------

def text_report(report: Report, out: IO[str], lang: str, color: bool | None = None) -> None:
    _ = catalog(lang).gettext
    baseline, latest, target, change = _("Baseline"), _("Latest"), _("Target"), _("Change")
    with terminal.Writer(out, color) as lines:
        lines.line((_("Outcomes"), "bold cyan"))
        for line in _heading(report, lang):
            lines.line(line)
        if not report.cases:
            lines.line()
            lines.line(_("No cases to report on."))
        for case in report.cases:
            lines.line()
            lines.line((case.title, "bold"), f" ({case.case})")
            for goal in case.goals:
                row = goal_row(goal, case, lang)
                lines.line(f"{row[0]} {row[1]}: {row[2]} — ", (row[7], _GOAL_STYLE.get(goal.status)), indent=2)
                if goal.indicator:
                    lines.line(f"{baseline} {row[3]}; {latest} {row[4]}; {target} {row[5]}; {change} {row[6]}",
                               indent=4)
            for tally in case.attendance:
                lines.line(f"{attendance_title(lang)}, {case.names.get(tally.person, tally.person)}: "
                           f"{tally_line(tally, lang)}", indent=2)
            omitted = _omitted(case, lang)
            if omitted:
                lines.line((omitted, "dim"), indent=2)
        if report.indicators or report.shares or report.rules:
            lines.line()
            lines.line((_("Across the cases"), "bold"))
            for fig in report.indicators:
                lines.line(moved_sentence(fig, report, lang), indent=2)
            for share in report.shares:
                lines.line(share_sentence(share, report, lang), indent=2)
            for rule_row in report.rules:
                lines.line(tally_sentence(rule_row, lang), indent=2)


_GOAL_STYLE = {ACHIEVED: "green", WRONG_WAY: "red", OVERDUE: "yellow"}


# --- JSON ----------------------------------------------------------------------------------

def _point(point) -> dict[str, object] | None:  # type: ignore[no-untyped-def]
    return None if point is None else {"date": point.date.isoformat(), "value": point.value}


def _goal_json(g: GoalOutcome, lang: str) -> dict[str, object]:
    return {"case": g.case, "goal": g.goal, "person": g.person, "role": g.role, "area": g.area, "text": g.text,
            "status": g.status, "flags": list(g.flags), "indicator": g.indicator, "unit": g.unit,
            "direction": g.direction, "baseline": _point(g.baseline), "latest": _point(g.latest),
            "target": g.target, "target_by": g.target_by.isoformat() if g.target_by else None,
            "change": g.change, "achieved": g.achieved_on.isoformat() if g.achieved_on else None,
            "message": status_text(g, lang)}


def report_lists(report: Report, lang: str) -> dict[str, list[dict[str, object]]]:
    """The report's lists as JSON objects (and CSV rows): cases, goals, attendance, and the
    figures across cases (indicators, shares)."""
    return {
        "cases": [{"case": c.case, "title": c.title, "omitted": c.omitted, "goals": len(c.goals)} for c in report.cases],
        "goals": [_goal_json(g, lang) for c in report.cases for g in c.goals],
        "attendance": [tally_json(t) for c in report.cases for t in c.attendance],
        "indicators": [{"indicator": f.indicator, "name": indicator_name(report, f.indicator),
                        "unit": f.unit, "people": f.people, "mean_baseline": f.mean_baseline,
                        "mean_latest": f.mean_latest, "message": moved_sentence(f, report, lang)}
                       for f in report.indicators],
        "shares": [{"area": s.area, "role": s.role, "people": s.people, "achieved": s.achieved,
                    "share": round(s.share, 4), "message": share_sentence(s, report, lang)}
                   for s in report.shares],
        "rules": [{**rule_tally_json(row), "message": tally_sentence(row, lang)} for row in report.rules],
    }


def json_report(report: Report, out: IO[str], lang: str, color: bool | None = None) -> None:
    """{"problems", "cases", "goals", "attendance", "indicators", "shares", "summary"}: the
    one JSON style (docs/guide.md, "JSON output"); goals and attendance rows name their case."""
    lists = {name: rows_json(rows) for name, rows in report_lists(report, lang).items()}
    write_json(out, {"problems": [problem_json(p, lang) for p in report.problems], **lists},
               {"today": report.options.today.isoformat(), "recipient": report.options.recipient,
                "cases": len(report.cases), "omitted": sum(c.omitted for c in report.cases)})


def report_tables(report: Report, lang: str) -> list[Table]:
    """CSV: one row per goal, then the figures across cases (indicators, then shares)."""
    lists = report_lists(report, lang)
    return [Table("report", name, lists[name]) for name in ("goals", "indicators", "shares")]


def _namer(case: CaseOutcome) -> Callable[[str, str], str]:
    return lambda _case, some_id: case.names.get(some_id, some_id)


# --- Markdown ------------------------------------------------------------------------------

def md_report(report: Report, out: IO[str], lang: str, color: bool | None = None) -> None:
    from familieplan.render.markdown import escape_inline as esc

    cat = catalog(lang)
    _ = cat.gettext
    lines = ["# " + _("Outcomes"), "", *(esc(x) for x in _heading(report, lang)), ""]
    if not report.cases:
        lines += [_("No cases to report on."), ""]
    heads = goal_heads(lang)
    for case in report.cases:
        lines += [f"## {esc(case.title)} ({esc(case.case)})", ""]
        if case.goals:
            lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
            lines += ["| " + " | ".join(esc(c) for c in goal_row(g, case, lang)) + " |" for g in case.goals]
            lines.append("")
        if case.attendance:
            lines += [f"### {attendance_title(lang)}", "", *md_table(case.attendance, _namer(case), lang, esc), ""]
        omitted = _omitted(case, lang)
        if omitted:
            lines += [f"*{esc(omitted)}*", ""]
    if report.indicators:
        indicator_heads = [_("Indicator"), _("People measured"), _("Mean baseline"), _("Mean latest")]
        lines += ["## " + _("Indicators"), "", "| " + " | ".join(indicator_heads) + " |", "|---|---:|---:|---:|"]
        lines += [f"| {esc(indicator_name(report, f.indicator))} | {f.people} | {num(f.mean_baseline, lang)} | "
                  f"{num(f.mean_latest, lang)} |" for f in report.indicators]
        lines.append("")
    if report.shares:
        lines += ["## " + _("Goals achieved by area and role"), "", "| " + " | ".join(share_heads(lang)) + " |",
                  "|---|---|---:|---:|---:|"]
        lines += [f"| {esc(area_name(s.area, report.settings, lang))} | {esc(_role_word(s.role, cat))} | {s.people} | "
                  f"{s.achieved} | {pct(s.share, lang)} |" for s in report.shares]
        lines.append("")
    if report.rules:
        lines += ["## " + _("Statutory deadlines"), "", *(f"- {esc(tally_sentence(row, lang))}" for row in report.rules),
                  ""]
    out.write("\n".join(lines).rstrip() + "\n")


# --- HTML ----------------------------------------------------------------------------------

def indicator_charts(report: Report, lang: str) -> list[dict[str, object]]:
    """One small SVG chart per indicator (mean baseline and latest), with its sentence."""
    from familieplan.render.chart import indicator_chart

    _ = catalog(lang).gettext
    return [{"name": indicator_name(report, f.indicator), "sentence": moved_sentence(f, report, lang),
             "svg": indicator_chart(f.mean_baseline or 0.0, f.mean_latest or 0.0, _("Baseline"), _("Latest"),
                                    _("{name}: mean baseline and latest measurement").format(
                                        name=indicator_name(report, f.indicator)), lang)}
            for f in report.indicators]


def attendance_heads(lang: str) -> list[str]:
    _ = catalog(lang).gettext
    return [_("Person"), _("Intervention"), _("Planned"), _("Cancelled"), _("No-show"), _("Attendance")]


def case_rows(case: CaseOutcome, lang: str) -> dict[str, object]:
    """One case's goals and attendance as table rows, and what was left out."""
    return {"title": case.title, "id": case.case, "goals": [goal_row(g, case, lang) for g in case.goals],
            "attendance": [[case.names.get(t.person, t.person), t.ref.title, str(t.planned), str(t.cancelled),
                            str(t.no_show), rate_text(t, lang)] for t in case.attendance],
            "omitted": _omitted(case, lang)}


def html_report(report: Report, out: IO[str], lang: str, color: bool | None = None) -> None:
    """The report as one HTML page (a workspace's own templates override the shipped one)."""
    from familieplan.render.env import render
    from familieplan.render.richtext import html_block, html_inline

    cat = catalog(lang)
    _ = cat.gettext
    charts = indicator_charts(report, lang)
    cases = [case_rows(c, lang) for c in report.cases]
    shares = [[area_name(s.area, report.settings, lang), _role_word(s.role, cat), str(s.people), str(s.achieved),
               pct(s.share, lang)] for s in report.shares]
    heading = _heading(report, lang)
    context = {
        "lang": lang, "title": _("Outcomes"), "case_title": _("Across the cases"),
        "case_id": str(len(report.cases)),
        "header": {"confidential": _("Confidential"), "for_whom": heading[1], "internal": ""},
        "as_of": heading[0], "cases": cases, "charts": charts, "shares": shares,
        "share_sentences": [share_sentence(s, report, lang) for s in report.shares],
        "rule_sentences": [tally_sentence(row, lang) for row in report.rules],
        "goal_heads": goal_heads(lang),
        "attendance_heads": attendance_heads(lang),
        "share_heads": share_heads(lang),
    }
    out.write(render("render/report.html.j2", context, report.workspace, html=True,
                     filters={"text": html_block, "inline": html_inline}, translations=cat.translations))


REPORTERS: dict[str, Reporter] = {"text": text_report, "json": json_report, "md": md_report, "html": html_report,
                                  "csv": CsvReporter(report_tables)}
