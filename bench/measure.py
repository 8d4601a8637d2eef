"""How bench/run.py runs a command and what it keeps of a run: wall time, CPU time and
peak memory of the command and its workers, and what the cache did.

Every run is a whole command as a user starts it, start-up included, with
`FAMILIEPLAN_CACHE_TRACE=1` so that the cache's hits, misses and writes of the measured
run are part of its row. A run that exits with a code other than expected stops the bench
with its standard error.

The cache states are explicit: each measurement gets a cache folder of its own
(`XDG_CACHE_HOME`), and

- **warm**: one run of the same command fills it, then the timed runs;
- **new day**: before each timed run, a fresh folder filled by the same command with
  `--today D`, then the run with `--today D+1` (yesterday's cache);
- **no cache**: `--no-cache` (in an empty folder, so that nothing could be read anyway);
- **cold**: a fresh, empty folder before each timed run (the entries are written).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import pty
import re
import shutil
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

PY = sys.executable
FP = [PY, "-m", "familieplan"]
TRACE = re.compile(r"familieplan: cache: (\d+) hits, (\d+) misses, (\d+) writes")
# Peak memory is read in a small process of its own: Linux carries a process's peak
# resident set into the child it starts (exec records the old address space's peak), so a
# command started by the bench, which holds its workspaces' files, would count the bench.
MEMORY_PROBE = """
import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
sys.stderr.buffer.write(err)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_maxrss]))
"""


@dataclass(frozen=True)
class Sample:
    """One run: seconds of wall time, CPU seconds (user + sys of the command and the
    worker processes it waited for), peak resident memory in KiB (of the largest of
    them) and the cache's trace line (`hits/misses/writes`, "" when the cache was not
    opened)."""

    wall: float
    cpu: float
    rss_kib: int
    trace: str


@dataclass(frozen=True)
class Measured:
    """The median of some runs of one metric, with the cache trace of the last run."""

    value: float
    trace: str


def _trace(text: str) -> str:
    found = TRACE.findall(text)
    return "/".join(found[-1]) if found else ""


def _reap(proc: subprocess.Popen[bytes], start: float) -> tuple[float, float, int]:
    """Wait for the process with wait4: its rusage covers the children it waited for (its
    workers) as well, and only this run."""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def run(cmd: Sequence[str], env: dict[str, str], ok: Sequence[int] = (0,), terminal: bool = False) -> Sample:
    """One run of `cmd`: standard output discarded, or both streams on a terminal (a
    pseudo-terminal of 120 × 40, as a caseworker's) with `terminal`."""
    if terminal:
        return _run_on_terminal(cmd, env, ok)
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    wall, cpu, rss = _reap(proc, start)
    text = err.decode("utf-8", "replace")
    _check(cmd, proc.returncode, ok, text)
    return Sample(wall, cpu, rss, _trace(text))


def peak_memory(cmd: Sequence[str], env: dict[str, str], ok: Sequence[int] = (0,)) -> Sample:
    """One run of `cmd` from the memory probe: only its peak resident memory counts."""
    probe = subprocess.run([PY, "-c", MEMORY_PROBE, *cmd], stdin=subprocess.DEVNULL, capture_output=True, env=env,
                           check=False)
    err = probe.stderr.decode("utf-8", "replace")
    if probe.returncode != 0:
        raise SystemExit(f"bench: the memory probe failed ({probe.returncode}):\n{err[-3000:]}")
    code, rss = json.loads(probe.stdout)
    _check(cmd, code, ok, err)
    return Sample(0.0, 0.0, rss, _trace(err))


def _run_on_terminal(cmd: Sequence[str], env: dict[str, str], ok: Sequence[int]) -> Sample:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**env, "TERM": env.get("TERM") or "xterm-256color"}
    env.pop("NO_COLOR", None)
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 1 << 16)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    wall, cpu, rss = _reap(proc, start)
    text = b"".join(chunks).decode("utf-8", "replace")
    _check(cmd, proc.returncode, ok, text)
    return Sample(wall, cpu, rss, _trace(text))


def _check(cmd: Sequence[str], code: int, ok: Sequence[int], err: str) -> None:
    if code not in ok:
        shown = " ".join(str(c) for c in cmd).replace(PY + " -m familieplan", "familieplan")
        raise SystemExit(f"bench: `{shown}` exited {code} (expected {' or '.join(map(str, ok))}):\n{err[-3000:]}")


class Caches:
    """Cache folders of the bench's own (never the user's), one per measurement."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)

    def fresh(self) -> dict[str, str]:
        """The environment of a run with a new, empty cache folder. The one before it is
        removed (no measurement uses two at once; 2,000 cases' entries are large)."""
        if self.count:
            shutil.rmtree(self.root / f"{self.count:04d}", ignore_errors=True)
        self.count += 1
        folder = self.root / f"{self.count:04d}"
        folder.mkdir()
        return {**os.environ, "XDG_CACHE_HOME": str(folder), "FAMILIEPLAN_CACHE_TRACE": "1"}


def median(samples: Sequence[Sample], metric: str = "wall") -> Measured:
    return Measured(statistics.median(getattr(s, metric) for s in samples), samples[-1].trace)


class States:
    """The runs of one command in each cache state (see the module's docstring)."""

    def __init__(self, caches: Caches, repeat: int) -> None:
        self.caches = caches
        self.repeat = repeat

    def plain(self, cmd: Sequence[str], ok: Sequence[int] = (0,), metric: str = "wall") -> Measured:
        """No cache involved (a baseline, `--help`), or `--no-cache` in `cmd`: an empty
        cache folder all the same."""
        env = self.caches.fresh()
        once = peak_memory if metric == "rss_kib" else run
        return median([once(cmd, env, ok) for _ in range(self.repeat)], metric)

    def warm(self, cmd: Sequence[str], ok: Sequence[int] = (0,), terminal: bool = False,
             metric: str = "wall") -> Measured:
        env = self.caches.fresh()
        run(cmd, env, ok, terminal)
        return median([run(cmd, env, ok, terminal) for _ in range(self.repeat)], metric)

    def new_day(self, cmd: Callable[[dt.date], Sequence[str]], day: dt.date, ok: Sequence[int] = (0,),
                terminal: bool = False) -> Measured:
        samples = []
        for _ in range(self.repeat):
            env = self.caches.fresh()
            run(cmd(day), env, ok, terminal)
            samples.append(run(cmd(day + dt.timedelta(days=1)), env, ok, terminal))
        return median(samples)

    def no_cache(self, cmd: Sequence[str], ok: Sequence[int] = (0,), terminal: bool = False,
                 metric: str = "wall") -> Measured:
        env = self.caches.fresh()
        return median([run([*cmd, "--no-cache"], env, ok, terminal) for _ in range(self.repeat)], metric)

    def cold(self, cmd: Sequence[str], ok: Sequence[int] = (0,), metric: str = "wall") -> Measured:
        return median([run(cmd, self.caches.fresh(), ok) for _ in range(self.repeat)], metric)
