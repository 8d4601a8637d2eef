"""Install the project with the lowest versions its dependency floors allow, in a fresh
virtual environment, and run the CLI tests there (`uv pip install --resolution
lowest-direct`: our direct dependencies at their floors, theirs as the resolver picks).

    python tests/tools/lowest.py VENV_DIR [pytest args...]

Used by tests/test_dependency_floors.py; runnable by hand when a floor changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]


def floors() -> list[str]:
    """The base dependencies and those of the `serve` and `pdf` extras (the CLI tests run
    `serve`'s pieces too, and the PDF tests WeasyPrint's: its fetcher and tags); the test
    group keeps its usual versions."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [*project["dependencies"], *extras["serve"], *extras["pdf"]]


def main() -> int:
    venv = Path(sys.argv[1])
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    uv = [sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", str(python)]
    # The test tools (the dependency group `test`) at their usual versions, then the project
    # with its direct dependencies at their floors (an `==` pin per floor, so an already
    # installed newer one is replaced).
    subprocess.run([*uv, "-e", f"{ROOT}[serve,pdf]", "--group", f"{ROOT / 'pyproject.toml'}:test"], check=True)
    pins = [dep.replace(">=", "==") for dep in floors()]
    subprocess.run([*uv, "--resolution", "lowest-direct", "--reinstall-package", "familieplan",
                    "-e", f"{ROOT}[serve,pdf]", *pins], check=True)
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format", "freeze"], capture_output=True,
                            text=True, check=True).stdout
    print("installed:", " ".join(line for line in listed.split() if line.split("==")[0].lower().replace("_", "-")
                                  in {d.split(">=")[0].lower() for d in floors()}))
    tests = sys.argv[2:] or ["tests/test_cli.py", "tests/test_exit_codes.py", "tests/test_checkload.py",
                             "tests/test_followup.py", "tests/test_scaffold.py", "tests/test_validate_faults.py",
                             "tests/test_api.py", "tests/test_documents_send.py"]
    return subprocess.run([str(python), "-m", "pytest", "-m", "not slow", "-W", "ignore::DeprecationWarning", "-p", "no:cacheprovider", *tests],
                          cwd=ROOT).returncode


if __name__ == "__main__":
    raise SystemExit(main())
