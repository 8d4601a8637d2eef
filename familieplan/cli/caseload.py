"""Commands over the caseload: due, status, report, disclosures."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from familieplan.cli.app import app
from familieplan.cli.options import (
    CaseArg,
    CasesArg,
    CsvSep,
    CsvSepOpt,
    ForceOpt,
    FormatOpt,
    JobsOpt,
    LangOpt,
    Language,
    NoCacheOpt,
    OutcomeFormat,
    ReportFormat,
    TableFormat,
    TodayOpt,
    WorkspaceOpt,
    _complete_case,
    _complete_person,
    _exit_on_settings_invalid,
    _lang,
    _print_written,
    _progress,
    _report_caseload,
    _report_skipped,
    _root,
    _today,
    _window,
)


@app.command()
def due(
    cases: list[str] = CasesArg,
    today: str | None = TodayOpt,
    within: int = typer.Option(7, "--within", min=0, max=36600, help="Show what falls due within this many days."),
    overdue: bool = typer.Option(False, "--overdue", help="Only what is overdue."),
    consents_within: int = typer.Option(30, "--consents-within", min=0, max=36600,
                                        help="List consents that expire within this many days."),
    responsible: str | None = typer.Option(None, "--responsible", help="Only what this person or professional answers for."),
    fmt: TableFormat = FormatOpt,
    csv_sep: CsvSep | None = CsvSepOpt,
    lang: Language | None = LangOpt,
    jobs: int | None = JobsOpt,
    workspace: Path | None = WorkspaceOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Overdue and coming agreements and answer deadlines, in Danish working days. Exit 1 when anything is overdue."""
    from familieplan.commands.followup import DueOptions
    from familieplan.commands.followup import due as run

    options = DueOptions(today=_today(today), within_days=within, overdue_only=overdue, responsible=responsible,
                         consents_within=consents_within)
    root = _root(workspace, cases)
    with _progress("due"):
        result = run(root, cases or [], options, jobs=jobs, cache=not no_cache)
    _report_caseload("due", result, fmt, lang, csv_sep)
    raise typer.Exit(1 if result.skipped or result.overdue else 0)


@app.command()
def status(
    today: str | None = TodayOpt,
    coordinator: str | None = typer.Option(None, "--coordinator", help="Only the cases this caseworker coordinates."),
    consents_within: int = typer.Option(30, "--consents-within", min=0, max=36600,
                                        help="List consents that expire within this many days."),
    fmt: TableFormat = FormatOpt,
    csv_sep: CsvSep | None = CsvSepOpt,
    lang: Language | None = LangOpt,
    jobs: int | None = JobsOpt,
    workspace: Path | None = WorkspaceOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """One row per active case: phase, next meeting, open and overdue items, load findings."""
    from familieplan.commands.followup import status as run

    root = _root(workspace)
    with _progress("status"):
        result = run(root, _today(today), coordinator, jobs=jobs, consents_within=consents_within,
                     cache=not no_cache)
    _report_caseload("status", result, fmt, lang, csv_sep)
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
    csv_sep: CsvSep | None = CsvSepOpt,
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
        write("report", result, fmt, sys.stdout, language, csv_sep=csv_sep)  # a preview: nothing is recorded
    else:
        from familieplan import api

        buffer = io.StringIO()
        write("report", result, fmt, buffer, language, color=False, csv_sep=csv_sep)  # a file: plain, not wrapped
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
