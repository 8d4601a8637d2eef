"""Faults and races (issue 9, section 4): a clear line, nothing lost, nothing hung.

Where permissions matter the tool runs as an unprivileged user (created with `useradd`
when the tests run as root, as in CI), from a copy it can read wherever the checkout is
(tests/readable_copy.py); the full disk is a tiny tmpfs where mounting is
allowed, otherwise an ENOSPC injected at the write call."""

from __future__ import annotations

import errno
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from readable_copy import make_readable_copy

from conftest import DATA, EXAMPLES, MINIMAL_CASE, run_cli
from familieplan.problems import Problem, Source
from familieplan.render.problems import text_report

HOLM = "2025-001-holm"
FAMILIEPLAN = [sys.executable, "-m", "familieplan"]
USER = "fp-tester"


def cli(*args: str, timeout: float = 30, **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    proc = subprocess.run([*FAMILIEPLAN, *args], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def _unprivileged() -> list[str]:
    """The command prefix that runs a program as an ordinary user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
    return ["setpriv", f"--reuid={USER}", f"--regid={USER}", "--init-groups", "--"]


@pytest.fixture(scope="module")
def as_user():
    """Run familieplan as the unprivileged user: from a copy of the package and its
    dependencies in /tmp (the checkout and its venv may be where only their owner may go)
    when the tests run as root; as it is otherwise (the user is the owner)."""
    if os.geteuid() != 0:
        command, extra, folder = FAMILIEPLAN, {}, None
    else:
        command, extra, folder = make_readable_copy(_unprivileged())

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        proc = subprocess.run([*_unprivileged(), *command, *args], capture_output=True, text=True, timeout=60,
                              cwd=cwd or folder, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **extra})
        assert "Traceback" not in proc.stderr and "No module named" not in proc.stderr, proc.stderr
        return proc

    yield run
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def shared_ws():
    """A copy of the minimal workspace that the unprivileged user owns."""
    top = Path(tempfile.mkdtemp(prefix="fp-faults-", dir="/tmp"))
    ws = top / "ws"
    shutil.copytree(DATA / "minimal", ws)
    os.chmod(top, 0o755)
    if os.geteuid() == 0:
        _unprivileged()
        entry = pwd.getpwnam(USER)
        for path in [ws, *ws.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)
    yield ws
    shutil.rmtree(top, ignore_errors=True)


# --- reading: only regular files, opened once, never followed, never hung ------------------

def test_a_linked_case_file_is_not_read_nor_quoted(minimal_ws, tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$SECRETHASH:19000:0:99999:7:::\n")
    case = minimal_ws / "cases" / MINIMAL_CASE / "case.yaml"
    case.unlink()
    case.symlink_to(secret)
    proc = cli("validate", "--workspace", str(minimal_ws))
    assert proc.returncode == 1 and "symlink" in proc.stdout
    assert "SECRETHASH" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["case.yaml", "familieplan.yaml"])
def test_a_fifo_is_reported_not_waited_for(minimal_ws, name):
    path = minimal_ws / "cases" / MINIMAL_CASE / name if name == "case.yaml" else minimal_ws / name
    path.unlink()
    os.mkfifo(path)
    proc = cli("validate", "--workspace", str(minimal_ws), timeout=20)
    assert proc.returncode == 1
    assert "not a regular file" in proc.stdout


def test_quotes_come_from_what_was_read(runner, minimal_ws):
    """The reporter never opens the file again: a file changed after reading is not quoted anew."""
    from familieplan import api

    plan = minimal_ws / "cases" / MINIMAL_CASE / "case.yaml"
    plan.write_text(plan.read_text().replace("status: active", "status: aktiv"))
    result = api.validate([], minimal_ws)
    plan.write_text("# replaced after reading\n" * 50)
    [problem] = [p for p in result.problems if p.code == "bad-value"]
    assert problem.quote == "status: aktiv"
    from io import StringIO

    out = StringIO()
    text_report([problem], out, color=False)
    assert "status: aktiv" in out.getvalue() and "replaced" not in out.getvalue()


# --- writing: atomically, never through a link, never over a FIFO or device --------------

def test_writes_do_not_follow_links_in_output_and_meetings(runner, examples_ws, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (examples_ws / "output").mkdir()
    (examples_ws / "output" / HOLM).symlink_to(elsewhere)
    result = run_cli(runner, ["render-plan", HOLM, "--workspace", str(examples_ws)])
    assert result.exit_code == 2 and "symbolsk link" in result.stderr
    meetings = examples_ws / "cases" / HOLM / "meetings"
    shutil.move(str(meetings), str(tmp_path / "meetings"))
    meetings.symlink_to(tmp_path / "meetings")
    made = run_cli(runner, ["new-meeting", HOLM, "--date", "2026-12-01", "--workspace", str(examples_ws)])
    assert made.exit_code == 2 and "symbolsk link" in made.stderr
    assert list(elsewhere.iterdir()) == [] and not list((tmp_path / "meetings").glob("2026-12-01*"))


def test_force_never_replaces_a_fifo_or_device(runner, examples_ws, tmp_path):
    fifo = tmp_path / "plan.md"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/full"), Path("/dev/null")):
        result = run_cli(runner, ["render-plan", HOLM, "--workspace", str(examples_ws), "--output", str(target), "--force"])
        assert result.exit_code == 2 and "ikke en almindelig fil" in result.stderr, target
    assert fifo.is_fifo() and Path("/dev/null").is_char_device()


def test_no_half_written_file_and_no_temp_left_on_a_full_disk(runner, examples_ws, tmp_path, monkeypatch):
    """A tiny tmpfs where mounting is allowed (root in CI); otherwise ENOSPC injected at the write."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(mount)], capture_output=True).returncode == 0
    try:
        if not mounted:
            from familieplan.workspace import files

            def full(fd: int, data: bytes) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            monkeypatch.setattr(files.os, "write", full)
        else:
            (mount / "filler").write_bytes(b"x" * 4096)
        target = mount / "plan.html"
        result = run_cli(runner, ["render-plan", HOLM, "--workspace", str(examples_ws), "-f", "html", "--output", str(target)])
        assert result.exit_code == 2
        assert result.stderr.strip() == f"familieplan: error: {target}: No space left on device"
        assert not target.exists() and [p.name for p in mount.iterdir() if p.name != "filler"] == []
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], check=False)


