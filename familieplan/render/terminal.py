"""The terminal: one console decides colour and width for every text report, and a
progress bar on standard error for long runs.

`console` is the only place that decides, and it decides as rich's Console does: colour
on a terminal; `FORCE_COLOR` set and not empty colours a pipe too; `NO_COLOR` set and not
empty takes colour away (bold and dim stay, no-color.org); `TERM=dumb` takes every style
away; a caller's `color` overrides all of them (True: colour; False: plain text for a
file, neither coloured nor wrapped). On a terminal (or a stream treated as one) the width
is `COLUMNS` when it is set, else the terminal's; into a pipe or a file nothing is
wrapped (a tool or a CI log reading the output gets whole lines).

Every text report writes through `Writer`: rich `Text` (never markup, so user text is
printed as written), CPR-masked before it is wrapped (a number split across two lines
would escape the mask of the output stream), wrapped at words with continuation lines
indented under the first.
"""

from __future__ import annotations

import os
import re
import sys
import time
from typing import IO, TYPE_CHECKING, Any

from familieplan.format.cpr import mask_cpr

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

PROGRESS_DELAY = 1.0  # seconds of silence before a bar is worth showing
# The width a console lays out at when nothing is wrapped (a table still needs one).
UNWRAPPED = 10_000

# Control characters other than tab and newline, and the line separators and bidi
# overrides, written as escapes ('\\x1b', '\\u202e'): never sent to the terminal as they
# are (an escape sequence in a title would be obeyed, an override would reorder the line).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

Run = str | tuple[str, str | None]  # a piece of a line: its text, or its text and a rich style


def terminal_width(out: IO[str], color: bool | None = None) -> int | None:
    """The width to wrap `out` at, on a terminal (or a stream that is treated as one:
    `color` True, `FORCE_COLOR` set and not empty, or rich's `TTY_COMPATIBLE=1`): `COLUMNS`
    when set, else the
    terminal's; None (not wrapped) for a pipe or a file, whatever `COLUMNS` says (a tool or
    a CI log reading the output gets whole lines), and when `color` is False."""
    if color is False:
        return None
    try:
        tty = bool(out.isatty())
    except (AttributeError, ValueError, OSError):
        tty = False
    if not (tty or color or os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1"):
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(out.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


def console(out: IO[str], color: bool | None = None) -> Console:
    """The rich console of a text report on `out`: the one place that decides colour and
    width (the module's docstring says how). `color` None: as the environment says; True:
    coloured; False: plain text (a file), neither coloured nor wrapped."""
    from rich.console import Console

    width = terminal_width(out, color)
    return Console(file=out, force_terminal=color, highlight=False, emoji=False, markup=False,
                   width=width or UNWRAPPED, height=25, soft_wrap=width is None, tab_size=8)


def _rstripped(text: Text) -> Text:
    text.rstrip()
    return text


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


class Writer:
    """The lines of a text report, written through `console(out, color)`.

    `line(*runs, indent=, hang=)` takes pieces of text, each plain or with a rich style
    ('bold red', 'dim'); the line is indented `indent` spaces and, where the console
    wraps, its continuation lines `indent + hang`. `wrap=False` keeps a line whole (a
    quoted source line with its ^^^ marker) and crops it to the width instead."""

    def __init__(self, out: IO[str], color: bool | None = None) -> None:
        self.console = console(out, color)
        self.width: int | None = None if self.console.soft_wrap else self.console.width
        self._chunk: list[Text] = []

    def line(self, *runs: Run, indent: int = 0, hang: int = 2, wrap: bool = True) -> None:
        from rich.text import Text

        text = Text(tab_size=8)
        for run in runs:
            words, style = (run, None) if isinstance(run, str) else run
            text.append(words if words.isprintable() else _CONTROL.sub(_escape, words), style)
        masked = mask_cpr(text.plain)
        if masked != text.plain:
            text.plain = masked  # the same length: the styles stay where they were
        if self.width is None:
            self._chunk.append(Text(" " * indent) + text if indent else text)
        elif not wrap:
            text.truncate(max(self.width - indent, 1), overflow="ellipsis")
            self._chunk.append(Text(" " * indent) + text)
        else:
            self._chunk += self._wrapped(text, indent, hang)
        if len(self._chunk) >= 512:
            self.flush()

    def _wrapped(self, text: Text, indent: int, hang: int) -> list[Text]:
        """`text` in lines of at most the width: broken between words (a word longer than
        a line is folded), the first line indented `indent`, the others `indent + hang`."""
        from rich.cells import cell_len
        from rich.text import Text

        width = self.width or UNWRAPPED
        first_pad = min(indent, max(width - 10, 0))
        pad = min(indent + hang, max(width - 10, 0))
        out: list[Text] = []
        for piece in text.split("\n", allow_blank=True):
            piece.expand_tabs(8)
            if not out:  # the first line: `indent`, then the rest wrapped once at `indent + hang`
                if cell_len(piece.plain) <= width - first_pad:
                    out.append(Text(" " * first_pad) + piece)
                    continue
                taken = max(len(piece.wrap(self.console, width - first_pad, overflow="fold")[0].plain), 1)
                out.append(Text(" " * first_pad) + _rstripped(piece[:taken]))
                rest = piece[taken:]
                piece = rest[len(rest.plain) - len(rest.plain.lstrip(" ")):]
                if not piece.plain:
                    continue
            for line in piece.wrap(self.console, width - pad, overflow="fold"):
                out.append(Text(" " * pad) + _rstripped(line))
        return out

    def print(self, renderable: RenderableType) -> None:
        """A rich renderable (a table) after the lines so far."""
        self.flush()
        self.console.print(renderable)

    def flush(self) -> None:
        if self._chunk:
            from rich.text import Text

            self.console.print(Text("\n").join(self._chunk), soft_wrap=True)
            self._chunk.clear()

    def __enter__(self) -> Writer:
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
