"""Commands that make documents: render-minutes, render-plan, export-ics."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from familieplan.cli.app import app
from familieplan.cli.options import (
    CaseArg,
    DocTodayOpt,
    DocumentFormat,
    ForceOpt,
    ForOpt,
    LangOpt,
    Language,
    NoRecordOpt,
    NowOpt,
    OutputOpt,
    RenderFormatOpt,
    WorkspaceOpt,
    _complete_meeting,
    _complete_person,
    _lang,
    _print_written,
    _root,
    _today,
)
from familieplan.problems import N_, UsageError


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


@app.command("render-questions")
def render_questions(
    case: str = CaseArg,
    for_id: str | None = ForOpt,
    fmt: DocumentFormat = RenderFormatOpt,
    lang: Language | None = LangOpt,
    output: Path | None = OutputOpt,
    today: str | None = DocTodayOpt,
    workspace: Path | None = WorkspaceOpt,
    force: bool = ForceOpt,
    now: str | None = NowOpt,
    no_record: bool = NoRecordOpt,
) -> None:
    """Render a citizen's own question log: when each question was asked, to whom, when the
    answer is due, whether it came late, and empty rows for the next questions."""
    if for_id is None:
        raise UsageError(N_("render-questions needs --for: whose question log"))
    _render("questions", case, None, fmt, for_id, lang, output, workspace, force, now, today, no_record)
