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
from familieplan.problems import N_, Problem
from familieplan.settings import Settings
from familieplan.workspace import git
from familieplan.workspace.read import CASE_FILES, MEETING_NAME, assemble_case, convert

KINDS = {"case.yaml": "case", "plan.yaml": "plan", "agreements.yaml": "agreements", "attendance.yaml": "attendance",
         "measurements.yaml": "measurements"}


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    date: dt.datetime
    author: str


@dataclass(frozen=True)
class Repository:
    """The top folder of a repository and, for a shallow clone, the commits whose parents it
    does not hold."""

    root: Path
    shallow: bool
    boundary: frozenset[str]


def repository(folder: Path) -> Repository:
    """The git repository holding `folder` (GitUnavailable otherwise), asked in one call."""
    git.binary()
    proc = git.run(["rev-parse", "--show-toplevel", "--is-shallow-repository", "--git-path", "shallow"], folder,
                   check=False)
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or len(lines) != 3:
        raise git.GitUnavailable(N_("{folder} is not inside a git repository: 'changes' reads the case's history from git"),
                                 folder=str(folder))
    root = Path(lines[0])
    boundary: frozenset[str] = frozenset()
    if lines[1] == "true":
        shallow_file = Path(lines[2]) if Path(lines[2]).is_absolute() else folder / lines[2]
        try:
            boundary = frozenset(shallow_file.read_text().split())
        except OSError:
            pass
    return Repository(root, lines[1] == "true", boundary)


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
    """The case files under `folder` (relative to the repository: its YAML files and
    `meetings/*`) at each revision, as relative path -> content. Three `git cat-file
    --batch` runs whatever the number of revisions: the folder's trees, the meetings
    trees, the files."""
    revs = list(dict.fromkeys(revs))
    trees = _batch(root, [f"{rev}:{folder}" for rev in revs])
    listing: dict[str, dict[str, str]] = {}
    subtrees: dict[str, str] = {}
    for rev, found in zip(revs, trees, strict=True):
        entries = _tree_entries(found)
        listing[rev] = {name: sha for name, (mode, sha) in entries.items() if mode in ("100644", "100755")}
        if entries.get("meetings", ("",))[0] == "40000":
            subtrees[rev] = entries["meetings"][1]
    meeting_trees = sorted(set(subtrees.values()))
    meetings = dict(zip(meeting_trees, _batch(root, meeting_trees), strict=True))
    for rev, sha in subtrees.items():
        for name, (mode, blob) in _tree_entries(meetings[sha]).items():
            if mode in ("100644", "100755"):
                listing[rev][f"meetings/{name}"] = blob
    blobs = sorted({sha for files in listing.values() for sha in files.values()})
    contents = dict(zip(blobs, _batch(root, blobs), strict=True))
    return {rev: {name: contents[sha][1] for name, sha in files.items() if contents[sha] is not None}  # type: ignore[index]
            for rev, files in listing.items()}


def _tree_entries(found: tuple[str, bytes] | None) -> dict[str, tuple[str, str]]:
    """A raw tree object's entries: name -> (mode, sha). A symbolic link (120000) or a
    submodule is listed with its mode and left out by the callers."""
    if found is None or found[0] != "tree":
        return {}
    data, entries, pos = found[1], {}, 0
    while pos < len(data):
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        mode = data[pos:space].decode()
        name = data[space + 1:nul].decode("utf-8", errors="replace")
        entries[name] = (mode, data[nul + 1:nul + 21].hex())
        pos = nul + 21
    return entries


def _batch(root: Path, requests: list[str]) -> list[tuple[str, bytes] | None]:
    """`git cat-file --batch`: (type, content) per request, None where it is missing."""
    if not requests:
        return []
    proc = subprocess.run([git.binary(), "cat-file", "--batch"], cwd=root, input="\n".join(requests).encode() + b"\n",
                          capture_output=True, check=False)
    out, pos = proc.stdout, 0
    found: list[tuple[str, bytes] | None] = []
    for _ in requests:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) != 3:  # "<request> missing" (or ambiguous)
            found.append(None)
            pos = end + 1
            continue
        size = int(header[2])
        found.append((header[1].decode(), out[end + 1:end + 1 + size]))
        pos = end + 1 + size + 1
    return found


def load_case_texts(case_id: str, files: dict[str, bytes], shown_folder: str, settings: Settings,
                    cache: dict[tuple[str, bytes], object] | None = None) -> tuple[m.Case, list[Problem]]:
    """A case from its files' contents (relative path -> bytes), read like a case folder:
    the same decoder, composer and specs as `load_case`. With `cache`, a file whose
    content was read before (in another state) is not read again; its problems are then
    not reported twice."""
    areas = frozenset(settings.all_areas())
    problems: list[Problem] = []

    def load(name: str, kind: str) -> object | None:
        if name not in files:
            return None
        if cache is None:
            return read(name, kind)
        key = (name, files[name])
        if key not in cache:
            cache[key] = read(name, kind)
        return cache[key]

    def read(name: str, kind: str) -> object | None:
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
    case = assemble_case(case_id, Path(shown_folder), loaded, meetings)
    return case, problems

