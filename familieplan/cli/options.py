"""What the commands share: option declarations, output formats, dates, the language rule's
use, progress, shell completion, and the lines for what was written or left out."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator, Sequence
from enum import Enum
from pathlib import Path

import typer

from familieplan.problems import N_, UsageError


def _cli_words(lang: str):  # type: ignore[no-untyped-def]
    """The catalog for the command line's own lines ('created', 'wrote', errors)."""
    from familieplan.render.catalog import catalog

    return catalog(lang)


def _lang(value: str | None, settings=None, *, workspace: Path | None = None) -> str:  # type: ignore[no-untyped-def]
    """The one language rule (render/language.py): --lang, else the workspace's `language` —
    from the `settings` a command has read, else read from `workspace` (or the workspace
    found from the current folder) — else the locale's."""
    from familieplan.render.language import language, workspace_language

    return language(value, settings.language if settings is not None else workspace_language(workspace))


def _early_language(words: list[str]) -> str:
    """The language of a line written before (or without) the command's own reading of the
    settings — an error line now, `--help` once it is translated: the one rule applied to
    the --lang and --workspace of the command line as given."""
    given = workspace = None
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if word == "--lang" and following in ("da", "en"):
            given = following
        elif word in ("--lang=da", "--lang=en"):
            given = word[7:]
        elif word in ("--workspace", "-w") and following is not None:
            workspace = Path(following)
        elif word.startswith("--workspace="):
            workspace = Path(word[12:])
    return _lang(given, workspace=workspace)


def _completion_root(ctx: typer.Context) -> Path | None:
    """The workspace a completion reads: --workspace if already typed, else found from the
    current folder; None when there is none (a completion never raises)."""
    workspace = ctx.params.get("workspace")  # a str or a Path, by typer's version
    try:
        return _root(Path(workspace) if workspace else None)
    except Exception:  # noqa: BLE001 - a shell completion offers nothing rather than fail
        return None


def _complete_case(ctx: typer.Context, incomplete: str) -> list[str]:
    from familieplan.commands.names import case_ids

    root = _completion_root(ctx)
    return case_ids(root, incomplete) if root else []


def _line_case(ctx: typer.Context, args: list[str], root: Path) -> str | None:
    """The case argument of the line being completed, when typed: a word of the line that
    is one of the case ids (typer parses the line resiliently and may leave the argument out
    of ctx.params; the shell's words are in the environment of the completion call)."""
    import os

    from familieplan.commands.names import case_ids

    known = set(case_ids(root))
    words = [*args, *(os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or "").split()]
    case = ctx.params.get("case") or next((w for w in words if Path(w.rstrip("/")).name in known), None)
    return Path(case.rstrip("/")).name if isinstance(case, str) else None


def _complete_person(ctx: typer.Context, args: list[str], incomplete: str) -> list[tuple[str, str]]:
    from familieplan.commands.names import people_ids

    root = _completion_root(ctx)
    if root is None:
        return []
    return people_ids(root, _line_case(ctx, args, root), incomplete)


def _complete_in_case(kind: str):  # type: ignore[no-untyped-def]
    """A shell completion of one kind of id inside the case named on the line (names.CASE_ID_KINDS)."""
    def complete(ctx: typer.Context, args: list[str], incomplete: str) -> list[tuple[str, str]]:
        from familieplan.commands.names import case_item_ids

        root = _completion_root(ctx)
        return case_item_ids(root, _line_case(ctx, args, root), kind, incomplete) if root else []

    complete.__name__ = f"complete_{kind}"
    return complete


# Shell completion of every id argument, for any command's options and arguments
# (`autocompletion=complete_agreement`): the case's ids with what each is.
complete_case = _complete_case
complete_person = _complete_person
complete_agreement = _complete_in_case("agreements")
complete_question = _complete_in_case("questions")
complete_goal = _complete_in_case("goals")
complete_intervention = _complete_in_case("interventions")
complete_consent = _complete_in_case("consents")
complete_meeting = _complete_in_case("meetings")


def _complete_meeting(ctx: typer.Context, incomplete: str) -> list[str]:
    from familieplan.commands.names import meeting_files

    root = _completion_root(ctx)
    return meeting_files(root, incomplete) if root else []


