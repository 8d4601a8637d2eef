"""check-load on small cases: each code, every:2, except, holidays, travel, meetings,
person overrides, merged findings, the JSON fields and the exit codes."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from markdown_it import MarkdownIt

from conftest import EXAMPLES, MINIMAL_CASE, run_cli

CASE = """\
id: 2026-001-test
title: Familien Test
opened: 2026-03-02
status: active
coordinator: sb-job
people:
  - id: mor
    name: Mor Test
    role: parent
{person_extra}
professionals:
  - id: sb-job
    name: Line
    department: jobcenter
  - id: sb-familie
    name: Karim
    department: familie
  - id: sb-misbrug
    name: Bo
    department: misbrug
"""

PLAN = """\
title: Plan
from: 2026-03-02
to: 2026-12-31
phases:
  - id: f1
    name: Første
    from: 2026-03-02
    to: 2026-12-31
    focus: {focus}
interventions:
{interventions}
"""


def iv(ident: str, dept: str, area: str = "family", sessions: str = "", extra: str = "",
       start: str = "2026-03-02", end: str = "2026-05-29") -> str:
    text = f"""\
- id: {ident}
  title: {ident.title()}
  department: {dept}
  responsible: sb-{dept if dept != 'jobcenter' else 'job'}
  area: {area}
  attendees: [mor]
  from: {start}
  to: {end}
