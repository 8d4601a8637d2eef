"""The cache of per-case results: the same output with and without it, served from it the
second time (its hit counter, not a guess), rebuilt when entries are corrupt, private,
safe with two commands at once, and stale never."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import run_cli
from familieplan.checks.load import Finding
from familieplan.commands.consents import ConsentNotice
from familieplan.format import nodes as yamlnodes
from familieplan.problems import Problem, Source, Term
from familieplan.schedule.attendance import AttendanceTally
from familieplan.schedule.demands import DemandRef
from familieplan.workspace import cache
from familieplan.workspace.codec import Codec, CodecError

TODAY = "2026-11-23"
NOW = "2026-11-23T10:00"
CASES = 4  # in examples/


def commands(ws: Path) -> list[list[str]]:
    w = ["--workspace", str(ws)]
    meeting = sorted((ws / "cases" / "2025-001-holm" / "meetings").glob("*.yaml"))[0]
    return [
        ["validate", *w, "--today", TODAY], ["validate", *w, "--format", "json", "--today", TODAY],
        ["check-load", *w], ["check-load", *w, "--format", "json"], ["check-load", *w, "--format", "md", "--lang", "en"],
        ["check-load", "2026-002-karimi", *w, "--person", "nadia"],
        ["due", *w, "--today", TODAY], ["due", *w, "--today", TODAY, "--format", "json", "--within", "30"],
        ["status", *w, "--today", TODAY], ["status", *w, "--today", TODAY, "--format", "md"],
        ["render-plan", "2025-001-holm", *w, "--output", "-", "--now", NOW, "--today", TODAY],
        ["render-minutes", str(meeting), *w, "--output", "-", "--now", NOW],
        ["export-ics", "2026-002-karimi", *w],
        ["validate", *w, "--today", TODAY, "--lang", "en"],
        ["check-load", *w, "--today", TODAY, "--format", "json"], ["check-load", *w, "--today", TODAY, "--lang", "en"],
        ["due", *w, "--today", TODAY, "--consents-within", "400"], ["status", *w, "--today", TODAY, "--lang", "en"],
        ["report", *w, "--today", TODAY], ["report", *w, "--today", TODAY, "--format", "json", "--lang", "en"],
        ["report", "2026-002-karimi", *w, "--today", TODAY, "--for", "sb-familie", "--format", "md"],
        ["fit", "2026-002-karimi", *w, "--person", "nadia", "--length", "2h", "--per-week", "2", "--today", TODAY],
        ["disclosures", "2025-001-holm", *w],
    ]


def _out(runner, args: list[str]) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    result = run_cli(runner, args)
    # The calendar's DTSTAMP is the moment of export.
    return result.exit_code, re.sub(r"DTSTAMP:\S+", "DTSTAMP:-", result.output)


@pytest.fixture
def ws(examples_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return examples_ws


def test_same_output_with_and_without_the_cache_and_second_run_served_from_it(runner, ws):
    misses = 0
    for args in commands(ws):
        uncached = _out(runner, [*args, "--no-cache"])
        cache.STATS.reset()
        first = _out(runner, args)
        misses += cache.STATS.misses
        cache.STATS.reset()
        second = _out(runner, args)
        assert cache.STATS.misses == 0 and cache.STATS.hits > 0, args
        assert uncached == first == second, args
    assert misses >= 5 * CASES  # validate, check-load, due, status, report each filled the cache once


def test_same_output_without_libyaml(runner, ws, monkeypatch):
    with_c = [_out(runner, args) for args in commands(ws)]  # fills the cache
    monkeypatch.setattr(yamlnodes, "HAVE_LIBYAML", False)
    assert [_out(runner, [*args, "--no-cache"]) for args in commands(ws)] == with_c


def test_one_changed_case_is_read_again_alone(runner, ws):
    args = ["status", "--workspace", str(ws), "--today", TODAY, "--format", "json"]
    run_cli(runner, args)
    plan = ws / "cases" / "2025-001-holm" / "plan.yaml"
    plan.write_text(plan.read_text().replace("title:", "title: Ændret", 1))
    cache.STATS.reset()
    changed = _out(runner, args)
    assert (cache.STATS.hits, cache.STATS.misses) == (CASES - 1, 1)
    assert changed == _out(runner, [*args, "--no-cache"])
    assert "Ændret" in changed[1] or changed[0] == 1


def test_a_change_within_the_same_second_and_size_is_seen(runner, ws):
    args = ["validate", "--workspace", str(ws), "--today", TODAY]
    case = ws / "cases" / "2025-001-holm" / "case.yaml"
    before = case.stat()
    run_cli(runner, args)
    text = case.read_text()
    case.write_text(text.replace("status: active", "status: actove"))  # same size
    os.utime(case, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    result = _out(runner, args)
    assert result == _out(runner, [*args, "--no-cache"])
    assert "actove" in result[1]


def test_files_touched_but_unchanged_are_hits_by_content(runner, ws):
    args = ["due", "--workspace", str(ws), "--today", TODAY]
    first = _out(runner, args)
    for path in (ws / "cases").rglob("*.yaml"):
        path.write_bytes(path.read_bytes())  # a checkout: new mtime and ctime, same bytes
    cache.STATS.reset()
    assert _out(runner, args) == first
    assert cache.STATS.hits == CASES and cache.STATS.misses == 0


def test_settings_are_part_of_the_key(runner, ws):
    args = ["check-load", "--workspace", str(ws), "--format", "json"]
    run_cli(runner, args)
    settings = ws / "familieplan.yaml"
    settings.write_text(settings.read_text() + "\n# a comment\n")
    cache.STATS.reset()
    run_cli(runner, args)
    assert cache.STATS.hits == 0 and cache.STATS.misses == CASES


def test_today_is_part_of_the_key_where_results_depend_on_it(runner, ws):
    w = ["--workspace", str(ws)]
    run_cli(runner, ["due", *w, "--today", TODAY])
    cache.STATS.reset()
    later = _out(runner, ["due", *w, "--today", "2027-03-01"])
    assert cache.STATS.hits == 0
    assert later == _out(runner, ["due", *w, "--today", "2027-03-01", "--no-cache"])


def test_disclosures_are_not_part_of_the_key_but_are_validated(runner, ws):
    w = ["--workspace", str(ws)]
    run_cli(runner, ["check-load", *w])
    run_cli(runner, ["validate", *w, "--today", TODAY])
    log = ws / "cases" / "2025-001-holm" / "disclosures.yaml"
    log.write_text(log.read_text() + "\nbogus: 1\n")
    cache.STATS.reset()
    loads = _out(runner, ["check-load", *w])
    assert (cache.STATS.hits, cache.STATS.revalidated, cache.STATS.misses) == (CASES - 1, 1, 0)
    assert loads == _out(runner, ["check-load", *w, "--no-cache"])
    validated = _out(runner, ["validate", *w, "--today", TODAY])
    assert validated == _out(runner, ["validate", *w, "--today", TODAY, "--no-cache"])
    assert "bogus" in validated[1] and validated[0] == 1


def _entries(ws: Path) -> list[Path]:
    return sorted(cache.workspace_dir(ws).glob("*.entry"))


@pytest.mark.parametrize("garbage", [b"", b"{", b"\xff\xfe", b'{"key": 1}', b"[]", b"null"])
def test_corrupt_entries_are_ignored_and_rebuilt(runner, ws, garbage):
    args = ["check-load", "--workspace", str(ws), "--format", "json"]
    good = _out(runner, args)
    for entry in _entries(ws):
        entry.write_bytes(garbage)
    cache.STATS.reset()
    assert _out(runner, args) == good
    assert cache.STATS.misses == CASES
    cache.STATS.reset()
    assert _out(runner, args) == good
    assert cache.STATS.hits == CASES


def test_an_entry_of_the_right_key_with_wrong_data_is_a_miss(runner, ws):
    args = ["due", "--workspace", str(ws), "--today", TODAY]
    good = _out(runner, args)
    for entry in _entries(ws):
        stored = pickle.loads(entry.read_bytes())  # the test's own entries: plain pickle reads them
        entry.write_bytes(pickle.dumps((*stored[:-1], (("not", "an", "outcome"), None))))
    cache.STATS.reset()
    assert _out(runner, args) == good
    assert cache.STATS.misses == CASES


def test_cache_is_private(runner, ws):
    run_cli(runner, ["validate", "--workspace", str(ws)])
    folder = cache.workspace_dir(ws)
    for path in (folder.parent, folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    entries = _entries(ws)
    assert entries and all(stat.S_IMODE(e.stat().st_mode) == 0o600 for e in entries)
    folder.chmod(0o777)  # loosened by someone: made private again before use
    run_cli(runner, ["validate", "--workspace", str(ws)])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not list(folder.glob(".*.tmp"))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_cache_folder_of_another_account_is_not_used(runner, ws):
    args = ["validate", "--workspace", str(ws)]
    run_cli(runner, args)
    os.chown(cache.cache_home(), 12345, 12345)
    cache.STATS.reset()
    assert run_cli(runner, args).exit_code == 0
    assert cache.STATS.hits == 0


def test_a_link_in_place_of_the_cache_folder_is_not_followed(runner, ws, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    home = cache.cache_home()
    home.parent.mkdir(parents=True, exist_ok=True)
    home.symlink_to(elsewhere)
    cache.STATS.reset()
    assert run_cli(runner, ["validate", "--workspace", str(ws)]).exit_code == 0
    assert cache.STATS.hits == 0 and not list(elsewhere.iterdir())


def test_cache_clear(runner, ws):
    run_cli(runner, ["validate", "--workspace", str(ws)])
    assert _entries(ws)
    result = run_cli(runner, ["cache", "clear", "--workspace", str(ws)])
    assert result.exit_code == 0 and not cache.workspace_dir(ws).exists()
    run_cli(runner, ["validate", "--workspace", str(ws)])
    assert run_cli(runner, ["cache", "clear", "--all"]).exit_code == 0
    assert not cache.cache_home().exists()


def test_two_processes_at_once(ws, tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "FAMILIEPLAN_CACHE_TRACE": "1"}
    args = [sys.executable, "-m", "familieplan", "check-load", "--workspace", str(ws), "--format", "json"]
    for _ in range(3):
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)
        procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outs = [p.communicate() for p in procs]
        assert outs[0][0] == outs[1][0] and outs[0][0].startswith("{\n\"findings\": ")
    third = subprocess.run(args, env=env, capture_output=True, text=True)
    assert third.stdout == outs[0][0]
    assert f"{CASES} hits" in third.stderr and "0 misses" in third.stderr


def test_codec_round_trips_the_results_it_stores():
    src = Source("cases/x/plan.yaml", 3, 5)
    ref = DemandRef("intervention", "i1", "Samtale", "familie", "sb", "family", src)
    finding = Finding("overlap", "error", "x", "mor", (ref, ref), dt.date(2026, 3, 2), dt.date(2026, 6, 1), 12,
                      ((2026, 10),), (0, 2), 12.5, (2026, 11), 10, {"reason": "x", "unavailable_source": src,
                                                                  "busiest_day": dt.date(2026, 3, 2), "n": [1, "a"]},
                      at=Source("cases/x/attendance.yaml", 4, 3))
    term = Term("phase {id}", id="p1")
    problem = Problem(src, "warning", "cpr-number", "{what} in {where} æøå \x1b", "check {what}",
                      (("what", term), ("where", ("a", "b")), ("when", dt.date(2026, 1, 2)), ("n", 3)), "quote")
    tally = AttendanceTally("x", "mor", ref, dt.date(2026, 1, 5), dt.date(2026, 3, 2), 9, 1, 2)
    notice = ConsentNotice("x", "c1", "mor", "expiring", dt.date(2026, 12, 1), ("familie",), ("familie",), src)
    codec = Codec(tuple[tuple[Finding, ...], list[Problem], tuple[AttendanceTally, ...], tuple[ConsentNotice, ...]])
    data = (finding,), [problem], (tally,), (notice,)
    back = codec.loads_entry(codec.dumps_entry(("key", data)))[-1]
    assert back == data
    again = back[1][0].args[0][1]
    assert type(again) is Term and (again.msgid, again.fields) == ("phase {id}", {"id": "p1"})
    with pytest.raises(CodecError):
        codec.loads_entry(codec.dumps_entry(("key", ((("overlap",),), [], [], []))))  # not a Finding
    with pytest.raises(CodecError):
        codec.loads_entry(pickle.dumps(("key", (Term("phase {id}", id="p1"),), [], [], [])) + b"")


class _Planted:
    """What a planted entry would run: a global the cache must never resolve."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, ("touch planted",))


