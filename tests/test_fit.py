"""`fit` on a seed-like case (tests/data/fit, the example of docs/fit.md): a mother in
addiction treatment three mornings a week and family therapy twice two hours, a child
at school, and the jobcenter asking where a course fits."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import DATA, run_cli
from familieplan import api
from familieplan.commands.fit_options import parse_days, parse_length, parse_within
from familieplan.problems import UsageError

CASE = "2026-003-berg"
TODAY = "2026-03-02"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(DATA / "fit", target)
    return target


def fit(runner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(runner, ["fit", CASE, "--workspace", str(ws), "--today", TODAY, *args])


def test_thirty_hours_never_fit_under_twenty(runner, ws):
    result = fit(runner, ws, "--person", "maja", "--length", "6h", "--per-week", "5")
    assert result.exit_code == 1
    assert ("30 timer om ugen kan ikke rummes: Maja Berg har allerede 10 timer "
            "(Familiebehandling, Misbrugsbehandling) og en grænse på 20") in result.output
    assert "Det kan rummes fra" not in result.output  # 30 hours never fit under 20
    data = json.loads(fit(runner, ws, "--person", "maja", "--length", "6h", "--per-week", "5",
                          "--format", "json").output)
    assert list(data) == ["format", "problems", "proposals", "reasons", "summary"]  # the one JSON style
    assert data["proposals"] == [] and data["problems"] == [] and data["summary"]["fits"] is False
    hours = [r for r in data["reasons"] if r["kind"] == "hours"]
    assert hours and hours[0]["person"] == "maja" and "20" in hours[0]["message"]


def test_sixteen_hour_course_starts_the_week_after_the_treatment(runner, ws):
    result = fit(runner, ws, "--person", "maja", "--length", "4h", "--per-week", "4", "--weeks", "8",
                 "--format", "json")
    assert result.exit_code == 0
    proposals = json.loads(result.output)["proposals"]
    # The addiction treatment's last session is Friday 26 June 2026.
    assert {p["start"] for p in proposals} == {"2026-06-29"}
    assert {p["end"] for p in proposals} == {"2026-08-23"}
    assert all(p["max_hours"]["maja"] <= 20 for p in proposals)
    # Without --weeks the whole plan is asked for: nothing fits, but from 29 June it would.
    fixed = fit(runner, ws, "--person", "maja", "--length", "4h", "--per-week", "4")
    assert fixed.exit_code == 1
    assert "Det kan rummes fra 29. juni 2026 (til 26. februar 2027)" in fixed.output


def test_family_session_needs_mother_and_child_free_at_once(runner, ws):
    result = fit(runner, ws, "--person", "maja", "--person", "liv", "--length", "1h", "--per-week", "1",
                 "--limit", "0", "--format", "json")
    assert result.exit_code == 0
    sessions = [p["sessions"] for p in json.loads(result.output)["proposals"]]
    # Liv is at school until 14, Maja fetches the children from 15, and family therapy
    # takes Tuesday and Thursday 13–15: only 14–15 on the other three days is left.
    assert sessions == [[{"days": [day], "from": "14:00", "to": "15:00"}] for day in ("mon", "wed", "fri")]
    alone = fit(runner, ws, "--person", "liv", "--length", "1h", "--per-week", "1", "--limit", "0",
                "--format", "json")
    assert len(json.loads(alone.output)["proposals"]) > 3  # Liv alone is free later too


def test_three_by_three_hours_and_the_words(runner, ws):
    result = fit(runner, ws, "--person", "maja", "--length", "3h", "--per-week", "3", "--department", "jobcenter",
                 "--area", "education")
    assert result.exit_code == 0
    assert "Intern visning: nævner alle afdelingers aftaler." in result.output
    first = result.output.splitlines()[3]
    assert first == ("  1. mandag, onsdag og fredag kl. 11.45–14.45, fra 2. marts 2026 — højst 19 timer om ugen "
                     "(advarsler: uden for fasens fokus)")
    english = fit(runner, ws, "--person", "maja", "--length", "3h", "--per-week", "3", "--lang", "en")
    assert "Monday, Wednesday and Friday 11:45–14:45, from 2 March 2026 — at most 19 hours a week" in english.output


def test_json_sessions_paste_into_the_plan(runner, ws):
    result = fit(runner, ws, "--person", "maja", "--length", "90m", "--per-week", "2", "--every", "2",
                 "--within", "08:00-13:00", "--travel", "15", "--department", "jobcenter", "--area", "employment",
                 "--format", "json", "--limit", "3")
    data = json.loads(result.output)
    assert list(data) == ["format", "problems", "proposals", "reasons", "summary"]
    proposal = data["proposals"][0]
    assert set(proposal) == {"sessions", "start", "end", "max_hours", "warnings"}
    assert all(s["every"] == 2 for s in proposal["sessions"])
    plan = ws / "cases" / CASE / "plan.yaml"
    plan.write_text(plan.read_text() + f"""\
  - id: kursus
    title: Kursus
    department: jobcenter
    responsible: sb-job
    area: employment
    attendees: [maja]
    from: {proposal["start"]}
    to: {proposal["end"]}
    travel_minutes: 15
    sessions: {json.dumps(proposal["sessions"])}
