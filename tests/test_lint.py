"""The code stays ruff- and mypy-clean and keeps its layer order (STYLE.md; docs/development.md, "Layout")."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def test_ruff():
    """ruff, with the complexity limit (C901, at most 15) among its rules."""
    proc = subprocess.run([str(BIN / "ruff"), "check", "familieplan", "tests", "bench"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_no_module_over_400_lines():
    """A module over ~400 lines has two jobs (STYLE.md)."""
    long = {str(path.relative_to(ROOT)): n for path in sorted((ROOT / "familieplan").rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def _too_complex(code: str) -> list[str]:
    """The functions, methods and closures of `code` over complexity 15 as radon counts."""
    from radon.complexity import cc_visit

    found = set()
    blocks = list(cc_visit(code))
    while blocks:
        block = blocks.pop()
        blocks += [*getattr(block, "methods", ()), *getattr(block, "closures", ())]
        if block.complexity > 15 and not hasattr(block, "methods"):
            found.add(f"{block.lineno} {block.name} ({block.complexity})")
    return sorted(found)


def test_no_function_over_complexity_15_as_radon_counts():
    """Cyclomatic complexity with boolean operators counted (radon), stricter than ruff's
    McCabe: a function over 15 is two functions."""
    over = [f"{path.relative_to(ROOT)}:{found}" for path in sorted((ROOT / "familieplan").rglob("*.py"))
            for found in _too_complex(path.read_text(encoding="utf-8"))]
    assert over == []
    planted = "class A:\n    def m(self, x):\n" + "".join(f"        if x == {i}: return {i}\n" for i in range(16))
    assert _too_complex(planted) == ["2 m (17)"]


@pytest.mark.slow
def test_mypy():
    proc = subprocess.run([sys.executable, "-m", "mypy", "familieplan"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=root, capture_output=True, text=True)


def test_layers_and_no_cycles():
    """The import-linter contracts in pyproject.toml hold: presentation over the core, the
    core free of typer/rich/jinja2, no cycles inside a package."""
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("module, line", [
    # An upward import: the scheduling core reaching for the presentation layer.
    ("schedule/demands.py", "from familieplan.render import danish as _upward  # noqa: F401\n"),
    # A cycle between two siblings of one package.
    ("checks/registry.py", "import familieplan.checks.case as _cycle  # noqa: F401\n"),
    # A template engine in the core.
    ("commands/validate.py", "import jinja2 as _jinja  # noqa: F401\n"),
])
def test_a_broken_layer_fails_the_contract(tmp_path, module, line):
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "familieplan", copy / "familieplan", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    target = copy / "familieplan" / module
    target.write_text(target.read_text() + "\n" + textwrap.dedent(line))
    env_path = str(copy)
    proc = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=copy, capture_output=True, text=True,
                          env={"PYTHONPATH": env_path, "PATH": str(BIN)})
    assert proc.returncode == 1, proc.stdout
    assert "BROKEN" in proc.stdout
