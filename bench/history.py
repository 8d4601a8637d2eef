"""Git histories for the `changes` rows of bench/run.py.

- the examples' workspace with a short scripted history of one case (a few commits by two
  authors), and
- a generated workspace of N cases with M commits after the first (written with
  `git fast-import`, so that building it takes seconds), of which every 20th touches the
  case that is measured: `changes` must read only that case's history.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

from gen import generate

EPOCH = 1767225600  # 2026-01-01T00:00:00Z
AUTHORS = [("Line Holm", "lh@eksempel.dk"), ("Karim Said", "ks@eksempel.dk")]


def _stream(commits: list[tuple[int, str, dict[str, bytes]]]) -> bytes:
    out = bytearray()
    for number, (when, message, files) in enumerate(commits):
        name, email = AUTHORS[number % 2]
        out += b"commit refs/heads/main\n"
        out += f"author {name} <{email}> {when} +0100\ncommitter {name} <{email}> {when} +0100\n".encode()
        body = message.encode()
        out += b"data %d\n%s\n" % (len(body), body)
        for path, data in files.items():
            out += f"M 100644 inline {path}\n".encode() + b"data %d\n%s\n" % (len(data), data)
    return bytes(out)


def _import(root: Path, commits: list[tuple[int, str, dict[str, bytes]]]) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=_stream(commits), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.parts}


def examples_history(examples: Path, target: Path, case: str = "2025-001-holm") -> Path:
    """The examples, then four commits to one case's agreements (texts changed, one done)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(examples, target)
    files = _files(target)
    path = f"cases/{case}/agreements.yaml"
    text = files[path].decode()
    commits = [(EPOCH, "Eksemplerne", files)]
    for i in range(4):
        text = text.replace("status: open", "status: done\n    done: 2026-11-2" + str(i), 1)
        # After the case's last meeting (15 June 2026): what `changes` shows by default.
        commits.append((EPOCH + 86400 * (200 + 20 * i), f"Opfølgning {i + 1}", {path: text.encode()}))
    _import(target, commits)
    return target


def big_history(target: Path, cases: int, commits: int, case_number: int = 7) -> tuple[Path, str]:
    """N generated cases, then `commits` commits each changing one agreement of one case."""
    generate(target, cases)
    files = _files(target)
    rng = random.Random(5)
    measured = f"2026-{case_number:04d}-familie"
    history = [(EPOCH, "Sagerne", files)]
    texts: dict[str, str] = {}
    for i in range(commits):
        number = case_number if i % 20 == 0 else rng.randint(1, cases)
        path = f"cases/2026-{number:04d}-familie/agreements.yaml"
        text = texts.get(path) or files[path].decode()
        k = rng.randint(1, 10)
        text = text.replace(f"text: Aftale {k} om næste skridt", f"text: Aftale {k} om næste skridt, runde {i}", 1)
        text = text.replace(f"Aftale {k} om næste skridt, runde {i - 1}", f"Aftale {k} om næste skridt", 1)
        texts[path] = text
        history.append((EPOCH + 57000 * (i + 1), f"Ændring {i + 1}", {path: text.encode()}))  # over 11 months
    _import(target, history)
    return target, measured
