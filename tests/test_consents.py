"""Consents that end: listed by `due` and `status` without changing the exit code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import MINIMAL_CASE, run_cli
from familieplan.commands.consents import consent_notices
from familieplan.engine.cases import load_one
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.facts import CaseFacts, case_facts
from familieplan.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _case_yaml(ws: Path) -> Path:
    return ws / "cases" / MINIMAL_CASE / "case.yaml"


def test_expiring_within_the_window_is_listed_in_danish(runner):
    out = run_cli(runner, ["due", "2025-003-lund", "--workspace", str(EXAMPLES), "--today", "2026-11-23"])
    assert out.exit_code == 0  # consents about to expire: exit 0
    assert "Samtykket (c2, Thomas Lund) til at dele oplysninger med Jobcentret udløber 18. december 2026" in out.stdout
    narrow = run_cli(runner, ["due", "2025-003-lund", "--workspace", str(EXAMPLES), "--today", "2026-11-23",
                              "--consents-within", "10"])
    assert "udløber" not in narrow.stdout


def test_withdrawn_while_the_department_still_works(runner, minimal_ws):
    path = _case_yaml(minimal_ws)
    path.write_text(path.read_text().replace("    from: 2026-03-02\nx-local", "    from: 2026-03-02\n"
                                             "    withdrawn: 2026-03-05\nx-local"))
    _, case = load_one(minimal_ws, MINIMAL_CASE)
    [notice] = consent_notices(_facts(case), dt.date(2026, 3, 6))
    # sb-familie (familie) answers for the open agreement a1
    assert (notice.kind, notice.date, notice.still_working) == ("withdrawn", dt.date(2026, 3, 5), ("familie",))
    assert str(notice.source).endswith("case.yaml:33:16")
    status = run_cli(runner, ["status", "--workspace", str(minimal_ws), "--today", "2026-03-06", "--format", "json"])
    [row] = json.loads(status.stdout)["cases"]
    assert row["consents"][0]["message"] == (
        "Samtykket (c1, Mor Test) til at dele oplysninger med Børne- og familiecentret blev trukket tilbage "
        "5. marts 2026, men Børne- og familiecentret har stadig åbne aftaler eller aktive indsatser i sagen")
    en = run_cli(runner, ["due", "--workspace", str(minimal_ws), "--today", "2026-03-06", "--lang", "en"])
    assert "was withdrawn on 5 March 2026, but Børne- og familiecentret still has open agreements" in en.stdout


def test_ended_consent_without_work_left_is_quiet(minimal_ws):
    path = _case_yaml(minimal_ws)
    path.write_text(path.read_text().replace("    from: 2026-03-02\nx-local", "    from: 2026-03-02\n"
                                             "    until: 2026-03-03\nx-local"))
    agreements = minimal_ws / "cases" / MINIMAL_CASE / "agreements.yaml"
    agreements.write_text(agreements.read_text().replace("    status: open", "    status: done\n    done: 2026-03-04"))
    _, case = load_one(minimal_ws, MINIMAL_CASE)
    assert consent_notices(_facts(case), dt.date(2026, 3, 10)) == []
    assert [n.kind for n in consent_notices(_facts(case), dt.date(2026, 3, 1))] == ["expiring"]


def _facts(case) -> CaseFacts:  # type: ignore[no-untyped-def]
    return case_facts(case, WorkCalendar(Settings()))
