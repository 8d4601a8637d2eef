"""Start-up of a Python that behaves as CPython does on Windows where familieplan could
notice, for tests/test_windows.py (which puts this folder first on PYTHONPATH, so every
process of a run, spawned workers too, starts with it):

- modules that exist only on POSIX cannot be imported (`fcntl`, `pwd`, `grp`, `termios`,
  `resource`);
- no `dir_fd` (NotImplementedError, as CPython says "unavailable on this platform"),
  no descriptors where a path is expected (`os.supports_dir_fd`, `os.supports_fd` empty);
  no `fchmod`, `fchown`, `geteuid`, `getuid`, `mkfifo`, no O_NOFOLLOW, O_DIRECTORY or
  O_NONBLOCK;
- `os.open` of a folder fails with PermissionError, as on Windows;
- a file opened with `os.open` without O_BINARY is in text mode: `os.write` turns "\\n"
  into "\\r\\n", `os.read` turns "\\r\\n" into "\\n" and stops at Ctrl-Z;
- `os.rename` never replaces an existing name (FileExistsError), `os.replace` cannot
  replace a folder (PermissionError);
- `multiprocessing` knows only the `spawn` start method.

What it cannot be: the Windows file system itself (names, case, sharing modes, locks),
`msvcrt`, or the real `os.path` (ntpath). Windows' own CI job covers those.
"""

from __future__ import annotations

import errno
import os
import sys

for _name in ("fcntl", "pwd", "grp", "termios", "resource"):
    sys.modules[_name] = None  # type: ignore[assignment]

for _name in ("fchmod", "fchown", "lchown", "chown", "geteuid", "getuid", "getegid", "getgid", "mkfifo",
              "O_NOFOLLOW", "O_DIRECTORY", "O_NONBLOCK"):
    if hasattr(os, _name):
        delattr(os, _name)

O_BINARY = 1 << 30  # a bit Linux does not use; taken off again before the real open
os.O_BINARY = O_BINARY  # type: ignore[attr-defined]
_TAKES_DIR_FD = ("open", "stat", "lstat", "mkdir", "unlink", "remove", "rmdir", "rename", "replace", "link",
                 "chmod", "access", "readlink", "symlink", "utime", "mknod", "scandir", "listdir")
_real = {name: getattr(os, name) for name in (*_TAKES_DIR_FD, "read", "write", "close")}
_text_files: dict[int, tuple[int, int]] = {}  # descriptor -> (device, inode) of a file opened in text mode


def _check(name: str, args: tuple, kwargs: dict) -> None:
    for key in ("dir_fd", "src_dir_fd", "dst_dir_fd"):
        if kwargs.get(key) is not None:
            raise NotImplementedError(f"{name}: {key} unavailable on this platform")
    if args and isinstance(args[0], int) and name != "stat":
        raise TypeError(f"{name}: path should be string, bytes or os.PathLike, not int")


def _plain(name: str):  # type: ignore[no-untyped-def]
    real = _real[name]

    def call(*args, **kwargs):  # type: ignore[no-untyped-def]
        _check(name, args, kwargs)
        return real(*args, **kwargs)

    call.__name__ = name
    return call


def _open(path, flags, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
    _check("open", (path,), {"dir_fd": dir_fd})
    if os.path.isdir(path):
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
    fd = _real["open"](path, flags & ~O_BINARY, mode)
    _text_files.pop(fd, None)
    if not flags & O_BINARY:
        info = os.fstat(fd)
        _text_files[fd] = (info.st_dev, info.st_ino)
    return fd


def _in_text_mode(fd: int) -> bool:
    known = _text_files.get(fd)
    if known is None:
        return False
    try:
        info = os.fstat(fd)
    except OSError:
        return False
    if (info.st_dev, info.st_ino) != known:  # closed meanwhile by other means, the number reused
        del _text_files[fd]
        return False
    return True


def _write(fd, data):  # type: ignore[no-untyped-def]
    if not _in_text_mode(fd):
        return _real["write"](fd, data)
    view = memoryview(bytes(data).replace(b"\n", b"\r\n"))
    while view:
        view = view[_real["write"](fd, view):]
    return len(data)


def _read(fd, size):  # type: ignore[no-untyped-def]
    data = _real["read"](fd, size)
    if _in_text_mode(fd):
        data = data.split(b"\x1a", 1)[0].replace(b"\r\n", b"\n")
    return data


def _close(fd):  # type: ignore[no-untyped-def]
    _text_files.pop(fd, None)
    return _real["close"](fd)


def _rename(src, dst, *, src_dir_fd=None, dst_dir_fd=None):  # type: ignore[no-untyped-def]
    _check("rename", (), {"src_dir_fd": src_dir_fd, "dst_dir_fd": dst_dir_fd})
    if os.path.lexists(dst):
        raise FileExistsError(errno.EEXIST, "Cannot create a file when that file already exists",
                              os.fspath(src), None, os.fspath(dst))
    return _real["rename"](src, dst)


def _replace(src, dst, *, src_dir_fd=None, dst_dir_fd=None):  # type: ignore[no-untyped-def]
    _check("replace", (), {"src_dir_fd": src_dir_fd, "dst_dir_fd": dst_dir_fd})
    if os.path.isdir(dst) and not os.path.islink(dst):
        raise PermissionError(errno.EACCES, "Access is denied", os.fspath(src), None, os.fspath(dst))
    return _real["replace"](src, dst)


for _name in _TAKES_DIR_FD:
    setattr(os, _name, _plain(_name))
os.open, os.read, os.write, os.close = _open, _read, _write, _close  # type: ignore[assignment]
os.rename, os.replace = _rename, _replace  # type: ignore[assignment]
os.supports_dir_fd = set()  # type: ignore[misc]
os.supports_fd = set()  # type: ignore[misc]


def _spawn_only() -> None:
    import multiprocessing
    from multiprocessing import context

    spawn = context._concrete_contexts["spawn"]  # type: ignore[attr-defined]
    context._concrete_contexts = {"spawn": spawn}  # type: ignore[attr-defined]
    context._default_context._default_context = spawn  # type: ignore[attr-defined]
    context.DefaultContext.get_all_start_methods = lambda self: ["spawn"]  # type: ignore[method-assign]
    multiprocessing.get_all_start_methods = lambda: ["spawn"]


_spawn_only()
