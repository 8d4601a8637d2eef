"""Commands that set up and serve a workspace: init, new-case, new-meeting, schema,
merge-file, git-setup, serve, cache, codes."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from familieplan.cli.app import app
from familieplan.cli.options import (
    CaseArg,
    ForceOpt,
    FormatOpt,
    LangOpt,
    Language,
    ListFormat,
    WorkspaceOpt,
    _cli_words,
    _date,
    _lang,
    _print_created,
    _print_written,
    _root,
    _today,
)
from familieplan.problems import N_, UsageError


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
    options = ServeOptions(root, host, port, lang, _date(today, "--today"), access_log=log, allow_remote=allow_remote)

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

    language = _lang(None, workspace=directory)
    created = init_workspace(directory, municipality=municipality, git=not no_git, force=force, lang=language)
    _print_created(created, language)


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
    _print_created(run(root, case, day=_today(date, "--date"), title=title, force=force), _lang(None, workspace=root))


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
    """Write a JSON Schema for each file kind (for editor completion), and one for each command's JSON output (output/<command>.json)."""
    from familieplan.api import write_schemas

    language = _lang(lang, workspace=workspace)
    if output is None:
        _print_written(write_schemas(_root(workspace), force=True, lang=language, outputs=True), language)
    else:
        root = _root(workspace) if workspace is not None else None
        _print_written(write_schemas(root, force=force, lang=language, folder=output, outputs=True), language)

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
def rules(
    on: str | None = typer.Option(None, "--on", help="The day (YYYY-MM-DD) whose rules to list (default: today's date)."),
    workspace: Path | None = WorkspaceOpt,
    fmt: ListFormat = FormatOpt,
    lang: Language | None = LangOpt,
) -> None:
    """List the statutory rules in force on a day, with their sources (inside a workspace:
    whether it applies each)."""
    from familieplan.api import rules_on
    from familieplan.render.reporters import report

    result = rules_on(_date(on, "--on") or _today(None), workspace)
    report("rules", result, fmt, sys.stdout, _lang(lang, workspace=workspace))


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
