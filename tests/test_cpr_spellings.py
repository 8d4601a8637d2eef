"""Three spellings of a CPR number that used to get through: split by a line break inside a
block text, its hyphen written as the YAML escape `\\x2D` in a double-quoted string, and a
Markdown-escaped hyphen `150387\\-4721`. `validate` warns at each, and every output kind
masks them: text, JSON, Markdown, HTML, the PDF's text and the calendar."""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_cli
from familieplan.format.cpr import find_cpr, mask_cpr

KARIMI = "2026-002-karimi"
MEETING = f"cases/{KARIMI}/meetings/2026-02-16-faellesmoede.yaml"

SPELLINGS = {
    "line break": "  - title: Delt nummer\n    notes: |\n      Nadias nummer er 150387\n      4721, delt over to linjer.\n",
    "yaml escape": '  - title: "Nummer 150387\\x2D4721 som escape"\n',
    "markdown escape": "  - title: Escapet bindestreg\n    notes: Her står 150387\\-4721 i Markdown.\n",
}


@pytest.fixture
def spelled(examples_ws):
    meeting = examples_ws / MEETING
    text = meeting.read_text(encoding="utf-8")
    text = text.replace("title: Fællesmøde om Nadias uge", 'title: "Fællesmøde 150387\\x2D4721 og 150387\\\\-4721"')
    text = text.replace("next_meeting:", "".join(SPELLINGS.values()) + "next_meeting:", 1)
    meeting.write_text(text, encoding="utf-8")
    return examples_ws


def _clean(text: str) -> bool:
    return "150387" not in text and "4721" not in text


def test_validate_warns_at_each_spelling(runner, spelled):
    result = run_cli(runner, ["validate", str(spelled / MEETING), "--no-cache", "-f", "json"])
    assert result.exit_code == 0, result.stdout
    problems = json.loads(result.stdout)["problems"]
    lines = (spelled / MEETING).read_text(encoding="utf-8").splitlines()
    warned = {lines[p["line"] - 1].strip() for p in problems if p["code"] == "cpr-number"}
    assert warned == {'title: "Fællesmøde 150387\\x2D4721 og 150387\\\\-4721"', "Nadias nummer er 150387",
                      '- title: "Nummer 150387\\x2D4721 som escape"', "notes: Her står 150387\\-4721 i Markdown."}
    assert _clean(result.stdout)
    text = run_cli(runner, ["validate", str(spelled / MEETING), "--no-cache"])
    assert "cpr-number" in text.stdout and _clean(text.stdout)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("reader", [None, "sb-job"])
def test_documents_mask_every_spelling(runner, spelled, fmt, reader):
    args = ["render-minutes", str(spelled / MEETING), "--workspace", str(spelled), "-f", fmt, "-o", "-"]
    result = run_cli(runner, [*args, *(["--for", reader] if reader else [])])
    assert result.exit_code == 0, result.stderr
    assert "Nadias nummer er" in result.stdout and "Nummer" in result.stdout  # the items are there
    assert _clean(result.stdout), [line for line in result.stdout.splitlines() if "4721" in line or "150387" in line]


def test_the_pdf_masks_every_spelling(runner, spelled, tmp_path):
    pytest.importorskip("weasyprint")
    from pypdf import PdfReader

    target = tmp_path / "m.pdf"
    result = run_cli(runner, ["render-minutes", str(spelled / MEETING), "--workspace", str(spelled), "-f", "pdf",
                              "-o", str(target), "--no-record", "--for", "sb-job"])
    assert result.exit_code == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "Nadias nummer er" in text and _clean(text)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_calendar_and_reports_mask_the_title(runner, spelled, fmt):
    ics = run_cli(runner, ["export-ics", KARIMI, "--workspace", str(spelled), "-o", "-"])
    assert "SUMMARY:Fællesmøde ######-####" in ics.stdout and _clean(ics.stdout)
    due = run_cli(runner, ["status", "--workspace", str(spelled), "--today", "2026-02-20", "-f", fmt])
    assert _clean(due.stdout) and _clean(due.stderr)


@pytest.mark.parametrize("text", [
    "150387\n      4721", "150387\\\n4721", "150387  \n4721", "150387<br>4721", "150387<br />\n4721",
    "150387\\x2D4721", "150387\\u2011 4721", "150387\\-4721", "150387\\\\-4721", "150387 – 4721",
])
def test_each_spelling_is_found_and_masked(text):
    assert list(find_cpr(f"x {text} y")) == [2]
    assert list(find_cpr(f"x {text.replace('15', '32', 1)} y")) == []  # the 32nd of a month is no birthday
    assert not re.search(r"\d", mask_cpr(text).replace("\\x2D", "").replace("\\u2011", "").replace("<br />", ""))


def test_not_every_pair_of_numbers_is_a_cpr_number():
    # a phone number, a year range and eleven digits stay as they are
    for text in ("40 11 22 33", "2025-2026", "150387-47210", "150387 -- 4721"):
        assert mask_cpr(text) == text
