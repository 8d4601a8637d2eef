"""The consent rule in the documents: every kind of item (agenda items with an area, an
intervention or `about`; agreements with an area or an intervention; questions answered
since the last meeting; the next meeting; interventions, goals and a phase's focus in the
plan), in Markdown and HTML, for five kinds of reader (parent, child, coordinator, a
professional with partial consent, one with none), a consent withdrawn between the meeting
and the render, `--for all`, and the disclosure log."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_cli

CASE = "2026-001-saga"

SETTINGS = """format: 1
municipality: Testkommune
departments:
  jobcenter: Jobcentret
  misbrug: Rusmiddelcentret
  skole: Skole og dagtilbud
  sundhed: Sundhed
"""

CASE_YAML = f"""id: {CASE}
title: Familien Saga
opened: 2026-01-05
status: active
coordinator: koord
people:
  - id: mor
    name: Ida Saga
    role: parent
  - id: barn
    name: Alma
    role: child
professionals:
  - id: koord
    name: Koordinator Krog
    department: jobcenter
  - id: behandler
    name: Behandler Bak
    department: misbrug
  - id: laerer
    name: Lærer Lund
    department: skole
  - id: laege
    name: Læge Lyng
    department: sundhed
consents:
  - id: c1
    person: mor
    areas: [family, school]
    departments: [skole, misbrug]
    from: 2026-01-05
  - id: c2
    person: mor
    areas: [addiction]
    departments: [misbrug]
    from: 2026-01-05
    withdrawn: 2026-06-20
"""

PLAN = """title: Fællesplan for familien Saga
from: 2026-01-05
to: 2026-12-31
phases:
  - id: f1
    name: Struktur
    from: 2026-01-05
    to: 2026-12-31
    focus: [family, addiction]
goals:
  - id: ga
    person: mor
    area: addiction
    text: GOAL-ADDICTION
  - id: gs
    person: barn
    area: school
    text: GOAL-SCHOOL
interventions:
  - id: behandling
    title: IV-ADDICTION
    department: misbrug
    responsible: behandler
    area: addiction
    attendees: [mor]
    from: 2026-01-05
    to: 2026-12-18
    sessions: [{days: [mon], from: 09:00, to: 11:00}]
  - id: lektier
    title: IV-SCHOOL
    department: skole
    responsible: laerer
    area: school
    attendees: [barn]
    from: 2026-01-05
    to: 2026-12-18
    sessions: [{days: [tue], from: 15:00, to: 16:00}]
  - id: job
    title: IV-EMPLOY
    department: jobcenter
    responsible: koord
    area: employment
    attendees: [mor]
    from: 2026-01-05
    to: 2026-12-18
    sessions: [{days: [thu], from: 09:00, to: 11:00}]
"""

AGREEMENTS = """agreements:
  - id: a1
    text: AGR-OPEN
    responsible: koord
    made: 2026-06-15
    meeting: 2026-06-15-moede
    status: open
  - id: a2
    text: AGR-ADDICTION
    responsible: behandler
    made: 2026-06-15
    meeting: 2026-06-15-moede
    area: addiction
    answer_within_days: 3
    status: open
  - id: a3
    text: AGR-SCHOOL
    responsible: laerer
    made: 2026-06-15
    meeting: 2026-06-15-moede
    intervention: lektier
    answer_within_days: 3
    status: open
  - id: a4
    text: AGR-EMPLOY
    responsible: koord
    made: 2026-06-15
    meeting: 2026-06-15-moede
    intervention: job
    status: open
questions:
  - asked: 2026-05-04
    by: mor
    to: laerer
    about: Q-SCHOOL
    agreement: a3
    answered: 2026-05-06
  - asked: 2026-05-04
    by: mor
    to: behandler
    about: Q-ADDICTION
    agreement: a2
    answered: 2026-05-12
"""

EARLIER = """title: Forrige møde
date: 2026-05-01
chair: koord
participants: [mor, koord]
"""

MEETING = """title: Fællesmøde
date: 2026-06-15
from: 13:00
to: 14:00
chair: koord
participants: [mor, koord, behandler, laerer, laege]
agenda:
  - title: AG-OPEN
  - title: AG-ADDICTION
    area: addiction
  - title: AG-SCHOOL about Alma
    area: school
    about: [barn]
  - title: AG-FAMILY
    area: family
  - title: AG-EMPLOY
    intervention: job
next_meeting:
  date: 2026-09-01
  purpose: NEXT-ADDICTION
  area: addiction
