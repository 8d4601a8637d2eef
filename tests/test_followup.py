"""due, status and export-ics on the examples with fixed dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from markdown_it import MarkdownIt

from conftest import EXAMPLES, run_cli
from familieplan.engine.cases import load_valid
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import build_schedules
from familieplan.schedule.progression import week_date

HOLM = "2025-001-holm"
TZ = ZoneInfo("Europe/Copenhagen")


def due_json(runner, ws: Path, *args: str) -> tuple[int, list[dict]]:
    result = run_cli(runner, ["due", "--workspace", str(ws), "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)["deadlines"]


def due_consents_json(runner, ws: Path, *args: str) -> list[dict]:
    result = run_cli(runner, ["due", "--workspace", str(ws), "--format", "json", *args])
    return json.loads(result.stdout)["consents"]


def test_due_on_the_examples(runner):
    code, items = due_json(runner, EXAMPLES, "--today", "2026-11-23")
    assert code == 1
    consents = due_consents_json(runner, EXAMPLES, "--today", "2026-11-23")
    assert [(c["case"], c["consent"], c["state"], c["date"]) for c in consents] == [
        ("2025-003-lund", "c2", "expiring", "2026-12-18")]
    states = [(i["case"], i["kind"], i["state"], i["date"], i["days_late"]) for i in items]
    assert states == [
        # Nadia's kontanthjælp began 5 January 2026: 4 jobsamtaler were due by 4 July (LAB
        # § 31, stk. 3); her plan has two.
        ("2026-002-karimi", "statutory", "overdue", "2026-07-04", 101),
        ("2026-002-karimi", "agreement", "overdue", "2026-11-13", 6),
        # asked Monday 9 November, five working days: due Monday 16 November
        ("2026-002-karimi", "question", "overdue", "2026-11-16", 5),
        ("2025-001-holm", "question", "due", "2026-11-23", 0),
        ("2025-001-holm", "agreement", "due", "2026-11-27", 0),
    ]
    assert items[0]["rule"] == "lab-31-jobsamtaler" and items[0]["law"] == "LAB § 31, stk. 3"
    assert items[1]["responsible"] == "sb-familie" and items[1]["department"] == "familie"
    assert items[1]["source"].endswith("agreements.yaml:11:5")


def test_answer_deadline_across_easter_is_answered_late(runner):
    # Asked Wednesday 1 April 2026; Maundy Thursday, Good Friday and Easter Monday are
    # holidays, so three working days end Thursday 9 April; answered Monday 13 April.
    code, items = due_json(runner, EXAMPLES, HOLM, "--today", "2026-04-20")
    late = [i for i in items if i["state"] == "answered-late"]
    assert [(i["date"], i["answered"], i["days_late"]) for i in late] == [("2026-04-09", "2026-04-13", 2)]
    assert code == 0  # answered late is for the follow-up, not overdue


def test_answer_deadline_across_christmas_and_a_closed_day(runner, examples_ws):
    agreements = examples_ws / "cases" / HOLM / "agreements.yaml"
    agreements.write_text(agreements.read_text().replace("    answered: 2025-12-30\n", ""))
    # Asked Monday 22 December 2025: 24 December is closed (familieplan.yaml), 25-26 are holidays.
    code, items = due_json(runner, examples_ws, HOLM, "--today", "2025-12-29")
    assert [(i["state"], i["date"]) for i in items] == [("due", "2025-12-30")] and code == 0
    # 31 December closed, 1 January a holiday: on Friday 2 January it is one working day late.
    code, items = due_json(runner, examples_ws, HOLM, "--today", "2026-01-02")
    assert [(i["state"], i["date"], i["days_late"]) for i in items] == [("overdue", "2025-12-30", 1)] and code == 1


def test_due_filters(runner):
    _, items = due_json(runner, EXAMPLES, "--today", "2026-11-23", "--overdue")
    assert {i["state"] for i in items} == {"overdue"}
    _, items = due_json(runner, EXAMPLES, "--today", "2026-11-23", "--responsible", "sb-job")
    assert [i["agreement"] for i in items] == ["a5"]
    code, items = due_json(runner, EXAMPLES, "--today", "2026-11-23", "--within", "0", HOLM)
    assert [i["date"] for i in items] == ["2026-11-23"] and code == 0


def test_due_text_and_markdown(runner):
    text = run_cli(runner, ["due", "--workspace", str(EXAMPLES), "--today", "2026-11-23"]).stdout
    assert text.index("Forsinket") < text.index("Forfalder snart")
    assert "6 hverdage for sent" in text and "Aisha Petersen (Børne- og familiecentret)" in text
    md = run_cli(runner, ["due", "--workspace", str(EXAMPLES), "--today", "2026-11-23", "--format", "md"]).stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    assert sum(t.type == "tr_open" for t in tokens) == (1 + 3) + (1 + 2)  # two tables: a header, three and two rows


def test_status_rows(runner):
    result = run_cli(runner, ["status", "--workspace", str(EXAMPLES), "--today", "2026-11-23", "--format", "json"])
    rows = {r["case"]: r for r in json.loads(result.stdout)["cases"]}
    assert set(rows) == {"2025-001-holm", "2025-003-lund", "2026-002-karimi"}  # the closed case is left out
    holm, karimi = rows["2025-001-holm"], rows["2026-002-karimi"]
    assert (holm["phase"], holm["phase_week"], holm["phase_weeks"]) == ("f3", 12, 26)
    assert (holm["next_meeting"], holm["next_meeting_passed"]) == ("2026-12-07", False)
    assert (holm["open_agreements"], holm["open_questions"], holm["overdue"]) == (3, 1, 0)
    # 6 errors: the job interview of 16 April also overlaps family treatment (attendance.yaml);
    # 7 warnings: two of them absence-with-cause (the no-show of 4 March, the cancellation of 16 April)
    # 3 overdue: an agreement, a question and Nadia's jobsamtaler (lab-31-jobsamtaler)
    assert (karimi["overdue"], karimi["load_errors"], karimi["load_warnings"]) == (3, 6, 7)
    assert karimi["next_meeting_passed"] is True
    mine = run_cli(runner, ["status", "--workspace", str(EXAMPLES), "--today", "2026-11-23", "--format", "json",
                            "--coordinator", "nobody"])
    assert mine.exit_code == 2 and mine.stdout == "" and "--coordinator nobody" in mine.stderr
    assert result.exit_code == 1  # Karimi has overdue items and load errors
    text = run_cli(runner, ["status", "--workspace", str(EXAMPLES), "--today", "2026-11-23"]).stdout
    assert "Familien Karimi" in text and "uge 12 af 26" in text


def occurrences_from_schedule(case_id: str, person: str) -> list[tuple[dt.datetime, dt.datetime]]:
    ws, _ = load_valid(EXAMPLES, [case_id])
    [schedule] = build_schedules(ws.cases[0], ws.settings, WorkCalendar(ws.settings), only_person=person)
    out = []
    for slot in schedule.slots:
        for week in slot.weeks.weeks():
            day = week_date(week, slot.weekday)
            out.append((dt.datetime.combine(day, dt.time(slot.start // 60, slot.start % 60), TZ),
                        dt.datetime.combine(day, dt.time(slot.end // 60, slot.end % 60), TZ)))
    for oneoff in schedule.oneoffs:
        if oneoff.start is None:
            continue
        out.append((dt.datetime.combine(oneoff.date, dt.time(oneoff.start // 60, oneoff.start % 60), TZ),
                    dt.datetime.combine(oneoff.date, dt.time(oneoff.end // 60, oneoff.end % 60), TZ)))
    return sorted(out)


def test_ics_read_back_gives_exactly_the_scheduled_occurrences(runner, tmp_path):
    for case_id, person in (("2025-001-holm", "sara"), ("2025-001-holm", "emil"), ("2026-002-karimi", "nadia"),
                            ("2025-003-lund", "thomas")):
        out = tmp_path / f"{person}.ics"
        result = run_cli(runner, ["export-ics", case_id, "--person", person, "--output", str(out),
                                  "--workspace", str(EXAMPLES)])
        assert result.exit_code == 0, result.output
        calendar = icalendar.Calendar.from_ical(out.read_bytes())
        ws, _ = load_valid(EXAMPLES, [case_id])
        plan = ws.cases[0].plan
        events = recurring_ical_events.of(calendar).between(plan.start, plan.end + dt.timedelta(days=1))
        got = sorted((e["DTSTART"].dt, e["DTEND"].dt) for e in events)
        expected = occurrences_from_schedule(case_id, person)
        assert len(got) == len(expected) > 0
        assert got == expected


def test_ics_structure_and_stable_uids(runner):
    first = run_cli(runner, ["export-ics", HOLM, "--workspace", str(EXAMPLES)]).stdout
    second = run_cli(runner, ["export-ics", HOLM, "--workspace", str(EXAMPLES)]).stdout
    uids = lambda text: [c["UID"] for c in icalendar.Calendar.from_ical(text).walk("VEVENT")]  # noqa: E731
    assert uids(first) == uids(second) and len(set(uids(first))) == len(uids(first))
    calendar = icalendar.Calendar.from_ical(first)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    course = next(e for e in calendar.walk("VEVENT") if e["UID"].startswith("2025-001-holm-sara-undervisning-s0"))
    assert course["RRULE"]["FREQ"] == ["WEEKLY"] and course["RRULE"]["BYDAY"] == ["MO", "WE"]
    exdates = {d.dt.date() for ex in (course["EXDATE"] if isinstance(course["EXDATE"], list) else [course["EXDATE"]])
               for d in ex.dts}
    assert dt.date(2025, 10, 13) in exdates  # an `except` date
    assert dt.date(2026, 4, 6) in exdates  # Easter Monday
    assert "Afdeling: Jobcentret" in str(course["DESCRIPTION"]) and "Pia Nygaard" in str(course["DESCRIPTION"])


def test_ics_refuses_to_overwrite(runner, tmp_path):
    out = tmp_path / "a.ics"
    args = ["export-ics", HOLM, "--workspace", str(EXAMPLES), "--output", str(out)]
    assert run_cli(runner, args).exit_code == 0
    assert run_cli(runner, args).exit_code == 2  # an existing output without --force
    assert run_cli(runner, [*args, "--force"]).exit_code == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    unknown = run_cli(runner, ["export-ics", HOLM, "--person", "nobody", "--workspace", str(EXAMPLES)])
    assert unknown.exit_code == 2 and "ingen person 'nobody'" in unknown.output


def test_one_broken_case_does_not_blind_the_others(runner, examples_ws):
    plan = examples_ws / "cases" / HOLM / "plan.yaml"
    plan.write_text(plan.read_text().replace("to: 2027-02-28", "to: 2027-02-30", 1))
    skipped = f"cases/{HOLM}: sprunget over: sagen har 1 fejl; kør 'familieplan validate "
    ws = ["--workspace", str(examples_ws)]
    status = run_cli(runner, ["status", "--today", "2026-11-23", "--format", "json", *ws])
    assert status.exit_code == 1 and skipped in status.stderr
    assert {r["case"] for r in json.loads(status.stdout)["cases"]} == {"2025-003-lund", "2026-002-karimi"}
    due = run_cli(runner, ["due", "--today", "2026-11-23", "--format", "json", *ws])
    assert due.exit_code == 1 and skipped in due.stderr
    assert {d["case"] for d in json.loads(due.stdout)["deadlines"]} >= {"2026-002-karimi"}
    load = run_cli(runner, ["check-load", "--format", "json", *ws])
    assert load.exit_code == 1 and skipped in load.stderr
    assert {f["case"] for f in json.loads(load.stdout)["findings"]} == {"2026-002-karimi"}
    # The library says the same, as data.
    from familieplan import api

    result = api.status(examples_ws, dt.date(2026, 11, 23))
    assert [s.case for s in result.skipped] == [HOLM] and result.skipped[0].errors == 1
    # A command on the broken case alone: exit 1 with how to see its problems.
    for command in (["export-ics", HOLM], ["render-plan", HOLM, "--output", "-"]):
        alone = run_cli(runner, [*command, *ws])
        assert alone.exit_code == 1 and "kør 'familieplan validate" in alone.stderr, command

