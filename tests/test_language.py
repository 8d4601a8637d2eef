"""The one language rule (familieplan/render/language.py): --lang, else the workspace's
`language`, else the locale (LANGUAGE, LC_ALL, LANG), else Danish — the same for the
command line, the documents and the pages of `serve`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLES, run_cli
from familieplan.problems import UsageError
from familieplan.render.language import language, locale_language, workspace_language
from familieplan.web.app import ServeOptions, Site
from familieplan.web.live import Watcher

NO_LOCALE: dict[str, str] = {}
# A line of `due` on the examples, as of 2026-05-20, in each language.
DANISH, ENGLISH = "Besvaret for sent", "Answered late"


@pytest.mark.parametrize("given, workspace, environ, expected", [
    ("en", "da", {"LANG": "da_DK.UTF-8"}, "en"),  # --lang first
    ("da", "en", {"LANG": "en_GB.UTF-8"}, "da"),
    (None, "en", {"LANG": "da_DK.UTF-8"}, "en"),  # then the workspace's
    (None, "da", {"LANGUAGE": "en"}, "da"),
    (None, None, {"LANG": "en_US.UTF-8"}, "en"),  # then the locale
    (None, None, {"LANG": "da_DK.UTF-8"}, "da"),
    (None, None, NO_LOCALE, "da"),  # else Danish
])
def test_the_rule(given, workspace, environ, expected):
    assert language(given, workspace, environ) == expected


@pytest.mark.parametrize("environ, expected", [
    ({"LANGUAGE": "en:da", "LC_ALL": "da_DK.UTF-8", "LANG": "da_DK.UTF-8"}, "en"),  # LANGUAGE before LC_ALL
    ({"LANGUAGE": "da_DK:en", "LANG": "en_US.UTF-8"}, "da"),
    ({"LANGUAGE": "", "LC_ALL": "en_DK.UTF-8", "LANG": "da_DK.UTF-8"}, "en"),  # LC_ALL before LANG; empty is unset
    ({"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, "da"),  # the first that is set decides, as for gettext
    ({"LANG": "en"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "da"),
    ({"LANG": "C"}, "da"),
    ({"LANG": "POSIX"}, "da"),
    ({}, "da"),
])
def test_the_locale(environ, expected):
    assert locale_language(environ) == expected


def test_a_language_other_than_da_or_en_is_a_usage_error():
    with pytest.raises(UsageError):
        language("de", "da", NO_LOCALE)
    assert language(None, "de", NO_LOCALE) == "da"  # an invalid setting is validate's to report


def test_the_workspace_language_is_none_when_familieplan_yaml_does_not_say():
    assert workspace_language(EXAMPLES) == "da"
    assert workspace_language(DATA / "minimal") is None  # no `language:`


def _english_workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    settings = root / "familieplan.yaml"
    settings.write_text(settings.read_text().replace("language: da", "language: en"))
    return root


def _unnamed_language(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    settings = root / "familieplan.yaml"
    text = settings.read_text()
    assert "\nlanguage: da" in text
    settings.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("language:")))
    return root


def test_the_command_line_follows_the_locale_when_the_workspace_does_not_say(runner, tmp_path, monkeypatch):
    root = _unnamed_language(tmp_path)
    args = ["due", "--workspace", str(root), "--today", "2026-05-20"]
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    english = run_cli(runner, args)
    assert ENGLISH in english.stdout and DANISH not in english.stdout, english.stdout
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    danish = run_cli(runner, args)
    assert DANISH in danish.stdout and ENGLISH not in danish.stdout, danish.stdout
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert run_cli(runner, args).stdout == danish.stdout  # LC_ALL=C before LANG: Danish
    error = run_cli(runner, ["due", "nope", "--workspace", str(root)])
    assert error.stderr.startswith("familieplan: fejl: ")
    monkeypatch.setenv("LANGUAGE", "en")
    error = run_cli(runner, ["due", "nope", "--workspace", str(root)])
    assert error.stderr.startswith("familieplan: error: ")  # the early line asks the same rule


def test_the_workspace_decides_before_the_locale(runner, tmp_path, monkeypatch):
    root = _english_workspace(tmp_path)
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    result = run_cli(runner, ["due", "--workspace", str(root), "--today", "2026-05-20"])
    assert ENGLISH in result.stdout and DANISH not in result.stdout
    assert DANISH in run_cli(runner, ["due", "--workspace", str(root), "--today", "2026-05-20",
                                      "--lang", "da"]).stdout


def test_the_pages_follow_the_workspace_and_the_locale(tmp_path, monkeypatch):
    today = dt.date(2026, 5, 20)
    english = _english_workspace(tmp_path / "en")
    page = Site(ServeOptions(english, today=today), Watcher(english)).caseload(None, "case")
    assert '<html lang="en">' in page
    assert '<html lang="da">' in Site(ServeOptions(english, lang="da", today=today), Watcher(english)).caseload(None, "case")
    unnamed = _unnamed_language(tmp_path / "none")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert '<html lang="en">' in Site(ServeOptions(unnamed, today=today), Watcher(unnamed)).caseload(None, "case")
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    assert '<html lang="da">' in Site(ServeOptions(unnamed, today=today), Watcher(unnamed)).caseload(None, "case")


def test_documents_follow_the_rule(tmp_path, monkeypatch):
    from familieplan import api
    from familieplan.render.documents import DocumentRequest

    root = _unnamed_language(tmp_path)
    ws, _ = api.load_valid(root, ["2025-003-lund"])
    request = DocumentRequest("plan", "md", None, None, dt.datetime(2026, 5, 20, 9, 30), dt.date(2026, 5, 20))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    english = api.render_documents(root, ws.cases[0], ws.settings, request, Path("-")).texts[0][1]
    assert "20 May 2026 at 09:30" in english
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    danish = api.render_documents(root, ws.cases[0], ws.settings, request, Path("-")).texts[0][1]
    assert "20. maj 2026 kl. 9.30" in danish
