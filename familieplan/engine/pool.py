"""Spread per-case work over the machine's cores.

Cases are independent, so a large workspace is split into chunks of case folders, each
loaded and checked in a worker process; results come back in folder order. Small
workspaces (and `jobs=1`) run in-process: starting workers costs more than it saves.
"""

from __future__ import annotations

import collections
import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from familieplan.engine import paused_gc
from familieplan.engine.progress import current_progress
from familieplan.settings import Settings

T = TypeVar("T")
MIN_CASES_FOR_WORKERS = 150
# In-process runs are split this fine only when someone watches the progress.
PROGRESS_CHUNK = 25
# Worker chunks hold at most this many case folders (their results travel back whole).
MAX_CHUNK = 200
# ... and at least this many (a chunk costs a task's round trip and the settings' pickle).
MIN_CHUNK = 25

def default_jobs() -> int:
    env = os.environ.get("FAMILIEPLAN_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def chunk_bounds(count: int, jobs: int) -> list[tuple[int, int]]:
    """Where the chunks of `count` folders start and end, for `jobs` workers: each a
    third of one worker's share of what is left (at most MAX_CHUNK, at least MIN_CHUNK),
    so the chunks shrink toward the end and the workers finish together instead of one
    waiting while the other works through a last large chunk."""
    bounds = []
    start = 0
    while start < count:
        size = max(min(-(-(count - start) // (jobs * 3)), MAX_CHUNK), MIN_CHUNK)
        bounds.append((start, min(start + size, count)))
        start += size
    return bounds


def _run_chunk(func: Callable[[Path, Settings, Sequence[Path], Any], T], root: Path, settings: Settings,
               folders: Sequence[Path], extra: Any) -> T:
    with paused_gc():
        return func(root, settings, folders, extra)


def each_chunk(func: Callable[[Path, Settings, Sequence[Path], Any], T], root: Path, settings: Settings,
               folders: Sequence[Path], extra: Any = None, jobs: int | None = None) -> Iterator[T]:
    """func(root, settings, chunk, extra) for chunks of `folders`, as the chunks are done, in
    order: a caller that uses each chunk's results and lets them go holds one chunk at a time
    (worker chunks are at most MAX_CHUNK folders, so a worker's memory stays flat on any
    workspace)."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    progress = current_progress()
    if jobs == 1 or len(folders) < MIN_CASES_FOR_WORKERS:
        if progress is None or len(folders) <= PROGRESS_CHUNK:
            yield _run_chunk(func, root, settings, folders, extra)
            return
        for start in range(0, len(folders), PROGRESS_CHUNK):
            chunk = _run_chunk(func, root, settings, folders[start:start + PROGRESS_CHUNK], extra)
            progress(min(start + PROGRESS_CHUNK, len(folders)), len(folders))
            yield chunk
        return
    chunks = [folders[start:end] for start, end in chunk_bounds(len(folders), jobs)]
    methods = multiprocessing.get_all_start_methods()
    # Forking copies a process's locks but not its other threads: from a process that runs
    # threads (the web server's pool) a forked worker can hang, so start clean workers there.
    if "fork" in methods and threading.active_count() == 1:
        method = "fork"
    else:
        method = "forkserver" if "forkserver" in methods else "spawn"
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method)) as pool:
        # A few chunks ahead of the one the caller uses, not all: results the caller has
        # not used yet wait in this process. Progress counts the chunks as they are used.
        pending: collections.deque[Future[T]] = collections.deque()
        ahead = iter(chunks)
        for part in itertools.islice(ahead, 2 * jobs):
            pending.append(pool.submit(_run_chunk, func, root, settings, part, extra))
        used = done = 0
        while pending:
            result = pending.popleft().result()
            for part in itertools.islice(ahead, 1):
                pending.append(pool.submit(_run_chunk, func, root, settings, part, extra))
            used += len(chunks[done])
            done += 1
            if progress is not None:
                progress(used, len(folders))
            yield result
            del result
