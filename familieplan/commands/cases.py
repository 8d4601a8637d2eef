"""The one way a command gets its cases.

`target_folders` turns the case names on the command line into folders (every case
folder when none is named); `load_cases` loads them, runs the case checks and returns
the valid cases with the invalid ones set aside as data (`Skipped`), so that one broken
case never blinds a command to the others. Cases that are not active are left out
unless they were named. `unknown_filter` makes a filter that names nothing (an unknown
person, coordinator or responsible) a usage error with a "did you mean".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from familieplan.format.cpr import mask_cpr
from familieplan.problems import ERROR, N_, InvalidCaseError, Problem, UsageError
from familieplan.settings import Settings
from familieplan.workspace import paths
from familieplan.workspace.cache import CaseCache
from familieplan.workspace.codec import Codec, CodecError

if TYPE_CHECKING:  # the case records: only where cases are read (`familieplan.settings`)
    from familieplan import model as m


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
        return [paths.resolve_case(root, name) for name in names]
    return paths.case_folders(root)


def load_cases(root: Path, settings: m.Settings, folders: Sequence[Path], *, only_active: bool,
               today: dt.date | None = None) -> CaseSet:
    """Load the case folders, run the case checks, and sort the cases into valid ones
    (active ones only, with `only_active`) and skipped ones. A case whose status cannot
    be read is reported as skipped even with `only_active`: it may be an active one."""
    from familieplan.checks.case import run_checks
    from familieplan.workspace import load as loader

    result = CaseSet()
    texts: dict[str, str] = {}  # what was read of the current case, to quote its problems
    for folder, case, problems in loader.each_case(settings, folders, texts):
        if case is None:
            result.problems.extend(problems)
            result.skipped.append(Skipped(folder.name, paths.display_path(folder), len(problems)))
            continue
        result.loaded.append(case)
        problems = loader.with_quotes(problems + run_checks(case, settings, today), texts)
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
    """What loading and checking one case gave, as plain data (cached per case): its
    problems, whether it was skipped, the ids a filter may name, and whether the
    command's own work ran on it (`selected`: valid, and active unless named)."""

    case: str  # the folder's name
    problems: tuple[Problem, ...]
    skipped: Skipped | None
    loaded: bool  # the case's files were read (a linked folder is not)
    selected: bool
    files: int  # files read
    people: tuple[str, ...] = ()
    everyone: tuple[str, ...] = ()  # people and professionals
    coordinators: tuple[str, ...] = ()
    # With `CaseRun.problem_view`: each problem as the reporter writes it (CPR-masked), in
    # the order of `problems`, made in the worker and cached with the case.
    problem_rows: tuple[str, ...] = ()


# How a reporter writes one problem (a module-level function, so that it reaches worker
# processes) and its options (language, colour): part of the cache key.
ProblemView = tuple[Callable[[Problem, Any], str], Any]


def rendered_problems(rendered: dict[int, str], outcome: CaseOutcome) -> None:
    """Keep the outcome's problem rows by the identity of their problems (for a reporter
    that writes `result.problems` and looks each one's row up)."""
    rendered.update(zip(map(id, outcome.problems), outcome.problem_rows, strict=False))


Work = Callable[["m.Case", Settings, Any], Any]


@dataclass(frozen=True)
class CaseRun:
    """How `case_results` treats the cases: the command's name and options (both part of
    the cache key), `today` for the case checks, and the work done on each selected case
    (a module-level function, so that it reaches worker processes) with its result type."""

    command: str
    work: Work | None = None
    result_type: object = type(None)
    extra: Any = None
    only_active: bool = False
    today: dt.date | None = None
    cache: bool = True
    problem_view: ProblemView | None = None

    def params(self) -> str:
        view = "" if self.problem_view is None else f"{self.problem_view[0].__qualname__}{self.problem_view[1]!r}"
        return f"{self.command}|{self.only_active}|{self.today}|{self.extra!r}|{view}"


def case_results(root: Path, settings: m.Settings, folders: Sequence[Path], run: CaseRun,
                 jobs: int | None = None) -> list[tuple[CaseOutcome, Any]]:
    """Every case folder's outcome with the result of `run.work` on it (None when the
    case was not selected), in folder order: from the cache where the case's files did not
    change, computed (over the cores) where they did."""
    return list(each_case_result(root, settings, folders, run, jobs))


