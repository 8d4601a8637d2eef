"""A case's files at past states of its git repository, read with the `git` command and
loaded with the project's own reader (the same composer and specs as the working tree).

Only the case's own paths are asked for (`git log -- cases/<id>`, `git ls-tree REV --
cases/<id>`), and all file contents come through one `git cat-file --batch`, so the cost
follows the case's history, not the repository's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from familieplan import model as m
from familieplan.format import nodes
from familieplan.problems import Problem
from familieplan.workspace import git
from familieplan.workspace.load import CASE_FILES, MEETING_NAME, convert

KINDS = {"case.yaml": "case", "plan.yaml": "plan", "agreements.yaml": "agreements"}


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    date: dt.datetime
    author: str


def repository(folder: Path) -> Path:
    """The top folder of the git repository holding `folder` (GitUnavailable otherwise)."""
    git.binary()
    proc = git.run(["rev-parse", "--show-toplevel"], folder, check=False)
    if proc.returncode != 0:
        raise git.GitUnavailable(f"{folder} is not inside a git repository: 'changes' reads the case's history from git")
    return Path(proc.stdout.strip())


def is_shallow(root: Path) -> bool:
    return git.run(["rev-parse", "--is-shallow-repository"], root).stdout.strip() == "true"


def resolve(root: Path, rev: str) -> str | None:
    """The commit a revision names, or None."""
    if rev.startswith("-"):
        return None
    proc = git.run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root, check=False)
    if proc.returncode != 0:
        return None
    return proc.stdout.strip() or None


def last_commit_before(root: Path, moment: dt.datetime, rev: str, paths: list[str]) -> str | None:
    """The last commit reachable from `rev` on or before `moment` that touched `paths`
    (the state of those paths at `moment`)."""
    proc = git.run(["rev-list", "-1", f"--before={moment.isoformat()}", rev, "--", *paths], root)
    return proc.stdout.strip() or None


def commits(root: Path, since: str | None, to: str, paths: list[str]) -> list[Commit]:
    """The commits after `since` up to `to` that touched `paths`, newest first."""
    span = f"{since}..{to}" if since else to
    proc = git.run(["log", "--format=%H%x1f%P%x1f%aI%x1f%an", span, "--", *paths], root)
    found = []
    for line in proc.stdout.splitlines():
        sha, parents, date, author = line.split("\x1f")
        found.append(Commit(sha, tuple(parents.split()), dt.datetime.fromisoformat(date), author))
    return found


def oldest_commit(root: Path, to: str, paths: list[str]) -> Commit | None:
    proc = git.run(["log", "--format=%H%x1f%P%x1f%aI%x1f%an", "--reverse", to, "--", *paths], root)
    lines = proc.stdout.splitlines()
    if not lines:
        return None
    sha, parents, date, author = lines[0].split("\x1f")
    return Commit(sha, tuple(parents.split()), dt.datetime.fromisoformat(date), author)


def read_states(root: Path, revs: list[str], folder: str) -> dict[str, dict[str, bytes]]:
    """The files under `folder` (relative to the repository) at each revision: relative
    path inside the folder -> content."""
    listing: dict[str, dict[str, str]] = {}
    blobs: set[str] = set()
    for rev in dict.fromkeys(revs):
        proc = git.run(["ls-tree", "-r", "--full-tree", rev, "--", folder], root, check=False)
        files = {}
        for line in proc.stdout.splitlines():
            meta, _, path = line.partition("\t")
            mode, kind, blob = meta.split()
            if kind == "blob" and mode != "120000":  # a symbolic link is not a case file
                files[path[len(folder) + 1:]] = blob
                blobs.add(blob)
        listing[rev] = files
    contents = _cat(root, sorted(blobs))
    return {rev: {name: contents[blob] for name, blob in files.items()} for rev, files in listing.items()}


def _cat(root: Path, blobs: list[str]) -> dict[str, bytes]:
    if not blobs:
        return {}
    proc = subprocess.run([git.binary(), "cat-file", "--batch"], cwd=root, input="\n".join(blobs).encode() + b"\n",
                          capture_output=True, check=False)
    out, contents, pos = proc.stdout, {}, 0
    for blob in blobs:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        size = int(header[2]) if len(header) == 3 else 0
        contents[blob] = out[end + 1:end + 1 + size]
        pos = end + 1 + size + (1 if len(header) == 3 else 0)
    return contents


def load_case_texts(case_id: str, files: dict[str, bytes], shown_folder: str,
                    settings: m.Settings) -> tuple[m.Case, list[Problem]]:
    """A case from its files' contents (relative path -> bytes), read like a case folder:
    the same decoder, composer and specs as `load_case`."""
    areas = frozenset(settings.all_areas())
    problems: list[Problem] = []

    def load(name: str, kind: str) -> object | None:
        if name not in files:
            return None
        shown = f"{shown_folder}/{name}"
        text, more = nodes.decode(files[name], shown)
        problems.extend(more)
        if text is None:
            return None
        root, more = nodes.parse(text, shown)
        problems.extend(more)
        if root is not None and type(root) is not nodes.Mapping:
            return None
        return convert(root, kind, shown, areas, problems)

    loaded = {name: load(name, kind) for name, kind in KINDS.items() if name in CASE_FILES}
    meetings = []
    for name in sorted(files):
        base = name.removeprefix("meetings/")
        if base != name and "/" not in base and MEETING_NAME.match(base):
            meeting = load(name, "meeting")
            if isinstance(meeting, m.Meeting):
                meetings.append(dataclasses.replace(meeting, name=base.rsplit(".", 1)[0]))
    info, plan, agreements = loaded["case.yaml"], loaded["plan.yaml"], loaded["agreements.yaml"]
    agreements_file = agreements if isinstance(agreements, m.AgreementsFile) else None
    case = m.Case(
        folder_id=case_id,
        path=Path(shown_folder),
        info=info if isinstance(info, m.CaseInfo) else None,
        plan=plan if isinstance(plan, m.Plan) else None,
        agreements=agreements_file.agreements if agreements_file else (),
        questions=agreements_file.questions if agreements_file else (),
        meetings=tuple(meetings),
        has_agreements=agreements_file is not None,
    )
    return case, problems


def shallow_boundary(root: Path) -> frozenset[str]:
    """The commits whose parents a shallow clone does not hold (empty for a full clone)."""
    path = git.run(["rev-parse", "--git-path", "shallow"], root).stdout.strip()
    shallow = (root / path) if not Path(path).is_absolute() else Path(path)
    try:
        return frozenset(shallow.read_text().split())
    except OSError:
        return frozenset()
