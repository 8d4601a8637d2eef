"""The record commands (agree, done, cancel, ask, answer, absent, measure, consent,
withdraw, end): a month of one family's case scripted with them only, every refusal with
its exit code, message and an unchanged file, and a record that would add an error."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import run_cli

CASE = "2026-002-karimi"


def _files(ws: Path) -> dict[str, bytes]:
    folder = ws / "cases" / CASE
    return {p.name: p.read_bytes() for p in folder.glob("*.yaml")}


def _changed(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out and put in, comparing the whole files (all others are equal, in order)."""
    removed, added = [], []
    old, new = before.splitlines(), after.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def _record(runner: CliRunner, ws: Path, args: list[str], today: str):  # type: ignore[no-untyped-def]
    return run_cli(runner, [*args, "--workspace", str(ws), "--today", today])


# (command line, day, file, lines taken out, lines put in, words of the printed line)
MONTH = [
    (["agree", CASE, "Mikkel ringer til Nadia om et nyt brobygningsforløb", "--responsible", "sb-job",
      "--due", "2026-12-12"], "2026-11-16", "agreements.yaml", [],
     ["  - id: a6", "    text: Mikkel ringer til Nadia om et nyt brobygningsforløb", "    responsible: sb-job",
      "    made: 2026-11-16", "    due: 2026-12-12", "    status: open"],
     "aftale a6 »Mikkel ringer til Nadia om et nyt brobygningsforløb« (Jobrådgiver, frist 12. december 2026)"),
    (["agree", CASE, "Aisha: finder en weekendaflastning", "--responsible", "sb-familie", "--within", "5",
      "--area", "family"], "2026-11-16", "agreements.yaml", [],
     ["  - id: a7", '    text: "Aisha: finder en weekendaflastning"', "    responsible: sb-familie",
      "    made: 2026-11-16", "    area: family", "    due: 2026-11-23", "    status: open"], "aftale a7"),
    (["done", CASE, "a2", "--date", "2026-11-17"], "2026-11-17", "agreements.yaml",
     ["    status: open"], ["    status: done", "    done: 2026-11-17"], "udført 17. november 2026"),
    (["ask", CASE, "Hvornår hører jeg om vuggestuen?", "--by", "nadia", "--to", "sb-familie", "--agreement", "a3"],
     "2026-11-17", "agreements.yaml", [],
     ["  - asked: 2026-11-17", "    by: nadia", "    to: sb-familie", "    about: Hvornår hører jeg om vuggestuen?",
      "    agreement: a3"], "spørgsmål q2"),
    (["absent", CASE, "--person", "nadia", "--date", "2026-11-17", "--intervention", "familiebehandling",
      "--status", "no-show", "--reported-by", "familiebehandler"], "2026-11-18", "attendance.yaml", [],
     ["  - date: 2026-11-17", "    person: nadia", "    intervention: familiebehandling", "    status: no-show",
      "    reported_by: familiebehandler"], "udeblivelse"),
    (["absent", CASE, "--person", "nadia", "--date", "2026-11-20", "--intervention", "misbrugsbehandling",
      "--reason", "Syg"], "2026-11-19", "attendance.yaml", [],
     ["  - date: 2026-11-20", "    person: nadia", "    intervention: misbrugsbehandling", "    status: cancelled",
      "    reason: Syg"], "afbud"),
    (["measure", CASE, "m3", "9", "--by", "skole"], "2026-11-20", "measurements.yaml", [],
     ["  - goal: m3", "    date: 2026-11-20", "    value: 9", "    by: skole"], "9"),
    (["measure", CASE, "m2", "4.5", "--note", "Praktik to dage om ugen"], "2026-11-23", "measurements.yaml", [],
     ["  - goal: m2", "    date: 2026-11-23", "    value: 4.5", "    note: Praktik to dage om ugen"], "4.5"),
    (["done", CASE, "a6"], "2026-11-24", "agreements.yaml", ["    status: open"],
     ["    status: done", "    done: 2026-11-24"], "a6"),
    (["cancel", CASE, "a7", "--reason", "Familien har selv fundet en løsning"], "2026-11-25", "agreements.yaml",
     ["    status: open"], ["    status: cancelled", "    cancelled: 2026-11-25",
                             "    reason: Familien har selv fundet en løsning"], "annulleret"),
    (["answer", CASE, "q2", "--date", "2026-12-01"], "2026-12-02", "agreements.yaml", [],
     ["    answered: 2026-12-01"], "besvaret 1. december 2026"),
    (["withdraw", CASE, "c1", "--date", "2026-12-02"], "2026-12-02", "case.yaml", [],
     ["    withdrawn: 2026-12-02"], "c1"),
    (["consent", CASE, "--person", "nadia", "--departments", "jobcenter,familie", "--areas", "family,education",
      "--from", "2026-12-02"], "2026-12-02", "case.yaml", [],
     ["  - id: c4", "    person: nadia", "    areas: [family, education]", "    departments: [jobcenter, familie]",
      "    from: 2026-12-02"], "samtykke c4"),
    (["end", CASE, "familiebehandling", "--from", "2026-12-07", "--reason", "Afsluttet efter aftale"],
     "2026-12-03", "plan.yaml", [], ["    ended:", "      from: 2026-12-07", "      reason: Afsluttet efter aftale"],
     "familiebehandling"),
]


