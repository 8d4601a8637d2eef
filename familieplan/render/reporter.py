"""What a reporter is: the one signature of every command's output in every format.

Its own module so that each render module can name the type of its `REPORTERS` without
importing the table of them (`render/reporters.py`), which imports every render module.
"""

from __future__ import annotations

from typing import IO, Any, Protocol


class Reporter(Protocol):
    """`reporter(result, out, lang, color)`: the command's result (plain data from
    `familieplan.commands`), the stream to write to, the reader's language and whether to
    colour (None: as `render/terminal.console` decides; False: plain text for a file)."""

    def __call__(self, result: Any, out: IO[str], lang: str, color: bool | None = None, /) -> None: ...
