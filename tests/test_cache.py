"""The store of per-case results: the same output with and without it, served from it the
second time (its hit counter, not a guess), made again when entries are damaged, private,
safe with two commands at once, and stale never."""

from __future__ import annotations

import os
import pickle
import random
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import run_cli
from familieplan.engine import store as cache
from familieplan.format import nodes as yamlnodes
from familieplan.problems import Problem
from familieplan.settings import Settings

TODAY = "2026-11-23"
CASES = 4  # in examples/


def commands(ws: Path) -> list[list[str]]:
    w = ["--workspace", str(ws)]
    return [
        ["validate", *w, "--today", TODAY], ["validate", *w, "--format", "json", "--today", TODAY],
        ["check-load", *w], ["check-load", *w, "--format", "json"], ["check-load", *w, "--format", "md", "--lang", "en"],
        ["check-load", "2026-002-karimi", *w, "--person", "nadia"],
        ["due", *w, "--today", TODAY], ["due", *w, "--today", TODAY, "--format", "json", "--within", "30"],
        ["status", *w, "--today", TODAY], ["status", *w, "--today", TODAY, "--format", "md"],
        ["validate", *w, "--today", TODAY, "--lang", "en"],
        ["check-load", *w, "--today", TODAY, "--format", "json"], ["check-load", *w, "--today", TODAY, "--lang", "en"],
        ["due", *w, "--today", TODAY, "--consents-within", "400"], ["status", *w, "--today", TODAY, "--lang", "en"],
        ["report", *w, "--today", TODAY], ["report", *w, "--today", TODAY, "--format", "json", "--lang", "en"],
        ["report", "2026-002-karimi", *w, "--today", TODAY, "--for", "sb-familie", "--format", "md"],
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


@pytest.mark.parametrize("command", [["due"], ["status"], ["validate"], ["due", "--format", "json"]])
def test_a_new_day_is_a_warm_day(runner, ws, command):
    """What depends on the date is worked out from the stored facts: another --today is
    served from the same entries, and says what a run without the store says."""
    w = ["--workspace", str(ws)]
    run_cli(runner, [*command, *w, "--today", TODAY])
    for later in ("2026-11-24", "2027-03-01", "2025-06-01"):
        cache.STATS.reset()
        warm = _out(runner, [*command, *w, "--today", later])
        assert cache.STATS.misses == 0 and cache.STATS.hits == CASES, later
        assert warm == _out(runner, [*command, *w, "--today", later, "--no-cache"])


def test_cache_is_private(runner, ws):
    run_cli(runner, ["validate", "--workspace", str(ws)])
    home = cache.cache_home()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache.store_path(ws).stat().st_mode) == 0o600
    home.chmod(0o777)  # loosened by someone: made private again before use
    run_cli(runner, ["validate", "--workspace", str(ws)])
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


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
    assert cache.store_path(ws).exists()
    result = run_cli(runner, ["cache", "clear", "--workspace", str(ws)])
    assert result.exit_code == 0 and not cache.store_path(ws).exists()
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
        assert outs[0][0] == outs[1][0] and outs[0][0].startswith("{\n\"format\": 1,\n\"problems\": ")
    third = subprocess.run(args, env=env, capture_output=True, text=True)
    assert third.stdout == outs[0][0]
    assert f"{CASES} hits" in third.stderr and "0 misses" in third.stderr


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


def test_settings_with_problems_are_the_same_from_the_cache(runner, ws):
    settings = ws / "familieplan.yaml"
    settings.write_text(settings.read_text() + "\nunknown_key: 1\n")
    args = ["validate", "--workspace", str(ws), "--today", TODAY]
    uncached = _out(runner, [*args, "--no-cache"])
    assert "unknown_key" in uncached[1] or "unknown" in uncached[1]
    assert _out(runner, args) == _out(runner, args) == uncached


def test_each_chunk_streams_in_order_and_lets_go(tmp_path):
    from familieplan.engine import pool as parallel

    folders = [tmp_path / f"{i:04d}" for i in range(450)]
    seen = list(parallel.each_chunk(_names, tmp_path, Settings(), folders, None, jobs=2))
    assert max(len(chunk) for chunk in seen) <= parallel.MAX_CHUNK
    assert [name for chunk in seen for name in chunk] == [f.name for f in folders]


