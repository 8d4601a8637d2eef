"""A named document exists only with its record: an unwritable log, `--for all` against an
existing file, a full disk during the append, kill -9 during renders; a torn entry is never
left valid; two renders within one second are two valid entries; the record is true
(`about` names the family members the document names, `areas` says `no-area`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from familieplan.workspace import disclosures

CASE = "2025-001-holm"
MEETING = f"cases/{CASE}/meetings/2025-09-15-faellesmoede.yaml"
TODAY = "2025-09-16"


def _minutes(runner, ws: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli(runner, ["render-minutes", str(ws / MEETING), "--workspace", str(ws), "--today", TODAY, *extra])


def _entries(ws: Path) -> list[dict]:
    return yaml.safe_load((ws / "cases" / CASE / disclosures.LOG_FILE).read_text(encoding="utf-8"))["disclosures"]


def _documents(ws: Path) -> list[Path]:
    folder = ws / "output" / CASE
    return sorted(folder.iterdir()) if folder.exists() else []


def _validate(runner, ws: Path):  # type: ignore[no-untyped-def]
    return run_cli(runner, ["validate", "--workspace", str(ws), "--no-cache", "-f", "json"])


def test_unwritable_log_leaves_no_document(runner, examples_ws, monkeypatch):
    log = examples_ws / "cases" / CASE / disclosures.LOG_FILE
    before = log.read_bytes()
    real_open = disclosures.open_regular

    def refused(path: Path, flags: int, **kwargs: int) -> int:  # as for a read-only file (root may write any)
        if path == log:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, **kwargs)

    monkeypatch.setattr(disclosures, "open_regular", refused)
    for who in ("sara", "all"):
        result = _minutes(runner, examples_ws, "--for", who, "-f", "md")
        assert result.exit_code == 2 and "disclosures.yaml: Permission denied" in result.stderr
        assert _documents(examples_ws) == [] and log.read_bytes() == before


def test_for_all_against_an_existing_file_writes_nothing(runner, examples_ws):
    first = _minutes(runner, examples_ws, "--for", "sb-familie", "-f", "md")
    assert first.exit_code == 0, first.stderr
    log = (examples_ws / "cases" / CASE / disclosures.LOG_FILE).read_bytes()
    existing = _documents(examples_ws)
    assert len(existing) == 1
    every = _minutes(runner, examples_ws, "--for", "all", "-f", "md")
    assert every.exit_code == 2 and "--force" in every.stderr
    # sb-familie is the third of five recipients: nothing before or after it was written or recorded
    assert _documents(examples_ws) == existing
    assert (examples_ws / "cases" / CASE / disclosures.LOG_FILE).read_bytes() == log
    forced = _minutes(runner, examples_ws, "--for", "all", "-f", "md", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert len(_documents(examples_ws)) == 5 and len(_entries(examples_ws)) == 3 + 1 + 5


def test_full_disk_during_the_append_leaves_neither(runner, examples_ws, monkeypatch):
    log = examples_ws / "cases" / CASE / disclosures.LOG_FILE
    before = log.read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data) -> int:  # type: ignore[no-untyped-def]
        if os.fstat(fd).st_ino == log.stat().st_ino:
            if len(data) > 40:  # the first piece goes in, then the disk is full
                return real_write(fd, bytes(data[:40]))
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(disclosures.os, "write", half_then_full)
    result = _minutes(runner, examples_ws, "--for", "all", "-f", "md")
    monkeypatch.undo()
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert log.read_bytes() == before  # cut back: no torn entry
    assert _documents(examples_ws) == []
    assert not any(p.name.endswith(".tmp") for p in (examples_ws / "output" / CASE).iterdir())
    assert _validate(runner, examples_ws).exit_code == 0


def test_a_torn_entry_is_an_error(runner, examples_ws):
    log = examples_ws / "cases" / CASE / disclosures.LOG_FILE
    whole = log.read_text(encoding="utf-8")
    assert _validate(runner, examples_ws).exit_code == 0
    # torn at a line end: the entry lacks `omitted` and `basis`, and YAML alone accepts it
    torn = whole + '  - at: 2026-01-02T10:00:00+01:00\n    recipient: "sara"\n    document: "plan"\n' \
                   '    source: "plan.yaml"\n    about: ["sara"]\n    areas: ["family"]\n'
    log.write_text(torn, encoding="utf-8")
    result = _validate(runner, examples_ws)
    assert result.exit_code == 1
    codes = [(p["code"], p["line"]) for p in json.loads(result.stdout)["problems"]]
    assert ("torn-disclosure", whole.count("\n") + 1) in codes
    # torn inside the last line, which still parses: the missing line end tells
    log.write_text(whole + '  - at: 2026-01-02T10:00:00+01:00\n    recipient: "sara"\n    document: "plan"\n'
                   '    source: "plan.yaml"\n    about: ["sara"]\n    areas: ["family"]\n    omitted: 0\n'
                   '    basis: ["family"]', encoding="utf-8")
    result = _validate(runner, examples_ws)
    assert result.exit_code == 1 and "torn-disclosure" in result.stdout


def test_md_then_html_within_a_second_are_two_valid_entries(runner, examples_ws):
    now = ["--now", "2025-09-16T10:30"]  # the same moment for both: the key must still differ
    for fmt in ("md", "html"):
        result = _minutes(runner, examples_ws, "--for", "sara", "-f", fmt, *now)
        assert result.exit_code == 0, result.stderr
    new = _entries(examples_ws)[3:]
    assert len(new) == 2 and new[0]["at"] != new[1]["at"]
    assert new[1]["at"] - new[0]["at"] < dt.timedelta(seconds=1)
    assert _validate(runner, examples_ws).exit_code == 0


def test_the_record_names_the_family_the_document_names(runner, examples_ws):
    # laerer reads little of the case; the minutes still name Sara among the participants
    result = _minutes(runner, examples_ws, "--for", "laerer", "-f", "md")
    assert result.exit_code == 0, result.stderr
    text = _documents(examples_ws)[0].read_text(encoding="utf-8")
    entry = _entries(examples_ws)[-1]
    assert "Sara Holm" in text and "sara" in entry["about"]
    assert entry["areas"] == ["school", "no-area"]  # the agenda's items without an area were given
    shown = run_cli(runner, ["disclosures", CASE, "--workspace", str(examples_ws), "--recipient", "laerer"])
    assert "områder: skole og uden livsområde" in shown.stdout
    assert _validate(runner, examples_ws).exit_code == 0


def test_a_leftover_temporary_file_is_removed_on_the_next_run(runner, examples_ws):
    folder = examples_ws / "output" / CASE
    folder.mkdir(parents=True)
    name = "2025-09-15-faellesmoede-referat-til-sara.md"
    leftover = folder / f".{name}.0123456789ab.tmp"
    leftover.write_text("half a document")
    assert _minutes(runner, examples_ws, "--for", "sara", "-f", "md").exit_code == 0
    assert not leftover.exists() and (folder / name).exists()


_RENDER = """
import sys
from familieplan.cli import main
sys.argv = ["familieplan", "render-minutes", sys.argv[1], "--workspace", sys.argv[2], "--today", "2025-09-16",
            "--for", "all", "-f", "md"]
