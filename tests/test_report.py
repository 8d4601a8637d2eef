"""`report`: outcomes per case and across cases on a test workspace whose figures are
computed here, by hand, from the raw numbers written into its files."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from conftest import DATA, run_cli
from familieplan import api
from familieplan.commands.report import Point, ReportOptions, measured_status
from familieplan.model import Baseline, Measure, Target

TODAY = dt.date(2026, 11, 23)
BASE = "2026-001-test"

# (case, person, goal, area, measure (indicator, direction, baseline, target) or None,
#  achieved, measurements [(date, value)])
GOALS = {
    "2026-001-a": [
        ("mor", "m1", "employment", ("timer", "up", 0, 15), None, [("2026-06-01", 5), ("2026-09-01", 16)]),
        ("barn", "m2", "school", ("skolefravaer", "down", 17, 5), None, [("2026-06-01", 14), ("2026-10-01", 12)]),
    ],
    "2026-002-b": [
        ("mor", "m1", "employment", ("timer", "up", 0, 10), None, [("2026-05-01", 0)]),
        ("barn", "m2", "school", ("skolefravaer", "down", 20, 5), None, [("2026-09-01", 22.4)]),
    ],
    "2026-003-c": [
        ("mor", "m1", "education", None, "2026-08-01", []),
        ("barn", "m2", "school", ("skolefravaer", "down", 12, 5), None, []),
    ],
}


def _goal_yaml(person, gid, area, measure, achieved) -> str:  # type: ignore[no-untyped-def]
    lines = [f"  - id: {gid}", f"    person: {person}", f"    area: {area}", f"    text: Mål {gid} for {person}"]
    if measure:
        indicator, direction, base, target = measure
        lines += ["    measure:", f"      indicator: {indicator}", f"      direction: {direction}",
                  f"      baseline: {{date: 2026-03-02, value: {base}}}",
                  f"      target: {{value: {target}, by: 2027-06-30}}", "      every_weeks: 12"]
    if achieved:
        lines.append(f"    achieved: {achieved}")
    return "\n".join(lines)


@pytest.fixture
def outcomes_ws(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(DATA / "minimal", ws)
    template = ws / "cases" / BASE
    for case_id, goals in GOALS.items():
        folder = ws / "cases" / case_id
        shutil.copytree(template, folder)
        (folder / "case.yaml").write_text((folder / "case.yaml").read_text().replace(BASE, case_id))
        plan = (folder / "plan.yaml").read_text()
        block = "goals:\n" + "\n".join(_goal_yaml(p, g, a, ms, ach) for p, g, a, ms, ach, _ in goals)
        start, end = plan.index("goals:\n"), plan.index("interventions:")
        plan = plan[:start] + block + "\n" + plan[end:]
        (folder / "plan.yaml").write_text(plan)
        rows = [f"  - goal: {g}\n    date: {d}\n    value: {v}" for _, g, _, _, _, ms in goals for d, v in ms]
        if rows:
            (folder / "measurements.yaml").write_text("measurements:\n" + "\n".join(rows) + "\n")
    shutil.rmtree(template)
    return ws


def _line(base: float, target: float, at: str) -> float:
    """The straight line from baseline (2026-03-02) to target (2027-06-30) at a date."""
    start, end = dt.date(2026, 3, 2), dt.date(2027, 6, 30)
    return base + (target - base) * (dt.date.fromisoformat(at) - start).days / (end - start).days


def test_workspace_is_valid(runner, outcomes_ws):
    result = run_cli(runner, ["validate", "--workspace", str(outcomes_ws), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.stdout


def test_per_case_status_and_flags(outcomes_ws):
    result = api.report(outcomes_ws, [], ReportOptions(today=TODAY))
    goals = {(c.case, g.goal): g for c in result.cases for g in c.goals}
    # a: 16 ≥ 15 → achieved; school 12 against the line at 1 October:
    assert goals[("2026-001-a", "m1")].status == "achieved"
    expected = "on-track" if 12 <= _line(17, 5, "2026-10-01") else "standing-still"
    assert goals[("2026-001-a", "m2")].status == expected == "standing-still"
    assert goals[("2026-001-a", "m2")].change == 12 - 17
    # b: 0 = baseline, below the line → standing still; 22.4 > 20 (down is better) → wrong way
    assert goals[("2026-002-b", "m1")].status == "standing-still"
    assert goals[("2026-002-b", "m2")].status == "wrong-way"
    # 2026-05-01 and 2026-09-01 are more than 12 weeks before 23 November: overdue
    assert goals[("2026-002-b", "m1")].flags == ("measurement-overdue",)
    assert goals[("2026-001-a", "m2")].flags == ()  # 1 October: 53 days before
    # c: a goal without a measure that was achieved; a measure with no measurement at all
    assert goals[("2026-003-c", "m1")].status == "achieved"
    assert set(goals[("2026-003-c", "m2")].flags) == {"no-measurement", "measurement-overdue"}


def test_figures_across_cases_by_hand(runner, outcomes_ws):
    out = run_cli(runner, ["report", "--workspace", str(outcomes_ws), "--today", TODAY.isoformat(), "-f", "json"])
    data = json.loads(out.stdout)
    figures = {f["indicator"]: f for f in data["indicators"]}
    # skolefravaer: a (17 → 12) and b (20 → 22.4) are measured; c has no measurement.
    school_base, school_latest = [17, 20], [12, 22.4]
    assert figures["skolefravaer"]["people"] == 2
    assert round(figures["skolefravaer"]["mean_baseline"], 1) == round(sum(school_base) / 2, 1)
    assert round(figures["skolefravaer"]["mean_latest"], 1) == round(sum(school_latest) / 2, 1)
    assert round(figures["timer"]["mean_latest"], 1) == round((16 + 0) / 2, 1)
    shares = {(s["area"], s["role"]): s for s in data["shares"]}
    assert round(shares[("employment", "parent")]["share"] * 100, 1) == round(1 / 2 * 100, 1)  # a of a, b
    assert round(shares[("school", "child")]["share"] * 100, 1) == 0.0  # none of three
    assert (shares[("school", "child")]["people"], shares[("education", "parent")]["achieved"]) == (3, 1)
    md = run_cli(runner, ["report", "--workspace", str(outcomes_ws), "--today", TODAY.isoformat(), "-f", "md"]).stdout
    assert "| Skolefravær (%) | 2 | 18,5 | 17,2 |" in md
    text = run_cli(runner, ["report", "--workspace", str(outcomes_ws), "--today", TODAY.isoformat()]).stdout
    assert "50 % af forældre med et mål om beskæftigelse har nået mindst ét (1 af 2)" in text


def test_measurements_after_today_are_not_known(outcomes_ws):
    result = api.report(outcomes_ws, ["2026-001-a"], ReportOptions(today=dt.date(2026, 7, 1)))
    goal = result.cases[0].goals[0]
    assert goal.latest == Point(dt.date(2026, 6, 1), 5) and goal.status != "achieved"


def test_window_selects_plan_periods(outcomes_ws):
    before = api.report(outcomes_ws, [], ReportOptions(today=TODAY, window=(None, dt.date(2025, 1, 1))))
    assert before.cases == [] and before.indicators == []


def test_status_rule_edges():
    measure = Measure(indicator="x", direction="up", baseline=Baseline(date=dt.date(2026, 1, 1), value=0),
                      target=Target(value=10, by=dt.date(2026, 12, 31)))
    assert measured_status(measure, Point(dt.date(2026, 7, 2), 6), False) == "on-track"
    assert measured_status(measure, Point(dt.date(2026, 7, 2), 4), False) == "standing-still"
    assert measured_status(measure, Point(dt.date(2026, 7, 2), -1), False) == "wrong-way"
    assert measured_status(measure, Point(dt.date(2026, 7, 2), 10), False) == "achieved"
    assert measured_status(measure, None, True) == "achieved"


def test_for_a_professional_filters_by_consent(runner, outcomes_ws):
    # c1 releases `family` to familie only: sb-familie reads no goal of these areas.
    result = api.report(outcomes_ws, ["2026-001-a"], ReportOptions(today=TODAY, recipient="sb-familie"))
    case = result.cases[0]
    assert case.goals == [] and case.omitted == 2 and result.indicators == []
    family = api.report(outcomes_ws, ["2026-001-a"], ReportOptions(today=TODAY, recipient="mor"))
    assert len(family.cases[0].goals) == 2 and family.cases[0].basis == {"family"}
    many = run_cli(runner, ["report", "--workspace", str(outcomes_ws), "--for", "mor"])
    assert many.exit_code == 2 and "præcis én sag" in many.stderr
    nobody = run_cli(runner, ["report", "2026-001-a", "--workspace", str(outcomes_ws), "--for", "nobdy"])
    assert nobody.exit_code == 2 and "--for nobdy" in nobody.stderr


def test_html_has_one_chart_per_indicator(runner, outcomes_ws, tmp_path):
    target = tmp_path / "report.html"
    result = run_cli(runner, ["report", "--workspace", str(outcomes_ws), "--today", TODAY.isoformat(), "-f", "html",
                              "-o", str(target)])
    assert result.exit_code == 0
    html = target.read_text()
    assert html.count('class="load-chart indicator-chart" role="img"') == 2
    assert "<title>Skolefravær (%): gennemsnitligt udgangspunkt og seneste måling</title>" in html
    assert "<script" not in html and 'lang="da"' in html


def test_examples_report_reads_seed_figures(runner):
    examples = Path(__file__).resolve().parents[1] / "examples"
    data = json.loads(run_cli(runner, ["report", "--workspace", str(examples), "--today", "2026-11-23",
                                       "-f", "json", "--lang", "en"]).stdout)
    school = {f["indicator"]: f for f in data["indicators"]}["skolefravaer"]
    assert (school["mean_baseline"], school["mean_latest"]) == (17, 10)
