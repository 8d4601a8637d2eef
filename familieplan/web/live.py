"""Live reload: watch the workspace's files and tell open pages (server-sent events).

One watcher per server (watchfiles, in the server's event loop); each change of a YAML
file or a template bumps a generation number, which also tells the page memo that what
it holds is out of date. The pages' script (/static/live.js) reloads on a `change` event.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from watchfiles import Change, awatch

WATCHED = (".yaml", ".yml", ".j2")
IGNORED_DIRS = ("output", ".git")
KEEP_ALIVE = 15.0


class Watcher:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.generation = 0
        self.running = False
        self._stop = asyncio.Event()
        self._tick = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def watched(self, _change: Change, path: str) -> bool:
        """Workspace files only: never the access log or rendered output (that would
        reload every page each time a page is served)."""
        try:
            parts = Path(path).resolve().relative_to(self.root).parts
        except ValueError:
            return False
        return bool(parts) and parts[0] not in IGNORED_DIRS and path.endswith(WATCHED)

    def changed(self) -> None:
        self.generation += 1
        tick, self._tick = self._tick, asyncio.Event()
        tick.set()

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.running = True
        try:
            async for _ in awatch(self.root, watch_filter=self.watched, stop_event=self._stop, debounce=200,
                                  step=50):
                self.changed()
        finally:
            self.running = False

    def stop(self) -> None:
        self._stop.set()
        self._tick.set()

    def stop_soon(self) -> None:
        """Stop from outside the event loop (the Ctrl-C handler): open event streams end,
        so the server can close their connections at once."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.stop)

    async def events(self) -> AsyncIterator[str]:
        """The event stream of one page: a `change` event after each change, a comment
        now and then so that proxies and the browser keep the connection."""
        seen = self.generation
        yield "retry: 3000\n\n"
        while not self._stop.is_set():
            tick = self._tick
            try:
                await asyncio.wait_for(tick.wait(), KEEP_ALIVE)
            except asyncio.TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if self.generation != seen and not self._stop.is_set():
                seen = self.generation
                yield f"event: change\ndata: {seen}\n\n"
