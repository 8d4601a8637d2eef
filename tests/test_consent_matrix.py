"""The consent matrix (issue 22): every output made for a named reader, for six readers,
over one family whose every item of every area carries a marker word.

The family: Karina and Bo Lyng, parents, and their daughter Liva. Karina is in treatment
at the addiction centre (a department that names its area), and so is Bo; Liva has
homework help from the school. Karina consented to the family counsellor reading family,
school and addiction matters (her consent covers Liva, not Bo), and to the psychologist
reading health and addiction — withdrawn on 20 June, after the meeting of 15 June. The
benefit office's caseworker has no consent at all.

Each marker stands for the items of one kind of information; `READS` says who may read it.
The real date is fixed at 1 July 2026 (the clock the CLI reads), so that the withdrawal is
in the past whatever `--today` says.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from gitrepo import Repo

from conftest import run_cli
from familieplan import clock

CASE = "2026-010-lyng"
MEETING = f"cases/{CASE}/meetings/2026-06-15-faellesmoede.yaml"
REAL_NOW = dt.datetime(2026, 7, 1, 9, 0, tzinfo=clock.COPENHAGEN)
BEFORE_WITHDRAWAL = "2026-06-16"

READERS = ("koord", "mor", "barn", "sbfam", "ydelse", "psykolog")
# marker -> the readers who may read it
READS = {
    "ZNONE": set(READERS),
    "ZADDMOR": {"koord", "mor", "sbfam"},        # addiction about Karina: her consent c1
    "ZADDFAR": {"koord", "mor"},                 # addiction about Bo: Karina's consent is not his
    "ZFAM": {"koord", "mor", "sbfam"},
    "ZSCH": {"koord", "mor", "barn", "sbfam"},   # about Liva: a parent's consent covers her
    "ZEMP": {"koord", "mor"},
    "ZHEA": {"koord", "mor"},                    # the psychologist's consent was withdrawn
    # The addiction centre names its area: who may read no addiction sees "en fagperson".
    "Hanne Vest": {"koord", "mor", "sbfam"},
    "Rusmiddelcentret": {"koord", "mor", "sbfam"},
    # The school names its area: Liva reads her own homework help, so she sees her teacher.
    "Lærer Lund": {"koord", "mor", "barn", "sbfam"},
}

SETTINGS = """format: 1
municipality: Testkommune
language: da
departments:
  jobcenter: Jobcentret
  familie: Børne- og familiecentret
  misbrug:
    name: Rusmiddelcentret
    areas: [addiction]
  skole:
    name: Skole og dagtilbud
    areas: [school]
  sundhed: Sundhed
  ydelse: Ydelseskontoret
"""

CASE_YAML = f"""id: {CASE}
title: Familien Lyng
opened: 2026-01-05
status: active
coordinator: koord
people:
  - id: mor
    name: Karina Lyng
    role: parent
  - id: far
    name: Bo Lyng
    role: parent
  - id: barn
    name: Liva
    role: child
professionals:
  - id: koord
    name: Koordinator Krog
    department: jobcenter
  - id: sbfam
    name: Rådgiver Frost
    department: familie
  - id: behandler
    name: Hanne Vest
    department: misbrug
    title: Misbrugsbehandler
  - id: laerer
    name: Lærer Lund
    department: skole
  - id: psykolog
    name: Psykolog Pind
    department: sundhed
  - id: ydelse
    name: Sagsbehandler Sol
    department: ydelse
consents:
  - id: c1
    person: mor
    areas: [family, school, addiction]
    departments: [familie]
    from: 2026-01-05
  - id: c2
    person: mor
    areas: [health, addiction]
    departments: [sundhed]
    from: 2026-01-05
"""
WITHDRAWAL = "    withdrawn: 2026-06-20\n"


def _sessions(day: str, start: str, end: str) -> str:
    return f"sessions: [{{days: [{day}], from: {start}, to: {end}}}]"


PLAN = f"""title: Fællesplan for familien Lyng
from: 2026-01-05
to: 2026-12-18
phases:
  - id: f1
    name: Hverdagen
    from: 2026-01-05
    to: 2026-12-18
    focus: [family, addiction, school]
