"""Print problems: one line format for people, editors and CI, plus JSON for tools.

The text reporter quotes the offending line, as it was read, with `^^^` under the value
(hledger-style); the first line of each problem is always
`path:line:col: level code: message`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import IO

from familieplan.commands.cases import Skipped
from familieplan.format.cpr import mask_cpr
from familieplan.problems import Problem, visible


def _excerpt(problem: Problem) -> tuple[str, str] | None:
    """The quoted line (as it was read, CPR-masked, controls as '?') and the ^^^ marker."""
    if problem.quote is None:
        return None
    # Never show a CPR-shaped number, whichever problem the line is quoted for.
    line = mask_cpr(problem.quote)
    if not line.isprintable():
        line = "".join(ch if ch.isprintable() else "?" for ch in line)
    col = max(problem.source.column - 1, 0)
    rest = line[col:]
    token = rest.split(" #")[0]
    if problem.code in ("unknown-key", "duplicate-key"):
        token = token.split(":")[0]
    width = len(token.rstrip()) if rest.strip() else 1
    width = max(1, min(width, 60))
    return line, " " * col + "^" * width


_STYLES = {"error": "\x1b[1;31m", "warning": "\x1b[33m", "dim": "\x1b[2m", "hint": "\x1b[36m"}
_RESET = "\x1b[0m"


def _use_color(out: IO[str], color: bool | None) -> bool:
    if color is not None:
        return color
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def text_report(problems: list[Problem], out: IO[str], summary: str = "", color: bool | None = None) -> None:
    """The line, the quoted source with ^^^ under the place, the hint. Written directly
    (colours as plain SGR codes on a terminal): constant work per problem, so 60,000
    problems print as fast as their JSON, and nothing in a quoted line is interpreted."""
    paint = _use_color(out, color)

    def styled(style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if paint else text

    chunk: list[str] = []
    for problem in problems:
        chunk.append(f"{problem.source}: {styled(problem.level, f'{problem.level} {problem.code}')}: "
                     f"{visible(problem.message)}\n")
        excerpt = _excerpt(problem)
        if excerpt:
            chunk.append(f"    {styled('dim', excerpt[0])}\n    {styled(problem.level, excerpt[1])}\n")
        if problem.hint:
            chunk.append(f"    {styled('hint', 'hint:')} {visible(problem.hint)}\n")
        if len(chunk) > 4096:
            out.write("".join(chunk))
            chunk.clear()
    if summary:
        chunk.append(summary + "\n")
    out.write("".join(chunk))


def plain_report(problems: list[Problem], out: IO[str], summary: str = "") -> None:
    for problem in problems:
        out.write(problem.format_line() + "\n")
    if summary:
        out.write(summary + "\n")


def json_report(problems: list[Problem], out: IO[str], summary: str = "") -> None:
    json.dump([p.as_json() for p in problems], out, ensure_ascii=False, indent=2)
    out.write("\n")


REPORTERS: dict[str, Callable[..., None]] = {
    "text": text_report,
    "plain": plain_report,
    "json": json_report,
}


def skipped_line(item: Skipped) -> str:
    """One line for a case a command left out because its files do not validate."""
    errors = f"{item.errors} error{'' if item.errors == 1 else 's'}"
    return (f"{item.path}: skipped: the case has {errors}; "
            f"run 'familieplan validate {item.path}' to see them")


def summary_line(errors: int, warnings: int, files: int, cases: int) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    verdict = "no problems" if not errors and not warnings else f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    return f"{verdict} in {plural(files, 'file')} ({plural(cases, 'case')})"
