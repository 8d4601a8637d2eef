"""The pre-commit hook for real: the `pre-commit` tool, installed as a git hook, in a git
repository whose workspace is the subfolder `sager/`; a staged change is checked on commit.

pre-commit builds a `language: python` hook's environment by installing this repository
with pip (network); the test runs the local form of the same hook (docs/ci.md: the
shipped hook with `language: system`, the tool from this venv), which pre-commit calls
exactly like the shipped one: from the repository's top, with the staged files that
match `files`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent
HOLM = Path("sager/cases/2025-001-holm/case.yaml")


def local_config() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "ci.md").read_text(encoding="utf-8"), re.S)
    return next(b for b in blocks if yaml.safe_load(b).get("repos"))


@pytest.fixture
def repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    if shutil.which("git") is None or not (BIN / "pre-commit").exists():
        pytest.skip("git and pre-commit are needed (pre-commit is a test dependency)")
    folder = tmp_path / "repo"
    shutil.copytree(EXAMPLES, folder / "sager")
    (folder / "README.md").write_text("Familiernes sager\n")
    (folder / ".pre-commit-config.yaml").write_text(local_config())
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "pc"),
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.invalid", "HOME": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=folder, env=env, capture_output=True, text=True, timeout=300)

    assert run("git", "init", "-q").returncode == 0
    assert run("git", "add", "-A").returncode == 0
    assert run("git", "commit", "-q", "-m", "sager").returncode == 0
    installed = run(str(BIN / "pre-commit"), "install")
    assert installed.returncode == 0, installed.stderr
    return folder, run


@pytest.mark.slow
def test_pre_commit_checks_a_staged_change_in_a_subfolder_workspace(repo):
    folder, run = repo
    case = folder / HOLM
    # A valid change: the commit goes through, the hook ran on the case file.
    case.write_text(case.read_text() + "# opdateret\n")
    run("git", "add", str(HOLM))
    ok = run("git", "commit", "-m", "opdater Holm")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"familieplan validate\.+Passed", ok.stdout + ok.stderr)
    # A change outside the case files: the hook is skipped.
    (folder / "README.md").write_text("Familiernes sager (opdateret)\n")
    run("git", "add", "README.md")
    skipped = run("git", "commit", "-m", "README")
    assert skipped.returncode == 0 and "Skipped" in skipped.stdout + skipped.stderr
    # A broken value: the commit is refused, with the problem in Danish at its line.
    case.write_text(case.read_text().replace("status: active", "status: aktiv"))
    run("git", "add", str(HOLM))
    refused = run("git", "commit", "-m", "forkert status")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0 and re.search(r"familieplan validate\.+Failed", output), output
    assert re.search(r"cases/2025-001-holm/case\.yaml:\d+:\d+: fejl bad-value: ", output), output
    assert "no workspace" not in output and "intet arbejdsområde" not in output
    head = run("git", "log", "--format=%s", "-1").stdout.strip()
    assert head == "README"  # the broken change was not committed
    # The same check on demand, as a CI job would run it on every file.
    every = run(str(BIN / "pre-commit"), "run", "--all-files")
    assert every.returncode == 1 and "bad-value" in every.stdout


@pytest.mark.slow
def test_a_commit_that_deletes_a_referenced_professional_is_refused(repo):
    """The hook is given only case.yaml; the professional is still named in plan.yaml, the
    meetings and the disclosure log: validating a file validates its whole case."""
    folder, run = repo
    case = folder / HOLM
    text = case.read_text(encoding="utf-8")
    removed = "  - id: underviser\n    name: Pia Nygaard\n    department: jobcenter\n    title: Underviser\n"
    assert removed in text
    case.write_text(text.replace(removed, ""), encoding="utf-8")
    alone = run(str(BIN / "familieplan"), "validate", str(HOLM))
    assert alone.returncode == 1, alone.stdout + alone.stderr
    broken = re.findall(r"^(\S+?):\d+:\d+: fejl unknown-reference: .*underviser", alone.stdout, re.M)
    assert any(path.endswith("plan.yaml") for path in broken) and len(set(broken)) > 2, alone.stdout
    run("git", "add", str(HOLM))
    refused = run("git", "commit", "-m", "fjern underviser")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0 and re.search(r"familieplan validate\.+Failed", output), output
    assert "unknown-reference" in output and "underviser" in output
    assert run("git", "log", "--format=%s", "-1").stdout.strip() == "sager"
