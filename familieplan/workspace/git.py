"""The `git` command, run as a subprocess: the one place the library calls git.

We call the git binary rather than a library (pygit2 needs libgit2 built to match, dulwich
is slower on large histories and its shallow-clone support is partial): git is already on
every machine that holds a clone of the cases, and `git log -- <paths>` reads only the
history of the paths asked for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from familieplan.problems import N_, UsageError


class GitUnavailable(UsageError):
    """git is missing, or the folder is not inside a git repository (one line, exit 2)."""


def binary() -> str:
    found = shutil.which("git")
    if found is None:
        raise GitUnavailable(N_("git is not installed (or not on PATH)"))
    return found


def run(args: list[str], cwd: Path, *, check: bool = True, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `git ARGS` in `cwd`; with `check`, a failure is a GitUnavailable with git's own line."""
    try:
        proc = subprocess.run([binary(), *args], cwd=cwd, capture_output=True, text=True, input=input_text,
                              encoding="utf-8", errors="replace", env={**os.environ, "LC_ALL": "C"})
    except OSError as exc:
        raise GitUnavailable(N_("cannot run git: {error}"), error=str(exc.strerror)) from None
    if check and proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        if not lines:
            raise GitUnavailable(N_("git {command} failed"), command=args[0])
        raise GitUnavailable(N_("git: {line}"), line=lines[-1].removeprefix("fatal: "))
    return proc


def merge_files(base: Path, ours: Path, theirs: Path, labels: tuple[str, str]) -> int:
    """git's own three-way text merge, written into `ours`; the number of conflicts.
    Without git: ours where only ours changed, else theirs where only theirs changed,
    else the whole file as one conflict."""
    if shutil.which("git") is not None:
        proc = subprocess.run(["git", "merge-file", "-L", labels[0], "-L", "base", "-L", labels[1],
                               str(ours), str(base), str(theirs)], capture_output=True)
        if 0 <= proc.returncode < 128:
            return proc.returncode
    texts = [p.read_bytes() if p.exists() else b"" for p in (base, ours, theirs)]
    if texts[2] == texts[0] or texts[1] == texts[2]:
        return 0
    if texts[1] == texts[0]:
        ours.write_bytes(texts[2])
        return 0
    ours.write_bytes(b"".join([f"<<<<<<< {labels[0]}\n".encode(), texts[1], b"=======\n", texts[2],
                               f">>>>>>> {labels[1]}\n".encode()]))
    return 1


def merge_text(base: str, ours: str, theirs: str, labels: tuple[str, str]) -> tuple[str, int]:
    """`merge_files` on texts."""
    with tempfile.TemporaryDirectory(prefix="familieplan-merge-") as folder:
        paths = [Path(folder) / name for name in ("base", "ours", "theirs")]
        for path, text in zip(paths, (base, ours, theirs), strict=True):
            path.write_text(text, encoding="utf-8")
        conflicts = merge_files(paths[0], paths[1], paths[2], labels)
        return paths[1].read_text(encoding="utf-8"), conflicts


MERGE_DRIVER = "familieplan merge-file %O %A %B %P"
ATTRIBUTES_LINE = "cases/**/*.yaml merge=familieplan"


def is_repository(folder: Path) -> bool:
    if shutil.which("git") is None:
        return False
    return run(["rev-parse", "--git-dir"], folder, check=False).returncode == 0


def register_merge_driver(folder: Path) -> None:
    """Register the case-file merge driver in the repository holding `folder` (git keeps
    merge drivers in the local config, which a clone does not copy)."""
    run(["config", "merge.familieplan.name", "familieplan: merge case files by key"], folder)
    run(["config", "merge.familieplan.driver", MERGE_DRIVER], folder)


def enable_commit_graph(folder: Path) -> None:
    """Keep a commit-graph with changed-path filters in the repository holding `folder`:
    `changes` asks git for one case's commits, and with the filters git skips the commits
    that did not touch that path without opening their trees (a long history: several
    times faster). Written now when there are commits, and kept up to date by git's own
    fetches and garbage collections."""
    run(["config", "core.commitGraph", "true"], folder)
    run(["config", "fetch.writeCommitGraph", "true"], folder)
    run(["config", "gc.writeCommitGraph", "true"], folder)
    run(["config", "commitGraph.changedPathsVersion", "2"], folder, check=False)  # git >= 2.46; older ones ignore it
    if run(["rev-parse", "--verify", "--quiet", "HEAD"], folder, check=False).returncode == 0:
        run(["commit-graph", "write", "--reachable", "--changed-paths"], folder, check=False)


# --- saving: the changed files of a workspace as one commit (`save`, `init`) ----------------

class NoIdentity(UsageError):
    """git does not know who is committing (one line saying how to tell it, exit 2)."""


def identity(folder: Path) -> tuple[str, str] | None:
    """The name and email git would commit with in `folder` (as set in the environment or
    git's config), or None when either is missing: git would otherwise guess one from the
    machine, or stop half-way."""
    name = os.environ.get("GIT_AUTHOR_NAME") or _config(folder, "user.name")
    email = os.environ.get("GIT_AUTHOR_EMAIL") or _config(folder, "user.email") or os.environ.get("EMAIL")
    return (name, email) if name and email else None


def _config(folder: Path, key: str) -> str:
    return run(["config", "--get", key], folder, check=False).stdout.strip()


def has_commit(folder: Path) -> bool:
    """Whether the repository holding `folder` has a commit (HEAD resolves)."""
    return run(["rev-parse", "--verify", "--quiet", "HEAD"], folder, check=False).returncode == 0


def toplevel(folder: Path) -> Path:
    """The root of the repository holding `folder` (GitUnavailable outside one)."""
    binary()
    proc = run(["rev-parse", "--show-toplevel"], folder, check=False)
    if proc.returncode != 0:
        raise GitUnavailable(N_("{folder} is not inside a git repository (run 'git init' there first)"),
                             folder=str(folder))
    return Path(proc.stdout.strip())


def changed_paths(repo: Path, pathspecs: list[str]) -> list[str]:
    """The files under `pathspecs` (relative to the repository) that differ from HEAD or are
    new and not ignored, deleted ones included, as paths relative to the repository."""
    proc = run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", *pathspecs], repo)
    return sorted({entry[3:] for entry in proc.stdout.split("\0") if len(entry) > 3})


def commit_paths(repo: Path, paths: list[str], message: str) -> str:
    """Commit exactly `paths` (relative to the repository; new, changed or deleted) with
    `message`, leaving anything else staged as it was; the new commit's id."""
    run(["add", "-A", "--", *paths], repo)
    run(["commit", "-q", "-F", "-", "--only", "--", *paths], repo, input_text=message)
    return run(["rev-parse", "HEAD"], repo).stdout.strip()
