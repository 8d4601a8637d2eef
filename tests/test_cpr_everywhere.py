"""CPR-shaped numbers are masked in every output: every command's text, JSON and Markdown,
every document, the calendar and every message — also written across a line break, with an
en dash or with a Markdown-escaped hyphen."""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLES, run_cli

KARIMI = "2026-002-karimi"
DIGITS = ("010203", "1234")  # 010203-1234 in its many spellings


@pytest.fixture
def leaky(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLES, ws)
    case = ws / "cases" / KARIMI
    agreements = case / "agreements.yaml"
    agreements.write_text(agreements.read_text().replace(
        "agreements:\n", "agreements:\n  - id: cpr1\n    text: Nadias CPR 010203-1234 skal ikke stå her\n"
        "    responsible: sb-job\n    made: 2026-11-02\n    due: 2026-11-20\n    status: open\n"
        "  - id: cpr2\n    text: \"Igen 010203–1234 og 010203\\n 1234\"\n    responsible: sb-job\n"
        "    made: 2026-11-02\n    status: open\n", 1), encoding="utf-8")
    plan = case / "plan.yaml"
    plan.write_text(plan.read_text().replace("title: Brobygningsforløb", "title: Brobygningsforløb 0102031234", 1),
                    encoding="utf-8")
    return ws


def _clean(text: str) -> bool:
    flat = text.replace("\\-", "-")
    return "010203" not in flat and "0102031234" not in flat and "1234 skal" not in flat


COMMANDS = [
    ["validate"], ["validate", "--format", "json"],
    ["check-load", KARIMI], ["check-load", KARIMI, "--format", "json"], ["check-load", KARIMI, "--format", "md"],
    ["due", KARIMI, "--today", "2026-11-23"], ["due", KARIMI, "--today", "2026-11-23", "--format", "json"],
    ["due", KARIMI, "--today", "2026-11-23", "--format", "md"],
    ["status", "--today", "2026-11-23"], ["status", "--today", "2026-11-23", "--format", "json"],
    ["render-plan", KARIMI, "--output", "-"], ["render-plan", KARIMI, "--output", "-", "-f", "html"],
    ["render-plan", KARIMI, "--output", "-", "--for", "sb-familie"],
    ["export-ics", KARIMI, "--output", "-"],
    ["report", KARIMI, "--today", "2026-11-23"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_no_output_carries_a_cpr_number(runner, leaky, args):
    result = run_cli(runner, [*args, "--workspace", str(leaky)])
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.strip()
    assert _clean(result.stdout), result.stdout
    assert _clean(result.stderr), result.stderr


def test_a_message_quoting_a_cpr_number_is_masked(runner, leaky):
    case = leaky / "cases" / KARIMI / "case.yaml"
    case.write_text(case.read_text().replace("coordinator: sb-job", "coordinator: \"010203-1234\"", 1), encoding="utf-8")
    result = run_cli(runner, ["validate", "--workspace", str(leaky), "--format", "json"])
    assert result.exit_code == 1 and "unknown-reference" in result.stdout
    assert _clean(result.stdout)


