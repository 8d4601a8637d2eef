"""The command line: each command parses options, calls one library function, prints.

Imports of the model, rich and jinja2 happen inside the commands so that `--help` stays
as fast as a bare typer app.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator, Sequence
from enum import Enum
from pathlib import Path

import typer
from typer.core import TyperGroup

from familieplan.problems import N_, UsageError


class _Group(TyperGroup):
    """Expected failures (FamilieplanError) and OS errors become one line on stderr, never
    a traceback (README, "Exit codes")."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        from familieplan.problems import FamilieplanError
        from familieplan.render.privacy import MaskingStream

        # The command line as given, for the language of an error line (click consumes it).
        words = [*getattr(ctx, "_protected_args", []), *ctx.args]
        # Every line the tool prints passes the CPR mask (README, "Privacy").
        out, err = sys.stdout, sys.stderr
        _replace_unwritable(out, err)
        sys.stdout, sys.stderr = MaskingStream(out), MaskingStream(err)  # type: ignore[assignment]
        try:
            try:
                try:
                    return super().invoke(ctx)
                finally:
                    sys.stdout.flush()  # a closed pipe or a full disk shows here, not at exit
                    _trace_cache()
            except FamilieplanError as exc:
                from familieplan.render.messages import error_line

                _echo_error(error_line(exc.message_id, exc.args_map, _early_language(words)))
                ctx.exit(exc.exit_code)
            except OSError as exc:
                _os_error(exc)
                ctx.exit(2)
        finally:
            try:
                sys.stderr.flush()
            except OSError:
                pass
            sys.stdout, sys.stderr = out, err


def _trace_cache() -> None:
    """With FAMILIEPLAN_CACHE_TRACE set, what the cache did, on stderr (for tests and bench)."""
    import os

    if os.environ.get("FAMILIEPLAN_CACHE_TRACE") and "familieplan.engine.store" in sys.modules:
        from familieplan.engine.store import STATS

        typer.echo(f"familieplan: cache: {STATS.hits} hits, {STATS.misses} misses, {STATS.writes} writes", err=True)


def _os_error(exc: OSError) -> None:
    """`familieplan: error: path: message` on stderr; standard output silenced when it
    is what failed, so that nothing more is written to it at exit."""
    import errno
    import os

    # The library's file errors carry their path; one without is standard output's.
    on_stdout = exc.errno in (errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG)
    path = exc.filename if exc.filename is not None else ("<stdout>" if on_stdout or _stdout_failed() else "")
    message = exc.strerror or str(exc)
    if path == "<stdout>":
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
    _echo_error(f"familieplan: error: {path}: {message}" if path else f"familieplan: error: {message}")


def _echo_error(line: str) -> None:
    """`familieplan: error: …` on stderr, its first two words in the colour of errors when
    the terminal policy (render/terminal.console) gives colour."""
    from familieplan.render.terminal import Writer

    words = line.split(": ", 2)
    with Writer(sys.stderr) as lines:
        if len(words) == 3:
            lines.line((f"{words[0]}: {words[1]}:", "bold red"), f" {words[2]}")
        else:
            lines.line(line)


def _stdout_failed() -> bool:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


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


