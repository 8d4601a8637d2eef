"""`init`, `new-case`, `new-meeting`: create valid starting points from templates."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from dateutil.relativedelta import relativedelta

from familieplan import model as m
from familieplan.engine.cases import load_cases
from familieplan.format.cpr import find_cpr, mask_cpr
from familieplan.format.scalars import ID_RE
from familieplan.format.slug import slugify
from familieplan.format.suggest import did_you_mean_text
from familieplan.problems import ERROR, N_, FamilieplanError, InvalidCaseError, Term, UsageError
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.deadlines import case_deadlines, since_last_meeting
from familieplan.schedule.facts import case_facts
from familieplan.settings import Settings
from familieplan.workspace import git as gitcmd
from familieplan.workspace import paths
from familieplan.workspace import read as loader
from familieplan.workspace.files import DIR_MODE, make_private_dir, rename, write_atomic

OUTPUT_DIR = "output"
SCHEMA_DIR = "schemas"
# The files of a new case, each made from the template `scaffold/<name>.j2`. Data flows one
# way: this module works out what a new file holds (its context) and writes the texts the
# templates made of it; the templates are rendered by `familieplan.render` (the public
# API, `familieplan.api`, wires the two).
CASE_FILES = ("case.yaml", "plan.yaml", "agreements.yaml")


@dataclass
class Created:
    paths: list[Path] = field(default_factory=list)
    next_command: str = ""
    notes: list[str] = field(default_factory=list)  # message ids of lines to print after the paths
    commit: str | None = None  # the first commit `init` made


def schema_areas(root: Path | None) -> tuple[str, ...]:
    """The workspace's own life areas, for the schemas (none without a workspace)."""
    return tuple(loader.load_settings(root)[0].areas) if root is not None else ()


def write_schemas(root: Path | None, texts: Mapping[str, str], force: bool = False,
                  folder: Path | None = None) -> list[Path]:
    """The JSON Schemas (each file's text by its path under the schema folder: the file
    kinds' that the created files point editors at, `case.schema.json`, and the commands'
    outputs', `output/status.json`): into `root`'s `schemas/`, keeping existing ones unless
    `force`; or into `folder`, refusing to overwrite unless `force`."""
    keep = folder is None
    target = folder if folder is not None else (root or Path()) / SCHEMA_DIR
    written = []
    for name, text in texts.items():
        path = target / name
        if keep and path.exists() and not force:
            continue
        write_atomic(path, text, force=force or keep, mode=0o644, base=root if keep else None)
        written.append(path)
    return written


def init_workspace(target: Path, *, settings_text: str, gitignore_text: str, schemas: Mapping[str, str],
                   git: bool = True, force: bool = False, first_commit: str | None = None) -> Created:
    """Create a workspace: familieplan.yaml, cases/, .gitignore, the schemas, .gitattributes
    and a git repository (with the merge driver and a commit-graph); when the repository
    has no commit yet, the files are its first, with the message `first_commit`."""
    settings = target / paths.SETTINGS_FILE
    if settings.exists() and not force:
        raise FamilieplanError(N_("{path} exists: this is already a workspace (use --force to rewrite its settings)"),
                               path=str(settings))
    target.mkdir(parents=True, exist_ok=True)
    created = Created()
    write_atomic(settings, settings_text, force=force, mode=0o644)
    created.paths.append(settings)
    cases = target / paths.CASES_DIR
    make_private_dir(cases)
    created.paths.append(cases)
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        write_atomic(gitignore, gitignore_text, mode=0o644)
        created.paths.append(gitignore)
    created.paths += write_schemas(target, schemas)
    created.paths += _write_gitattributes(target)
    if git and shutil.which("git"):
        from familieplan.commands.save import init_repository

        made, created.commit, note = init_repository(target, [p for p in created.paths if p.is_file()], first_commit)
        created.paths += made
        created.notes += [note] if note else []
    created.next_command = f'familieplan new-case "Familien ..." --workspace {target}'
    return created


