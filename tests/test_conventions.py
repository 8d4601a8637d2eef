"""The command line as a good citizen of the terminal (clig.dev, no-color.org): --version,
shell completion, NO_COLOR, tables as wide as the terminal, a progress bar only on a
terminal, and closed choices for --format and --lang."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli

BIN = Path(sys.executable).parent / "familieplan"
TODAY = "2026-11-23"


def test_version(runner):
    from familieplan import __version__

    result = run_cli(runner, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"familieplan {__version__}"


@pytest.mark.parametrize("shell, marker", [("bash", "complete -o"), ("zsh", "#compdef familieplan")])
def test_completion_script(shell, marker):
    # The shell named, not detected from the process that runs the tests.
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    proc = subprocess.run([str(BIN), "--show-completion", shell], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert marker in proc.stdout and "_FAMILIEPLAN_COMPLETE" in proc.stdout


def complete(words: str, cwd: Path = EXAMPLES.parent) -> list[str]:
    """What bash gets back for the line `words` (the last word is being completed), the
    way the generated script asks: the program run with _FAMILIEPLAN_COMPLETE set."""
    parts = words.split(" ")
    env = {**os.environ, "_FAMILIEPLAN_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(parts) - 1)}
    proc = subprocess.run([str(BIN)], env=env, cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout.split()


def test_completion_of_cases_people_and_meetings():
    assert complete("familieplan due --workspace examples 2026") == ["2026-002-karimi"]
    assert set(complete("familieplan check-load --workspace examples ")) == {
        "2025-001-holm", "2025-003-lund", "2026-002-karimi", "2024-004-norup"}
    # The people and professionals of the case typed before, not of every case.
    people = complete("familieplan export-ics 2026-002-karimi --workspace examples --person ")
    assert "nadia" in people and "sb-job" in people and "sara" not in people
    assert complete("familieplan render-plan 2025-001-holm --workspace examples --for sa") == ["sara"]
    meetings = complete("familieplan render-minutes cases/2025-001", cwd=EXAMPLES)
    assert meetings and all(m.startswith("cases/2025-001-holm/meetings/") and m.endswith(".yaml") for m in meetings)


def test_completion_without_a_workspace_offers_nothing(tmp_path):
    assert complete("familieplan due ", cwd=tmp_path) == []
    broken = tmp_path / "ws"
    (broken / "cases" / "2026-001-x").mkdir(parents=True)
    (broken / "familieplan.yaml").write_text("format: [\n")
    (broken / "cases" / "2026-001-x" / "case.yaml").write_text("\x00: [")
    assert complete("familieplan export-ics 2026-001-x --person ", cwd=broken) == []


# A colour (foreground or background, 8, 16, 256 or true colour) among an SGR's parameters;
# bold and italic are not colour (no-color.org).
COLOUR = re.compile("\x1b\\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def _drain(primary: int) -> bytes:
    """Everything written to a pseudo-terminal (its secondary end closed), then closed."""
    out = b""
    try:
        while chunk := os.read(primary, 65536):
            out += chunk
    except OSError:  # Linux reports the closed secondary end as EIO
        pass
    os.close(primary)
    return out


@pytest.mark.parametrize("args", [
    ["validate", "--workspace", str(EXAMPLES / "..")],  # no workspace there: an error line
    ["status", "--workspace", str(EXAMPLES), "--today", TODAY],
    ["due", "--workspace", str(EXAMPLES), "--today", TODAY],
    ["check-load", "--workspace", str(EXAMPLES)],
])
def test_no_color_is_respected_on_a_terminal(args):
    """On a terminal the reporters colour; with NO_COLOR set (any non-empty value) none does."""
    def run(extra: dict[str, str]) -> bytes:
        primary, secondary = pty.openpty()
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200", **extra}
        env.pop("NO_COLOR", None) if "NO_COLOR" not in extra else None
        proc = subprocess.run([str(BIN), *args], stdout=secondary, stderr=secondary, env=env, timeout=60)
        os.close(secondary)
        out = _drain(primary)
        assert proc.returncode in (0, 1, 2)
        return out

    if args[0] != "validate":
        assert COLOUR.search(run({}).decode())
    assert not COLOUR.search(run({"NO_COLOR": "1"}).decode())


class _Tty:
    """A stream that says it is a terminal."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("env", "tty", "coloured"), [
    ({}, True, True), ({}, False, False), ({"NO_COLOR": ""}, True, True), ({"NO_COLOR": "1"}, True, False),
    ({"FORCE_COLOR": "1"}, False, True), ({"FORCE_COLOR": ""}, False, False), ({"TERM": "dumb"}, True, False),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
])
def test_one_colour_policy_rich_s(monkeypatch, env, tty, coloured):
    """`terminal.console` decides as rich's Console does: a terminal, FORCE_COLOR (set and
    not empty) for a pipe, NO_COLOR (set and not empty) and TERM=dumb against."""
    import io

    from familieplan.render.terminal import Writer

    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = _Tty() if tty else io.StringIO()
    with Writer(out) as lines:  # type: ignore[arg-type]
        lines.line(("fejl", "bold red"), " x")
    text = out.text if isinstance(out, _Tty) else out.getvalue()
    assert bool(COLOUR.search(text)) == coloured, text
    with Writer(_Tty(), color=False) as lines:  # type: ignore[arg-type]  # a caller's False wins
        lines.line(("fejl", "bold red"))
        assert not lines.console.color_system


