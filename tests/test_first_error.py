"""The error that matters first: a file that cannot be read comes first, and what only
follows from it is held back, counted (`summary.held_back`), with the exit code unchanged."""

from __future__ import annotations

import json

from conftest import run_cli
from familieplan.engine.first_error import first_errors
from familieplan.problems import Problem, Source, make_problem

HOLM = "cases/2025-001-holm"
KARIMI = "cases/2026-002-karimi"


def _validate(runner, ws, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(runner, ["validate", "--workspace", str(ws), "--no-cache", "--today", "2026-12-01", *args])


def test_one_mis_indented_line_in_case_yaml_comes_first(runner, examples_ws):
    case = examples_ws / HOLM / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("    name: Jonas Berg\n", "     name: Jonas Berg\n"),
                    encoding="utf-8")
    text = _validate(runner, examples_ws, str(examples_ws / HOLM), "-f", "plain")
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    where = (examples_ws / HOLM / "case.yaml").read_text(encoding="utf-8").splitlines().index("     name: Jonas Berg") + 1
    # The path as the tool shows it (relative to the current folder when that is near).
    place, _, rest = lines[0].partition(": fejl syntax:")
    assert rest and place.endswith(f"{HOLM}/case.yaml:{where}:10"), lines[0]
    assert "unknown-reference" not in text.stdout
    assert lines[-2] == "59 problemer mere følger kun af fejlene ovenfor; de vises, når de er rettet"
    data = json.loads(_validate(runner, examples_ws, "-f", "json").stdout)
    in_holm = [p for p in data["problems"] if f"/{HOLM}/" in p["path"]]
    assert 1 <= len(in_holm) <= 2 and in_holm[0]["code"] == "syntax"
    assert data["problems"][0] == in_holm[0]  # first of the whole workspace too
    assert data["summary"]["held_back"] == 59 and data["summary"]["errors"] == len([p for p in data["problems"] if p["level"] != "info"])
    github = _validate(runner, examples_ws, str(examples_ws / HOLM), "-f", "github").stdout.splitlines()
    assert len(github) == 2 and github[0].startswith("::error ") and "syntax" in github[0]
    assert github[1].startswith("::notice title=held-back::59 problemer mere")


def test_a_missing_plan_comes_first(runner, examples_ws):
    (examples_ws / KARIMI / "plan.yaml").unlink()
    result = _validate(runner, examples_ws, str(examples_ws / KARIMI), "-f", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [p["code"] for p in data["problems"]] == ["missing-file"] and data["summary"]["held_back"] == 10


def test_a_bad_weekday_holds_back_the_attendance_that_then_fails(runner, examples_ws):
    plan = examples_ws / KARIMI / "plan.yaml"
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[75] == "      - days: [tue]\n"
    lines[75] = "      - days: [tirsdagx]\n"
    plan.write_text("".join(lines), encoding="utf-8")
    data = json.loads(_validate(runner, examples_ws, str(examples_ws / KARIMI), "-f", "json").stdout)
    assert [p["code"] for p in data["problems"]] == ["bad-value"] and data["summary"]["held_back"] == 1
    plan.write_text("".join(lines).replace("tirsdagx", "tue"), encoding="utf-8")
    clean = json.loads(_validate(runner, examples_ws, "-f", "json").stdout)
    assert [p for p in clean["problems"] if p["level"] != "info"] == [] and clean["summary"]["held_back"] == 0


def _problem(path: str, code: str, line: int = 1) -> Problem:
    return make_problem(code, Source(path, line, 1), "x")


def test_only_what_follows_is_held_back():
    problems = [
        _problem("cases/a/plan.yaml", "unknown-reference", 3),
        _problem("cases/a/case.yaml", "syntax", 9),
        _problem("cases/a/meetings/2026-01-01-m.yaml", "unknown-reference"),
        _problem("cases/a/attendance.yaml", "not-an-occurrence"),  # case.yaml's slip is not the plan's
        _problem("cases/b/plan.yaml", "unknown-reference"),  # another case: its own problem
        _problem("cases/a/agreements.yaml", "bad-date"),
    ]
    shown, held = first_errors(problems)
    assert held == 2
    assert [(p.source.path, p.code) for p in shown] == [
        ("cases/a/case.yaml", "syntax"), ("cases/a/agreements.yaml", "bad-date"),
        ("cases/a/attendance.yaml", "not-an-occurrence"), ("cases/b/plan.yaml", "unknown-reference")]
    settings = [_problem("familieplan.yaml", "syntax"), _problem("/ws/cases/b/plan.yaml", "unknown-reference")]
    assert first_errors(settings) == ([settings[0]], 1)


def test_a_command_on_the_case_counts_the_errors_validate_shows(runner, examples_ws):
    case = examples_ws / HOLM / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("    name: Jonas Berg\n", "     name: Jonas Berg\n"),
                    encoding="utf-8")
    result = run_cli(runner, ["render-plan", "2025-001-holm", "--workspace", str(examples_ws), "-o", "-"])
    assert result.exit_code == 1 and "1 fejl i filerne" in result.stderr
