"""Writing files safely: atomically, owner-only, never overwriting without `force`.

A file is written to a fresh temporary name in its folder and then either linked to its
name (`os.link` fails when the name exists, so two writers can never both "win") or,
with `force`, renamed over the old regular file. Nothing is written through a symbolic
link; `force` never replaces a FIFO, a device or a folder. Below a `base` (the
workspace, for `output/` and `meetings/`), every folder on the way is opened with
O_NOFOLLOW, so a linked folder cannot send a write elsewhere. OS errors keep the path
they concern, so the CLI can show them as `path: message`.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from familieplan.problems import N_, FamilieplanError

FILE_MODE = 0o600
DIR_MODE = 0o700
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


def write_atomic(path: Path, text: str | bytes, *, force: bool = False, mode: int = FILE_MODE,
                 base: Path | None = None) -> None:
    """Write `text` (or bytes) to `path` so that a reader sees the old file or the new one,
    never half of one, and an existing file is never replaced without `force`."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        folder = open_folder(path.parent, base)
    except OSError as exc:
        raise _with_path(exc, path.parent) from None
    try:
        _check_target(folder, path, force)
        tmp = _write_temp(folder, path, data, mode)
        try:
            if force:
                os.rename(tmp, path.name, src_dir_fd=folder, dst_dir_fd=folder)
            else:
                try:
                    os.link(tmp, path.name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
                except FileExistsError:
                    raise FamilieplanError(N_("{path} exists; use --force to overwrite it"), path=str(path)) from None
        finally:
            _unlink_quietly(tmp, folder)
    except OSError as exc:
        raise _with_path(exc, path) from None
    finally:
        os.close(folder)


def _check_target(folder: int, path: Path, force: bool) -> None:
    try:
        info = os.stat(path.name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise FamilieplanError(N_("{path} is a symbolic link; refusing to write through it"), path=str(path))
    if not stat.S_ISREG(info.st_mode):
        raise FamilieplanError(N_("{path} exists and is not a regular file; refusing to replace it"), path=str(path))
    if not force:
        raise FamilieplanError(N_("{path} exists; use --force to overwrite it"), path=str(path))


def _write_temp(folder: int, path: Path, data: bytes, mode: int) -> str:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:
        tmp = f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, flags, mode, dir_fd=folder)
            break
        except FileExistsError:
            continue
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fchmod(fd, mode)  # the mode given to open is masked by the umask
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink_quietly(tmp, folder)
        raise
    os.close(fd)
    return tmp


def _unlink_quietly(name: str, folder: int) -> None:
    try:
        os.unlink(name, dir_fd=folder)
    except OSError:
        pass


def _with_path(exc: OSError, path: Path) -> OSError:
    """The error with the path it concerns (a write or fsync error carries none)."""
    if exc.filename is not None and os.sep in str(exc.filename):
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))


def open_folder(folder: Path, base: Path | None = None) -> int:
    """A file descriptor of `folder`, created (0700) where missing. Below `base`, every
    folder on the way is opened without following a symbolic link."""
    if base is None or not _is_below(folder, base):
        make_private_dir(folder)
        try:
            return os.open(folder, _DIR_FLAGS)
        except OSError as exc:
            raise _refuse_link(exc, folder) from None
    current = os.open(base, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    walked = base
    try:
        for part in folder.relative_to(base).parts:
            walked = walked / part
            try:
                os.mkdir(part, DIR_MODE, dir_fd=current)
                os.chmod(part, DIR_MODE, dir_fd=current)  # mkdir's mode is masked by the umask
            except FileExistsError:
                pass
            except OSError as exc:
                raise _with_path(exc, walked) from None
            try:
                step = os.open(part, _DIR_FLAGS, dir_fd=current)
            except OSError as exc:
                raise _refuse_link(exc, walked) from None
            os.close(current)
            current = step
    except BaseException:
        os.close(current)
        raise
    return current


def _is_below(folder: Path, base: Path) -> bool:
    try:
        folder.relative_to(base)
    except ValueError:
        return False
    return True


def _refuse_link(exc: OSError, folder: Path) -> Exception:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR) and folder.is_symlink():
        return FamilieplanError(N_("{path} is a symbolic link; refusing to write through it"), path=str(folder))
    return _with_path(exc, folder)


def make_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) readable by the owner only. A folder that
    exists already is left as it is: it may be shared on purpose."""
    missing = []
    current = path
    while not os.path.lexists(current):
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made at the same moment by another run
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
