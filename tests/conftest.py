from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"
MINIMAL_CASE = "2026-001-test"

# The suite's cache entries go to a folder of its own, never the user's ~/.cache (the
# tools it starts as subprocesses inherit this too).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="familieplan-test-cache-")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def minimal_ws(tmp_path: Path) -> Path:
    """A copy of the minimal valid workspace."""
    target = tmp_path / "ws"
    shutil.copytree(DATA / "minimal", target)
    return target


@pytest.fixture
def examples_ws(tmp_path: Path) -> Path:
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


def run_cli(runner: CliRunner, args: list[str]):  # type: ignore[no-untyped-def]
    from familieplan.cli import app

    result = runner.invoke(app, args, catch_exceptions=True)
    # Any exception other than SystemExit is a crash: bad input must never produce one.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result
