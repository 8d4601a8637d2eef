"""The statutory rules where caseworkers look: `due` (JSON keys, the provision named in
Danish, the exit code), `status` (80 columns), `rules --on`, a workspace that switches a
rule off, `report`, and serve's case page for a reader whose consent does not cover the
child's area."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import MINIMAL_CASE, run_cli

TODAY = "2026-12-07"
CHILD = """    child_welfare:
      aware: 2026-08-03
      investigation:
        started: 2026-08-10
      measures:
        - id: anbringelse
          section: "§ 46"
          kind: placement
          consent: true
          decided: 2026-09-07
          start: 2026-09-14
          plan: 2026-11-20
"""


@pytest.fixture
def rules_ws(minimal_ws: Path) -> Path:
    folder = minimal_ws / "cases" / MINIMAL_CASE
    case = (folder / "case.yaml").read_text(encoding="utf-8")
    case = case.replace("    name: Barn\n    role: child\n", "    name: Barn\n    role: child\n" + CHILD)
    case = case.replace("professionals:\n", "professionals:\n  - id: jobraadgiver\n    name: Jens Test\n"
                        "    department: jobcenter\n", 1)
    (folder / "case.yaml").write_text(case, encoding="utf-8")
    agreements = (folder / "agreements.yaml").read_text(encoding="utf-8")
    agreements = agreements.replace("    agreement: a1\n", "    agreement: a1\n    answered: 2026-03-11\n")
    agreements += "requests:\n  - kind: aktindsigt\n    by: mor\n    received: 2026-11-24\n"
    (folder / "agreements.yaml").write_text(agreements, encoding="utf-8")
    return minimal_ws


def _due(runner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(runner, ["due", "--workspace", str(ws), "--today", TODAY, "--no-cache", *args])


def test_due_json_carries_each_statutory_deadline(runner, rules_ws):
    result = _due(runner, rules_ws, "--format", "json")
    assert result.exit_code == 1, result.output  # overdue statutory deadlines count as agreements do
    rows = [row for row in json.loads(result.output)["deadlines"] if row["kind"] == "statutory"]
    by_rule = {row["rule"]: row for row in rows}
    investigation = by_rule["bl-20-investigation"]
    assert investigation["law"] == "barnets lov § 20, stk. 3"
    assert investigation["source"].startswith("https://")
    assert investigation["date"] == "2026-12-03" and investigation["state"] == "overdue"
    assert investigation["late"] is True and investigation["days_late"] == 2
    request = by_rule["access-request"]  # received Tuesday 24 November: 7 working days
    assert request["date"] == "2026-12-03" and request["law"] == "forvaltningsloven § 16, stk. 2"
    assert request["late"] is True
    # The plan was written in time and before the latest meeting: not listed.
    assert "bl-91-plan" not in by_rule
    assert by_rule["bl-95-follow-up"]["date"] == "2026-12-14"
    assert by_rule["bl-95-follow-up"]["state"] == "due" and by_rule["bl-95-follow-up"]["late"] is None
    assert {"kind", "rule", "law", "source", "date", "state", "late"} <= set(investigation)


def test_due_text_and_markdown_name_the_provision_in_danish(runner, rules_ws):
    text = _due(runner, rules_ws).output
    assert ("Den børnefaglige undersøgelse af Barn skal være afsluttet senest 3. december 2026; derefter kræves "
            "en foreløbig vurdering (barnets lov § 20, stk. 3)") in text
    assert "Lovgrundlag: barnets lov § 20, stk. 3" in text
    md = _due(runner, rules_ws, "--format", "md").output
    assert "(forvaltningsloven § 16, stk. 2)" in md


def test_a_rule_switched_off_gives_none_of_its_deadlines(runner, rules_ws):
    settings = rules_ws / "familieplan.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "rules:\n  off: [bl-20-investigation, access-request]\n",
                        encoding="utf-8")
    result = _due(runner, rules_ws, "--format", "json")
    rules = {row.get("rule") for row in json.loads(result.output)["deadlines"]}
    assert "bl-20-investigation" not in rules and "access-request" not in rules
    assert "bl-95-follow-up" in rules
    assert result.exit_code == 0, result.output  # nothing overdue is left


def test_status_counts_them_and_fits_80_columns(runner, rules_ws):
    from rich.cells import cell_len
    from test_terminal_text import invoke

    result = run_cli(runner, ["status", "--workspace", str(rules_ws), "--today", TODAY, "--no-cache", "--format",
                              "json"])
    [row] = json.loads(result.output)["cases"]
    assert row["overdue"] == 2  # the investigation and the request for aktindsigt
    text, _ = invoke(["status", "--workspace", str(rules_ws), "--today", TODAY, "--no-cache"],
                     {"COLUMNS": "80", "TTY_COMPATIBLE": "1"})
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert max(cell_len(line) for line in plain.splitlines()) <= 80, plain
    assert "2026-001-test" in plain and "2 forsinkede" in plain


@pytest.mark.parametrize(("day", "present", "absent"), [("2026-06-30", "lab-31-jobsamtaler", "lab-jobsamtaler"),
                                                        ("2026-07-01", "lab-jobsamtaler", "lab-31-jobsamtaler")])
def test_rules_on_a_day_without_a_workspace(runner, tmp_path, monkeypatch, day, present, absent):
    monkeypatch.chdir(tmp_path)
    result = run_cli(runner, ["rules", "--on", day, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rules"]
    ids = {row["id"] for row in rows}
    assert present in ids and absent not in ids
    assert all(row["source"].startswith("https://") for row in rows)
    assert all({"id", "law", "source", "from", "until", "level"} <= set(row) for row in rows)
    assert all(row["on"] is None for row in rows)
    text = run_cli(runner, ["rules", "--on", day]).output
    assert present in text and absent not in text


def test_rules_marks_a_workspace_s_choices(runner, rules_ws):
    settings = rules_ws / "familieplan.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "rules:\n  off: [bl-156-supervision]\n",
                        encoding="utf-8")
    rows = json.loads(run_cli(runner, ["rules", "--on", TODAY, "--workspace", str(rules_ws), "--format",
                                       "json"]).output)["rules"]
    switched = {row["id"]: row["on"] for row in rows}
    assert switched["bl-156-supervision"] is False and switched["minutes-sent"] is False
    assert switched["bl-91-plan"] is True


def test_report_counts_deadlines_met_on_time_per_rule(runner, rules_ws):
    result = run_cli(runner, ["report", "--workspace", str(rules_ws), "--today", TODAY, "--no-cache", "--format",
                              "json"])
    rows = {row["rule"]: row for row in json.loads(result.output)["rules"]}
    assert rows["bl-91-plan"]["on_time"] == 1 and rows["bl-91-plan"]["late"] == 0
    assert rows["bl-20-investigation"]["overdue"] == 1


def test_a_reader_without_the_child_s_area_does_not_see_the_child_s_deadlines(rules_ws):
    import datetime as dt

    from familieplan.engine.cases import load_one
    from familieplan.render.case_page import case_context
    from familieplan.render.pages import Moment

    _, case = load_one(rules_ws, MINIMAL_CASE)
    settings = __import__("familieplan.workspace.read", fromlist=["load_settings"]).load_settings(rules_ws)[0]
    moment = Moment(dt.date(2026, 12, 7), dt.datetime(2026, 12, 7, 12, tzinfo=dt.timezone.utc))

    def whats(recipient: str | None) -> str:
        context = case_context(case, settings, [], "da", moment, recipient, rules_ws)
        return " ".join(row["what"] for row in context["deadlines"])

    assert "børnefaglige undersøgelse af Barn" in whats(None)
    assert "børnefaglige undersøgelse af Barn" in whats("sb-job")  # the coordinator
    assert "børnefaglige undersøgelse af Barn" in whats("sb-familie")  # consent c1 covers family
    outside = whats("jobraadgiver")  # the jobcenter has no consent to the family area
    assert "børnefaglige undersøgelse af Barn" not in outside
    assert "aktindsigt fra Mor Test" in outside  # a request has no area


def test_documents_for_a_person_exempt_from_digital_post_go_by_letter(rules_ws):
    import datetime as dt

    from familieplan.engine.cases import load_one
    from familieplan.render.plan import plan_context
    from familieplan.workspace.read import load_settings

    folder = rules_ws / "cases" / MINIMAL_CASE
    case_text = (folder / "case.yaml").read_text(encoding="utf-8")
    (folder / "case.yaml").write_text(case_text.replace("    born: 1990\n", "    born: 1990\n    digital_post:\n"
                                                        "      exempt_until: 2027-03-01\n"), encoding="utf-8")
    _, case = load_one(rules_ws, MINIMAL_CASE)
    settings = load_settings(rules_ws)[0]

    def header(recipient: str, day: dt.date) -> str:
        now = dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.timezone.utc)
        return plan_context(case, settings, recipient, "da", now, day)["header"]["for_whom"]

    assert "Sendes med brev: Mor Test er fritaget for Digital Post til og med 1. marts 2027." in \
        header("mor", dt.date(2027, 3, 1))
    assert "brev" not in header("mor", dt.date(2027, 3, 2))  # the exemption has run out
    assert "brev" not in header("sb-familie", dt.date(2027, 3, 1))  # a professional's copy


def test_an_unknown_rule_id_is_a_warning_at_its_place(runner, rules_ws):
    settings = rules_ws / "familieplan.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + "rules:\n  off: [bl-91-plan, bl-20-investigaton]\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    result = run_cli(runner, ["validate", "--workspace", str(rules_ws), "--no-cache", "--format", "json"])
    [problem] = [p for p in json.loads(result.output)["problems"] if p["code"] == "unknown-rule"]
    assert (problem["level"], problem["line"], problem["column"]) == ("warning", line, 21)
    assert "bl-20-investigaton" in problem["message"] and "bl-20-investigation" in problem["message"]


def test_rules_usage_errors(runner, tmp_path):
    bad_day = run_cli(runner, ["rules", "--on", "2026-02-30"])
    assert bad_day.exit_code == 2 and "--on 2026-02-30" in bad_day.output
    missing = run_cli(runner, ["rules", "--workspace", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "nowhere" in missing.output


def test_two_measures_with_one_id_are_an_error(runner, rules_ws):
    case = rules_ws / "cases" / MINIMAL_CASE / "case.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("          plan: 2026-11-20\n", "          plan: 2026-11-20\n        - id: anbringelse\n"
                                 "          kind: support\n          decided: 2026-10-01\n"), encoding="utf-8")
    result = run_cli(runner, ["validate", "--workspace", str(rules_ws), "--no-cache", "--format", "json"])
    [problem] = [p for p in json.loads(result.output)["problems"] if p["code"] == "duplicate-id"]
    assert "anbringelse" in problem["message"] and result.exit_code == 1


def test_report_for_a_reader_counts_only_what_their_consent_covers(runner, rules_ws):
    result = run_cli(runner, ["report", MINIMAL_CASE, "--workspace", str(rules_ws), "--today", TODAY, "--no-cache",
                              "--for", "jobraadgiver", "--format", "json"])
    assert result.exit_code == 0, result.output
    rules = {row["rule"] for row in json.loads(result.output)["rules"]}
    assert "access-request" in rules  # a request has no area
    assert not rules & {"bl-20-investigation", "bl-91-plan", "bl-95-follow-up"}  # the child's: family


def test_the_same_request_twice_is_a_duplicate_entry(runner, rules_ws):
    agreements = rules_ws / "cases" / MINIMAL_CASE / "agreements.yaml"
    agreements.write_text(agreements.read_text(encoding="utf-8") + "  - kind: aktindsigt\n    by: mor\n"
                          "    received: 2026-11-24\n", encoding="utf-8")
    result = run_cli(runner, ["validate", "--workspace", str(rules_ws), "--no-cache", "--format", "json"])
    assert [p["code"] for p in json.loads(result.output)["problems"]].count("duplicate-entry") == 1


def test_two_branches_adding_requests_merge_by_key():
    from familieplan.commands.merge_file import merge_texts

    base = "requests:\n  - kind: aktindsigt\n    by: mor\n    received: 2026-11-24\n"
    ours = base.replace("received: 2026-11-24\n", "received: 2026-11-24\n    answered: 2026-11-30\n")
    theirs = base + "  - kind: indsigt\n    by: Journalist\n    received: 2026-12-01\n"
    merged = merge_texts(base, ours, theirs, "cases/2026-001-test/agreements.yaml")
    assert merged.by_key and not merged.conflicts
    assert "answered: 2026-11-30" in merged.text and "kind: indsigt" in merged.text