goals:
  - {{id: g1, person: mor, area: addiction, text: ZADDMOR mål}}
  - {{id: g2, person: far, area: addiction, text: ZADDFAR mål}}
  - {{id: g3, person: barn, area: school, text: ZSCH mål}}
  - {{id: g4, person: mor, area: employment, text: ZEMP mål}}
  - {{id: g5, person: mor, area: family, text: ZFAM mål}}
  - {{id: g6, person: mor, area: health, text: ZHEA mål}}
interventions:
  - id: behandling
    title: ZADDMOR behandling
    department: misbrug
    responsible: behandler
    area: addiction
    goals: [g1]
    attendees: [mor]
    from: 2026-01-05
    to: 2026-12-18
    {_sessions("mon", "09:00", "11:00")}
  - id: farbeh
    title: ZADDFAR behandling
    department: misbrug
    responsible: behandler
    area: addiction
    goals: [g2]
    attendees: [far]
    from: 2026-01-05
    to: 2026-12-18
    {_sessions("tue", "09:00", "11:00")}
  - id: lektier
    title: ZSCH lektiehjælp
    department: skole
    responsible: laerer
    area: school
    goals: [g3]
    attendees: [barn]
    from: 2026-01-05
    to: 2026-12-18
    {_sessions("wed", "15:00", "16:00")}
  - id: samtaler
    title: ZHEA samtaler
    department: jobcenter
    responsible: koord
    area: health
    goals: [g6]
    attendees: [mor]
    from: 2026-01-05
    to: 2026-12-18
    {_sessions("mon", "10:30", "11:30")}
  - id: job
    title: ZEMP jobforløb
    department: jobcenter
    responsible: koord
    area: employment
    goals: [g4]
    attendees: [mor]
    from: 2026-01-05
    to: 2026-12-18
    {_sessions("mon", "10:00", "12:00")}
"""

AGREEMENTS = """agreements:
  - {id: a1, text: ZNONE aftale, responsible: koord, made: 2026-06-15, meeting: 2026-06-15-faellesmoede, due: 2026-09-30, status: open}
  - {id: a2, text: ZADDMOR aftale, responsible: behandler, made: 2026-06-15, meeting: 2026-06-15-faellesmoede, intervention: behandling, due: 2026-09-30, status: open}
  - {id: a3, text: ZADDFAR aftale, responsible: behandler, made: 2026-06-15, meeting: 2026-06-15-faellesmoede, intervention: farbeh, due: 2026-09-30, status: open}
  - {id: a4, text: ZFAM aftale, responsible: sbfam, made: 2026-06-15, meeting: 2026-06-15-faellesmoede, area: family, due: 2026-09-30, status: open}
  - {id: a5, text: ZEMP aftale, responsible: koord, made: 2026-06-15, meeting: 2026-06-15-faellesmoede, area: employment, due: 2026-09-30, status: open}
  - {id: a6, text: ZHEA aftale, responsible: psykolog, made: 2026-06-15, meeting: 2026-06-15-faellesmoede, area: health, due: 2026-09-30, status: open}
  - {id: a7, text: ZSCH aftale, responsible: laerer, made: 2026-06-15, meeting: 2026-06-15-faellesmoede, intervention: lektier, due: 2026-09-30, status: open}
  - {id: a8, text: ZADDMOR tidligere aftale, responsible: behandler, made: 2026-05-04, intervention: behandling, due: 2026-05-29, status: done, done: 2026-05-20}
  - {id: a9, text: ZADDFAR tidligere aftale, responsible: behandler, made: 2026-05-04, intervention: farbeh, due: 2026-05-29, status: done, done: 2026-05-21}
  - {id: a10, text: ZEMP åben aftale, responsible: koord, made: 2026-05-04, area: employment, due: 2026-08-31, status: open}