def test_a_planted_entry_runs_no_code_and_is_a_miss(runner, ws, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["due", "--workspace", str(ws), "--today", TODAY]
    good = _out(runner, args)
    for entry in _entries(ws):
        stored = pickle.loads(entry.read_bytes())
        entry.write_bytes(pickle.dumps((*stored[:-1], _Planted())))
    cache.STATS.reset()
    assert _out(runner, args) == good
    assert cache.STATS.misses == CASES and not (tmp_path / "planted").exists()
    codec = Codec(tuple[Problem, None])
    with pytest.raises(CodecError, match="posix.system is not a stored type"):
        codec.loads_entry(pickle.dumps(("key", _Planted())))


def test_codec_fingerprint_follows_the_fields():
    from dataclasses import make_dataclass

    one = make_dataclass("Row", [("a", int)])
    two = make_dataclass("Row", [("a", int), ("b", str)])
    assert Codec(one).fingerprint != Codec(two).fingerprint


def test_a_cached_problem_is_translated_like_a_fresh_one(runner, ws):
    """A message argument that is a catalog word (a Term) survives the cache: the Danish
    and English lines of a cached problem are those of a fresh run."""
    plan = ws / "cases" / "2025-001-holm" / "plan.yaml"
    plan.write_text(plan.read_text().replace("  - id: f2\n", "  - id: f1\n", 1))
    for lang in ("da", "en"):
        args = ["validate", "--workspace", str(ws), "--lang", lang]
        fresh = _out(runner, [*args, "--no-cache"])
        _out(runner, args)
        cache.STATS.reset()
        cached = _out(runner, args)
        assert cache.STATS.hits == CASES and cached == fresh
        assert "duplicate-id" in cached[1] and ("fase" in cached[1]) == (lang == "da")


WARM_MODULES_NOT_NEEDED = ("familieplan.workspace.load", "familieplan.format.nodes", "familieplan.format.specs",
                           "familieplan.checks", "familieplan.checks.case", "familieplan.workspace.parallel", "yaml",
                           "pydantic")  # typer 0.29 validates options through pydantic (~70 ms): pinned below it


@pytest.mark.parametrize("args", [["validate", "--today", TODAY], ["validate", "--format", "json"],
                                  ["check-load", "--format", "json"], ["check-load", "--lang", "en"],
                                  ["due", "--today", TODAY], ["status", "--today", TODAY, "--format", "md"]])
def test_a_run_served_from_the_cache_imports_no_reader_and_no_checks(ws, tmp_path, args):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "FAMILIEPLAN_CACHE_TRACE": "1"}
    probe = ("import sys, runpy\nsys.argv = ['familieplan', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('familieplan', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n")
    cmd = [sys.executable, "-c", probe, *args, "--workspace", str(ws)]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert "familieplan.workspace.load" in first.stderr.split()  # a miss reads the files
    warm = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert f"{CASES} hits" in warm.stderr and "0 misses" in warm.stderr
    assert warm.stdout == first.stdout
    loaded = set(warm.stderr.split())
    assert not loaded & set(WARM_MODULES_NOT_NEEDED)
    # No case records (their classes cost about 20 ms to create): the settings only.
    assert "familieplan.model" not in loaded
    if args[0] in ("validate", "check-load"):  # no working days counted: no calendar, no dateutil
        assert not loaded & {"dateutil", "familieplan.schedule.calendar"}


