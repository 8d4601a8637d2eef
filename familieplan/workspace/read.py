"""Find a workspace and load its files into the model, collecting problems.

Reading is defensive: symbolic links inside case folders are refused (files are opened
with O_NOFOLLOW), every file goes through one decoder and one YAML composer, and the
schema layer converts values with explicit formats. Nothing here raises on bad input.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from familieplan import model as m
from familieplan.format import nodes as yamlnodes
from familieplan.format import specs as schema
from familieplan.format.cpr import find_cpr, may_hold_cpr
from familieplan.format.suggest import DID_YOU_MEAN, did_you_mean
from familieplan.format.types import INVALID, Ctx
from familieplan.problems import N_, Problem, Source
from familieplan.problems import make_problem as make
from familieplan.settings import BUILTIN_AREAS, Settings
from familieplan.workspace.disclosures import torn_entries
from familieplan.workspace.paths import SETTINGS_FILE, case_folders, display_path

SYMLINK = N_("is a symbolic link; case files are not read through links")

REQUIRED_FILES = ("case.yaml", "plan.yaml")
# Optional case files and the file kind each holds; a missing one means "none".
OPTIONAL_FILES = {"agreements.yaml": "agreements", "attendance.yaml": "attendance",
                  "measurements.yaml": "measurements", "disclosures.yaml": "disclosures"}
CASE_FILES = (*REQUIRED_FILES, *OPTIONAL_FILES)
_DIGIT = re.compile(r"\d")
MEETING_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*\.yaml\Z")


def _cpr_problems(text: str, path: str) -> list[Problem]:
    problems = []
    for offset in find_cpr(text):
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        problem = make("cpr-number", Source(path, line, col),
                       N_("this looks like a CPR number; case files must not hold CPR numbers"),
                       N_("remove it; the case id identifies the family"))
        # The quoted line with every digit from the number on masked: a number split over
        # two lines is not CPR-shaped in either, and the output's mask would let it through.
        start = offset - col + 1
        end = text.find("\n", offset)
        shown = text[start:offset] + _DIGIT.sub("#", text[offset:end if end >= 0 else len(text)])
        problems.append(dataclasses.replace(problem, quote=shown.removesuffix("\r")))
    return problems


# O_BINARY: Windows would otherwise read in text mode (CRLF turned into LF, Ctrl-Z as the end).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _read_all(fd: int, size: int) -> bytes:
    """Up to MAX_BYTES + 1 bytes of an open file: one read of the size fstat gave (a
    buffered reader asked for MAX_BYTES + 1 allocates a megabyte per file), then on until
    the end in case the file grew."""
    limit = yamlnodes.MAX_BYTES + 1
    data = os.read(fd, min(size, limit - 1) + 1)
    if not data or len(data) >= limit:
        return data
    chunks = [data]
    total = len(data)
    while total < limit:
        more = os.read(fd, min(65536, limit - total))
        if not more:
            break
        chunks.append(more)
        total += len(more)
    return b"".join(chunks) if len(chunks) > 1 else data


# The bytes of files read already (by their path as the loader joins it), from a caller
# that read them for its own reason (the engine hashes a case's files before loading them):
# each file is read once. Only regular files' bytes, read without following a link.
Contents = Mapping[str, bytes]


def _read_bytes(path: str | Path, shown: str, contents: Contents | None = None) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file, opened once without following a link and without
    waiting (a FIFO must not hang the tool), checked with fstat before reading."""
    if contents is not None and (known := contents.get(os.fspath(path))) is not None:
        return known, []
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            return None, [make("symlink", Source(shown, 1, 1), SYMLINK)]
        return None, [make("read-error", Source(shown, 1, 1), N_("cannot read: {reason}"), reason=exc.strerror)]
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            return None, [make("read-error", Source(shown, 1, 1),
                               "cannot read: not a regular file (a FIFO, device or folder)")]
        data = _read_all(fd, status.st_size)
        return data, []
    except OSError as exc:
        return None, [make("read-error", Source(shown, 1, 1), N_("cannot read: {reason}"), reason=exc.strerror)]
    finally:
        os.close(fd)