@given(count=st.integers(0, 20_000), jobs=st.integers(1, 16))
def test_chunks_cover_every_folder_once_and_shrink_toward_the_end(count, jobs):
    from familieplan.engine import pool as parallel

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
    from familieplan.engine import pool as parallel
    from familieplan.engine.progress import reporting_progress

    calls = []
    folders = [tmp_path / f"{i:04d}" for i in range(parallel.MIN_CASES_FOR_WORKERS + 37)]
    with reporting_progress(lambda done, total: calls.append((done, total))):
        list(parallel.each_chunk(_names, tmp_path, Settings(), folders, None, jobs=2))
    sizes = [end - start for start, end in parallel.chunk_bounds(len(folders), 2)]
    assert calls == [(sum(sizes[:i + 1]), len(folders)) for i in range(len(sizes))]


def _names(root, settings, folders, extra):  # type: ignore[no-untyped-def]
    return [f.name for f in folders]


def test_a_problem_pickles_with_every_field() -> None:
    """Problem pickles as a call with its fields (faster to load than a slotted dataclass's
    state): every field, in order, comes back."""
    import dataclasses
    import pickle

    from familieplan.problems import Source

    values = {"source": Source("cases/a/plan.yaml", 3, 5), "level": "warning", "code": "bad-value",
              "message_id": "{x} is odd", "hint_id": "try {x}", "args": (("x", ("a", "b")),), "quote": "  x: 1"}
    assert [f.name for f in dataclasses.fields(Problem)] == list(values)
    problem = Problem(**values)  # type: ignore[arg-type]
    again = pickle.loads(pickle.dumps(problem, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == problem and type(again) is Problem



def _stored(ws: Path) -> list[tuple]:
    with sqlite3.connect(cache.store_path(ws)) as db:
        return list(db.execute("SELECT rowid, signature, outcome, result, checksum, params FROM entries"))


INTEGRITY_COMMANDS = [["validate", "--format", "json"], ["check-load", "--format", "json"],
                      ["due", "--today", TODAY, "--format", "json"], ["status", "--today", TODAY],
                      ["report", "--today", TODAY, "--format", "json"], ["validate"]]


def _damage(ws: Path, rng: random.Random) -> None:
    """A random bit flipped or byte changed in every column of every stored entry."""
    with sqlite3.connect(cache.store_path(ws)) as db:
        for rowid, *columns in _stored(ws):
            for name, value in zip(("signature", "outcome", "result", "checksum", "params"), columns, strict=True):
                if not value:
                    continue
                data = bytearray(value.encode() if isinstance(value, str) else value)
                at = rng.randrange(len(data))
                if rng.random() < 0.5:
                    data[at] ^= 1 << rng.randrange(8)
                else:
                    data[at] = rng.randrange(256)
                changed = data.decode("utf-8", "replace") if isinstance(value, str) else bytes(data)
                db.execute(f"UPDATE entries SET {name} = ? WHERE rowid = ?", (changed, rowid))


@pytest.mark.parametrize("seed", range(3))
def test_damaged_entries_give_the_output_of_no_cache(runner, ws, seed):
    _check_damage(runner, ws, seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3, 25))
def test_damaged_entries_give_the_output_of_no_cache_many_seeds(runner, ws, seed):
    _check_damage(runner, ws, seed)


def _check_damage(runner, ws: Path, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    for command in INTEGRITY_COMMANDS:
        args = [*command, "--workspace", str(ws)]
        uncached = _out(runner, [*args, "--no-cache"])
        assert _out(runner, args) == uncached, args
        _damage(ws, rng)
        cache.STATS.reset()
        damaged = run_cli(runner, args)
        assert damaged.exception is None or isinstance(damaged.exception, SystemExit), args
        assert _out(runner, args) == uncached, args
        assert cache.STATS.hits == CASES, args  # made again, then served


@pytest.mark.parametrize("garbage", [b"", b"not a database", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_store_that_is_no_database_is_made_anew(runner, ws, garbage):
    args = ["check-load", "--workspace", str(ws), "--format", "json"]
    good = _out(runner, args)
    for suffix in ("-wal", "-shm"):
        Path(f"{cache.store_path(ws)}{suffix}").unlink(missing_ok=True)
    cache.store_path(ws).write_bytes(garbage)
    cache.STATS.reset()
    assert _out(runner, args) == good
    cache.STATS.reset()
    assert _out(runner, args) == good
    assert cache.STATS.hits == CASES


def test_an_entry_of_another_shape_is_a_miss(runner, ws):
    args = ["due", "--workspace", str(ws), "--today", TODAY]
    good = _out(runner, args)
    with sqlite3.connect(cache.store_path(ws)) as db:
        for case, kind, params, signature in list(db.execute("SELECT case_name, kind, params, signature FROM entries")):
            outcome = pickle.dumps(("not", "an", "outcome"))
            db.execute("UPDATE entries SET outcome = ?, result = NULL, checksum = ? WHERE case_name = ? AND kind = ?",
                       (outcome, cache._checksum(case, kind, params, signature, outcome, None), case, kind))
    cache.STATS.reset()
    assert _out(runner, args) == good
    assert cache.STATS.misses == CASES


def test_a_new_day_and_a_filter_keep_the_entries_of_every_case(runner, ws):
    """Filters choose cases: another coordinator's view is served from the same entries."""
    w = ["--workspace", str(ws)]
    run_cli(runner, ["check-load", *w, "--format", "json"])
    cache.STATS.reset()
    person = _out(runner, ["check-load", "2026-002-karimi", *w, "--person", "nadia", "--format", "json"])
    assert cache.STATS.misses == 0
    assert person == _out(runner, ["check-load", "2026-002-karimi", *w, "--person", "nadia", "--format", "json",
                                   "--no-cache"])


def test_entries_of_gone_cases_are_pruned(runner, ws):
    w = ["--workspace", str(ws)]
    run_cli(runner, ["validate", *w])
    shutil.rmtree(ws / "cases" / "2025-001-holm")
    run_cli(runner, ["validate", *w])
    with sqlite3.connect(cache.store_path(ws)) as db:
        names = {row[0] for row in db.execute("SELECT case_name FROM entries WHERE kind = 'validate'")}
    assert names == {p.name for p in (ws / "cases").iterdir()}


FILTERED = [["status", "--today", TODAY, "--coordinator", "sb-familie", "--format", "json"],
            ["due", "--today", TODAY, "--responsible", "sb-familie", "--format", "json"],
            ["check-load", "--person", "nadia", "--format", "json"]]


@pytest.mark.parametrize("command", FILTERED)
def test_a_filter_reads_only_the_cases_that_name_its_id(runner, ws, command):
    """Cold, a case whose case.yaml does not name the filter's id is not read; warm or
    cold, cached or not, the output is the same."""
    karimi = ws / "cases" / "2026-002-karimi" / "case.yaml"
    karimi.write_text(karimi.read_text().replace("coordinator: sb-job", "coordinator: sb-familie"))
    args = [*command, "--workspace", str(ws)]
    some_id = command[command.index(next(a for a in command if a.startswith("--") and a not in (
        "--today", "--format"))) + 1]
    naming = sum(some_id in (p / "case.yaml").read_text() for p in (ws / "cases").iterdir())
    assert 0 < naming < CASES
    cache.STATS.reset()
    cold = _out(runner, args)
    assert cache.STATS.misses - cache.STATS.hits <= CASES and cache.STATS.writes == naming + 1  # + the settings
    assert cold == _out(runner, args) == _out(runner, [*args, "--no-cache"])
    run_cli(runner, [*command[:1], "--workspace", str(ws), *(["--today", TODAY] if "--today" in command else [])])
    assert _out(runner, args) == cold  # served from the entries of a run over every case


def test_an_invalid_case_that_names_the_coordinator_is_not_left_out(runner, ws):
    holm = ws / "cases" / "2025-001-holm" / "case.yaml"
    holm.write_text(holm.read_text().replace("status: active", "status: aktiv"))
    args = ["status", "--workspace", str(ws), "--today", TODAY, "--coordinator", "sb-job"]
    result = run_cli(runner, args)
    assert result.exit_code == 1 and "2025-001-holm: " in result.output  # skipped, and said so
    assert _out(runner, args) == _out(runner, [*args, "--no-cache"])


def test_a_filter_that_names_nothing_suggests_from_every_case(runner, ws):
    for args in (["status", "--today", TODAY, "--coordinator", "sb-jobb"],
                 ["due", "--today", TODAY, "--responsible", "sb-familj"]):
        for extra in ([], ["--no-cache"]):
            result = run_cli(runner, [*args, "--workspace", str(ws), *extra])
            assert result.exit_code == 2 and "mente du" in result.output, result.output
