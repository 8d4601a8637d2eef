"""familieplan on Windows. Off Windows the commands run in a Python that behaves as CPython
does on Windows where familieplan could notice (tests/windows/sitecustomize.py: no
`fcntl`, no `dir_fd`, no `fchmod`, no O_NOFOLLOW, folders that cannot be opened, text-mode
descriptors, Windows' rename, only `spawn`); on Windows they run as they are. Also: the
retried `os.replace` and the write without hard links, on a fake clock."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLES, MINIMAL_CASE, Served
from familieplan.problems import FamilieplanError
from familieplan.workspace import files
from familieplan.workspace.disclosures import LOG_FILE

ON_WINDOWS = sys.platform == "win32"
SIMULATION = Path(__file__).parent / "windows"
POSIX_ONLY = ("fcntl", "pwd", "grp", "termios", "resource")
HOLM = "2025-001-holm"
KARIMI = "2026-002-karimi"
TODAY = "2026-11-23"


def windows_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a run as on Windows: the simulation first on PYTHONPATH (off
    Windows), and a cache folder of the test's own."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONIOENCODING": "utf-8"}
    if not ON_WINDOWS:
        env["PYTHONPATH"] = os.pathsep.join([str(SIMULATION), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def run(env: dict[str, str], *args: str, cwd: Path, code: int = 0) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "familieplan", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd, timeout=180)
    shown = proc.stdout + proc.stderr
    assert "Traceback" not in shown and "Permission denied" not in shown, (args, shown)
    assert proc.returncode == code, (args, proc.returncode, shown)
    return proc


def python(env: dict[str, str], code: str, cwd: Path) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout


@pytest.mark.skipif(ON_WINDOWS, reason="the simulation is for other platforms")
def test_the_simulation_is_in_force(tmp_path):
    probe = """
import errno, multiprocessing, os
try:
    import fcntl
except ImportError:
    print("no fcntl")
try:
    os.open(".", os.O_RDONLY)
except PermissionError:
    print("no open folder")
try:
    os.stat("x", dir_fd=0)
except NotImplementedError:
    print("no dir_fd")
