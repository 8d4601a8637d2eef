"""Changing one case file in place (`approve`, `invite`'s `uid:`): under the case's lock
the file is read afresh, changed as text, read again through the format's spec, and only
when the new text converts without an error and says what it should is it written,
atomically, over the old one (its mode and byte-order mark kept).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from familieplan.format.nodes import parse
from familieplan.problems import ERROR, N_, FamilieplanError, Problem
from familieplan.workspace.files import FILE_MODE, open_regular, write_atomic
from familieplan.workspace.lock import case_lock_path, lock_file
from familieplan.workspace.paths import display_path
from familieplan.workspace.read import convert

_BOM = "\ufeff"


def _read(path: Path) -> tuple[str, int]:
    fd = open_regular(path, os.O_RDONLY)
    try:
        mode = stat.S_IMODE(os.fstat(fd).st_mode)
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    finally:
        os.close(fd)
    try:
        return b"".join(chunks).decode("utf-8"), mode
    except UnicodeDecodeError:
        raise FamilieplanError(N_("{path}: the file is not UTF-8; run 'familieplan validate'"),
                               path=display_path(path)) from None


def read_as(text: str, path: Path, kind: str, areas: frozenset[str]) -> tuple[object | None, list[Problem]]:
    """The record a text converts to (None where it does not), and its problems."""
    shown = display_path(path)
    root, problems = parse(text.removeprefix(_BOM), shown)
    return convert(root, kind, shown, areas, problems), problems


def edit_case_file(path: Path, kind: str, areas: frozenset[str],
                   change: Callable[[str, object], str], expect: Callable[[object, object], bool]) -> object:
    """Change the case file `path` (of spec `kind`) with `change(text, record) -> text`;
    write it when the new text converts without an error and `expect(old, new)` holds.
    The new record is returned. FamilieplanError, and nothing written, otherwise."""
    shown = display_path(path)
    with lock_file(case_lock_path(path.parent if kind != "meeting" else path.parent.parent)):
        text, mode = _read(path)
        old, problems = read_as(text, path, kind, areas)
        if old is None or any(p.level == ERROR for p in problems):
            raise FamilieplanError(N_("{path}: the file does not validate; run 'familieplan validate'"), path=shown)
        bom = _BOM if text.startswith(_BOM) else ""
        new_text = bom + change(text.removeprefix(bom), old)
        new, problems = read_as(new_text, path, kind, areas)
        if new is None or any(p.level == ERROR for p in problems) or not expect(old, new):
            raise FamilieplanError(N_("{path}: the change would not read back as it should; nothing was written"),
                                   path=shown)
        write_atomic(path, new_text, force=True, mode=mode or FILE_MODE)
    return new