def test_settings_with_problems_are_the_same_from_the_cache(runner, ws):
    settings = ws / "familieplan.yaml"
    settings.write_text(settings.read_text() + "\nunknown_key: 1\n")
    args = ["validate", "--workspace", str(ws), "--today", TODAY]
    uncached = _out(runner, [*args, "--no-cache"])
    assert "unknown_key" in uncached[1] or "unknown" in uncached[1]
    assert _out(runner, args) == _out(runner, args) == uncached


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("today", [None, dt.date(2026, 11, 23)])
def test_check_load_rows_per_case_are_what_the_reporter_writes_from_findings(ws, lang, today):
    import io

    from familieplan.commands.check_load import LoadOptions, check_load
    from familieplan.render.load import case_rows, json_report

    options = LoadOptions(today=today)
    outputs = []
    for rows in (None, (case_rows, lang), (case_rows, lang)):
        result = check_load(ws, [], options, cache=rows is not None, rows=rows)
        assert (result.rows is None) == (rows is None)
        out = io.StringIO()
        json_report(result, out, lang)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1] == outputs[2]
    assert '"findings": [\n{' in outputs[0]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("color", [False, True])
def test_check_load_text_blocks_per_case_are_what_the_reporter_writes_from_findings(ws, lang, color):
    import io

    from familieplan.commands.check_load import LoadOptions, check_load
    from familieplan.render.load import case_text, text_report

    options = LoadOptions(today=dt.date(2026, 11, 23), overview=True)
    outputs = []
    for rows in (None, (case_text, (lang, color)), (case_text, (lang, color))):
        result = check_load(ws, [], options, cache=rows is not None, rows=rows)
        out = io.StringIO()
        text_report(result, out, lang, color)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1] == outputs[2]
    assert ("\x1b[1m" in outputs[0]) == color and ("Weekly load" in outputs[0]) == (lang == "en")


