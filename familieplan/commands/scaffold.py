"""`init`, `new-case`, `new-meeting`: create valid starting points from templates."""

from __future__ import annotations

import datetime as dt
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

from familieplan.format import specs as schema
from familieplan.format.slug import slugify
from familieplan.problems import FamilieplanError, UsageError
from familieplan.workspace import git as gitcmd
from familieplan.workspace import load as loader
from familieplan.workspace.files import DIR_MODE, make_private_dir, write_atomic

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


def write_schemas(root: Path, force: bool = False) -> list[Path]:
    """The JSON Schemas that the created files point editors at."""
    folder = root / SCHEMA_DIR
    written = []
    for kind in schema.FILE_KINDS:
        path = folder / f"{kind}.schema.json"
        if path.exists() and not force:
            continue
        write_atomic(path, json.dumps(schema.json_schema(kind), ensure_ascii=False, indent=2) + "\n",
                     force=True, mode=0o644)
        written.append(path)
    return written


def init_workspace(target: Path, *, render: TemplateRenderer, municipality: str = "Eksempel Kommune",
                   git: bool = True, force: bool = False) -> Created:
    settings = target / loader.SETTINGS_FILE
    if settings.exists() and not force:
        raise FamilieplanError(f"{settings} exists: this is already a workspace (use --force to rewrite its settings)")
    target.mkdir(parents=True, exist_ok=True)
    created = Created()
    write_atomic(settings, render("scaffold/familieplan.yaml.j2", {"municipality": municipality}, None),
                 force=force, mode=0o644)
    created.paths.append(settings)
    cases = target / loader.CASES_DIR
    make_private_dir(cases)
    created.paths.append(cases)
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        write_atomic(gitignore, render("scaffold/gitignore.j2", {"output_dir": OUTPUT_DIR}, None), mode=0o644)
        created.paths.append(gitignore)
    created.paths += write_schemas(target)
    created.paths += _write_gitattributes(target)
    if git and shutil.which("git") and not (target / ".git").exists():
        subprocess.run(["git", "init", "-q", str(target)], check=False)
        created.paths.append(target / ".git")
        if gitcmd.is_repository(target):
            gitcmd.register_merge_driver(target)
    created.next_command = f'familieplan new-case "Familien ..." --workspace {target}'
    return created


def _write_gitattributes(root: Path) -> list[Path]:
    """`.gitattributes` naming the merge driver for case files (kept when it names it already)."""
    path = root / ".gitattributes"
    if path.is_symlink():
        raise FamilieplanError(f"{path} is a symbolic link; refusing to write through it")
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
        raise gitcmd.GitUnavailable(f"{root} is not inside a git repository")
    gitcmd.register_merge_driver(root)
    return GitSetup(_write_gitattributes(root), on_path=shutil.which("familieplan") is not None)


def next_case_id(root: Path, title: str, today: dt.date) -> str:
    year = today.year
    pattern = re.compile(rf"{year}-(\d+)-")
    numbers = [int(m[1]) for f in loader.case_folders(root) if (m := pattern.match(f.name))]
    number = max(numbers, default=0) + 1
    slug = slugify(title, 64 - 9) or "sag"
    return f"{year}-{number:03d}-{slug}"


def check_id(case_id: str) -> None:
    if not schema.ID_RE.match(case_id) or case_id in (".", ".."):
        raise UsageError(f"'{case_id}' is not a valid case id: use a-z, 0-9, '-' and '_' "
                         "(no '/', no '..'), at most 64 characters")


def new_case(root: Path, title: str, *, render: TemplateRenderer, case_id: str | None = None, coordinator: str | None = None,
             department: str | None = None, today: dt.date, force: bool = False) -> Created:
    settings, _, problems = loader.load_settings(root)
    if case_id is None:
        case_id = next_case_id(root, title, today)
    check_id(case_id)
    cases = root / loader.CASES_DIR
    folder = cases / case_id
    if folder.resolve().parent != cases.resolve():
        raise UsageError(f"case id '{case_id}' would escape the workspace")
    if folder.exists() and not force:
        raise FamilieplanError(f"case {case_id} exists at {folder}; use --force to rewrite its files")
    departments = settings.departments or {}
    if department is None:
        department = next(iter(departments), "jobcenter")
    elif departments and department not in departments:
        hint = schema.did_you_mean(department, departments)
        raise UsageError(f"no department '{department}' in familieplan.yaml" + (f" ({hint})" if hint else ""))
    coordinator_name = coordinator or "Koordinerende sagsbehandler"
    coordinator_id = slugify(coordinator, 30) if coordinator else "koordinator"
    plan_end = today + relativedelta(months=18) - dt.timedelta(days=1)
    phases = []
    start = today
    names = ["Struktur i hverdagen", "Aktivering og behandling side om side", "Mere aktivering"]
    for i, name in enumerate(names):
        end = plan_end if i == 2 else today + relativedelta(months=6 * (i + 1)) - dt.timedelta(days=1)
        phases.append({"id": f"f{i + 1}", "name": name, "start": start, "end": end})
        start = end + dt.timedelta(days=1)
    context = {
        "id": case_id, "title": title, "today": today, "plan_end": plan_end, "phases": phases,
        "coordinator_id": coordinator_id, "coordinator_name": coordinator_name,
        "department": department, "schema_dir": f"../../{SCHEMA_DIR}",
    }
    files = {name: render(f"scaffold/{name}.j2", context, root)
             for name in ("case.yaml", "plan.yaml", "agreements.yaml")}
    created = Created()
    make_private_dir(cases)
    if folder.exists():
        for name, text in files.items():
            write_atomic(folder / name, text, force=True)
            created.paths.append(folder / name)
    else:
        # Build the case beside its final place and rename it in one step: no half-made case.
        tmp = Path(tempfile.mkdtemp(prefix=f".{case_id}.", dir=cases))
        try:
            os.chmod(tmp, DIR_MODE)
            for name, text in files.items():
                write_atomic(tmp / name, text)
            os.rename(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        created.paths += [folder / name for name in files]
    created.paths += write_schemas(root)
    created.next_command = f"familieplan validate {folder}"
    return created


def new_meeting(root: Path, case_name: str, *, render: TemplateRenderer, day: dt.date, title: str = "Fællesmøde",
                force: bool = False) -> Created:
    folder = loader.resolve_case(root, case_name)
    settings, _, _ = loader.load_settings(root)
    case, problems = loader.load_case(folder, settings)
    if case.info is None:
        raise FamilieplanError(f"{folder}/case.yaml cannot be read; run 'familieplan validate {folder}'")
    slug = slugify(title) or "moede"
    path = folder / "meetings" / f"{day.isoformat()}-{slug}.yaml"
    if path.exists() and not force:
        raise FamilieplanError(f"{path} exists; use --force to overwrite it")
    people = [p for p in case.info.people if p.id]
    professionals = [p for p in case.info.professionals if p.id]
    open_agreements = [a for a in case.agreements if a.status == "open" and a.id]
    context = {
        "title": title, "date": day, "people": people, "professionals": professionals,
        "coordinator": case.info.coordinator, "open_agreements": open_agreements,
        "schema_dir": f"../../../{SCHEMA_DIR}",
    }
    text = render("scaffold/meeting.yaml.j2", context, root)
    meetings = folder / "meetings"
    make_private_dir(meetings)
    write_atomic(path, text, force=force)
    write_schemas(root)
    return Created([path], f"familieplan validate {path}")
