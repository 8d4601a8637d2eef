"""The exit-code contract (README, "Exit codes"): 0 nothing to report, 1 findings or a
skipped case, 2 the command could not do what it was asked. A filter that names nothing
is a usage error with a "did you mean", never an empty all-clear."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, run_cli

KARIMI = "2026-002-karimi"
WS = ["--workspace", str(EXAMPLES)]


@pytest.mark.parametrize("args, hint", [
    (["check-load", KARIMI, "--person", "Nadia"], "mente du 'nadia'?"),
    (["check-load", "--person", "nadja"], "mente du 'nadia'?"),
    (["due", "--today", "2026-11-23", "--responsible", "nobody"], "--responsible nobody"),
    (["status", "--today", "2026-11-23", "--coordinator", "nobody"], "--coordinator nobody"),
    (["due", "2026-002-karimy"], "mente du '2026-002-karimi'?"),
    (["check-load", "2026-002-karimy"], "mente du '2026-002-karimi'?"),
    (["export-ics", KARIMI, "--person", "Nadia"], "mente du 'nadia'?"),
    (["render-plan", KARIMI, "--for", "Nadia", "--output", "-"], "mente du 'nadia'?"),
])
def test_a_filter_naming_nothing_is_a_usage_error(runner, args, hint):
    result = run_cli(runner, [*args, *WS])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert hint in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_same_filters_naming_someone_work(runner):
    assert run_cli(runner, ["check-load", KARIMI, "--person", "nadia", *WS]).exit_code == 1  # her collisions
    ok = run_cli(runner, ["status", "--today", "2026-11-23", "--coordinator", "sb-job", "--format", "json", *WS])
    assert ok.exit_code == 1 and len(json.loads(ok.stdout)["cases"]) == 3  # Karimi: overdue items


def test_due_tells_overdue_from_a_typo(runner):
    overdue = run_cli(runner, ["due", KARIMI, "--today", "2026-11-23", *WS])
    typo = run_cli(runner, ["due", "2026-02-karimi", "--today", "2026-11-23", *WS])
    assert (overdue.exit_code, typo.exit_code) == (1, 2)


def test_nothing_to_report_is_0_and_a_huge_window_is_a_usage_error(runner):
    quiet = run_cli(runner, ["due", "2025-003-lund", "--today", "2025-01-01", *WS])
    assert quiet.exit_code == 0, quiet.output
    huge = run_cli(runner, ["due", "--within", "3000000", *WS])
    assert huge.exit_code == 2 and "--within" in huge.stderr
