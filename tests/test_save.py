"""`save` and `init`'s first commit: the day's case files committed to git with a Danish
message naming what changed in each case; without a git identity one line saying how to
set it (exit 2); nothing but the case files is committed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import run_cli

TITLE = "Anna og børnene"
CASE = "2026-001-anna-og-boernene"
NAME, EMAIL = "Line Holm", "lh@eksempel.dk"
IDENTITY = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL")


@pytest.fixture
def no_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git reads no configuration of the machine's or the user's: the identity is what a
    test sets."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in IDENTITY:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def identity(no_git_config: None, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("GIT_AUTHOR_NAME", NAME), ("GIT_AUTHOR_EMAIL", EMAIL), ("GIT_COMMITTER_NAME", NAME),
                        ("GIT_COMMITTER_EMAIL", EMAIL)):
        monkeypatch.setenv(name, value)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def log(root: Path) -> list[str]:
    return git(root, "log", "--format=%B%x00").split("\0\n")[:-1] if git(root, "rev-list", "--all") else []


@pytest.fixture
def ws(tmp_path: Path, runner, identity) -> Path:
    """A new workspace (its first commit made by init) with one case, saved."""
    root = tmp_path / "ws"
    assert run_cli(runner, ["init", str(root)]).exit_code == 0
    made = run_cli(runner, ["new-case", TITLE, "--workspace", str(root), "--today", "2026-12-01"])
    assert made.exit_code == 0, made.output
    return root


def save(runner, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(runner, ["save", *args, "--workspace", str(root), "--today", "2026-12-07"])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_init_makes_the_first_commit(tmp_path, runner, identity):
    root = tmp_path / "ws"
    result = run_cli(runner, ["init", str(root), "--municipality", "Testkommune"])
    assert result.exit_code == 0, result.output
    assert [m.strip() for m in log(root)] == ["Nyt arbejdsområde (Testkommune)"]
    tracked = git(root, "ls-files").split()
    assert {"familieplan.yaml", ".gitignore", ".gitattributes", "schemas/plan.schema.json"} <= set(tracked)
    assert git(root, "status", "--porcelain") == ""


def test_init_without_an_identity_commits_nothing_and_says_how(tmp_path, runner, no_git_config):
    root = tmp_path / "ws"
    result = run_cli(runner, ["init", str(root)])
    assert result.exit_code == 0
    assert "git config --global user.name" in result.output and "familieplan save" in result.output
    assert (root / "familieplan.yaml").is_file() and log(root) == []


def test_init_in_a_repository_with_commits_adds_none(tmp_path, runner, identity):
    root = tmp_path / "ws"
    root.mkdir()
    git(root, "init", "-q")
    (root / "README").write_text("x\n")
    git(root, "add", "README")
    git(root, "commit", "-q", "-m", "first")
    assert run_cli(runner, ["init", str(root)]).exit_code == 0
    assert [m.strip() for m in log(root)] == ["first"]


def test_save_names_what_changed(ws, runner):
    first = save(runner, ws)
    assert first.exit_code == 0, first.output
    assert f"{TITLE}: ny sag" in first.output and "gemte 3 filer som " in first.output
    folder = ws / "cases" / CASE
    edit(folder / "case.yaml", "people: []", "people:\n  - id: anna\n    name: Anna Berg\n    role: parent")
    edit(folder / "agreements.yaml", "agreements: []",
         "agreements:\n  - id: a5\n    text: Anna ringer til skolen\n    responsible: anna\n"
         "    made: 2026-12-01\n    status: done\n    done: 2026-12-03")
    (folder / "attendance.yaml").write_text(
        "attendance:\n  - date: 2026-12-04\n    person: anna\n    meeting: 2026-12-04-moede\n"
        "    status: cancelled\n", encoding="utf-8")
    result = save(runner, ws)
    assert result.exit_code == 0, result.output
    message = log(ws)[0].strip()
    assert message == f"{TITLE}: Anna Berg kom med, aftale a5 indgået, aftale a5 udført, afbud 4. december 2026"
    assert git(ws, "status", "--porcelain") == ""


def test_save_with_a_message_and_nothing_to_save(ws, runner):
    result = save(runner, ws, "-m", "Dagens arbejde")
    assert result.exit_code == 0
    assert log(ws)[0].strip().splitlines() == ["Dagens arbejde", "", f"{TITLE}: ny sag"]
    again = save(runner, ws)
    assert again.exit_code == 0 and "intet at gemme" in again.output
    assert len(log(ws)) == 2


def test_save_commits_only_the_case_files(ws, runner):
    """Another case (when one is named), the settings and what the user staged stay as they were."""
    save(runner, ws)
    made = run_cli(runner, ["new-case", "Familien Nord", "--workspace", str(ws), "--today", "2026-12-02"])
    assert made.exit_code == 0
    edit(ws / "familieplan.yaml", "municipality:", "# en note\nmunicipality:")
    (ws / "notes.txt").write_text("mine\n")
    git(ws, "add", "notes.txt")
    folder = ws / "cases" / CASE
    edit(folder / "plan.yaml", "\n", "\n# dagens note\n")
    result = save(runner, ws, CASE)
    assert result.exit_code == 0, result.output
    committed = git(ws, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == [f"cases/{CASE}/plan.yaml"]
    assert log(ws)[0].strip() == f"{TITLE}: plan.yaml ændret"
    status = git(ws, "status", "--porcelain")
    assert "A  notes.txt" in status and " M familieplan.yaml" in status and "2026-002-familien-nord" in status


def test_save_tells_of_a_disclosure_log(ws, runner):
    save(runner, ws)
    (ws / "cases" / CASE / "disclosures.yaml").write_text("disclosures: []\n", encoding="utf-8")
    assert save(runner, ws).exit_code == 0
    assert log(ws)[0].strip() == f"{TITLE}: videregivelser logget"


def test_save_without_an_identity_is_one_line_and_exit_2(ws, runner, monkeypatch):
    for name in IDENTITY:
        monkeypatch.delenv(name, raising=False)
    before = log(ws)
    result = save(runner, ws)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "git ved ikke, hvem du er" in lines[0]
    assert 'git config --global user.name "Dit Navn"' in lines[0]
    assert log(ws) == before


def test_save_outside_a_repository_is_exit_2(tmp_path, runner, identity):
    root = tmp_path / "ws"
    assert run_cli(runner, ["init", str(root), "--no-git"]).exit_code == 0
    result = save(runner, root)
    assert result.exit_code == 2 and "git-arkiv" in result.output


def test_save_in_english(ws, runner):
    result = run_cli(runner, ["save", "--workspace", str(ws), "--lang", "en"])
    assert result.exit_code == 0
    assert log(ws)[0].strip() == f"{TITLE}: new case" and "saved 3 files as" in result.output