questions:
  - {asked: 2026-05-05, by: mor, to: behandler, about: ZADDMOR spørgsmål, agreement: a8, answered: 2026-05-07}
  - {asked: 2026-05-06, by: far, to: behandler, about: ZADDFAR spørgsmål, agreement: a9, answered: 2026-05-08}
  - {asked: 2026-05-06, by: mor, to: koord, about: ZHEA spørgsmål, area: health, answered: 2026-05-08}
"""

EARLIER_MEETING = """title: Opstart
date: 2026-05-04
chair: koord
minutes_by: koord
participants: [mor, koord]
agenda:
  - title: Velkomst
send_to: [mor, koord]
"""

MEETING_YAML = """title: Fællesmøde
date: 2026-06-15
from: 12:00
to: 13:00
place: Rusmiddelcentret, mødelokale 2
chair: koord
minutes_by: sbfam
participants:
  - mor
  - far
  - koord
  - sbfam
  - behandler
  - laerer
  - psykolog
  - id: ydelse
    present: false
agenda:
  - title: Velkomst ZNONE
    notes: ZNONE noter
  - title: Karinas behandling ZADDMOR
    area: addiction
    about: [mor]
    notes: ZADDMOR noter
    decisions: [ZADDMOR beslutning]
  - title: Bos behandling ZADDFAR
    intervention: farbeh
    notes: ZADDFAR noter
  - title: Hverdagen ZFAM
    area: family
    notes: ZFAM noter
  - title: Lektier ZSCH
    intervention: lektier
    notes: ZSCH noter
  - title: Job ZEMP
    area: employment
    about: [mor]
    notes: ZEMP noter
  - title: Helbred ZHEA
    area: health
    about: [mor]
    notes: ZHEA noter
next_meeting:
  date: 2026-09-01
  purpose: ZADDMOR opfølgning
  area: addiction
send_to: [mor, koord, sbfam, behandler, laerer, psykolog, ydelse, barn]
"""


@pytest.fixture(autouse=True)
def real_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real date of rendering: after the withdrawal."""
    monkeypatch.setattr(clock, "now", lambda: REAL_NOW)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace, a git repository: the case's start committed in May, the rest on the
    meeting's day; the psychologist's withdrawal is in the working tree only (not committed),
    so that `changes --for` must take the working tree's consents."""
    repo = Repo(tmp_path_factory.mktemp("matrix") / "ws", driver=False)
    folder = f"cases/{CASE}"
    repo.commit("Sagen", {"familieplan.yaml": SETTINGS, f"{folder}/case.yaml": CASE_YAML,
                          f"{folder}/plan.yaml": PLAN.split("goals:")[0],
                          f"{folder}/agreements.yaml": "agreements: []\nquestions: []\n",
                          f"{folder}/meetings/2026-05-04-opstart.yaml": EARLIER_MEETING},
                date="2026-05-04T16:00:00+02:00")
    repo.commit("Mødet", {f"{folder}/plan.yaml": PLAN, f"{folder}/agreements.yaml": AGREEMENTS,
                          MEETING: MEETING_YAML}, date="2026-06-15T16:00:00+02:00")
    repo.write({f"{folder}/case.yaml": CASE_YAML + WITHDRAWAL})
    return repo.root


