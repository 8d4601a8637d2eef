"""`validate`: load a workspace (or some cases, or some files) and run every check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from familieplan.engine.cases import CaseRun, case_results, settings_of
from familieplan.problems import N_, Problem, UsageError, make_problem
from familieplan.workspace import paths as loader

if TYPE_CHECKING:
    from familieplan.settings import Settings


@dataclass(frozen=True)
class Validation:
    root: Path
    settings: Settings
    problems: list[Problem]
    files: int
    cases: int

    @property
    def errors(self) -> int:
        return sum(p.level == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.level == "warning" for p in self.problems)


def _targets(root: Path, paths: list[Path]) -> tuple[list[Path] | None, set[str] | None]:
    """Case folders to load (None: all) and files to report on (None: everything)."""
    if not paths:
        return None, None
    folders: list[Path] = []
    files: set[str] = set()
    whole = False
    cases_dir = (root / loader.CASES_DIR).resolve()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(N_("{path}: no such file or folder"), path=str(path))
        full = path.resolve()
        if full in (root.resolve(), cases_dir):
            whole = True
            continue
        if full.is_file() and full.name == loader.SETTINGS_FILE:
            files.add(loader.display_path(root / loader.SETTINGS_FILE))
            continue
        folder = _case_folder(root, cases_dir, path, full)
        if folder not in folders:
            folders.append(folder)
        if full.is_file():
            files.add(loader.display_path(root / loader.CASES_DIR / full.relative_to(cases_dir)))
    if whole:
        return None, None
    # Only files named: report only on them. A folder among the paths: everything loaded.
    only_files = files if files and not any(p.is_dir() for p in paths) else None
    return folders, only_files


def _case_folder(root: Path, cases_dir: Path, path: Path, full: Path) -> Path:
    """The case folder a path is in (the folder right below cases/)."""
    folder = full if full.is_dir() else full.parent
    while folder.parent != cases_dir and folder.parent != folder:
        folder = folder.parent
    if folder.parent != cases_dir:
        raise UsageError(N_("{path} is not inside the workspace's cases/ folder"), path=str(path))
    return root / loader.CASES_DIR / folder.name


def _department_notes(settings: Settings, settings_path: Path | None) -> list[Problem]:
    """An info line naming the departments without areas, once some department names its
    areas (a workspace that names none means what it meant before)."""
    without = settings.departments_without_areas()
    if settings_path is None or not settings.department_areas or not without:
        return []
    from familieplan.format import codes  # noqa: F401  (registers the code; a cached run reads no file)
    return [make_problem("department-without-areas", settings.pos("departments"),
                         N_("{count} departments name no areas, so their professionals are named to every "
                            "reader: {departments}"), count=len(without), departments=", ".join(without))]


def validate(paths: list[Path], workspace: Path | None = None, start: Path | None = None,
             jobs: int | None = None, today: dt.date | None = None, cache: bool = True) -> Validation:
    """Validate the workspace, or the cases and files named in `paths`. With `today`, also
    the checks against the date (an attendance recorded in the future). With `cache`,
    cases whose files did not change are not read again."""
    root = loader.workspace_root(workspace, paths[:1], start)
    folders, only_files = _targets(root, paths)
    settings, settings_path, problems = settings_of(root, cache)
    if folders is None:
        folders = loader.case_folders(root)
    files = 1 if settings_path else 0
    case_count = 0
    run = CaseRun("validate", today=today, cache=cache)
    for outcome, _ in case_results(root, settings, folders, run, jobs=jobs):
        problems += outcome.problems
        files += outcome.files
        case_count += outcome.loaded
    problems += _department_notes(settings, settings_path)
    if only_files is not None:
        problems = [p for p in problems if p.source.path in only_files]
    problems.sort(key=Problem.sort_key)
    return Validation(root, settings, problems, files, case_count)
