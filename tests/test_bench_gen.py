"""The bench's generated workspace (bench/gen.py) is valid, and a coordinator's or a
professional's filter chooses their share of it (N/33 cases), not every case. No timing:
speed is measured in bench/."""

from __future__ import annotations

import collections
import datetime as dt
import importlib.util
from pathlib import Path

import yaml

from familieplan import api
from familieplan.problems import ERROR

GEN = Path(__file__).resolve().parent.parent / "bench" / "gen.py"
CASES = 66  # two cases for each of the 33 professionals of a department


def _gen():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_gen", GEN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_workspace_is_valid_and_shared_out(tmp_path: Path) -> None:
    gen = _gen()
    root = gen.generate(tmp_path / "ws", CASES)
    result = api.validate([], workspace=root, jobs=1, cache=False)
    assert result.cases == CASES
    assert [p for p in result.problems if p.level == ERROR] == []

    coordinators: collections.Counter[str] = collections.Counter()
    professionals: collections.Counter[str] = collections.Counter()
    for case_yaml in sorted((root / "cases").glob("*/case.yaml")):
        info = yaml.safe_load(case_yaml.read_text(encoding="utf-8"))
        ids = [p["id"] for p in info["professionals"]]
        assert info["coordinator"] in ids and info["contact"] in ids
        coordinators[info["coordinator"]] += 1
        professionals.update(ids)
    share = CASES // gen.TEAM
    assert len(coordinators) == gen.TEAM and set(coordinators.values()) == {share}
    assert set(professionals.values()) == {share}
    assert coordinators["sb-jobcenter-07"] == share


def test_filters_choose_one_professionals_cases(tmp_path: Path) -> None:
    gen = _gen()
    root = gen.generate(tmp_path / "ws", CASES)
    today = dt.date(2026, 11, 23)
    share = CASES // gen.TEAM
    status = api.status(root, today, "sb-jobcenter-07", jobs=1, cache=False)
    assert len(status.rows) == share
    assert {row.coordinator for row in status.rows} == {"sb-jobcenter-07"}
    due = api.due(root, [], api.DueOptions(today=today, within_days=3650, responsible="sb-familie-07"), jobs=1,
                  cache=False)
    assert due.deadlines and {d.responsible for d in due.deadlines} == {"sb-familie-07"}
    assert len({d.case for d in due.deadlines}) <= share


def test_generated_workspace_has_the_statutory_facts(tmp_path: Path) -> None:
    gen = _gen()
    root = gen.generate(tmp_path / "ws", CASES)
    due = api.due(root, [], api.DueOptions(today=dt.date(2026, 11, 23), within_days=3650), jobs=1, cache=False)
    rules = {d.rule for d in due.deadlines if d.kind == "statutory"}
    assert {"bl-20-investigation", "bl-95-follow-up", "access-request", "gdpr-12-access"} <= rules
    assert {"lab-31-jobsamtaler", "lab-jobsamtaler"} & rules
    assert {n.rule for _, n in due.notices} >= {"lab-jobsamtaler"}
