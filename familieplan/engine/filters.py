"""Filters that name an id (`--coordinator`, `--responsible`, `--person`, `--for`): one
that names nothing is a usage error with the closest known id ("did you mean")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from familieplan.engine.cases import CaseRun, each_case_result
from familieplan.problems import N_, UsageError
from familieplan.settings import Settings


def check_filter(root: Path, settings: Settings, folders: Sequence[Path], option: str, value: str | None,
                 found: Iterable[str], kind: str, cache: bool = True) -> None:
    """A filter that names nothing in the cases it chose is a usage error, with the closest
    id of every case's `kind` of ids (`people`, `everyone`, `coordinators`; read only on
    this path: the cases it chose may be too few to suggest from)."""
    if value is None or value in set(found):
        return
    known: set[str] = set()
    for outcome, _ in each_case_result(root, settings, folders, CaseRun("validate", cache=cache)):
        known.update(getattr(outcome, kind))
    unknown_filter(option, value, known)


def unknown_filter(option: str, value: str | None, known: Iterable[str]) -> None:
    """A filter that would match nothing is a usage error, with the closest known id."""
    choices = sorted(set(known))
    if value is None or value in choices:
        return
    from familieplan.format.suggest import did_you_mean_text

    hint = did_you_mean_text(value, choices) or _same_ignoring_case(value, choices)
    if hint:
        raise UsageError(N_("{option} {value}: no such id in the cases ({hint})"), option=option, value=value, hint=hint)
    raise UsageError(N_("{option} {value}: no such id in the cases"), option=option, value=value)


def _same_ignoring_case(value: str, choices: list[str]) -> str | None:
    folded = [c for c in choices if c.casefold() == value.casefold() or c.casefold().startswith(value.casefold())]
    return f"did you mean '{folded[0]}'?" if folded else None