def test_a_month_scripted_with_the_record_commands_changes_exactly_the_events_lines(
        runner: CliRunner, examples_ws: Path) -> None:
    for args, today, name, removed, added, words in MONTH:
        before = _files(examples_ws)
        result = _record(runner, examples_ws, args, today)
        assert result.exit_code == 0, (args, result.output)
        assert words in result.output, (args, result.output)
        after = _files(examples_ws)
        assert [n for n in after if after[n] != before.get(n)] == [name], args
        assert _changed(before[name].decode(), after[name].decode()) == (removed, added), args
        checked = run_cli(runner, ["validate", str(examples_ws), "--today", today])
        assert checked.exit_code == 0, (args, checked.output)


def test_the_month_shows_in_due_and_check_load(runner: CliRunner, examples_ws: Path) -> None:
    for args, today, *_ in MONTH:
        assert _record(runner, examples_ws, args, today).exit_code == 0
    due = run_cli(runner, ["due", CASE, "--workspace", str(examples_ws), "--today", "2026-12-03", "--format", "json"])
    rows = json.loads(due.stdout)["deadlines"]
    assert not any(row.get("id") in ("a6", "a7") for row in rows)  # done and cancelled
    load = run_cli(runner, ["check-load", CASE, "--workspace", str(examples_ws), "--today", "2026-12-03",
                            "--format", "json"])
    rows = {row["intervention"]: row for row in json.loads(load.stdout)["attendance"]}
    assert rows["familiebehandling"]["no_show"] == 1
    assert rows["misbrugsbehandling"]["cancelled"] == 1
    report = run_cli(runner, ["report", CASE, "--workspace", str(examples_ws), "--today", "2026-12-03",
                              "--format", "json"])
    goals = {row["goal"]: row for row in json.loads(report.stdout)["goals"]}
    assert goals["m3"]["latest"] == {"date": "2026-11-20", "value": 9.0}
    made = run_cli(runner, ["new-meeting", CASE, "--date", "2026-12-04", "--workspace", str(examples_ws)])
    assert made.exit_code == 0, made.output
    meeting = examples_ws / "cases" / CASE / "meetings" / "2026-12-04-faellesmoede.yaml"
    minutes = run_cli(runner, ["render-minutes", str(meeting), "--output", "-", "--today", "2026-12-04",
                               "--workspace", str(examples_ws)])
    assert minutes.exit_code == 0, minutes.output
    since = minutes.stdout.split("Siden sidste møde", 1)[1]
    assert "Mikkel ringer til Nadia om et nyt brobygningsforløb" in since  # a6, done
    assert "Hvornår hører jeg om vuggestuen?" in since  # q2, answered late


