"""Commands that check and analyse: validate, check-load, fit, changes."""

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
    FormatOpt,
    JobsOpt,
    LangOpt,
    Language,
    LoadFormat,
    NoCacheOpt,
    ReportFormat,
    StrictOpt,
    TodayOpt,
    ValidateFormat,
    WorkspaceOpt,
    _complete_person,
    _lang,
    _Problems,
    _progress,
    _report_caseload,
    _root,
    _today,
    _window,
    complete_intervention,
)


@app.command()
def validate(
    paths: list[Path] = typer.Argument(None, help="A workspace, case folders or files; a file stands for its whole case (default: the workspace)."),
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
    fmt: LoadFormat = FormatOpt,
    csv_sep: CsvSep | None = CsvSepOpt,
    lang: Language | None = LangOpt,
    strict: bool = StrictOpt,
    jobs: int | None = JobsOpt,
    workspace: Path | None = WorkspaceOpt,
    no_cache: bool = NoCacheOpt,
) -> None:
    """Add up every time demand on each person across departments and report what collides."""
    from familieplan.commands.check_load import LoadOptions
    from familieplan.commands.check_load import check_load as run

    window = _window(date_from, date_to)
    options = LoadOptions(window=window, person=person, overview=fmt == "text", today=_today(today))
    root = _root(workspace, cases)
    with _progress("check-load"):
        result = run(root, cases or [], options, jobs=jobs, cache=not no_cache)
    # The exit code counts every finding: a reader's view that hides an error is no "all clear".
    errors, warnings = result.errors, result.warnings
    if for_id is not None:
        from familieplan.commands.reader_view import for_reader

        # The real date: a withdrawal dated on or before it applies whatever --today says.
        result = for_reader(root, result, cases or [], for_id, _today(today), _today(None), options)
    _report_caseload("check-load", result, fmt, lang, csv_sep)
    raise typer.Exit(1 if errors or result.skipped or (strict and warnings) else 0)


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
    instead: str | None = typer.Option(None, "--instead", help="Fit as if this intervention were gone (to replace it).",
                                       autocompletion=complete_intervention),
    workspace: Path | None = WorkspaceOpt,
    book: str | None = typer.Option(None, "--book", help="Write the proposal into plan.yaml as a new intervention "
                                    "with this id (needs --title, --department and --area)."),
    title: str | None = typer.Option(None, "--title", help="With --book: the intervention's title."),
    responsible: str | None = typer.Option(None, "--responsible", help="With --book: the responsible professional."),
    pick: int = typer.Option(1, "--pick", min=1, help="With --book: which proposal (1: the first, as fit ranks them)."),
) -> None:
    """Where a new intervention fits into the family's week, before anyone books it. Exit 1 when nothing fits."""
    from familieplan.commands import fit as core
    from familieplan.commands.fit_options import parse_days, parse_length, parse_within
    from familieplan.commands.fit_records import FitRequest
    from familieplan.render.reporters import report
    from familieplan.schedule.fit import Demand

    window = _window(date_from, date_to)
    demand = Demand(parse_length(length), per_week, every, parse_days(days), parse_within(within),
                         travel, department, area)
    request = FitRequest(tuple(dict.fromkeys(people)), demand, _today(today), window[0], window[1], weeks,
                              limit, for_id, instead, _today(None))
    if book is not None:
        _book_needs(title, department, area)
    result = core.fit(_root(workspace, [case]), case, request)
    language = _lang(lang, result.settings)
    if any(p.level == "error" for p in result.problems):
        if fmt == "json":  # the command's own object, with its problems
            report("fit", result, "json", sys.stdout, language)
        else:
            report("invalid", _Problems(result.problems), "text", sys.stderr, language)
        raise typer.Exit(1)
    if book is not None and len(result.proposals) >= pick:
        _book(_root(workspace, [case]), case, result.proposals[pick - 1], request, book, title, responsible,
              fmt, language)
    report("fit", result, fmt, sys.stdout, language)
    raise typer.Exit(0 if result.fits else 1)


def _book_needs(title: str | None, department: str | None, area: str | None) -> None:
    from familieplan.problems import N_, UsageError

    for value, option in ((title, "--title"), (department, "--department"), (area, "--area")):
        if value is None:
            raise UsageError(N_("--book needs {option}"), option=option)


def _book(root: Path, case: str, proposal, request, book: str, title, responsible, fmt, language: str) -> None:  # type: ignore[no-untyped-def]
    """`fit --book`: the proposal written into plan.yaml (as the record commands write)."""
    from familieplan import api
    from familieplan.commands import record_events as ev
    from familieplan.render.reporters import report

    demand = request.demand
    event = ev.book(proposal, request.people, book, title, demand.department, demand.area, responsible=responsible,
                    travel=demand.travel)
    result = api.record(root, case, event, today=request.today)
    report("record", result, fmt.value if hasattr(fmt, "value") else str(fmt), sys.stdout, language)
    raise typer.Exit(1 if result.refused else 0)


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

    result = run(_root(workspace, [case]), case, ChangesOptions(_today(today), since, to, for_id, _today(None)))
    report("changes", result, fmt, sys.stdout, _lang(lang, result.settings))
