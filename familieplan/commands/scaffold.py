"""`init`, `new-case`, `new-meeting`: create valid starting points from templates."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dateutil.relativedelta import relativedelta

from familieplan import model as m
from familieplan.engine.cases import load_cases
from familieplan.format import specs as schema
from familieplan.format.cpr import find_cpr, mask_cpr
from familieplan.format.scalars import ID_RE
from familieplan.format.slug import slugify
from familieplan.format.suggest import did_you_mean_text
from familieplan.format.types import Translate
from familieplan.problems import ERROR, N_, FamilieplanError, InvalidCaseError, Term, UsageError
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.deadlines import OVERDUE, case_deadlines, since_last_meeting
from familieplan.schedule.facts import case_facts
from familieplan.workspace import git as gitcmd
from familieplan.workspace import paths
from familieplan.workspace import read as loader
from familieplan.workspace.files import DIR_MODE, make_private_dir, rename, write_atomic

OUTPUT_DIR = "output"

# Renders a scaffold template (name, context, workspace) to text. The templates are
# rendered by the one template environment in `familieplan.render`; the public API
# (`familieplan.api`) passes it in, so that this core module imports no template engine.
TemplateRenderer = Callable[[str, dict, Path | None], str]
SCHEMA_DIR = "schemas"


@dataclass
class Created:
    paths: list[Path] = field(default_factory=list)
    next_command: str = ""


def schema_texts(root: Path | None, translate: Translate | None = None) -> dict[str, str]:
    """The JSON Schema of each file kind as the text of its file: descriptions through
    `translate`, life areas the built-in ones and those of the workspace at `root`."""
    areas = tuple(loader.load_settings(root)[0].areas) if root is not None else ()
    return {kind: json.dumps(schema.json_schema(kind, areas=areas, translate=translate), ensure_ascii=False,
                             indent=2) + "\n"
            for kind in schema.FILE_KINDS}


def write_schemas(root: Path | None, force: bool = False, translate: Translate | None = None,
                  folder: Path | None = None) -> list[Path]:
    """The JSON Schemas that the created files point editors at: into `root`'s `schemas/`,
    keeping existing ones unless `force`; or into `folder`, refusing to overwrite unless
    `force`. The workspace's own life areas are included when `root` is given."""
    keep = folder is None
    target = folder if folder is not None else (root or Path()) / SCHEMA_DIR
    written = []
    for kind, text in schema_texts(root, translate).items():
        path = target / f"{kind}.schema.json"
        if keep and path.exists() and not force:
            continue
        write_atomic(path, text, force=force or keep, mode=0o644, base=root if keep else None)
        written.append(path)
    return written


def init_workspace(target: Path, *, render: TemplateRenderer, municipality: str = "Eksempel Kommune",
                   git: bool = True, force: bool = False, translate: Translate | None = None) -> Created:
    settings = target / paths.SETTINGS_FILE
    if settings.exists() and not force:
        raise FamilieplanError(N_("{path} exists: this is already a workspace (use --force to rewrite its settings)"),
                               path=str(settings))
    target.mkdir(parents=True, exist_ok=True)
    created = Created()
    write_atomic(settings, render("scaffold/familieplan.yaml.j2", {"municipality": municipality}, None),
                 force=force, mode=0o644)
    created.paths.append(settings)
    cases = target / paths.CASES_DIR
    make_private_dir(cases)
    created.paths.append(cases)
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        write_atomic(gitignore, render("scaffold/gitignore.j2", {"output_dir": OUTPUT_DIR}, None), mode=0o644)
        created.paths.append(gitignore)
    created.paths += write_schemas(target, translate=translate)
    created.paths += _write_gitattributes(target)
    if git and shutil.which("git") and not (target / ".git").exists():
        subprocess.run(["git", "init", "-q", str(target)], check=False)
        created.paths.append(target / ".git")
        if gitcmd.is_repository(target):
            gitcmd.register_merge_driver(target)
            gitcmd.enable_commit_graph(target)
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


def _check_title(root: Path, title: str, settings: m.Settings, allow_same: bool) -> None:
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


