"""The library used as a library: `familieplan.api` without the CLI, typer or rich."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import familieplan
from conftest import EXAMPLES
from familieplan import api

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 45)


def test_the_package_exports_the_api():
    assert familieplan.API == set(api.__all__)
    assert familieplan.validate is api.validate


def test_validate_returns_problems_as_values(minimal_ws: Path):
    result = api.validate([], workspace=minimal_ws)
    assert result.errors == 0 and result.cases == 1
    case_yaml = minimal_ws / "cases" / "2026-001-test" / "case.yaml"
    case_yaml.write_text(case_yaml.read_text().replace("status: active", "status: aktiv"))
    result = api.validate([], workspace=minimal_ws)
    [problem] = [p for p in result.problems if p.code == "bad-value"]
    assert problem.level == "error" and problem.source.path.endswith("case.yaml")
    assert problem.source.line > 0 and problem.source.column > 0


def test_check_load_returns_findings_not_text():
    result = api.check_load(EXAMPLES, ["2026-002-karimi"], api.LoadOptions())
    assert result.errors > 0
    codes = {f.code for f in result.findings}
    assert "overlap" in codes
    overlap = next(f for f in result.findings if f.code == "overlap")
    assert isinstance(overlap.first, dt.date) and overlap.occurrences >= 1
    assert all(s.line > 0 for s in overlap.sources)


def test_due_and_status_take_today_as_a_parameter():
    due = api.due(EXAMPLES, [], api.DueOptions(today=TODAY, within_days=7))
    assert [(d.case, d.state) for d in due.deadlines][:2] == [
        ("2026-002-karimi", "overdue"), ("2026-002-karimi", "overdue")]
    earlier = api.due(EXAMPLES, [], api.DueOptions(today=dt.date(2026, 1, 5), within_days=7))
    assert earlier.deadlines != due.deadlines
    status = api.status(EXAMPLES, TODAY)
    assert {row.case for row in status.rows} >= {"2025-001-holm", "2026-002-karimi"}


def test_render_documents_returns_text_without_writing(tmp_path: Path):
    ws, problems = api.load_valid(EXAMPLES, ["2026-002-karimi"])
    assert not [p for p in problems if p.level == "error"]
    request = api.DocumentRequest("plan", "md", None, "da", NOW, TODAY)
    documents = api.render_documents(EXAMPLES, ws.cases[0], ws.settings, request, Path("-"))
    [(reader, text)] = documents.texts
    assert reader is None and documents.paths == []
    assert "Fortroligt" in text and "Fællesplan" in text and "Intern version" in text


def test_export_ics_returns_bytes():
    ws, _ = api.load_valid(EXAMPLES, ["2026-002-karimi"])
    data = api.export_ics(ws.cases[0], ws.settings, None, dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc))
    assert data.startswith(b"BEGIN:VCALENDAR") and b"RRULE:" in data


def test_scaffolding_through_the_api(tmp_path: Path):
    ws = tmp_path / "ws"
    api.init_workspace(ws, git=False)
    created = api.new_case(ws, "Familien Test", today=dt.date(2026, 3, 2))
    assert any(p.name == "case.yaml" for p in created.paths)
    assert api.validate([], workspace=ws).errors == 0
    meeting = api.new_meeting(ws, "2026-001-familien-test", day=dt.date(2026, 3, 9))
    assert meeting.paths[0].name == "2026-03-09-faellesmoede.yaml"
    assert api.validate([], workspace=ws).errors == 0


def test_the_core_imports_no_presentation_library():
    """Loading, checking and scheduling leave typer, rich and jinja2 unimported."""
    code = ("import sys, datetime as dt; from pathlib import Path\n"
            "from familieplan.commands import check_load as c, validate as v, followup as f\n"
            f"v.validate([], Path({str(EXAMPLES)!r}))\n"
            f"c.check_load(Path({str(EXAMPLES)!r}), [], c.LoadOptions())\n"
            f"f.status(Path({str(EXAMPLES)!r}), dt.date(2026, 11, 23))\n"
            "print(sorted(m for m in ('typer', 'rich', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_due_and_status_ignore_what_was_made_or_asked_after_today(minimal_ws: Path):
    agreements = minimal_ws / "cases" / "2026-001-test" / "agreements.yaml"
    text = agreements.read_text().replace("questions:\n", (
        "  - id: a2\n    text: Ny aftale\n    responsible: sb-job\n    made: 2026-04-01\n"
        "    due: 2026-04-03\n    status: open\n"
        "questions:\n  - asked: 2026-04-01\n    by: mor\n    to: sb-familie\n    about: Senere?\n"
        "    agreement: a1\n"), 1)
    agreements.write_text(text)
    assert api.validate([], workspace=minimal_ws).errors == 0

    def listed(day: dt.date) -> set[tuple[str, str | None]]:
        result = api.due(minimal_ws, [], api.DueOptions(today=day, within_days=7))
        return {(d.kind, d.agreement if d.kind == "agreement" else str(d.asked)) for d in result.deadlines}

    before = listed(dt.date(2026, 3, 30))
    assert ("agreement", "a2") not in before and ("question", "2026-04-01") not in before
    after = listed(dt.date(2026, 4, 2))
    assert ("agreement", "a2") in after and ("question", "2026-04-01") in after
    [row] = api.status(minimal_ws, dt.date(2026, 3, 30)).rows
    assert row.open_agreements == 1 and row.open_questions == 1  # a1, and the question of 10 March
