"""Names a shell completes: case ids, the ids of a case's people and professionals, and
meeting files. Read cheaply (folder listings; one case loaded for its ids) and never
raising: a completion that fails offers nothing rather than a traceback in the shell."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from familieplan import model as m
from familieplan.workspace import paths
from familieplan.workspace import read as loader


def case_ids(root: Path, incomplete: str = "") -> list[str]:
    """The workspace's case ids starting with `incomplete`."""
    try:
        return [f.name for f in paths.case_folders(root) if f.name.startswith(incomplete)]
    except OSError:
        return []


def people_ids(root: Path, case: str | None, incomplete: str = "") -> list[tuple[str, str]]:
    """(id, name) of the people and professionals of `case` (every case when None)
    whose id starts with `incomplete`."""
    try:
        folders = [paths.resolve_case(root, case)] if case else paths.case_folders(root)
        settings, _path, _problems = loader.load_settings(root)
        found: dict[str, str] = {}
        for folder in folders[:50]:  # a completion must answer at once
            loaded, _ = loader.load_case(folder, settings)
            for pid, who in (*loaded.people_by_id().items(), *loaded.professionals_by_id().items()):
                if pid.startswith(incomplete):
                    found.setdefault(pid, getattr(who, "name", None) or "")
        return sorted(found.items())
    except Exception:  # noqa: BLE001 - whatever is wrong with the files, offer nothing
        return []


def meeting_files(root: Path, incomplete: str = "") -> list[str]:
    """Meeting files of every case, as paths relative to the current folder, starting with
    `incomplete`."""
    try:
        found = []
        for folder in paths.case_folders(root):
            meetings = folder / "meetings"
            if not meetings.is_dir():
                continue
            for entry in sorted(os.scandir(meetings), key=lambda e: e.name):
                if loader.MEETING_NAME.match(entry.name):
                    path = paths.display_path(Path(entry.path))
                    if path.startswith(incomplete):
                        found.append(path)
        return found
    except OSError:
        return []


# The kinds of ids inside one case a shell completes (how each is listed: `_LISTS`).
CASE_ID_KINDS = ("agreements", "questions", "goals", "interventions", "consents", "meetings")


def _plan_items(case: m.Case, kind: str) -> list[tuple[str, str]]:
    if case.plan is None:
        return []
    if kind == "goals":
        return [(g.id, g.text or "") for g in case.plan.goals if g.id]
    return [(iv.id, iv.title or "") for iv in case.plan.interventions if iv.id]


def _consents(case: m.Case) -> list[tuple[str, str]]:
    return [(c.id, c.person or "") for c in (case.info.consents if case.info else ()) if c.id]


_LISTS: dict[str, Callable[[m.Case], list[tuple[str, str]]]] = {
    "agreements": lambda case: [(a.id, a.text or "") for a in case.agreements if a.id],
    # named by their position in the log, as `due` and serve show them
    "questions": lambda case: [(f"q{n}", q.about or "") for n, q in enumerate(case.questions, 1)],
    "goals": lambda case: _plan_items(case, "goals"),
    "interventions": lambda case: _plan_items(case, "interventions"),
    "consents": _consents,
    "meetings": lambda case: [(mt.name, mt.title or "") for mt in case.meetings if mt.name],
}


def case_item_ids(root: Path, case: str | None, kind: str, incomplete: str = "") -> list[tuple[str, str]]:
    """(id, description) of the `kind` entries (one of `CASE_ID_KINDS`) of `case` whose id
    starts with `incomplete`; nothing without a case or when its files cannot be read."""
    if not case:
        return []
    try:
        settings, _path, _problems = loader.load_settings(root)
        loaded, _ = loader.load_case(paths.resolve_case(root, case), settings)
        return [(ident, text) for ident, text in _LISTS[kind](loaded) if ident.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - whatever is wrong with the files, offer nothing
        return []
