"""The record commands' write engine: one event into one case file, checked first.

`record` holds the case's lock (a second run waits up to 10 s), reads the case, lets the
event decide its change (or refuse: a `UsageError`, exit 2), splices it into the file's
text (`format/splice.py`: every other byte stays), loads the case again with the changed
bytes and writes only when that adds no error the case did not have before. The file is
replaced atomically (`workspace/files.py`); a missing attendance or measurements file is
made from its scaffold. The result is plain data: what was written, where, the diff, and
the problems that stopped it (new ones) or were there already (context).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from familieplan import model as m
from familieplan.engine.cases import load_cases, settings_of
from familieplan.format import nodes
from familieplan.format.splice import Splice, Value
from familieplan.problems import ERROR, N_, InvalidCaseError, Problem
from familieplan.settings import Settings
from familieplan.workspace import paths
from familieplan.workspace.files import FILE_MODE, open_regular, write_atomic
from familieplan.workspace.lock import WAIT, case_lock_path, lock_file

Path_ = tuple[str | int, ...]  # keys and list positions from a file's top to one mapping


@dataclass(frozen=True)
class Change:
    """An event's change to one case file: append `fields` to the list under `key`, or
    set and add keys of the mapping at `at`. `what` and `facts` say what it was, for the
    line the tool prints; `entry` is the new or changed entry as plain data."""

    name: str  # the case file, e.g. "agreements.yaml"
    what: str  # agreement, done, cancel, question, answer, absence, measurement, consent, withdrawal, end, booking
    key: str | None = None  # append to this top-level list …
    fields: Mapping[str, Value] = field(default_factory=dict)
    at: Path_ = ()  # … or change the mapping here
    sets: Mapping[str, str] = field(default_factory=dict)  # keys whose value is replaced (or added)
    after: Mapping[str, str] = field(default_factory=dict)  # an added key goes after this one
    facts: Mapping[str, Any] = field(default_factory=dict)


Event = Callable[[m.Case, Settings, dt.date], Change]


@dataclass(frozen=True)
class Recorded:
    """What a record command did (or would do, with `dry_run`)."""

    case: str
    file: str  # the file as shown
    line: int  # the new entry's (or the changed key's) line, 1-based
    what: str
    entry: Mapping[str, Any]
    facts: Mapping[str, Any]
    diff: str
    written: bool
    created: bool  # the file was made for this record
    problems: tuple[Problem, ...] = ()  # errors the change would add: nothing was written
    context: tuple[Problem, ...] = ()  # the case's problems before the change (not blocking)

    @property
    def refused(self) -> bool:
        return bool(self.problems)


def _node_at(root: nodes.Node, at: Path_) -> nodes.Node:
    node = root
    for step in at:
        if isinstance(step, int) and type(node) is nodes.Sequence:
            node = node.items[step]
        elif isinstance(step, str) and type(node) is nodes.Mapping:
            node = node.items[step][1]
        else:  # pragma: no cover - the events name paths they found in the loaded case
            raise KeyError(step)
    return node


def _plain_at(data: Any, at: Path_) -> Any:
    for step in at:
        data = data[step]
    return data


def _entry_plain(fields: Mapping[str, Value]) -> dict[str, Any]:
    return {key: (dict(value) if isinstance(value, dict) else value) for key, value in fields.items()}


def apply_change(splice: Splice, change: Change) -> tuple[int, dict[str, Any]]:
    """Splice the change into the text (checked against the data it must give); the line
    of the new entry or changed key and the entry as plain data."""
    root = splice.root()
    expected = copy.deepcopy(nodes.plain(root))
    assert isinstance(expected, dict)
    if change.key is not None:
        line = splice.append_item(root, change.key, change.fields)
        entry = _entry_plain(change.fields)
        listed = expected.get(change.key)
        expected[change.key] = [*(listed if isinstance(listed, list) else []), entry]
        splice.verify(expected)
        return line, entry
    line = 0
    target = _plain_at(expected, change.at)
    for key, value in change.sets.items():
        mapping = _node_at(root, change.at)
        assert type(mapping) is nodes.Mapping
        if key in mapping.items:
            splice.set_scalar(mapping.items[key][1], value)
            at_line = mapping.items[key][0].line
        else:
            at_line = splice.add_key(mapping, key, value, change.after.get(key))
        line = line or at_line
        target[key] = value
        root = splice.root()
    for key, nested in change.fields.items():  # nested values (a mapping) are added whole
        mapping = _node_at(root, change.at)
        assert type(mapping) is nodes.Mapping
        at_line = splice.add_key(mapping, key, nested, change.after.get(key))
        line = line or at_line
        target[key] = copy.deepcopy(nested)
        root = splice.root()
    splice.verify(expected)
    return line, {**change.sets, **_entry_plain(change.fields)}


def _read(path: Path) -> bytes | None:
    if not os.path.lexists(path):
        return None
    fd = open_regular(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _errors(problems: Sequence[Problem]) -> Counter[tuple[str, str, str]]:
    return Counter((p.source.path, p.code, p.message) for p in problems if p.level == ERROR)


def new_errors(before: Sequence[Problem], after: Sequence[Problem]) -> list[Problem]:
    """The errors of `after` that `before` did not have (lines may have moved: an error is
    the same when its file, code and message are)."""
    left = _errors(before)
    found = []
    for problem in after:
        key = (problem.source.path, problem.code, problem.message)
        if problem.level != ERROR:
            continue
        if left[key]:
            left[key] -= 1
        else:
            found.append(problem)
    return found


def _diff(old: bytes, new: bytes, shown: str) -> str:
    lines = difflib.unified_diff(old.decode("utf-8", "replace").splitlines(keepends=True),
                                 new.decode("utf-8", "replace").splitlines(keepends=True),
                                 fromfile=f"a/{shown}", tofile=f"b/{shown}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _loaded_case(root: Path, settings: Settings, folder: Path, today: dt.date,
                 contents: Mapping[str, bytes] | None = None) -> tuple[m.Case, list[Problem]]:
    found = load_cases(root, settings, [folder], only_active=False, today=today, contents=contents)
    case = found.loaded[0] if found.loaded else None
    if case is None or case.info is None or case.plan is None:
        shown = paths.display_path(folder)
        raise InvalidCaseError(N_("{path}: case.yaml or plan.yaml does not read; run 'familieplan validate {path}'"),
                               path=shown)
    return case, found.problems


def record(root: Path, case_name: str, event: Event, *, today: dt.date, dry_run: bool = False,
           scaffold: Callable[[str, m.Case], str] | None = None, wait: float = WAIT) -> Recorded:
    """Record one event into a case (see the module's docstring). `scaffold` gives the text
    of a missing file by its name (for the case); `today` is the last day an event can have happened."""
    folder = paths.resolve_case(root, case_name)
    settings, _, _ = settings_of(root)
    with lock_file(case_lock_path(folder), wait=wait):
        case, before = _loaded_case(root, settings, folder, today)
        change = event(case, settings, today)
        path = folder / change.name
        shown = paths.display_path(path)
        old = _read(path)
        if old is None and scaffold is None:
            raise InvalidCaseError(N_("{path}: the file is missing"), path=shown)
        start = old if old is not None else scaffold(change.name, case).encode("utf-8")  # type: ignore[misc]
        splice = Splice.of(start, shown)
        line, entry = apply_change(splice, change)
        new = splice.data()
        _, after = _loaded_case(root, settings, folder, today, {os.path.join(folder, change.name): new})
        added = new_errors(before, after)
        result = Recorded(case.folder_id, shown, line, change.what, entry, change.facts, _diff(old or b"", new, shown),
                          written=False, created=old is None, problems=tuple(added), context=tuple(before))
        if added or dry_run:
            return result
        mode = os.stat(path).st_mode & 0o777 if old is not None else FILE_MODE
        write_atomic(path, new, force=old is not None, mode=mode)
        return dataclasses.replace(result, written=True)