"""
    if sessions:
        text += "  sessions:\n" + textwrap.indent(textwrap.dedent(sessions), "    ")
    if extra:
        text += textwrap.indent(textwrap.dedent(extra), "  ")
    return textwrap.indent(text, "  ")


def session(days: str, start: str, end: str, every: int = 1) -> str:
    return f"- days: [{days}]\n  from: {start}\n  to: {end}\n  every: {every}\n"


def setup(ws: Path, interventions: list[str], person_extra: str = "", focus: str = "[family, employment, education, addiction]",
          meetings: dict[str, str] | None = None) -> Path:
    folder = ws / "cases" / MINIMAL_CASE
    (folder / "case.yaml").write_text(CASE.format(person_extra=person_extra))
    (folder / "plan.yaml").write_text(PLAN.format(focus=focus, interventions="".join(interventions)))
    (folder / "agreements.yaml").unlink(missing_ok=True)
    for path in (folder / "meetings").glob("*.yaml"):
        path.unlink()
    for name, text in (meetings or {}).items():
        (folder / "meetings" / f"{name}.yaml").write_text(text)
    settings = ws / "familieplan.yaml"
    if "misbrug" not in settings.read_text():
        settings.write_text(settings.read_text().replace("  familie: Børne- og familiecentret",
                                                         "  familie: Børne- og familiecentret\n  misbrug: Rusmiddelcentret"))
    return ws


def findings(runner, ws: Path, *args: str) -> tuple[int, list[dict]]:
    result = run_cli(runner, ["check-load", "--workspace", str(ws), "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["problems"] == [] or all(p["level"] == "warning" for p in report["problems"])
    return result.exit_code, report["findings"]


def by_code(items: list[dict], code: str) -> list[dict]:
    return [f for f in items if f["code"] == code]


def test_overlap_is_one_finding_with_range_and_count(runner, minimal_ws):
    setup(minimal_ws, [iv("kursus", "jobcenter", sessions=session("mon", "09:00", "12:00")),
                       iv("behandling", "misbrug", sessions=session("mon", "11:00", "13:00"))])
    code, items = findings(runner, minimal_ws)
    [f] = by_code(items, "overlap")
    assert code == 1
    assert f["interventions"] == ["behandling", "kursus"]
    assert f["departments"] == ["jobcenter", "misbrug"]
    assert f["responsible"] == ["sb-job", "sb-misbrug"]
    # 13 Mondays from 2 March to 25 May 2026, less Easter Monday (6 April) and Whit Monday (25 May)
    assert (f["first"], f["last"], f["occurrences"]) == ("2026-03-02", "2026-05-18", 11)
    assert {s.split(":")[0].rsplit("/", 1)[-1] for s in f["sources"]} == {"plan.yaml"}
    assert "overlapper for Mor Test" in f["message"]
    assert set(f) >= {"case", "person", "code", "level", "interventions", "departments", "first", "last",
                      "weeks", "occurrences", "hours", "sources", "message"}


def test_every_second_week_and_except(runner, minimal_ws):
    setup(minimal_ws, [iv("a", "jobcenter", sessions=session("tue", "09:00", "10:00", every=2),
                          extra="except: [2026-03-17]\n"),
                       iv("b", "familie", sessions=session("tue", "09:30", "10:30", every=1))])
    _, items = findings(runner, minimal_ws)
    [f] = by_code(items, "overlap")
    # a: Tuesdays 3, 17, 31 March, 14, 28 April, 12, 26 May; 17 March is excepted
    assert (f["first"], f["last"], f["occurrences"]) == ("2026-03-03", "2026-05-26", 6)


def test_travel_time_widens_sessions(runner, minimal_ws):
    no_travel = [iv("a", "jobcenter", sessions=session("wed", "09:00", "10:00")),
                 iv("b", "familie", sessions=session("wed", "10:10", "11:00"))]
    setup(minimal_ws, no_travel)
    _, items = findings(runner, minimal_ws)
    assert not by_code(items, "overlap") and by_code(items, "short-gap")
    with_travel = [iv("a", "jobcenter", sessions=session("wed", "09:00", "10:00"), extra="travel_minutes: 15\n"),
                   iv("b", "familie", sessions=session("wed", "10:10", "11:00"))]
    setup(minimal_ws, with_travel)
    _, items = findings(runner, minimal_ws)
    [f] = by_code(items, "overlap")
    assert f["occurrences"] == 13


def test_holidays_remove_sessions(runner, minimal_ws):
    # Thursdays 2 April (Maundy Thursday) and 14 May (Ascension) are holidays.
    setup(minimal_ws, [iv("a", "jobcenter", sessions=session("thu", "09:00", "10:00"), start="2026-03-30", end="2026-05-20"),
                       iv("b", "familie", sessions=session("thu", "09:00", "10:00"), start="2026-03-30", end="2026-05-20")])
    _, items = findings(runner, minimal_ws)
    [f] = by_code(items, "overlap")
    assert (f["first"], f["occurrences"]) == ("2026-04-09", 5)


def test_unavailable(runner, minimal_ws):
    person = "    unavailable:\n      - days: [fri]\n        from: 14:00\n        to: 15:00\n        reason: Henter børn\n"
    setup(minimal_ws, [iv("a", "familie", sessions=session("fri", "13:00", "14:30"))], person_extra=person)
    _, items = findings(runner, minimal_ws)
    [f] = by_code(items, "unavailable")
    assert f["level"] == "error" and "Henter børn" in f["message"]
    assert f["occurrences"] == 12  # 13 Fridays less Good Friday


def test_over_capacity_with_person_override(runner, minimal_ws):
    course = iv("kursus", "jobcenter", sessions=session("mon, tue, wed, thu, fri", "08:00", "12:00"))
    setup(minimal_ws, [course])
    _, items = findings(runner, minimal_ws)
    assert by_code(items, "over-capacity") == []  # 20 hours is the workspace limit, not above it
    setup(minimal_ws, [course], person_extra="    load:\n      max_hours_per_week: 12\n")
    _, items = findings(runner, minimal_ws)
    [f] = by_code(items, "over-capacity")
    assert f["hours"] == {"hours": 20.0, "limit": 12.0, "week": "2026-W10"}
    assert f["weeks"][0] == "2026-W10" and f["weeks"][-1] == "2026-W22"
    assert "2026-W15" in f["weeks"]  # Easter week: 12 hours in 3 days is not above 12
    assert len(f["weeks"]) == f["occurrences"]


def test_hours_per_week_and_meetings_count(runner, minimal_ws):
    meeting = textwrap.dedent("""\
        title: Møde
        date: 2026-03-04
        from: 13:00
        to: 15:00
        chair: sb-misbrug
        participants: [mor, sb-misbrug]
        """)
    setup(minimal_ws, [iv("a", "jobcenter", extra="hours_per_week: 11\n"),
                       iv("b", "familie", sessions=session("wed", "09:00", "10:00"))],
          person_extra="    load:\n      max_hours_per_week: 13\n      max_departments_per_week: 2\n",
          meetings={"2026-03-04-moede": meeting})
    _, items = findings(runner, minimal_ws)
    [cap] = by_code(items, "over-capacity")
    assert cap["weeks"] == ["2026-W10"] and cap["hours"]["hours"] == 14.0
    assert cap["meetings"] == ["2026-03-04-moede"]
    [depts] = by_code(items, "too-many-departments")
    assert depts["weeks"] == ["2026-W10"] and depts["level"] == "warning"


def test_busy_day(runner, minimal_ws):
    setup(minimal_ws, [iv("a", "jobcenter", sessions=session("mon", "08:00", "09:00")),
                       iv("b", "familie", sessions=session("mon", "11:00", "12:00")),
                       iv("c", "misbrug", area="addiction", sessions=session("mon", "14:00", "15:00"), end="2026-03-16")])
    _, items = findings(runner, minimal_ws)
    [f] = by_code(items, "busy-day")
    assert (f["first"], f["last"], f["occurrences"]) == ("2026-03-02", "2026-03-16", 3)


def test_off_focus(runner, minimal_ws):
    setup(minimal_ws, [iv("kursus", "jobcenter", area="education", sessions=session("mon", "09:00", "10:00"))],
          focus="[family]")
    code, items = findings(runner, minimal_ws)
    [f] = by_code(items, "off-focus")
    assert f["level"] == "warning" and code == 0
    assert "fase f1" in f["message"]
    strict = run_cli(runner, ["check-load", "--workspace", str(minimal_ws), "--strict"])
    assert strict.exit_code == 1


def test_window_and_person_options(runner, minimal_ws):
    setup(minimal_ws, [iv("kursus", "jobcenter", sessions=session("mon", "09:00", "12:00")),
                       iv("behandling", "misbrug", sessions=session("mon", "11:00", "13:00"))])
    _, items = findings(runner, minimal_ws, "--from", "2026-04-01", "--to", "2026-04-30")
    [f] = by_code(items, "overlap")
    assert (f["first"], f["last"], f["occurrences"]) == ("2026-04-13", "2026-04-27", 3)
    # A filter that names nobody is a usage error with a "did you mean", not an all-clear.
    nobody = run_cli(runner, ["check-load", "--workspace", str(minimal_ws), "--person", "Mor"])
    assert nobody.exit_code == 2 and "mente du 'mor'?" in nobody.output and nobody.stdout == ""


def test_invalid_case_is_skipped_with_exit_1(runner, minimal_ws):
    plan = minimal_ws / "cases" / MINIMAL_CASE / "plan.yaml"
    plan.write_text(plan.read_text().replace("to: 2026-12-18", "to: 2026-02-30"))
    result = run_cli(runner, ["check-load", "--workspace", str(minimal_ws)])
    assert result.exit_code == 1
    assert f"cases/{MINIMAL_CASE}: sprunget over: sagen har 1 fejl; kør 'familieplan validate" in result.stderr


def test_examples_overloaded_case_and_quiet_cases(runner):
    result = run_cli(runner, ["check-load", "--workspace", str(EXAMPLES), "--format", "json"])
    items = json.loads(result.stdout)["findings"]
    assert result.exit_code == 1
    cases = {f["case"] for f in items}
    assert cases == {"2026-002-karimi"}  # the well-coordinated cases yield no finding at all
    codes = {f["code"] for f in items}
    assert {"overlap", "over-capacity", "unavailable", "off-focus"} <= codes
    [cap] = [f for f in items if f["code"] == "over-capacity"]
    assert cap["hours"]["hours"] > 30 and cap["hours"]["limit"] == 20
    assert set(cap["departments"]) == {"jobcenter", "familie", "misbrug"}


def test_text_view_groups_and_overview(runner):
    result = run_cli(runner, ["check-load", "2026-002-karimi", "--workspace", str(EXAMPLES)])
    out = result.stdout
    assert "Familien Karimi" in out and "Nadia Karimi" in out
    assert out.index("fejl overlap") < out.index("advarsel busy-day")
    assert "uge 10–26 2026" in out
    assert "Ugentlig belastning, Nadia Karimi" in out and "█" in out
    english = run_cli(runner, ["check-load", "2026-002-karimi", "--workspace", str(EXAMPLES), "--lang", "en"])
    assert "Weekly load" in english.stdout and "week 10–26 2026" in english.stdout


def test_markdown_report_is_a_table(runner):
    result = run_cli(runner, ["check-load", "--workspace", str(EXAMPLES), "--format", "md"])
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    assert [t.content for t in tokens if t.type == "inline"][0] == "Belastning på tværs af afdelinger"
    rows = [t for t in tokens if t.type == "tr_open"]
    report = json.loads(run_cli(runner, ["check-load", "--workspace", str(EXAMPLES), "--format", "json"]).stdout)
    findings, attendance = report["findings"], report["attendance"]
    assert attendance  # the Karimi case records attendance: one table row per person and intervention
    assert len(rows) == 1 + len(findings) + 1 + len(attendance)


def _generated_findings(tmp_path: Path, cases: int = 12):  # type: ignore[no-untyped-def]
    """Findings of every code from a generated caseload (bench/gen.py) and the examples."""
    import datetime as dt
    import subprocess
    import sys

    from familieplan.commands.check_load import LoadOptions, check_load

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "gen"
    subprocess.run([sys.executable, str(root / "bench" / "gen.py"), str(out), "--cases", str(cases)], check=True,
                   capture_output=True)
    return [check_load(ws, [], LoadOptions(today=dt.date(2026, 11, 26)), cache=False) for ws in (out, EXAMPLES)]


def test_schedules_built_for_one_person_first_are_those_built_for_everyone() -> None:
    """One person's schedules are those of everyone's, for each window."""
    import copy
    import datetime as dt

    from familieplan.engine.cases import load_cases, settings_of, target_folders
    from familieplan.schedule.calendar import work_calendar
    from familieplan.schedule.demands import build_schedules

    settings, _, _ = settings_of(EXAMPLES)
    calendar = work_calendar(settings)
    cases = load_cases(EXAMPLES, settings, target_folders(EXAMPLES, []), only_active=False).loaded
    assert cases
    for case in cases:
        people = [p.id for p in case.info.people] if case.info else []
        for window in ((None, None), (dt.date(2026, 4, 1), dt.date(2026, 6, 30))):
            fresh = build_schedules(copy.deepcopy(case), settings, calendar, window)
            for person in people[::-1]:
                assert build_schedules(case, settings, calendar, window, person) == \
                    [s for s in fresh if s.person.id == person]
            assert build_schedules(case, settings, calendar, window) == fresh


def test_describers_share_words_only_within_one_settings_and_language(tmp_path: Path) -> None:
    """The words that do not depend on a case (areas, the phases' focus, the templates)
    are those of the describer's own settings and language, whatever the order."""
    import dataclasses

    from familieplan.render.finding_words import Describer

    result = _generated_findings(tmp_path, cases=3)[0]
    focus = [f for f in result.findings if f.code == "off-focus"]
    assert focus
    area = str(focus[0].detail["area"])
    renamed = dataclasses.replace(result.settings, areas={**result.settings.areas, area: "Særlige hensyn"})

    def message(settings, lang):  # type: ignore[no-untyped-def]
        return Describer(settings, result.cases, lang).message(focus[0])

    plain_da, plain_en = message(result.settings, "da"), message(result.settings, "en")
    for _ in range(2):
        assert "særlige hensyn" in message(renamed, "da")
        assert message(result.settings, "da") == plain_da
        assert message(result.settings, "en") == plain_en
        assert "særlige hensyn" not in message(renamed, "en")
    assert "særlige hensyn" not in plain_da and "is about" in plain_en and "handler om" in plain_da