def test_check_load_json_streams_findings_first_and_says_the_same(runner, ws):
    args = ["check-load", "--workspace", str(ws), "--format", "json", "--today", TODAY]
    streamed = run_cli(runner, args)
    assert streamed.output.startswith('{\n"findings": ')
    kept = run_cli(runner, [*args, "--person", "nadia", "--no-cache"])  # --person: not streamed
    assert kept.output.startswith('{\n"problems": ')
    whole = json.loads(streamed.output)
    assert list(whole) == ["findings", "attendance", "problems", "summary"]
    assert whole["findings"] and whole["summary"]["errors"] >= 1
    nadia = json.loads(kept.output)
    assert [f for f in whole["findings"] if f["person"] == "nadia"] == nadia["findings"]


def test_each_chunk_streams_in_order_and_lets_go(tmp_path):
    from familieplan import model as m
    from familieplan.workspace import parallel

    folders = [tmp_path / f"{i:04d}" for i in range(450)]
    seen = list(parallel.each_chunk(_names, tmp_path, m.Settings(), folders, None, jobs=2))
    assert max(len(chunk) for chunk in seen) <= parallel.MAX_CHUNK
    assert [name for chunk in seen for name in chunk] == [f.name for f in folders]


@given(count=st.integers(0, 20_000), jobs=st.integers(1, 16))
def test_chunks_cover_every_folder_once_and_shrink_toward_the_end(count, jobs):
    from familieplan.workspace import parallel

    bounds = parallel.chunk_bounds(count, jobs)
    assert [start for start, _ in bounds] == [0, *(end for _, end in bounds[:-1])][:len(bounds)]
    assert (bounds[-1][1] if bounds else 0) == count
    sizes = [end - start for start, end in bounds]
    assert all(0 < size <= parallel.MAX_CHUNK for size in sizes)
    assert all(size >= parallel.MIN_CHUNK for size in sizes[:-1])
    assert sizes == sorted(sizes, reverse=True)
    if count >= jobs * 3 * parallel.MIN_CHUNK:  # the last chunks are small: nobody waits long
        assert sizes[-1] <= parallel.MIN_CHUNK


