"""The meeting cycle (issue 27): invitations with a summons and an .ics per participant,
notice and follow-up warnings in due and status, the family's approval of the plan, and
the family's own copy of the plan."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from conftest import EXAMPLES, run_cli
from familieplan import api
from familieplan.render.catalog import catalog
from familieplan.render.family_plan import FIXED_WORDS, family_plan_context
from familieplan.schedule.agenda import occurrences
from familieplan.schedule.approvals import plan_fingerprint
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
        f"    source: meetings/{MEETING_NAME}.yaml\n    sequence: 0\n"), encoding="utf-8")


@pytest.mark.parametrize(("summoned", "warned"), [("2026-12-09", True), ("2026-11-26", False)])
def test_summons_notice_by_working_days(runner, ws, summoned, warned):
    code_before, _ = due_json(runner, ws)
    summon_on(ws, summoned)  # 3 working days before 14 December, or 12
    code, data = due_json(runner, ws)
    notices = [n for n in data["notices"] if n["code"] == "summons-notice"]
    assert bool(notices) == warned
    if warned:
        assert notices[0]["meeting"] == MEETING_NAME and notices[0]["summoned"] == summoned
    assert code == code_before


def test_a_meeting_not_summoned_shortly_before_it_is_warned_about(runner, ws):
    _, data = due_json(runner, ws, today="2026-12-08")
    assert [n["meeting"] for n in data["notices"] if n["code"] == "summons-notice"] == [MEETING_NAME]
    _, early = due_json(runner, ws, today="2026-11-02")
    assert not [n for n in early["notices"] if n["code"] == "summons-notice"]


def test_no_next_meeting(runner, ws):
    meeting_file(ws).unlink()
    june = meeting_file(ws, "2026-06-15-opfoelgning")
    text = june.read_text(encoding="utf-8")
    june.write_text(text[:text.index("next_meeting:")] + text[text.index("send_to:"):], encoding="utf-8")
    code, data = due_json(runner, ws)
    assert [(n["code"], n["meeting"]) for n in data["notices"] if n["code"] == "no-next-meeting"] == [
        ("no-next-meeting", "2026-06-15-opfoelgning")]
    result = run_cli(runner, ["status", "--workspace", str(ws), "--today", "2026-12-11", "-f", "json", "--no-cache"])
    row = next(r for r in json.loads(result.stdout)["cases"] if r["case"] == HOLM)
    assert [n["code"] for n in row["notices"]] == ["no-next-meeting"]


# --- approval -------------------------------------------------------------------------------

def plan_text(runner, ws: Path, reader: str | None = None) -> str:
    args = ["render-plan", HOLM, "--workspace", str(ws), "--today", "2026-12-07", *NOW, "--output", "-"]
    result = run_cli(runner, [*args, "--for", reader] if reader else args)
    assert result.exit_code == 0, result.output
    return result.stdout


def approve(runner, ws: Path, *more: str):  # type: ignore[no-untyped-def]
    return run_cli(runner, ["approve", HOLM, "--workspace", str(ws), "--by", "sara", "--date", "2026-12-07", *more])


def test_approve_appends_one_entry_and_keeps_every_other_byte(runner, ws):
    plan = ws / "cases" / HOLM / "plan.yaml"
    before = plan.read_bytes()
    result = approve(runner, ws, "--channel", "mitid")
    assert result.exit_code == 0, result.output
    after = plan.read_bytes()
    assert after.startswith(before)
    fingerprint = plan_fingerprint(api.load_one(ws, HOLM)[1].plan)  # type: ignore[arg-type]
    assert after[len(before):].decode() == (f'  - by: sara\n    date: 2026-12-07\n    channel: mitid\n'
                                            f'    plan: "{fingerprint}"\n')
    again = approve(runner, ws)
    assert again.exit_code == 2 and "allerede godkendt" in again.output
    assert plan.read_bytes() == after


def test_approve_refuses_a_professional_and_a_bad_channel(runner, ws):
    plan = ws / "cases" / HOLM / "plan.yaml"
    before = plan.read_bytes()
    wrong = run_cli(runner, ["approve", HOLM, "--workspace", str(ws), "--by", "sb-job"])
    assert wrong.exit_code == 2 and "ikke en person i sag" in wrong.output
    assert approve(runner, ws, "--channel", "brev").exit_code == 2
    assert plan.read_bytes() == before


REFORMATTED = {
    "a comment": ("title: ", "# Planen er lagt på mødet\ntitle: "),
    "a blank line and quotes": ("\ninterventions:\n", "\n\n\"interventions\":\n"),
}


def test_the_fingerprint_ignores_comments_layout_and_the_approvals(runner, ws):
    assert approve(runner, ws, "--channel", "meeting").exit_code == 0
    plan = ws / "cases" / HOLM / "plan.yaml"
    assert "Godkendt af Sara Holm 7. dec" in plan_text(runner, ws)
    for old, new in REFORMATTED.values():
        text = plan.read_text(encoding="utf-8")
        assert old in text
        plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    team = plan_text(runner, ws)
    assert "Godkendt af Sara Holm 7. dec" in team and "Ændret" not in team
    assert "Du godkendte planen 7. dec" in plan_text(runner, ws, "sara")
    # Changing an intervention's time makes it "changed after the approval", for everyone.
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("from: 09:00", "from: 09:30", 1), encoding="utf-8")
    assert "Ændret efter godkendelsen 7. dec" in plan_text(runner, ws)
    assert "Planen er ændret, efter du godkendte den 7. dec" in plan_text(runner, ws, "sara")
    status = run_cli(runner, ["status", "--workspace", str(ws), "--today", "2026-12-07", "--no-cache"])
    assert "Ændret efter godkendelsen 7. dec" in status.stdout


def test_due_warns_about_a_plan_nobody_approved(runner, ws):
    result = run_cli(runner, ["due", "--workspace", str(ws), "--today", "2026-12-07", "-f", "json", "--no-cache"])
    unapproved = {n["case"] for n in json.loads(result.stdout)["notices"] if n["code"] == "plan-not-approved"}
    assert unapproved == {"2025-003-lund", "2026-002-karimi"}  # Holm's plan was approved by Sara


# --- the family's own copy --------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def lix(text: str, line_sentences: bool = False) -> float:
    """LIX: words per sentence plus the share of words over six letters, times 100. With
    `line_sentences`, a line without . ! ? or : counts as one sentence."""
    words = _WORD.findall(text)
    sentences = len(re.findall(r"[.!?:](?=\s|$)", text))
    if line_sentences:
        sentences += sum(1 for line in text.splitlines() if _WORD.search(line) and not re.search(r"[.!?:]", line))
    return len(words) / max(sentences, 1) + 100 * sum(len(w) > 6 for w in words) / max(len(words), 1)


def fixed_text(lang: str = "da") -> str:
    """The family copy's fixed words as its reader sees them, placeholders left out, each
    message a sentence of its own."""
    cat = catalog(lang)
    texts = [re.sub(r"\s*\{\w+\}", "", cat.gettext(words)).strip() for words in FIXED_WORDS]
    return " ".join(t if t.endswith((".", "?", "!", ":")) else t + "." for t in texts)


def test_the_fixed_words_of_the_family_copy_score_lix_35_or_less():
    assert lix(fixed_text()) <= 35
    assert lix("Kommunens sagsbehandlingstidsfrister overskrides systematisk hvilket medfører utilfredshed") > 35


def test_the_family_copy_uses_only_its_fixed_words():
    used = set()
    for name in ("family_plan.md.j2", "family_plan.html.j2"):
        template = (Path(__file__).parent.parent / "templates" / "render" / name).read_text(encoding="utf-8")
        used |= set(re.findall(r'_\("([^"]+)"\)', template))
    assert used <= set(FIXED_WORDS), used - set(FIXED_WORDS)


def _adults() -> list[tuple[str, str]]:
    workspace, _ = api.load_workspace(EXAMPLES)
    return [(case.folder_id, p.id) for case in workspace.cases for p in (case.info.people if case.info else ())
            if p.role != "child" and p.id]


@pytest.mark.parametrize(("case_id", "person"), _adults())
def test_the_whole_family_copy_of_every_example_scores_lix_45_or_less(runner, case_id, person):
    result = run_cli(runner, ["render-plan", case_id, "--workspace", str(EXAMPLES), "--for", person,
                              "--today", "2026-03-02", *NOW, "--output", "-"])
    assert result.exit_code == 0, result.output
    text = result.stdout.replace("|", "\n")
    assert lix(text, line_sentences=True) <= 45


@pytest.mark.parametrize(("case_id", "person"), _adults())
def test_din_uge_lists_exactly_the_occurrences_check_load_counts(case_id, person):
    import recurring_ical_events

    settings, case = api.load_one(EXAMPLES, case_id)
    today = dt.date(2026, 3, 2)
    end = today + dt.timedelta(days=27)
    context = family_plan_context(case, settings, person, "da", dt.datetime(2026, 3, 1, 10, tzinfo=TZ), today)
    [schedule] = build_schedules(case, settings, WorkCalendar(settings), window=(today, end), only_person=person)
    ours = [(o.date, o.start, o.ref.title) for o in occurrences(schedule, today, end)]
    assert len(context["week"]) == len(ours)
    # The person's whole calendar, as export-ics writes it, read back by icalendar's expander.
    cal = icalendar.Calendar.from_ical(api.export_ics(case, settings, person, dt.datetime(2026, 3, 1, tzinfo=TZ)))
    events = recurring_ical_events.of(cal).between(dt.datetime.combine(today, dt.time(), TZ),
                                                   dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), TZ))
    theirs = []
    for event in events:
        start = event["DTSTART"].dt
        if isinstance(start, dt.datetime):
            local = start.astimezone(TZ)
            theirs.append((local.date(), local.hour * 60 + local.minute, str(event["SUMMARY"])))
        else:
            theirs.append((start, None, str(event["SUMMARY"])))
    assert sorted(ours, key=str) == sorted(theirs, key=str)


def test_the_family_copy_passes_the_consent_rule(runner, tmp_path):
    """The marker fixture of tests/test_consent_documents.py: the mother's own copy holds
    what is about her (her interventions in Din uge, her goal), not her child's."""
    from test_consent_documents import AGREEMENTS, CASE, CASE_YAML, EARLIER, PLAN, SETTINGS
    from test_consent_documents import MEETING as MEETING_FILE

    root = tmp_path / "ws"
    case = root / "cases" / CASE
    (case / "meetings").mkdir(parents=True)
    (root / "familieplan.yaml").write_text(SETTINGS, encoding="utf-8")
    for name, text in (("case.yaml", CASE_YAML), ("plan.yaml", PLAN), ("agreements.yaml", AGREEMENTS),
                       ("meetings/2026-05-01-forrige.yaml", EARLIER), ("meetings/2026-06-15-moede.yaml", MEETING_FILE)):
        (case / name).write_text(text, encoding="utf-8")
    result = run_cli(runner, ["render-plan", CASE, "--workspace", str(root), "--for", "mor", "--today", "2026-06-16",
                              "--now", "2026-06-16T10:00", "--output", "-"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "# Din plan" in text and "Intern version" not in text
    assert {"IV-ADDICTION", "IV-EMPLOY", "GOAL-ADDICTION"} <= set(re.findall(r"[A-Z]+-[A-Z]+", text))
    assert "IV-SCHOOL" not in text and "GOAL-SCHOOL" not in text  # the child's, not about her


@pytest.mark.parametrize(("lang", "fmt"), [("da", "md"), ("da", "html"), ("en", "md")])
def test_golden_family_plan(runner, lang, fmt):
    result = run_cli(runner, ["render-plan", HOLM, "--workspace", str(EXAMPLES), "--for", "sara", "--today",
                              "2026-03-02", "--lang", lang, "-f", fmt, *NOW, "--output", "-"])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"family_plan.{lang}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8"), f"{golden} differs; review and rerun with UPDATE_GOLDEN=1"


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


def test_serve_shows_the_team_what_changed_since_the_approval(tmp_path):
    """The team's case page: 'Ændret efter godkendelsen' and, from git, what changed."""
    import shutil

    from gitrepo import Repo

    from familieplan.web.app import ServeOptions, Site
    from familieplan.web.live import Watcher

    repo = Repo(tmp_path / "repo", driver=False)
    root = repo.root / "ws"
    shutil.copytree(EXAMPLES, root)
    repo.commit("the examples", date="2026-04-01T10:00:00+02:00")
    api.approve(root, HOLM, "sara", dt.date(2026, 4, 2), "meeting")
    repo.commit("Sara approved the plan", date="2026-04-02T10:00:00+02:00")
    plan = root / "cases" / HOLM / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("from: 09:00", "from: 09:30", 1), encoding="utf-8")
    repo.commit("later start", date="2026-04-10T10:00:00+02:00")
    site = Site(ServeOptions(root, today=dt.date(2026, 5, 20)), Watcher(root))
    page = site.case(HOLM, None)
    assert "Ændret efter godkendelsen 2. apr" in page
    section = page.split("<h2>Hvad er ændret i planen, siden familien godkendte den</h2>")[1].split("<h2>")[0]
    assert section.count("<li>") == 1 and "Undervisningsforløb i jobcentrets projekt" in section
    assert "siden familien godkendte den" not in site.case(HOLM, "sb-familie")  # the team's view only


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


