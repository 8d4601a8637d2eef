"""The store: what was computed for each case, kept between runs in one SQLite file.

Where: `$XDG_CACHE_HOME/familieplan/<hash of the workspace's real path>.sqlite3` (default
`~/.cache`), not inside the workspace: entries hold names and text from the case files,
and a workspace is often a shared git checkout or network folder. The folder is made
private (0700 where modes mean something) and is not used when it is a link or, where
the platform tells owners, belongs to another account.

An entry is one case's result of one kind (`validate`, `check-load`, …): the case's
outcome (problems, ids) and the command's data, as plain pickles, with the options they
were made with and a checksum over all of it. One entry per case and kind: a run with
other options replaces it. It is used only while the case's files are as they were
(`Signature`), the store's stamp (the tool's version and code, the settings' bytes) is
the same, and the checksum holds; anything that fails to load or to verify is a miss and
is made again, never an error. Only the process that runs the command writes (the
workers send their entries back), in one transaction, with SQLite's WAL and a busy
timeout, so two commands at once each see whole entries.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sqlite3
import stat
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from familieplan.engine.signature import Signature, read_regular

BUSY_MS = 5000
# One writer per process: the threads of `serve` (each request runs a command in a thread
# of its own, with its own connection) take turns here instead of in SQLite's busy wait.
_WRITER = threading.Lock()
SCHEMA = 1
# Few cases are looked up one by one; more are read in one query of their kind.
ONE_BY_ONE = 40


@dataclass(frozen=True)
class Entry:
    """A stored entry, verified: its options, signature, outcome and (pickled) result."""

    params: str
    signature: Signature
    outcome: Any
    result: bytes | None

    def data(self) -> Any:
        return None if self.result is None else pickle.loads(self.result)


@dataclass
class StoreStats:
    """What the store did in this process (the counter the tests read)."""

    hits: int = 0
    misses: int = 0
    writes: int = 0

    def reset(self) -> None:
        self.hits = self.misses = self.writes = 0


STATS = StoreStats()


def cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    home = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return home / "familieplan"


def store_path(root: Path) -> Path:
    digest = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:24]
    return cache_home() / f"{digest}.sqlite3"


def clear(root: Path | None) -> Path:
    """Remove the store of one workspace (or, with None, the whole cache folder)."""
    import shutil

    if root is None:
        target = cache_home()
        if os.path.islink(target) or os.path.isfile(target):
            os.unlink(target)
        elif os.path.isdir(target):
            shutil.rmtree(target)
        return target
    target = store_path(root)
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{target}{suffix}")
    return target


def _private_home() -> Path | None:
    """The cache folder, made private when new; None when it may not be used (a link, not
    a folder, another account's)."""
    home = cache_home()
    try:
        home.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(home, 0o700)
        info = os.lstat(home)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    owner = getattr(os, "geteuid", None)
    if owner is not None and info.st_uid != owner():
        return None
    if os.name == "posix" and info.st_mode & 0o077:
        try:
            os.chmod(home, 0o700)
        except OSError:
            return None
    return home


@functools.cache
def _code_stamp() -> str:
    """The package's own files: an edited checkout must not read entries of older code."""
    package = Path(__file__).resolve().parent.parent
    parts = []
    for folder, _, names in os.walk(package):
        for name in names:
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                parts.append(f"{os.path.relpath(os.path.join(folder, name), package)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()


def _stamp(settings_bytes: bytes | None) -> str:
    version = str(getattr(sys.modules.get("familieplan"), "__version__", "unknown"))
    settings = hashlib.sha256(settings_bytes).hexdigest() if settings_bytes is not None else "-"
    return "|".join([str(SCHEMA), version, sys.version, _code_stamp(), settings])


def _checksum(case: str, kind: str, params: str, *blobs: bytes | None) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in (case.encode(), kind.encode(), params.encode(), *blobs):
        if part is None:
            digest.update(b"\xff")
            continue
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


class Store:
    """The entries of one workspace. Every method is safe to call when the store could not
    be opened (`usable` False): reads miss, writes do nothing."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db: sqlite3.Connection | None = None
        self.stamp = _stamp(read_regular(root / "familieplan.yaml"))
        home = _private_home()
        if home is not None:
            self._open(store_path(root))

    def _open(self, path: Path) -> None:
        for attempt in range(2):
            try:
                self.db = self._connect(path)
                return
            except sqlite3.DatabaseError:
                self.close()
                if attempt or not _discard(path):
                    return
            except (sqlite3.Error, OSError):
                self.close()
                return

    def _connect(self, path: Path) -> sqlite3.Connection:
        if os.path.islink(path):
            raise sqlite3.OperationalError("the store is a link")
        db = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS stamp (id INTEGER PRIMARY KEY CHECK (id = 0), value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS entries (case_name TEXT, kind TEXT, params TEXT, signature BLOB,"
                       " outcome BLOB, result BLOB, checksum BLOB, PRIMARY KEY (case_name, kind))")
            row = db.execute("SELECT value FROM stamp WHERE id = 0").fetchone()
            if row is None or row[0] != self.stamp:
                with _WRITER, db:
                    db.execute("BEGIN IMMEDIATE")
                    db.execute("DELETE FROM entries")
                    db.execute("INSERT OR REPLACE INTO stamp VALUES (0, ?)", (self.stamp,))
        except BaseException:
            db.close()
            raise
        if os.name == "posix":
            with contextlib.suppress(OSError):
                os.chmod(path, 0o600)
        return db

    @property
    def usable(self) -> bool:
        return self.db is not None

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------
    def entries(self, kind: str, cases: Sequence[str]) -> dict[str, Entry]:
        """The verified entries of these cases of one kind (a case without one: absent)."""
        found: dict[str, Entry] = {}
        for row in self._rows(kind, cases):
            entry = self._verified(kind, row)
            if entry is not None:
                found[row[0]] = entry
        return found

    def _rows(self, kind: str, cases: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        if self.db is None:
            return
        query = "SELECT case_name, params, signature, outcome, result, checksum FROM entries WHERE kind = ?"
        try:
            if len(cases) <= ONE_BY_ONE:
                for case in cases:
                    yield from self.db.execute(query + " AND case_name = ?", (kind, case))
                return
            wanted = set(cases)
            for row in self.db.execute(query, (kind,)):
                if row[0] in wanted:
                    yield row
        except sqlite3.Error:
            self.close()

    def _verified(self, kind: str, row: tuple[Any, ...]) -> Entry | None:
        case, params, signature, outcome, result, checksum = row
        if not all(isinstance(b, bytes) for b in (signature, outcome, checksum)) or not isinstance(params, str):
            return None
        if result is not None and not isinstance(result, bytes):
            return None
        if _checksum(case, kind, params, signature, outcome, result) != checksum:
            return None
        sig = Signature.decode(signature)
        if sig is None:
            return None
        try:
            loaded = pickle.loads(outcome)
        except Exception:  # noqa: BLE001 - a bad entry is a miss
            return None
        return Entry(params, sig, loaded, result)

    def whole(self, kind: str, params: str) -> Any:
        """What `put_whole` kept for the workspace as a whole (None: nothing current)."""
        entry = self.entries(kind, [""]).get("")
        if entry is None or entry.params != params:
            return None
        try:
            return entry.data()
        except Exception:  # noqa: BLE001 - a bad entry is a miss
            return None

    def put_whole(self, kind: str, params: str, value: Any) -> None:
        """Keep a value for the workspace as a whole, current while the stamp is."""
        self.put([("", kind, params, Signature(b"", "-"), dumps(None), dumps(value))])

    # -- writing ------------------------------------------------------------------------
    def put(self, rows: Iterable[tuple[str, str, str, Signature, bytes, bytes | None]]) -> None:
        """Write entries (case, kind, params, signature, pickled outcome, pickled result)
        in one transaction; a store that cannot be written is left as it was."""
        if self.db is None:
            return
        values = []
        for case, kind, params, signature, outcome, result in rows:
            sig = signature.encode()
            values.append((case, kind, params, sig, outcome, result, _checksum(case, kind, params, sig, outcome, result)))
        if not values:
            return
        try:
            with _WRITER, self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)", values)
                STATS.writes += len(values)
        except sqlite3.Error:
            self.close()

    def prune(self, kind: str, keep: Iterable[str]) -> None:
        """Remove the entries of a kind whose cases are gone (after a run over every case)."""
        if self.db is None:
            return
        kept = set(keep)
        try:
            stored = [row[0] for row in self.db.execute("SELECT case_name FROM entries WHERE kind = ?", (kind,))]
            gone = [(name, kind) for name in stored if name not in kept]
            if gone:
                with _WRITER, self.db:
                    self.db.execute("BEGIN IMMEDIATE")
                    self.db.executemany("DELETE FROM entries WHERE case_name = ? AND kind = ?", gone)
        except sqlite3.Error:
            self.close()


def _discard(path: Path) -> bool:
    """Remove a store that is no SQLite file (damaged): it is made anew."""
    try:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{path}{suffix}")
    except OSError:
        return False
    return True


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