REFUSALS = [
    (["done", CASE, "a9"], "ukendt aftale 'a9'"),
    (["done", CASE, "a1"], "allerede udført"),
    (["cancel", CASE, "a1"], "ikke åben"),
    (["done", CASE, "a2", "--date", "2026-12-24"], "efter i dag"),
    (["done", CASE, "a2", "--date", "2025-12-01"], "før sagen blev oprettet"),
    (["agree", CASE, "Noget", "--responsible", "sb-jbo"], "mente du 'sb-job'?"),
    (["agree", CASE, "Noget", "--responsible", "sb-job", "--intervention", "brobyning"], "mente du 'brobygning'?"),
    (["ask", CASE, "Hvad?", "--by", "nadja", "--to", "sb-job"], "mente du 'nadia'?"),
    (["answer", CASE, "q7"], "ukendt spørgsmål 'q7'"),
    (["absent", CASE, "--person", "nadia", "--date", "2026-11-21", "--intervention", "misbrugsbehandling"],
     "20. november 2026 eller 23. november 2026"),
    (["absent", CASE, "--person", "sami", "--date", "2026-11-20", "--intervention", "misbrugsbehandling"],
     "deltager ikke"),
    (["absent", CASE, "--person", "nadia", "--date", "2026-11-20"], "--intervention"),
    (["measure", CASE, "m9", "4"], "ukendt mål 'm9'"),
    (["measure", CASE, "m3", "fire"], "ikke et tal"),
    (["withdraw", CASE, "c3"], "allerede trukket tilbage"),
    (["withdraw", CASE, "c8"], "ukendt samtykke 'c8'"),
    (["end", CASE, "brobygnin", "--from", "2026-12-01"], "mente du 'brobygning'?"),
    (["consent", CASE, "--person", "nadia", "--departments", "jobcentre", "--areas", "family"], "mente du 'jobcenter'?"),
    (["agree", "2026-002-karimj", "Noget", "--responsible", "sb-job"], "mente du '2026-002-karimi'?"),
]


@pytest.mark.parametrize(("args", "words"), REFUSALS, ids=[" ".join(a[:1] + a[2:3]) for a, _ in REFUSALS])
def test_a_refusal_exits_2_with_one_line_and_changes_no_byte(runner: CliRunner, examples_ws: Path,
                                                            args: list[str], words: str) -> None:
    before = _files(examples_ws)
    result = _record(runner, examples_ws, args, "2026-12-04")
    assert result.exit_code == 2, result.output
    assert words in result.output, result.output
    assert "Traceback" not in result.output
    assert _files(examples_ws) == before


def test_a_record_that_would_add_an_error_is_refused_with_the_problems_line(runner: CliRunner,
                                                                          examples_ws: Path) -> None:
    folder = examples_ws / "cases" / "2025-001-holm"
    names = sorted(p.name for p in folder.glob("*.yaml"))
    before = {name: (folder / name).read_bytes() for name in names}
    result = _record(runner, examples_ws, ["measure", "2025-001-holm", "m1", "5"], "2026-12-04")
    assert result.exit_code == 1, result.output
    assert "cases/2025-001-holm/measurements.yaml:4:" in result.output  # the new entry's line in the new file
    assert "no-measure" in result.output and "intet skrevet" in result.output
    assert sorted(p.name for p in folder.glob("*.yaml")) == names  # no file made
    assert {name: (folder / name).read_bytes() for name in names} == before


def test_problems_elsewhere_in_the_case_do_not_stop_a_record(runner: CliRunner, examples_ws: Path) -> None:
    meeting = examples_ws / "cases" / CASE / "meetings" / "2026-02-16-faellesmoede.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    result = _record(runner, examples_ws, ["absent", CASE, "--person", "nadia", "--date", "2026-11-20",
                                           "--intervention", "misbrugsbehandling"], "2026-12-04")
    assert result.exit_code == 0, result.output
    assert "2026-02-16-faellesmoede.yaml" in result.output  # shown as context
    assert "Skrev " in result.output and "2026-002-karimi/attendance.yaml" in result.output


def test_dry_run_prints_the_diff_and_writes_nothing(runner: CliRunner, examples_ws: Path) -> None:
    before = _files(examples_ws)
    result = _record(runner, examples_ws, ["done", CASE, "a2", "--dry-run"], "2026-12-04")
    assert result.exit_code == 0, result.output
    assert "-    status: open" in result.output and "+    done: 2026-12-04" in result.output
    assert _files(examples_ws) == before