main()
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL at a random moment: a POSIX test, run on Linux CI")
def test_kill_9_in_100_renders_never_leaves_a_document_without_its_record(runner, examples_ws):
    rng = random.Random(2209)
    folder = examples_ws / "output" / CASE
    for _ in range(100):
        for document in _documents(examples_ws):  # what is on disk after the kill is this round's
            document.unlink()
        before = len(_entries(examples_ws))
        proc = subprocess.Popen([sys.executable, "-c", _RENDER, str(examples_ws / MEETING), str(examples_ws)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # every document on disk has its record from this round (a killed run may leave
        # records without documents, never the other way round)
        recorded = {e["recipient"] for e in _entries(examples_ws)[before:]}
        for document in _documents(examples_ws):
            if not document.name.endswith(".tmp"):
                assert document.stem.rsplit("-til-", 1)[1] in recorded, document.name
    result = _validate(runner, examples_ws)
    assert result.exit_code == 0, result.stdout
    # the next run removes what killed runs left
    assert _minutes(runner, examples_ws, "--for", "all", "-f", "md", "--force").exit_code == 0
    assert not any(p.name.endswith(".tmp") for p in folder.iterdir())


def test_the_same_key_twice_is_moved_on_by_a_microsecond(minimal_ws):
    folder = minimal_ws / "cases" / "2026-001-test"
    at = dt.datetime(2026, 3, 2, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    entry = disclosures.DisclosureEntry(at=at, recipient="mor", document="plan", source="plan.yaml")
    first = disclosures.record_disclosures(folder, [entry, entry])
    # the same moment written with another offset is the same key as well
    utc = dt.datetime(2026, 3, 2, 13, 5, 0, 1, tzinfo=dt.timezone.utc)  # the second entry's moment
    second = disclosures.record_disclosures(folder, [disclosures.DisclosureEntry(
        at=utc, recipient="mor", document="plan", source="plan.yaml")])
    assert [e.at for e in first + second] == [at, at + dt.timedelta(microseconds=1), utc + dt.timedelta(microseconds=1)]
    text = (folder / disclosures.LOG_FILE).read_text()
    assert "at: 2026-03-02T14:05:00+01:00\n" in text and "at: 2026-03-02T14:05:00.000001+01:00\n" in text