app = typer.Typer(
    cls=_Group,
    name="familieplan",
    help="One joint plan (fællesplan) for a family across municipal departments.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("familieplan")
        except PackageNotFoundError:  # pragma: no cover - run from a checkout without install
            from familieplan import __version__ as number
        typer.echo(f"familieplan {number}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                 help="Print the version and exit."),
) -> None:
    """One joint plan (fællesplan) for a family across municipal departments."""


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


def _complete_person(ctx: typer.Context, args: list[str], incomplete: str) -> list[tuple[str, str]]:
    from familieplan.commands.names import case_ids, people_ids

    root = _completion_root(ctx)
    if root is None:
        return []
    # The case argument, when typed: a word of the line that is one of the case ids (typer
    # parses the line resiliently and may leave the argument out of ctx.params; the shell's
    # words are in the environment of the completion call).
    import os

    known = set(case_ids(root))
    words = [*args, *(os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or "").split()]
    case = ctx.params.get("case") or next((w for w in words if Path(w.rstrip("/")).name in known), None)
    return people_ids(root, Path(case.rstrip("/")).name if isinstance(case, str) else None, incomplete)


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


class ReportFormat(_Choice):
    text = "text"
    json = "json"
    md = "md"


class OutcomeFormat(_Choice):
    text = "text"
    json = "json"
    md = "md"
    html = "html"


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


def _today(value: str | None) -> dt.date:
    """The day a command counts from: --today, else the real date in Copenhagen."""
    from familieplan.clock import today_or

    return today_or(_date(value, "--today"))


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
    if created.next_command:
        typer.echo(_("next: {command}").format(command=created.next_command))


def _print_written(paths, lang: str) -> None:  # type: ignore[no-untyped-def]
    _ = _cli_words(lang).gettext
    for path in paths:
        typer.echo(_("wrote {path}").format(path=path))


@app.command()
def validate(
    paths: list[Path] = typer.Argument(None, help="A workspace, case folders or files (default: the workspace)."),
    workspace: Path | None = WorkspaceOpt,
    fmt: ValidateFormat = FormatOpt,
    strict: bool = StrictOpt,
    jobs: int | None = JobsOpt,
    today: str | None = typer.Option(None, "--today", help="The date checks compare with (default: today's date)."),
    lang: Language | None = LangOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Check every file and every cross-reference; report all problems at once."""
    from familieplan.commands.validate import validate as run
    from familieplan.render.reporters import report

    with _progress("validate"):
        result = run(paths or [], workspace, jobs=jobs, today=_today(today), cache=not no_cache)
    report("validate", result, fmt, sys.stdout, _lang(lang, result.settings))
    failed = result.errors or (strict and result.warnings)
    raise typer.Exit(1 if failed else 0)


@app.command("check-load")
def check_load(
    cases: list[str] = CasesArg,
    date_from: str | None = typer.Option(None, "--from", help="Start of the window (default: each plan's start)."),
    date_to: str | None = typer.Option(None, "--to", help="End of the window (default: each plan's end)."),
    person: str | None = typer.Option(None, "--person", help="Only this person's load.", autocompletion=_complete_person),
    today: str | None = typer.Option(None, "--today", help="Attendance counts up to this date (default: today's date)."),
    for_id: str | None = typer.Option(None, "--for", help="Only what this person or professional may read (one case)."),
    fmt: ReportFormat = FormatOpt,
    lang: Language | None = LangOpt,
    strict: bool = StrictOpt,
    jobs: int | None = JobsOpt,
    workspace: Path | None = WorkspaceOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Add up every time demand on each person across departments and report what collides."""
    from familieplan.commands.check_load import LoadOptions
    from familieplan.commands.check_load import check_load as run
    from familieplan.render.reporters import report

    window = _window(date_from, date_to)
    options = LoadOptions(window=window, person=person, overview=fmt == "text", today=_today(today))
    root = _root(workspace, cases)
    with _progress("check-load"):
        result = run(root, cases or [], options, jobs=jobs, cache=not no_cache)
    if for_id is not None:
        from familieplan.commands.reader_view import for_reader

        result = for_reader(root, result, cases or [], for_id, _today(today))
    language = _lang(lang, result.settings)
    _exit_on_settings_invalid("check-load", result, fmt, language)
    report("check-load", result, fmt, sys.stdout, language)
    _report_skipped(result.skipped, language)
    raise typer.Exit(1 if result.errors or result.skipped or (strict and result.warnings) else 0)


def _replace_unwritable(*streams) -> None:  # type: ignore[no-untyped-def]
    """A stream whose encoding cannot write every character (PYTHONIOENCODING=ascii, an
    old latin-1 terminal) shows '?' for what it cannot write, instead of a traceback."""
    import codecs

    for stream in streams:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            utf = codecs.lookup(encoding).name.startswith("utf")
        except LookupError:
            utf = False
        if not utf and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


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
        if fmt == "json":
            report(command, result, "json", sys.stdout, lang)
        else:
            report("invalid", _Problems(problems), "text", sys.stderr, lang)
        raise typer.Exit(1)


def _report_skipped(skipped, lang: str) -> None:  # type: ignore[no-untyped-def]
    """One line on stderr per case left out because it is invalid (the exit code is 1)."""
    from familieplan.render.problems import skipped_line
    from familieplan.render.terminal import Writer

    with Writer(sys.stderr) as lines:
        for item in skipped:
            lines.line(skipped_line(item, lang), hang=4)


@app.command()
def due(
    cases: list[str] = CasesArg,
    today: str | None = TodayOpt,
    within: int = typer.Option(7, "--within", min=0, max=36600, help="Show what falls due within this many days."),
    overdue: bool = typer.Option(False, "--overdue", help="Only what is overdue."),
    consents_within: int = typer.Option(30, "--consents-within", min=0, max=36600,
                                        help="List consents that expire within this many days."),
    responsible: str | None = typer.Option(None, "--responsible", help="Only what this person or professional answers for."),
    fmt: ReportFormat = FormatOpt,
    lang: Language | None = LangOpt,
    jobs: int | None = JobsOpt,
    workspace: Path | None = WorkspaceOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Overdue and coming agreements and answer deadlines, in Danish working days. Exit 1 when anything is overdue."""
    from familieplan.commands.followup import DueOptions
    from familieplan.commands.followup import due as run
    from familieplan.render.reporters import report

    options = DueOptions(today=_today(today), within_days=within, overdue_only=overdue, responsible=responsible,
                         consents_within=consents_within)
    root = _root(workspace, cases)
    with _progress("due"):
        result = run(root, cases or [], options, jobs=jobs, cache=not no_cache)
    language = _lang(lang, result.settings)
    _exit_on_settings_invalid("due", result, fmt, language)
    report("due", result, fmt, sys.stdout, language)
    _report_skipped(result.skipped, language)
    raise typer.Exit(1 if result.skipped or result.overdue else 0)


@app.command()
def status(
    today: str | None = TodayOpt,
    coordinator: str | None = typer.Option(None, "--coordinator", help="Only the cases this caseworker coordinates."),
    consents_within: int = typer.Option(30, "--consents-within", min=0, max=36600,
                                        help="List consents that expire within this many days."),
    fmt: ReportFormat = FormatOpt,
    lang: Language | None = LangOpt,
    jobs: int | None = JobsOpt,
    workspace: Path | None = WorkspaceOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """One row per active case: phase, next meeting, open and overdue items, load findings."""
    from familieplan.commands.followup import status as run
    from familieplan.render.reporters import report

    root = _root(workspace)
    with _progress("status"):
        result = run(root, _today(today), coordinator, jobs=jobs, consents_within=consents_within,
                     cache=not no_cache)
    language = _lang(lang, result.settings)
    _exit_on_settings_invalid("status", result, fmt, language)
    report("status", result, fmt, sys.stdout, language)
    _report_skipped(result.skipped, language)
    flagged = any(row.overdue or row.load_errors for row in result.rows)
    raise typer.Exit(1 if result.skipped or flagged else 0)


@app.command()
def report(
    cases: list[str] = typer.Argument(None, help="Case ids or folders (default: every case, active or closed).",
                                      autocompletion=_complete_case),
    today: str | None = TodayOpt,
    date_from: str | None = typer.Option(None, "--from", help="Only cases whose plan period reaches this date."),
    date_to: str | None = typer.Option(None, "--to", help="Only cases whose plan period starts by this date."),
    for_id: str | None = typer.Option(None, "--for", help="Make it for this person or professional (one case; what consent allows).",
                                      autocompletion=_complete_person),
    fmt: OutcomeFormat = FormatOpt,
    lang: Language | None = LangOpt,
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default or '-': standard output)."),
    no_record: bool = typer.Option(False, "--no-record", help="With --for and a file: do not log the disclosure (a test run)."),
    force: bool = ForceOpt,
    jobs: int | None = JobsOpt,
    workspace: Path | None = WorkspaceOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Outcomes: goals with their measurements and status, attendance, and figures across cases."""
    import io

    from familieplan.commands.report import ReportOptions
    from familieplan.commands.report import report as run
    from familieplan.render.reporters import report as write

    window = _window(date_from, date_to)
    options = ReportOptions(today=_today(today), window=window, recipient=for_id, real_today=_today(None))
    root = _root(workspace, cases)
    with _progress("report"):
        result = run(root, cases or [], options, jobs=jobs, cache=not no_cache)
    language = _lang(lang, result.settings)
    _exit_on_settings_invalid("report", result, fmt, language)
    if output is None or str(output) == "-":
        write("report", result, fmt, sys.stdout, language)  # a preview: nothing is recorded
    else:
        from familieplan import api

        buffer = io.StringIO()
        write("report", result, fmt, buffer, language, color=False)  # a file: plain, not wrapped
        api.write_report(root, result, output, buffer.getvalue(), force=force, record=not no_record)
        _print_written([output], language)
    _report_skipped(result.skipped, language)
    raise typer.Exit(1 if result.skipped else 0)


@app.command()
def disclosures(
    case: str = CaseArg,
    about: str | None = typer.Option(None, "--about", help="Only what was given about this person."),
    recipient: str | None = typer.Option(None, "--recipient", help="Only what was given to this person or professional."),
    fmt: ReportFormat = FormatOpt,
    lang: Language | None = LangOpt,
    workspace: Path | None = WorkspaceOpt,
) -> None:
    """Who was given what about whom, and on which basis: the case's disclosure log."""
    from familieplan.commands.disclosures import list_disclosures
    from familieplan.render.reporters import report

    result = list_disclosures(_root(workspace, [case]), case, about, recipient)
    report("disclosures", result, fmt, sys.stdout, _lang(lang, result.settings))


@app.command("export-ics")
def export_ics(
    case: str = CaseArg,
    person: str | None = typer.Option(None, "--person", help="Whose calendar (default: the first parent).",
                                      autocompletion=_complete_person),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: standard output)."),
    lang: Language | None = LangOpt,
    workspace: Path | None = WorkspaceOpt,
    force: bool = ForceOpt,
) -> None:
    """Every time demand on one person, from every department, as an iCalendar file."""
    from familieplan import clock
    from familieplan.engine.cases import load_one
    from familieplan.render.ics import export_ics as run

    settings, found = load_one(_root(workspace, [case]), case)
    language = _lang(lang, settings)
    data = run(found, settings, person, clock.now(), language)
    if output is None or str(output) == "-":
        sys.stdout.write(data.decode("utf-8"))
        return
    from familieplan.workspace.files import write_atomic

    write_atomic(output, data.decode("utf-8").replace("\r\n", "\n").replace("\n", "\r\n"), force=force)
    _print_written([output], language)


@app.command()
def fit(
    case: str = CaseArg,
    people: list[str] = typer.Option(..., "--person", help="Who takes part (repeat for a family session).",
                                     autocompletion=_complete_person),
    length: str = typer.Option(..., "--length", help="Length of one session: 3h, 90m or 1:30."),
    per_week: int = typer.Option(..., "--per-week", min=1, max=7, help="Sessions a week, on different days."),
    every: int = typer.Option(1, "--every", min=1, max=52, help="Every n-th week."),
    days: str = typer.Option("mon,tue,wed,thu,fri", "--days", help="Weekdays it may use."),
    within: str = typer.Option("08:00-16:00", "--within", help="Times of day it may use."),
    date_from: str | None = typer.Option(None, "--from", help="Start (default: --today)."),
    date_to: str | None = typer.Option(None, "--to", help="End (default: the plan's end)."),
    weeks: int | None = typer.Option(None, "--weeks", min=1, help="Find the earliest start of a run of this many weeks."),
    department: str | None = typer.Option(None, "--department", help="The department that would book it."),
    area: str | None = typer.Option(None, "--area", help="Its life area (for the phases' focus and consent)."),
    travel: int = typer.Option(0, "--travel", min=0, max=240, help="Travel minutes each way."),
    limit: int = typer.Option(5, "--limit", min=0, help="Proposals to show (0: all)."),
    today: str | None = TodayOpt,
    fmt: ReportFormat = FormatOpt,
    lang: Language | None = LangOpt,
    for_id: str | None = typer.Option(None, "--for", help="Name only what this reader may see (default: internal view).",
                                      autocompletion=_complete_person),
    workspace: Path | None = WorkspaceOpt,
) -> None:
    """Where a new intervention fits into the family's week, before anyone books it. Exit 1 when nothing fits."""
    from familieplan.commands import fit as core
    from familieplan.render.reporters import report

    window = _window(date_from, date_to)
    demand = core.Demand(core.parse_length(length), per_week, every, core.parse_days(days), core.parse_within(within),
                         travel, department, area)
    request = core.FitRequest(tuple(dict.fromkeys(people)), demand, _today(today), window[0], window[1], weeks,
                              limit, for_id)
    result = core.fit(_root(workspace, [case]), case, request)
    language = _lang(lang, result.settings)
    if any(p.level == "error" for p in result.problems):
        if fmt == "json":  # the command's own object, with its problems
            report("fit", result, "json", sys.stdout, language)
        else:
            report("invalid", _Problems(result.problems), "text", sys.stderr, language)
        raise typer.Exit(1)
    report("fit", result, fmt, sys.stdout, language)
    raise typer.Exit(0 if result.fits else 1)


RenderFormatOpt = typer.Option("md", "--format", "-f", help="Output format (pdf: PDF/A, for the records system).")
NoRecordOpt = typer.Option(False, "--no-record", help="Do not record the documents in the case's disclosures.yaml (a test run).")
DocTodayOpt = typer.Option(None, "--today", help="The day the document is made as of: decides the current phase, and the "
                           "consents must be in force on it (default: today's date).")
RenderFormatOpt = typer.Option("md", "--format", "-f", help="Output format.")
ForOpt = typer.Option(None, "--for", help="Render for this person or professional (what consent allows), or 'all'.",
                      autocompletion=_complete_person)
OutputOpt = typer.Option(None, "--output", "-o", help="File or folder to write ('-': standard output). Default: output/<case>/.")
NowOpt = typer.Option(None, "--now", hidden=True, help="Fixed time of rendering (YYYY-MM-DDTHH:MM), for reproducible output.")


def _now(value: str | None):  # type: ignore[no-untyped-def]
    import datetime as dt_

    if value is None:
        from familieplan.clock import now

        return now().replace(second=0, microsecond=0)
    try:
        return dt_.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(N_("{option} {value}: not a date and time"), option="--now", value=value) from None


def _render(kind: str, case_name: str, meeting: str | None, fmt: str, for_id: str | None, lang: str | None,
            output: Path | None, workspace: Path | None, force: bool, now: str | None, today: str | None,
            no_record: bool = False) -> None:
    from familieplan import clock
    from familieplan.engine.cases import load_one
    from familieplan.render.documents import DocumentRequest, render_documents

    root = _root(workspace, [case_name])
    settings, case = load_one(root, case_name)
    moment = _now(now)
    language = _lang(lang, settings)
    # --now (hidden, for reproducible output) fixes the time of rendering, which is also the
    # real date on or after which a withdrawal of consent always applies.
    request = DocumentRequest(kind, fmt, for_id, language, moment, _today(today), meeting,
                              record=not no_record, real_now=moment if now is not None else clock.now())
    documents = render_documents(root, case, settings, request, output, force)
    for _, text in documents.texts:
        sys.stdout.write(text)
    _print_written(documents.paths, language)


@app.command("render-minutes")
def render_minutes(
    meeting: Path = typer.Argument(..., help="The meeting file (cases/<case>/meetings/<date>-<slug>.yaml).",
                                   autocompletion=_complete_meeting),
    fmt: DocumentFormat = RenderFormatOpt,
    for_id: str | None = ForOpt,
    lang: Language | None = LangOpt,
    output: Path | None = OutputOpt,
    workspace: Path | None = WorkspaceOpt,
    force: bool = ForceOpt,
    now: str | None = NowOpt,
    today: str | None = DocTodayOpt,
    no_record: bool = NoRecordOpt,
) -> None:
    """Render a meeting's minutes (referat) in Danish or English, for one recipient or all."""
    path = meeting.resolve() if meeting.exists() else meeting
    if path.parent.name != "meetings":
        raise UsageError(N_("{path}: give the path of a meeting file inside a case's meetings/ folder"), path=str(meeting))
    _render("minutes", str(path.parent.parent), path.name, fmt, for_id, lang, output, workspace, force, now, today,
            no_record)


@app.command("render-plan")
def render_plan(
    case: str = CaseArg,
    fmt: DocumentFormat = RenderFormatOpt,
    for_id: str | None = ForOpt,
    lang: Language | None = LangOpt,
    output: Path | None = OutputOpt,
    today: str | None = DocTodayOpt,
    workspace: Path | None = WorkspaceOpt,
    force: bool = ForceOpt,
    now: str | None = NowOpt,
    no_record: bool = NoRecordOpt,
) -> None:
    """Render the joint plan (fællesplan), with a weekly load chart per person in HTML."""
    _render("plan", case, None, fmt, for_id, lang, output, workspace, force, now, today, no_record)


@app.command()
def serve(
    workspace: Path | None = WorkspaceOpt,
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port to listen on (0: any free port)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (only this machine by default)."),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="Allow an address other machines can reach (there is no login)."),
    lang: Language | None = LangOpt,
    open_browser: bool = typer.Option(True, "--open/--no-open", help="Open the address in a browser."),
    today: str | None = typer.Option(None, "--today", help="The date the pages count from (default: today's date)."),
    access_log: bool = typer.Option(False, "--access-log", help="Print where the access log is, and exit."),
) -> None:
    """The caseload and each case in a browser: local, read-only, with an access token."""
    from importlib.util import find_spec

    # The web stack is the optional extra `serve` (pyproject.toml): without it, one line.
    if any(find_spec(name) is None for name in ("starlette", "uvicorn", "watchfiles")):
        raise UsageError(N_("serve needs the extra: pip install 'familieplan[serve]'"))
    from familieplan.web.accesslog import default_path
    from familieplan.web.app import ServeOptions
    from familieplan.web.server import check_host, workspace_root
    from familieplan.web.server import serve as run

    root = workspace_root(_root(workspace))
    log = default_path(root)
    if access_log:
        typer.echo(str(log))
        return
    language = _lang(lang, workspace=root)  # the terminal's lines; each page asks the rule again
    warning = check_host(host, allow_remote, language)
    if warning:
        typer.echo(warning, err=True)
    options = ServeOptions(root, host, port, lang, _date(today, "--today"), access_log=log)

    def echo(line: str) -> None:
        typer.echo(line)
        sys.stdout.flush()

    run(options, open_browser=open_browser, echo=echo, lang=language)


@app.command()
def init(
    directory: Path = typer.Argument(Path("."), help="Folder for the new workspace."),
    municipality: str = typer.Option("Eksempel Kommune", help="The municipality's name."),
    no_git: bool = typer.Option(False, "--no-git", help="Do not run git init."),
    force: bool = ForceOpt,
) -> None:
    """Create a workspace: familieplan.yaml, cases/, .gitignore, schemas and a git repository."""
    from familieplan.api import init_workspace

    created = init_workspace(directory, municipality=municipality, git=not no_git, force=force)
    _print_created(created, _lang(None, workspace=directory))


@app.command("new-case")
def new_case(
    title: str = typer.Argument(..., help='The case title, e.g. "Familien Jensen".'),
    case_id: str | None = typer.Option(None, "--id", help="Case id (default: <year>-<number>-<slug>)."),
    coordinator: str | None = typer.Option(None, help="Name of the coordinating caseworker."),
    department: str | None = typer.Option(None, help="The coordinator's department id."),
    today: str | None = typer.Option(None, help="Date the case opens (default: today)."),
    workspace: Path | None = WorkspaceOpt,
    force: bool = ForceOpt,
) -> None:
    """Create a case folder with case.yaml, plan.yaml and agreements.yaml."""
    from familieplan.api import new_case as run

    root = _root(workspace)
    _print_created(run(root, title, case_id=case_id, coordinator=coordinator, department=department,
                       today=_today(today), force=force), _lang(None, workspace=root))


@app.command("new-meeting")
def new_meeting(
    case: str = CaseArg,
    date: str | None = typer.Option(None, "--date", help="Meeting date (default: today)."),
    title: str = typer.Option("Fællesmøde", "--title", help="Meeting title."),
    workspace: Path | None = WorkspaceOpt,
    force: bool = ForceOpt,
) -> None:
    """Create a meeting file with the case's people as participants and open agreements to follow up."""
    from familieplan.api import new_meeting as run

    root = _root(workspace, [case])
    _print_created(run(root, case, day=_today(date), title=title, force=force), _lang(None, workspace=root))


@app.command()
def changes(
    case: str = CaseArg,
    since: str | None = typer.Option(None, "--since", help="A git revision, a date (YYYY-MM-DD) or a meeting "
                                     "(default: the case's latest meeting before today)."),
    to: str = typer.Option("HEAD", "--to", help="The git revision to compare with."),
    for_id: str | None = typer.Option(None, "--for", help="Only what this person or professional may read.",
                                      autocompletion=_complete_person),
    today: str | None = TodayOpt,
    fmt: ReportFormat = FormatOpt,
    lang: Language | None = LangOpt,
    workspace: Path | None = WorkspaceOpt,
) -> None:
    """What changed in a case since a revision, date or meeting, by id and with who and when (from git)."""
    from familieplan.commands.changes import ChangesOptions
    from familieplan.commands.changes import changes as run
    from familieplan.render.reporters import report

    result = run(_root(workspace, [case]), case, ChangesOptions(_today(today), since, to, for_id))
    report("changes", result, fmt, sys.stdout, _lang(lang, result.settings))


@app.command("merge-file")
def merge_file(
    base: Path = typer.Argument(..., help="The common ancestor's version (git's %O)."),
    ours: Path = typer.Argument(..., help="Our version (%A); the result is written here."),
    theirs: Path = typer.Argument(..., help="Their version (%B)."),
    path: str = typer.Argument(..., help="The file's path in the repository (%P)."),
) -> None:
    """Git merge driver: merge a case file by key (id), not by line. Exit 1 when conflicts remain."""
    from familieplan.commands.merge_file import merge_file as run

    result = run(base, ours, theirs, path)
    raise typer.Exit(1 if result.conflicts else 0)


@app.command("git-setup")
def git_setup(workspace: Path | None = WorkspaceOpt) -> None:
    """Register the case-file merge driver in this clone (git does not copy it on clone)."""
    from familieplan.api import git_setup as run

    root = _root(workspace)
    done = run(root)
    language = _lang(None, workspace=root)
    _print_written(done.paths, language)
    _ = _cli_words(language).gettext
    typer.echo(_("registered merge driver: {driver}").format(driver=done.driver))
    if not done.on_path:
        typer.echo(_("note: 'familieplan' is not on PATH; git needs it there to run the merge driver"), err=True)


@app.command()
def schema(
    output: Path | None = typer.Option(None, "--output", "-o", help="Folder to write the schemas to."),
    workspace: Path | None = WorkspaceOpt,
    force: bool = ForceOpt,
    lang: Language | None = typer.Option(None, "--lang", help="Language of the descriptions (default: the workspace's, else the locale's)."),
) -> None:
    """Write a JSON Schema for each file kind (for editor completion)."""
    from familieplan.api import write_schemas

    language = _lang(lang, workspace=workspace)
    if output is None:
        _print_written(write_schemas(_root(workspace), force=True, lang=language), language)
    else:
        root = _root(workspace) if workspace is not None else None
        _print_written(write_schemas(root, force=force, lang=language, folder=output), language)


cache_app = typer.Typer(help="The cache of per-case results (in the user's cache folder).", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear(
    workspace: Path | None = WorkspaceOpt,
    every: bool = typer.Option(False, "--all", help="Every workspace's entries, not only this one's."),
) -> None:
    """Remove the cached results of the workspace (or of every workspace)."""
    from familieplan.engine.store import clear

    root = None if every else _root(workspace)
    removed = clear(root)
    typer.echo(_cli_words(_lang(None, workspace=root or workspace)).gettext("removed {path}").format(path=removed))


@app.command()
def codes(markdown: bool = typer.Option(False, "--markdown", help="Print docs/codes.md.")) -> None:
    """List every problem code with its level and summary."""
    from familieplan.checks import all_codes as load_all
    from familieplan.render.codes import codes_markdown

    if markdown:
        typer.echo(codes_markdown(), nl=False)
        return
    for doc in load_all().values():
        typer.echo(f"{doc.code:20} {doc.level:8} {doc.summary}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
