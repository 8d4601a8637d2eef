"""Shell completion of every id inside a case (commands/names.py, cli/options.py's
`complete_*`): agreements, questions (q1, …), goals, interventions, consents, meetings,
besides cases and people; what a record command's options and arguments reuse."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import typer

from conftest import EXAMPLES
from familieplan.cli import options
from familieplan.commands.names import CASE_ID_KINDS, case_item_ids

KARIMI = "2026-002-karimi"
BIN = Path(__file__).parent.parent / ".venv" / "bin" / "familieplan"
EXPECTED = {
    "agreements": ["a1", "a2", "a3", "a4", "a5"],
    "questions": ["q1"],
    "goals": ["m1", "m2", "m3"],
    "interventions": ["misbrugsbehandling", "familiebehandling", "brobygning", "jobsamtaler"],
    "consents": ["c1", "c2", "c3"],
    "meetings": ["2026-02-16-faellesmoede"],
}


def test_every_kind_is_listed_with_what_it_is():
    assert set(CASE_ID_KINDS) == set(EXPECTED)
    for kind, ids in EXPECTED.items():
        found = case_item_ids(EXAMPLES, KARIMI, kind)
        assert [ident for ident, _ in found] == ids, kind
        assert all(isinstance(text, str) for _, text in found)
    assert dict(case_item_ids(EXAMPLES, KARIMI, "interventions"))["brobygning"] == "Brobygningsforløb"
    assert dict(case_item_ids(EXAMPLES, KARIMI, "meetings"))["2026-02-16-faellesmoede"]


def test_what_was_typed_narrows_it():
    assert [i for i, _ in case_item_ids(EXAMPLES, KARIMI, "interventions", "b")] == ["brobygning"]
    assert case_item_ids(EXAMPLES, KARIMI, "agreements", "x") == []


def test_without_a_case_or_readable_files_nothing(tmp_path):
    assert case_item_ids(EXAMPLES, None, "agreements") == []
    assert case_item_ids(EXAMPLES, "no-such-case", "agreements") == []
    broken = tmp_path / "ws"
    (broken / "cases" / "2026-001-x").mkdir(parents=True)
    (broken / "familieplan.yaml").write_text("format: [\n")
    (broken / "cases" / "2026-001-x" / "plan.yaml").write_text("\x00: [")
    assert case_item_ids(broken, "2026-001-x", "interventions") == []


def _context() -> typer.Context:
    from familieplan.cli import app

    return typer.Context(typer.main.get_command(app))


@pytest.mark.parametrize("name, kind", [("complete_agreement", "agreements"), ("complete_question", "questions"),
                                        ("complete_goal", "goals"), ("complete_intervention", "interventions"),
                                        ("complete_consent", "consents"), ("complete_meeting", "meetings")])
def test_the_cli_functions_read_the_case_of_the_line(name, kind):
    """What a command declares (`autocompletion=complete_goal`): the case from the
    parsed parameters, or from the words of the line."""
    complete = getattr(options, name)
    ctx = _context()
    ctx.params = {"workspace": str(EXAMPLES), "case": KARIMI}
    assert [ident for ident, _ in complete(ctx, [], "")] == EXPECTED[kind]
    ctx.params = {"workspace": str(EXAMPLES)}
    assert [ident for ident, _ in complete(ctx, ["agree", KARIMI], "")] == EXPECTED[kind]
    assert complete(ctx, ["agree"], "") == []  # no case on the line yet


def test_person_and_case_completion_are_public_too():
    ctx = _context()
    ctx.params = {"workspace": str(EXAMPLES), "case": KARIMI}
    assert "nadia" in [ident for ident, _ in options.complete_person(ctx, [], "")]
    assert KARIMI in options.complete_case(ctx, "2026")


def complete(words: str) -> list[str]:
    """What bash gets back for `words` (the last word is being completed)."""
    env = {**os.environ, "_FAMILIEPLAN_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split(" ")) - 1)}
    proc = subprocess.run([str(BIN)], env=env, cwd=EXAMPLES.parent, capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout.split()


def test_fit_instead_completes_the_case_s_interventions():
    assert complete(f"familieplan fit {KARIMI} --workspace examples --instead ") == EXPECTED["interventions"]
    assert complete(f"familieplan fit {KARIMI} --workspace examples --instead job") == ["jobsamtaler"]
