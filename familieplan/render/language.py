"""The one language rule: which language a reader gets, in every output.

`--lang` when given; else the workspace's `language` (familieplan.yaml); else the locale:
the first of `LANGUAGE`, `LC_ALL`, `LC_MESSAGES` and `LANG` that is set decides (in the
order gettext reads them), a value starting with `en` giving English and anything else Danish.

The command line (its own lines, every command's output, and `--help` once it is
translated), the documents, the calendars and the pages of `serve` all ask `language()`;
none decides on its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from familieplan.problems import N_, UsageError
from familieplan.render.catalog import DEFAULT_LANGUAGE, LANGUAGES

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language(given: str | None = None, workspace: str | None = None,
             environ: Mapping[str, str] | None = None) -> str:
    """The reader's language: `given` (`--lang`), else `workspace` (the settings'
    `language`, None when familieplan.yaml does not say), else the locale's. A `given`
    language other than da or en is a usage error."""
    if given is not None:
        if given not in LANGUAGES:
            raise UsageError(N_("--lang {value}: not da or en"), value=given)
        return str(given)  # a plain string, also from the command line's choice type
    if workspace in LANGUAGES:
        return workspace
    return locale_language(os.environ if environ is None else environ)


def locale_language(environ: Mapping[str, str]) -> str:
    """The locale's language: 'da…' Danish, 'en…' English, anything else (C, POSIX, de_DE)
    Danish. `LANGUAGE` may list several (`en:da`): the first counts."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "en" if value.startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def workspace_language(workspace: Path | None) -> str | None:
    """The `language` of a workspace's familieplan.yaml (without a folder, of the workspace
    found from the current folder), for a line written before a command has read its
    settings (an error line, `--help`); None when it does not say or cannot be read. Only
    the file's nodes are read (format/nodes.py, the one YAML reader), not the records, so
    that `--help` in a workspace stays as fast as outside one."""
    from familieplan.format import nodes
    from familieplan.workspace.paths import SETTINGS_FILE, find_workspace

    try:
        root = workspace if workspace is not None and workspace.is_dir() else find_workspace(Path.cwd())
        data = (root / SETTINGS_FILE).read_bytes()
    except Exception:  # noqa: BLE001 - no workspace, or an unreadable one, says nothing
        return None
    text, _ = nodes.decode(data, SETTINGS_FILE)
    tree, _ = nodes.parse(text, SETTINGS_FILE) if text is not None else (None, [])
    found = nodes.plain(tree)
    value = found.get("language") if isinstance(found, dict) else None
    return value if value in ("da", "en") else None
