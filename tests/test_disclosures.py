"""The disclosure log: append-only, valid, safe when renders race; what `report --for`
records; `familieplan disclosures`."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
from pathlib import Path

import pytest

from conftest import MINIMAL_CASE, run_cli
from familieplan.engine.cases import load_cases, load_one
from familieplan.problems import FamilieplanError
from familieplan.workspace import read as loader
from familieplan.workspace.disclosures import LOG_FILE, DisclosureEntry, record_disclosures

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CPH = dt.timezone(dt.timedelta(hours=1))


def entry(n: int, recipient: str = "sb-familie") -> DisclosureEntry:
    return DisclosureEntry(at=dt.datetime(2026, 3, 2, 14, 5, tzinfo=CPH) + dt.timedelta(seconds=n),
                           recipient=recipient, document="minutes", source="meetings/2026-03-02-moede.yaml",
                           about=("mor",), areas=("family",), omitted=n % 3, basis=("c1",), by="sb-job")


def problems_of(ws: Path) -> list:
    settings, _, problems = loader.load_settings(ws)
    found = load_cases(ws, settings, [ws / "cases" / MINIMAL_CASE], only_active=False)
    return problems + found.problems


def test_append_only_and_valid(minimal_ws):
    folder = minimal_ws / "cases" / MINIMAL_CASE
    record_disclosures(folder, [entry(1)])
    first = (folder / LOG_FILE).read_bytes()
    record_disclosures(folder, [entry(2), entry(3, "mor")])
    second = (folder / LOG_FILE).read_bytes()
    assert second.startswith(first)  # earlier entries are never rewritten
    assert problems_of(minimal_ws) == []
    _, case = load_one(minimal_ws, MINIMAL_CASE)
    assert [(d.recipient, d.omitted, d.at) for d in case.disclosures] == [
        ("sb-familie", 1, entry(1).at), ("sb-familie", 2, entry(2).at), ("mor", 0, entry(3).at)]
    assert oct((folder / LOG_FILE).stat().st_mode & 0o777) == "0o600"


def test_values_cannot_break_the_yaml(minimal_ws):
    folder = minimal_ws / "cases" / MINIMAL_CASE
    record_disclosures(folder, [DisclosureEntry(at=dt.datetime(2026, 3, 2, 14, 5, tzinfo=CPH), recipient="mor",
                                                document="minutes", source='x"\n  - at: evil: [1]')])
    text = (folder / LOG_FILE).read_text()
    assert sum(line.startswith("  - at:") for line in text.splitlines()) == 1
    _, case = load_one(folder.parent.parent, MINIMAL_CASE)
    assert case.disclosures[0].source_file == 'x"\n  - at: evil: [1]'


def test_refuses_a_link_and_a_foreign_file(minimal_ws, tmp_path):
    folder = minimal_ws / "cases" / MINIMAL_CASE
    target = tmp_path / "elsewhere.yaml"
    target.write_text("disclosures:\n")
    os.symlink(target, folder / LOG_FILE)
    with pytest.raises(FamilieplanError, match="symbolic link"):
        record_disclosures(folder, [entry(1)])
    assert target.read_text() == "disclosures:\n"
    (folder / LOG_FILE).unlink()
    (folder / LOG_FILE).write_text("disclosures: []\n")
    with pytest.raises(FamilieplanError, match="cannot append"):
        record_disclosures(folder, [entry(1)])


def test_naive_time_is_refused(minimal_ws):
    with pytest.raises(ValueError):
        record_disclosures(minimal_ws / "cases" / MINIMAL_CASE,
                           [DisclosureEntry(at=dt.datetime(2026, 3, 2), recipient="mor", document="plan",
                                            source="plan.yaml")])


def _append_many(folder: str, who: str, rounds: int, barrier) -> None:  # type: ignore[no-untyped-def]
    for n in range(rounds):
        barrier.wait()  # both writers start each round at the same moment
        record_disclosures(Path(folder), [entry(n, who)])


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["flock", "claim"])
def test_two_renders_racing_100_times_lose_no_entry(minimal_ws, backend, monkeypatch):
    """With `flock` and with the lock file of platforms that have neither fcntl nor msvcrt
    (the forked writers inherit the choice)."""
    from familieplan.workspace import lock

    monkeypatch.setattr(lock, "BACKEND", backend)
    folder = minimal_ws / "cases" / MINIMAL_CASE
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    writers = [ctx.Process(target=_append_many, args=(str(folder), who, 100, barrier)) for who in ("mor", "sb-familie")]
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
        assert w.exitcode == 0
    assert problems_of(minimal_ws) == []
    _, case = load_one(minimal_ws, MINIMAL_CASE)
    keys = {(d.recipient, d.at) for d in case.disclosures}
    assert len(case.disclosures) == 200 and len(keys) == 200
    assert (folder / LOG_FILE).read_text().count("disclosures:") == 1
    assert not (folder / f".{LOG_FILE}.lock").exists()


def test_report_for_a_recipient_records_one_entry(runner, minimal_ws, tmp_path):
    folder = minimal_ws / "cases" / MINIMAL_CASE
    base = ["report", MINIMAL_CASE, "--workspace", str(minimal_ws), "--today", "2026-04-01"]
    # sb-familie's department has consent c1 for `family` only: nothing of the goals is released
    out = run_cli(runner, [*base, "--for", "sb-familie", "-f", "md", "-o", str(tmp_path / "r.md")])
    assert out.exit_code == 0, out.stderr
    text = (folder / LOG_FILE).read_text()
    assert sum(line.startswith("  - at:") for line in text.splitlines()) == 1
    assert 'recipient: "sb-familie"' in text and "areas: []" in text and "omitted: 2" in text
    assert 'document: "report"' in text
    assert problems_of(minimal_ws) == []
    # a preview on standard output and a test run record nothing
    run_cli(runner, [*base, "--for", "mor"])
    run_cli(runner, [*base, "--for", "mor", "-o", "-"])
    run_cli(runner, [*base, "--for", "mor", "-o", str(tmp_path / "x.md"), "--no-record"])
    # the internal view (no --for) is not a disclosure
    run_cli(runner, [*base, "-o", str(tmp_path / "internal.md")])
    assert (folder / LOG_FILE).read_text() == text
    run_cli(runner, [*base, "--for", "mor", "-o", str(tmp_path / "mor.md")])
    after = (folder / LOG_FILE).read_text()
    assert after.startswith(text) and 'basis: ["family"]' in after and 'about: ["barn", "mor"]' in after


def test_disclosures_command_filters(runner):
    ws = ["--workspace", str(EXAMPLES)]
    data = json.loads(run_cli(runner, ["disclosures", "2025-001-holm", *ws, "-f", "json"]).stdout)
    rows = data["disclosures"]
    assert len(rows) == 3 and data["problems"] == [] and data["summary"]["disclosures"] == 3
    about = json.loads(run_cli(runner, ["disclosures", "2025-001-holm", *ws, "-f", "json", "--about", "emil"]).stdout)["disclosures"]
    assert [r["recipient"] for r in about] == ["sb-familie", "sara"]
    to = run_cli(runner, ["disclosures", "2025-001-holm", *ws, "--recipient", "underviser"])
    assert "referat (meetings/2025-09-15-faellesmoede.yaml)" in to.stdout and "grundlag: c1" in to.stdout
    bad = run_cli(runner, ["disclosures", "2025-001-holm", *ws, "--about", "emill"])
    assert bad.exit_code == 2 and "--about emill" in bad.stderr


def test_examples_log_is_unchanged_by_the_tests():
    # The committed example log has exactly its three entries (the demo records on a copy).
    text = (EXAMPLES / "cases" / "2025-001-holm" / LOG_FILE).read_text()
    assert text.count("  - at:") == 3
