"""The code stays ruff- and mypy-clean (STYLE.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def test_ruff():
    proc = subprocess.run([str(BIN / "ruff"), "check", "familieplan", "tests", "bench"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_mypy():
    proc = subprocess.run([sys.executable, "-m", "mypy", "familieplan"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
