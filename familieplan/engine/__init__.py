"""Running a command over cases: which folders, loading and checking each one (over the
cores for a large workspace), and the store that keeps each case's results between runs
while its files are unchanged. The commands give the work; the engine gives back data."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a caseload's results are made or read: loading and
    checking a chunk of cases, or reading every case's entry from the store, builds many
    small objects without reference cycles, and each collection would rescan all of them
    (reading 2,000 cases' entries took twice as long with collections on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
