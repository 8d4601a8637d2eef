"""The meeting cycle (issue 27): invitations with a summons and an .ics per participant,
notice and follow-up warnings in due and status, a cancelled meeting, and the two text
splices that `invite` and `approve` write with (the approval and the family's copy:
tests/test_plan_approval.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from conftest import run_cli
from familieplan import api
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import build_schedules

TZ = ZoneInfo("Europe/Copenhagen")
GOLDEN = Path(__file__).parent / "golden"
HOLM = "2025-001-holm"
NOW = ["--now", "2026-12-01T10:00"]
MEETING_NAME = "2026-12-14-overgang"
MEETING = """\
# Indkaldt af Hanne
title: Overgang til uddannelse
date: 2026-12-14
from: 10:00
to: 11:30
place: Jobcentret, mødelokale 2
chair: sb-job
purpose: Saras overgang fra kurset til uddannelsen
questions:
  - Skal Sara have en mentor?
  - Hvem følger op på Emils skole?
participants:
  - sara
  - sb-job
  - sb-familie
  - laerer
agenda:
  - title: AG-FAMILY hverdagen derhjemme
    area: family
  - title: AG-SCHOOL Emils skoledag
    area: school
  - title: AG-OPEN næste skridt
send_to: [sara, sb-job]
"""


@pytest.fixture
def ws(examples_ws: Path) -> Path:
    (examples_ws / "cases" / HOLM / "meetings" / f"{MEETING_NAME}.yaml").write_text(MEETING, encoding="utf-8")
    return examples_ws


def meeting_file(ws: Path, name: str = MEETING_NAME) -> Path:
    return ws / "cases" / HOLM / "meetings" / f"{name}.yaml"


def invite(runner, ws: Path, *more: str, name: str = MEETING_NAME, today: str = "2026-12-01",  # type: ignore[no-untyped-def]
           now: str = NOW[1]):
    return run_cli(runner, ["invite", str(meeting_file(ws, name)), "--workspace", str(ws), "--today", today,
                            "--now", now, *more])


def output(ws: Path, reader: str, suffix: str, name: str = MEETING_NAME) -> str:
    with open(ws / "output" / HOLM / f"{name}-indkaldelse-til-{reader}.{suffix}", encoding="utf-8", newline="") as f:
        return f.read()


# --- two independent parsers -----------------------------------------------------------

def parsed_icalendar(text: str) -> dict[str, object]:
    cal = icalendar.Calendar.from_ical(text)
    [event] = cal.walk("VEVENT")
    return {"method": str(cal["METHOD"]), "uid": str(event["UID"]), "sequence": int(event["SEQUENCE"]),
            "start": event["DTSTART"].dt, "tzid": event["DTSTART"].params.get("TZID"),
            "attendees": sorted(str(a) for a in event.get("ATTENDEE")),
            "organizer": str(event["ORGANIZER"])}


def parsed_vobject(text: str) -> dict[str, object]:
    cal = vobject.readOne(text)
    event = cal.vevent
    return {"method": cal.method.value, "uid": event.uid.value, "sequence": int(event.sequence.value),
            "start": event.dtstart.value, "tzid": cal.vtimezone.tzid.value if event.dtstart.value.tzinfo else None,
            "attendees": sorted(a.value for a in event.attendee_list),
            "organizer": event.organizer.value}


EXPECTED_ATTENDEES = sorted(["mailto:hd@eksempel.dk", "urn:familieplan:2025-001-holm:sara",
                             "urn:familieplan:2025-001-holm:sb-familie", "urn:familieplan:2025-001-holm:laerer"])


def test_invite_writes_a_summons_and_an_ics_for_every_participant(runner, ws):
    result = invite(runner, ws)
    assert result.exit_code == 0, result.output
    for reader in ("sara", "sb-job", "sb-familie", "laerer"):
        summons = output(ws, reader, "md")
        assert "# Indkaldelse: Overgang til uddannelse" in summons
        assert "Saras overgang fra kurset til uddannelsen" in summons and "Skal Sara have en mentor?" in summons
        assert "14. december 2026, kl. 10–11.30" in summons and "Mødeleder:** Hanne Dahl" in summons
        text = output(ws, reader, "ics")
        assert "\r\n" in text
        for parsed in (parsed_icalendar(text), parsed_vobject(text)):
            assert parsed["method"] == "REQUEST"
            assert parsed["uid"] == f"{HOLM}/{MEETING_NAME}@familieplan"
            assert parsed["sequence"] == 0
            assert parsed["tzid"] == "Europe/Copenhagen"
            start = parsed["start"]
            assert isinstance(start, dt.datetime)
            assert start.astimezone(dt.timezone.utc) == dt.datetime(2026, 12, 14, 9, 0, tzinfo=dt.timezone.utc)
            assert parsed["attendees"] == EXPECTED_ATTENDEES
            assert parsed["organizer"] == "mailto:hd@eksempel.dk"
    assert "Hvad vil du gerne tale om?" in output(ws, "sara", "md")
    assert "Hvad vil du gerne tale om?" not in output(ws, "sb-job", "md")


def test_the_uid_is_one_line_written_into_the_meeting_file(runner, ws):
    before = meeting_file(ws).read_text(encoding="utf-8")
    assert invite(runner, ws).exit_code == 0
    after = meeting_file(ws).read_text(encoding="utf-8")
    added = f'uid: "{HOLM}/{MEETING_NAME}@familieplan"\n'
    assert after == before.replace("date: 2026-12-14\n", "date: 2026-12-14\n" + added)
    assert run_cli(runner, ["validate", "--workspace", str(ws)]).exit_code == 0


def test_inviting_again_after_a_change_keeps_the_uid_and_raises_the_sequence(runner, ws):
    assert invite(runner, ws).exit_code == 0
    first = parsed_icalendar(output(ws, "sara", "ics"))
    path = meeting_file(ws)
    path.write_text(path.read_text(encoding="utf-8").replace("from: 10:00", "from: 9:00"), encoding="utf-8")
    assert invite(runner, ws, "--force", now="2026-12-02T10:00").exit_code == 0  # a log entry is keyed by its time
    second = parsed_icalendar(output(ws, "sara", "ics"))
    assert second["uid"] == first["uid"] and second["sequence"] == 1
    assert second["start"].astimezone(dt.timezone.utc).hour == 8  # type: ignore[union-attr]
    # Moved to another day: the file is renamed, the UID goes with it, the sequence rises.
    moved = meeting_file(ws, "2026-12-16-overgang")
    moved.write_text(path.read_text(encoding="utf-8").replace("date: 2026-12-14", "date: 2026-12-16"),
                     encoding="utf-8")
    path.unlink()
    result = invite(runner, ws, name="2026-12-16-overgang", now="2026-12-03T10:00")
    assert result.exit_code == 0, result.output
    third = parsed_vobject(output(ws, "sara", "ics", name="2026-12-16-overgang"))
    assert third["uid"] == first["uid"] and third["sequence"] == 2
    log = (ws / "cases" / HOLM / "disclosures.yaml").read_text(encoding="utf-8")
    assert log.count('document: "summons"') == 12 and "sequence: 2" in log


def test_a_cancelled_meeting_is_invited_with_method_cancel(runner, ws):
    path = meeting_file(ws)
    path.write_text(path.read_text(encoding="utf-8") + "status: cancelled\n", encoding="utf-8")
    assert invite(runner, ws).exit_code == 0
    text = output(ws, "sb-job", "ics")
    assert parsed_icalendar(text)["method"] == parsed_vobject(text)["method"] == "CANCEL"
    assert "STATUS:CANCELLED" in text
    assert "# Aflyst: Overgang til uddannelse" in output(ws, "sara", "md")


def test_the_summons_shows_only_the_agenda_titles_the_reader_may_read(runner, ws):
    assert invite(runner, ws).exit_code == 0
    teacher = output(ws, "laerer", "md")  # consent c2: school, for the school
    assert "AG-SCHOOL" in teacher and "AG-OPEN" in teacher and "AG-FAMILY" not in teacher
    assert "1 punkt mere er ikke vist, fordi samtykket ikke dækker det." in teacher
    assert all(marker in output(ws, "sara", "md") for marker in ("AG-FAMILY", "AG-SCHOOL", "AG-OPEN"))
    assert "AG-FAMILY" not in output(ws, "laerer", "ics")
    entries = [e for e in api.load_one(ws, HOLM)[1].disclosures if e.document == "summons"]
    assert {e.recipient: e.omitted for e in entries} == {"sara": 0, "sb-job": 0, "sb-familie": 0, "laerer": 1}
    assert {e.sequence for e in entries} == {0}


def test_a_meeting_without_a_time_cannot_be_invited(runner, ws):
    path = meeting_file(ws)
    path.write_text(path.read_text(encoding="utf-8").replace("from: 10:00\nto: 11:30\n", ""), encoding="utf-8")
    result = invite(runner, ws)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "har intet tidspunkt" in result.output
    assert not (ws / "output").exists()


def test_a_meeting_in_the_past_is_invited_with_a_warning(runner, ws):
    result = invite(runner, ws, today="2026-12-20")
    assert result.exit_code == 0
    assert "advarsel: mødet 2026-12-14-overgang ligger i fortiden" in result.stderr


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_summons(runner, ws, fmt):
    result = run_cli(runner, ["invite", str(meeting_file(ws)), "--workspace", str(ws), "--today", "2026-12-01",
                              *NOW, "--for", "laerer", "-f", fmt, "--output", "-"])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"summons.da.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8"), f"{golden} differs; review and rerun with UPDATE_GOLDEN=1"


# --- notice and follow-up ----------------------------------------------------------------

def due_json(runner, ws: Path, today: str = "2026-12-11"):  # type: ignore[no-untyped-def]
    result = run_cli(runner, ["due", HOLM, "--workspace", str(ws), "--today", today, "-f", "json", "--no-cache"])
    return result.exit_code, json.loads(result.stdout)


def summon_on(ws: Path, day: str) -> None:
    log = ws / "cases" / HOLM / "disclosures.yaml"
    log.write_text(log.read_text(encoding="utf-8") + (
        f"  - at: {day}T09:00:00+01:00\n    recipient: sara\n    document: summons\n"
        f"    source: meetings/{MEETING_NAME}.yaml\n    about: [sara]\n    areas: [family]\n    omitted: 0\n"
        f"    basis: [family]\n    sequence: 0\n"), encoding="utf-8")


@pytest.mark.parametrize(("summoned", "warned"), [("2026-12-09", True), ("2026-11-26", False)])
def test_summons_notice_by_working_days(runner, ws, summoned, warned):
    code_before, _ = due_json(runner, ws)
    summon_on(ws, summoned)  # 3 working days before 14 December, or 12
    code, data = due_json(runner, ws)
    notices = [n for n in data["cycle"] if n["code"] == "summons-notice"]
    assert bool(notices) == warned
    if warned:
        assert notices[0]["meeting"] == MEETING_NAME and notices[0]["summoned"] == summoned
    assert code == code_before


def test_a_meeting_not_summoned_shortly_before_it_is_warned_about(runner, ws):
    _, data = due_json(runner, ws, today="2026-12-08")
    assert [n["meeting"] for n in data["cycle"] if n["code"] == "summons-notice"] == [MEETING_NAME]
    _, early = due_json(runner, ws, today="2026-11-02")
    assert not [n for n in early["cycle"] if n["code"] == "summons-notice"]


def test_no_next_meeting(runner, ws):
    meeting_file(ws).unlink()
    june = meeting_file(ws, "2026-06-15-opfoelgning")
    text = june.read_text(encoding="utf-8")
    june.write_text(text[:text.index("next_meeting:")] + text[text.index("send_to:"):], encoding="utf-8")
    code, data = due_json(runner, ws)
    assert [(n["code"], n["meeting"]) for n in data["cycle"] if n["code"] == "no-next-meeting"] == [
        ("no-next-meeting", "2026-06-15-opfoelgning")]
    result = run_cli(runner, ["status", "--workspace", str(ws), "--today", "2026-12-11", "-f", "json", "--no-cache"])
    row = next(r for r in json.loads(result.stdout)["cases"] if r["case"] == HOLM)
    assert [n["code"] for n in row["cycle"]] == ["no-next-meeting"]


def test_invite_and_approve_as_on_windows(tmp_path, ws):
    """The two commands that write into case files, in the Windows simulation
    (tests/windows: no fcntl, no dir_fd, no O_NOFOLLOW, text-mode descriptors)."""
    from test_windows import run, windows_env

    env = windows_env(tmp_path)
    run(env, "invite", str(meeting_file(ws)), "--workspace", str(ws), "--today", "2026-12-01",
        cwd=tmp_path)
    ics = (ws / "output" / HOLM / f"{MEETING_NAME}-indkaldelse-til-sara.ics").read_bytes()
    assert ics.count(b"\n") == ics.count(b"\r\n") and b"\r\r\n" not in ics
    meeting = meeting_file(ws).read_bytes()
    assert b"\r" not in meeting and b'uid: "' in meeting
    plan = ws / "cases" / HOLM / "plan.yaml"
    before = plan.read_bytes()
    run(env, "approve", HOLM, "--workspace", str(ws), "--by", "sara", "--date", "2026-12-07", cwd=tmp_path)
    after = plan.read_bytes()
    assert after.startswith(before) and b"\r" not in after[len(before):]
    run(env, "validate", "--workspace", str(ws), cwd=tmp_path)


def test_a_cancelled_meeting_is_not_the_next_meeting_and_asks_no_time(runner, ws):
    path = meeting_file(ws)
    status = run_cli(runner, ["status", "--workspace", str(ws), "--today", "2026-12-01", "-f", "json", "--no-cache"])
    row = next(r for r in json.loads(status.stdout)["cases"] if r["case"] == HOLM)
    assert row["next_meeting"] == "2026-12-14"  # a meeting file comes before an announced date
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2026-12-14", "date: 2026-12-03"), encoding="utf-8")
    path.rename(meeting_file(ws, "2026-12-03-overgang"))
    held = run_cli(runner, ["status", "--workspace", str(ws), "--today", "2026-12-01", "-f", "json", "--no-cache"])
    assert next(r for r in json.loads(held.stdout)["cases"] if r["case"] == HOLM)["next_meeting"] == "2026-12-03"
    moved = meeting_file(ws, "2026-12-03-overgang")
    moved.write_text(moved.read_text(encoding="utf-8") + "status: cancelled\n", encoding="utf-8")
    cancelled = run_cli(runner, ["status", "--workspace", str(ws), "--today", "2026-12-01", "-f", "json", "--no-cache"])
    assert next(r for r in json.loads(cancelled.stdout)["cases"] if r["case"] == HOLM)["next_meeting"] == "2026-12-07"
    settings, case = api.load_one(ws, HOLM)
    [schedule] = build_schedules(case, settings, WorkCalendar(settings), window=(dt.date(2026, 12, 1),
                                                                               dt.date(2026, 12, 31)),
                                 only_person="sara")
    assert not [o for o in schedule.oneoffs if o.ref.kind == "meeting"]


@pytest.mark.slow
def test_the_invitation_reads_alike_in_the_node_parsers(runner, ws, tmp_path):
    """ical.js and node-ical (tests/node) read the invitation's time in Europe/Copenhagen."""
    import shutil

    from test_ics_parsers import NODE_TOOLS, with_node

    assert shutil.which("node"), "node is needed (installed with the machine; see .ci/run)"
    assert (NODE_TOOLS / "node_modules" / "ical.js").is_dir(), "run `make node-tools`"
    assert invite(runner, ws).exit_code == 0
    path = ws / "output" / HOLM / f"{MEETING_NAME}-indkaldelse-til-sara.ics"
    readings = with_node(path)
    assert len(readings) == 2
    for found in readings.values():
        assert found == {f"{HOLM}/{MEETING_NAME}@familieplan": ["2026-12-14T10:00"]}


