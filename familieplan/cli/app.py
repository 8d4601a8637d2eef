"""The command line's application: the typer app, its group (expected failures and OS errors
become one line, never a traceback; every line passes the CPR mask) and `main`."""

from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

from familieplan.cli.options import _early_language


class _Group(TyperGroup):
    """Expected failures (FamilieplanError) and OS errors become one line on stderr, never
    a traceback (README, "Exit codes"); help in the reader's language (`cli/help.py`)."""

    def main(self, args=None, *more, **options):  # type: ignore[no-untyped-def]
        import os

        words = list(sys.argv[1:] if args is None else args)
        if not os.environ.get("_FAMILIEPLAN_COMPLETE"):
            if _wants_help(words):
                from familieplan.cli.help import translate_help

                translate_help(self, _early_language(words))
            elif "familieplan.cli.help" in sys.modules:  # an earlier call's language (tests)
                sys.modules["familieplan.cli.help"].use_language("en")
        return super().main(args, *more, **options)

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


def _wants_help(words: list[str]) -> bool:
    """Whether a command line asks for help (or gets it for naming no command)."""
    return not words or "--help" in words or "-h" in words


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


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