def each_case_result(root: Path, settings: m.Settings, folders: Sequence[Path], run: CaseRun,
                     jobs: int | None = None) -> Iterator[tuple[CaseOutcome, Any]]:
    """`case_results` one case at a time, as the computed ones arrive: a caller that uses
    each result and lets it go holds only a chunk of computed cases at once."""
    codec = _codec(run.result_type)
    found: dict[Path, tuple[CaseOutcome, Any]] = {}
    todo: list[Path] = []
    reuse: dict[str, Any] = {}
    cache = CaseCache(root, run.params(), codec) if run.cache else None
    try:
        if cache is not None:
            # The stored results hold no cycles: no collection while thousands of them load.
            with paused_gc():
                for folder in folders:
                    hit = cache.lookup(folder, paths.display_path(folder)) if not folder.is_symlink() else None
                    if hit is not None and not hit.revalidate:
                        found[folder] = hit.data
                        continue
                    if hit is not None:
                        reuse[folder.name] = hit.data[1]
                    todo.append(folder)
        else:
            todo = list(folders)
        computed: Iterator[tuple[Path, tuple[CaseOutcome, Any] | bytes]] = iter(())
        if todo:
            from familieplan.workspace.parallel import each_chunk

            computed = itertools.chain.from_iterable(each_chunk(_results_chunk, root, settings, todo, (run, reuse),
                                                                jobs=jobs))
        for folder in folders:
            if folder in found:
                yield found[folder]
                continue
            done, result = next(computed)
            assert done == folder, (done, folder)  # chunks come back in folder order
            if isinstance(result, bytes):  # the case's cache entry, made by the worker
                assert cache is not None
                result = _fresh_result(root, settings, folder, run, reuse, cache, result)
            yield result
        if cache is not None:
            cache.write_pack()
    finally:
        if cache is not None:
            cache.close()


def _fresh_result(root: Path, settings: m.Settings, folder: Path, run: CaseRun, reuse: dict[str, Any],
                  cache: CaseCache, raw: bytes) -> tuple[CaseOutcome, Any]:
    """The result in a worker's entry, kept for the cache (read back the way every entry
    is read; a result that does not read back is made again here, not cached)."""
    try:
        result = cache.codec.loads_entry(raw)[-1]
    except CodecError:
        return _one_result(root, settings, folder, run, reuse.get(folder.name))
    cache.put(folder, paths.display_path(folder), raw)
    return result  # type: ignore[no-any-return]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while many objects without cycles are made: each
    full collection rescans every object of a loaded caseload."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_CODECS: dict[object, Codec] = {}


def _codec(result_type: object) -> Codec:
    codec = _CODECS.get(result_type)
    if codec is None:
        codec = _CODECS[result_type] = Codec(tuple[CaseOutcome, result_type | None])  # type: ignore[valid-type]
    return codec


def _results_chunk(root: Path, settings: m.Settings, folders: Sequence[Path],
                   job: tuple[CaseRun, dict[str, Any]]) -> list[tuple[Path, tuple[CaseOutcome, Any] | bytes]]:
    """Load, check and work on some case folders (in a worker for large workspaces). With
    the cache, a case's result comes back as its cache entry (bytes: the parent keeps it
    and reads the result from it), so it is encoded once, not once for the cache and once
    for the way back; a case that cannot be stored comes back as its result."""
    from familieplan.workspace import load as loader

    run, reuse = job
    out: list[tuple[Path, tuple[CaseOutcome, Any] | bytes]] = []
    cache = CaseCache(root, run.params(), _codec(run.result_type)) if run.cache else None
    try:
        for folder in folders:
            snapshot = cache.snapshot(folder) if cache is not None and not folder.is_symlink() else None
            loader.digests = {} if snapshot is not None else None
            result = _one_result(root, settings, folder, run, reuse.get(folder.name))
            raw = cache.entry(folder, snapshot, loader.digests or {}, result) if cache is not None else None
            out.append((folder, raw if raw is not None else result))
    finally:
        loader.digests = None
        if cache is not None:
            cache.close()
    return out


def _one_result(root: Path, settings: m.Settings, folder: Path, run: CaseRun, reuse: Any) -> tuple[CaseOutcome, Any]:
    found = load_cases(root, settings, [folder], only_active=run.only_active, today=run.today)
    result = None
    if found.cases and run.work is not None:
        result = reuse if reuse is not None else run.work(found.cases[0], settings, run.extra)
    return _outcome(folder, found, result, run.problem_view)


def _outcome(folder: Path, found: CaseSet, result: Any, view: ProblemView | None = None) -> tuple[CaseOutcome, Any]:
    case = found.loaded[0] if found.loaded else None
    files = 0 if case is None else ((case.info is not None) + (case.plan is not None) + len(case.optional_files)
                                    + len(case.meetings))
    cases = found.loaded
    outcome = CaseOutcome(folder.name, tuple(found.problems), found.skipped[0] if found.skipped else None,
                          case is not None, bool(found.cases), files,
                          tuple(sorted(known_ids(cases, "people"))), tuple(sorted(known_ids(cases, "everyone"))),
                          tuple(sorted(known_ids(cases, "coordinators"))),
                          tuple(mask_cpr(view[0](p, view[1])) for p in found.problems) if view else ())
    return outcome, result


_SETTINGS: list[Codec] = []


