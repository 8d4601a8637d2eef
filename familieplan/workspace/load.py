"""Find a workspace and load its files into the model, collecting problems.

Reading is defensive: symbolic links inside case folders are refused (files are opened
with O_NOFOLLOW), every file goes through one decoder and one YAML composer, and the
schema layer converts values with explicit formats. Nothing here raises on bad input.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from familieplan import model as m
from familieplan.format import nodes as yamlnodes
from familieplan.format import specs as schema
from familieplan.format.cpr import find_cpr
from familieplan.problems import N_, FamilieplanError, Problem, Source
from familieplan.problems import make_problem as make

SYMLINK = N_("is a symbolic link; case files are not read through links")

SETTINGS_FILE = "familieplan.yaml"
CASES_DIR = "cases"
CASE_FILES = ("case.yaml", "plan.yaml", "agreements.yaml")
MEETING_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*\.yaml\Z")



def find_workspace(start: Path) -> Path:
    """The first folder at or above `start` holding familieplan.yaml (or, failing that,
    a `cases/` folder)."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    candidates = [start, *start.parents]
    for folder in candidates:
        if (folder / SETTINGS_FILE).is_file():
            return folder
    for folder in candidates:
        if (folder / CASES_DIR).is_dir():
            return folder
    raise FamilieplanError(
        f"no workspace found at or above {start} (no {SETTINGS_FILE}); "
        "create one with 'familieplan init' or pass --workspace DIR")


def display_path(path: Path) -> str:
    """Paths in messages: relative to the current folder where that is shorter."""
    text = str(path)
    if path.is_absolute():
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return text
        return rel if len(rel) < len(text) else text
    return text


def _cpr_problems(text: str, path: str) -> list[Problem]:
    problems = []
    for offset in find_cpr(text):
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        problems.append(make("cpr-number", Source(path, line, col),
                             N_("this looks like a CPR number; case files must not hold CPR numbers"),
                             N_("remove it; the case id identifies the family")))
    return problems


