"""An exclusive lock on a file, with a bounded wait, on every platform.

Where the platform has `fcntl` (Linux, macOS): `flock` on the open file. On Windows:
`msvcrt.locking` on one byte far past the end of the file (SQLite's way: Windows locks
are mandatory, so a lock on the data would stop every reader; a byte at 1 GiB is never
read nor written). Both are released by the system when the process ends, however it
ends. On a platform with neither, a sibling `.<name>.lock` claimed with
O_CREAT|O_EXCL and removed on release: the one kind of lock a killed run can leave
behind, so its error names the file to remove.

Nobody waits forever: a lock not had within `wait` seconds (10 by default) is one clear
error. `pause` and `clock` are module attributes, so tests replace them instead of
waiting.
"""

from __future__ import annotations

import errno
import importlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from familieplan.problems import N_, FamilieplanError
from familieplan.workspace.files import BINARY, NOFOLLOW, open_regular

WAIT = 10.0  # seconds a writer waits for a lock before giving up
POLL = 0.02  # seconds between two tries
WINDOWS_LOCK_OFFSET = 1 << 30  # the byte msvcrt locks: far past the end of any case file
LOCK_FILE_MODE = 0o600

pause: Callable[[float], None] = time.sleep
clock: Callable[[], float] = time.monotonic


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def choose_backend() -> str:
    """`flock` where `fcntl` exists, `msvcrt` on Windows, else `claim` (a lock file)."""
    if _module("fcntl") is not None:
        return "flock"
    if _module("msvcrt") is not None:
        return "msvcrt"
    return "claim"


BACKEND = choose_backend()


def claim_path(path: Path) -> Path:
    """The lock file of the `claim` backend: hidden, beside the file it guards."""
    return path.with_name(f".{path.name}.lock")


def _try_flock(fd: int) -> bool:
    fcntl = importlib.import_module("fcntl")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _msvcrt_locking(fd: int, mode_name: str) -> None:
    msvcrt = importlib.import_module("msvcrt")
    where = os.lseek(fd, 0, os.SEEK_CUR)
    os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
    try:
        msvcrt.locking(fd, getattr(msvcrt, mode_name), 1)
    finally:
        os.lseek(fd, where, os.SEEK_SET)


def _try_msvcrt(fd: int) -> bool:
    try:
        _msvcrt_locking(fd, "LK_NBLCK")
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EDEADLK):  # held by another handle
            return False
        raise
    return True


def _try_claim(path: Path) -> bool:
    try:
        fd = os.open(claim_path(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL | BINARY | NOFOLLOW, LOCK_FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def _release(backend: str, fd: int, path: Path) -> None:
    if backend == "flock":
        fcntl = importlib.import_module("fcntl")
        fcntl.flock(fd, fcntl.LOCK_UN)
    elif backend == "msvcrt":
        _msvcrt_locking(fd, "LK_UNLCK")
    else:
        try:
            os.unlink(claim_path(path))
        except FileNotFoundError:
            pass


def _try(backend: str, fd: int, path: Path) -> bool:
    if backend == "flock":
        return _try_flock(fd)
    if backend == "msvcrt":
        return _try_msvcrt(fd)
    return _try_claim(path)


@contextmanager
def exclusive(fd: int, path: Path, *, wait: float = WAIT) -> Iterator[None]:
    """Hold an exclusive lock on the open file `fd` (named `path`) for the `with` block.

    Another run holding it is waited for up to `wait` seconds, then a FamilieplanError
    says so. Other OS errors carry `path`."""
    backend = BACKEND
    deadline = clock() + wait
    try:
        while not _try(backend, fd, path):
            if clock() >= deadline:
                if backend == "claim":
                    raise FamilieplanError(N_("{path} is locked by another run of familieplan; try again in a moment "
                                              "(if no other run is going, remove {lock})"),
                                           path=str(path), lock=str(claim_path(path)))
                raise FamilieplanError(N_("{path} is locked by another run of familieplan; try again in a moment"),
                                       path=str(path))
            pause(POLL)
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    try:
        yield
    finally:
        _release(backend, fd, path)


def case_lock_path(case_folder: Path) -> Path:
    """The lock file of one case, for the commands that write into its files: hidden (the
    loader skips it) and ignored by the `.gitignore` that `init` writes (`.*.lock`). A
    file of its own, since a case file is replaced when written, and a lock on the
    replaced file would guard nothing."""
    return case_folder / ".familieplan.lock"


@contextmanager
def lock_file(path: Path, *, wait: float = WAIT) -> Iterator[None]:
    """Hold the lock file `path` (made owner-only where missing, never through a symbolic
    link, only a regular file) for the `with` block: e.g. one per case, for the commands
    that write into its files. The file stays; only the lock ends."""
    fd = open_regular(path, os.O_RDWR | os.O_CREAT, mode=LOCK_FILE_MODE)
    try:
        with exclusive(fd, path, wait=wait):
            yield
    finally:
        os.close(fd)
