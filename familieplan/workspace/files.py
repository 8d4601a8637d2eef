"""Writing files safely: atomically, owner-only, never overwriting without `force`.

One way on every platform (Windows has no `dir_fd`, no `fchmod`, no O_NOFOLLOW and no
opening of a folder): the text is written to a fresh temporary name beside the target,
created with O_EXCL (so the file is new and ours, never a link) and synced; then it is
linked to its name (`os.link` fails when the name exists, so two writers can never both
"win"; where the file system has no hard links the name is claimed with O_EXCL and
replaced) or, with `force`, put over the old regular file with `os.replace` (retried
briefly while another program holds the file, as Windows says with PermissionError).

Nothing is written through a symbolic link: below a `base` (the workspace, for `output/`
and `meetings/`) every folder on the way, and elsewhere the target's own folder, is
checked with `lstat` and refused when it is a link; `force` never replaces a link, a
FIFO, a device or a folder. New folders are 0700 and files 0600 (or the mode asked for)
where chmod means something. What descriptors relative to a folder (`dir_fd`) gave
besides, and path names cannot: noticing a folder swapped for a link *during* the write,
by someone who can write in the workspace. OS errors keep the path they concern, so the
CLI can show them as `path: message`.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path

from familieplan.problems import N_, FamilieplanError

FILE_MODE = 0o600
DIR_MODE = 0o700
BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation, no stop at Ctrl-Z
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | BINARY | NOFOLLOW
REPLACE_TRIES = 8  # os.replace while another program holds the file: about 1.8 s in all
REPLACE_PAUSE = 0.05  # seconds after the first refusal, growing by as much each time

pause: Callable[[float], None] = time.sleep  # replaced in tests


def write_atomic(path: Path, text: str | bytes, *, force: bool = False, mode: int = FILE_MODE,
                 base: Path | None = None) -> None:
    """Write `text` (or bytes) to `path` so that a reader sees the old file or the new one,
    never half of one, and an existing file is never replaced without `force`."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    prepare_folder(path.parent, base)
    try:
        _check_target(path, force)
        tmp = _write_temp(path, data, mode)
        try:
            if force:
                replace(tmp, path)
            else:
                _create(tmp, path, mode)
        finally:
            _unlink_quietly(tmp)
    except OSError as exc:
        raise _with_path(exc, path) from None


def check_target(path: Path, *, force: bool = False, base: Path | None = None) -> None:
    """What `write_atomic` checks before it writes, alone: the folder (made where
    missing), and that `path` does not exist (or, with `force`, is a regular file)."""
    prepare_folder(path.parent, base)
    try:
        _check_target(path, force)
    except OSError as exc:
        raise _with_path(exc, path) from None


def stage(path: Path, data: bytes, *, force: bool = False, mode: int = FILE_MODE, base: Path | None = None) -> Path:
    """The first half of `write_atomic`: `data` in a new temporary file beside `path`
    (`.<name>.<random>.tmp`), after the checks of `check_target`. `move_in` finishes it;
    `discard` removes it."""
    check_target(path, force=force, base=base)
    try:
        return _write_temp(path, data, mode)
    except OSError as exc:
        raise _with_path(exc, path) from None


def move_in(tmp: Path, path: Path, *, force: bool = False, mode: int = FILE_MODE) -> None:
    """The second half of `write_atomic`: the staged `tmp` under its name `path`."""
    try:
        _check_target(path, force)
        if force:
            replace(tmp, path)
        else:
            _create(tmp, path, mode)
    except OSError as exc:
        raise _with_path(exc, path) from None
    finally:
        _unlink_quietly(tmp)


def discard(tmp: Path) -> None:
    """Remove a staged file that will not be moved in."""
    _unlink_quietly(tmp)


def remove_leftovers(path: Path) -> None:
    """Remove the temporary files `stage` left beside `path` in a run that was killed
    (callers hold a lock that every run staging `path` holds)."""
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    prefix = f".{path.name}."
    for name in names:
        if name.startswith(prefix) and _TEMP_NAME.fullmatch(name):
            _unlink_quietly(path.parent / name)


def _exists_error(path: Path) -> FamilieplanError:
    return FamilieplanError(N_("{path} exists; use --force to overwrite it"), path=str(path))


def _link_error(path: Path) -> FamilieplanError:
    return FamilieplanError(N_("{path} is a symbolic link; refusing to write through it"), path=str(path))


def _check_target(path: Path, force: bool) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise _link_error(path)
    if not stat.S_ISREG(info.st_mode):
        raise FamilieplanError(N_("{path} exists and is not a regular file; refusing to replace it"), path=str(path))
    if not force:
        raise _exists_error(path)