def test_progress_counts_the_folders_of_the_chunks_used(tmp_path):
    from familieplan import model as m
    from familieplan.workspace import parallel
    from familieplan.workspace.progress import reporting_progress

    calls = []
    folders = [tmp_path / f"{i:04d}" for i in range(parallel.MIN_CASES_FOR_WORKERS + 37)]
    with reporting_progress(lambda done, total: calls.append((done, total))):
        list(parallel.each_chunk(_names, tmp_path, m.Settings(), folders, None, jobs=2))
    sizes = [end - start for start, end in parallel.chunk_bounds(len(folders), 2)]
    assert calls == [(sum(sizes[:i + 1]), len(folders)) for i in range(len(sizes))]


def _names(root, settings, folders, extra):  # type: ignore[no-untyped-def]
    return [f.name for f in folders]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_problem_rows_made_in_the_workers_are_what_the_reporters_write(runner, ws, lang):
    """validate (text, json), due, status and check-load (json) have each problem written
    in the workers and cached with its case (`problem_view`): the bytes are those the
    reporter writes from the problems themselves."""
    import io

    from familieplan.commands.check_load import LoadOptions, check_load
    from familieplan.commands.followup import DueOptions, due, status
    from familieplan.commands.validate import validate
    from familieplan.render.reporters import report

    plan = ws / "cases" / "2025-001-holm" / "plan.yaml"
    plan.write_text(plan.read_text().replace("  - id: f2\n", "  - id: f1\n", 1))  # an error in one case
    case = ws / "cases" / "2026-002-karimi" / "case.yaml"
    case.write_text(case.read_text() + "\nnote_cpr: 010203-1234\n")  # a warning quoting a CPR-shaped number
    today = dt.date(2026, 11, 23)
    library = {
        ("validate", "text"): lambda: validate([], ws, today=today, cache=False),
        ("validate", "json"): lambda: validate([], ws, today=today, cache=False),
        ("due", "json"): lambda: due(ws, [], DueOptions(today=today), cache=False),
        ("status", "json"): lambda: status(ws, today, cache=False),
        ("check-load", "json"): lambda: check_load(ws, [], LoadOptions(today=today), cache=False),
    }
    for (command, fmt), made in library.items():
        result = made()
        assert result.problems and not result.rendered
        expected = io.StringIO()
        report(command, result, fmt, expected, lang)
        args = [command, "--workspace", str(ws), "--format", fmt, "--lang", lang, "--today", TODAY]
        outputs = [run_cli(runner, a).stdout for a in (args, args, [*args, "--no-cache"])]
        if command == "check-load":  # streamed: the findings first, the problems after them
            outputs = [json.loads(o)["problems"] for o in outputs]
            assert outputs[0] == outputs[1] == outputs[2] == json.loads(expected.getvalue())["problems"]
            continue
        assert outputs[0] == outputs[1] == outputs[2] == expected.getvalue()
        assert "010203-1234" not in outputs[0] and "duplicate-id" in outputs[0]
    from familieplan.render.jsonout import problem_json

    viewed = validate([], ws, today=today, cache=False, problem_view=(problem_json, lang))
    assert viewed.rendered and set(viewed.rendered) <= {id(p) for p in viewed.problems}


