"""Checks of the names that become file and folder names."""

from __future__ import annotations

from collections.abc import Iterator

from familieplan import model as m
from familieplan.checks.case import CaseIndex, check
from familieplan.problems import N_, WARNING, Problem, make_problem
from familieplan.settings import Settings
from familieplan.workspace.paths import windows_device_name


@check("windows-name", WARNING)
def check_windows_name(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A case id that Windows keeps for a device: `con`, `prn`, `aux`, `nul`, `com1` to
    `com9`, `lpt1` to `lpt9`, in any case and also with an extension (`con.txt`).

    The case id is the name of the case's folder and of its folder under `output/`;
    meeting files are named from their date, so only the case id can be such a name.
    On Windows a folder of that name cannot be made, opened or checked out: a colleague
    there cannot work on the case, and git fails on the whole repository.

    Failing: folder `cases/con/` with `id: con`.
    Passing: `2026-014-con` (a reserved name only as the whole name, before any dot)."""
    info = case.info
    if info is None:
        return
    for name in dict.fromkeys(n for n in (case.folder_id, info.id) if n):
        if windows_device_name(name):
            yield make_problem("windows-name", info.pos("id"),
                               N_("'{name}' is a name Windows keeps for a device: the case's folder cannot "
                                  "be made or opened there"),
                               N_("rename the folder and the id, e.g. with the year and number in front"), name=name)