def with_quotes(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """The problems with the line they point at, from the text as it was read (a file is
    never opened a second time to quote it: it may have changed, or be a link or a FIFO)."""
    lines: dict[str, list[str]] = {}
    out = []
    for problem in problems:
        path = problem.source.path
        if problem.quote is None and path in texts:
            if path not in lines:
                # Lines as the loader counts them: only LF (and CRLF) end a line, not the
                # U+2028/U+2029/U+0085 that str.splitlines() would also split on.
                lines[path] = [line.removesuffix("\r") for line in texts[path].split("\n")]
            if 1 <= problem.source.line <= len(lines[path]):
                problem = dataclasses.replace(problem, quote=lines[path][problem.source.line - 1])
        out.append(problem)
    return out


def _read_text(path: str | Path, shown: str, texts: dict[str, str] | None,
               contents: Contents | None = None) -> tuple[str | None, list[Problem]]:
    """A file's text (kept in `texts`) and the problems found in the text as such."""
    data, problems = _read_bytes(path, shown, contents)
    if data is None:
        return None, problems
    text, problems = yamlnodes.decode(data, shown)
    if text is None:
        return None, problems
    if texts is not None:
        texts[shown] = text
    if may_hold_cpr(data):  # the CPR pattern runs only where the bytes can hold a number
        problems += _cpr_problems(text, shown)
    if not text.isascii():  # every invisible character is outside ASCII
        problems += yamlnodes.hidden_chars(text, shown)
    return text, problems


def read_file(path: str | Path, shown: str, texts: dict[str, str] | None = None,
              contents: Contents | None = None) -> tuple[yamlnodes.Node | None, list[Problem]]:
    """Read one YAML file (a regular file, not through a link); its text is kept in
    `texts` for quoting the lines of problems found later."""
    text, problems = _read_text(path, shown, texts, contents)
    if text is None:
        return None, problems
    return _parse(text, shown, problems)


def _parse(text: str, shown: str, problems: list[Problem]) -> tuple[yamlnodes.Node | None, list[Problem]]:
    root, more = yamlnodes.parse(text, shown)
    problems += more
    if root is not None and type(root) is not yamlnodes.Mapping:
        problems.append(make("not-mapping", Source(shown, root.line, root.col),
                             N_("the top level must be a mapping of key: value lines")))
        return None, problems
    return root, problems


def read_record(path: str | Path, shown: str, kind: str, areas: frozenset[str], problems: list[Problem],
                texts: dict[str, str] | None = None, extra: dict[str, object] | None = None,
                contents: Contents | None = None) -> object | None:
    """`read_file` and `convert` in one: the file's record, its problems added to `problems`."""
    text, more = _read_text(path, shown, texts, contents)
    root = None if text is None else _parse(text, shown, more)[0]
    problems.extend(more)
    if kind == "disclosures" and text is not None:
        problems.extend(make("torn-disclosure", Source(shown, line, col),
                             N_("this disclosure entry was torn by an interrupted write"))
                        for line, col in torn_entries(root, text))
    return convert(root, kind, shown, areas, problems, extra)


def convert(root: yamlnodes.Node | None, kind: str, shown: str, areas: frozenset[str],
            problems: list[Problem], extra: dict[str, object] | None = None) -> object | None:
    """The file's record (None where it does not convert); `extra` as `Record.convert`."""
    if root is None:
        return None
    ctx = Ctx(shown, problems, areas)
    value = schema.FILE_KINDS[kind].convert(root, ctx, extra)
    return None if value is INVALID else value


def _own_areas(node: yamlnodes.Node | None) -> frozenset[str]:
    """The ids under `areas:` of familieplan.yaml as written (before it is converted)."""
    if type(node) is not yamlnodes.Mapping:
        return frozenset()
    entry = node.items.get("areas")
    if entry is None or type(entry[1]) is not yamlnodes.Mapping:
        return frozenset()
    return frozenset(entry[1].items)


def load_settings(root: Path) -> tuple[Settings, Path | None, list[Problem]]:
    path = root / SETTINGS_FILE
    if not os.path.lexists(path):
        return Settings(), None, []
    shown = display_path(path)
    texts: dict[str, str] = {}
    node, problems = read_file(path, shown, texts)
    # A department's areas may name the workspace's own areas, defined in the same file.
    settings = convert(node, "familieplan", shown, frozenset(BUILTIN_AREAS) | _own_areas(node), problems)
    if not isinstance(settings, Settings):
        settings = Settings()
    return settings, path, with_quotes(problems, texts)


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
            suggestion = did_you_mean(name, (*CASE_FILES, "meetings"))
            hint = DID_YOU_MEAN if suggestion else None
            problems.append(make("unknown-file", Source(f"{shown_folder}/{name}", 1, 1),
                                 N_("is not a case file and is not read"), hint, suggestion=suggestion))
    return found, meetings_dir


def _load_meetings(meetings_dir: Path, shown_folder: str, areas: frozenset[str], problems: list[Problem],
                   texts: dict[str, str] | None, contents: Contents | None = None) -> list[m.Meeting]:
    meetings: list[m.Meeting] = []
    try:
        entries = sorted(os.scandir(meetings_dir), key=lambda e: e.name)
    except OSError as exc:
        problems.append(make("read-error", Source(f"{shown_folder}/meetings", 1, 1),
                             N_("cannot read the folder: {reason}"), reason=exc.strerror))
        return meetings
    for entry in entries:
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
        meeting = read_record(entry.path, shown, "meeting", areas, problems, texts,
                              {"name": name.rsplit(".", 1)[0]}, contents)
        if isinstance(meeting, m.Meeting):
            meetings.append(meeting)
    return meetings


def load_case(folder: Path, settings: Settings, areas: frozenset[str] | None = None,
              texts: dict[str, str] | None = None, contents: Contents | None = None) -> tuple[m.Case, list[Problem]]:
    """Load one case folder (its files and meetings); the texts read go into `texts`;
    files whose bytes are in `contents` are not read again."""
    if areas is None:
        areas = frozenset(settings.all_areas())
    problems: list[Problem] = []
    shown_folder = display_path(folder)
    scanned = _scan_case_folder(folder, shown_folder, problems)
    if scanned is None:
        return m.Case(folder.name, folder, None, None), problems
    found, meetings_dir = scanned
    if contents:  # a file about to be created (a record command checks the case with it)
        found.update(name for name in OPTIONAL_FILES if os.path.join(folder, name) in contents)

    def load(name: str, kind: str) -> object | None:
        shown = f"{shown_folder}/{name}"
        if name not in found:
            if name in REQUIRED_FILES:
                problems.append(make("missing-file", Source(shown, 1, 1), N_("the case has no {name}"), name=name))
            return None
        return read_record(os.path.join(folder, name), shown, kind, areas, problems, texts, contents=contents)

    info = load("case.yaml", "case")
    plan = load("plan.yaml", "plan")
    optional = {name: load(name, kind) for name, kind in OPTIONAL_FILES.items()}
    meetings = (_load_meetings(meetings_dir, shown_folder, areas, problems, texts, contents)
                if meetings_dir is not None else [])
    case = assemble_case(folder.name, folder, {"case.yaml": info, "plan.yaml": plan, **optional}, meetings)
    return case, problems


def assemble_case(folder_id: str, path: Path, loaded: dict[str, object | None],
                  meetings: list[m.Meeting]) -> m.Case:
    """A case from its converted files (by file name; a file that is missing or did not
    convert is None): the one place that says which file fills which part of a case."""
    def of(name: str, kind: type) -> object | None:
        value = loaded.get(name)
        return value if isinstance(value, kind) else None

    agreements = of("agreements.yaml", m.AgreementsFile)
    attendance = of("attendance.yaml", m.AttendanceFile)
    measurements = of("measurements.yaml", m.MeasurementsFile)
    disclosures = of("disclosures.yaml", m.DisclosuresFile)
    return m.Case(
        folder_id=folder_id,
        path=path,
        info=of("case.yaml", m.CaseInfo),  # type: ignore[arg-type]
        plan=of("plan.yaml", m.Plan),  # type: ignore[arg-type]
        agreements=agreements.agreements if agreements else (),  # type: ignore[attr-defined]
        questions=agreements.questions if agreements else (),  # type: ignore[attr-defined]
        meetings=tuple(meetings),
        requests=agreements.requests if agreements else (),  # type: ignore[attr-defined]
        has_agreements=agreements is not None,
        attendance=attendance.attendance if attendance else (),  # type: ignore[attr-defined]
        measurements=measurements.measurements if measurements else (),  # type: ignore[attr-defined]
        disclosures=disclosures.disclosures if disclosures else (),  # type: ignore[attr-defined]
        optional_files=frozenset(name for name in OPTIONAL_FILES if loaded.get(name) is not None),
    )


def load_workspace(root: Path, only: list[Path] | None = None,
                   settings: Settings | None = None) -> tuple[m.Workspace, list[Problem]]:
    """Load the settings (unless given) and the cases (all, or the folders in `only`)."""
    if settings is None:
        settings, settings_path, problems = load_settings(root)
    else:
        settings_path, problems = None, []
    cases = []
    for _, case, more in each_case(settings, only if only is not None else case_folders(root)):
        if case is not None:
            cases.append(case)
        problems.extend(more)
    return m.Workspace(root, settings, settings_path, tuple(cases)), problems


def each_case(settings: Settings, folders: Sequence[Path], texts: dict[str, str] | None = None,
              contents: Contents | None = None) -> Iterator[tuple[Path, m.Case | None, list[Problem]]]:
    """Each case folder with its case and its own problems (no case for a linked folder);
    the texts read go into `texts` (for `with_quotes`)."""
    areas = frozenset(settings.all_areas())
    for folder in folders:
        if folder.is_symlink():
            yield folder, None, [make("symlink", Source(display_path(folder), 1, 1),
                              N_("the case folder is a symbolic link; it is not read"))]
            continue
        yield folder, *load_case(folder, settings, areas, texts, contents)

