"""Details of issue 9 ("answers that are true") that no other test pins down: the minutes
of a meeting list the agreements made on its date without a `meeting` key, an e-mail address
never becomes a link, a case about one adult is about a citizen, an intervention with a
`phase` is listed under that phase only, the CPR mask's spellings, and usage errors of the
command line in Danish."""

from __future__ import annotations

import re
import shutil

from markdown_it import MarkdownIt

from conftest import EXAMPLES, run_cli
from familieplan.format.cpr import find_cpr, mask_cpr

HOLM = "2025-001-holm"
MEETING = "2025-09-15-faellesmoede"
FIXED = ["--now", "2026-11-23T10:00", "--today", "2026-11-23"]


def _minutes(runner, ws, *args: str) -> str:  # type: ignore[no-untyped-def]
    meeting = ws / "cases" / HOLM / "meetings" / f"{MEETING}.yaml"
    result = run_cli(runner, ["render-minutes", str(meeting), "--workspace", str(ws), "--output", "-", *FIXED, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_an_agreement_made_on_the_meetings_date_without_a_meeting_key_is_in_its_minutes(runner, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLES, ws)
    agreements = ws / "cases" / HOLM / "agreements.yaml"
    agreements.write_text(agreements.read_text().replace("agreements:\n", (
        "agreements:\n  - id: uden-moede\n    text: AFTALT-PAA-MOEDEDAGEN\n    responsible: sb-job\n"
        "    made: 2025-09-15\n    status: open\n"), 1), encoding="utf-8")
    text = _minutes(runner, ws)
    made_here = text.split("## Aftaler fra mødet", 1)[1].split("##", 1)[0]
    assert "AFTALT-PAA-MOEDEDAGEN" in made_here


def test_an_e_mail_address_reads_as_typed(runner):
    result = run_cli(runner, ["render-plan", HOLM, "--workspace", str(EXAMPLES), "--output", "-", *FIXED])
    # Pasted into an e-mail the address reads as typed: no backslash before the "@".
    assert "hd@eksempel.dk" in result.stdout and "\\@" not in result.stdout
    assert "<a " not in MarkdownIt("commonmark").render(result.stdout)  # CommonMark links no bare address
    # A renderer that links bare addresses (GitHub-flavoured linkify) links it to itself, nothing else.
    html = MarkdownIt("commonmark", {"linkify": True}).enable("linkify").render(result.stdout)
    assert set(re.findall(r'href="([^"]*)"', html)) <= {"mailto:hd@eksempel.dk"}


def test_a_case_about_one_adult_is_about_a_citizen(runner):
    norup = run_cli(runner, ["render-plan", "2024-004-norup", "--workspace", str(EXAMPLES), "--output", "-", *FIXED])
    assert "## Borgeren" in norup.stdout and "## Familien" not in norup.stdout
    holm = run_cli(runner, ["render-plan", HOLM, "--workspace", str(EXAMPLES), "--output", "-", *FIXED])
    assert "## Familien" in holm.stdout


def test_an_intervention_with_a_phase_is_listed_under_that_phase_only(runner, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLES, ws)
    plan = ws / "cases" / HOLM / "plan.yaml"
    text = plan.read_text()
    # The family treatment runs through all three phases; with `phase: f2` it belongs to f2.
    text = text.replace("  - id: familiebehandling\n", "  - id: familiebehandling\n    phase: f2\n", 1)
    plan.write_text(text, encoding="utf-8")
    result = run_cli(runner, ["render-plan", HOLM, "--workspace", str(ws), "--output", "-", *FIXED])
    assert result.exit_code == 0, result.output
    phases = result.stdout.split("### Fase ")[1:]
    assert ["Familiebehandling" in p for p in phases] == [False, True, False]


def test_the_cpr_mask_catches_every_spelling():
    for text in ("010203-1234", "010203 1234", "010203–1234", "010203\\-1234", "010203\n   1234",
                 "010203\\n 1234", "0102031234", "010203\u20111234", "010203\u00a01234"):
        assert "1234" not in mask_cpr(text), text
        assert list(find_cpr(text)) == [0], text
    for text in ("tlf 0045 12345678", "2026-03-02", "uge 10–26 2026", "kl. 9.30", "123456-12345", "311399-1234"):
        assert mask_cpr(text) == text or not list(find_cpr(text)), text


def test_usage_errors_of_the_command_line_read_danish(runner):
    wrong = run_cli(runner, ["due", "--workspace", str(EXAMPLES), "--today", "2026-13-01"])
    assert wrong.exit_code == 2 and "fejl" in wrong.stderr and "ikke en dato" in wrong.stderr
    english = run_cli(runner, ["due", "--workspace", str(EXAMPLES), "--today", "2026-13-01", "--lang", "en"])
    assert english.exit_code == 2 and "not a date" in english.stderr
    window = run_cli(runner, ["check-load", "--workspace", str(EXAMPLES), "--from", "2026-05-01", "--to", "2026-01-01"])
    assert window.exit_code == 2 and "--from ligger efter --to" in window.stderr