def read_file(path: Path, shown: str) -> tuple[yamlnodes.Node | None, list[Problem]]:
    """Read one YAML file without following a symbolic link."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if path.is_symlink():
            return None, [make("symlink", Source(shown, 1, 1), SYMLINK)]
        return None, [make("read-error", Source(shown, 1, 1), N_("cannot read: {reason}"), reason=exc.strerror)]
    try:
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(yamlnodes.MAX_BYTES + 1)
    except OSError as exc:
        return None, [make("read-error", Source(shown, 1, 1), N_("cannot read: {reason}"), reason=exc.strerror)]
    text, problems = yamlnodes.decode(data, shown)
    if text is None:
        return None, problems
    if any(c.isdigit() for c in text):
        problems += _cpr_problems(text, shown)
    if not text.isascii():
        problems += yamlnodes.hidden_chars(text, shown)
    root, more = yamlnodes.parse(text, shown)
    problems += more
    if root is not None and type(root) is not yamlnodes.Mapping:
        problems.append(make("not-mapping", Source(shown, root.line, root.col),
                             N_("the top level must be a mapping of key: value lines")))
        return None, problems
    return root, problems


def convert(root: yamlnodes.Node | None, kind: str, shown: str, areas: frozenset[str],
            problems: list[Problem]) -> object | None:
    if root is None:
        return None
    ctx = schema.Ctx(shown, problems, areas)
    value = schema.FILE_KINDS[kind].convert(root, ctx)
    return None if value is schema.INVALID else value


def load_settings(root: Path) -> tuple[m.Settings, Path | None, list[Problem]]:
    path = root / SETTINGS_FILE
    if not path.exists():
        return m.Settings(), None, []
    shown = display_path(path)
    node, problems = read_file(path, shown)
    # Workspace areas are not known yet while reading the settings themselves.
    settings = convert(node, "familieplan", shown, frozenset(m.BUILTIN_AREAS), problems)
    if not isinstance(settings, m.Settings):
        settings = m.Settings()
    return settings, path, problems


def _scan_case_folder(folder: Path, shown_folder: str,
                      problems: list[Problem]) -> tuple[set[str], Path | None] | None:
    """The case files present and the meetings folder; None when the folder is unreadable."""
    found: set[str] = set()
    meetings_dir: Path | None = None
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        problems.append(make("read-error", Source(shown_folder, 1, 1), N_("cannot read the folder: {reason}"),
                             reason=exc.strerror))
        return None
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(make("symlink", Source(f"{shown_folder}/{name}", 1, 1), SYMLINK))
        elif name in CASE_FILES:
            found.add(name)
        elif name == "meetings" and entry.is_dir():
            meetings_dir = Path(entry.path)
        elif name.endswith((".yaml", ".yml")):
            suggestion = schema.did_you_mean(name, (*CASE_FILES, "meetings"))
            hint = schema.DID_YOU_MEAN if suggestion else None
            problems.append(make("unknown-file", Source(f"{shown_folder}/{name}", 1, 1),
                                 N_("is not a case file and is not read"), hint, suggestion=suggestion))
    return found, meetings_dir


def _load_meetings(meetings_dir: Path, shown_folder: str, areas: frozenset[str],
                   problems: list[Problem]) -> list[m.Meeting]:
    meetings: list[m.Meeting] = []
    for entry in sorted(os.scandir(meetings_dir), key=lambda e: e.name):
        name = entry.name
        if name.startswith("."):
            continue
        shown = f"{shown_folder}/meetings/{name}"
        if entry.is_symlink():
            problems.append(make("symlink", Source(shown, 1, 1), SYMLINK))
            continue
        if not entry.is_file() or not name.endswith((".yaml", ".yml")):
            continue
        if not MEETING_NAME.match(name):
            problems.append(make("meeting-filename", Source(shown, 1, 1),
                                 N_("a meeting file is named YYYY-MM-DD-slug.yaml"),
                                 N_("e.g. 2026-03-02-faellesmoede.yaml")))
        node, more = read_file(Path(entry.path), shown)
        problems.extend(more)
        meeting = convert(node, "meeting", shown, areas, problems)
        if isinstance(meeting, m.Meeting):
            meetings.append(_with_name(meeting, name.rsplit(".", 1)[0]))
    return meetings


def load_case(folder: Path, settings: m.Settings, areas: frozenset[str] | None = None) -> tuple[m.Case, list[Problem]]:
    """Load one case folder (its files and meetings)."""
    if areas is None:
        areas = frozenset(settings.all_areas())
    problems: list[Problem] = []
    shown_folder = display_path(folder)
    scanned = _scan_case_folder(folder, shown_folder, problems)
    if scanned is None:
        return m.Case(folder.name, folder, None, None), problems
    found, meetings_dir = scanned

    def load(name: str, kind: str) -> object | None:
        shown = f"{shown_folder}/{name}"
        if name not in found:
            if name != "agreements.yaml":
                problems.append(make("missing-file", Source(shown, 1, 1), N_("the case has no {name}"), name=name))
            return None
        node, more = read_file(folder / name, shown)
        problems.extend(more)
        return convert(node, kind, shown, areas, problems)

    info = load("case.yaml", "case")
    plan = load("plan.yaml", "plan")
    agreements_file = load("agreements.yaml", "agreements")
    meetings = _load_meetings(meetings_dir, shown_folder, areas, problems) if meetings_dir is not None else []
    agreements = agreements_file if isinstance(agreements_file, m.AgreementsFile) else None
    case = m.Case(
        folder_id=folder.name,
        path=folder,
        info=info if isinstance(info, m.CaseInfo) else None,
        plan=plan if isinstance(plan, m.Plan) else None,
        agreements=agreements.agreements if agreements else (),
        questions=agreements.questions if agreements else (),
        meetings=tuple(meetings),
        has_agreements=agreements is not None,
    )
    return case, problems


def _with_name(meeting: m.Meeting, name: str) -> m.Meeting:
    import dataclasses

    return dataclasses.replace(meeting, name=name)


def case_folders(root: Path) -> list[Path]:
    cases = root / CASES_DIR
    if not cases.is_dir():
        return []
    return sorted(Path(e.path) for e in os.scandir(cases)
                  if not e.name.startswith(".") and (e.is_dir() or e.is_symlink()))


def load_workspace(root: Path, only: list[Path] | None = None,
                   settings: m.Settings | None = None) -> tuple[m.Workspace, list[Problem]]:
    """Load the settings (unless given) and the cases (all, or the folders in `only`)."""
    if settings is None:
        settings, settings_path, problems = load_settings(root)
    else:
        settings_path, problems = None, []
    areas = frozenset(settings.all_areas())
    cases = []
    for folder in (only if only is not None else case_folders(root)):
        if folder.is_symlink():
            problems.append(make("symlink", Source(display_path(folder), 1, 1),
                                 N_("the case folder is a symbolic link; it is not read")))
            continue
        case, more = load_case(folder, settings, areas)
        cases.append(case)
        problems.extend(more)
    return m.Workspace(root, settings, settings_path, tuple(cases)), problems


def resolve_case(root: Path, name: str) -> Path:
    """A case named by its id or by its folder's path."""
    as_path = Path(name)
    if as_path.is_dir() and ((as_path / "case.yaml").exists() or as_path.parent.name == CASES_DIR):
        return as_path.resolve()
    if schema.ID_RE.match(name):
        folder = root / CASES_DIR / name
        if folder.is_dir():
            return folder
        known = [f.name for f in case_folders(root)]
        hint = schema.did_you_mean(name, known)
        raise FamilieplanError(f"no case '{name}' in {display_path(root / CASES_DIR)}"
                               + (f" ({hint})" if hint else ""))
    raise FamilieplanError(f"'{name}' is neither a case id nor a case folder")
