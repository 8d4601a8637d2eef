"""Who looked at which case: one JSON line per case page served.

Municipalities must be able to see who looked at a citizen's case. The log lives outside
`cases/` (in the workspace's `output/` folder, which `init` keeps out of git), is
created owner-only and is only ever appended to.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import threading
from pathlib import Path

from familieplan import clock
from familieplan.workspace.files import BINARY, NOFOLLOW, make_private_dir

OUTPUT_DIR = "output"
LOG_NAME = "access-log.jsonl"


def default_path(root: Path) -> Path:
    return root / OUTPUT_DIR / LOG_NAME


def account() -> str:
    """The account that runs the server: the token makes it the only one who can read it."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # without USERNAME/USER, Python < 3.13 imports pwd (not on Windows)
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


class AccessLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.account = account()
        self._lock = threading.Lock()

    def record(self, case: str, view_as: str | None, page: str, when: dt.datetime | None = None) -> None:
        moment = clock.local(when or clock.now()).isoformat(timespec="seconds")
        line = json.dumps({"time": moment, "account": self.account, "case": case, "view_as": view_as,
                           "page": page}, ensure_ascii=False) + "\n"
        with self._lock:
            make_private_dir(self.path.parent)
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | BINARY | NOFOLLOW
            fd = os.open(self.path, flags, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
