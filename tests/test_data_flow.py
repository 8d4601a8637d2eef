"""Data flows one way: the core returns data and never calls into `familieplan.render`
(a reporter, a template renderer, a catalog passed in as a callback would). Every command's
library function runs under a profiler that records each call whose caller is a core
module and whose callee is a render module; the test fails on any such call, and a
planted callback shows that it would."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from familieplan import api
from familieplan.commands.changes import ChangesOptions
from familieplan.commands.check_load import LoadOptions
from familieplan.commands.fit_records import FitRequest
from familieplan.commands.followup import DueOptions
from familieplan.commands.report import ReportOptions
from familieplan.schedule.fit import Demand

CORE = ("familieplan.commands", "familieplan.engine", "familieplan.checks", "familieplan.schedule",
        "familieplan.consent", "familieplan.workspace", "familieplan.format", "familieplan.model",
        "familieplan.settings", "familieplan.problems", "familieplan.clock")
TODAY = dt.date(2026, 11, 23)


@contextmanager
def calls_into_render() -> Iterator[list[tuple[str, str, str]]]:
    found: list[tuple[str, str, str]] = []

    def profile(frame, event, arg):  # type: ignore[no-untyped-def]
        if event != "call":
            return
        callee = frame.f_globals.get("__name__", "")
        if not callee.startswith("familieplan.render"):
            return
        caller = frame.f_back
        name = caller.f_globals.get("__name__", "") if caller is not None else ""
        if name.startswith(CORE):
            found.append((name, callee, frame.f_code.co_name))

    sys.setprofile(profile)
    try:
        yield found
    finally:
        sys.setprofile(None)


def _git_workspace(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source, target)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@example.org",
                                                 "commit", "-q", "-m", "cases"]):
        subprocess.run(["git", *args], cwd=target, check=True, capture_output=True)
    return target


COMMANDS: list[tuple[str, Callable[[Path], object]]] = [
    ("validate", lambda ws: api.validate([], workspace=ws, jobs=1, today=TODAY, cache=False)),
    ("check-load", lambda ws: api.check_load(ws, [], LoadOptions(today=TODAY, overview=True), jobs=1, cache=False)),
    ("due", lambda ws: api.due(ws, [], DueOptions(today=TODAY), jobs=1, cache=False)),
    ("status", lambda ws: api.status(ws, TODAY, jobs=1, cache=False)),
    ("report", lambda ws: api.report(ws, [], ReportOptions(today=TODAY), jobs=1, cache=False)),
    ("fit", lambda ws: api.fit(ws, "2026-002-karimi", FitRequest(
        ("nadia",), Demand(120, 2, 1, (0, 1, 2, 3, 4), (480, 960), 0, None, None), TODAY))),
    ("changes", lambda ws: api.changes(ws, "2025-001-holm", ChangesOptions(today=TODAY))),
    ("new-meeting", lambda ws: api.new_meeting(ws, "2025-001-holm", day=dt.date(2026, 12, 14))),
    ("new-case", lambda ws: api.new_case(ws, "Familien Test", today=TODAY)),
    ("schema", lambda ws: api.write_schemas(ws, force=True)),
    ("rules", lambda ws: api.rules_on(TODAY, ws)),
]


@pytest.mark.parametrize("name, run", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_the_core_calls_nothing_of_render(examples_ws, tmp_path, name, run):
    ws = _git_workspace(examples_ws, tmp_path / "ws")
    with calls_into_render() as found:
        run(ws)
    assert found == []


def test_a_render_function_passed_into_the_core_is_caught(tmp_path):
    """The planted break: a function of a render module handed to the engine's pool as
    the work of a chunk (the shape the reporters' callbacks had)."""
    from familieplan.engine.pool import each_chunk
    from familieplan.settings import Settings

    module = {"__name__": "familieplan.render.planted"}
    exec("def rows(root, settings, folders, extra):\n    return [f.name for f in folders]\n", module)
    with calls_into_render() as found:
        list(each_chunk(module["rows"], tmp_path, Settings(), [tmp_path / "a"], None, jobs=1))
    assert found == [("familieplan.engine.pool", "familieplan.render.planted", "rows")]
