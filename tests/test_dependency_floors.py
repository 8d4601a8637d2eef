"""The dependency floors in pyproject.toml are versions the CLI works with: a fresh virtual
environment with every direct dependency at its floor (uv's lowest-direct resolution) runs
the CLI and library tests (tests/tools/lowest.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_the_lowest_allowed_versions_run_the_cli_tests(tmp_path: Path):
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "tools" / "lowest.py"), str(tmp_path / "venv")],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    tail = proc.stdout[-3000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, tail
    assert "typer==0.16.0" in proc.stdout and "rich==14.0.0" in proc.stdout, tail
    assert "weasyprint==66.0" in proc.stdout, tail  # tags (pdf_tags) and the data: fetcher at the floor
    assert " passed" in proc.stdout and " failed" not in proc.stdout, tail
