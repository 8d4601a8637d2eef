"""`rules`: the statutory rules in force on a day, and, inside a workspace, whether it
applies each (`rules.off`, `rules.on`). Needs no workspace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from familieplan.problems import FamilieplanError, Problem
from familieplan.rules.registry import Rule, in_force_on, switched_on
from familieplan.workspace.paths import SETTINGS_FILE, find_workspace, workspace_root
from familieplan.workspace.read import load_settings


@dataclass
class RulesResult:
    day: dt.date
    rules: list[Rule]
    switched: dict[str, bool] = field(default_factory=dict)  # rule id -> applied here (empty: no workspace)
    problems: list[Problem] = field(default_factory=list)  # familieplan.yaml's


def rules_on(day: dt.date, workspace: Path | None = None, start: Path | None = None) -> RulesResult:
    """The rules in force on `day`; with a workspace (`workspace`, else one found at or
    above `start`, if any), whether it applies each."""
    result = RulesResult(day, in_force_on(day))
    root = workspace_root(workspace) if workspace is not None else None  # a named folder must exist
    if root is None:
        try:
            root = find_workspace(start or Path.cwd())
        except FamilieplanError:
            return result
    if not (root / SETTINGS_FILE).is_file():
        return result
    settings, _, problems = load_settings(root)
    result.problems = problems
    result.switched = {found.id: switched_on(found.id, settings.rules) for found in result.rules}
    return result
