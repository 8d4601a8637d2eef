"""The terminal: colour by the no-color.org rule, consoles as wide as the terminal, and a
progress bar on standard error for long runs.

Every rich console of the reporters is made by `console`, so that `NO_COLOR` (present and
not empty) and `TERM=dumb` switch colour off everywhere, and the width is rich's own
(`COLUMNS`, else the terminal's, else 80), never a fixed number.
"""

from __future__ import annotations

import os
import re
import sys
import time
from typing import IO, Any

PROGRESS_DELAY = 1.0  # seconds of silence before a bar is worth showing


def no_color() -> bool:
    """True when the environment asks for no colour (no-color.org: NO_COLOR set and not empty)."""
    return os.environ.get("NO_COLOR", "") != "" or os.environ.get("TERM") == "dumb"


def use_color(out: IO[str], color: bool | None) -> bool:
    """Colour for a stream: as asked, else only on a terminal and when the environment allows."""
    if color is not None:
        return color
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty()) and not no_color()


def console(out: IO[str], color: bool | None, **options: Any):  # type: ignore[no-untyped-def]
    """A rich console on `out`: colour forced only when `color` is True, off when it is
    False, else rich's own check (a terminal, `NO_COLOR`, `TERM`)."""
    from rich.console import Console

    return Console(file=out, highlight=False, emoji=False, force_terminal=color,
                   no_color=True if color is False or no_color() else None, **options)


# Select Graphic Rendition codes of the few styles the line reports use.
_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}
# What rich strips from printed text (bell, backspace, vertical tab, form feed, carriage
# return): a line written here is what rich's console would have printed.
_STRIP = re.compile("[\x07\x08\x0b\x0c\r]")


class Lines:
    """Line-oriented output written directly, with colour as plain SGR codes: what a rich
    console prints for markup-free lines with `soft_wrap=True`, at constant work per line
    (rich's console costs about 150 µs a line: 140,000 lines of a caseload's check-load
    took 22 s). Text is written as given (no markup), so user text needs no escaping."""

    def __init__(self, out: IO[str], color: bool | None) -> None:
        self.out = out
        self.paint = use_color(out, color)
        self._chunk: list[str] = []

    def style(self, style: str, text: str) -> str:
        """`text` in a style ('bold red', 'dim'), when colour is on."""
        if not self.paint or not text:
            return text
        return f"\x1b[{';'.join(_SGR[word] for word in style.split())}m{text}\x1b[0m"

    def line(self, text: str = "") -> None:
        self._chunk.append(text)
        if len(self._chunk) >= 4096:
            self.flush()

    def flush(self) -> None:
        if self._chunk:
            text = "\n".join(self._chunk) + "\n"
            self.out.write(_STRIP.sub("", text) if _STRIP.search(text) else text)
            self._chunk.clear()

    def __enter__(self) -> Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()


class ProgressBar:
    """A callable `(done, total)` for `familieplan.engine.progress.reporting_progress`:
    a rich progress bar on standard error, shown only when it is a terminal and only once
    the run has lasted `delay` seconds (a short run stays silent); gone when it is done."""

    def __init__(self, label: str, stream: IO[str] | None = None, delay: float | None = None) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        env = os.environ.get("FAMILIEPLAN_PROGRESS_DELAY", "")
        self.delay = delay if delay is not None else (float(env) if env.replace(".", "", 1).isdigit() else PROGRESS_DELAY)
        self.started = time.monotonic()
        self.enabled = bool(getattr(self.stream, "isatty", None) and self.stream.isatty())
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            if time.monotonic() - self.started < self.delay or done >= total:
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=console(self.stream, None), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=total)
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
