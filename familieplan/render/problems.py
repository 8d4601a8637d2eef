"""Print problems: one line format for people, editors and CI, plus JSON for tools.

The text reporter quotes the offending line, as it was read, with `^^^` under the value
(hledger-style); the first line of each problem is always
`path:line:col: level code: message`.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from familieplan.commands.validate import Validation
from familieplan.engine.cases import Skipped
from familieplan.format.cpr import mask_cpr
from familieplan.problems import Problem, visible
from familieplan.render.catalog import catalog
from familieplan.render.jsonout import problem_rows, write_json
from familieplan.render.messages import problem_line, problem_text
from familieplan.render.terminal import Writer

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter


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
    elif _in_flow(line[:col]):
        token = _flow_item(token)
    width = len(token.rstrip()) if rest.strip() else 1
    width = max(1, min(width, 60))
    return line, " " * col + "^" * width


def _in_flow(before: str) -> bool:
    """Whether the place is an item of a flow list or mapping (`[mor, nobody]`): the
    text before it ends with the opening bracket or a comma."""
    return before.rstrip().endswith(("[", "{", ","))


def _flow_item(token: str) -> str:
    """The one item at the start of `token`: a quoted scalar up to its closing quote,
    else up to the next `,`, `]` or `}`."""
    if token[:1] in ("'", '"'):
        end = token.find(token[0], 1)
        return token[:end + 1] if end > 0 else token
    for index, ch in enumerate(token):
        if ch in ",]}":
            return token[:index]
    return token


_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan", "dim": "dim", "hint": "cyan"}


def text_report(problems: list[Problem], out: IO[str], summary: str = "", color: bool | None = None,
                lang: str = "en", note: str = "") -> None:
    """The line, the quoted source with ^^^ under the place, the hint, in the reader's
    language, then the summary (red with an error, yellow with a warning, else green).
    Nothing in a quoted line is interpreted as markup."""
    levels = {p.level for p in problems}
    style = "bold red" if "error" in levels else "yellow" if "warning" in levels else "green"
    with Writer(out, color) as lines:
        for problem in problems:
            problem_lines(lines, problem, lang)
        if note:
            lines.line((note, "yellow"))
        if summary:
            lines.line((summary, style))


def problem_lines(lines: Writer, problem: Problem, lang: str) -> None:
    """One problem of `text_report`: its line (`path:line:col: level code: message`), the
    quoted source with ^^^ under the place (never wrapped: a long line is shown around
    the place), the hint."""
    cat = catalog(lang)
    message, hint_text = problem_text(problem, lang)
    level = _STYLES.get(problem.level)
    lines.line(f"{problem.source}: ", (f"{cat.level(problem.level)} {problem.code}", level), f": {visible(message)}",
               hang=4)
    excerpt = _excerpt(problem)
    if excerpt:
        quote, marker = _around(*excerpt, lines.width)
        lines.line((quote, "dim"), indent=4, wrap=False)
        lines.line((marker, level), indent=4, wrap=False)
    if hint_text:
        lines.line((cat.gettext("hint:"), "cyan"), f" {visible(hint_text)}", indent=4)


def _around(quote: str, marker: str, width: int | None) -> tuple[str, str]:
    """The quoted line and its marker cut to what a terminal of `width` shows after the
    indentation, around the place: '…' where text is left out."""
    room = (width or 0) - 4
    if width is None or len(quote) <= room or room < 20:
        return quote, marker
    col = len(marker) - len(marker.lstrip(" "))
    start = max(0, min(col - room // 3, len(quote) - room))
    shown = quote[start:start + room]
    if start:
        shown = "…" + shown[1:]
    if start + room < len(quote):
        shown = shown[:-1] + "…"
    return shown, marker[start:start + room]


def plain_report(problems: list[Problem], out: IO[str], summary: str = "", lang: str = "en", note: str = "") -> None:
    for problem in problems:
        out.write(problem_line(problem, lang) + "\n")
    if note:
        out.write(note + "\n")
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


def held_back_line(validation: Validation, lang: str) -> str:
    """How many problems were held back (`engine.first_error`); empty when none were."""
    if not validation.held_back:
        return ""
    return catalog(lang).ngettext(
        "{n} more problem only follows from an error above; it is shown when that is fixed",
        "{n} more problems only follow from the errors above; they are shown when those are fixed",
        validation.held_back).format(n=validation.held_back)


def validate_text(result: Validation, out: IO[str], lang: str, color: bool | None = None) -> None:
    text_report(result.problems, out, summary_line(result, lang), color, lang, held_back_line(result, lang))


def skipped_line(item: Skipped, lang: str = "en") -> str:
    """One line for a case a command left out because its files do not validate."""
    cat = catalog(lang)
    errors = cat.ngettext("{n} error", "{n} errors", item.errors).format(n=item.errors)
    return cat.gettext("{path}: skipped: the case has {errors}; run 'familieplan validate {path}' to see them").format(
        path=item.path, errors=errors)


def validate_plain(result: Validation, out: IO[str], lang: str, color: bool | None = None) -> None:
    plain_report(result.problems, out, summary_line(result, lang), lang, held_back_line(result, lang))


def validate_json(result: Validation, out: IO[str], lang: str, color: bool | None = None) -> None:
    write_json(out, {"problems": problem_rows(result.problems, lang)},
               {"errors": result.errors, "warnings": result.warnings, "files": result.files, "cases": result.cases,
                "held_back": result.held_back})


def invalid_text(result: Any, out: IO[str], lang: str, color: bool | None = None) -> None:
    """The problems that stop check-load, due, status, export-ics or a rendering."""
    text_report(result.problems, out, catalog(lang).gettext("the files do not validate; fix them first"), color, lang)


def validate_github(result: Validation, out: IO[str], lang: str, color: bool | None = None) -> None:
    """GitHub Actions annotations, one per problem (render/annotations.py)."""
    from familieplan.render.github import write_annotation, write_problems

    write_problems(out, result.problems, lang)
    if getattr(result, "held_back", 0):  # a notice saying how many were held back (`engine.first_error`)
        write_annotation(out, "info", None, "held-back", held_back_line(result, lang))


def invalid_github(result: Any, out: IO[str], lang: str, color: bool | None = None) -> None:
    """The problems that stop a command, as annotations (`check-load --format github`)."""
    validate_github(result, out, lang, color)


REPORTERS: dict[str, Reporter] = {"text": validate_text, "json": validate_json, "plain": validate_plain,
                                  "github": validate_github}
INVALID: dict[str, Reporter] = {"text": invalid_text, "github": invalid_github}