@pytest.mark.parametrize("fmt, color", [("json", False), ("text", False), ("text", True)])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_due_rows_per_case_are_what_the_reporter_writes_from_deadlines(ws, fmt, color, lang):
    import io

    from familieplan.commands.followup import DueOptions, due
    from familieplan.render.followup import due_case_rows
    from familieplan.render.reporters import report

    options = DueOptions(today=dt.date(2026, 3, 10), within_days=400, consents_within=400)
    outputs = []
    for rows in (None, (due_case_rows, (fmt, lang, color)), (due_case_rows, (fmt, lang, color))):
        result = due(ws, [], options, cache=rows is not None, rows=rows)
        assert (result.due_rows is None) == (rows is None)
        out = io.StringIO()
        report("due", result, fmt, out, lang, color)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count("examples/cases/") >= 2 and ("\x1b[" in outputs[0]) == color


def _pack(ws: Path) -> dict[str, bytes]:
    packs = sorted(cache.workspace_dir(ws).glob("pack.*.entry"))
    assert len(packs) == 1
    return pickle.loads(packs[0].read_bytes())[1]  # the test's own pack: plain pickle reads it


def test_one_pack_holds_every_case_and_a_run_over_some_keeps_the_others(runner, ws):
    """The workers' entries go into one pack file (no file per case); a run over one
    named case keeps the other cases' entries in it; a deleted case leaves it."""
    args = ["validate", "--workspace", str(ws), "--today", TODAY]
    run_cli(runner, args)
    assert not [e for e in _entries(ws) if not e.name.startswith(("pack.", "settings."))]  # no file per case
    assert len(_pack(ws)) == CASES
    (ws / "cases" / "2025-001-holm" / "plan.yaml").write_text(
        (ws / "cases" / "2025-001-holm" / "plan.yaml").read_text() + "\n# changed\n")
    run_cli(runner, ["validate", str(ws / "cases" / "2025-001-holm"), "--workspace", str(ws), "--today", TODAY])
    cache.STATS.reset()
    run_cli(runner, args)
    assert (cache.STATS.hits, cache.STATS.misses) == (CASES, 0)
    shutil.rmtree(ws / "cases" / "2024-004-norup")
    (ws / "cases" / "2026-002-karimi" / "plan.yaml").write_text(
        (ws / "cases" / "2026-002-karimi" / "plan.yaml").read_text() + "\n# changed\n")
    run_cli(runner, args)
    assert len(_pack(ws)) == CASES - 1 and not any(n.startswith("2024-004-norup.") for n in _pack(ws))


def test_entries_too_many_for_a_pack_are_written_one_file_per_case(runner, ws, monkeypatch):
    monkeypatch.setattr(cache, "PACK_LIMIT", 1)
    args = ["check-load", "--workspace", str(ws), "--format", "json"]
    good = _out(runner, args)
    assert not list(cache.workspace_dir(ws).glob("pack.*.entry"))
    assert len([e for e in _entries(ws) if not e.name.startswith("settings.")]) == CASES
    cache.STATS.reset()
    assert _out(runner, args) == good
    assert (cache.STATS.hits, cache.STATS.misses) == (CASES, 0)