def test_full_disk_and_closed_pipe_on_standard_output():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*FAMILIEPLAN, "render-plan", HOLM, "--workspace", str(EXAMPLES), "--output", "-"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=30)
    assert proc.returncode == 2 and proc.stderr == "familieplan: error: <stdout>: No space left on device\n"
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([*FAMILIEPLAN, "check-load", "--workspace", str(EXAMPLES), "--format", "json"],
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=30)
    finally:
        os.close(write)
    assert proc.returncode == 2 and proc.stderr == "familieplan: error: <stdout>: Broken pipe\n"


def test_os_errors_are_one_line_with_exit_2(tmp_path):
    afile = tmp_path / "a-file"
    afile.write_text("")
    proc = cli("schema", "--output", str(afile))
    assert proc.returncode == 2 and proc.stderr.startswith(f"familieplan: error: {afile}")
    assert len(proc.stderr.splitlines()) == 1


def test_unreadable_folders_and_read_only_output_as_an_ordinary_user(shared_ws, as_user):
    ws = str(shared_ws)
    output = shared_ws / "output"
    output.mkdir()
    if os.geteuid() == 0:
        entry = pwd.getpwnam(USER)
        os.chown(output, entry.pw_uid, entry.pw_gid)
    os.chmod(output, 0o500)
    readonly = as_user("render-plan", MINIMAL_CASE, "--workspace", ws)
    assert readonly.returncode == 2, readonly.stderr
    assert readonly.stderr.startswith(f"familieplan: error: {output}") and "Permission denied" in readonly.stderr
    meetings = shared_ws / "cases" / MINIMAL_CASE / "meetings"
    os.chmod(meetings, 0o000)
    one = as_user("validate", "--workspace", ws)
    assert one.returncode == 1 and "read-error" in one.stdout and "meetings" in one.stdout
    os.chmod(shared_ws / "cases", 0o000)
    whole = as_user("status", "--workspace", ws)
    assert whole.returncode == 2 and whole.stderr.strip().endswith("cases: Permission denied"), whole.stderr
    assert len(whole.stderr.splitlines()) == 1


