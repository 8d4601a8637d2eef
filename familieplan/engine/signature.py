"""A case folder's signature: what its files were when the store kept a result.

Every name the loader looks at (the case folder's and its `meetings/`) with its stat,
and the hash of all their bytes. An unchanged stat tells an unchanged folder without
reading a file; a stat that moved (a checkout, a copy) or that was taken within the file
system's timestamp granularity of a change (`racy`) is decided by the bytes. The
snapshot is taken before the loader reads the files, so a change during a run is never
hidden behind the result it makes.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

# Files changed this close before their snapshot are compared by content: a change within
# the file system's timestamp granularity leaves the size and mtime as they were.
RACY_NS = 3_000_000_000


@dataclass(frozen=True)
class Signature:
    """The case folder's files as they were when an entry was made: each name (the
    meetings folder's too) with its stat (`listing`, one line each), and the hash of their
    bytes. The stat alone tells an unchanged folder, unless a file had changed just
    before (`racy`: a change within the file system's timestamp granularity keeps size
    and mtime); where the stat moved (a checkout, a copy) the bytes decide."""

    listing: bytes
    digest: str
    racy: bool = False

    def encode(self) -> bytes:
        return f"{int(self.racy)} {self.digest}\n".encode() + self.listing

    @classmethod
    def decode(cls, data: bytes) -> Signature | None:
        head, _, listing = data.partition(b"\n")
        racy, _, digest = head.decode("ascii", "replace").partition(" ")
        return cls(listing, digest, racy == "1") if racy in ("0", "1") and digest else None


def _listing(folder: Path) -> list[tuple[str, int, int, int, int, int]] | None:
    """Every name the loader looks at in a case folder with its stat (None: unreadable)."""
    out: list[tuple[str, int, int, int, int, int]] = []
    try:
        _scan(folder, "", out)
    except OSError:
        return None
    out.sort()
    return out


def _scan(folder: Path | str, prefix: str, out: list[tuple[str, int, int, int, int, int]]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            info = entry.stat(follow_symlinks=False)
            out.append((prefix + entry.name, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                        info.st_ino))
            if not prefix and entry.name == "meetings" and stat.S_ISDIR(info.st_mode):
                _scan(entry.path, "meetings/", out)


def _encoded(files: list[tuple[str, int, int, int, int, int]]) -> bytes:
    return "\n".join("\t".join(map(str, f)) for f in files).encode("utf-8", "surrogateescape")


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_regular(path: str | Path, limit: int = 64 * 1024 * 1024) -> bytes | None:
    """The bytes of a regular file (None for anything else: a FIFO must not hang a run)."""
    try:
        fd = os.open(path, _READ_FLAGS)
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


def _content_digest(folder: Path, files: list[tuple[str, int, int, int, int, int]],
                    contents: dict[str, bytes] | None = None) -> str | None:
    digest = hashlib.blake2b(digest_size=16)
    for name, mode, *_ in files:
        if not stat.S_ISREG(mode):
            continue
        data = read_regular(folder / name)
        if data is None:
            return None
        if contents is not None:
            contents[os.path.join(folder, name)] = data
        digest.update(f"{name}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        digest.update(data)
    return digest.hexdigest()


def snapshot(folder: Path, contents: dict[str, bytes] | None = None) -> Signature | None:
    """The folder's signature, taken before the loader reads its files: a file that
    changes after it no longer matches it, so the entry made from the read is never used
    for the change. The bytes it read go into `contents` (by path), for the loader to
    use rather than read the files again."""
    files = _listing(folder)
    if files is None:
        return None
    digest = _content_digest(folder, files, contents)
    if digest is None:
        return None
    since = time.time_ns() - RACY_NS
    return Signature(_encoded(files), digest, any(f[3] >= since or f[4] >= since for f in files))


def is_current(folder: Path, signature: Signature) -> bool:
    """The folder's files are those the signature was taken of."""
    files = _listing(folder)
    if files is None:
        return False
    listing = _encoded(files)
    if listing == signature.listing and not signature.racy:
        return True
    names = [line.split(b"\t")[0:3:2] for line in signature.listing.split(b"\n")] if signature.listing else []
    now = [[line.split(b"\t")[0], line.split(b"\t")[2]] for line in listing.split(b"\n")] if listing else []
    return names == now and _content_digest(folder, files) == signature.digest