# --- the two text splices ----------------------------------------------------------------

ENTRY = ["- by: anna", "  date: 2026-12-07"]


@pytest.mark.parametrize(("before", "after"), [
    ("title: X\nfrom: 2026-01-01\n", "title: X\nfrom: 2026-01-01\napprovals:\n  - by: anna\n    date: 2026-12-07\n"),
    ("title: X\napprovals:\n  - by: bo\n    date: 2026-01-01\n# about to\n\nto: 1\n",
     "title: X\napprovals:\n  - by: bo\n    date: 2026-01-01\n  - by: anna\n    date: 2026-12-07\n# about to\n\nto: 1\n"),
    ("title: X\napprovals: []  # none yet\nto: 1", "title: X\napprovals: # none yet\n  - by: anna\n    date: 2026-12-07\nto: 1"),
    ("title: X\r\napprovals:\r\n- by: bo\r\n  date: 2026-01-01\r\n",
     "title: X\r\napprovals:\r\n- by: bo\r\n  date: 2026-01-01\r\n- by: anna\r\n  date: 2026-12-07\r\n"),
])
def test_append_entry_keeps_every_other_byte(before, after):
    from familieplan.format.insert import append_entry

    assert append_entry(before, "plan.yaml", "approvals", ENTRY) == after


@pytest.mark.parametrize("text", ["title: X\napprovals: [{by: bo, date: 2026-01-01}]\n", "{title: X}\n",
                                  "title: X\napprovals: nej\n", "title: X\rto: 1\n"])
def test_a_layout_the_splice_does_not_understand_is_refused(text):
    from familieplan.format.insert import append_entry
    from familieplan.problems import FamilieplanError

    with pytest.raises(FamilieplanError):
        append_entry(text, "plan.yaml", "approvals", ENTRY)


def test_add_key_after_puts_one_line_after_the_key_and_its_value():
    from familieplan.format.insert import add_key_after

    text = "# møde\ntitle: M\ndate: 2026-12-07\nagenda:\n  - title: A\n"
    assert add_key_after(text, "m.yaml", "date", 'uid: "u@familieplan"') == text.replace(
        "date: 2026-12-07\n", 'date: 2026-12-07\nuid: "u@familieplan"\n')
    assert add_key_after("title: M\nagenda:\n  - title: A\n", "m.yaml", "date", "uid: u").endswith("  - title: A\nuid: u\n")