def test_a_case_or_two_changed_are_written_beside_the_pack_not_into_it(runner, ws, monkeypatch):
    """The daily edit of a case does not rewrite a large caseload's pack: the changed
    case's entry is a file of its own, looked up where the pack is not current."""
    monkeypatch.setattr(cache, "PACK_REWRITE", 0)  # 4 cases stand for a large caseload
    args = ["due", "--workspace", str(ws), "--today", TODAY, "--format", "json"]
    good = _out(runner, args)
    pack = next(cache.workspace_dir(ws).glob("pack.*.entry"))
    before = pack.read_bytes()
    plan = ws / "cases" / "2026-002-karimi" / "plan.yaml"
    plan.write_text(plan.read_text() + "\n# changed\n")
    assert _out(runner, args) == good
    assert pack.read_bytes() == before
    assert [e.name.split(".")[0] for e in _entries(ws) if e.name.startswith("2026-")] == ["2026-002-karimi"]
    cache.STATS.reset()
    assert _out(runner, args) == good
    assert (cache.STATS.hits, cache.STATS.misses, cache.STATS.writes) == (CASES, 0, 0)


def test_a_problem_pickles_with_every_field() -> None:
    """Problem pickles as a call with its fields (faster to load than a slotted dataclass's
    state): every field, in order, comes back."""
    import dataclasses
    import pickle

    from familieplan.problems import Problem, Source

    values = {"source": Source("cases/a/plan.yaml", 3, 5), "level": "warning", "code": "bad-value",
              "message_id": "{x} is odd", "hint_id": "try {x}", "args": (("x", ("a", "b")),), "quote": "  x: 1"}
    assert [f.name for f in dataclasses.fields(Problem)] == list(values)
    problem = Problem(**values)  # type: ignore[arg-type]
    again = pickle.loads(pickle.dumps(problem, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == problem and type(again) is Problem


def test_old_unchanged_files_are_told_in_one_pass_and_every_change_is_still_seen(runner, ws, monkeypatch):
    """Files older than the racy window, unchanged: the one-pass check (`_untouched`) says
    so without the careful listing. A file that grew, came or went, a meeting added, gone
    or edited, a disclosures log that appeared or went: each is seen by it."""
    import shutil
    import time as clock
    import types

    # Entries stamped an hour ahead: every file is then older than the racy window.
    monkeypatch.setattr(cache, "time", types.SimpleNamespace(time_ns=lambda: clock.time_ns() + 3600 * 10**9,
                                                       monotonic_ns=clock.monotonic_ns, monotonic=clock.monotonic,
                                                       time=clock.time, sleep=clock.sleep))
    listed: list[Path] = []
    real = cache.case_files
    monkeypatch.setattr(cache, "case_files", lambda folder: listed.append(folder) or real(folder))
    args = ["validate", "--workspace", str(ws), "--today", TODAY, "--format", "json"]
    holm = ws / "cases" / "2025-001-holm"
    meeting = sorted((holm / "meetings").glob("*.yaml"))[0]
    changes = [
        lambda: None,
        lambda: (holm / "plan.yaml").write_text((holm / "plan.yaml").read_text() + "\n"),  # grew
        lambda: (holm / "notes.txt").write_text("x"),  # came
        lambda: (holm / "notes.txt").unlink(),  # went
        lambda: shutil.copy(meeting, meeting.with_name("2099-01-01.yaml")),  # a meeting added
        lambda: meeting.with_name("2099-01-01.yaml").unlink(),  # and gone
        lambda: meeting.write_text(meeting.read_text() + "\n"),  # a meeting edited
        lambda: (holm / "disclosures.yaml").write_text("disclosures: []\n"),  # a log appeared
        lambda: (holm / "disclosures.yaml").unlink(),  # and went
    ]
    for number, change in enumerate(changes):
        change()
        cache.STATS.reset()
        assert _out(runner, args) == _out(runner, [*args, "--no-cache"])
        if number:
            assert cache.STATS.misses + cache.STATS.revalidated == 1, number
        listed.clear()
        cache.STATS.reset()
        _out(runner, args)
        assert cache.STATS.hits == CASES and not cache.STATS.revalidated and not listed, number
