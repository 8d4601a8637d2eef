"""Words and output of `report`: text, JSON, Markdown and HTML (one small SVG chart per
indicator). Danish by default; the fixed words are in one da/en table, `WORDS`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO

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
from familieplan.render.attendance import WORDS as ATTENDANCE_WORDS
from familieplan.render.attendance import md_table, rate_text, tally_json, tally_line
from familieplan.render.words import area_name

WORDS = {
    "da": {
        "title": "Resultater", "confidential": "Fortroligt", "goal_id": "Nr.", "across": "På tværs af sagerne", "indicators": "Målepunkter",
        "shares": "Mål nået pr. område og rolle", "goals": "Mål", "attendance": "Fremmøde",
        ACHIEVED: "nået", WRONG_WAY: "går den forkerte vej", ON_TRACK: "på vej", STANDING_STILL: "står stille",
        OPEN: "åbent", OVERDUE: "måling forsinket", NO_MEASUREMENT: "ingen måling endnu",
        "baseline": "Udgangspunkt", "latest": "Seneste", "target": "Mål", "change": "Ændring", "status": "Status",
        "indicator": "Målepunkt", "people": "Personer målt", "mean_baseline": "Gns. udgangspunkt",
        "mean_latest": "Gns. seneste", "area": "Område", "role": "Rolle", "with_goal": "Med mål",
        "reached": "Har nået mindst ét", "share": "Andel", "goal": "Mål", "person": "Person",
        "parent": "forældre", "child": "børn", "other": "andre", "as_of": "Opgjort {date}.",
        "for_whom": "Udarbejdet til {who}.", "internal": "Intern version med alle mål. Må ikke videregives.",
        "omitted": "{n} punkter er udeladt, fordi samtykket ikke omfatter dem.",
        "omitted1": "Et punkt er udeladt, fordi samtykket ikke omfatter det.",
        "no_cases": "Ingen sager at gøre op.", "none": "–", "by": "inden {date}", "case": "Sag",
        "sentence": "{share} af {role} med et mål om {area} har nået mindst ét ({n} af {m})",
        "moved": "{name}: fra {a} til {b} i gennemsnit ({n} personer)",
        "chart_label": "{name}: gennemsnitligt udgangspunkt og seneste måling",
    },
    "en": {
        "title": "Outcomes", "confidential": "Confidential", "goal_id": "No.", "across": "Across the cases", "indicators": "Indicators",
        "shares": "Goals achieved by area and role", "goals": "Goals", "attendance": "Attendance",
        ACHIEVED: "achieved", WRONG_WAY: "going the wrong way", ON_TRACK: "on track",
        STANDING_STILL: "standing still", OPEN: "open", OVERDUE: "measurement overdue",
        NO_MEASUREMENT: "no measurement yet",
        "baseline": "Baseline", "latest": "Latest", "target": "Target", "change": "Change", "status": "Status",
        "indicator": "Indicator", "people": "People measured", "mean_baseline": "Mean baseline",
        "mean_latest": "Mean latest", "area": "Area", "role": "Role", "with_goal": "With a goal",
        "reached": "Achieved at least one", "share": "Share", "goal": "Goal", "person": "Person",
        "parent": "parents", "child": "children", "other": "others", "as_of": "As of {date}.",
        "for_whom": "Prepared for {who}.", "internal": "Internal version with every goal. Do not pass it on.",
        "omitted": "{n} items were left out because the consent does not cover them.",
        "omitted1": "An item was left out because the consent does not cover it.",
        "no_cases": "No cases to report on.", "none": "–", "by": "by {date}", "case": "Case",
        "sentence": "{share} of the {role} with a goal in {area} achieved at least one ({n} of {m})",
        "moved": "{name}: from {a} to {b} on average ({n} people)",
        "chart_label": "{name}: mean baseline and latest measurement",
    },
}


def num(value: float | None, lang: str) -> str:
    """One decimal at most; a Danish decimal comma."""
    if value is None:
        return WORDS[lang]["none"]
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", ",") if lang == "da" else text


def pct(value: float, lang: str) -> str:
    return f"{num(value * 100, lang)} %"


def _value(point, unit: str | None, lang: str) -> str:  # type: ignore[no-untyped-def]
    if point is None:
        return WORDS[lang]["none"]
    suffix = f" {unit}" if unit and unit != "%" else (" %" if unit == "%" else "")
    return f"{num(point.value, lang)}{suffix} ({d.date_short(point.date, lang)})"


def status_text(goal: GoalOutcome, lang: str) -> str:
    w = WORDS[lang]
    text = w[goal.status]
    if goal.status == ACHIEVED and goal.achieved_on:
        text += f" {d.date_short(goal.achieved_on, lang)}"
    return ", ".join([text, *(w[f] for f in goal.flags)])


def goal_row(goal: GoalOutcome, case: CaseOutcome, lang: str) -> list[str]:
    w = WORDS[lang]
    person = case.names.get(goal.person, goal.person)
    if goal.indicator is None:
        return [goal.goal, person, goal.text, w["none"], w["none"], w["none"], w["none"], status_text(goal, lang)]
    target = num(goal.target, lang) + (f" {w['by'].format(date=d.date_short(goal.target_by, lang))}"
                                       if goal.target_by else "")
    change = goal.change
    change_text = w["none"] if change is None else (("+" if change > 0 else "") + num(change, lang))
    return [goal.goal, person, goal.text, _value(goal.baseline, goal.unit, lang), _value(goal.latest, goal.unit, lang),
            target, change_text, status_text(goal, lang)]


def indicator_name(report: Report, indicator: str) -> str:
    return (report.settings.indicators or {}).get(indicator, indicator)


def share_sentence(share: AreaShare, report: Report, lang: str) -> str:
    w = WORDS[lang]
    return w["sentence"].format(share=pct(share.share, lang), role=w.get(share.role, share.role),
                                area=area_name(share.area, report.settings, lang).lower(), n=share.achieved,
                                m=share.people)


def moved_sentence(fig: IndicatorFigures, report: Report, lang: str) -> str:
    return WORDS[lang]["moved"].format(name=indicator_name(report, fig.indicator), a=num(fig.mean_baseline, lang),
                                       b=num(fig.mean_latest, lang), n=fig.people)


def _heading(report: Report, lang: str) -> list[str]:
    w = WORDS[lang]
    who = report.options.recipient
    lines = [w["as_of"].format(date=d.date_long(report.options.today, lang))]
    if who is None:
        lines.append(w["internal"])
    else:
        names = report.cases[0].names if report.cases else {}
        lines.append(w["for_whom"].format(who=names.get(who, who)))
    return lines


def _omitted(case: CaseOutcome, lang: str) -> str | None:
    w = WORDS[lang]
    if not case.omitted:
        return None
    return w["omitted1"] if case.omitted == 1 else w["omitted"].format(n=case.omitted)


# --- text ----------------------------------------------------------------------------------

def text_report(report: Report, out: IO[str], lang: str) -> None:
    w = WORDS[lang]
    lines = [w["title"], *_heading(report, lang), ""]
    if not report.cases:
        lines.append(w["no_cases"])
    for case in report.cases:
        lines.append(f"{case.title} ({case.case})")
        for goal in case.goals:
            row = goal_row(goal, case, lang)
            lines.append(f"  {row[0]} {row[1]}: {row[2]} — {row[7]}")
            if goal.indicator:
                lines.append(f"    {w['baseline']} {row[3]}; {w['latest']} {row[4]}; {w['target']} {row[5]}; "
                             f"{w['change']} {row[6]}")
        for tally in case.attendance:
            lines.append(f"  {w['attendance']}, {case.names.get(tally.person, tally.person)}: {tally_line(tally, lang)}")
        omitted = _omitted(case, lang)
        if omitted:
            lines.append(f"  {omitted}")
        lines.append("")
    if report.indicators or report.shares:
        lines.append(w["across"])
        lines += [f"  {moved_sentence(f, report, lang)}" for f in report.indicators]
        lines += [f"  {share_sentence(s, report, lang)}" for s in report.shares]
    out.write("\n".join(lines).rstrip() + "\n")


# --- JSON ----------------------------------------------------------------------------------

def _point(point) -> dict[str, object] | None:  # type: ignore[no-untyped-def]
    return None if point is None else {"date": point.date.isoformat(), "value": point.value}


def report_data(report: Report, lang: str) -> dict[str, object]:
    return {
        "today": report.options.today.isoformat(), "recipient": report.options.recipient,
        "cases": [{
            "case": c.case, "title": c.title, "omitted": c.omitted,
            "goals": [{"goal": g.goal, "person": g.person, "role": g.role, "area": g.area, "text": g.text,
                       "status": g.status, "flags": list(g.flags), "indicator": g.indicator, "unit": g.unit,
                       "direction": g.direction, "baseline": _point(g.baseline), "latest": _point(g.latest),
                       "target": g.target, "target_by": g.target_by.isoformat() if g.target_by else None,
                       "change": g.change, "achieved": g.achieved_on.isoformat() if g.achieved_on else None,
                       "message": status_text(g, lang)} for g in c.goals],
            "attendance": [tally_json(t) for t in c.attendance],
        } for c in report.cases],
        "indicators": [{"indicator": f.indicator, "name": indicator_name(report, f.indicator), "unit": f.unit,
                        "people": f.people, "mean_baseline": f.mean_baseline, "mean_latest": f.mean_latest,
                        "message": moved_sentence(f, report, lang)} for f in report.indicators],
        "shares": [{"area": s.area, "role": s.role, "people": s.people, "achieved": s.achieved,
                    "share": round(s.share, 4), "message": share_sentence(s, report, lang)} for s in report.shares],
    }


def json_report(report: Report, out: IO[str], lang: str) -> None:
    """One JSON object; each list item on its own line, made by the C encoder (an
    indented dump is several times slower on a large workspace)."""
    data = report_data(report, lang)
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            rows = ",\n".join(json.dumps(item, ensure_ascii=False) for item in value)
            parts.append(f"{json.dumps(key)}: [\n{rows}\n]" if rows else f"{json.dumps(key)}: []")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    out.write("{\n" + ",\n".join(parts) + "\n}\n")


def _namer(case: CaseOutcome) -> Callable[[str, str], str]:
    return lambda _case, some_id: case.names.get(some_id, some_id)


# --- Markdown ------------------------------------------------------------------------------

def md_report(report: Report, out: IO[str], lang: str) -> None:
    from familieplan.render.markdown import escape_inline as esc

    w = WORDS[lang]
    lines = [f"# {w['title']}", "", *(esc(x) for x in _heading(report, lang)), ""]
    if not report.cases:
        lines += [w["no_cases"], ""]
    heads = [w["goal_id"], w["person"], w["goals"], w["baseline"], w["latest"], w["target"], w["change"], w["status"]]
    for case in report.cases:
        lines += [f"## {esc(case.title)} ({esc(case.case)})", ""]
        if case.goals:
            lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
            lines += ["| " + " | ".join(esc(c) for c in goal_row(g, case, lang)) + " |" for g in case.goals]
            lines.append("")
        if case.attendance:
            lines += [f"### {w['attendance']}", "", *md_table(case.attendance, _namer(case), lang, esc), ""]
        omitted = _omitted(case, lang)
        if omitted:
            lines += [f"*{esc(omitted)}*", ""]
    if report.indicators:
        lines += [f"## {w['indicators']}", "", f"| {w['indicator']} | {w['people']} | {w['mean_baseline']} | "
                  f"{w['mean_latest']} |", "|---|---:|---:|---:|"]
        lines += [f"| {esc(indicator_name(report, f.indicator))} | {f.people} | {num(f.mean_baseline, lang)} | "
                  f"{num(f.mean_latest, lang)} |" for f in report.indicators]
        lines.append("")
    if report.shares:
        lines += [f"## {w['shares']}", "", f"| {w['area']} | {w['role']} | {w['with_goal']} | {w['reached']} | "
                  f"{w['share']} |", "|---|---|---:|---:|---:|"]
        lines += [f"| {esc(area_name(s.area, report.settings, lang))} | {esc(w.get(s.role, s.role))} | {s.people} | "
                  f"{s.achieved} | {pct(s.share, lang)} |" for s in report.shares]
        lines.append("")
    out.write("\n".join(lines).rstrip() + "\n")


# --- HTML ----------------------------------------------------------------------------------

def html_report(report: Report, out: IO[str], lang: str, workspace: Path | None = None) -> None:
    from familieplan.render.chart import indicator_chart
    from familieplan.render.env import render
    from familieplan.render.richtext import html_block, html_inline

    w, aw = WORDS[lang], ATTENDANCE_WORDS[lang]
    charts = [{"name": indicator_name(report, f.indicator), "sentence": moved_sentence(f, report, lang),
               "svg": indicator_chart(f.mean_baseline or 0.0, f.mean_latest or 0.0, w["baseline"], w["latest"],
                                      w["chart_label"].format(name=indicator_name(report, f.indicator)), lang)}
              for f in report.indicators]
    cases = [{"title": c.title, "id": c.case, "goals": [goal_row(g, c, lang) for g in c.goals],
              "attendance": [[c.names.get(t.person, t.person), t.ref.title, str(t.planned), str(t.cancelled),
                              str(t.no_show), rate_text(t, lang)] for t in c.attendance],
              "omitted": _omitted(c, lang)} for c in report.cases]
    shares = [[area_name(s.area, report.settings, lang), w.get(s.role, s.role), str(s.people), str(s.achieved),
               pct(s.share, lang)] for s in report.shares]
    heading = _heading(report, lang)
    context = {
        "t": {"page_lang": lang, "case": w["case"]}, "w": w, "title": w["title"], "case_title": w["across"],
        "case_id": str(len(report.cases)),
        "header": {"confidential": w["confidential"], "for_whom": heading[1],
                   "internal": ""},
        "as_of": heading[0], "cases": cases, "charts": charts, "shares": shares,
        "share_sentences": [share_sentence(s, report, lang) for s in report.shares],
        "goal_heads": [w["goal_id"], w["person"], w["goals"], w["baseline"], w["latest"], w["target"], w["change"],
                       w["status"]],
        "attendance_heads": [aw["person"], aw["what"], aw["planned"], aw["cancelled_h"], aw["no_show_h"], aw["rate"]],
        "share_heads": [w["area"], w["role"], w["with_goal"], w["reached"], w["share"]],
    }
    out.write(render("render/report.html.j2", context, workspace, html=True,
                     filters={"text": html_block, "inline": html_inline}))


REPORTERS: dict[str, Callable[..., None]] = {"text": text_report, "json": json_report, "md": md_report,
                                             "html": html_report}
