"""What a rich console made by `terminal.console` would do on a stream, decided without
importing rich: how wide it lays text out and which styles it writes (rich's
`Console.size`, `is_terminal`, `is_dumb_terminal`, `no_color`, `ascii_only`).

`screen` answers None where rich's own console must decide: Windows (its legacy console
and box substitutions), Jupyter, an output encoding other than UTF-8 (rich draws an
ASCII box), a `COLUMNS` or `LINES` that rich would fail to read."""

from __future__ import annotations

import builtins
import os
import sys
from dataclasses import dataclass
from typing import IO

from familieplan.render.terminal import no_color

# The styles the tables and lines here use, as Select Graphic Rendition codes: with
# colour, and with `NO_COLOR` on a terminal (rich then keeps bold, dim and italic only).
_CODES = {"bold": "1", "dim": "2", "italic": "3", "red": "31", "yellow": "33", "bold red": "1;31"}
_ATTRIBUTES = {"bold": "1", "dim": "2", "italic": "3", "red": "", "yellow": "", "bold red": "1"}
_NONE = dict.fromkeys(_CODES, "")


@dataclass(frozen=True)
class Screen:
    """The width a rich console lays text out at, and the codes of its styles ('' when a
    style shows nothing)."""

    width: int
    codes: dict[str, str]

    def paint(self, style: str | None, text: str) -> str:
        """`text` in `style` as rich writes one segment of it."""
        code = self.codes[style] if style else ""
        return f"\x1b[{code}m{text}\x1b[0m" if code and text else text


def screen(out: IO[str], color: bool | None) -> Screen | None:
    """The screen of `terminal.console(out, color)`, or None where only rich can tell."""
    if sys.platform == "win32" or hasattr(builtins, "get_ipython"):
        return None
    encoding = (getattr(out, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):
        return None
    env = os.environ
    terminal = _is_terminal(out, color)
    dumb = terminal and env.get("TERM", "").lower() in ("dumb", "unknown")
    width = _width(dumb)
    if width is None:
        return None
    if not terminal or dumb:
        return Screen(width, _NONE)
    return Screen(width, _ATTRIBUTES if no_color() else _CODES)


def _is_terminal(out: IO[str], color: bool | None) -> bool:
    if color is not None:
        return color
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return False
    env = os.environ
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = env.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    isatty = getattr(out, "isatty", None)
    try:
        return False if isatty is None else bool(isatty())
    except ValueError:
        return False


def _number(name: str) -> int | None | bool:
    """An environment variable rich reads as a number: its value, None when unset or not
    digits, False when rich would fail to read it."""
    value = os.environ.get(name)
    if value is None or not value.isdigit():
        return None
    try:
        return int(value)
    except ValueError:
        return False


def _width(dumb: bool) -> int | None:
    columns, lines = _number("COLUMNS"), _number("LINES")
    if columns is False or lines is False:
        return None
    if columns is not None and lines is not None:
        return int(columns)
    if dumb:
        return 80
    found = 0
    for descriptor in (0, 1, 2):
        try:
            found = os.get_terminal_size(descriptor)[0]
        except (AttributeError, ValueError, OSError):
            continue
        break
    return int(columns) if columns is not None else (found or 80)