print(multiprocessing.get_all_start_methods(), hasattr(os, "fchmod"), hasattr(os, "O_NOFOLLOW"))
fd = os.open("t.txt", os.O_WRONLY | os.O_CREAT)
os.write(fd, b"a\\n")
os.close(fd)
print(open("t.txt", "rb").read())
"""
    assert python(windows_env(tmp_path), probe, tmp_path).splitlines() == [
        "no fcntl", "no open folder", "no dir_fd", "['spawn'] False False", "b'a\\r\\n'"]


def test_importing_the_api_needs_no_posix_only_module(tmp_path):
    code = ("import sys, familieplan.api, familieplan.cli, familieplan.web.app\n"
            f"print([m for m in {POSIX_ONLY!r} if sys.modules.get(m) is not None])\n")
    assert python(windows_env(tmp_path), code, tmp_path).strip() == "[]"


@pytest.fixture
def sim(tmp_path):
    """The environment, and a copy of the examples (`ex`) beside a place for output (`out`)."""
    shutil.copytree(EXAMPLES, tmp_path / "ex")
    (tmp_path / "out").mkdir()
    return windows_env(tmp_path)


def test_scaffolding_commands(tmp_path, sim):
    run(sim, "init", "ws", "--no-git", cwd=tmp_path)
    assert (tmp_path / "ws" / "familieplan.yaml").is_file() and (tmp_path / "ws" / "schemas").is_dir()
    run(sim, "new-case", "Familien Test", "--today", "2026-03-02", "--workspace", "ws", cwd=tmp_path)
    run(sim, "new-case", "Familien Test", "--today", "2026-03-02", "--workspace", "ws", "--force", cwd=tmp_path)
    cases = sorted(p.name for p in (tmp_path / "ws" / "cases").iterdir())
    assert cases == ["2026-001-familien-test", "2026-002-familien-test"]
    refused = run(sim, "new-case", "X", "--id", cases[0], "--workspace", "ws", code=2, cwd=tmp_path)
    assert refused.stderr.startswith("familieplan: fejl: ") and len(refused.stderr.splitlines()) == 1
    run(sim, "new-case", "X", "--id", cases[0], "--workspace", "ws", "--force", cwd=tmp_path)
    run(sim, "new-meeting", HOLM, "--date", "2026-12-01", "--workspace", "ex", cwd=tmp_path)
    assert (tmp_path / "ex" / "cases" / HOLM / "meetings" / "2026-12-01-faellesmoede.yaml").is_file()
    run(sim, "validate", "--workspace", "ws", cwd=tmp_path)
    run(sim, "validate", "--workspace", "ex", cwd=tmp_path)


def test_rendering_commands(tmp_path, sim):
    meeting = f"ex/cases/{HOLM}/meetings/2025-09-15-faellesmoede.yaml"
    run(sim, "render-minutes", meeting, "--workspace", "ex", "-f", "html", "--for", "all", "--no-record", cwd=tmp_path)
    assert len(list((tmp_path / "ex" / "output" / HOLM).glob("2025-09-15-*.html"))) >= 2
    run(sim, "render-plan", HOLM, "--workspace", "ex", "-f", "md", cwd=tmp_path)
    assert list((tmp_path / "ex" / "output" / HOLM).glob("*.md"))
    for _ in range(2):  # the second replaces the first
        run(sim, "render-plan", HOLM, "--workspace", "ex", "-f", "html", "-o", "out/plan.html", "--force", cwd=tmp_path)
    assert (tmp_path / "out" / "plan.html").read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")
    again = run(sim, "render-plan", HOLM, "--workspace", "ex", "-f", "html", "-o", "out/plan.html", code=2, cwd=tmp_path)
    assert "--force" in again.stderr
    run(sim, "report", "--workspace", "ex", "--today", TODAY, "-f", "html", "-o", "out/report.html", cwd=tmp_path)
    log = tmp_path / "ex" / "cases" / KARIMI / LOG_FILE
    before = log.read_bytes() if log.exists() else b""
    run(sim, "report", KARIMI, "--workspace", "ex", "--today", TODAY, "--for", "misbrugsbehandler", "-f", "md",
        "-o", "out/karimi.md", cwd=tmp_path)
    after = log.read_bytes()
    assert after.startswith(before) and after.count(b"  - at:") == before.count(b"  - at:") + 1
    assert b"\r" not in after[len(before):]  # written in binary mode
    assert not list(log.parent.glob(".*.lock"))
    run(sim, "schema", "--output", "out/schemas", cwd=tmp_path)
    assert len(list((tmp_path / "out" / "schemas").glob("*.schema.json"))) == 8
    run(sim, "export-ics", HOLM, "--workspace", "ex", "--output", "out/holm.ics", cwd=tmp_path)
    ics = (tmp_path / "out" / "holm.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\r\n" not in ics and ics.count(b"\n") == ics.count(b"\r\n")
    for name in ("report.html", "karimi.md"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    run(sim, "validate", "--workspace", "ex", cwd=tmp_path)
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_the_store_keeps_results_between_runs(tmp_path, sim):
    """The SQLite store of results (in the test's own cache folder) is written and read."""
    traced = {**sim, "FAMILIEPLAN_CACHE_TRACE": "1"}
    first = run(traced, "validate", "--workspace", "ex", cwd=tmp_path)
    second = run(traced, "validate", "--workspace", "ex", cwd=tmp_path)
    cases = sum(1 for p in (tmp_path / "ex" / "cases").iterdir() if p.is_dir())
    assert "0 hits" in first.stderr and f"{cases} misses" in first.stderr, first.stderr
    assert f"{cases} hits" in second.stderr and "0 misses" in second.stderr, second.stderr
    assert list((tmp_path / "cache" / "familieplan").glob("*.sqlite3"))


def test_serve_builds_its_app_and_serves_a_case(tmp_path, sim):
    code = ("import datetime as dt; from pathlib import Path\n"
            "from familieplan.web.app import ServeOptions, create_app\n"
            "app = create_app(ServeOptions(Path('ex'), today=dt.date(2026, 5, 20), access_log=Path('out/log')))\n"
            "print(type(app).__name__)\n")
    assert python(sim, code, tmp_path).strip()
    if ON_WINDOWS:
        return  # Served stops the server with SIGINT
    server = Served(tmp_path / "ex", "--today", "2026-05-20", env=sim)
    try:
        status, _, body = server.request("GET", f"/cases/{HOLM}")
        assert status == 200 and "Familien Holm" in body
    finally:
        assert server.stop() == 130
    assert HOLM in (tmp_path / "ex" / "output" / "access-log.jsonl").read_text(encoding="utf-8")


def test_workers_start_with_spawn(tmp_path, sim):
    """Enough cases for worker processes: on Windows they are spawned, not forked."""
    ws = tmp_path / "many"
    (ws / "cases").mkdir(parents=True)
    shutil.copy(DATA / "minimal" / "familieplan.yaml", ws)
    for n in range(1, 161):
        case_id = f"2026-{n:03d}-test"
        shutil.copytree(DATA / "minimal" / "cases" / MINIMAL_CASE, ws / "cases" / case_id)
        case = ws / "cases" / case_id / "case.yaml"
        case.write_text(case.read_text().replace(f"id: {MINIMAL_CASE}", f"id: {case_id}"))
    done = run(sim, "validate", "--workspace", str(ws), "--jobs", "2", cwd=tmp_path)
    assert "160" in done.stdout


# --- os.replace while another program holds the file; a file system without hard links ---

@pytest.fixture
def pauses(monkeypatch):
    taken: list[float] = []
    monkeypatch.setattr(files, "pause", taken.append)
    return taken


def _held(times: int):  # type: ignore[no-untyped-def]
    """os.replace refused `times` times, as Windows does while another program has the file open."""
    real = os.replace
    refused = [0]

    def replace(src, dst, **kwargs):  # type: ignore[no-untyped-def]
        if refused[0] < times:
            refused[0] += 1
            raise PermissionError(errno.EACCES, "Access is denied", str(src), None, str(dst))
        return real(src, dst, **kwargs)

    return replace


def test_a_held_file_is_replaced_once_it_is_let_go(tmp_path, monkeypatch, pauses):
    target = tmp_path / "plan.md"
    target.write_text("old")
    monkeypatch.setattr(files.os, "replace", _held(3))
    files.write_atomic(target, "new", force=True)
    assert target.read_text() == "new" and len(pauses) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_a_file_held_too_long_is_one_clear_error(tmp_path, monkeypatch, pauses):
    target = tmp_path / "plan.md"
    target.write_text("old")
    monkeypatch.setattr(files.os, "replace", _held(files.REPLACE_TRIES))
    with pytest.raises(FamilieplanError) as failed:
        files.write_atomic(target, "new", force=True)
    assert "another program" in failed.value.message_id
    assert failed.value.args_map == {"path": str(target), "reason": "Access is denied"}
    assert len(pauses) == files.REPLACE_TRIES - 1 and sum(pauses) < 2
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["plan.md"]


def test_a_new_case_folder_held_by_a_scanner_is_moved_in_once_it_is_let_go(tmp_path, monkeypatch, pauses):
    import datetime as dt

    from familieplan import api

    ws = tmp_path / "ws"
    (ws / "cases").mkdir(parents=True)
    (ws / "familieplan.yaml").write_text("format: 1\n")
    real = os.rename
    refused = [0]

    def rename(src, dst, **kwargs):  # type: ignore[no-untyped-def]
        if refused[0] < 2:
            refused[0] += 1
            raise PermissionError(errno.EACCES, "Access is denied", str(src))
        return real(src, dst, **kwargs)

    monkeypatch.setattr(files.os, "rename", rename)
    made = api.new_case(ws, "Familien Scan", today=dt.date(2026, 3, 2))
    assert len(pauses) == 2 and made.paths[0].parent.name == "2026-001-familien-scan"
    assert [p.name for p in (ws / "cases").iterdir()] == ["2026-001-familien-scan"]


def test_a_case_id_taken_during_the_claim_goes_to_the_next_number(tmp_path, monkeypatch):
    """Another run makes the folder between the check and the rename; Windows' rename
    then says FileExistsError (POSIX: ENOTEMPTY), and this run takes the next number."""
    import datetime as dt

    from familieplan import api
    from familieplan.commands import scaffold

    ws = tmp_path / "ws"
    (ws / "cases").mkdir(parents=True)
    (ws / "familieplan.yaml").write_text("format: 1\n")
    real = files.rename

    def other_run_first(src: Path, dst: Path) -> None:
        if dst.name.startswith("2026-001-"):  # the other run is first; Windows' rename never replaces
            dst.mkdir()
            (dst / "case.yaml").write_text("# the other run's\n")
            raise FileExistsError(errno.EEXIST, "Cannot create a file when that file already exists", str(src))
        real(src, dst)

    monkeypatch.setattr(scaffold, "rename", other_run_first)
    made = api.new_case(ws, "Familien Race", today=dt.date(2026, 3, 2), force=True)
    assert made.paths[0].parent.name == "2026-002-familien-race"
    assert (ws / "cases" / "2026-001-familien-race" / "case.yaml").read_text() == "# the other run's\n"
    assert sorted(p.name for p in (ws / "cases").iterdir()) == ["2026-001-familien-race", "2026-002-familien-race"]


def test_a_rename_onto_a_taken_name_is_not_waited_for(tmp_path, monkeypatch, pauses):
    (tmp_path / "taken").mkdir()
    (tmp_path / "new").mkdir()

    def refuse(src, dst, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, "Access is denied", str(src))

    monkeypatch.setattr(files.os, "rename", refuse)
    with pytest.raises(PermissionError):
        files.rename(tmp_path / "new", tmp_path / "taken")
    assert pauses == []


def test_without_hard_links_the_name_is_claimed_then_replaced(tmp_path, monkeypatch):
    def no_links(src, dst, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EPERM, "Operation not permitted", str(src))

    monkeypatch.setattr(files.os, "link", no_links)
    target = tmp_path / "out" / "plan.md"
    files.write_atomic(target, "first")
    assert target.read_text() == "first"
    with pytest.raises(FamilieplanError, match="use --force"):
        files.write_atomic(target, "second")
    other = tmp_path / "other"  # another run's file, the name made meanwhile: the claim fails
    other.write_text("second")
    with pytest.raises(FamilieplanError, match="use --force"):
        files._create(other, target, files.FILE_MODE)
    assert target.read_text() == "first" and [p.name for p in target.parent.iterdir()] == ["plan.md"]
    assert oct(target.stat().st_mode & 0o777) == "0o600" or ON_WINDOWS


# --- names Windows keeps for devices -------------------------------------------------------

@pytest.mark.skipif(ON_WINDOWS, reason="Windows cannot make these folders")
@pytest.mark.parametrize(("name", "warned"), [("con", True), ("com1", True), ("lpt9", True), ("nul", True),
                                              ("2026-001-con", False), ("console", False), ("com10", False)])
def test_a_case_id_windows_keeps_for_a_device_is_a_warning(minimal_ws, name, warned):
    from familieplan import api

    folder = minimal_ws / "cases" / name
    (minimal_ws / "cases" / MINIMAL_CASE).rename(folder)
    case = folder / "case.yaml"
    case.write_text(case.read_text().replace(f"id: {MINIMAL_CASE}", f"id: {name}"))
    found = [(p.level, str(p.source)) for p in api.validate([], minimal_ws).problems
             if p.code == "windows-name"]
    from familieplan.workspace.paths import display_path

    assert found == ([("warning", f"{display_path(case)}:1:5")] if warned else [])


@pytest.mark.parametrize("name", ["CON", "Con.txt", "aux.yaml", "LPT1", "nul ", "com\u00b9", "conout$"])
def test_device_names_in_any_case_and_with_an_extension(name):
    from familieplan.workspace.paths import windows_device_name

    assert windows_device_name(name) and not windows_device_name("x" + name)


@pytest.mark.skipif(ON_WINDOWS, reason="the simulation is for other platforms")
def test_record_commands(tmp_path, sim):
    """The record commands as on Windows: the case's lock, the atomic replace, a new file, CRLF kept."""
    agreements = tmp_path / "ex" / "cases" / KARIMI / "agreements.yaml"
    agreements.write_bytes(agreements.read_bytes().replace(b"\n", b"\r\n"))
    run(sim, "agree", KARIMI, "Mikkel ringer til Nadia", "--responsible", "sb-job", "--workspace", "ex",
        "--today", TODAY, cwd=tmp_path)
    data = agreements.read_bytes()
    assert b"  - id: a6\r\n    text: Mikkel ringer til Nadia\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    run(sim, "measure", HOLM, "m1", "5", "--workspace", "ex", "--today", TODAY, cwd=tmp_path, code=1)
    assert not (tmp_path / "ex" / "cases" / HOLM / "measurements.yaml").exists()
    run(sim, "absent", KARIMI, "--person", "nadia", "--date", "2026-11-20", "--intervention", "misbrugsbehandling",
        "--workspace", "ex", "--today", TODAY, cwd=tmp_path)
    run(sim, "validate", "--workspace", "ex", cwd=tmp_path)