@pytest.mark.parametrize("columns", [80, 200])
def test_status_fits_the_terminal(runner, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # a terminal that wide (a pipe is not wrapped)
    result = run_cli(runner, ["status", "--workspace", str(EXAMPLES), "--today", TODAY])
    lines = re.sub("\x1b\\[[0-9;]*m", "", result.stdout).splitlines()
    table = [line for line in lines if line[:1] in "┏┃┡│└"]
    assert table and max(len(line) for line in lines) <= columns
    if columns == 200:  # the room is used: wider than 80, and a title on one line
        assert max(len(line) for line in table) > 80
        assert any("Familien Karimi" in line for line in table)


def many_cases(tmp_path: Path, count: int) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    source = root / "cases" / "2025-001-holm"
    for n in range(count):
        shutil.copytree(source, root / "cases" / f"2025-{100 + n:03d}-holm")
    return root


def test_progress_only_on_a_terminal(tmp_path):
    """The bar is drawn on stderr when it is a terminal (delay 0 here, ~1 s by default),
    never when stderr is a file or a pipe; stdout is the same either way."""
    root = many_cases(tmp_path, 40)
    env = {**os.environ, "FAMILIEPLAN_PROGRESS_DELAY": "0", "FAMILIEPLAN_JOBS": "1"}
    args = [str(BIN), "validate", "--workspace", str(root), "--format", "plain", "--no-cache"]
    piped = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 1 and "━" not in piped.stderr and "validate" not in piped.stderr
    primary, secondary = pty.openpty()
    proc = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=secondary, timeout=120)
    os.close(secondary)
    text = _drain(primary).decode("utf-8", "replace")
    assert "validate" in text and "━" in text and "/44" in text
    assert proc.stdout.decode() == piped.stdout


def test_progress_callback_counts_folders(tmp_path):
    from familieplan.commands.validate import validate
    from familieplan.engine.progress import reporting_progress

    root = many_cases(tmp_path, 40)
    seen: list[tuple[int, int]] = []
    with reporting_progress(lambda done, total: seen.append((done, total))):
        validate([], root, jobs=1)
    assert seen[-1] == (44, 44) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    seen.clear()
    validate([], root, jobs=1)
    assert seen == []  # nobody watching: no callback


@pytest.mark.parametrize("args, choices", [
    (["validate", "--format", "xml"], "text|json|plain"),
    (["status", "--format", "html"], "text|json|md"),
    (["report", "--format", "pdf"], "text|json|md|html"),
    (["render-plan", "x", "--format", "txt"], "md|html"),
    (["due", "--lang", "fr"], "da|en"),
    (["validate", "--lang", "de"], "da|en"),
])
def test_closed_choices_are_listed_and_enforced(runner, args, choices):
    result = run_cli(runner, [*args, "--workspace", str(EXAMPLES)])
    assert result.exit_code == 2
    assert "is not one of" in result.output
    helped = run_cli(runner, [args[0], "--help"])
    assert choices in re.sub(r"\s+", "", helped.stdout).replace("<", "").replace(">", "")