# --- what reaches the terminal ----------------------------------------------------------

@pytest.mark.parametrize("escaped", [r'"\e]0;X\a"', r'"\0"', r'"\x85"', r'"\N"'])
def test_escaped_control_characters_are_control_char_errors(runner, minimal_ws, escaped):
    case = minimal_ws / "cases" / MINIMAL_CASE / "case.yaml"
    text = case.read_text()
    case.write_text(text.replace("title: ", f"title: {escaped}\nx-old-title: ", 1))
    for fmt in ("text", "plain", "json"):
        result = run_cli(runner, ["validate", "--workspace", str(minimal_ws), "--format", fmt])
        assert result.exit_code == 1 and "control-char" in result.stdout
        assert not any(ch in result.output for ch in "\x1b\x07\x00\x85")


def test_values_in_messages_never_carry_terminal_escapes(runner, minimal_ws):
    case = minimal_ws / "cases" / MINIMAL_CASE / "case.yaml"
    case.write_text(case.read_text().replace("status: active", 'status: "\\e[31mred\\u202e"'))
    result = run_cli(runner, ["validate", "--workspace", str(minimal_ws), "--format", "plain"])
    assert result.exit_code == 1 and "\x1b" not in result.output and "\u202e" not in result.output
    assert "\\x1b[31mred" in result.output


def test_emoji_codes_in_a_quoted_line_stay_as_written():
    problem = Problem(Source("f.yaml", 1, 8), "error", "bad-value", "bad :x: value", None, quote="title: :x: :smile:")
    from io import StringIO

    out = StringIO()
    text_report([problem], out, color=True)
    assert "title: :x: :smile:" in out.getvalue() and "❌" not in out.getvalue()


def test_many_problems_print_four_lines_each():
    problems = [Problem(Source("cases/x/plan.yaml", i, 3), "error", "unknown-key", f"unknown key 'k{i}'",
                        "did you mean 'id'?", quote=f"  k{i}: 1") for i in range(1, 2_001)]
    from io import StringIO

    out = StringIO()
    text_report(problems, out, color=True)
    assert out.getvalue().count("\n") == 4 * 2_000
    assert "cases/x/plan.yaml:2000:3: " in out.getvalue()


# --- scaffolding: quoted values, validated before success ----------------------------------

@pytest.fixture
def open_ws(tmp_path):
    """A workspace without a department list (any department id is accepted)."""
    ws = tmp_path / "ws"
    (ws / "cases").mkdir(parents=True)
    (ws / "familieplan.yaml").write_text("format: 1\n")
    return ws


def test_scaffold_values_cannot_add_keys(runner, open_ws):
    result = run_cli(runner, ["new-case", "Familien Hansen", "--department", "jobcenter\nstatus: closed",
                              "--today", "2026-03-02", "--workspace", str(open_ws)])
    assert result.exit_code == 2 and "er ikke gyldig" in result.stderr and "fjernet igen" in result.stderr
    assert list((open_ws / "cases").iterdir()) == []
    ok = run_cli(runner, ["new-case", 'Familien "Hansen": status: closed', "--today", "2026-03-02",
                          "--workspace", str(open_ws)])
    assert ok.exit_code == 0, ok.output
    [folder] = (open_ws / "cases").iterdir()
    assert "status: active" in (folder / "case.yaml").read_text()
    assert run_cli(runner, ["validate", "--workspace", str(open_ws)]).exit_code == 0


