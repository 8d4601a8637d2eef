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
import itertools
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from familieplan.engine import paused_gc
from familieplan.engine.first_error import first_errors
from familieplan.engine.signature import Signature, is_current, read_regular, snapshot
from familieplan.engine.store import STATS, Store, dumps
from familieplan.problems import ERROR, N_, InvalidCaseError, Problem
from familieplan.settings import Settings
from familieplan.workspace import paths

if TYPE_CHECKING:  # the case records: only where cases are read (`familieplan.settings`)
    from familieplan import model as m
    from familieplan.settings import Settings


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
    # The problems that hold on any day before a date (`checks.records.attendance_after`).
    dated: list[tuple[dt.date, Problem]] = field(default_factory=list)


def target_folders(root: Path, names: Sequence[str]) -> list[Path]:
    """The folders of the named cases (ids or paths), or every case folder."""
    if names:
        return [paths.resolve_case(root, name) for name in names]
    return paths.case_folders(root)


def load_cases(root: Path, settings: Settings, folders: Sequence[Path], *, only_active: bool,
               today: dt.date | None = None, contents: Mapping[str, bytes] | None = None) -> CaseSet:
    """Load the case folders, run the case checks, and sort the cases into valid ones
    (active ones only, with `only_active`) and skipped ones. A case whose status cannot
    be read is reported as skipped even with `only_active`: it may be an active one."""
    from familieplan.checks.case import run_checks
    from familieplan.checks.records import attendance_after
    from familieplan.workspace import read as loader

    result = CaseSet()
    texts: dict[str, str] = {}  # what was read of the current case, to quote its problems
    for folder, case, problems in loader.each_case(settings, folders, texts, contents):
        if case is None:
            result.problems.extend(problems)
            result.skipped.append(Skipped(folder.name, paths.display_path(folder), len(problems)))
            continue
        result.loaded.append(case)
        problems = loader.with_quotes(problems + run_checks(case, settings, today), texts)
        dated = attendance_after(case)
        result.dated += zip([day for day, _ in dated], loader.with_quotes([p for _, p in dated], texts), strict=True)
        texts.clear()
        result.problems.extend(problems)
        errors = sum(p.level == ERROR for p in problems)
        if only_active and case.info is not None and case.info.status != "active":
            continue
        if errors or case.info is None or case.plan is None:
            result.skipped.append(Skipped(case.folder_id, paths.display_path(case.path), max(errors, 1)))
            continue
        result.cases.append(case)
    return result


@dataclass(frozen=True)
class CaseOutcome:
    """What loading and checking one case gave, as plain data (stored per case): its
    problems, whether it was skipped, its status and the ids a filter may name."""

    case: str  # the folder's name
    problems: tuple[Problem, ...]
    skipped: Skipped | None
    loaded: bool  # the case's files were read (a linked folder is not)
    valid: bool  # its files validate: the command's own work may run on it
    active: bool  # its status is active (or cannot be read)
    files: int  # files read
    people: tuple[str, ...] = ()
    everyone: tuple[str, ...] = ()  # people and professionals
    coordinators: tuple[str, ...] = ()
    dated: tuple[tuple[dt.date, Problem], ...] = ()  # problems on any day before their date

    def selected(self, only_active: bool) -> bool:
        """The command works on the case: valid, and active unless it was named."""
        return self.valid and (self.active or not only_active)

    def on(self, today: dt.date | None) -> CaseOutcome:
        """The outcome as it reads on `today` (None: without the checks against the date)."""
        if today is None:
            return self
        from familieplan.checks.records import on_day

        late = tuple(on_day(problem, today) for day, problem in self.dated if day > today)
        return replace(self, problems=self.problems + late) if late else self


Work = Callable[["m.Case", Settings, Any], Any]
Wanted = Callable[[CaseOutcome], bool]


@dataclass(frozen=True)
class CaseRun:
    """How `case_results` treats the cases: the command's name (the kind of stored entry)
    and the options its work depends on (stored with it), `today` for the case checks, the
    work done on each selected case (a module-level function, so that it reaches worker
    processes), and which cases a filter wants (`wanted`: the others are not worked on;
    never part of what is stored)."""

    command: str
    work: Work | None = None
    extra: Any = None
    only_active: bool = False
    today: dt.date | None = None
    cache: bool = True
    wanted: Wanted | None = None
    # The id a filter names: every case that `wanted` wants names it in its case.yaml, so a
    # case whose case.yaml does not is left out without being read.
    mentions: str | None = None

    def params(self) -> str:
        return repr(self.extra)

    def keeps(self, folder: Path, outcome: CaseOutcome) -> bool:
        """The case is part of this run's result: no filter, a case the filter wants, or
        an invalid case that names the filter's id (it may be the filter's; its problems
        are shown rather than the case silently left out)."""
        if self.wanted is None or self.wanted(outcome):
            return True
        return not outcome.valid and (self.mentions is None or mentions(folder, self.mentions))

    def works_on(self, outcome: CaseOutcome) -> bool:
        return (self.work is not None and outcome.selected(self.only_active)
                and (self.wanted is None or self.wanted(outcome)))


