"""A cache of per-case results, so that a run where little changed reads little.

Where: `$XDG_CACHE_HOME/familieplan/<hash of the workspace's real path>/` (default
`~/.cache`), not inside the workspace. Case results hold names and text from the case
files; a workspace is often a shared git checkout or network folder, and the user's own
cache folder is the place no other account reads or writes. Nothing can be committed or
synced by mistake, and no `.gitignore` is needed.

Safety: entries are pickles read by a restricted unpickler that resolves no global but
the stored result's own record classes, dates, paths and catalog words
(`familieplan.workspace.codec`), so an entry cannot run code even if it were planted. The folders are made 0700 and
checked with `fstat` on an `O_NOFOLLOW` descriptor (our own, nobody else may enter);
if they belong to another account the cache is not used. Every read and write goes
through that descriptor. An entry is written to a fresh temporary file (0600) and
renamed onto its name, so two commands at once each see a whole entry, the old one or
the new one; an entry that does not parse or decode is a miss and is rewritten.

Keys: an entry is found by the case folder, the command and its options (with `--today`
where the result depends on it) and the folder as shown in messages; it is used only when
its key — the tool's version, the shape of the stored classes, the code's files and the
bytes of familieplan.yaml — and the case's files match. A file matches when its
kind, size, mtime, ctime and inode are the same, and, when those moved (a checkout, a
copy) or the file changed shortly before the entry was written, when its content hash is
the same. `disclosures.yaml` is kept apart: a render that logs a disclosure does not make
a case's results stale; only its validation is run again (`Lookup.revalidate`).

Packs: besides an entry per case, a run that read every case writes one pack of all their
entries (`write_pack`), so that the next run reads one file instead of one per case. A
pack's entries are checked against the case files exactly like single entries; a case
missing from the pack, or changed since, is looked up in its own entry.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from familieplan.workspace.codec import Codec, CodecError
from familieplan.workspace.paths import CASES_DIR

DISCLOSURES = "disclosures.yaml"
# Files changed this close before an entry was written are checked by content: a change
# within the file system's timestamp granularity leaves mtime and size as they were.
RACY_NS = 3_000_000_000
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
MAX_ENTRY = 64 * 1024 * 1024
PACK_LIMIT = 48 * 1024 * 1024  # a pack holds at most this many bytes of entries
PACK_REWRITE = 20  # the pack is written again when more than 1 in PACK_REWRITE cases changed

Stat = tuple[int, int, int, int, int]  # mode, size, mtime_ns, ctime_ns, inode


@dataclass
class CacheStats:
    """What the cache did in this process (the hit counter the tests read)."""

    hits: int = 0
    revalidated: int = 0  # hits whose disclosures.yaml changed: validated again, results reused
    misses: int = 0
    writes: int = 0

    def reset(self) -> None:
        self.hits = self.revalidated = self.misses = self.writes = 0


STATS = CacheStats()


def cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    home = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return home / "familieplan"


def workspace_dir(root: Path) -> Path:
    digest = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:24]
    return cache_home() / digest


def clear(root: Path | None) -> Path:
    """Remove the entries of one workspace (or, with None, of every workspace)."""
    target = cache_home() if root is None else workspace_dir(root)
    if os.path.lexists(target):
        if os.path.islink(target) or not os.path.isdir(target):
            os.unlink(target)
        else:
            shutil.rmtree(target)
    return target


def _private_dir(parent_fd: int | None, path: Path) -> int | None:
    """A descriptor on `path`, made 0700 when new; None when it is not ours and private."""
    name = path.name if parent_fd is not None else str(path)
    try:
        os.mkdir(name, 0o700, dir_fd=parent_fd)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
    except OSError:
        return None
    info = os.fstat(fd)
    if info.st_uid != os.geteuid() or not stat.S_ISDIR(info.st_mode):
        os.close(fd)
        return None
    if info.st_mode & 0o077:
        try:
            os.fchmod(fd, 0o700)
        except OSError:
            os.close(fd)
            return None
    return fd


@functools.cache
def _code_stamp() -> str:
    """The package's own files: an edited checkout must not read entries of older code.
    Once per process (a process runs the code it imported at its start)."""
    package = Path(__file__).resolve().parent.parent
    parts = []
    for folder, _, names in os.walk(package):
        for name in sorted(names):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()


def _version() -> str:
    # The package is imported before any of its modules; reading its version from there
    # costs nothing (importlib.metadata costs tens of milliseconds at every start).
    return str(getattr(sys.modules.get("familieplan"), "__version__", "unknown"))


def _read(path: str, dir_fd: int | None = None, limit: int = MAX_ENTRY) -> bytes | None:
    try:
        fd = os.open(path, _READ_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit)
    except OSError:
        return None
    finally:
        os.close(fd)


def case_files(folder: Path) -> dict[str, Stat] | None:
    """Every name the loader looks at in a case folder, with its lstat; None when unreadable."""
    out: dict[str, Stat] = {}
    try:
        with os.scandir(folder) as entries:
            top = [e for e in entries if not e.name.startswith(".")]
        for entry in top:
            info = entry.stat(follow_symlinks=False)
            out[entry.name] = (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
            if entry.name == "meetings" and stat.S_ISDIR(info.st_mode):
                with os.scandir(entry.path) as meetings:
                    for item in meetings:
                        if not item.name.startswith("."):
                            s = item.stat(follow_symlinks=False)
                            out["meetings/" + item.name] = (s.st_mode, s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino)
    except OSError:
        return None
    return out


def _untouched(folder: Path, files: Any, disclosures: Any, racy: int) -> bool:
    """True when every name in the case folder (and in its meetings folder) has exactly
    the stat it had when the entry was made, none was changed so close to it that its
    content must be compared (`racy`), and no name came or went: the usual warm run, told
    in one pass over the folder without building its listing (`case_files`). False means
    "look closer", not "changed": the caller then compares as `_same` does."""
    if type(files) is not dict:
        return False
    seen = 0
    disclosed = False
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                info = entry.stat(follow_symlinks=False)
                if name == DISCLOSURES:
                    disclosed = True
                    if not _kept(disclosures, info, racy):
                        return False
                    continue
                if not _kept(files.get(name), info, racy):
                    return False
                seen += 1
                if name == "meetings" and stat.S_ISDIR(info.st_mode):
                    with os.scandir(entry.path) as meetings:
                        for item in meetings:
                            if not item.name.startswith("."):
                                if not _kept(files.get("meetings/" + item.name), item.stat(follow_symlinks=False), racy):
                                    return False
                                seen += 1
    except OSError:
        return False
    return seen == len(files) and disclosed == (disclosures is not None)


def _kept(was: Any, info: os.stat_result, racy: int) -> bool:
    """A stored stat (mode, size, mtime, ctime, inode, content hash) that `info` still has,
    with no content to compare again."""
    return (type(was) is tuple and len(was) == 6 and was[2] == info.st_mtime_ns and was[1] == info.st_size
            and was[4] == info.st_ino and was[3] == info.st_ctime_ns and was[0] == info.st_mode
            and not (was[5] and info.st_mtime_ns >= racy))


def _digest(folder: Path, name: str, info: Stat) -> str | None:
    if not stat.S_ISREG(info[0]):
        return None
    data = _read(str(folder / name), limit=info[1] + 1)
    return None if data is None else hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Lookup:
    """What an entry says about a case: its data, and whether its validation (and only
    that) must run again because `disclosures.yaml` changed."""

    data: Any
    revalidate: bool = False


class CaseCache:
    """Entries of one command (with its options) in one workspace."""

    def __init__(self, root: Path, params: str, codec: Codec) -> None:
        self.root = root
        self.codec = codec
        self.params = params
        self.fd: int | None = None
        self._pack: dict[str, bytes] | None = None  # entry name -> the entry's bytes
        # The entries this run found current or wrote, for the next pack (None: too many to hold).
        self._current: dict[str, bytes] | None = {}
        self._kept = 0
        self._fresh: list[str] = []  # entries made in this run, not yet written
        self._off_pack = 0  # cases this run did not find current in the pack
        settings = _read(str(root / "familieplan.yaml"), limit=2 * 1024 * 1024)
        # The settings' bytes as the loader's digest records them (`read_whole`/`write_whole`).
        self.settings_digest = "" if settings is None else hashlib.blake2b(settings, digest_size=16).hexdigest()
        self.key = hashlib.sha256("\0".join([
            _version(), codec.fingerprint, _code_stamp(), params,
            hashlib.sha256(settings).hexdigest() if settings is not None else "-",
        ]).encode()).hexdigest()
        home = cache_home()
        if not home.is_absolute():  # no home folder to be found: no cache
            return
        try:
            os.makedirs(home.parent, exist_ok=True)
        except OSError:
            return
        top = _private_dir(None, home)
        if top is None:
            return
        try:
            self.fd = _private_dir(top, workspace_dir(root))
        finally:
            os.close(top)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> CaseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def usable(self) -> bool:
        return self.fd is not None

    def _name(self, folder: Path, shown: str) -> str:
        digest = hashlib.sha256(f"{self.params}\0{shown}".encode()).hexdigest()[:16]
        return f"{folder.name}.{digest}.entry"

    # -- reading ------------------------------------------------------------------------
    def lookup(self, folder: Path, shown: str) -> Lookup | None:
        """The entry of a case when it is current, else None (a miss)."""
        found = self._lookup(folder, shown)
        if found is None:
            STATS.misses += 1
        elif found.revalidate:
            STATS.revalidated += 1
        else:
            STATS.hits += 1
        return found

    def _entry(self, name: str, raw: bytes | None = None) -> tuple[Any, ...] | None:
        """The entry of that name (or those bytes) when it loads and has this cache's key:
        (key, stamp, files, disclosures, data) for a case, (key, data) for the whole workspace."""
        if raw is None:
            raw = _read(name, self.fd) if self.fd is not None else None
        try:
            entry = self.codec.loads_entry(raw) if raw is not None else None
        except CodecError:
            return None
        return entry if entry is not None and entry[0] == self.key else None

    def _lookup(self, folder: Path, shown: str) -> Lookup | None:
        name = self._name(folder, shown)
        packed = self._packed().get(name)
        if packed is not None:
            found = self._found(folder, name, packed)
            if found is not None:
                return found
        self._off_pack += 1
        raw = _read(name, self.fd) if self.fd is not None else None
        return self._found(folder, name, raw) if raw is not None else None

    def _found(self, folder: Path, name: str, raw: bytes) -> Lookup | None:
        entry = self._entry(name, raw)
        if entry is None or len(entry) != 5:
            return None
        found = self._current_entry(folder, entry[1:])
        if found is not None and not found.revalidate:
            self._keep(name, raw)
        elif found is not None:
            self._off_pack += 1
        return found

    def _current_entry(self, folder: Path, entry: tuple[Any, ...]) -> Lookup | None:
        """The entry's data when the case's files are those it was made from."""
        stamp, files, disclosures, data = entry
        if isinstance(stamp, int) and _untouched(folder, files, disclosures, stamp - RACY_NS):
            return Lookup(data)
        current = case_files(folder)
        if current is None or not isinstance(files, dict) or not isinstance(stamp, int):
            return None
        now_disclosures = current.pop(DISCLOSURES, None)
        try:
            if not self._same(folder, files, current, stamp):
                return None
            same_disclosures = (now_disclosures is None and disclosures is None) or (
                now_disclosures is not None and isinstance(disclosures, tuple)
                and self._same(folder, {DISCLOSURES: disclosures}, {DISCLOSURES: now_disclosures}, stamp))
        except (ValueError, TypeError, IndexError):
            return None
        return Lookup(data, revalidate=not same_disclosures)

    # -- packs ------------------------------------------------------------------------
    def _pack_name(self) -> str:
        return f"pack.{hashlib.sha256(self.params.encode()).hexdigest()[:16]}.entry"

    def _packed(self) -> dict[str, bytes]:
        """The last pack: each case's entry, as the bytes of its own entry file."""
        if self._pack is None:
            self._pack = {}
            raw = _read(self._pack_name(), self.fd) if self.fd is not None else None
            try:
                entry = self.codec.loads_entry(raw, shaped=False) if raw is not None else None
            except CodecError:
                entry = None
            if entry is not None and len(entry) == 2 and entry[0] == self.key and isinstance(entry[1], dict) \
                    and all(type(v) is bytes for v in entry[1].values()):
                self._pack = entry[1]
        return self._pack

    def _keep(self, name: str, raw: bytes) -> None:
        """Keep a current entry for the next pack, while the pack stays small enough to be
        held: a larger caseload's results are not all held in memory at once (the entries
        made in this run are then written as their own files)."""
        if self._current is None:
            return
        self._kept += len(raw)
        self._current[name] = raw
        if self._kept > PACK_LIMIT:
            self._write_fresh()
            self._current = None

    def _write_fresh(self) -> None:
        assert self._current is not None
        for name in self._fresh:
            self._write(name, self._current[name])
        self._fresh = []

    def write_pack(self) -> None:
        """Write the pack when entries changed: this run's entries, and the last pack's
        entries of other cases whose folders still exist (a run over some cases keeps the
        others'). When few changed (under one in twenty of a pack's cases: the daily edit
        of a case or two), or the pack cannot be written, this run's new entries become
        files of their own instead (a case's file is looked up where the pack is not current)."""
        if self.fd is None or not self._off_pack or self._current is None:
            return
        if self._packed() and self._off_pack * PACK_REWRITE < len(self._current):
            self._write_fresh()
            return
        cases = self.root / CASES_DIR
        kept = {name: raw for name, raw in self._packed().items()
                if name not in self._current and (cases / name.rsplit(".", 2)[0]).is_dir()}
        kept.update(self._current)
        try:
            raw = self.codec.dumps_entry((self.key, kept))
        except CodecError:
            raw = b""
        if not raw or len(raw) > MAX_ENTRY or not self._write(self._pack_name(), raw):
            self._write_fresh()

    def _same(self, folder: Path, stored: dict[str, Any], current: dict[str, Stat], stamp: int) -> bool:
        if stored.keys() != current.keys():
            return False
        for name, info in current.items():
            was = stored[name]
            if not isinstance(was, tuple) or len(was) != 6:
                return False
            moved = tuple(was[:5]) != info
            if moved and (was[0] != info[0] or was[1] != info[1]):
                return False  # another kind of file, or another size: changed
            if was[5] and (moved or info[2] >= stamp - RACY_NS) and _digest(folder, name, info) != was[5]:
                return False
        return True

    # -- writing ------------------------------------------------------------------------
    def snapshot(self, folder: Path) -> tuple[int, dict[str, Stat]] | None:
        """The case's files as they are before the case is read (`record` then keeps the
        content hash of each file the loader reads)."""
        stamp = time.time_ns()
        files = case_files(folder)
        return None if files is None else (stamp, files)

    def entry(self, folder: Path, snapshot: tuple[int, dict[str, Stat]] | None, read: dict[str, str],
              data: Any) -> bytes | None:
        """A case's entry as bytes: `snapshot` from before it was read, `read` the content
        hashes of the files read (a file not read is one whose content does not matter:
        an unknown file, a link, a folder). None when it cannot be stored."""
        if snapshot is None:
            return None
        stamp, stats = snapshot
        prefix = os.path.join(folder, "")  # the loader's keys are the paths as strings
        files = {name: (*info, read.get(prefix + name, "")) for name, info in stats.items()}
        disclosures = files.pop(DISCLOSURES, None)
        try:
            return self.codec.dumps_entry((self.key, stamp, files, disclosures, data))
        except CodecError:
            return None  # a value that cannot be stored: not cached (never a crash)

    def store(self, folder: Path, shown: str, snapshot: tuple[int, dict[str, Stat]] | None,
              read: dict[str, str], data: Any) -> None:
        """Write a case's entry (`entry`) as its own file."""
        raw = self.entry(folder, snapshot, read, data) if self.fd is not None else None
        if raw is not None:
            self._write(self._name(folder, shown), raw)

    def put(self, folder: Path, shown: str, raw: bytes) -> None:
        """A case's entry made by a worker (`entry`): kept for the next pack, or written as
        the case's own file once the pack would grow too large to hold."""
        if self.fd is None:
            return
        name = self._name(folder, shown)
        self._off_pack += 1
        if self._current is None:
            self._write(name, raw)
            return
        self._fresh.append(name)
        self._keep(name, raw)

    def _write(self, name: str, raw: bytes) -> bool:
        """Write an entry atomically; False when it could not be written."""
        assert self.fd is not None
        temp = f".{name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600,
                         dir_fd=self.fd)
            try:
                data = memoryview(raw)
                while data:
                    data = data[os.write(fd, data):]
            finally:
                os.close(fd)
            os.replace(temp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            STATS.writes += 1
            return True
        except OSError:
            try:
                os.unlink(temp, dir_fd=self.fd)
            except OSError:
                pass
            return False

    # -- entries of the whole workspace (the settings) ---------------------------------
    def read_whole(self, name: str) -> Any:
        """An entry that depends only on the key (the settings' bytes and the code), or
        None (a miss)."""
        entry = self._entry(self._whole_name(name))
        return entry[1] if entry is not None and len(entry) == 2 else None

    def write_whole(self, name: str, data: Any, digest: str | None) -> None:
        """Write such an entry, when `digest` (of the settings' bytes as they were read
        for `data`) is that of the bytes in the key: a file that changed in between is
        not stored under the older key."""
        if self.fd is None or digest != (self.settings_digest or None):
            return
        try:
            raw = self.codec.dumps_entry((self.key, data))
        except CodecError:
            return
        self._write(self._whole_name(name), raw)

    def _whole_name(self, name: str) -> str:
        return f"{name}.{hashlib.sha256(self.params.encode()).hexdigest()[:16]}.entry"
