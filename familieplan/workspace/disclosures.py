"""The disclosure log: `disclosures.yaml`, append-only (FORMAT.md, "Disclosures").

`record_disclosures` appends entries to a case's log and never rewrites what is there:
the file is opened with O_APPEND (never through a link, and checked to be a regular
file), locked exclusively for the time of one write (`familieplan.workspace.lock`: `flock`,
or `msvcrt` on Windows; a writer waits at most 10 seconds), and the new entries are
written as one text block and then synced. Two renders at once therefore queue on the
lock and both entries arrive whole, in the order the locks were taken. The text is YAML
that the disclosures spec validates: every string is a double-quoted scalar, so no value
can add a key or end the list.

An append that fails midway (a full disk) is undone: the file is cut back to its length
before the append, so no torn entry is left; one that is left all the same (the machine
stopped during the write) is a `torn-disclosure` error of `validate` (`torn_entries`),
because every entry the tool writes has all of `ENTRY_KEYS` and ends with a line end.

An entry is identified by `at`, recipient, document and source. `at` keeps its
microseconds, and while the log is locked a time already in the log for the same
recipient, document and source is moved on by a microsecond: two renders within one
second (Markdown, then HTML) are two entries, never a duplicate.

`open_log` holds the lock while the caller does more than append: `render_documents`
writes its documents to temporary files, appends the records and moves the documents in,
all under the lock (so a document never exists without its record).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from familieplan.format import nodes
from familieplan.format.specs import DISCLOSURE_KEYS
from familieplan.problems import N_, FamilieplanError
from familieplan.workspace.files import open_regular
from familieplan.workspace.lock import exclusive

LOG_FILE = "disclosures.yaml"
HEADER = ("# yaml-language-server: $schema=../../schemas/disclosures.schema.json\n"
          "# Skrives af familieplan, når et dokument dannes til en navngiven modtager. Rettes ikke i hånden.\n"
          "disclosures:\n")
_LIST_KEY = re.compile(r"^disclosures:[ \t]*(#.*)?$", re.M)
_TOP_KEY = re.compile(r"^[^\s#-][^:]*:", re.M)
# The keys every entry written by the tool has (`by` is written when known, before `basis`
# since this version, so that `basis` is always the last line of an entry).
ENTRY_KEYS = DISCLOSURE_KEYS
# An entry as the tool writes it: its key (at, recipient, document, source) from the text.
_WRITTEN_KEY = re.compile(r'^  - at: (\S+)\n    recipient: (".*")\n    document: (".*")\n    source: (".*")$', re.M)


@dataclass(frozen=True)
class DisclosureEntry:
    """One document given to one named recipient."""

    at: dt.datetime  # the real time of rendering, timezone-aware
    recipient: str
    document: str  # minutes | plan | report | questions
    source: str  # the case file it was made from, relative to the case folder
    about: tuple[str, ...] = ()  # the people whose information it included
    areas: tuple[str, ...] = ()  # the areas of the items it included
    omitted: int = 0  # items left out for this recipient
    basis: tuple[str, ...] = ()  # consent ids (or consents[N]), family, coordinator, no-area
    by: str | None = None  # who rendered it, when known


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _flow(values: Sequence[str]) -> str:
    return "[" + ", ".join(_quoted(v) for v in values) + "]"


def entry_yaml(entry: DisclosureEntry) -> str:
    """One list entry of `disclosures:` as YAML text."""
    if entry.at.tzinfo is None or entry.at.utcoffset() is None:
        raise ValueError("a disclosure's time must carry its UTC offset")
    lines = [f"  - at: {entry.at.isoformat()}", f"    recipient: {_quoted(entry.recipient)}",
             f"    document: {_quoted(entry.document)}", f"    source: {_quoted(entry.source)}",
             f"    about: {_flow(entry.about)}", f"    areas: {_flow(entry.areas)}", f"    omitted: {int(entry.omitted)}"]
    if entry.by:
        lines.append(f"    by: {_quoted(entry.by)}")
    lines.append(f"    basis: {_flow(entry.basis)}")
    return "\n".join(lines) + "\n"


def _moment(text: str) -> dt.datetime | str:
    """A time as written in the log, to compare (an aware time whatever its offset)."""
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text


def _distinct(entries: Sequence[DisclosureEntry], existing: str) -> list[DisclosureEntry]:
    """The entries, each `at` moved on by a microsecond while its key is in the log already
    (or among the entries before it): every entry keeps a key of its own."""
    taken = {(_moment(m[1]), m[2], m[3], m[4]) for m in _WRITTEN_KEY.finditer(existing)}
    out = []
    for entry in entries:
        while (key := (entry.at, _quoted(entry.recipient), _quoted(entry.document), _quoted(entry.source))) in taken:
            entry = replace(entry, at=entry.at + dt.timedelta(microseconds=1))
        taken.add(key)
        out.append(entry)
    return out


def _appendable(text: str, path: Path) -> None:
    """The log must end in the block list `disclosures:` for entries to be appended."""
    found = list(_LIST_KEY.finditer(text))
    if not found or any(k.start() > found[-1].start() for k in _TOP_KEY.finditer(text)):
        raise FamilieplanError(N_("{path}: cannot append to the disclosure log; it must end with the list "
                                  "'disclosures:' written as a block (one '- at: …' entry per item)"), path=str(path))


def _read_all(fd: int) -> bytes:
    chunks = []
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


class DisclosureLog:
    """A case's log, open and locked: `append` adds entries whole or not at all."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd = fd
        self.path = path

    def append(self, entries: Sequence[DisclosureEntry]) -> list[DisclosureEntry]:
        """Append `entries` (their times made distinct, see the module's docstring) and
        sync; on an OS error the file is cut back to what it was and the error raised."""
        if not entries:
            return []
        existing = _read_all(self.fd)
        written = _distinct(entries, existing.decode("utf-8", errors="replace"))
        block = "".join(entry_yaml(e) for e in written)
        if not existing.strip():
            text = HEADER + block
        else:
            _appendable(existing.decode("utf-8", errors="replace"), self.path)
            text = ("" if existing.endswith(b"\n") else "\n") + block
        try:
            _write_all(self.fd, text.encode("utf-8"))
            os.fsync(self.fd)
        except OSError:
            _cut_back(self.fd, len(existing))
            raise
        return written


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _cut_back(fd: int, size: int) -> None:
    """Undo a part-written append; if even that fails, `validate` reports the torn entry."""
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        pass


