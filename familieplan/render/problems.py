"""Print problems: one line format for people, editors and CI, plus JSON for tools.

The text reporter quotes the offending line with `^^^` under the value (hledger-style)
when writing to a terminal-like console; the first line of each problem is always
`path:line:col: level code: message`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO

from familieplan.commands.cases import Skipped
from familieplan.format.cpr import mask_cpr
from familieplan.problems import Problem


def _excerpt(problem: Problem, cache: dict[str, list[str] | None]) -> tuple[str, str] | None:
    path = problem.source.path
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                cache[path] = handle.read(1_100_000).splitlines()
        except OSError:
            cache[path] = None
    lines = cache[path]
    if not lines or not 1 <= problem.source.line <= len(lines):
        return None
    line = lines[problem.source.line - 1]
    # Never show a CPR-shaped number, whichever problem the line is quoted for.
    line = mask_cpr(line)
    line = "".join(ch if ch.isprintable() else "?" for ch in line)
    col = max(problem.source.column - 1, 0)
    rest = line[col:]
    token = rest.split(" #")[0]
    if problem.code in ("unknown-key", "duplicate-key"):
        token = token.split(":")[0]
    width = len(token.rstrip()) if rest.strip() else 1
    width = max(1, min(width, 60))
    return line, " " * col + "^" * width


def text_report(problems: list[Problem], out: IO[str], summary: str = "", color: bool | None = None) -> None:
    """Rich text: the line, the quoted source with ^^^ under the place, the hint."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=color,
                      no_color=color is False)
    cache: dict[str, list[str] | None] = {}
    for problem in problems:
        style = "bold red" if problem.level == "error" else "yellow"
        console.print(f"{escape(str(problem.source))}: [{style}]{problem.level} {problem.code}[/]: "
                      f"{escape(problem.message)}")
        excerpt = _excerpt(problem, cache)
        if excerpt:
            console.print(f"    [dim]{escape(excerpt[0])}[/]")
            console.print(f"    [{style}]{excerpt[1]}[/]")
        if problem.hint:
            console.print(f"    [cyan]hint:[/] {escape(problem.hint)}")
    if summary:
        console.print(summary)


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