def _set_mode(fd: int, path: Path, mode: int) -> None:
    """The mode given to open is masked by the umask; Windows knows only read-only."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, mode)
    else:
        os.chmod(path, mode)


def _write_temp(path: Path, data: bytes, mode: int) -> Path:
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, _NEW_FILE, mode)
            break
        except FileExistsError:
            continue
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        _set_mode(fd, tmp, mode)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink_quietly(tmp)
        raise
    os.close(fd)
    return tmp


def _create(tmp: Path, path: Path, mode: int) -> None:
    """`tmp` under the new name `path`, which must not exist."""
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise _exists_error(path) from None
    except (OSError, AttributeError, NotImplementedError):
        pass  # no hard links on this file system (FAT, some network shares) or platform
    try:
        os.close(os.open(path, _NEW_FILE, mode))  # the claim: of two runs only one makes the name
    except FileExistsError:
        raise _exists_error(path) from None
    try:
        replace(tmp, path)
    except BaseException:
        _unlink_quietly(path)
        raise


def replace(src: Path, dst: Path) -> None:
    """`os.replace`, tried again a few times while another program holds `dst` (Windows
    refuses to replace an open file with PermissionError; a virus scanner or a preview
    holds one briefly); then one clear error."""
    _while_held(os.replace, src, dst)


def rename(src: Path, dst: Path) -> None:
    """`os.rename` to a name that must not exist (a folder too), tried again the same way
    while another program holds `src` or something in it (a virus scanner reading a file
    just written). A name that exists is not waited for: its error is raised at once."""
    _while_held(os.rename, src, dst, held=lambda: not os.path.lexists(dst))


def _while_held(move: Callable[[Path, Path], None], src: Path, dst: Path,
                held: Callable[[], bool] = lambda: True) -> None:
    for attempt in range(1, REPLACE_TRIES + 1):
        try:
            move(src, dst)
            return
        except PermissionError as exc:
            if not held():
                raise
            if attempt == REPLACE_TRIES:
                raise FamilieplanError(N_("{path}: {reason}; another program (a virus scanner, an editor, a "
                                          "preview) may be holding it: close it and run the command again"),
                                       path=str(dst), reason=exc.strerror or str(exc)) from None
            pause(REPLACE_PAUSE * attempt)


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _with_path(exc: OSError, path: Path) -> OSError:
    """The error with the path it concerns (a write or fsync error carries none)."""
    if exc.filename is not None and os.sep in str(exc.filename):
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))


def prepare_folder(folder: Path, base: Path | None = None) -> None:
    """Make `folder` where missing (0700) and refuse it when it is a symbolic link. Below
    `base`, every folder on the way is made and checked the same way."""
    if base is None or not _is_below(folder, base):
        make_private_dir(folder)
        _refuse_link(folder)
        return
    walked = base
    for part in folder.relative_to(base).parts:
        walked = walked / part
        try:
            os.mkdir(walked, DIR_MODE)
            os.chmod(walked, DIR_MODE)  # mkdir's mode is masked by the umask
        except FileExistsError:
            pass
        except OSError as exc:
            raise _with_path(exc, walked) from None
        _refuse_link(walked)


def _is_below(folder: Path, base: Path) -> bool:
    try:
        folder.relative_to(base)
    except ValueError:
        return False
    return True


def _refuse_link(folder: Path) -> None:
    """A folder to write in: a real folder, not a symbolic link to one."""
    try:
        info = os.lstat(folder)
    except OSError as exc:
        raise _with_path(exc, folder) from None
    if stat.S_ISLNK(info.st_mode):
        raise _link_error(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))


def open_regular(path: Path, flags: int, *, mode: int = FILE_MODE) -> int:
    """A descriptor of `path` opened with `flags` (created with `mode` where O_CREAT is
    among them), never through a symbolic link (O_NOFOLLOW where the platform has it, and
    a link refused by name where not) and only a regular file: a FIFO, a device or a
    folder is a FamilieplanError. OS errors carry `path`."""
    if not NOFOLLOW and os.path.islink(path):
        raise _link_error(path)
    try:
        fd = os.open(path, flags | BINARY | NOFOLLOW | getattr(os, "O_NONBLOCK", 0), mode)
    except OSError as exc:
        if os.path.islink(path):
            raise _link_error(path) from None
        if os.path.isdir(path):  # Windows: a folder cannot be opened (PermissionError)
            raise _not_regular(path) from None
        raise _with_path(exc, path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _not_regular(path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _not_regular(path: Path) -> FamilieplanError:
    return FamilieplanError(N_("{path} is not a regular file; refusing to write to it"), path=str(path))


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


STALE_TEMP_SECONDS = 3600  # a write takes well under a second; older ones are left by a killed run


def remove_stale_temps(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files (`.<name>.<12 hex digits>.tmp`) that a run killed
    mid-write (kill -9, a power cut) left in `folder`, older than STALE_TEMP_SECONDS, so
    that another run's write in progress is never touched. Only regular files are removed
    (never a link); errors are ignored: the write that follows reports its own."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not (_TEMP_NAME.fullmatch(name)):
            continue
        path = folder / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMP_SECONDS:
            _unlink_quietly(path)
            removed.append(path)
    return removed


_TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{12}\.tmp")
