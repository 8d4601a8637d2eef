"""Real git repositories in a temporary folder for the tests of history and merging."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = str(Path(sys.executable).parent)

AUTHORS = {
    "line": ("Line Holm", "lh@eksempel.dk"),
    "karim": ("Karim Said", "ks@eksempel.dk"),
}


class Repo:
    """A git repository with the project's merge driver on PATH and fixed authors and dates."""

    def __init__(self, root: Path, *, driver: bool = True) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        if driver:
            self.git("config", "merge.familieplan.driver", "familieplan merge-file %O %A %B %P")
            (root / ".gitattributes").write_text("cases/**/*.yaml merge=familieplan\n")

    def env(self, author: str = "line", date: str = "2026-03-02T10:00:00+01:00") -> dict[str, str]:
        name, email = AUTHORS[author]
        return {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
                "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
                "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": date,
                "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root)}

    def git(self, *args: str, author: str = "line", date: str = "2026-03-02T10:00:00+01:00",
            check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(["git", *args], cwd=self.root, env=self.env(author, date),
                              capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {proc.stdout}{proc.stderr}")
        return proc

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def commit(self, message: str, files: dict[str, str] | None = None, *, author: str = "line",
               date: str = "2026-03-02T10:00:00+01:00") -> str:
        if files:
            self.write(files)
        self.git("add", "-A", author=author, date=date)
        self.git("commit", "-q", "--allow-empty", "-m", message, author=author, date=date)
        return self.git("rev-parse", "HEAD").stdout.strip()

    def merge(self, branch: str, *, author: str = "line",
              date: str = "2026-03-02T10:00:00+01:00") -> subprocess.CompletedProcess[str]:
        return self.git("merge", "-q", "--no-edit", branch, author=author, date=date, check=False)