def _cli(runner, ws: Path, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = run_cli(runner, [*args, "--workspace", str(ws)])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _document(runner, ws: Path, tmp_path: Path, command: str, target: str, fmt: str, reader: str,  # type: ignore[no-untyped-def]
              *extra: str) -> str:
    if fmt != "pdf":
        return _cli(runner, ws, command, target, "-f", fmt, "--for", reader, "--output", "-", "--no-record", *extra)
    from pypdf import PdfReader

    out = tmp_path / f"{command}-{reader}.pdf"
    _cli(runner, ws, command, target, "-f", "pdf", "--for", reader, "--output", str(out), "--no-record", *extra)
    return "\n".join(page.extract_text() for page in PdfReader(str(out)).pages)


def _check(text: str, reader: str, what: str, *, present: bool = True) -> None:
    """No marker reaches a reader who may not read it; with `present`, every marker the
    reader may read is there (the output is not simply empty)."""
    flat = " ".join(text.split())  # a PDF's text may break a line anywhere
    for marker, readers in READS.items():
        if reader not in readers:
            assert marker not in flat, (what, reader, marker)
        elif present:
            assert marker in flat, (what, reader, marker)


FORMATS = ["md", "html", pytest.param("pdf", marks=pytest.mark.slow)]


@pytest.mark.parametrize("today", [None, BEFORE_WITHDRAWAL])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("reader", READERS)
def test_minutes(runner, ws, tmp_path, reader, fmt, today):
    extra = ("--today", today) if today else ()
    text = _document(runner, ws, tmp_path, "render-minutes", str(ws / MEETING), fmt, reader, *extra)
    _check(text, reader, f"minutes.{fmt}", present=fmt != "pdf")


@pytest.mark.parametrize("today", [None, BEFORE_WITHDRAWAL])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("reader", READERS)
def test_plan(runner, ws, tmp_path, reader, fmt, today):
    extra = ("--today", today) if today else ()
    text = _document(runner, ws, tmp_path, "render-plan", CASE, fmt, reader, *extra)
    # The plan shows no agenda, so the place and Bo's or Liva's names are not asked for.
    _check(text, reader, f"plan.{fmt}", present=False)
    for marker in ("ZADDMOR", "ZADDFAR", "ZSCH", "ZEMP", "ZFAM", "ZHEA"):
        if reader in READS[marker]:
            assert marker in " ".join(text.split()), (reader, marker)


@pytest.fixture(scope="module")
def scaffolded(ws: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The meeting `new-meeting` writes for 1 July, in a copy of the workspace."""
    import shutil

    from typer.testing import CliRunner

    copy = tmp_path_factory.mktemp("scaffold") / "ws"
    shutil.copytree(ws, copy, ignore=shutil.ignore_patterns(".git"))
    result = run_cli(CliRunner(), ["new-meeting", CASE, "--date", "2026-07-01", "--workspace", str(copy)])
    assert result.exit_code == 0, result.output
    [path] = (copy / "cases" / CASE / "meetings").glob("2026-07-01-*.yaml")
    return path


@pytest.mark.parametrize("reader", READERS)
def test_the_scaffolded_meeting_rendered_as_minutes(runner, scaffolded, reader):
    workspace = scaffolded.parents[3]
    text = _cli(runner, workspace, "render-minutes", str(scaffolded), "--for", reader, "--output", "-",
                "--no-record", "--today", BEFORE_WITHDRAWAL)
    _check(text, reader, "scaffolded minutes", present=False)
    agenda = scaffolded.read_text().split("agenda:", 1)[1]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", agenda.split("send_to:")[0])  # no ISO dates in generated text
    assert not re.search(r"\ba\d+\b", agenda.split("send_to:")[0])  # nor internal ids


@pytest.mark.parametrize("today", [None, BEFORE_WITHDRAWAL])
@pytest.mark.parametrize("fmt", ["text", "md", "json"])
@pytest.mark.parametrize("reader", READERS)
def test_check_load(runner, ws, reader, fmt, today):
    extra = ("--today", today) if today else ()
    text = _cli(runner, ws, "check-load", CASE, "--for", reader, "-f", fmt, *extra)
    _check(text, reader, f"check-load.{fmt}", present=False)
    if fmt == "json":
        summary = json.loads(text)["summary"]
        # The overlap of Karina's treatment and her job course: only those who may read both.
        assert (summary["omitted"] > 0) == (reader not in READS["ZADDMOR"] & READS["ZEMP"]), reader


@pytest.mark.parametrize("today", [None, BEFORE_WITHDRAWAL])
@pytest.mark.parametrize("fmt", ["text", "md", "json"])
@pytest.mark.parametrize("reader", READERS)
def test_report(runner, ws, reader, fmt, today):
    extra = ("--today", today) if today else ()
    text = _cli(runner, ws, "report", CASE, "--for", reader, "-f", fmt, "--no-record", *extra)
    _check(text, reader, f"report.{fmt}", present=False)


@pytest.mark.parametrize("today", [None, BEFORE_WITHDRAWAL])
@pytest.mark.parametrize("fmt", ["text", "md", "json"])
@pytest.mark.parametrize("reader", READERS)
def test_fit(runner, ws, reader, fmt, today):
    extra = ("--today", today) if today else ("--from", BEFORE_WITHDRAWAL)
    text = _cli(runner, ws, "fit", CASE, "--person", "mor", "--length", "6h", "--per-week", "4", "--for", reader,
                "-f", fmt, *extra)
    _check(text, reader, f"fit.{fmt}", present=False)


@pytest.mark.parametrize("today", [None, BEFORE_WITHDRAWAL])
@pytest.mark.parametrize("fmt", ["text", "md", "json"])
@pytest.mark.parametrize("reader", READERS)
def test_changes(runner, ws, reader, fmt, today):
    extra = ("--today", today) if today else ()
    text = _cli(runner, ws, "changes", CASE, "--since", "2026-05-05", "--for", reader, "-f", fmt, *extra)
    _check(text, reader, f"changes.{fmt}", present=False)


def test_changes_show_what_the_reader_may_read(runner, ws):
    """Not simply empty: the family counsellor reads Karina's treatment, not Bo's."""
    text = _cli(runner, ws, "changes", CASE, "--since", "2026-05-05", "--for", "sbfam", "-f", "json")
    assert "ZADDMOR" in text and "ZADDFAR" not in text and json.loads(text)["summary"]["omitted"] > 0


# --- never a false "nothing" ---------------------------------------------------------------

def test_check_load_never_says_no_findings_when_some_were_held_back(runner, ws):
    args = ["check-load", CASE, "--workspace", str(ws), "--for", "ydelse", "--today", BEFORE_WITHDRAWAL]
    for fmt in ("text", "md"):
        result = run_cli(runner, [*args, "-f", fmt])
        assert "Ingen fund" not in result.stdout, fmt
        assert re.search(r"\d+ fund vedrører områder, som du ikke har samtykke til at se", result.stdout), fmt
        assert result.exit_code == 1  # the hidden overlaps are errors: no all clear
    data = json.loads(run_cli(runner, [*args, "-f", "json"]).stdout)
    assert data["findings"] == [] and data["summary"]["omitted"] > 0 and data["summary"]["for"] == "ydelse"
    internal = json.loads(run_cli(runner, [*args[:-4], "-f", "json"]).stdout)
    assert "omitted" not in internal["summary"]
    assert json.loads(run_cli(runner, [*args[:-3], "mor", "-f", "json"]).stdout)["summary"]["omitted"] == 0


def _heat(text: str, name: str) -> str:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if name in line and "grænse" in line)
    return lines[start + 1].strip()


def test_the_weekly_load_adds_only_what_the_reader_may_see(runner, ws):
    args = ["check-load", CASE, "--workspace", str(ws), "--today", BEFORE_WITHDRAWAL, "--from", "2026-06-01",
            "--to", "2026-06-28"]
    internal = run_cli(runner, args).stdout
    shown = run_cli(runner, [*args, "--for", "sbfam"]).stdout
    # Karina's Mondays hold the treatment, the talks and the job course: 7 hours a week for the
    # team; the family counsellor may add up only the treatment.
    assert _heat(internal, "Karina Lyng") != _heat(shown, "Karina Lyng")
    assert "ugen rummer også andre aftaler" in shown and "ugen rummer også andre aftaler" not in internal


@pytest.fixture(scope="module")
def without_open_items(ws: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy in which every agreement made at the meeting has an area (no a1)."""
    import shutil

    copy = tmp_path_factory.mktemp("hidden") / "ws"
    shutil.copytree(ws, copy, ignore=shutil.ignore_patterns(".git"))
    agreements = copy / "cases" / CASE / "agreements.yaml"
    agreements.write_text("\n".join(line for line in agreements.read_text().splitlines()
                                    if "id: a1," not in line) + "\n", encoding="utf-8")
    return copy


def test_minutes_say_what_was_left_out_and_number_what_is_shown(runner, ws, without_open_items):
    minutes = _cli(runner, without_open_items, "render-minutes", str(without_open_items / MEETING), "--for", "ydelse",
                   "--output", "-", "--no-record", "--today", BEFORE_WITHDRAWAL)
    assert "Ingen nye aftaler" not in minutes and "6 punkter er udeladt, fordi samtykket ikke omfatter dem." in minutes
    assert re.search(r"I alt er \d+ punkter udeladt af denne udgave", minutes)
    assert "Næste møde" in minutes and "1 punkt er udeladt" in minutes  # the next meeting, hidden, is said
    child = _cli(runner, ws, "render-minutes", str(ws / MEETING), "--for", "barn", "--output", "-", "--no-record")
    numbers = re.findall(r"^### (\d+)\. ", child, flags=re.MULTILINE)
    assert numbers == ["1", "2"] and "### 2. Lektier ZSCH" in child  # the fifth item is Liva's second
    assert "Sted:" not in child and "en fagperson" in child  # the place names the addiction centre


def test_the_plan_says_what_was_left_out(runner, without_open_items):
    plan = _cli(runner, without_open_items, "render-plan", CASE, "--for", "ydelse", "--output", "-", "--no-record",
                "--today", BEFORE_WITHDRAWAL)
    section = plan.split("## Åbne aftaler", 1)[1]
    assert "Ingen." not in section.split("##")[0] and "punkter er udeladt" in section


# --- the rule itself, from the library -------------------------------------------------------

def test_whose_consent_and_a_departments_own_work_in_the_library(ws):
    from familieplan import api
    from familieplan.consent import Reading, subject_of

    settings, case = api.load_one(ws, CASE)
    day = dt.date(2026, 6, 15)
    counsellor = Reading(case, "sbfam", [day], day, settings.department_areas)
    assert counsellor.allows("addiction", ["mor"]) and counsellor.bases("addiction", ["mor"]) == ("c1",)
    assert counsellor.allows("addiction", ["barn"])  # a parent's consent covers the child
    assert not counsellor.allows("addiction", ["far"])  # Karina's consent is not Bo's
    assert not counsellor.allows("addiction", ["mor", "far"])
    assert counsellor.allows("addiction")  # about no one: any consent of the family
    assert not counsellor.conceals("behandler") and counsellor.conceals("laerer") is False
    assert Reading(case, "ydelse", [day], day, settings.department_areas).conceals("behandler")
    # The addiction counsellor has no consent at all, yet reads the treatments the centre runs.
    assert case.plan is not None
    counsellor_of_centre = Reading(case, "behandler", [day], day, settings.department_areas)
    treatments = {iv.id: iv for iv in case.plan.interventions}
    assert counsellor_of_centre.allows_subject(subject_of(case, treatments["farbeh"]))
    assert counsellor_of_centre.bases("addiction", ["far"], ["misbrug"]) == ("department",)
    assert not counsellor_of_centre.allows_subject(subject_of(case, treatments["job"]))
    # A withdrawal on or before the real date applies whatever day the view is made as of.
    psychologist = Reading(case, "psykolog", [dt.date(2026, 6, 16)], dt.date(2026, 7, 1))
    assert not psychologist.allows("health", ["mor"])
    assert Reading(case, "psykolog", [dt.date(2026, 6, 16)], dt.date(2026, 6, 16)).allows("health", ["mor"])


@pytest.mark.parametrize("today", [None, BEFORE_WITHDRAWAL])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("reader", ("mor", "barn"))
def test_question_log(runner, ws, tmp_path, reader, fmt, today):
    """`render-questions` (issue 25) for the family: a reader's own questions, and nothing the
    consent rule keeps from her — not the father's question, though it is in the same log."""
    extra = ("--today", today) if today else ()
    text = _document(runner, ws, tmp_path, "render-questions", CASE, fmt, reader, *extra)
    _check(text, reader, f"questions.{fmt}", present=False)
    flat = " ".join(text.split())
    if reader == "mor":
        assert "ZADDMOR" in flat and "ZHEA" in flat
    assert "ZADDFAR" not in flat