def _write_gitattributes(root: Path) -> list[Path]:
    """`.gitattributes` naming the merge driver for case files (kept when it names it already)."""
    path = root / ".gitattributes"
    if path.is_symlink():
        raise FamilieplanError(N_("{path} is a symbolic link; refusing to write through it"), path=str(path))
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if gitcmd.ATTRIBUTES_LINE in text.splitlines():
        return []
    separator = "" if not text or text.endswith("\n") else "\n"
    write_atomic(path, text + separator + gitcmd.ATTRIBUTES_LINE + "\n", force=True, mode=0o644)
    return [path]


@dataclass
class GitSetup:
    paths: list[Path] = field(default_factory=list)
    driver: str = gitcmd.MERGE_DRIVER
    on_path: bool = True


def git_setup(root: Path) -> GitSetup:
    """Register the merge driver in an existing clone and make sure `.gitattributes` names it.
    Raises GitUnavailable (exit 2) outside a git repository or without git."""
    if not gitcmd.is_repository(root):
        gitcmd.binary()
        raise gitcmd.GitUnavailable(N_("{folder} is not inside a git repository"), folder=str(root))
    gitcmd.register_merge_driver(root)
    gitcmd.enable_commit_graph(root)
    return GitSetup(_write_gitattributes(root), on_path=shutil.which("familieplan") is not None)


def next_case_id(root: Path, title: str, today: dt.date, after: int = 0) -> str:
    """`<year>-<nnn>-<slug>`: the next number of the year (at least `after` + 1)."""
    year = today.year
    pattern = re.compile(rf"{year}-(\d+)-")
    numbers = [int(m[1]) for f in paths.case_folders(root) if (m := pattern.match(f.name))]
    number = max(*numbers, after, 0) + 1
    slug = slugify(title, 64 - 9) or "sag"
    return f"{year}-{number:03d}-{slug}"


def check_id(case_id: str) -> None:
    if not ID_RE.match(case_id) or case_id in (".", ".."):
        raise UsageError(N_("'{id}' is not a valid case id: use a-z, 0-9, '-' and '_' "
                            "(no '/', no '..'), at most 64 characters"), id=case_id)
    if any(True for _ in find_cpr(case_id)):
        raise UsageError(N_("case id '{id}' holds a CPR-shaped number; a folder name must not: "
                            "choose another title or --id"), id=mask_cpr(case_id))


def _check_title(root: Path, title: str, settings: Settings, allow_same: bool) -> None:
    """No CPR number in a title (it becomes the folder name); a title equal to an active
    case's asks for --force or --id (two families would look the same in every list)."""
    if any(True for _ in find_cpr(title)):
        raise UsageError(N_("the title '{title}' holds a CPR-shaped number; it would become the "
                            "case's folder name: leave it out"), title=mask_cpr(title))
    if allow_same:
        return
    ws, _ = loader.load_workspace(root, settings=settings)
    for case in ws.cases:
        if case.info and case.info.status == "active" and case.title.casefold() == title.casefold():
            raise UsageError(N_("an active case is titled '{title}' already ({folder}); "
                                "use --id to choose the new case's id, or --force to create it anyway"),
                             title=title, folder=paths.display_path(case.path))


@dataclass(frozen=True)
class CaseDraft:
    """A new case before it is written: its id (`auto`: one the tool chose, which moves on
    to the next number when another run takes it) and what its templates are given."""

    root: Path
    settings: Settings
    title: str
    today: dt.date
    case_id: str
    auto: bool
    force: bool
    context: Mapping[str, object]

    def next(self) -> CaseDraft:
        """The draft with the next free number of the year."""
        case_id = next_case_id(self.root, self.title, self.today, after=int(self.case_id.split("-")[1]))
        return replace(self, case_id=case_id, context={**self.context, "id": case_id})


