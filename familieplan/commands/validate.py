"""`validate`: load a workspace (or some cases, or some files) and run every check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from familieplan.engine.cases import CaseRun, case_results, settings_of
from familieplan.engine.first_error import first_errors
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
    held_back: int = 0  # problems that only follow from a file that could not be read (`engine.first_error`)

    @property
    def errors(self) -> int:
        return sum(p.level == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.level == "warning" for p in self.problems)


def _targets(root: Path, paths: list[Path]) -> list[Path] | None:
    """The case folders to load and report on (None: all). A file stands for its whole
    case, and `familieplan.yaml` for every case: a file is only valid with what it refers
    to and what refers to it (a professional deleted from case.yaml may be named in
    plan.yaml), so the pre-commit hook, given the changed files, checks what they change."""
    if not paths:
        return None
    folders: list[Path] = []
    cases_dir = (root / loader.CASES_DIR).resolve()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(N_("{path}: no such file or folder"), path=str(path))
        full = path.resolve()
        if full in (root.resolve(), cases_dir) or (full.is_file() and full.name == loader.SETTINGS_FILE):
            return None
        folder = _case_folder(root, cases_dir, path, full)
        if folder not in folders:
            folders.append(folder)
    return folders


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
    """Validate the workspace, or the cases named in `paths` (a folder or file in a case:
    that whole case; `familieplan.yaml`: every case). With `today`, also
    the checks against the date (an attendance recorded in the future). With `cache`,
    cases whose files did not change are not read again."""
    root = loader.workspace_root(workspace, paths[:1], start)
    folders = _targets(root, paths)
    settings, settings_path, problems = settings_of(root, cache)
    if folders is None:  # the whole workspace (or familieplan.yaml): say which departments reveal nothing
        folders = loader.case_folders(root)
        problems += _department_notes(settings, settings_path)
    files = 1 if settings_path else 0
    case_count = 0
    run = CaseRun("validate", today=today, cache=cache)
    for outcome, _ in case_results(root, settings, folders, run, jobs=jobs):
        problems += outcome.problems
        files += outcome.files
        case_count += outcome.loaded
    shown, held_back = first_errors(problems)
    return Validation(root, settings, shown, files, case_count, held_back)
