"""The one way a command gets its cases.

`target_folders` turns the case names on the command line into folders (every case
folder when none is named); `load_cases` loads them, runs the case checks and returns
the valid cases with the invalid ones set aside as data (`Skipped`), so that one broken
case never blinds a command to the others. Cases that are not active are left out
unless they were named. `unknown_filter` makes a filter that names nothing (an unknown
person, coordinator or responsible) a usage error with a "did you mean".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from familieplan import model as m
from familieplan.checks.case import run_checks
from familieplan.format.types import did_you_mean_text
from familieplan.problems import ERROR, N_, InvalidCaseError, Problem, UsageError
from familieplan.workspace import load as loader


@dataclass(frozen=True)
class Skipped:
    """A case left out because its files do not validate."""

    case: str  # the folder's name (the case id)
    path: str  # the folder as shown to the user
    errors: int  # error-level problems in its files


@dataclass
class CaseSet:
    """What `load_cases` found: the cases to work on, the ones skipped, every problem."""

    cases: list[m.Case] = field(default_factory=list)  # valid, and active unless named
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    loaded: list[m.Case] = field(default_factory=list)  # every case read, valid or not


def target_folders(root: Path, names: Sequence[str]) -> list[Path]:
    """The folders of the named cases (ids or paths), or every case folder."""
    if names:
        return [loader.resolve_case(root, name) for name in names]
    return loader.case_folders(root)


def load_cases(root: Path, settings: m.Settings, folders: Sequence[Path], *, only_active: bool,
               today: dt.date | None = None) -> CaseSet:
    """Load the case folders, run the case checks, and sort the cases into valid ones
    (active ones only, with `only_active`) and skipped ones. A case whose status cannot
    be read is reported as skipped even with `only_active`: it may be an active one."""
    result = CaseSet()
    texts: dict[str, str] = {}  # what was read of the current case, to quote its problems
    for folder, case, problems in loader.each_case(settings, folders, texts):
        if case is None:
            result.problems.extend(problems)
            result.skipped.append(Skipped(folder.name, loader.display_path(folder), len(problems)))
            continue
        result.loaded.append(case)
        problems = loader.with_quotes(problems + run_checks(case, settings, today), texts)
        texts.clear()
        result.problems.extend(problems)
        errors = sum(p.level == ERROR for p in problems)
        if only_active and case.info is not None and case.info.status != "active":
            continue
        if errors or case.info is None or case.plan is None:
            result.skipped.append(Skipped(case.folder_id, loader.display_path(case.path), max(errors, 1)))
            continue
        result.cases.append(case)
    return result


def load_valid(root: Path, case_names: list[str]) -> tuple[m.Workspace, list[Problem]]:
    """The workspace with the named cases (or every case) loaded and checked, and every
    problem found: for a command that reads whole cases and shows their problems."""
    settings, settings_path, problems = loader.load_settings(root)
    found = load_cases(root, settings, target_folders(root, case_names), only_active=False)
    problems += found.problems
    problems.sort(key=Problem.sort_key)
    return m.Workspace(root, settings, settings_path, tuple(found.loaded)), problems


def load_one(root: Path, name: str) -> tuple[m.Settings, m.Case]:
    """One named case, valid, for a command that works on one case (render-*, export-ics,
    new-meeting); InvalidCaseError (exit 1) when its files, or the settings, do not validate."""
    settings, _, problems = loader.load_settings(root)
    found = load_cases(root, settings, [loader.resolve_case(root, name)], only_active=False)
    errors = sum(p.level == ERROR for p in problems + found.problems)
    if errors or found.skipped:
        shown = found.skipped[0].path if found.skipped else loader.display_path(root / loader.SETTINGS_FILE)
        if max(errors, 1) == 1:
            raise InvalidCaseError(N_("{path}: 1 error in the files; run 'familieplan validate {path}' to see it"),
                                   path=shown)
        raise InvalidCaseError(N_("{path}: {n} errors in the files; run 'familieplan validate {path}' to see them"),
                               path=shown, n=errors)
    return settings, found.cases[0]


def unknown_filter(option: str, value: str | None, known: Iterable[str]) -> None:
    """A filter that would match nothing is a usage error, with the closest known id."""
    choices = sorted(set(known))
    if value is None or value in choices:
        return
    hint = did_you_mean_text(value, choices) or _same_ignoring_case(value, choices)
    if hint:
        raise UsageError(N_("{option} {value}: no such id in the cases ({hint})"), option=option, value=value, hint=hint)
    raise UsageError(N_("{option} {value}: no such id in the cases"), option=option, value=value)


def _same_ignoring_case(value: str, choices: list[str]) -> str | None:
    folded = [c for c in choices if c.casefold() == value.casefold() or c.casefold().startswith(value.casefold())]
    return f"did you mean '{folded[0]}'?" if folded else None


def known_ids(cases: Iterable[m.Case], kind: str) -> set[str]:
    """The ids a filter may name, over every case read (valid or not): `people`,
    `everyone` (people and professionals) or `coordinators`."""
    ids: set[str] = set()
    for case in cases:
        if case.info is None:
            continue
        if kind == "coordinators":
            ids.add(case.info.coordinator or "")
            continue
        ids.update(p.id or "" for p in case.info.people)
        if kind == "everyone":
            ids.update(p.id or "" for p in case.info.professionals)
    ids.discard("")
    return ids