# What a worker sends back for a case: the store's signature of its folder (None: not
# to be stored), the outcome and the work's result, both pickled.
Computed = tuple[Path, "Signature | None", bytes, bytes | None]


def case_results(root: Path, settings: Settings, folders: Sequence[Path], run: CaseRun,
                 jobs: int | None = None) -> list[tuple[CaseOutcome, Any]]:
    """Every case folder's outcome with the result of `run.work` on it (None when the
    case was not worked on), in folder order: from the store where the case's files did
    not change, computed (over the cores) where they did."""
    return list(each_case_result(root, settings, folders, run, jobs))


def each_case_result(root: Path, settings: Settings, folders: Sequence[Path], run: CaseRun,
                     jobs: int | None = None) -> Iterator[tuple[CaseOutcome, Any]]:
    """`case_results` one case at a time, as the computed ones arrive."""
    store = Store(root) if run.cache else None
    try:
        with paused_gc():
            found, todo = _stored(store, folders, run)
        if run.mentions is not None:  # cases that cannot be wanted are not read
            todo = [f for f in todo if mentions(f, run.mentions)]
        if store is not None:
            STATS.misses += len(todo)
        fresh = _computed(root, settings, todo, run, store is not None, jobs)
        waiting = set(todo)
        written: list[tuple[str, str, str, Signature, bytes, bytes | None]] = []
        for folder in folders:
            if folder in found:
                outcome, data = found[folder]
            elif folder in waiting:
                outcome, data = _fresh(folder, next(fresh), run, written)
            else:
                continue
            if run.keeps(folder, outcome):
                yield outcome.on(run.today), data
        if store is not None:
            store.put(written)
            store.prune(run.command, paths.case_names(root))
    finally:
        if store is not None:
            store.close()


def _computed(root: Path, settings: Settings, todo: Sequence[Path], run: CaseRun, storing: bool,
              jobs: int | None) -> Iterator[Computed]:
    """The folders' results as the workers send them back, in folder order."""
    if not todo:
        return iter(())
    from familieplan.engine.pool import (
        each_chunk,  # (multiprocessing: only where cases are computed)
    )

    return itertools.chain.from_iterable(each_chunk(_results_chunk, root, settings, todo, (run, storing), jobs=jobs))


def _fresh(folder: Path, computed: Computed, run: CaseRun,
           written: list[tuple[str, str, str, Signature, bytes, bytes | None]]) -> tuple[CaseOutcome, Any]:
    """A computed case's outcome and result, its entry kept for the store."""
    done, signature, outcome, result = computed
    assert done == folder, (done, folder)  # chunks come back in folder order
    if signature is not None:
        written.append((folder.name, run.command, run.params(), signature, outcome, result))
    return pickle.loads(outcome), (None if result is None else pickle.loads(result))


def mentions(folder: Path, some_id: str) -> bool:
    """The case's case.yaml holds the id's text (or cannot be read: it may)."""
    data = read_regular(folder / "case.yaml")
    return data is None or some_id.encode() in data


def _stored(store: Store | None, folders: Sequence[Path], run: CaseRun) -> tuple[dict[Path, tuple[CaseOutcome, Any]],
                                                                                   list[Path]]:
    """The results the store holds for the folders (current, with the work this run
    needs), and the folders to compute."""
    if store is None:
        return {}, list(folders)
    entries = store.entries(run.command, [f.name for f in folders])
    found: dict[Path, tuple[CaseOutcome, Any]] = {}
    todo: list[Path] = []
    params = run.params()
    for folder in folders:
        entry = entries.get(folder.name)
        usable = (entry is not None and entry.params == params and isinstance(entry.outcome, CaseOutcome)
                  and not folder.is_symlink() and is_current(folder, entry.signature))
        if usable:
            assert entry is not None
            outcome = entry.outcome
            works = run.works_on(outcome)
            if not works or entry.result is not None:
                try:
                    found[folder] = (outcome, entry.data() if works else None)
                    STATS.hits += 1
                    continue
                except Exception:  # noqa: BLE001 - a result that does not load is a miss
                    pass
        todo.append(folder)
    return found, todo


