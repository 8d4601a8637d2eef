"""The record commands keep every byte they do not change (format/splice.py): the whole
file after a change is the file before with exactly the event's lines inserted or changed,
on files with comments, blank lines, flow lists, quoted strings, CRLF line endings, a BOM
and no final line break."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from familieplan.commands.record import Change, apply_change
from familieplan.format.splice import Splice, scalar_text
from familieplan.problems import FamilieplanError

AGREEMENTS = """\
# yaml-language-server: $schema=../../schemas/agreements.schema.json
# Aftaler fra fællesmødet
agreements:
  - id: a1
    text: "Line sender referatet"   # citeret
    responsible: sb-job
    made: 2026-03-02
    status: open

  - id: a2
    text: 'Pia ringer: om mandagen'
    responsible: underviser
    made: 2026-03-02
    due: 2026-03-09
    status: open   # venter

# Borgerens spørgelog
questions:
  - {asked: 2026-03-10, by: mette, to: sb-job, about: Hvornår?}
  - asked: 2026-03-11
    by: mette
    to: sb-job
    about: Og så?
    agreement: a1
"""

NEW_AGREEMENT = """\
  - id: a3
    text: "Anna: ringer i morgen"
    responsible: sb-job
    made: 2026-03-12
    status: open
"""


def _apply(text: str, change: Change, crlf: bool = False, bom: bool = False) -> tuple[str, int]:
    data = text.replace("\n", "\r\n") if crlf else text
    raw = (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")
    splice = Splice.of(raw, "agreements.yaml")
    line, _ = apply_change(splice, change)
    out = splice.data()
    assert out.startswith(b"\xef\xbb\xbf") == bom
    decoded = out.decode("utf-8").removeprefix("\ufeff")
    if crlf:
        assert "\n" not in decoded.replace("\r\n", "")
        decoded = decoded.replace("\r\n", "\n")
    return decoded, line


def _agree() -> Change:
    return Change("agreements.yaml", "agreement", key="agreements",
                  fields={"id": "a3", "text": "Anna: ringer i morgen", "responsible": "sb-job", "made": "2026-03-12",
                          "status": "open"})


@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("bom", [False, True])
def test_an_entry_is_appended_after_the_last_item_in_the_lists_indentation(crlf: bool, bom: bool) -> None:
    out, line = _apply(AGREEMENTS, _agree(), crlf, bom)
    before, after = AGREEMENTS.split("\n# Borgerens")
    expected = before.rstrip("\n") + "\n" + NEW_AGREEMENT + "\n# Borgerens" + after
    assert out == expected
    assert line == 16
    assert out.splitlines()[line - 1] == "  - id: a3"


def test_a_status_is_changed_in_place_and_a_key_added_after_it_keeping_the_comment() -> None:
    change = Change("agreements.yaml", "done", at=("agreements", 1), sets={"status": "done", "done": "2026-03-08"},
                    after={"done": "status"})
    out, line = _apply(AGREEMENTS, change)
    expected = AGREEMENTS.replace("    status: open   # venter\n", "    status: done   # venter\n    done: 2026-03-08\n")
    assert out == expected
    assert line == 15


def test_a_quoted_value_is_replaced_whole() -> None:
    change = Change("agreements.yaml", "x", at=("agreements", 0), sets={"text": "Ny tekst"})
    out, _ = _apply(AGREEMENTS, change)
    assert out == AGREEMENTS.replace('    text: "Line sender referatet"   # citeret', "    text: Ny tekst   # citeret")


def test_a_key_is_added_to_an_entry_in_the_middle_of_a_list() -> None:
    change = Change("agreements.yaml", "answer", at=("questions", 1), sets={"answered": "2026-03-12"})
    out, _ = _apply(AGREEMENTS, change)
    assert out == AGREEMENTS + "    answered: 2026-03-12\n"


def test_a_flow_mapping_is_not_changed_by_guesswork() -> None:
    change = Change("agreements.yaml", "answer", at=("questions", 0), sets={"answered": "2026-03-12"})
    with pytest.raises(FamilieplanError):
        _apply(AGREEMENTS, change)


def test_an_empty_flow_list_becomes_a_block_list_and_its_comment_stays() -> None:
    text = "# hoved\nattendance: []  # tom\n"
    change = Change("attendance.yaml", "absence", key="attendance",
                    fields={"date": "2026-03-04", "person": "anna", "intervention": "kursus", "status": "no-show"})
    out, line = _apply(text, change)
    assert out == ("# hoved\nattendance:  # tom\n  - date: 2026-03-04\n    person: anna\n"
                   "    intervention: kursus\n    status: no-show\n")
    assert line == 3


def test_a_file_without_a_final_line_break_keeps_none() -> None:
    text = "measurements:\n- goal: m1\n  date: 2026-01-01\n  value: 3"
    change = Change("measurements.yaml", "measurement", key="measurements",
                    fields={"goal": "m1", "date": "2026-02-01", "value": "4.5"})
    out, _ = _apply(text, change)
    assert out == text + "\n- goal: m1\n  date: 2026-02-01\n  value: 4.5"


def test_a_missing_list_is_added_at_the_end_and_nested_values_and_flow_lists_are_written() -> None:
    text = "id: x\n\n# samtykker følger\n"
    change = Change("case.yaml", "consent", key="consents",
                    fields={"id": "c1", "person": "anna", "areas": ["family", "employment"], "departments": ["familie"],
                            "from": "2026-03-02"})
    out, _ = _apply(text, change)
    assert out == ("id: x\nconsents:\n  - id: c1\n    person: anna\n    areas: [family, employment]\n"
                   "    departments: [familie]\n    from: 2026-03-02\n\n# samtykke følger\n".replace("samtykke ", "samtykker "))


@pytest.mark.parametrize("value", ["Hvornår starter kurset?", "a: b", "# ikke en kommentar", "yes", "", " ud ",
                                   "12", "- liste", "[x]", "Annas \"citat\"", "linje\nlinje", "tab\tinde", "æøå",
                                   "2026-03-02", "null", "{x}", "100 %", "Pia's bog"])
def test_every_text_reads_back_as_itself(value: str) -> None:
    from familieplan.format.nodes import parse, plain

    root, problems = parse(f"key: {scalar_text(value)}\n", "x.yaml")
    assert not problems
    assert plain(root) == {"key": value}

TEXTS = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"),
                min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, reason=TEXTS, crlf=st.booleans())
def test_any_text_is_appended_and_every_other_line_stays(text: str, reason: str, crlf: bool) -> None:
    from familieplan.format.nodes import parse, plain

    change = Change("agreements.yaml", "agreement", key="agreements",
                    fields={"id": "a3", "text": text, "responsible": "sb-job", "made": "2026-03-12",
                            "status": "cancelled", "reason": reason})
    out, line = _apply(AGREEMENTS, change, crlf)
    old, new = AGREEMENTS.splitlines(), out.splitlines()
    assert new[:line - 1] == old[:line - 1] and new[line - 1 + 6:] == old[line - 1:]
    root, problems = parse(out, "agreements.yaml")
    assert not problems
    entry = plain(root)["agreements"][-1]  # type: ignore[index]
    assert entry["text"] == text and entry["reason"] == reason
