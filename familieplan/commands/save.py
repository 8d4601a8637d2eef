"""`save`: the day's work as one git commit, for people who do not know git.

What changed is read from git (`git status` of the workspace's `cases/`, or of one case's
folder) and told in the plan's own terms by comparing each changed case at HEAD with its
files now (`plan_diff`, as `changes` does); the words of the commit message are the
caller's (`render/save.py`). Only the case files are committed — the disclosure logs are
case files — whatever else is staged or changed stays as it was. `init`'s repository and
first commit are made here too.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from familieplan import model as m
from familieplan.commands.plan_diff import Change, diff_cases
from familieplan.problems import N_
from familieplan.schedule.calendar import WorkCalendar
from familieplan.settings import Settings
from familieplan.workspace import git, history, paths
from familieplan.workspace import read as loader

# How to tell git who you are, in one line (exit 2).
IDENTITY_HINT = 'git config --global user.name "Dit Navn" && git config --global user.email dig@kommune.dk'


@dataclass
class CaseSave:
    """One case with changed files: its changes since HEAD (`new`: not in HEAD at all;
    `removed`: its folder is gone)."""

    case: str
    title: str
    files: list[str]  # relative to the repository
    changes: list[Change] = field(default_factory=list)
    new: bool = False
    removed: bool = False
    names: dict[str, str] = field(default_factory=dict)  # id -> name of the case's people and professionals


@dataclass
class SavePlan:
    """What `save` would commit: the repository, the changed files by case, the user's
    own message (None: made from the changes)."""

    repo: Path
    cases: list[CaseSave]
    message: str | None = None
    commit: str | None = None  # the new commit's id, once saved

    @property
    def files(self) -> list[str]:
        return [name for case in self.cases for name in case.files]


def pending(root: Path, case_name: str | None, today: dt.date, message: str | None = None) -> SavePlan:
    """The changed case files of the workspace (or of one case) and what changed in each.
    Raises GitUnavailable (exit 2) without git or outside a repository, NoIdentity when git
    does not know who commits."""
    repo = git.toplevel(root)
    if git.identity(repo) is None:
        raise git.NoIdentity(N_("git does not know who you are; tell it once: {command}"), command=IDENTITY_HINT)
    base = root.resolve().relative_to(repo.resolve())
    folder = paths.resolve_case(root, case_name).name if case_name else None
    spec = (base / paths.CASES_DIR / folder) if folder else base / paths.CASES_DIR
    by_case: dict[str, list[str]] = {}
    for name in git.changed_paths(repo, [spec.as_posix()]):
        parts = Path(name).relative_to(base / paths.CASES_DIR).parts
        if parts[-1].startswith("."):  # the case's lock (.familieplan.lock) and other hidden files: not case files
            continue
        if len(parts) > 1:  # a file directly in cases/ belongs to no case
            by_case.setdefault(parts[0], []).append(name)
    settings = loader.load_settings(root)[0]
    calendar = WorkCalendar(settings)
    cases = [_case_save(root, repo, base, case_id, files, settings, calendar, today)
             for case_id, files in sorted(by_case.items())]
    return SavePlan(repo, cases, message)


def _case_save(root: Path, repo: Path, base: Path, case_id: str, files: list[str], settings: Settings,
               calendar: WorkCalendar, today: dt.date) -> CaseSave:
    folder = (base / paths.CASES_DIR / case_id).as_posix()
    old = _at_head(repo, folder, case_id, settings)
    path = root / paths.CASES_DIR / case_id
    if not path.is_dir():
        return CaseSave(case_id, old.title if old else case_id, files, removed=True)
    new, _problems = loader.load_case(path, settings)
    names = {pid: who.name or pid for pid, who in new.people_by_id().items()}
    names.update((pid, who.name or pid) for pid, who in new.professionals_by_id().items())
    if old is None:
        return CaseSave(case_id, new.title, files, new=True, names=names)
    return CaseSave(case_id, new.title, files, diff_cases(old, new, calendar, None, today), names=names)


def _at_head(repo: Path, folder: str, case_id: str, settings: Settings) -> m.Case | None:
    if not git.has_commit(repo):
        return None
    files = history.read_states(repo, ["HEAD"], folder).get("HEAD") or {}
    return history.load_case_texts(case_id, files, folder, settings)[0] if files else None


def commit(plan: SavePlan, message: str) -> SavePlan:
    """Commit the plan's files with `message`; nothing to commit is no commit."""
    if plan.files:
        plan.commit = git.commit_paths(plan.repo, plan.files, message)
    return plan


def first_commit(target: Path, files: list[Path], message: str) -> tuple[str | None, str | None]:
    """A new workspace's files as its repository's first commit: (the commit, None); without
    a git identity (None, a note saying how to set one), the files left uncommitted."""
    if git.identity(target) is None:
        return None, N_("no first commit: git does not know who you are; tell it once with "
                        'git config --global user.name "Dit Navn" && git config --global user.email '
                        "dig@kommune.dk, then run familieplan save")
    repo = git.toplevel(target)
    return git.commit_paths(repo, [p.resolve().relative_to(repo.resolve()).as_posix() for p in files], message), None


def init_repository(target: Path, files: list[Path], message: str | None) -> tuple[list[Path], str | None, str | None]:
    """For `init`: git init (with the merge driver and a commit-graph) unless the folder has
    its own repository, and `files` as the first commit when there is none yet: (what was
    created, the commit, a note)."""
    made: list[Path] = []
    if not (target / ".git").exists():
        subprocess.run(["git", "init", "-q", str(target)], check=False)
        made.append(target / ".git")
        if git.is_repository(target):
            git.register_merge_driver(target)
            git.enable_commit_graph(target)
    if message and git.is_repository(target) and not git.has_commit(target):
        return (made, *first_commit(target, files, message))
    return made, None, None
