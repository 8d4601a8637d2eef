"""init, new-case, new-meeting: valid starting points, private folders, no overwrites."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from conftest import MINIMAL_CASE, run_cli
from familieplan import api
from familieplan.commands import scaffold
from familieplan.format.slug import slugify


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def ws(tmp_path, runner) -> Path:
    target = tmp_path / "demo-ws"
    result = run_cli(runner, ["init", str(target), "--no-git"])
    assert result.exit_code == 0, result.output
    return target


def test_init_creates_a_workspace(ws, runner):
    assert (ws / "familieplan.yaml").is_file()
    assert (ws / "cases").is_dir() and mode(ws / "cases") == 0o700
    assert "/output/" in (ws / ".gitignore").read_text()
    assert json.loads((ws / "schemas" / "case.schema.json").read_text())["title"].startswith("familieplan")
    text = (ws / "familieplan.yaml").read_text()
    assert "# Afdelinger" in text and "max_hours_per_week: 20" in text
    again = run_cli(runner, ["init", str(ws), "--no-git"])
    assert again.exit_code == 2 and "allerede et arbejdsområde" in again.output


def test_init_runs_git(tmp_path, runner):
    result = run_cli(runner, ["init", str(tmp_path / "w")])
    assert result.exit_code == 0
    assert (tmp_path / "w" / ".git").is_dir()


def test_new_case_validates_at_once(ws, runner, monkeypatch):
    monkeypatch.chdir(ws)
    result = run_cli(runner, ["new-case", "Familien Ærø-Sørensen", "--coordinator", "Line Holm",
                              "--department", "familie", "--today", "2026-03-02"])
    assert result.exit_code == 0, result.output
    folder = ws / "cases" / "2026-001-familien-aeroe-soerensen"
    assert folder.is_dir()
    assert "næste skridt: familieplan validate" in result.output
    assert mode(folder) == 0o700
    for name in ("case.yaml", "plan.yaml", "agreements.yaml"):
        assert mode(folder / name) == 0o600
        assert (folder / name).read_text().startswith("# yaml-language-server: $schema=../../schemas/")
    assert "coordinator: \"line-holm\"" in (folder / "case.yaml").read_text()
    check = run_cli(runner, ["validate"])
    assert check.exit_code == 0, check.output
    second = run_cli(runner, ["new-case", "Familien To", "--today", "2026-05-01"])
    assert (ws / "cases" / "2026-002-familien-to").is_dir(), second.output


def test_new_case_refuses_existing_and_escaping_ids(ws, runner):
    args = ["--workspace", str(ws)]
    assert run_cli(runner, ["new-case", "A", "--id", "sag-1", *args]).exit_code == 0
    existing = run_cli(runner, ["new-case", "A", "--id", "sag-1", *args])
    assert existing.exit_code == 2 and "findes allerede" in existing.output
    assert run_cli(runner, ["new-case", "A", "--id", "sag-1", "--force", *args]).exit_code == 0
    for bad in ("../x", "/etc", "..", "Sag", "a/b"):
        result = run_cli(runner, ["new-case", "A", "--id", bad, *args])
        assert result.exit_code == 2, bad
        assert "ikke et gyldigt sags-id" in result.output
    assert not (ws / "x").exists()


def test_new_case_is_atomic(ws, monkeypatch):
    calls = []
    real = scaffold.write_atomic

    def failing(path, text, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(path, text, **kwargs)

    monkeypatch.setattr(scaffold, "write_atomic", failing)
    import datetime as dt

    with pytest.raises(OSError):
        api.new_case(ws, "Familien Halv", today=dt.date(2026, 3, 2))
    assert list((ws / "cases").iterdir()) == []


def test_new_meeting_lists_people_and_open_agreements(minimal_ws, runner):
    result = run_cli(runner, ["new-meeting", MINIMAL_CASE, "--date", "2026-04-01", "--title", "Opfølgning",
                              "--workspace", str(minimal_ws)])
    assert result.exit_code == 0, result.output
    path = minimal_ws / "cases" / MINIMAL_CASE / "meetings" / "2026-04-01-opfoelgning.yaml"
    text = path.read_text()
    assert "  - \"mor\"\n" in text and "  - \"sb-familie\"\n" in text and "\"barn\"" not in text  # no child by default
    assert "- Svar inden for tre hverdage" in text and "a1" not in text.split("agenda:")[1]  # no internal ids
    assert mode(path) == 0o600
    check = run_cli(runner, ["validate", "--workspace", str(minimal_ws)])
    assert check.exit_code == 0, check.output
    again = run_cli(runner, ["new-meeting", MINIMAL_CASE, "--date", "2026-04-01", "--title", "Opfølgning",
                             "--workspace", str(minimal_ws)])
    assert again.exit_code == 2


def test_slugify():
    assert slugify("Familien Ærø Sørensen-Åby") == "familien-aeroe-soerensen-aaby"
    assert slugify("Café  René!") == "cafe-rene"


def test_new_case_refuses_cpr_in_a_folder_name_and_a_duplicate_title(ws, runner):
    args = ["--workspace", str(ws), "--today", "2026-03-02"]
    for title, extra in (("Familien 010203-1234", []), ("Familien Berg", ["--id", "berg-0102031234"])):
        result = run_cli(runner, ["new-case", title, *extra, *args])
        assert result.exit_code == 2 and "CPR" in result.stderr, title
        assert "1234" not in result.stderr  # the number itself is masked
    assert list((ws / "cases").iterdir()) == []
    assert run_cli(runner, ["new-case", "Familien Berg", *args]).exit_code == 0
    again = run_cli(runner, ["new-case", "familien berg", *args])
    assert again.exit_code == 2 and "--force" in again.stderr and "--id" in again.stderr
    assert run_cli(runner, ["new-case", "Familien Berg", "--id", "berg-2", *args]).exit_code == 0
    assert run_cli(runner, ["new-case", "Familien Berg", "--force", *args]).exit_code == 0
    assert len(list((ws / "cases").iterdir())) == 3


def test_new_meeting_agenda_follows_up_overdue_and_late_answers(runner):
    import shutil

    from conftest import EXAMPLES

    def meeting(tmp: Path, case: str, day: str) -> str:
        target = tmp / case
        shutil.copytree(EXAMPLES, target)
        result = run_cli(runner, ["new-meeting", case, "--date", day, "--workspace", str(target)])
        assert result.exit_code == 0, result.output
        [path] = (target / "cases" / case / "meetings").glob(f"{day}-*.yaml")
        return path.read_text()

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        text = meeting(Path(tmp), "2026-002-karimi", "2026-11-23")
    assert "- Aisha undersøger, om Ali kan få plads i vuggestue tættere på hjemmet (frist 13. november 2026) – forsinket" in text
    participants = text.split("participants:")[1].split("agenda:")[0]
    assert '"nadia"' in participants and '"sami"' not in participants and '"yara"' not in participants
    send_to = text.split("send_to:")[1]
    assert '"sami"' not in send_to and '"nadia"' in send_to


def test_new_meeting_agenda_starts_with_the_minutes_since_the_last_meeting(runner, examples_ws):
    """Issue 11, item 2: the agenda's first item is "Siden sidste møde" with the points the
    minutes of that meeting list there (one selection: `since_last_meeting`)."""
    import datetime as dt

    from familieplan.schedule.calendar import WorkCalendar
    from familieplan.schedule.deadlines import since_last_meeting

    settings, case = api.load_one(examples_ws, "2025-001-holm")
    points = since_last_meeting(case, dt.date(2026, 5, 4), WorkCalendar(settings))
    assert points.since == dt.date(2025, 9, 15)
    assert [a.id for a in points.done] == ["a3", "a4"]
    assert [(q.answered.isoformat(), late) for q, late in points.answered] == [
        ("2025-09-24", 0), ("2025-12-30", 0), ("2026-04-13", 2)]

    made = run_cli(runner, ["new-meeting", "2025-001-holm", "--date", "2026-05-04", "--workspace", str(examples_ws)])
    assert made.exit_code == 0, made.output
    path = examples_ws / "cases" / "2025-001-holm" / "meetings" / "2026-05-04-faellesmoede.yaml"
    agenda = path.read_text().split("agenda:\n", 1)[1]
    first = agenda.split("  - title: ")[1]
    # Issue 22: the item refers to the section the minutes build for each reader; it copies
    # no point (an item without an area is read by everyone) and writes no ISO date.
    assert first.startswith("Siden sidste møde\n") and "15. september 2025" in first
    assert "Hanne sender referatet" not in agenda and "Hvornår starter Emils" not in agenda
    assert not re.search(r"\d{4}-\d{2}-\d{2}", agenda)
    minutes = run_cli(runner, ["render-minutes", str(path), "--workspace", str(examples_ws), "--format", "md",
                               "--output", "-", "--no-record", "--today", "2026-05-04"])
    assert minutes.exit_code == 0, minutes.output
    assert minutes.stdout.count("Hanne sender referatet til alle deltagere") == 1  # once, in the minutes' section
    section = minutes.stdout.split("## Siden sidste møde\n", 1)[1].split("\n## ", 1)[0]
    minutes_points = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    assert len(minutes_points) == 5 and "13. april 2026" in minutes_points[-1]


def test_first_meeting_has_nothing_since(runner, minimal_ws):
    made = run_cli(runner, ["new-meeting", MINIMAL_CASE, "--date", "2026-02-02", "--workspace", str(minimal_ws)])
    assert made.exit_code == 0, made.output
    [path] = (minimal_ws / "cases" / MINIMAL_CASE / "meetings").glob("2026-02-02-*.yaml")
    assert "Siden sidste møde" not in path.read_text()
