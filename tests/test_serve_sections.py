"""The case page's sections beside the plan (changes, attendance, outcomes, findings,
deadlines, questions) and the caseload's consents that end — for the team and as a reader,
through the same library calls and the one consent rule. Made by the web layer's `Site`
directly (no server: the routes and the guard are tested in test_serve.py)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from gitrepo import Repo

from conftest import EXAMPLES
from familieplan import api
from familieplan.commands.reader_view import for_reader
from familieplan.render.report import omitted_sentence
from familieplan.web.app import ServeOptions, Site
from familieplan.web.live import Watcher

LUND, KARIMI = "2025-003-lund", "2026-002-karimi"
TODAY = dt.date(2026, 5, 20)


def site(root: Path, today: dt.date = TODAY) -> Site:
    return Site(ServeOptions(root, today=today), Watcher(root))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    return root


def section(page: str, heading: str) -> str:
    """The page from an h2 to the next h2."""
    return page.split(f"<h2>{heading}</h2>")[1].split("<h2>")[0]


def test_every_section_is_on_the_internal_page_and_the_readers(ws):
    for for_id in (None, "skolekonsulent", "thomas"):
        page = site(ws).case(LUND, for_id)
        for heading in ("Ændringer siden sidste møde", "Belastning: fund pr. person", "Fremmøde", "Resultater",
                        "Spørgsmål"):
            assert f"<h2>{heading}</h2>" in page, (for_id, heading)


def test_without_git_the_changes_section_says_so_in_one_line(ws):
    text = section(site(ws).case(LUND, None), "Ændringer siden sidste møde")
    assert "ikke et git-repository" in text and "<li>" not in text


def test_changes_since_the_last_meeting_from_git_and_for_a_reader(tmp_path):
    repo = Repo(tmp_path / "repo", driver=False)
    shutil.copytree(EXAMPLES, repo.root / "ws")
    repo.commit("the examples", date="2026-04-01T10:00:00+02:00")
    agreements = repo.root / "ws" / "cases" / LUND / "agreements.yaml"
    text = agreements.read_text(encoding="utf-8").replace("questions: []", """  - id: a4
    text: Psykologen sender en status til Rasmus
    responsible: sb-job
    intervention: psykolog
    made: 2026-05-18
    due: 2026-05-27
    status: open
  - id: a5
    text: Skolen sender skemaet til Thomas
    responsible: skolekonsulent
    made: 2026-05-18
    due: 2026-05-26
    status: open
questions:
  - asked: 2026-05-18
    by: thomas
    to: sb-job
    about: Hvornår er der svar fra psykologen?
    agreement: a4
""")
    agreements.write_text(text, encoding="utf-8")
    repo.commit("two agreements and a question", date="2026-05-19T10:00:00+02:00")
    root = repo.root / "ws"
    internal = site(root).case(LUND, None)
    changes = section(internal, "Ændringer siden sidste møde")
    assert "Aftale a4 indgået" in changes and "Aftale a5 indgået" in changes and "Line Holm" in changes
    # the same words as `changes` gives
    result = api.changes(root, LUND, api.ChangesOptions(TODAY))
    from familieplan.render.changes import sentence

    for change in result.changes:
        assert sentence(change, result, "da").replace("–", "&ndash;")[:20] in changes.replace("–", "&ndash;")
    # internal: both deadlines and the question; the school consultant (no health consent): neither a4 nor its question
    assert "Psykologen sender" in section(internal, "Frister (de næste 14 dage og forsinkede)")
    assert "Hvornår er der svar" in section(internal, "Spørgsmål")
    school = site(root).case(LUND, "skolekonsulent")
    assert "Psykologen sender" not in school and "Hvornår er der svar" not in school
    assert "Skolen sender skemaet" in section(school, "Frister (de næste 14 dage og forsinkede)")
    assert "Et punkt er udeladt, fordi samtykket ikke omfatter det." in section(school, "Spørgsmål")
    assert "Ingen spørgsmål" not in section(school, "Spørgsmål")  # not "none" when one was hidden
    assert "Aftale a5 indgået" in section(school, "Ændringer siden sidste møde")
    assert "Aftale a4 indgået" not in section(school, "Ændringer siden sidste møde")
    assert "Samtaler hos psykolog" not in school  # the health-area intervention, in no section


@pytest.mark.parametrize(("case", "reader"), [(KARIMI, "sami"), (KARIMI, "misbrugsbehandler"), (KARIMI, "nadia"),
                                              (LUND, "skolekonsulent")])
def test_a_readers_findings_are_what_check_load_for_shows(ws, case, reader):
    page = site(ws).case(case, reader)
    shown = section(page, "Belastning: fund pr. person").count('<li class="finding ')
    result = api.check_load(ws, [case], api.LoadOptions())
    expected = for_reader(ws, result, [case], reader, TODAY)
    assert shown == len(expected.findings)
    if expected.omitted:
        assert omitted_sentence(expected.omitted, "da") in page
    if case == KARIMI and reader == "sami":  # a child reads only about themselves: not their mother's week
        assert shown == 0 and expected.omitted > 0
    if case == KARIMI and reader == "nadia":
        assert shown > 0


def test_attendance_and_outcomes_are_the_reports_for_the_case(ws):
    page = site(ws).case(KARIMI, None)
    report = api.report(ws, [KARIMI], api.ReportOptions(TODAY))
    attendance = section(page, "Fremmøde")
    for tally in report.cases[0].attendance:
        assert tally.ref.title in attendance
    outcomes = section(page, "Resultater")
    for goal in report.cases[0].goals:
        assert goal.text in outcomes
    lund = site(ws).case(LUND, None)
    assert '<figure class="indicator">' in lund and "<svg" in section(lund, "Resultater")
    school = section(site(ws).case(LUND, "skolekonsulent"), "Resultater")
    assert "Et punkt er udeladt" in school


def test_the_caseload_lists_consents_that_end_per_case(ws):
    today = dt.date(2026, 11, 23)
    page = site(ws, today).caseload(None, "case")
    status = api.status(ws, today)
    notices = [(row.case, n) for row in status.rows for n in row.consents]
    assert notices
    rows = re.findall(r'<tr>\n<td data-label="Sag"><a href="/cases/([^"]+)">.*?</tr>', page, flags=re.S)
    assert rows
    for case, notice in notices:
        row = page.split(f'<a href="/cases/{case}">')[1].split("</tr>")[0]
        assert 'class="consents"' in row and f"({notice.consent}," in row and "udløber" in row


def test_a_section_the_consent_emptied_says_how_many_were_left_out(ws):
    """Sami (a child) reads no attendance of his mother's interventions and no question of
    hers: the sections say how many were left out, never "none recorded"."""
    page = site(ws).case(KARIMI, "sami")
    attendance, questions = section(page, "Fremmøde"), section(page, "Spørgsmål")
    assert "<tr>" not in attendance and "punkter er udeladt" in attendance
    assert "Der er ikke registreret fremmøde" not in attendance
    assert "Et punkt er udeladt" in questions and "Ingen spørgsmål" not in questions
    internal = section(site(ws).case(KARIMI, None), "Fremmøde")
    assert "<tr>" in internal and "udeladt" not in internal