def case_draft(root: Path, title: str, *, case_id: str | None = None, coordinator: str | None = None,
               department: str | None = None, today: dt.date, force: bool = False) -> CaseDraft:
    """A new case's id and its templates' context, checked (a valid id inside the
    workspace, no CPR number, no second active case of the same title without --force)."""
    settings, _, _ = loader.load_settings(root)
    auto = case_id is None
    if case_id is None:
        case_id = next_case_id(root, title, today)
    check_id(case_id)
    _check_title(root, title, settings, force or not auto)
    cases = root / paths.CASES_DIR
    if (cases / case_id).resolve().parent != cases.resolve():
        raise UsageError(N_("case id '{id}' would escape the workspace"), id=case_id)
    context = {
        "id": case_id, "title": title, "today": today, "plan_end": _plan_end(today), "phases": _phases(today),
        "coordinator_id": slugify(coordinator, 30) if coordinator else "koordinator",
        "coordinator_name": coordinator or "Koordinerende sagsbehandler",
        "department": _department(settings, department), "schema_dir": f"../../{SCHEMA_DIR}",
    }
    return CaseDraft(root, settings, title, today, case_id, auto, force, context)


def create_case(draft: CaseDraft, files: Mapping[str, str]) -> Created | None:
    """Write the case's files (made from `draft`): in a temporary folder, renamed to the
    case's name (the rename claims the id atomically, on Windows too), then validated (and
    removed again if they do not validate). None when another run took an id the tool
    chose (the caller tries `draft.next()`); an id given with --id that exists is an error,
    or, with --force, its files are rewritten."""
    cases = draft.root / paths.CASES_DIR
    make_private_dir(cases)
    folder = cases / draft.case_id
    if not os.path.lexists(folder) and _move_in(folder, files):
        claimed = True
    elif not draft.auto and draft.force and folder.is_dir() and not folder.is_symlink():
        claimed = False
        for name, text in files.items():
            write_atomic(folder / name, text, force=True, base=draft.root)
    elif not draft.auto:
        raise FamilieplanError(N_("case {case} exists at {folder}; use --force to rewrite its files"),
                               case=draft.case_id, folder=str(folder))
    else:
        return None
    _validate_written(draft.root, draft.settings, folder, None, remove=claimed)
    return Created([folder / name for name in files], f"familieplan validate {folder}")


def _department(settings: Settings, department: str | None) -> str:
    departments = settings.departments or {}
    if department is None:
        return next(iter(departments), "jobcenter")
    if departments and department not in departments:
        hint = did_you_mean_text(department, departments)
        if hint:
            raise UsageError(N_("no department '{department}' in familieplan.yaml ({hint})"),
                             department=department, hint=hint)
        raise UsageError(N_("no department '{department}' in familieplan.yaml"), department=department)
    return department


def _plan_end(today: dt.date) -> dt.date:
    return today + relativedelta(months=18) - dt.timedelta(days=1)


def _phases(today: dt.date) -> list[dict[str, object]]:
    phases: list[dict[str, object]] = []
    start = today
    names = ["Struktur i hverdagen", "Aktivering og behandling side om side", "Mere aktivering"]
    for i, name in enumerate(names):
        end = _plan_end(today) if i == 2 else today + relativedelta(months=6 * (i + 1)) - dt.timedelta(days=1)
        phases.append({"id": f"f{i + 1}", "name": name, "start": start, "end": end})
        start = end + dt.timedelta(days=1)
    return phases


CLAIM_TRIES = 50  # ids a new case tries before it gives up (other runs taking them meanwhile)
# A folder renamed onto a name that is taken: POSIX says ENOTEMPTY or EEXIST (ENOTDIR for
# a file), Windows FileExistsError (or PermissionError while someone has it open).
_TAKEN = (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EACCES, errno.EPERM)


