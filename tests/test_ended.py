"""An intervention that ends early (`ended: {from, reason}`, FORMAT third edition), and
`fit --instead`: no demand on or after the day, every reference still valid, the plan, the
minutes, the calendar and `changes` saying so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import run_cli

KARIMI = "2026-002-karimi"
ENDED = dt.date(2026, 4, 1)
REASON = "Nadia fortsætter i et dagtilbud i stedet"
# The treatment ends on 1 April 2026; its sessions are Mondays, Wednesdays and Fridays.
ENDING = f"""    ended:
      from: {ENDED}
      reason: {REASON}
"""


def _plan(ws: Path) -> Path:
    return ws / "cases" / KARIMI / "plan.yaml"


def end_treatment(ws: Path, ending: str = ENDING) -> None:
    """`ended` on misbrugsbehandling, after its `travel_minutes` line."""
    plan = _plan(ws)
    text = plan.read_text(encoding="utf-8")
    anchor = "    travel_minutes: 20\n"
    assert text.count(anchor) == 1
    plan.write_text(text.replace(anchor, anchor + ending), encoding="utf-8")


def remove_treatment(ws: Path) -> None:
    """misbrugsbehandling deleted from plan.yaml by hand (nothing refers to it)."""
    plan = _plan(ws)
    text = plan.read_text(encoding="utf-8")
    start = text.index("  - id: misbrugsbehandling\n")
    end = text.index("  - id: familiebehandling\n")
    plan.write_text(text[:start] + text[end:], encoding="utf-8")


def check_load(runner, ws: Path, today: str = "2026-06-30") -> dict:
    result = run_cli(runner, ["check-load", KARIMI, "--workspace", str(ws), "--format", "json", "--today", today])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_ended_validates_and_keeps_references(runner, examples_ws):
    end_treatment(examples_ws)
    result = run_cli(runner, ["validate", "--workspace", str(examples_ws), str(examples_ws / "cases" / KARIMI)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("day", ["2025-12-01", "2026-12-21"])
def test_ended_outside_the_period_is_an_error_at_its_line(runner, examples_ws, day):
    end_treatment(examples_ws, ENDING.replace(str(ENDED), day))
    result = run_cli(runner, ["validate", "--workspace", str(examples_ws), "--format", "json",
                              str(examples_ws / "cases" / KARIMI)])
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["problems"]
    lines = _plan(examples_ws).read_text(encoding="utf-8").splitlines()
    assert problem["code"] == "ended-outside-period" and problem["level"] == "error"
    assert lines[problem["line"] - 1].strip() == f"from: {day}"
    assert "2026-01-05 – 2026-12-18" in problem["message"]


def test_ended_without_from_is_a_schema_error(runner, examples_ws):
    end_treatment(examples_ws, "    ended:\n      reason: Ingen dato\n")
    result = run_cli(runner, ["validate", "--workspace", str(examples_ws), str(examples_ws / "cases" / KARIMI)])
    assert result.exit_code == 1 and "from" in result.stdout


def test_check_load_counts_no_demand_from_the_day(runner, examples_ws):
    before = check_load(runner, examples_ws)
    end_treatment(examples_ws)
    after = check_load(runner, examples_ws)

    def overlap(report: dict) -> dict:
        return next(f for f in report["findings"]
                    if f["code"] == "overlap" and f["interventions"] == ["brobygning", "misbrugsbehandling"])

    assert overlap(before)["last"] == "2026-06-26"
    # The last Monday before Wednesday 1 April; the overlap from then on is gone.
    assert overlap(after)["first"] == "2026-03-02" and overlap(after)["last"] == "2026-03-30"
    assert overlap(after)["occurrences"] < overlap(before)["occurrences"]
    for finding in after["findings"]:
        if "misbrugsbehandling" in finding["interventions"]:
            assert dt.date.fromisoformat(finding["first"]) < ENDED
    # Attendance: sessions are counted up to the day before the end, not to --today.
    [treatment] = [row for row in after["attendance"] if row["intervention"] == "misbrugsbehandling"]
    [treatment_before] = [row for row in before["attendance"] if row["intervention"] == "misbrugsbehandling"]
    assert treatment["planned"] < treatment_before["planned"]


def test_schedule_has_no_session_on_or_after_the_day(examples_ws):
    from familieplan.engine.cases import load_one
    from familieplan.schedule.calendar import WorkCalendar
    from familieplan.schedule.demands import build_schedules

    end_treatment(examples_ws)
    settings, case = load_one(examples_ws, KARIMI)
    [nadia] = build_schedules(case, settings, WorkCalendar(settings), only_person="nadia")
    dates = [slot.date(week) for slot in nadia.slots if slot.ref.id == "misbrugsbehandling"
             for week in slot.weeks.weeks()]
    assert dates and max(dates) == dt.date(2026, 3, 30) and min(dates) == dt.date(2026, 1, 5)


def test_export_ics_ends_the_series(runner, examples_ws):
    import icalendar

    end_treatment(examples_ws)
    result = run_cli(runner, ["export-ics", KARIMI, "--workspace", str(examples_ws), "--person", "nadia",
                              "--output", "-"])
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(result.stdout)
    [series] = [ev for ev in calendar.walk("VEVENT") if "misbrugsbehandling-s0" in str(ev["UID"])]
    until = series["RRULE"]["UNTIL"][0]
    assert until.date() in (dt.date(2026, 3, 30), dt.date(2026, 3, 31))  # 23:59:59 local, in UTC
    assert until < dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc)


def test_plan_says_it_was_ended_and_why(runner, examples_ws):
    end_treatment(examples_ws)
    for fmt, lang, words in (("md", "da", "Indsatsen »Ambulant behandling for rusmidler« blev afsluttet fra 1. april 2026"),
                             ("md", "en", "The intervention “Ambulant behandling for rusmidler” was ended from 1 April 2026"),
                             ("html", "da", "blev afsluttet fra 1. april 2026")):
        result = run_cli(runner, ["render-plan", KARIMI, "--workspace", str(examples_ws), "-f", fmt, "--lang", lang,
                                  "--today", "2026-05-01", "--output", "-", "--now", "2026-05-01T10:00"])
        assert result.exit_code == 0, result.output
        assert words in result.stdout and REASON in result.stdout
    # Still in the plan, with its period.
    assert "5. januar – 18. december 2026" in run_cli(runner, [
        "render-plan", KARIMI, "--workspace", str(examples_ws), "--today", "2026-05-01", "--output", "-",
        "--now", "2026-05-01T10:00"]).stdout


def test_minutes_of_the_next_meeting_say_it(runner, examples_ws):
    end_treatment(examples_ws)
    created = run_cli(runner, ["new-meeting", KARIMI, "--workspace", str(examples_ws), "--date", "2026-05-04"])
    assert created.exit_code == 0, created.output
    meeting = examples_ws / "cases" / KARIMI / "meetings" / "2026-05-04-faellesmoede.yaml"
    result = run_cli(runner, ["render-minutes", str(meeting), "--workspace", str(examples_ws), "--output", "-",
                              "--now", "2026-05-04T10:00", "--today", "2026-05-04"])
    assert result.exit_code == 0, result.output
    since = result.stdout.split("## Siden sidste møde", 1)[1].split("\n## ", 1)[0]
    assert f"Indsatsen »Ambulant behandling for rusmidler« blev afsluttet fra 1. april 2026: {REASON}" in since


def test_changes_report_the_end(tmp_path, examples_ws):
    from familieplan.commands.plan_diff import diff_cases
    from familieplan.engine.cases import load_one

    settings, old = load_one(examples_ws, KARIMI)
    end_treatment(examples_ws)
    _settings, new = load_one(examples_ws, KARIMI)
    from familieplan.schedule.calendar import WorkCalendar

    changes = diff_cases(old, new, WorkCalendar(settings), None, dt.date(2026, 5, 1))
    [ended] = [c for c in changes if c.kind == "intervention-ended"]
    assert ended.id == "misbrugsbehandling" and ended.effective == dt.date(2026, 3, 31)
    assert ended.details["old_end"] == dt.date(2026, 12, 18)


# --- fit --instead --------------------------------------------------------------------------

FIT = ["fit", KARIMI, "--person", "nadia", "--length", "2h", "--per-week", "2", "--today", "2026-07-01",
       "--format", "json", "--limit", "0"]


def fit_json(runner, ws: Path, *extra: str) -> dict:
    result = run_cli(runner, [*FIT, "--workspace", str(ws), *extra])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_fit_instead_gives_the_proposals_of_the_plan_without_it(runner, examples_ws, tmp_path):
    import shutil

    by_hand = tmp_path / "by-hand"
    shutil.copytree(examples_ws, by_hand)
    remove_treatment(by_hand)
    assert run_cli(runner, ["validate", "--workspace", str(by_hand)]).exit_code == 0
    with_it = fit_json(runner, examples_ws)
    instead = fit_json(runner, examples_ws, "--instead", "misbrugsbehandling")
    removed = fit_json(runner, by_hand)
    assert instead["proposals"] and instead == removed
    assert with_it["proposals"] != instead["proposals"]


def test_fit_sees_no_demand_of_an_ended_intervention(runner, examples_ws, tmp_path):
    import shutil

    by_hand = tmp_path / "by-hand"
    shutil.copytree(examples_ws, by_hand)
    remove_treatment(by_hand)
    # From the Monday of the week fit starts in (fit counts whole weeks).
    end_treatment(examples_ws, ENDING.replace(str(ENDED), "2026-06-29"))
    assert fit_json(runner, examples_ws) == fit_json(runner, by_hand)


def test_fit_instead_an_unknown_intervention_is_a_usage_error(runner, examples_ws):
    plan = _plan(examples_ws)
    before = plan.read_bytes()
    result = run_cli(runner, [*FIT, "--workspace", str(examples_ws), "--instead", "misbrugsbehandlin"])
    assert result.exit_code == 2
    assert "--instead misbrugsbehandlin: ingen indsats 'misbrugsbehandlin' i sag 2026-002-karimi" in result.output
    assert "misbrugsbehandling" in result.output.split("ingen indsats", 1)[1]  # mente du …?
    assert plan.read_bytes() == before


def test_serve_case_page_says_it(examples_ws):
    from familieplan.web.app import ServeOptions, Site
    from familieplan.web.live import Watcher

    end_treatment(examples_ws)
    site = Site(ServeOptions(examples_ws, today=dt.date(2026, 5, 20)), Watcher(examples_ws))
    for reader in (None, "sb-job"):
        page = site.case(KARIMI, reader)
        assert "Indsatsen »Ambulant behandling for rusmidler« blev afsluttet fra 1. april 2026" in page, reader
        assert REASON in page


def test_attendance_before_the_end_stays_valid_and_after_it_takes_place_no_more(runner, examples_ws):
    end_treatment(examples_ws)
    attendance = examples_ws / "cases" / KARIMI / "attendance.yaml"
    text = attendance.read_text(encoding="utf-8")
    entry = "  - date: {day}\n    person: nadia\n    intervention: misbrugsbehandling\n    status: cancelled\n"
    attendance.write_text(text.rstrip("\n") + "\n" + entry.format(day="2026-03-30"), encoding="utf-8")
    args = ["validate", "--workspace", str(examples_ws), "--format", "json", "--today", "2026-05-01",
            str(examples_ws / "cases" / KARIMI)]
    assert run_cli(runner, args).exit_code == 0
    attendance.write_text(text.rstrip("\n") + "\n" + entry.format(day="2026-04-01"), encoding="utf-8")
    result = run_cli(runner, args)
    assert result.exit_code == 1
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == ["not-an-occurrence"]
