"""Writing files safely: atomically, owner-only, never overwriting without `force`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from familieplan.problems import FamilieplanError

FILE_MODE = 0o600
DIR_MODE = 0o700


def write_atomic(path: Path, text: str, *, force: bool = False, mode: int = FILE_MODE) -> None:
    """Write `text` to `path` via a temporary file in the same folder and a rename, so a
    reader sees the old file or the new one, never half of one."""
    if path.is_symlink():
        raise FamilieplanError(f"{path} is a symbolic link; refusing to write through it")
    if path.exists() and not force:
        raise FamilieplanError(f"{path} exists; use --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def make_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) readable by the owner only. A folder that
    exists already is left as it is: it may be shared on purpose."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
