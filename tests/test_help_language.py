"""`--help` in the reader's language (cli/help.py): Danish when the workspace's language or
the locale is Danish, English when either says English, typer's and click's own words
("Usage", "Options", "Arguments", "Commands", "[required]") included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli

DANISH = ("Brug: familieplan fit [TILVALG]", "Argumenter", "Tilvalg", "[påkrævet]", "Vis denne hjælp og afslut.",
          "Hvor en ny indsats passer ind i familiens uge", "Hvem der deltager")
ENGLISH = ("Usage: familieplan fit [OPTIONS]", "Arguments", "Options", "[required]", "Show this message and exit.",
           "Where a new intervention fits into the family's week", "Who takes part")
_LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def help_text(runner, args: list[str], env: dict[str, str]) -> str:
    env = {name: None for name in _LOCALE} | {"COLUMNS": "200"} | env  # type: ignore[operator]
    result = runner.invoke(__import__("familieplan.cli", fromlist=["app"]).app, args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_danish(text: str) -> None:
    for words in DANISH:
        assert words in text, words
    for words in ("Usage:", "Options", "Arguments", "Show this message"):
        assert words not in text, words


def assert_english(text: str) -> None:
    for words in ENGLISH:
        assert words in text, words
    for words in ("Brug:", "Tilvalg", "påkrævet"):
        assert words not in text, words


@pytest.mark.parametrize("env", [{"LANG": "da_DK.UTF-8"}, {"LC_ALL": "da_DK.UTF-8", "LANG": "en_US.UTF-8"},
                                 {"LC_MESSAGES": "da_DK.UTF-8", "LANG": "en_US.UTF-8"}])
def test_danish_locale_gives_danish_help(runner, minimal_ws, env):
    assert_danish(help_text(runner, ["fit", "--help", "--workspace", str(minimal_ws)], env))


@pytest.mark.parametrize("env", [{"LANG": "en_US.UTF-8"}, {"LC_MESSAGES": "en_GB.UTF-8", "LANG": "da_DK.UTF-8"},
                                 {"LANGUAGE": "en"}])
def test_english_locale_gives_english_help(runner, minimal_ws, env):
    assert_english(help_text(runner, ["fit", "-h", "--workspace", str(minimal_ws)], env))


def test_the_workspace_language_decides_before_the_locale(runner, minimal_ws):
    settings = minimal_ws / "familieplan.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "language: da\n", encoding="utf-8")
    assert_danish(help_text(runner, ["fit", "--help", "--workspace", str(minimal_ws)], {"LANG": "en_US.UTF-8"}))
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: da", "language: en"), encoding="utf-8")
    assert_english(help_text(runner, ["fit", "--help", "--workspace", str(minimal_ws)], {"LANG": "da_DK.UTF-8"}))


def test_the_top_level_help_and_its_commands(runner, minimal_ws):
    danish = help_text(runner, ["--help"], {"LANG": "da_DK.UTF-8"})
    assert "Brug: familieplan [TILVALG] KOMMANDO [ARGUMENTER]..." in danish
    assert "Kommandoer" in danish and "Én fællesplan for en familie" in danish
    english = help_text(runner, ["--help"], {"LANG": "en_US.UTF-8"})
    assert "Commands" in english and "One joint plan (fællesplan)" in english and "Kommandoer" not in english


def test_a_danish_help_leaves_no_danish_behind(runner, minimal_ws):
    """The words click and typer write are set for each run: English after Danish."""
    assert_danish(help_text(runner, ["fit", "--help", "--workspace", str(minimal_ws)], {"LANG": "da_DK.UTF-8"}))
    result = runner.invoke(__import__("familieplan.cli", fromlist=["app"]).app, ["fit", "--workspace", str(minimal_ws)],
                           env={"LANG": "en_US.UTF-8", "LANGUAGE": None, "LC_ALL": None})
    assert result.exit_code == 2 and "Usage:" in result.output and "Brug:" not in result.output
    assert_english(help_text(runner, ["fit", "--help", "--workspace", str(minimal_ws)], {"LANG": "en_US.UTF-8"}))


def test_every_help_text_has_danish():
    """Each command's help and each option's: the catalog has every one (the extractor of
    babel.cfg finds them; tests/test_catalog.py keeps the catalog complete)."""
    import typer.main

    from familieplan.cli import app
    from familieplan.cli.help import _commands, translate_help
    from familieplan.render.catalog import catalog

    group = typer.main.get_command(app)
    english = {id(x): x.help for c in _commands(group) for x in (c, *c.params) if getattr(x, "help", None)}
    assert len(english) > 100
    translate_help(group, "da")
    try:
        untranslated = [x.help for c in _commands(group) for x in (c, *c.params)
                        if getattr(x, "help", None) and x.help == english[id(x)]
                        and catalog("da").gettext(x.help) == x.help]
        assert untranslated == []
    finally:
        translate_help(group, "en")


def test_help_in_a_real_process(minimal_ws):
    """As a shell runs it: a terminal-less process with a Danish LANG."""
    env = {k: v for k, v in os.environ.items() if k not in _LOCALE} | {"LANG": "da_DK.UTF-8", "COLUMNS": "200"}
    proc = subprocess.run([str(Path(sys.executable).parent / "familieplan"), "fit", "--help"], cwd=minimal_ws, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert_danish(proc.stdout)


def test_no_command_shows_the_help_in_danish(runner):
    result = run_cli(runner, [])
    assert "Brug: familieplan [TILVALG] KOMMANDO" in result.output and "Kommandoer" in result.output