class _Choice(str, Enum):
    """A closed set of option values: typer lists them in --help and rejects others (exit 2).
    The members are the plain strings everywhere else (compared, formatted, used as keys)."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(str(self), spec)


class ValidateFormat(_Choice):
    text = "text"
    json = "json"
    plain = "plain"
    github = "github"


class LoadFormat(_Choice):
    text = "text"
    json = "json"
    md = "md"
    csv = "csv"
    github = "github"


class TableFormat(_Choice):
    text = "text"
    json = "json"
    md = "md"
    csv = "csv"


class CsvSep(_Choice):
    semicolon = ";"
    comma = ","
    tab = "tab"


class ReportFormat(_Choice):
    text = "text"
    json = "json"
    md = "md"


class ListFormat(_Choice):
    text = "text"
    json = "json"


class OutcomeFormat(_Choice):
    text = "text"
    json = "json"
    md = "md"
    html = "html"
    csv = "csv"


class DocumentFormat(_Choice):
    md = "md"
    html = "html"
    pdf = "pdf"


class Language(_Choice):
    da = "da"
    en = "en"


WorkspaceOpt = typer.Option(None, "--workspace", "-w", help="The workspace folder (default: found from the current folder).",
                            file_okay=False)


FormatOpt = typer.Option("text", "--format", "-f", help="Output format.")

StrictOpt = typer.Option(False, "--strict", help="Warnings fail too (exit 1).")

CsvSepOpt = typer.Option(None, "--csv-sep", help="Separator of --format csv (default: ';' in Danish, ',' in English).")


ForceOpt = typer.Option(False, "--force", help="Overwrite existing files.")

LangOpt = typer.Option(None, "--lang", help="Language of the output (default: the workspace's, else the locale's: "
                       "LANGUAGE, LC_ALL, LANG; else Danish).")


CaseArg = typer.Argument(..., help="Case id or folder.", autocompletion=_complete_case)

CasesArg = typer.Argument(None, help="Case ids or folders (default: every active case).", autocompletion=_complete_case)


JobsOpt = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes for large workspaces (default: one per core).")

NoCacheOpt = typer.Option(False, "--no-cache", help="Read every case again instead of reusing unchanged results.")


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(N_("{option} {value}: not a date; write it as YYYY-MM-DD"), option=name, value=value) from None
    if not 1900 <= day.year <= 2199:
        raise UsageError(N_("{option} {value}: outside the years 1900–2199"), option=name, value=value)
    return day


def _window(date_from: str | None, date_to: str | None) -> tuple[dt.date | None, dt.date | None]:
    window = (_date(date_from, "--from"), _date(date_to, "--to"))
    if window[0] and window[1] and window[0] > window[1]:
        raise UsageError(N_("--from is after --to"))
    return window


def _today(value: str | None, option: str = "--today") -> dt.date:
    """The day a command counts from: --today (or the option named), else the real date in
    Copenhagen."""
    from familieplan.clock import today_or

    return today_or(_date(value, option))


@contextlib.contextmanager
def _progress(label: str) -> Iterator[None]:
    """A progress bar on stderr while the cases are read and checked: only on a terminal
    and only for a run that lasts (render/terminal.ProgressBar); the core gets a callable."""
    from familieplan.engine.progress import reporting_progress
    from familieplan.render.terminal import ProgressBar

    bar = ProgressBar(label)
    try:
        with reporting_progress(bar):
            yield
    finally:
        bar.close()


def _root(workspace: Path | None, names: Sequence[str | Path] | None = None) -> Path:
    from familieplan.workspace.paths import workspace_root

    return workspace_root(workspace, names or [])


def _print_created(created, lang: str) -> None:  # type: ignore[no-untyped-def]
    _ = _cli_words(lang).gettext
    for path in created.paths:
        typer.echo(_("created {path}").format(path=path))
    for note in getattr(created, "notes", ()):
        typer.echo(_(note))
    if created.next_command:
        typer.echo(_("next: {command}").format(command=created.next_command))


def _print_written(paths, lang: str) -> None:  # type: ignore[no-untyped-def]
    _ = _cli_words(lang).gettext
    for path in paths:
        typer.echo(_("wrote {path}").format(path=path))


class _Problems:
    """The problems of loading, for commands whose result is not yet made."""

    def __init__(self, problems) -> None:  # type: ignore[no-untyped-def]
        self.problems = problems


TodayOpt = typer.Option(None, "--today", help="The date to count from (default: today's date).")

def _exit_on_settings_invalid(command: str, result, fmt: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 1 when familieplan.yaml does not validate (every case depends on it): the
    command's own JSON object (with its `problems`) on stdout for --format json, else the
    problems on stderr. An invalid case is skipped and reported by `_report_skipped` instead."""
    from familieplan.render.reporters import report
    from familieplan.workspace.paths import SETTINGS_FILE

    problems = [p for p in result.problems if p.source.path.endswith(SETTINGS_FILE)]
    if any(p.level == "error" for p in problems):
        if fmt in ("json", "github"):  # the command's own object; annotations where CI reads them
            report(command if fmt == "json" else "invalid", result if fmt == "json" else _Problems(problems),
                   fmt, sys.stdout, lang)
        else:
            report("invalid", _Problems(problems), "text", sys.stderr, lang)
        raise typer.Exit(1)


def _report_caseload(command: str, result, fmt: str, lang: str | None,  # type: ignore[no-untyped-def]
                     csv_sep: str | None = None) -> None:
    """A caseload command's result in its format on standard output (after the settings'
    problems, which stop it), then one line per case it left out as invalid."""
    from familieplan.render.reporters import report

    language = _lang(lang, result.settings)
    _exit_on_settings_invalid(command, result, fmt, language)
    report(command, result, fmt, sys.stdout, language, csv_sep=csv_sep)
    _report_skipped(result.skipped, language)


def _report_skipped(skipped, lang: str) -> None:  # type: ignore[no-untyped-def]
    """One line on stderr per case left out because it is invalid (the exit code is 1)."""
    from familieplan.render.problems import skipped_line
    from familieplan.render.terminal import Writer

    with Writer(sys.stderr) as lines:
        for item in skipped:
            lines.line(skipped_line(item, lang), hang=4)


RenderFormatOpt = typer.Option("md", "--format", "-f", help="Output format (pdf: PDF/A, for the records system).")

NoRecordOpt = typer.Option(False, "--no-record", help="Do not record the documents in the case's disclosures.yaml (a test run).")


DocTodayOpt = typer.Option(None, "--today", help="The day the document is made as of: decides the current phase, and the "
                           "consents must be in force on it (default: today's date).")


RenderFormatOpt = typer.Option("md", "--format", "-f", help="Output format.")

ForOpt = typer.Option(None, "--for", help="Render for this person or professional (what consent allows), or 'all'.",
                      autocompletion=_complete_person)


OutputOpt = typer.Option(None, "--output", "-o", help="File or folder to write ('-': standard output). Default: output/<case>/.")

NowOpt = typer.Option(None, "--now", hidden=True, help="Fixed time of rendering (YYYY-MM-DDTHH:MM), for reproducible output.")
