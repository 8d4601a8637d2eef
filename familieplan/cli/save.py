"""`save`: the day's work committed to git, for people who do not know git."""

from __future__ import annotations

from pathlib import Path

import typer

from familieplan.cli.app import app
from familieplan.cli.options import (
    LangOpt,
    Language,
    TodayOpt,
    WorkspaceOpt,
    _lang,
    _root,
    _today,
    complete_case,
)


@app.command()
def save(
    case: str | None = typer.Argument(None, help="Only this case (default: every case with changes).",
                                      autocompletion=complete_case),
    message: str | None = typer.Option(None, "--message", "-m", help="Your own first line of the commit message."),
    today: str | None = TodayOpt,
    lang: Language | None = LangOpt,
    workspace: Path | None = WorkspaceOpt,
) -> None:
    """Commit the changed case files to git, with a message saying what changed in each case."""
    from familieplan.api import save as save_workspace
    from familieplan.render.save import saved_lines

    root = _root(workspace, [case] if case else None)
    language = _lang(lang, workspace=root)
    plan = save_workspace(root, case, today=_today(today), message=message, lang=language)
    for line in saved_lines(plan, language):
        typer.echo(line)
