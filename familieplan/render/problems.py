"""Print problems: one line format for people, editors and CI, plus JSON for tools.

The text reporter quotes the offending line with `^^^` under the value (hledger-style)
when writing to a terminal-like console; the first line of each problem is always
`path:line:col: level code: message`.
"""

from __future__ import annotations

from typing import IO, Any

from familieplan.commands.validate import Validation
from familieplan.format.cpr import mask_cpr
from familieplan.problems import Problem
from familieplan.render.catalog import catalog
from familieplan.render.jsonout import problem_json, write_json
from familieplan.render.messages import problem_line, problem_text


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


def text_report(problems: list[Problem], out: IO[str], summary: str = "", color: bool | None = None,
                lang: str = "en") -> None:
    """Rich text: the line, the quoted source with ^^^ under the place, the hint."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=color,
                      no_color=color is False)
    cat = catalog(lang)
    hint = cat.gettext("hint:")
    cache: dict[str, list[str] | None] = {}
    for problem in problems:
        style = "bold red" if problem.level == "error" else "yellow"
        message, hint_text = problem_text(problem, lang)
        console.print(f"{escape(str(problem.source))}: [{style}]{cat.level(problem.level)} {problem.code}[/]: "
                      f"{escape(message)}")
        excerpt = _excerpt(problem, cache)
        if excerpt:
            console.print(f"    [dim]{escape(excerpt[0])}[/]")
            console.print(f"    [{style}]{excerpt[1]}[/]")
        if hint_text:
            console.print(f"    [cyan]{escape(hint)}[/] {escape(hint_text)}")
    if summary:
        console.print(escape(summary))


def plain_report(problems: list[Problem], out: IO[str], summary: str = "", lang: str = "en") -> None:
    for problem in problems:
        out.write(problem_line(problem, lang) + "\n")
    if summary:
        out.write(summary + "\n")


def summary_line(validation: Validation, lang: str) -> str:
    """'no problems in 12 files (3 cases)' / '2 errors, 1 warning in 12 files (3 cases)'."""
    cat = catalog(lang)
    files = cat.ngettext("{n} file", "{n} files", validation.files).format(n=validation.files)
    cases = cat.ngettext("{n} case", "{n} cases", validation.cases).format(n=validation.cases)
    if not validation.errors and not validation.warnings:
        return cat.gettext("no problems in {files} ({cases})").format(files=files, cases=cases)
    errors = cat.ngettext("{n} error", "{n} errors", validation.errors).format(n=validation.errors)
    warnings = cat.ngettext("{n} warning", "{n} warnings", validation.warnings).format(n=validation.warnings)
    return cat.gettext("{errors}, {warnings} in {files} ({cases})").format(errors=errors, warnings=warnings,
                                                                         files=files, cases=cases)


def validate_text(result: Validation, out: IO[str], lang: str, color: bool | None = None) -> None:
    text_report(result.problems, out, summary_line(result, lang), color, lang)


def validate_plain(result: Validation, out: IO[str], lang: str, color: bool | None = None) -> None:
    plain_report(result.problems, out, summary_line(result, lang), lang)


def validate_json(result: Validation, out: IO[str], lang: str, color: bool | None = None) -> None:
    write_json(out, {"problems": [problem_json(p, lang) for p in result.problems]},
               {"errors": result.errors, "warnings": result.warnings, "files": result.files, "cases": result.cases})


def invalid_text(result: Any, out: IO[str], lang: str, color: bool | None = None) -> None:
    """The problems that stop check-load, due, status, export-ics or a rendering."""
    text_report(result.problems, out, catalog(lang).gettext("the files do not validate; fix them first"), color, lang)