""")
    assert run_cli(runner, ["validate", "--workspace", str(ws)]).exit_code == 0
    check = run_cli(runner, ["check-load", CASE, "--workspace", str(ws), "--format", "json"])
    assert check.exit_code == 0, check.output
    assert not [f for f in json.loads(check.output)["findings"] if "kursus" in f["interventions"] and f["level"] == "error"]


def test_for_a_reader_names_only_what_the_consent_allows(runner, ws):
    args = ["--person", "maja", "--length", "4h", "--per-week", "4", "--format", "md"]
    hidden = fit(runner, ws, *args, "--for", "familiebehandler")
    assert hidden.exit_code == 1
    # The family counsellor reads the family treatment (their department's own work), not
    # the addiction treatment.
    assert "Misbrugsbehandling" not in hidden.output and "Familiebehandling" in hidden.output
    assert "andre aftaler" in hidden.output and "Til Peter Lind" in hidden.output
    own = fit(runner, ws, *args, "--for", "behandler")
    assert "Misbrugsbehandling" in own.output and "Familiebehandling" not in own.output
    internal = fit(runner, ws, *args)
    assert "Misbrugsbehandling" in internal.output and "Intern visning" in internal.output
    tokens = MarkdownIt().parse(internal.output)
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1"]


def test_markdown_table(runner, ws):
    result = fit(runner, ws, "--person", "maja", "--length", "2h", "--per-week", "2", "--format", "md")
    tokens = MarkdownIt().enable("table").parse(result.output)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 6  # a header and five proposals


def test_errors_the_plan_already_has_are_context(runner, ws):
    plan = ws / "cases" / CASE / "plan.yaml"
    plan.write_text(plan.read_text().replace("attendees: [maja]\n    from: 2026-03-02\n    to: 2027-02-26",
                                             "attendees: [maja, liv]\n    from: 2026-03-02\n    to: 2027-02-26"))
    result = fit(runner, ws, "--person", "liv", "--length", "1h", "--per-week", "1")
    assert result.exit_code == 0  # Liv's school and family therapy collide, but that is not the question
    assert "Fejl, som planen allerede har" in result.output
    assert "Familiebehandling" in result.output.split("Fejl, som planen allerede har")[1]


@pytest.mark.parametrize("args, message", [
    (["--person", "nobody", "--length", "1h", "--per-week", "1"], "ikke en af sagens personer"),
    (["--person", "maja", "--length", "3x", "--per-week", "1"], "--length"),
    (["--person", "maja", "--length", "1h", "--per-week", "3", "--days", "mon,tue"], "--per-week"),
    (["--person", "maja", "--length", "9h", "--per-week", "1"], "--within"),
    (["--person", "maja", "--length", "1h", "--per-week", "1", "--department", "skat"], "--department"),
    (["--person", "maja", "--length", "1h", "--per-week", "1", "--for", "stranger"], "--for"),
    (["--person", "maja", "--length", "1h", "--per-week", "1", "--from", "2030-01-01"], "intet af planperioden"),
])
def test_usage_errors_exit_2(runner, ws, args, message):
    result = fit(runner, ws, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_option_parsing():
    assert [parse_length(x) for x in ("3h", "1.5h", "1,5t", "90m", "1:30", "45min")] == [180, 90, 90, 90, 90, 45]
    assert parse_days("man,ons,fri") == (0, 2, 4)
    assert parse_within("8.30–12:00") == (510, 720)
    for bad in ("0m", "25h", "1:75"):
        with pytest.raises(UsageError):
            parse_length(bad)


def test_library_call(ws):
    request = api.FitRequest(("maja",), api.Demand(length=180, per_week=3), today=dt.date(2026, 3, 2), limit=1)
    result = api.fit(ws, CASE, request)
    assert result.fits and len(result.proposals) == 1
    assert result.proposals[0].max_hours == {"maja": 19.0}


def test_docs_example_is_current(runner, ws):
    """The proposal lines of docs/fit.md's worked example are what the command prints."""
    doc = (Path(__file__).parent.parent / "docs" / "fit.md").read_text(encoding="utf-8")
    shown = [line for line in doc.splitlines() if line.startswith("  1. ") or line.startswith("  2. ")]
    assert len(shown) >= 3
    outputs = fit(runner, ws, "--person", "maja", "--length", "3h", "--per-week", "3", "--department", "jobcenter",
                  "--area", "education", "--limit", "3").output
    outputs += fit(runner, ws, "--person", "maja", "--length", "4h", "--per-week", "4", "--weeks", "10",
                   "--limit", "1").output
    for line in shown:
        assert line in outputs


def test_json_of_a_case_that_does_not_validate_is_its_object_with_the_problems(runner, ws):
    plan = ws / "cases" / CASE / "plan.yaml"
    plan.write_text(plan.read_text().replace("to: 2027-02-26", "to: 2027-02-30", 1))
    result = fit(runner, ws, "--person", "maja", "--length", "2h", "--per-week", "1", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == ["format", "problems", "proposals", "reasons", "summary"]
    assert [(p["code"], p["line"]) for p in data["problems"]] == [("bad-date", 3)] and data["proposals"] == []