def new_case(root: Path, title: str, *, render: TemplateRenderer, case_id: str | None = None, coordinator: str | None = None,
             department: str | None = None, today: dt.date, force: bool = False,
             translate: Translate | None = None) -> Created:
    """Create `cases/<id>/`: the files are made in a temporary folder, which is renamed to
    the case's name (the rename claims the id atomically, on Windows too), and the case is
    validated before success is reported (and removed again if it does not validate)."""
    settings, _, _ = loader.load_settings(root)
    auto = case_id is None
    if case_id is None:
        case_id = next_case_id(root, title, today)
    check_id(case_id)
    _check_title(root, title, settings, force or not auto)
    cases = root / paths.CASES_DIR
    if (cases / case_id).resolve().parent != cases.resolve():
        raise UsageError(N_("case id '{id}' would escape the workspace"), id=case_id)
    department = _department(settings, department)
    coordinator_id = slugify(coordinator, 30) if coordinator else "koordinator"
    context = {
        "id": case_id, "title": title, "today": today, "plan_end": _plan_end(today), "phases": _phases(today),
        "coordinator_id": coordinator_id, "coordinator_name": coordinator or "Koordinerende sagsbehandler",
        "department": department, "schema_dir": f"../../{SCHEMA_DIR}",
    }
    make_private_dir(cases)

    def files_for(case_id: str) -> dict[str, str]:
        context["id"] = case_id
        return {name: render(f"scaffold/{name}.j2", context, root) for name in ("case.yaml", "plan.yaml", "agreements.yaml")}

    folder, files, claimed = _claim(root, case_id, title, today, auto, force, files_for)
    created = Created()
    if not claimed:
        for name, text in files.items():
            write_atomic(folder / name, text, force=True, base=root)
    _validate_written(root, settings, folder, None, remove=claimed)
    created.paths += [folder / name for name in files]
    created.paths += write_schemas(root, translate=translate)
    created.next_command = f"familieplan validate {folder}"
    return created


def _department(settings: m.Settings, department: str | None) -> str:
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


CLAIM_TRIES = 50
# A folder renamed onto a name that is taken: POSIX says ENOTEMPTY or EEXIST (ENOTDIR for
# a file), Windows FileExistsError (or PermissionError while someone has it open).
_TAKEN = (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EACCES, errno.EPERM)


def _claim(root: Path, case_id: str, title: str, today: dt.date, auto: bool, force: bool,
           files_for: Callable[[str], dict[str, str]]) -> tuple[Path, dict[str, str], bool]:
    """The case folder and its files: made here, whole (True), or existing and to be
    rewritten with --force (False). The rename of a filled temporary folder onto the
    case's name is the claim: of two runs at once only one gets the name; the other
    takes the next number (a generated id) or stops (an id given with --id)."""
    cases = root / paths.CASES_DIR
    for _ in range(CLAIM_TRIES):
        folder = cases / case_id
        files = files_for(case_id)
        if not os.path.lexists(folder) and _move_in(folder, files):
            return folder, files, True
        if not auto and force and folder.is_dir() and not folder.is_symlink():
            return folder, files, False
        if not auto:
            raise FamilieplanError(N_("case {case} exists at {folder}; use --force to rewrite its files"),
                                   case=case_id, folder=str(folder))
        number = int(case_id.split("-")[1])
        case_id = next_case_id(root, title, today, after=number)
    raise FamilieplanError(N_("could not claim a new case id in {folder} after {tries} tries"),
                           folder=str(cases), tries=CLAIM_TRIES)


def _move_in(folder: Path, files: dict[str, str]) -> bool:
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


def _validate_written(root: Path, settings: m.Settings, folder: Path, meeting: Path | None, *, remove: bool) -> None:
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


def new_meeting(root: Path, case_name: str, *, render: TemplateRenderer, day: dt.date, title: str = "Fællesmøde",
                force: bool = False, translate: Translate | None = None) -> Created:
    """A meeting file: the adults and professionals as participants and recipients (children
    only when added by hand); an agenda that starts with what happened since the last
    meeting (agreements done, questions answered, late ones marked: the points of the
    minutes' "Siden sidste møde"), then the open agreements and what is overdue.
    Validated before success is reported."""
    folder = paths.resolve_case(root, case_name)
    settings, _, _ = loader.load_settings(root)
    found = load_cases(root, settings, [folder], only_active=False)
    case = found.loaded[0] if found.loaded else None
    if case is None or case.info is None:
        shown = paths.display_path(folder)
        raise InvalidCaseError(N_("{folder}/case.yaml cannot be read; run 'familieplan validate {folder}'"), folder=shown)
    slug = slugify(title) or "moede"
    path = folder / "meetings" / f"{day.isoformat()}-{slug}.yaml"
    existed = os.path.lexists(path)
    if existed and not force:
        raise FamilieplanError(N_("{path} exists; use --force to overwrite it"), path=str(path))
    people = [p for p in case.info.people if p.id and p.role != "child"]
    professionals = [p for p in case.info.professionals if p.id]
    open_agreements = [a for a in case.agreements if a.status == "open" and a.id]
    calendar = WorkCalendar(settings)
    follow_up = case_deadlines(case_facts(case, calendar), day, calendar, within_days=0)
    context = {
        "title": title, "date": day, "people": people, "professionals": professionals,
        "coordinator": case.info.coordinator, "open_agreements": open_agreements,
        "overdue": [d for d in follow_up if d.state == OVERDUE],
        "since": since_last_meeting(case, day, calendar),
        "names": {**{p.id: p.name for p in case.info.people if p.id and p.name},
                  **{p.id: p.name for p in case.info.professionals if p.id and p.name}},
        "schema_dir": f"../../../{SCHEMA_DIR}",
    }
    text = render("scaffold/meeting.yaml.j2", context, root)
    write_atomic(path, text, force=force, base=root)
    _validate_written(root, settings, folder, path, remove=not existed)
    write_schemas(root, translate=translate)
    return Created([path], f"familieplan validate {path}")