def test_export_ics_multiline_name_and_standard_output(runner, examples_ws):
    case = examples_ws / "cases" / HOLM / "case.yaml"
    text = case.read_text()
    person = next(line for line in text.splitlines() if line.strip().startswith("name:"))
    case.write_text(text.replace(person, person.split("name:")[0] + "name: |\n" + " " * (len(person) - len(person.lstrip()) + 2)
                                 + "Marianne\n" + " " * (len(person) - len(person.lstrip()) + 2) + "Holm", 1))
    result = run_cli(runner, ["export-ics", HOLM, "--workspace", str(examples_ws), "--output", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("BEGIN:VCALENDAR") and not (Path.cwd() / "-").exists()


# --- races ------------------------------------------------------------------------------

def _race(worker: str, rounds: int, tmp: Path) -> list[list[str]]:
    """Two processes run `worker` round by round, started together by a barrier."""
    script = tmp / "race.py"
    script.write_text(worker)
    go = tmp / "go"
    procs = [subprocess.Popen([sys.executable, str(script), str(tmp), str(rounds), name, str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("A", "B")]
    time.sleep(0.5)
    go.write_text("")
    outs = [p.communicate(timeout=600) for p in procs]
    for _out, err in outs:
        assert "Traceback" not in err, err
    return [out.splitlines() for out, _ in outs]


_PRELUDE = '''
import sys, time, datetime as dt
from pathlib import Path
from familieplan import api
from familieplan.problems import FamilieplanError
tmp, rounds, me, go = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
while not go.exists():
    time.sleep(0.01)
def barrier(i):
    (tmp / f"{me}-{i}").write_text("")
    other = "B" if me == "A" else "A"
    while not (tmp / f"{other}-{i}").exists():
        pass
'''


@pytest.mark.slow
def test_two_new_case_runs_at_once_never_share_a_folder(tmp_path):
    rounds = 100
    for i in range(rounds):
        (tmp_path / f"ws{i}" / "cases").mkdir(parents=True)
        (tmp_path / f"ws{i}" / "familieplan.yaml").write_text("format: 1\n")
    worker = _PRELUDE + '''
for i in range(rounds):
    barrier(i)
    try:
        made = api.new_case(tmp / f"ws{i}", "Familien Race", coordinator=f"Proc {me}", today=dt.date(2026, 3, 2), force=True)
        print(i, made.paths[0].parent.name)
    except FamilieplanError as exc:
        print(i, "refused", str(exc).replace(" ", "_"))
'''
    a, b = _race(worker, rounds, tmp_path)
    for i, (line_a, line_b) in enumerate(zip(a, b, strict=True)):
        (_, folder_a), (_, folder_b) = line_a.split(" ", 1), line_b.split(" ", 1)
        assert folder_a != folder_b, (i, folder_a)
        for me, folder in (("A", folder_a), ("B", folder_b)):
            if not folder.startswith("refused"):
                case = (tmp_path / f"ws{i}" / "cases" / folder / "case.yaml").read_text()
                assert f"Proc {me}" in case, (i, me, folder)  # no one's files overwritten
        created = [f for f in (folder_a, folder_b) if not f.startswith("refused")]
        assert sorted(p.name for p in (tmp_path / f"ws{i}" / "cases").iterdir()) == sorted(created)
    assert len(a) == len(b) == rounds


@pytest.mark.slow
def test_two_renders_to_one_output_one_wins(tmp_path):
    rounds = 100
    worker = _PRELUDE + '''
from familieplan.workspace.files import write_atomic
for i in range(rounds):
    barrier(i)
    try:
        write_atomic(tmp / f"out{i}" / "plan.md", f"written by {me}\\n" * 1000)
        print(i, "wrote")
    except FamilieplanError as exc:
        print(i, "refused")
'''
    a, b = _race(worker, rounds, tmp_path)
    for i, (line_a, line_b) in enumerate(zip(a, b, strict=True)):
        assert sorted([line_a.split()[1], line_b.split()[1]]) == ["refused", "wrote"], i
        winner = "A" if line_a.endswith("wrote") else "B"
        assert (tmp_path / f"out{i}" / "plan.md").read_text() == f"written by {winner}\n" * 1000
        assert [p.name for p in (tmp_path / f"out{i}").iterdir()] == ["plan.md"]
    assert len(a) == len(b) == rounds
