"""The disclosure log: `disclosures.yaml`, append-only (FORMAT.md, "Disclosures").

`record_disclosures` appends entries to a case's log and never rewrites what is there:
the file is opened with O_APPEND (never through a link, and checked to be a regular
file), locked exclusively for the time of one write (`familieplan.workspace.lock`: `flock`,
or `msvcrt` on Windows; a writer waits at most 10 seconds), and the new entries are
written as one text block in one `write` and then synced. Two renders at once therefore
queue on the lock and both entries arrive whole, in the order the locks were taken. The
text is YAML that the disclosures spec validates: every string is a double-quoted
scalar, so no value can add a key or end the list.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from familieplan.problems import N_, FamilieplanError
from familieplan.workspace.files import open_regular
from familieplan.workspace.lock import exclusive

LOG_FILE = "disclosures.yaml"
HEADER = ("# yaml-language-server: $schema=../../schemas/disclosures.schema.json\n"
          "# Skrives af familieplan, når et dokument dannes til en navngiven modtager. Rettes ikke i hånden.\n"
          "disclosures:\n")
_LIST_KEY = re.compile(r"^disclosures:[ \t]*(#.*)?$", re.M)
_TOP_KEY = re.compile(r"^[^\s#-][^:]*:", re.M)


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
    lines = [f"  - at: {entry.at.replace(microsecond=0).isoformat()}", f"    recipient: {_quoted(entry.recipient)}",
             f"    document: {_quoted(entry.document)}", f"    source: {_quoted(entry.source)}",
             f"    about: {_flow(entry.about)}", f"    areas: {_flow(entry.areas)}", f"    omitted: {int(entry.omitted)}",
             f"    basis: {_flow(entry.basis)}"]
    if entry.by:
        lines.append(f"    by: {_quoted(entry.by)}")
    return "\n".join(lines) + "\n"


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


def record_disclosures(case_folder: Path, entries: Sequence[DisclosureEntry]) -> None:
    """Append `entries` to `case_folder/disclosures.yaml`, creating it when missing.

    Earlier entries are never rewritten. Safe when several processes record at once (an
    exclusive lock for the one write); refuses a symbolic link, a FIFO or anything but
    a regular file. OS errors carry the log's path."""
    if not entries:
        return
    path = case_folder / LOG_FILE
    block = "".join(entry_yaml(e) for e in entries)
    fd = open_regular(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
    try:
        with exclusive(fd, path):
            existing = _read_all(fd)
            if not existing.strip():
                text = HEADER + block
            else:
                _appendable(existing.decode("utf-8", errors="replace"), path)
                text = ("" if existing.endswith(b"\n") else "\n") + block
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data):]
            os.fsync(fd)
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    finally:
        os.close(fd)
