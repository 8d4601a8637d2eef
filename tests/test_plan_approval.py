"""The plan and the family (issue 27): the family's approval of the plan and its
fingerprint, the team's and the family's wording, and the family's own copy of the plan
("Din uge", LIX, consent)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

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


@pytest.fixture
def ws(examples_ws: Path) -> Path:
    return examples_ws


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
    "a default written out": ("  - id: uddannelsesvejledning\n", "  - id: uddannelsesvejledning\n    travel_minutes: 0\n"),
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
    unapproved = {n["case"] for n in json.loads(result.stdout)["cycle"] if n["code"] == "plan-not-approved"}
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
