"""Two records into one case at once: both land (the second waits for the case's lock),
none is lost or half-written, two `agree` never take the same id. Threads over the
library API (each holds its own descriptor of the lock file, as two processes do) and
processes through the command line. No timing is asserted: only what the files hold."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from familieplan import api
from familieplan.commands import record_events as ev
from familieplan.workspace.read import load_case, load_settings

CASE = "2026-002-karimi"
TODAY = dt.date(2026, 12, 31)
FIRST = dt.date(2026, 7, 1)


def _both(first, second) -> list[BaseException]:  # type: ignore[no-untyped-def]
    """Run two calls at the same moment; the exceptions they raised."""
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(call) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - the test reports every failure
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(call,)) for call in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def _check(root: Path, agreements: int, measurements: int) -> None:
    settings, _, _ = load_settings(root)
    case, problems = load_case(root / "cases" / CASE, settings)
    assert not [p for p in problems if p.level == "error"], problems
    made = [a for a in case.agreements if a.text and a.text.startswith("Runde ")]
    ids = [a.id for a in made]
    assert len(made) == agreements and len(set(ids)) == agreements, Counter(ids).most_common(3)
    assert len({a.text for a in made}) == agreements  # every record present exactly once
    measured = [x for x in case.measurements if x.date and x.date >= FIRST]
    assert len(measured) == measurements and len({x.date for x in measured}) == measurements
    result = api.validate([], workspace=root, cache=False)
    assert result.errors == 0, [p.format_line() for p in result.problems if p.level == "error"]


def _rounds(root: Path, rounds: int) -> None:
    for number in range(rounds):
        day = FIRST + dt.timedelta(days=number)
        failures = _both(
            lambda n=number: api.record(root, CASE, ev.agree(f"Runde {n} A", "sb-job"), today=TODAY),
            lambda n=number: api.record(root, CASE, ev.agree(f"Runde {n} B", "sb-familie"), today=TODAY))
        failures += _both(
            lambda n=number: api.record(root, CASE, ev.agree(f"Runde {n} C", "sb-job"), today=TODAY),
            lambda d=day: api.record(root, CASE, ev.measure("m3", "7", day=d, by="skole"), today=TODAY))
        assert not failures, failures
    _check(root, 3 * rounds, rounds)


def test_two_records_at_once_both_land_with_unique_ids(examples_ws: Path) -> None:
    _rounds(examples_ws, 10)


@pytest.mark.slow
def test_a_hundred_rounds_of_two_records_at_once(examples_ws: Path) -> None:
    _rounds(examples_ws, 100)


@pytest.mark.slow
def test_two_processes_agreeing_at_once_never_take_the_same_id(examples_ws: Path) -> None:
    rounds = 20
    for number in range(rounds):
        runs = [subprocess.Popen([sys.executable, "-m", "familieplan", "agree", CASE, f"Runde {number} {side}",
                                  "--responsible", "sb-job", "--workspace", str(examples_ws),
                                  "--today", TODAY.isoformat()], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 stdin=subprocess.DEVNULL, text=True) for side in "AB"]
        for run in runs:
            out, err = run.communicate()
            assert run.returncode == 0, err
            assert "Traceback" not in out + err
    _check(examples_ws, 2 * rounds, 0)