def test_error_lines_follow_the_language(runner, examples_ws, tmp_path, monkeypatch):
    """Library errors, the prefix and the skipped-case line: Danish by default, English with
    --lang en or `language: en`; before the workspace is read, --lang, else the workspace's."""
    danish = run_cli(runner, ["due", "nope", "--workspace", str(EXAMPLES)])
    assert danish.exit_code == 2 and danish.stderr.startswith("familieplan: fejl: ingen sag 'nope'")
    english = run_cli(runner, ["due", "nope", "--workspace", str(EXAMPLES), "--lang", "en"])
    assert english.stderr.startswith("familieplan: error: no case 'nope'")
    settings = examples_ws / "familieplan.yaml"
    settings.write_text(settings.read_text().replace("language: da", "language: en"))
    from_workspace = run_cli(runner, ["export-ics", "2026-002-karimi", "--person", "Nadia", "--workspace", str(examples_ws)])
    assert from_workspace.stderr == ("familieplan: error: no person 'Nadia' in case 2026-002-karimi "
                                     "(did you mean 'nadia'?)\n")
    monkeypatch.chdir(tmp_path)
    nowhere = run_cli(runner, ["status"])
    assert nowhere.exit_code == 2 and "intet arbejdsområde fundet" in nowhere.stderr


def test_skipped_and_written_lines_in_both_languages(tmp_path):
    from familieplan.engine.cases import Skipped
    from familieplan.render.problems import skipped_line

    item = Skipped.__new__(Skipped)
    object.__setattr__(item, "path", "cases/x")
    object.__setattr__(item, "errors", 2)
    assert skipped_line(item, "da") == "cases/x: sprunget over: sagen har 2 fejl; kør 'familieplan validate cases/x' for at se dem"
    assert skipped_line(item, "en") == "cases/x: skipped: the case has 2 errors; run 'familieplan validate cases/x' to see them"


def test_pre_commit_hook_entry_in_a_subfolder_workspace(tmp_path):
    """The hook's entry as pre-commit calls it (from the repository's top, with the changed
    files that match `files`), when the workspace is a subfolder: found from the files.
    (The pre-commit package itself is not run: building its venv needs the network.)"""
    import yaml

    hook = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text())[0]
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo / "sager")
    changed = ["sager/cases/2025-001-holm/case.yaml", "sager/familieplan.yaml", "README.md"]
    files = [f for f in changed if re.search(hook["files"], f)]
    assert files == changed[:2] and hook["pass_filenames"] is True
    entry = hook["entry"].split()
    proc = subprocess.run([str(BIN.parent / entry[0]), *entry[1:], *files], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (repo / "sager" / "cases" / "2025-001-holm" / "case.yaml").write_text(
        (repo / "sager" / "cases" / "2025-001-holm" / "case.yaml").read_text().replace("status: active", "status: aktiv"))
    failed = subprocess.run([str(BIN.parent / entry[0]), *entry[1:], *files], cwd=repo, capture_output=True, text=True)
    assert failed.returncode == 1 and "bad-value" in failed.stdout


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("text", ["plain æøå", "x[bold]y[/]z", "emoji :smile:", "back\\slash[", "[red]", "",
                                  "bel\x07 bs\x08 cr\r end", "esc\x1b[31m", "rlo\u202eolleh"])
def test_user_text_is_never_markup(text, color):
    """The text reports print rich Text, never markup: brackets, emoji codes and
    backslashes are written as they are; control codes are written as escapes ('\\x1b'),
    never sent to the terminal."""
    import io

    from familieplan.render.terminal import Writer

    out = io.StringIO()
    with Writer(out, color) as lines:
        lines.line(("x", "bold"), text, indent=2)
    plain = re.sub("\x1b\\[[0-9;]*m", "", out.getvalue())
    want = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    assert plain == f"  x{want}\n"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("args", [["status"], ["check-load", "--format", "json"], ["due", "--today", "2026-03-10"],
                                  ["validate"]])
def test_a_terminal_that_cannot_write_danish_gets_question_marks_not_a_traceback(tmp_path, encoding, args):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "XDG_CACHE_HOME": str(tmp_path)}
    proc = subprocess.run([str(BIN), *args, "--workspace", str(EXAMPLES)], capture_output=True, env=env)
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr, proc.stderr[-500:]
    assert proc.stdout.decode(encoding)  # written in the stream's own encoding
