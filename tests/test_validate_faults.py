"""Every planted fault is reported at its exact line and column with its code."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import DATA, MINIMAL_CASE, run_cli

FAULTS = sorted((DATA / "faults").glob("*.yaml"))
_MARK = re.compile(r"^(\s*#\s*)\^ (\S+)\s*$")
_EXPECT = re.compile(r"^# expect: (\d+):(\d+) (\S+)\s*$")
_TODAY = re.compile(r"^# today: (\d{4}-\d{2}-\d{2})\s*$")
DEFAULT_TODAY = "2026-11-26"  # fault files are checked against a fixed date


def expectations(text: str) -> tuple[str, set[tuple[int, int, str]]]:
    """The target file and the expected (line, column, code) marked in a fault file."""
    target = ""
    expected = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("# target: "):
            target = line.split(": ", 1)[1].strip()
        elif m := _EXPECT.match(line):
            expected.add((int(m[1]), int(m[2]), m[3]))
        elif m := _MARK.match(line):
            expected.add((number - 1, len(m[1]) + 1, m[2]))
    return target, expected


def validate_json(runner, ws: Path, today: str = DEFAULT_TODAY) -> tuple[int, list[dict]]:
    result = run_cli(runner, ["validate", "--workspace", str(ws), "--format", "json", "--today", today])
    return result.exit_code, json.loads(result.stdout)["problems"]


def place(ws: Path, target: str) -> Path:
    if target == "familieplan.yaml":
        return ws / target
    return ws / "cases" / MINIMAL_CASE / target


def test_minimal_workspace_is_valid(runner, minimal_ws):
    code, problems = validate_json(runner, minimal_ws)
    assert problems == []
    assert code == 0


@pytest.mark.parametrize("fault", FAULTS, ids=[f.stem for f in FAULTS])
def test_planted_fault(runner, minimal_ws, fault):
    text = fault.read_text(encoding="utf-8")
    target, expected = expectations(text)
    path = place(minimal_ws, target)
    path.write_text(text, encoding="utf-8")
    today = next((m[1] for line in text.splitlines() if (m := _TODAY.match(line))), DEFAULT_TODAY)
    code, problems = validate_json(runner, minimal_ws, today)
    found = {(p["line"], p["column"], p["code"]) for p in problems if p["path"].endswith(target)}
    assert found == expected, problems
    if any(p["level"] == "error" for p in problems):
        assert code == 1
    else:
        assert code == 0


def _write_bytes(ws: Path, target: str, data: bytes) -> Path:
    path = place(ws, target)
    path.write_bytes(data)
    return path


BYTE_FAULTS = {
    # name: (target, bytes, expected (line, col, code))
    "not-utf8": ("case.yaml", b"id: 2026-001-test\ntitle: Familien S\xf8rensen\n", (2, 18, "encoding")),
    "nul-byte": ("case.yaml", b"id: 2026-001-test\ntitle: A\x00B\n", (2, 9, "control-char")),
    "control-char": ("case.yaml", b"id: 2026-001-test\ntitle: A\x1bB\n", (2, 9, "control-char")),
    "tab-indent": ("plan.yaml", b"title: x\nphases:\n\t- id: f1\n", (3, 1, "bad-indent")),
    "nbsp-indent": ("plan.yaml", "title: x\nphases:\n \u00a0- id: f1\n".encode(), (3, 2, "bad-indent")),
    "conflict-marker": ("plan.yaml", b"title: x\n<<<<<<< HEAD\nfrom: 2026-03-02\n=======\nfrom: 2026-03-03\n>>>>>>> other\n",
                        (2, 1, "conflict-marker")),
    "empty": ("agreements.yaml", b"# only a comment\n", (1, 1, "empty-file")),
    "syntax": ("agreements.yaml", b"agreements:\n  - id: a1\n   text: [unclosed\n", None),
    "multi-document": ("agreements.yaml", b"agreements: []\n---\nquestions: []\n", (2, 1, "syntax")),
}


@pytest.mark.parametrize("name", sorted(BYTE_FAULTS))
def test_byte_level_fault(runner, minimal_ws, name):
    target, data, expected = BYTE_FAULTS[name]
    _write_bytes(minimal_ws, target, data)
    code, problems = validate_json(runner, minimal_ws)
    assert code == 1
    mine = [p for p in problems if p["path"].endswith(target)]
    if expected is None:
        assert [p["code"] for p in mine] == ["syntax"]
        assert mine[0]["line"] >= 2
    else:
        assert (mine[0]["line"], mine[0]["column"], mine[0]["code"]) == expected, mine
    if name == "conflict-marker":
        assert [(p["line"], p["code"]) for p in mine] == [(2, "conflict-marker"), (4, "conflict-marker"),
                                                          (6, "conflict-marker")]


def test_bom_and_crlf_are_accepted(runner, minimal_ws):
    path = place(minimal_ws, "case.yaml")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    code, problems = validate_json(runner, minimal_ws)
    assert (code, problems) == (0, [])


def test_too_deep(runner, minimal_ws):
    path = place(minimal_ws, "agreements.yaml")
    path.write_text("agreements: " + "[" * 30 + "]" * 30 + "\n")
    code, problems = validate_json(runner, minimal_ws)
    assert code == 1
    assert [(p["line"], p["code"]) for p in problems] == [(1, "too-deep")]


def test_too_large(runner, minimal_ws):
    path = place(minimal_ws, "agreements.yaml")
    path.write_text("agreements: []\n" + "# padding\n" * 120_000)
    code, problems = validate_json(runner, minimal_ws)
    assert code == 1
    assert [(p["line"], p["column"], p["code"]) for p in problems] == [(1, 1, "too-large")]


def test_symlink_in_case_folder_is_refused(runner, minimal_ws, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("agreements: []\n")
    path = place(minimal_ws, "agreements.yaml")
    path.unlink()
    os.symlink(outside, path)
    code, problems = validate_json(runner, minimal_ws)
    assert code == 1
    assert [(p["path"].rsplit("/", 1)[-1], p["code"]) for p in problems] == [("agreements.yaml", "symlink")]


def test_missing_and_unknown_files(runner, minimal_ws):
    folder = minimal_ws / "cases" / MINIMAL_CASE
    (folder / "plan.yaml").rename(folder / "plan.yml")
    (folder / "meetings" / "2026-03-02-moede.yaml").rename(folder / "meetings" / "moede.yaml")
    code, problems = validate_json(runner, minimal_ws)
    assert code == 1
    codes = sorted((p["path"].rsplit("/", 1)[-1], p["code"]) for p in problems)
    assert ("plan.yaml", "missing-file") in codes
    assert ("plan.yml", "unknown-file") in codes
    assert ("moede.yaml", "meeting-filename") in codes


def test_all_problems_in_one_run(runner, minimal_ws):
    """Faults in several files are all reported, sorted by place."""
    targets = []
    for fault in ("bad-status", "unknown-key", "done-without-date", "meeting-date-mismatch"):
        text = (DATA / "faults" / f"{fault}.yaml").read_text()
        target, _ = expectations(text)
        place(minimal_ws, target).write_text(text)
        targets.append(target)
    code, problems = validate_json(runner, minimal_ws)
    assert code == 1
    # The minimal case's other files may refer to what a fault file left out.
    problems = [p for p in problems if p["path"].endswith(tuple(targets))]
    assert {p["code"] for p in problems} == {"bad-value", "unknown-key", "status-date", "meeting-date"}
    keys = [(p["path"], p["line"], p["column"]) for p in problems]
    assert keys == sorted(keys)


def test_json_fields(runner, minimal_ws):
    text = (DATA / "faults" / "bad-status.yaml").read_text()
    place(minimal_ws, "case.yaml").write_text(text)
    _, problems = validate_json(runner, minimal_ws)
    assert len(problems) == 1
    problem = problems[0]
    assert set(problem) == {"path", "line", "column", "level", "code", "message"}
    assert isinstance(problem["line"], int) and isinstance(problem["column"], int)
    assert problem["level"] == "error"
    assert problem["message"] == ("'aktiv' er ikke en gyldig sagsstatus; skal være active, closed eller paused "
                                  "(mente du 'active'?)")
    english = run_cli(runner, ["validate", "--workspace", str(minimal_ws), "--format", "json", "--lang", "en"])
    assert "did you mean 'active'" in json.loads(english.stdout)["problems"][0]["message"]


def test_cpr_number_is_never_printed(runner, minimal_ws):
    text = (DATA / "faults" / "cpr-number.yaml").read_text()
    place(minimal_ws, "case.yaml").write_text(text.replace("role: child", "role: 010203-1234"))
    for fmt in ("text", "json", "plain"):
        result = run_cli(runner, ["validate", "--workspace", str(minimal_ws), "--format", fmt])
        assert "cpr-number" in result.stdout
        assert "010203" not in result.stdout and "1234" not in result.stdout


def test_text_view_quotes_the_line_with_carets(runner, minimal_ws):
    text = (DATA / "faults" / "bad-status.yaml").read_text()
    place(minimal_ws, "case.yaml").write_text(text)
    danish = run_cli(runner, ["validate", "--workspace", str(minimal_ws), "--format", "plain"]).stdout
    assert re.search(r"case\.yaml:\d+:9: fejl bad-value: 'aktiv' er ikke en gyldig sagsstatus; "
                     r"skal være active, closed eller paused \(mente du 'active'\?\)", danish)
    result = run_cli(runner, ["validate", "--workspace", str(minimal_ws), "--lang", "en"])
    lines = result.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "bad-value" in line)
    assert re.match(r".*case\.yaml:\d+:9: error bad-value: 'aktiv'", lines[first])
    assert lines[first + 1].strip() == "status: aktiv"
    assert lines[first + 2] == "    " + " " * 8 + "^" * 5
    assert "hint: did you mean 'active'?" in lines[first + 3]
    assert result.exit_code == 1


def test_caret_marks_only_the_flow_item(runner, minimal_ws):
    """Issue 9: in `send_to: [mor, sb-job, nobody, "sb-famile"]` each unknown id is
    reported at its own column and the ^^^ runs under that item only."""
    text = (DATA / "faults" / "unknown-recipient-flow.yaml").read_text()
    place(minimal_ws, "meetings/2026-03-02-moede.yaml").write_text(text)
    result = run_cli(runner, ["validate", "--workspace", str(minimal_ws), "--lang", "en", "--format", "text"])
    lines = result.stdout.splitlines()
    quoted = 'send_to: [mor, sb-job, nobody, "sb-famile"]'
    carets = [lines[i + 2] for i, line in enumerate(lines) if "unknown-reference" in line]
    assert all(lines[i + 1].strip() == quoted for i, line in enumerate(lines) if "unknown-reference" in line)
    assert carets == ["    " + " " * 23 + "^" * 6, "    " + " " * 31 + "^" * 11]


def test_caret_in_a_block_list(runner, minimal_ws):
    text = (DATA / "faults" / "unknown-recipient-block.yaml").read_text()
    place(minimal_ws, "meetings/2026-03-02-moede.yaml").write_text(text)
    result = run_cli(runner, ["validate", "--workspace", str(minimal_ws), "--lang", "en", "--format", "text"])
    lines = result.stdout.splitlines()
    excerpts = [(lines[i + 1], lines[i + 2]) for i, line in enumerate(lines) if "unknown-reference" in line]
    assert excerpts == [("      - nobody", "        " + "^" * 6), ("      - sb-famile", "        " + "^" * 9)]
