"""`--help` in the reader's language (render/language.py's one rule): our own help texts,
and the words click and typer write around them ("Usage:", "Options", "[required]").

Our help texts are English in the code, as every message; `extract` finds them for
`pybabel extract` (babel.cfg): every `help="…"` and the docstring of every function
decorated as a command or callback, besides the module's ordinary `_()`/`N_()` messages.
At run time, when help is asked for, `translate_help` puts the Danish into the command
tree before click formats it. click and typer ask `gettext.gettext` for their own words
(their module-level `_`); `use_language` gives them ours instead, for the words below.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from typing import Any

from familieplan.problems import N_

# The framework's own words around the help texts that our catalog translates (English as
# click and typer write them).
FRAMEWORK_WORDS = (
    N_("Options"), N_("Arguments"), N_("Commands"), N_("[default: {}]"), N_("[required]"), N_("[env var: {}]"),
    N_("(deprecated) "), N_("default: {default}"), N_("required"), N_("env var: {var}"),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)
# Set on each command of the tree: the usage line's words and the help option's help.
USAGE, OPTIONS_METAVAR, COMMAND_METAVAR = N_("Usage:"), N_("[OPTIONS]"), N_("COMMAND [ARGS]...")
HELP_OPTION = N_("Show this message and exit.")

# Modules that ask `gettext.gettext` (their `_`) for those words, and typer's panel titles
# made with it at import. (typer 0.28 carries its own copy of click, `typer._click`, whose
# words are fixed: the usage line and the help option are set on each command instead.)
_GETTEXT_MODULES = ("click.core", "click.formatting", "click.decorators", "typer.core", "typer.rich_utils")
_RICH_TITLES = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE")
_ENGLISH: dict[str, str] = {}  # typer's titles as imported


def use_language(lang: str) -> None:
    """click's and typer's own words in `lang` (English: as they come)."""
    import importlib

    translate = _framework_gettext(lang)
    for name in _GETTEXT_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
    rich_utils = sys.modules.get("typer.rich_utils")
    for title in _RICH_TITLES if rich_utils is not None else ():
        if not hasattr(rich_utils, title):  # (another typer version names its titles otherwise)
            continue
        english = _ENGLISH.setdefault(title, getattr(rich_utils, title))
        setattr(rich_utils, title, translate(english))


def _framework_gettext(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return _identity
    from familieplan.render.catalog import catalog

    cat = catalog(lang)
    known = frozenset(FRAMEWORK_WORDS)

    def translate(message: str) -> str:
        return cat.gettext(message) if message in known else message

    return translate


def _identity(message: str) -> str:
    return message


def translate_help(group: Any, lang: str) -> None:
    """Every help text of the command tree under `group` (a click group), and the
    framework's words, in `lang`."""
    use_language(lang)
    if lang == "en":
        return
    from familieplan.render.catalog import catalog

    gettext = catalog(lang).gettext
    for command in _commands(group):
        if command.help:
            command.help = gettext(command.help)
        if getattr(command, "short_help", None):
            command.short_help = gettext(command.short_help)
        command.options_metavar = gettext(OPTIONS_METAVAR)
        if hasattr(command, "subcommand_metavar"):
            command.subcommand_metavar = gettext(COMMAND_METAVAR)
        for param in command.params:
            if getattr(param, "help", None):
                param.help = gettext(param.help)
        command.format_usage = functools.partial(_format_usage, command, gettext(USAGE) + " ")
        command.get_help_option = functools.partial(_help_option, command.get_help_option, gettext(HELP_OPTION))


def _format_usage(command: Any, prefix: str, ctx: Any, formatter: Any) -> None:
    formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)), prefix=prefix)


def _help_option(original: Callable[[Any], Any], text: str, ctx: Any) -> Any:
    option = original(ctx)
    if option is not None:
        option.help = text
    return option


def _commands(command: Any) -> Iterator[Any]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


# --- for pybabel extract (babel.cfg) ----------------------------------------------------

def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[Any, ...]]:
    """The messages of a command-line module: its `_()`/`N_()` calls (babel's Python
    extractor), every `help="…"` keyword and the docstrings of commands and callbacks."""
    import ast
    import io

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "help" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value.lineno, None, value.value, []
        elif isinstance(node, ast.FunctionDef) and any(_is_command(d) for d in node.decorator_list):
            doc = ast.get_docstring(node)
            if doc:
                yield node.body[0].lineno, None, doc, []


def _is_command(decorator: Any) -> bool:
    import ast

    return (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in ("command", "callback"))
