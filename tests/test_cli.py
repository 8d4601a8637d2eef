"""Exit codes, options, one-line errors without tracebacks, documentation of codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES, run_cli
from familieplan.checks import all_codes, registry
from familieplan.problems import CODES
from familieplan.render.codes import codes_markdown

ROOT = Path(__file__).parent.parent


def test_examples_validate(runner):
    result = run_cli(runner, ["validate", "--workspace", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "ingen problemer i 22 filer (4 sager)" in result.output
    english = run_cli(runner, ["validate", "--workspace", str(EXAMPLES), "--lang", "en"])
    assert "no problems in 22 files (4 cases)" in english.output


def test_strict_fails_on_warnings(runner, minimal_ws):
    case = minimal_ws / "cases" / "2026-001-test" / "case.yaml"
    case.write_text(case.read_text().replace("name: Barn", "name: Barn 0102031234"))
    assert run_cli(runner, ["validate", "--workspace", str(minimal_ws)]).exit_code == 0
    assert run_cli(runner, ["validate", "--workspace", str(minimal_ws), "--strict"]).exit_code == 1


def test_usage_errors_exit_2(runner):
    assert run_cli(runner, ["validate", "--format", "xml", "--workspace", str(EXAMPLES)]).exit_code == 2
    assert run_cli(runner, ["validate", "--nope"]).exit_code == 2


def test_no_workspace_is_one_line_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "familieplan", "validate"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("familieplan: fejl: intet arbejdsområde fundet")
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_validate_one_case_and_one_file(runner, minimal_ws):
    plan = minimal_ws / "cases" / "2026-001-test" / "plan.yaml"
    plan.write_text(plan.read_text().replace("title: Fællesplan", "titel: Fællesplan"))
    whole = run_cli(runner, ["validate", str(minimal_ws / "cases" / "2026-001-test"), "--format", "json"])
    assert {p["code"] for p in json.loads(whole.stdout)["problems"]} == {"unknown-key", "missing-field"}
    # A file stands for its whole case: case.yaml's case holds plan.yaml's problems
    other = run_cli(runner, ["validate", str(minimal_ws / "cases" / "2026-001-test" / "case.yaml"), "--format", "json"])
    assert json.loads(other.stdout)["problems"] == json.loads(whole.stdout)["problems"] and other.exit_code == 1
    one = run_cli(runner, ["validate", str(plan), "--format", "json"])
    assert one.exit_code == 1


def _codes_in_source() -> set[str]:
    found = set()
    for path in (ROOT / "familieplan").rglob("*.py"):
        text = path.read_text()
        found |= set(re.findall(r'make(?:_problem)?\("([a-z-]+)"', text))
        found |= set(re.findall(r'_p\("([a-z-]+)"', text))
        found |= set(re.findall(r'report\([^,]+, "([a-z-]+)"', text))
        found |= set(re.findall(r'ERROR, "([a-z-]+)"', text))
        found |= set(re.findall(r'check\("([a-z-]+)"', text))
    return found


def test_every_code_is_documented():
    all_codes()
    used = _codes_in_source()
    assert {"overlap", "over-capacity", "off-focus", "case-id"} <= used
    missing = [c for c in used if not registry.documented(c)]
    assert missing == []
    for doc in CODES.values():
        assert doc.level in ("error", "warning", "info")
        assert len(doc.doc) > 20, doc.code


def test_check_docs_have_a_failing_example():
    from familieplan.checks.case import CHECKS
    from familieplan.checks.weekly import LOAD_CHECKS

    for unit in [*CHECKS, *LOAD_CHECKS]:
        assert "Failing" in CODES[unit.code].doc, unit.code


def test_generated_code_docs_are_current():
    assert (ROOT / "docs" / "codes.md").read_text() == codes_markdown()


def test_help_lists_commands(runner):
    result = run_cli(runner, ["--help"])
    for command in ("validate", "init", "new-case", "new-meeting", "schema"):
        assert command in result.output


def test_pre_commit_hook_is_declared():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "familieplan validate" in text or "entry: familieplan" in text


def test_workspace_found_from_a_case_path(tmp_path):
    case = EXAMPLES.resolve() / "cases" / "2026-002-karimi"
    for args in (["check-load", str(case), "--format", "json"], ["due", str(case), "--today", "2026-11-23"],
                 ["export-ics", str(case)], ["render-plan", str(case), "--output", "-"]):
        proc = subprocess.run([sys.executable, "-m", "familieplan", *args], cwd=tmp_path, capture_output=True, text=True)
        assert proc.returncode in (0, 1), (args, proc.stderr)
        assert proc.stdout.strip(), args