def _move_in(folder: Path, files: Mapping[str, str]) -> bool:
    """Make the files in a temporary folder beside `folder` and rename it to `folder` in
    one step: no half-made case is ever seen. False when the name was taken meanwhile."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        os.chmod(tmp, DIR_MODE)
        for name, text in files.items():
            write_atomic(tmp / name, text)
        rename(tmp, folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.errno in _TAKEN and os.path.lexists(folder):
            return False
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return True


def _validate_written(root: Path, settings: Settings, folder: Path, meeting: Path | None, *, remove: bool) -> None:
    """What was just written must validate; otherwise it is removed (when it is new) and
    the first problem is the error."""
    found = load_cases(root, settings, [folder], only_active=False)
    shown = f"{paths.display_path(folder)}/meetings/{meeting.name}" if meeting else None
    errors = [p for p in found.problems if p.level == ERROR and (shown is None or p.source.path == shown)]
    if not errors:
        return
    if remove:
        if meeting is not None:
            meeting.unlink(missing_ok=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    first = errors[0]
    problem = Term(first.message_id, **dict(first.args))
    if remove:
        raise FamilieplanError(N_("the written file does not validate ({source}: {code}: {problem}); it was removed"),
                               source=str(first.source), code=first.code, problem=problem)
    raise FamilieplanError(N_("the written file does not validate ({source}: {code}: {problem}); "
                              "fix it or run the command again"),
                           source=str(first.source), code=first.code, problem=problem)


@dataclass(frozen=True)
class MeetingDraft:
    """A new meeting file before it is written: where, and what its template is given."""

    root: Path
    settings: Settings
    folder: Path
    path: Path
    existed: bool
    force: bool
    context: Mapping[str, object]


def _readable_case(root: Path, settings: Settings, folder: Path) -> m.Case:
    """The case in `folder`, loaded; an error when its case.yaml cannot be read."""
    found = load_cases(root, settings, [folder], only_active=False)
    case = found.loaded[0] if found.loaded else None
    if case is None or case.info is None:
        shown = paths.display_path(folder)
        raise InvalidCaseError(N_("{folder}/case.yaml cannot be read; run 'familieplan validate {folder}'"), folder=shown)
    return case


def _meeting_path(folder: Path, day: dt.date, title: str, force: bool) -> tuple[Path, bool]:
    """Where the meeting of `day` with `title` goes, and whether a file is there already
    (an error without `force`)."""
    slug = slugify(title) or "moede"
    path = folder / "meetings" / f"{day.isoformat()}-{slug}.yaml"
    existed = os.path.lexists(path)
    if existed and not force:
        raise FamilieplanError(N_("{path} exists; use --force to overwrite it"), path=str(path))
    return path, existed


def _given_names(info: m.CaseInfo) -> dict[str, str]:
    """The names given for the case's people and professionals, by id."""
    return {**{p.id: p.name for p in info.people if p.id and p.name},
            **{p.id: p.name for p in info.professionals if p.id and p.name}}


def _meeting_context(case: m.Case, day: dt.date, title: str, settings: Settings) -> dict[str, object]:
    """What the meeting template is given: participants, the open and overdue agreements
    and questions as items that keep their areas (`commands/agenda.py`), the day of the
    last meeting, and the names by id."""
    from familieplan.commands.agenda import follow_up_items

    assert case.info is not None
    calendar = WorkCalendar(settings)
    follow_up = case_deadlines(case_facts(case, calendar), day, calendar, within_days=0)
    return {
        "title": title, "date": day, "people": [p for p in case.info.people if p.id and p.role != "child"],
        "professionals": [p for p in case.info.professionals if p.id],
        "coordinator": case.info.coordinator,
        "follow_up": follow_up_items(case, follow_up, settings.all_areas()),
        "since": since_last_meeting(case, day, calendar),
        "names": _given_names(case.info),
        "schema_dir": f"../../../{SCHEMA_DIR}",
    }


def meeting_draft(root: Path, case_name: str, *, day: dt.date, title: str = "Fællesmøde",
                  force: bool = False) -> MeetingDraft:
    """A meeting file's place and its template's context: the adults and professionals as
    participants and recipients (children only when added by hand); an agenda that starts
    with a pointer to the minutes' own "Siden sidste møde" (built for each reader, never
    copied into an item every reader reads), then the open and overdue agreements and
    questions, one item per area and intervention."""
    folder = paths.resolve_case(root, case_name)
    settings, _, _ = loader.load_settings(root)
    case = _readable_case(root, settings, folder)
    path, existed = _meeting_path(folder, day, title, force)
    context = _meeting_context(case, day, title, settings)
    return MeetingDraft(root, settings, folder, path, existed, force, context)


def write_meeting(draft: MeetingDraft, text: str) -> Created:
    """Write the meeting file (made from `draft`), validated before success is reported
    (a new file that does not validate is removed again)."""
    write_atomic(draft.path, text, force=draft.force, base=draft.root)
    _validate_written(draft.root, draft.settings, draft.folder, draft.path, remove=not draft.existed)
    return Created([draft.path], f"familieplan validate {draft.path}")
