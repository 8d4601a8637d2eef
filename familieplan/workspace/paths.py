"""Finding a workspace and its case folders, and showing paths: the light half of
loading, which a run served from the cache needs without the YAML reader or the specs."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from familieplan.problems import N_, UsageError

SETTINGS_FILE = "familieplan.yaml"
CASES_DIR = "cases"
# Names Windows keeps for devices, in any case and with any extension ("con.txt" too);
# the digits include ¹ ² ³, as Windows and Python 3.13's ntpath.isreserved count them.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$",
                             *(f"{port}{n}" for port in ("com", "lpt") for n in "123456789\u00b9\u00b2\u00b3")})


def find_workspace(start: Path) -> Path:
    """The first folder at or above `start` holding familieplan.yaml (or, failing that,
    a `cases/` folder)."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    candidates = [start, *start.parents]
    for folder in candidates:
        if (folder / SETTINGS_FILE).is_file():
            return folder
    for folder in candidates:
        if (folder / CASES_DIR).is_dir():
            return folder
    raise UsageError(N_("no workspace found at or above {start} (no {file}); "
                        "create one with 'familieplan init' or pass --workspace DIR"), start=str(start), file=SETTINGS_FILE)


def workspace_root(workspace: Path | None, names: Sequence[str | Path] = (), start: Path | None = None) -> Path:
    """The one way a command finds its workspace: `--workspace`, else found from the first
    name that is an existing path (a case folder or file), else from `start` (default: the
    current folder), walking up to the first folder holding familieplan.yaml."""
    if workspace is None:
        named = next((Path(n) for n in names if Path(n).exists()), None)
        workspace = find_workspace(named or start or Path.cwd())
    if not workspace.is_dir():
        raise UsageError(N_("{path}: no such workspace folder"), path=str(workspace))
    return workspace


def windows_device_name(name: str) -> bool:
    """True for a file or folder name that Windows reserves for a device (`con`, `NUL`,
    `com1`, `lpt9.yaml`, ...): such a file cannot be made or opened there."""
    return name.partition(".")[0].rstrip(" ").casefold() in WINDOWS_DEVICES


def display_path(path: Path) -> str:
    """Paths in messages: relative to the current folder where that is shorter."""
    text = str(path)
    if path.is_absolute():
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return text
        return rel if len(rel) < len(text) else text
    return text


def case_folders(root: Path) -> list[Path]:
    """The workspace's case folders, sorted by name."""
    cases = root / CASES_DIR
    return [cases / name for name in case_names(root)]


def case_names(root: Path) -> list[str]:
    """The names of the workspace's case folders, sorted."""
    try:
        with os.scandir(root / CASES_DIR) as entries:
            return sorted(e.name for e in entries if not e.name.startswith(".") and (e.is_dir() or e.is_symlink()))
    except (FileNotFoundError, NotADirectoryError):
        return []


def resolve_case(root: Path, name: str) -> Path:
    """A case named by its id or by its folder's path."""
    from familieplan.format.scalars import ID_RE
    from familieplan.format.suggest import did_you_mean_text

    as_path = Path(name)
    if as_path.is_dir() and ((as_path / "case.yaml").exists() or as_path.parent.name == CASES_DIR):
        return as_path.resolve()
    if ID_RE.match(name):
        folder = root / CASES_DIR / name
        if folder.is_dir():
            return folder
        known = [f.name for f in case_folders(root)]
        hint = did_you_mean_text(name, known)
        if hint:
            raise UsageError(N_("no case '{name}' in {folder} ({hint})"), name=name,
                             folder=display_path(root / CASES_DIR), hint=hint)
        raise UsageError(N_("no case '{name}' in {folder}"), name=name, folder=display_path(root / CASES_DIR))
    raise UsageError(N_("'{name}' is neither a case id nor a case folder"), name=name)
