"""familieplan and its runtime dependencies copied where any account can read them, for the
tests that run the tool as an unprivileged user.

The checkout and its venv may sit in a folder only its owner may enter (`chmod 700` on a
parent, as a home folder often is); the editable install points into it, and so does the
venv's python. The copy is laid out as the wheel installs it (the templates inside the
package) and is run by the base interpreter with the copy on `PYTHONPATH`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import familieplan
from familieplan.render.env import shipped_templates

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _runtime_distributions() -> list[metadata.Distribution]:
    """The installed distributions familieplan needs to run (its requirements without an
    extra, and theirs). A requirement whose marker does not apply here and is installed all
    the same is copied too: harmless."""
    found: dict[str, metadata.Distribution] = {}
    queue = list(metadata.requires("familieplan") or [])
    while queue:
        requirement = queue.pop()
        match = _NAME.match(requirement)
        if match is None or "extra" in requirement.partition(";")[2]:
            continue  # only for an extra (serve, pdf)
        name = re.sub(r"[-_.]+", "-", match[0]).lower()
        if name in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[name] = dist
        queue.extend(dist.requires or [])
    return list(found.values())


def _copy_distribution(dist: metadata.Distribution, target: Path) -> None:
    for file in dist.files or []:
        if file.parts[0] in ("..", "/") or file.suffix == ".pyc":
            continue  # scripts in bin/, cached bytecode
        source = Path(str(dist.locate_file(file)))
        if source.is_file():
            (target / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / file)


def _interpreter(run_as: list[str]) -> str:
    """A python of this version that the account of `run_as` can start: the venv's base
    interpreter, else the system's."""
    version = "{}.{}".format(*sys.version_info[:2])
    candidates = [os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable),
                  f"/usr/bin/python{version}", shutil.which(f"python{version}"), shutil.which("python3")]
    for candidate in dict.fromkeys(c for c in candidates if c):
        probe = subprocess.run([*run_as, candidate, "-s", "-c", "import sys; print('{}.{}'.format(*sys.version_info[:2]))"],
                               capture_output=True, text=True, timeout=60, cwd="/")
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    raise AssertionError(f"no python {version} that {run_as} can start among {candidates}")


def make_readable_copy(run_as: list[str]) -> tuple[list[str], dict[str, str], Path]:
    """The command that runs `python -m familieplan` from a fresh copy in /tmp as the
    account of `run_as` (a setpriv prefix), the environment variables it needs, and the
    copy's folder (the caller removes it)."""
    folder = Path(tempfile.mkdtemp(prefix="fp-readable-", dir="/tmp"))
    os.chmod(folder, 0o755)
    package = Path(familieplan.__file__).parent
    shutil.copytree(package, folder / "familieplan", ignore=shutil.ignore_patterns("__pycache__"))
    if not (folder / "familieplan" / "templates").is_dir():
        shutil.copytree(shipped_templates(), folder / "familieplan" / "templates")
    own = metadata.distribution("familieplan")
    info = next((f for f in own.files or [] if f.parts[0].endswith(".dist-info")), None)
    if info is not None:  # `--version` reads it
        shutil.copytree(Path(str(own.locate_file(info.parts[0]))), folder / info.parts[0], dirs_exist_ok=True)
    for dist in _runtime_distributions():
        _copy_distribution(dist, folder)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    # -s: not the user's own site-packages; the copy comes first on the path.
    return [_interpreter(run_as), "-s", "-m", "familieplan"], {"PYTHONPATH": str(folder)}, folder
