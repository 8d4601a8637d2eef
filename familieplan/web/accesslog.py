"""Who looked at which case: one JSON line per response that carries case data (the
caseload, a case, a meeting, the problems, which quote the case files, and the event stream).

Municipalities must be able to see who looked at a citizen's case. The log lives outside
`cases/` (in the workspace's `output/` folder, which `init` keeps out of git), is
created owner-only and is only ever appended to. It is never written through a symbolic
link: its folder (and, below the workspace, every folder on the way) is checked with
`lstat` and refused when it is a link, and the file is opened with O_NOFOLLOW where the
platform has it (else refused by name when it is a link) — the same rules as every write
(`workspace/files.py`). The server checks this before it starts and before each line.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import threading
from pathlib import Path

from familieplan import clock
from familieplan.problems import N_, FamilieplanError
from familieplan.workspace.files import open_regular, prepare_folder

OUTPUT_DIR = "output"
LOG_NAME = "access-log.jsonl"


def default_path(root: Path) -> Path:
    return root / OUTPUT_DIR / LOG_NAME


def account() -> str:
    """The account that runs the server: the capability makes it the only one who can read it."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # without USERNAME/USER, Python < 3.13 imports pwd (not on Windows)
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


class AccessLog:
    def __init__(self, path: Path, root: Path | None = None) -> None:
        self.path = path
        self.root = root  # the workspace: below it, every folder on the way is checked
        self.account = account()
        self._lock = threading.Lock()

    def _open(self) -> int:
        try:
            prepare_folder(self.path.parent, self.root)
            return open_regular(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        except OSError as exc:
            raise FamilieplanError(N_("cannot write the access log {path}: {error}"), path=str(self.path),
                                   error=exc.strerror or str(exc)) from None

    def check(self) -> None:
        """Refuse to start where the log cannot be written (a link, a folder that cannot be
        made): a FamilieplanError, one line."""
        with self._lock:
            os.close(self._open())

    def record(self, case: str | None, view_as: str | None, page: str, when: dt.datetime | None = None) -> None:
        moment = clock.local(when or clock.now()).isoformat(timespec="seconds")
        line = json.dumps({"time": moment, "account": self.account, "case": case, "view_as": view_as,
                           "page": page}, ensure_ascii=False) + "\n"
        with self._lock:
            fd = self._open()
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