def _results_chunk(root: Path, settings: Settings, folders: Sequence[Path],
                   job: tuple[CaseRun, bool]) -> list[Computed]:
    """Load, check and work on some case folders (in a worker for large workspaces); each
    comes back pickled, with its folder's signature when it is to be stored."""
    run, storing = job
    out: list[Computed] = []
    for folder in folders:
        contents: dict[str, bytes] = {}  # the bytes the signature was made of: read once
        signature = snapshot(folder, contents) if storing and not folder.is_symlink() else None
        outcome, result = _one_result(root, settings, folder, run, contents)
        out.append((folder, signature, dumps(outcome), None if result is None else dumps(result)))
    return out


def _one_result(root: Path, settings: Settings, folder: Path, run: CaseRun,
                contents: Mapping[str, bytes] | None = None) -> tuple[CaseOutcome, Any]:
    found = load_cases(root, settings, [folder], only_active=False, contents=contents)
    outcome = _outcome(folder, found)
    result = None
    if found.cases and run.works_on(outcome):
        result = run.work(found.cases[0], settings, run.extra)  # type: ignore[misc]
    return outcome, result


def _outcome(folder: Path, found: CaseSet) -> CaseOutcome:
    case = found.loaded[0] if found.loaded else None
    files = 0 if case is None else ((case.info is not None) + (case.plan is not None) + len(case.optional_files)
                                    + len(case.meetings))
    cases = found.loaded
    active = case is None or case.info is None or case.info.status == "active"
    return CaseOutcome(folder.name, tuple(found.problems), found.skipped[0] if found.skipped else None,
                       case is not None, bool(found.cases), active, files,
                       tuple(sorted(known_ids(cases, "people"))), tuple(sorted(known_ids(cases, "everyone"))),
                       tuple(sorted(known_ids(cases, "coordinators"))), tuple(found.dated))


def settings_of(root: Path, cache: bool = False) -> tuple[Settings, Path | None, list[Problem]]:
    """The workspace's settings, their file and their problems (`load_settings`); with
    `cache`, from the store while familieplan.yaml is unchanged (its bytes are in the
    store's stamp), so that a warm run needs no YAML reader."""
    if cache:
        shown = paths.display_path(root / paths.SETTINGS_FILE)
        with Store(root) as store:
            found = store.whole("settings", shown)
            if found is None:
                found = _load_settings(root)
                store.put_whole("settings", shown, found)
            return found  # type: ignore[no-any-return]
    return _load_settings(root)


def _load_settings(root: Path) -> tuple[Settings, Path | None, list[Problem]]:
    from familieplan.rules.registry import unknown_rule_problems
    from familieplan.workspace import read as loader

    settings, path, problems = loader.load_settings(root)
    return settings, path, problems + unknown_rule_problems(settings)


def load_valid(root: Path, case_names: list[str]) -> tuple[m.Workspace, list[Problem]]:
    """The workspace with the named cases (or every case) loaded and checked, and every
    problem found: for a command that reads whole cases and shows their problems."""
    settings, settings_path, problems = settings_of(root)
    found = load_cases(root, settings, target_folders(root, case_names), only_active=False)
    problems += found.problems
    problems.sort(key=Problem.sort_key)
    from familieplan import model as m

    return m.Workspace(root, settings, settings_path, tuple(found.loaded)), problems


def load_one(root: Path, name: str) -> tuple[Settings, m.Case]:
    """One named case, valid, for a command that works on one case (render-*, export-ics,
    disclosures); InvalidCaseError (exit 1) when its files, or the settings, do not
    validate."""
    settings, _, problems = settings_of(root)
    found = load_cases(root, settings, [paths.resolve_case(root, name)], only_active=False)
    if _has_errors(problems + found.problems) or found.skipped:
        _invalid(root, found.skipped[0] if found.skipped else None, problems, found.problems)
    return settings, found.cases[0]


def _has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level == ERROR for p in problems)


def _invalid(root: Path, skipped: Skipped | None, settings_problems: list[Problem], problems: list[Problem]) -> None:
    # as many as `validate` will show: not those that only follow from an unreadable file
    errors = sum(p.level == ERROR for p in first_errors(settings_problems + problems)[0])
    shown = skipped.path if skipped else paths.display_path(root / paths.SETTINGS_FILE)
    if max(errors, 1) == 1:
        raise InvalidCaseError(N_("{path}: 1 error in the files; run 'familieplan validate {path}' to see it"),
                               path=shown)
    raise InvalidCaseError(N_("{path}: {n} errors in the files; run 'familieplan validate {path}' to see them"),
                           path=shown, n=errors)


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
