"""docs/vejledning.md, the caseworker's routine in Danish: every command in it runs, in
order, on a copy of the examples (from the workspace's folder, on a fixed day), and the
record commands among them write what they say."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import run_cli

GUIDE = Path(__file__).parent.parent / "docs" / "vejledning.md"
DAY = dt.datetime(2026, 12, 4, 10, 0)
ANALYSIS = {"check-load", "due"}  # exit 1 means findings: the example family is overloaded


def commands() -> list[list[str]]:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [shlex.split(line)[1:] for block in blocks for line in block.splitlines() if line.startswith("familieplan ")]


def test_the_guide_is_linked_from_the_top_of_the_readme() -> None:
    readme = (GUIDE.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "docs/vejledning.md" in readme[:2000]


def test_every_command_of_the_guide_runs_on_a_copy_of_the_examples(
        runner: CliRunner, examples_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from familieplan import clock
    from tests.gitrepo import Repo

    repo = Repo(examples_ws, driver=False)  # a workspace is a git repository: `save` commits the day
    repo.commit("examples", date="2026-12-01T16:00:00+01:00")
    for key, value in repo.env().items():
        if key.startswith("GIT_") or key == "HOME":
            monkeypatch.setenv(key, value)
    monkeypatch.setattr(clock, "now", lambda: DAY.replace(tzinfo=clock.COPENHAGEN))
    monkeypatch.chdir(examples_ws)
    ran = []
    for args in commands():
        result = run_cli(runner, args)
        allowed = (0, 1) if args[0] in ANALYSIS else (0,)
        assert result.exit_code in allowed, (args, result.output)
        ran.append(args[0])
    assert {"agree", "done", "ask", "answer", "absent", "measure", "withdraw", "end", "fit", "save"} <= set(ran)
    agreements = (examples_ws / "cases" / "2026-002-karimi" / "agreements.yaml").read_text(encoding="utf-8")
    assert "  - id: a6\n    text: Mikkel ringer til Nadia om et nyt brobygningsforløb\n" in agreements
    assert repo.git("status", "--porcelain", "--untracked-files=no").stdout == ""  # saved
    assert run_cli(runner, ["validate"]).exit_code == 0
