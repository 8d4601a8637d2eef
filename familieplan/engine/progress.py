"""Who watches the progress of `each_chunk` (apart from it, so that a run that starts no
workers does not import multiprocessing to set it)."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

Progress = Callable[[int, int], None]
_progress: contextvars.ContextVar[Progress | None] = contextvars.ContextVar("familieplan_progress", default=None)


@contextlib.contextmanager
def reporting_progress(callback: Progress | None) -> Iterator[None]:
    """Within the block, `each_chunk` calls `callback(done, total)` with the number of case
    folders done as chunks finish. The presentation layer passes a progress bar; the core
    knows nothing of terminals."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


def current_progress() -> Progress | None:
    return _progress.get()