def test_a_department_the_reader_may_not_learn_of_is_a_professional_in_the_summons_and_the_ics(runner, examples_ws):
    """Norup: the GP may read none of the addiction centre's areas, so its worker is "en
    fagperson" in his summons and his invitation (no name, no e-mail), as in the minutes."""
    meeting = examples_ws / "cases" / "2024-004-norup" / "meetings" / "2024-09-16-faellesmoede.yaml"
    result = run_cli(runner, ["invite", str(meeting), "--workspace", str(examples_ws), "--today", "2024-09-01",
                              "--now", "2024-09-01T10:00"])
    assert result.exit_code == 0, result.output
    folder = examples_ws / "output" / "2024-004-norup"
    names = {p.id: p.name for p in api.load_one(examples_ws, "2024-004-norup")[1].info.professionals}  # type: ignore[union-attr]
    gp = (folder / "2024-09-16-faellesmoede-indkaldelse-til-laege.md").read_text(encoding="utf-8")
    gp_ics = (folder / "2024-09-16-faellesmoede-indkaldelse-til-laege.ics").read_text(encoding="utf-8")
    assert names["rusmiddel"] not in gp and "Rusmiddelcentret" not in gp and "en fagperson" in gp
    assert names["rusmiddel"] not in " ".join(gp_ics.split()) and 'CN="en fagperson"' in gp_ics
    own = (folder / "2024-09-16-faellesmoede-indkaldelse-til-rusmiddel.md").read_text(encoding="utf-8")
    assert names["rusmiddel"] in own