send_to: [mor, koord, behandler, laerer, laege]
"""

# The markers of the minutes, by the area that decides who may read them.
MINUTES = {
    "open": {"AG-OPEN", "AGR-OPEN"},
    "addiction": {"AG-ADDICTION", "AGR-ADDICTION", "NEXT-ADDICTION", "Q-ADDICTION"},
    "school": {"AG-SCHOOL", "AGR-SCHOOL", "Q-SCHOOL"},
    "family": {"AG-FAMILY"},
    "employment": {"AG-EMPLOY", "AGR-EMPLOY"},
}
PLAN_MARKERS = {
    "open": {"AGR-OPEN"},
    "addiction": {"IV-ADDICTION", "GOAL-ADDICTION", "AGR-ADDICTION", "NEXT-ADDICTION"},
    "school": {"IV-SCHOOL", "GOAL-SCHOOL", "AGR-SCHOOL"},
    "family": set(),
    "employment": {"IV-EMPLOY", "AGR-EMPLOY"},
}
ALL = ("open", "addiction", "school", "family", "employment")
READERS = {  # what each reader may read, on 16 June 2026 (before c2 is withdrawn)
    "mor": ALL,                                   # the parent: everything
    "koord": ALL,                                 # the coordinator: everything
    "barn": ("open", "school"),                   # the child: no area, and what is about her
    "laerer": ("open", "school", "family"),       # partial consent (c1 names skole)
    "laege": ("open",),                           # no consent at all
    "behandler": ("open", "school", "family", "addiction"),
}


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    case = root / "cases" / CASE
    (case / "meetings").mkdir(parents=True)
    (root / "familieplan.yaml").write_text(SETTINGS, encoding="utf-8")
    for name, text in (("case.yaml", CASE_YAML), ("plan.yaml", PLAN), ("agreements.yaml", AGREEMENTS),
                       ("meetings/2026-05-01-forrige.yaml", EARLIER), ("meetings/2026-06-15-moede.yaml", MEETING)):
        (case / name).write_text(text, encoding="utf-8")
    return root


def _render(runner, ws: Path, kind: str, fmt: str, reader: str | None, today: str, *more: str) -> str:  # type: ignore[no-untyped-def]
    target = [str(ws / "cases" / CASE / "meetings" / "2026-06-15-moede.yaml")] if kind == "minutes" else [CASE]
    args = [f"render-{kind}", *target, "--workspace", str(ws), "-f", fmt, "--today", today,
            "--now", "2026-06-16T10:00", "--output", "-", *more]
    if reader:
        args += ["--for", reader]
    result = run_cli(runner, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _seen(text: str, markers: dict[str, set[str]]) -> set[str]:
    return {area for area, words in markers.items() for word in words if word in text}


def test_the_fixture_validates(runner, ws):
    result = run_cli(runner, ["validate", "--workspace", str(ws), "--today", "2026-06-16"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("reader", sorted(READERS))
def test_minutes_show_each_reader_their_share(runner, ws, fmt, reader):
    text = _render(runner, ws, "minutes", fmt, reader, "2026-06-16")
    allowed = set(READERS[reader])
    assert _seen(text, MINUTES) == allowed
    for area in set(ALL) - allowed:
        for word in MINUTES[area]:
            assert word not in text, (reader, word)
    assert "Intern version" not in text


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("reader", sorted(READERS))
def test_the_plan_shows_each_reader_their_share(runner, ws, fmt, reader):
    text = _render(runner, ws, "plan", fmt, reader, "2026-06-16")
    allowed = set(READERS[reader])
    for area in ALL:
        for word in PLAN_MARKERS[area]:
            assert (word in text) == (area in allowed), (reader, word)
    # A phase's focus names only the areas the reader may see ("familie og rusmidler").
    focus = [line for line in text.splitlines() if "Fokus" in line]
    shows_addiction = any("rusmidler" in line for line in focus)
    assert shows_addiction == ("addiction" in allowed), reader


def test_a_consent_withdrawn_since_the_meeting_releases_nothing(runner, ws):
    before = _render(runner, ws, "minutes", "md", "behandler", "2026-06-16")
    assert "AG-ADDICTION" in before
    after = _render(runner, ws, "minutes", "md", "behandler", "2026-07-01")
    assert "AG-ADDICTION" not in after and "AGR-ADDICTION" not in after and "AG-FAMILY" in after
    plan_after = _render(runner, ws, "plan", "md", "behandler", "2026-07-01")
    # The treatment is the counsellor's own department's work (third edition): still read;
    # the mother's addiction goal, which no intervention of theirs serves, is not.
    assert "IV-ADDICTION" in plan_after and "GOAL-ADDICTION" not in plan_after and "IV-SCHOOL" in plan_after
    # A back-dated render cannot undo a withdrawal dated on or before the real date.
    backdated = _render(runner, ws, "minutes", "md", "behandler", "2026-06-16", "--now", "2026-07-01T09:00")
    assert "AG-ADDICTION" not in backdated


def test_internal_version_says_so(runner, ws):
    for kind in ("minutes", "plan"):
        text = _render(runner, ws, kind, "md", None, "2026-06-16")
        assert "Intern version" in text and "AG-ADDICTION" in text if kind == "minutes" else "IV-ADDICTION" in text


def test_for_all_skips_the_child_and_records_each_disclosure(runner, ws):
    out = ws / "out"
    meeting = ws / "cases" / CASE / "meetings" / "2026-06-15-moede.yaml"
    args = ["--workspace", str(ws), "--today", "2026-06-16", "--for", "all", "-f", "md"]
    result = run_cli(runner, ["render-minutes", str(meeting), *args, "--output", str(out / "m")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (out / "m").iterdir())
    assert len(names) == 5 and not any("barn" in n for n in names)
    result = run_cli(runner, ["render-plan", CASE, *args, "--output", str(out / "p")])
    assert result.exit_code == 0, result.output
    assert len(list((out / "p").iterdir())) == 5 and not any("barn" in p.name for p in (out / "p").iterdir())
    log = yaml.safe_load((ws / "cases" / CASE / "disclosures.yaml").read_text(encoding="utf-8"))["disclosures"]
    assert len(log) == 10
    laege = [e for e in log if e["recipient"] == "laege" and e["document"] == "minutes"]
    assert laege and laege[0]["areas"] == ["no-area"] and laege[0]["omitted"] > 0 and laege[0]["basis"] == ["no-area"]
    laerer = next(e for e in log if e["recipient"] == "laerer" and e["document"] == "plan")
    assert set(laerer["areas"]) <= {"family", "school", "no-area"} and "c1" in laerer["basis"] and "barn" in laerer["about"]
    assert run_cli(runner, ["validate", "--workspace", str(ws), "--today", "2026-06-16"]).exit_code == 0


def test_a_preview_and_a_test_run_record_nothing(runner, ws):
    _render(runner, ws, "plan", "md", "laerer", "2026-06-16")
    result = run_cli(runner, ["render-plan", CASE, "--workspace", str(ws), "--for", "laerer", "--no-record",
                              "--output", str(ws / "x.md")])
    assert result.exit_code == 0, result.output
    assert not (ws / "cases" / CASE / "disclosures.yaml").exists()


def test_the_child_gets_a_plan_only_when_named(runner, ws):
    text = _render(runner, ws, "plan", "md", "barn", "2026-06-16")
    assert "IV-SCHOOL" in text and "GOAL-ADDICTION" not in text
    # The family's version carries no technical case id.
    assert CASE not in text
    assert CASE in _render(runner, ws, "plan", "md", "laerer", "2026-06-16")


def test_check_load_for_a_reader_applies_the_same_rule(runner, ws):
    plan = ws / "cases" / CASE / "plan.yaml"
    # A collision between the addiction treatment and the job course, both on Mondays.
    plan.write_text(plan.read_text().replace("sessions: [{days: [thu], from: 09:00, to: 11:00}]",
                                             "sessions: [{days: [mon], from: 10:00, to: 12:00}]"), encoding="utf-8")
    args = ["check-load", CASE, "--workspace", str(ws), "--format", "md", "--today", "2026-06-16"]
    internal = run_cli(runner, args)
    assert "IV-ADDICTION" in internal.stdout and "Intern visning" in internal.stdout
    hidden = run_cli(runner, [*args, "--for", "laege"])
    assert "IV-ADDICTION" not in hidden.stdout and "IV-EMPLOY" not in hidden.stdout
    assert "Til Læge Lyng" in hidden.stdout and "fund vedrører områder, som du ikke har samtykke til at se" in hidden.stdout
    assert "Ingen fund" not in hidden.stdout
    wrong = run_cli(runner, [*args, "--for", "laegen"])
    assert wrong.exit_code == 2 and "laege" in wrong.stderr


@pytest.mark.slow
@pytest.mark.parametrize("reader", ["laerer", "laege", "barn", "behandler"])
def test_pdf_for_the_records_system(runner, ws, tmp_path, reader):
    """PDF/A made from the same HTML: the reader's share only, with title, language and
    author (the municipality) in its metadata, read back with a PDF library."""
    from pypdf import PdfReader

    target = tmp_path / f"plan-{reader}.pdf"
    result = run_cli(runner, ["render-plan", CASE, "--workspace", str(ws), "-f", "pdf", "--for", reader,
                              "--today", "2026-06-16", "--now", "2026-06-16T10:00", "--output", str(target)])
    assert result.exit_code == 0, result.output
    pdf = PdfReader(str(target))
    # Words broken at a hyphen at the end of a narrow table cell are joined again.
    text = " ".join(page.extract_text() for page in pdf.pages).replace("-\n", "-")
    allowed = set(READERS[reader])
    for area in ALL:
        for word in PLAN_MARKERS[area]:
            assert (word in text) == (area in allowed), (reader, word)
    assert pdf.metadata is not None and pdf.metadata.title == "Fællesplan for familien Saga"
    assert pdf.metadata.author == "Testkommune"
    assert str(pdf.trailer["/Root"]["/Lang"]) == "da"
    assert "/OutputIntents" in pdf.trailer["/Root"]  # PDF/A