def settings_of(root: Path, cache: bool = True) -> tuple[m.Settings, Path | None, list[Problem]]:
    """The workspace's settings, their file and their problems (`load_settings`): with
    `cache`, from the cache while familieplan.yaml's bytes are unchanged (they are in the
    key), so that a run served from the cache does not import the YAML reader."""
    if not cache:
        return _load_settings(root)[0]
    if not _SETTINGS:
        _SETTINGS.append(Codec(tuple[Settings, Path | None, list[Problem]]))
    shown = paths.display_path(root / paths.SETTINGS_FILE)
    with CaseCache(root, f"settings|{shown}", _SETTINGS[0]) as store:
        found = store.read_whole("settings")
        if found is not None:
            return found  # type: ignore[no-any-return]
        loaded, digest = _load_settings(root)
        store.write_whole("settings", loaded, digest)
    return loaded


def _load_settings(root: Path) -> tuple[tuple[m.Settings, Path | None, list[Problem]], str | None]:
    """The settings as the loader reads them, with the digest of the bytes it read."""
    from familieplan.workspace import load as loader

    loader.digests = {}
    try:
        found = loader.load_settings(root)
        return found, loader.digests.get(str(root / paths.SETTINGS_FILE))
    finally:
        loader.digests = None


def load_valid(root: Path, case_names: list[str], cache: bool = True) -> tuple[m.Workspace, list[Problem]]:
    """The workspace with the named cases (or every case) loaded and checked, and every
    problem found: for a command that reads whole cases and shows their problems. With
    `cache`, a case known to be valid is read without running its checks again."""
    settings, settings_path, problems = settings_of(root, cache)
    found = checked_cases(root, settings, target_folders(root, case_names), cache)
    problems += found.problems
    problems.sort(key=Problem.sort_key)
    from familieplan import model as m

    return m.Workspace(root, settings, settings_path, tuple(found.loaded)), problems


def load_one(root: Path, name: str, cache: bool = True) -> tuple[m.Settings, m.Case]:
    """One named case, valid, for a command that works on one case (render-*, export-ics,
    disclosures); InvalidCaseError (exit 1) when its files, or the settings, do not
    validate. With `cache`, a case known to be valid is read without running its checks again."""
    settings, _, problems = settings_of(root, cache)
    found = checked_cases(root, settings, [paths.resolve_case(root, name)], cache)
    if _has_errors(problems + found.problems) or found.skipped:
        _invalid(root, found.skipped[0] if found.skipped else None, problems, found.problems)
    return settings, found.cases[0]


def checked_cases(root: Path, settings: m.Settings, folders: Sequence[Path], cache: bool) -> CaseSet:
    """The case folders as `load_cases` gives them (named: active or closed). With `cache`,
    a case the cache knows to be valid and unchanged is read without running its checks
    again (its problems, warnings only, come from the cache); any other case is loaded,
    checked and stored."""
    if not cache:
        return load_cases(root, settings, folders, only_active=False)
    result = CaseSet()
    with CaseCache(root, CaseRun("case").params(), _codec(type(None))) as store:
        for folder in folders:
            found = _checked_case(root, settings, folder, store)
            result.cases += found.cases
            result.skipped += found.skipped
            result.problems += found.problems
            result.loaded += found.loaded
    return result


def _checked_case(root: Path, settings: m.Settings, folder: Path, store: CaseCache) -> CaseSet:
    from familieplan.workspace import load as loader

    shown = paths.display_path(folder)
    usable = not folder.is_symlink()
    hit = store.lookup(folder, shown) if usable else None
    if hit is not None and not hit.revalidate and hit.data[0].selected:
        case, more = loader.load_case(folder, settings)
        if not _has_errors(more):  # unchanged since: the checks found no error then
            return CaseSet([case], [], list(hit.data[0].problems), [case])
    snapshot = store.snapshot(folder) if usable else None
    loader.digests = {} if snapshot is not None else None
    try:
        found = load_cases(root, settings, [folder], only_active=False)
        store.store(folder, shown, snapshot, loader.digests or {}, _outcome(folder, found, None))
    finally:
        loader.digests = None
    return found


def _has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level == ERROR for p in problems)


def _invalid(root: Path, skipped: Skipped | None, settings_problems: list[Problem], problems: list[Problem]) -> None:
    errors = sum(p.level == ERROR for p in settings_problems + problems)
    shown = skipped.path if skipped else paths.display_path(root / paths.SETTINGS_FILE)
    if max(errors, 1) == 1:
        raise InvalidCaseError(N_("{path}: 1 error in the files; run 'familieplan validate {path}' to see it"),
                               path=shown)
    raise InvalidCaseError(N_("{path}: {n} errors in the files; run 'familieplan validate {path}' to see them"),
                           path=shown, n=errors)


def unknown_filter(option: str, value: str | None, known: Iterable[str]) -> None:
    """A filter that would match nothing is a usage error, with the closest known id."""
    choices = sorted(set(known))
    if value is None or value in choices:
        return
    from familieplan.format.types import did_you_mean_text

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