def test_json_gives_the_new_entry_with_its_file_and_line(runner: CliRunner, examples_ws: Path) -> None:
    result = _record(runner, examples_ws, ["ask", CASE, "Hvornår?", "--by", "nadia", "--to", "sb-job",
                                           "--format", "json"], "2026-12-04")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    row = found["records"][0]
    assert row["file"].endswith("cases/2026-002-karimi/agreements.yaml")
    assert row["entry"] == {"asked": "2026-12-04", "by": "nadia", "to": "sb-job", "about": "Hvornår?"}
    lines = (examples_ws / "cases" / CASE / "agreements.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[row["line"] - 1] == "  - asked: 2026-12-04"
    assert found["summary"]["written"] is True


def test_a_missing_attendance_file_is_made_with_its_schema_line(runner: CliRunner, examples_ws: Path) -> None:
    folder = examples_ws / "cases" / "2025-001-holm"
    assert not (folder / "attendance.yaml").exists()
    plan = (folder / "plan.yaml").read_text(encoding="utf-8")
    assert "id: " in plan
    from familieplan.commands.record_checks import case_choices

    choices = case_choices(examples_ws, "2025-001-holm")
    person = choices.family[0]
    from familieplan.workspace.read import load_case, load_settings

    settings, _, _ = load_settings(examples_ws)
    case, _ = load_case(folder, settings)
    iv = next(i for i in case.plan.interventions if person in i.attendees and i.sessions)
    from familieplan.commands.record_checks import _takes_place
    from familieplan.schedule.calendar import WorkCalendar
    from familieplan.schedule.demands import build_schedules

    schedule = build_schedules(case, settings, WorkCalendar(settings), only_person=person)[-1]
    import datetime as dt

    day = next(iv.start + dt.timedelta(days=n) for n in range(400) if _takes_place(schedule, iv.id, iv.start + dt.timedelta(days=n)))
    result = _record(runner, examples_ws, ["absent", "2025-001-holm", "--person", person, "--date", day.isoformat(),
                                           "--intervention", iv.id], day.isoformat())
    assert result.exit_code == 0, result.output
    text = (folder / "attendance.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/attendance.schema.json\n")
    assert f"  - date: {day.isoformat()}\n    person: {person}\n" in text
    assert run_cli(runner, ["validate", str(examples_ws)]).exit_code == 0


def test_without_a_terminal_a_missing_required_value_is_a_usage_error(runner: CliRunner, examples_ws: Path) -> None:
    result = _record(runner, examples_ws, ["agree", CASE, "Noget"], "2026-12-04")
    assert result.exit_code == 2
    assert "--responsible" in result.output


FIT = ["fit", CASE, "--person", "nadia", "--length", "2h", "--per-week", "2", "--every", "2"]


def test_fit_book_writes_the_chosen_proposal_as_a_new_intervention(runner: CliRunner, examples_ws: Path) -> None:
    shown = _record(runner, examples_ws, [*FIT, "--format", "json"], "2026-12-04")
    proposal = json.loads(shown.stdout)["proposals"][1]
    before = _files(examples_ws)
    result = _record(runner, examples_ws, [*FIT, "--book", "danskkursus", "--title", "Danskkursus", "--department",
                                           "jobcenter", "--area", "education", "--pick", "2"], "2026-12-04")
    assert result.exit_code == 0, result.output
    assert "indsatsen danskkursus »Danskkursus« booket" in result.output
    after = _files(examples_ws)
    removed, added = _changed(before["plan.yaml"].decode(), after["plan.yaml"].decode())
    assert removed == []
    assert added[:8] == ["  - id: danskkursus", "    title: Danskkursus", "    department: jobcenter",
                         "    area: education", "    attendees: [nadia]", f"    from: {proposal['start']}",
                         f"    to: {proposal['end']}", "    sessions:"]
    assert [line for line in added if "from: " in line and line.startswith("        ")] == [
        f"        from: {session['from']}" for session in proposal["sessions"]]
    assert run_cli(runner, ["validate", str(examples_ws)]).exit_code == 0


def test_the_month_ends_with_an_intervention_ended_and_another_booked(runner: CliRunner, examples_ws: Path) -> None:
    """The month's last day: after `end` of the family treatment, `fit --book` books the
    first proposal in its place — only lines inserted into plan.yaml, the case valid, and
    `check-load` and `export-ics` count the new intervention's sessions."""
    for args, today, *_ in MONTH:
        assert _record(runner, examples_ws, args, today).exit_code == 0
    before = _files(examples_ws)
    booked = _record(runner, examples_ws, [*FIT, "--book", "samtalegruppe", "--title", "Samtalegruppe",
                                           "--department", "familie", "--area", "family"], "2026-12-04")
    assert booked.exit_code == 0, booked.output
    removed, added = _changed(before["plan.yaml"].decode(), _files(examples_ws)["plan.yaml"].decode())
    assert removed == [] and added[0] == "  - id: samtalegruppe"
    assert run_cli(runner, ["validate", str(examples_ws), "--today", "2026-12-04"]).exit_code == 0
    ics = run_cli(runner, ["export-ics", CASE, "--workspace", str(examples_ws)])
    assert "Samtalegruppe" in ics.stdout


@pytest.mark.parametrize("missing", ["--title", "--department", "--area"])
def test_fit_book_without_its_fields_is_a_usage_error(runner: CliRunner, examples_ws: Path, missing: str) -> None:
    given = {"--title": "Danskkursus", "--department": "jobcenter", "--area": "education"}
    args = [*FIT, "--book", "danskkursus", *[w for k, v in given.items() if k != missing for w in (k, v)]]
    before = _files(examples_ws)
    result = _record(runner, examples_ws, args, "2026-12-04")
    assert result.exit_code == 2
    assert missing in result.output
    assert _files(examples_ws) == before


def test_changes_tells_the_month_recorded_day_by_day(runner: CliRunner, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`save` after each day's record: one commit with the event's words; `changes` since the
    first day reads the month back by id; the case's lock file is never committed."""
    import shutil

    from tests.conftest import EXAMPLES
    from tests.gitrepo import Repo

    repo = Repo(tmp_path / "ws", driver=False)
    shutil.copytree(EXAMPLES, repo.root, dirs_exist_ok=True)
    start = repo.commit("examples", date="2026-11-13T16:00:00+01:00")
    for key, value in repo.env().items():
        if key.startswith("GIT_") or key == "HOME":
            monkeypatch.setenv(key, value)
    for args, today, *_ in MONTH:
        assert _record(runner, repo.root, args, today).exit_code == 0
        saved = run_cli(runner, ["save", "--workspace", str(repo.root), "--today", today])
        assert saved.exit_code == 0, saved.output
        assert repo.git("status", "--porcelain", "--untracked-files=no").stdout == "", args
    log = repo.git("log", "--format=%s", f"{start}..HEAD").stdout
    assert "aftale a2 udført" in log and "afbud 20. november 2026" in log, log
    assert ".familieplan.lock" not in repo.git("ls-files").stdout
    result = run_cli(runner, ["changes", CASE, "--workspace", str(repo.root), "--since", start, "--today", "2026-12-04",
                              "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {(row["item"], row["id"]) for row in json.loads(result.stdout)["changes"]}
    for item in (("agreement", "a6"), ("agreement", "a7"), ("agreement", "a2"), ("consent", "c1"),
                 ("consent", "c4"), ("question", "2026-11-17 nadia")):
        assert item in found, (item, sorted(found))


@pytest.mark.parametrize("broken", [b"agreements:\n  - id: a1\n   text: [\n", b"\xff\xfe agreements: []\n"])
def test_a_file_that_does_not_read_is_not_changed(runner: CliRunner, examples_ws: Path, broken: bytes) -> None:
    path = examples_ws / "cases" / CASE / "agreements.yaml"
    path.write_bytes(broken)
    result = _record(runner, examples_ws, ["agree", CASE, "Noget", "--responsible", "sb-job"], "2026-12-04")
    assert result.exit_code == 2, result.output
    assert "agreements.yaml" in result.output and "Traceback" not in result.output
    assert path.read_bytes() == broken


@pytest.mark.parametrize(("command", "param", "completion"), [
    ("done", "agreement", "complete_agreement"), ("cancel", "agreement", "complete_agreement"),
    ("answer", "question", "complete_question"), ("measure", "goal", "complete_goal"),
    ("withdraw", "consent_id", "complete_consent"), ("end", "intervention", "complete_intervention"),
    ("absent", "meeting", "complete_meeting"), ("absent", "person", "_complete_person")])
def test_every_id_argument_is_completed(command: str, param: str, completion: str) -> None:
    import inspect

    from familieplan.cli import app, options

    found = next(c.callback for c in app.registered_commands if (c.name or c.callback.__name__) == command)
    default = inspect.signature(found).parameters[param].default
    assert default.autocompletion is getattr(options, completion)