@contextmanager
def open_log(case_folder: Path) -> Iterator[DisclosureLog]:
    """`case_folder/disclosures.yaml` opened for appending (created when missing) and locked
    exclusively until the block ends. Refuses a symbolic link, a FIFO or anything but a
    regular file. OS errors carry the log's path."""
    path = case_folder / LOG_FILE
    fd = open_regular(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
    try:
        with exclusive(fd, path):
            yield DisclosureLog(fd, path)
    except OSError as exc:
        raise _with_log_path(exc, path) from None
    finally:
        os.close(fd)


def _with_log_path(exc: OSError, path: Path) -> OSError:
    if exc.filename is not None:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


def record_disclosures(case_folder: Path, entries: Sequence[DisclosureEntry]) -> list[DisclosureEntry]:
    """Append `entries` to `case_folder/disclosures.yaml`, creating it when missing; the
    entries as written (their times made distinct).

    Earlier entries are never rewritten. Safe when several processes record at once (an
    exclusive lock for the one write); refuses a symbolic link, a FIFO or anything but
    a regular file. OS errors carry the log's path."""
    if not entries:
        return []
    with open_log(case_folder) as log:
        return log.append(entries)


def torn_entries(root: object, text: str) -> list[tuple[int, int]]:
    """The places (line, column) of entries an interrupted append left torn: an entry
    without one of `ENTRY_KEYS`, or a last line without its line end. `root` is the
    log's composed YAML (a mapping node, or None when it did not parse)."""
    places = []
    listed = root.items.get("disclosures") if isinstance(root, nodes.Mapping) else None
    if listed is not None and isinstance(listed[1], nodes.Sequence):
        for item in listed[1].items:
            if isinstance(item, nodes.Mapping) and not all(key in item.items for key in ENTRY_KEYS):
                places.append((item.line, item.col))
    last = text.rsplit("\n", 1)[-1]
    if last.startswith(" ") and not places:  # an entry's line, cut before its end
        places.append((text.count("\n") + 1, 1))
    return places
