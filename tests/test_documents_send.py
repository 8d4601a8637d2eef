"""Documents ready to send: the citizen's own question log (`render-questions`), the
"Dine spørgsmål" section of her minutes and plan, the sender block with the journal number,
page numbers and a tagged PDF/A, a workspace template's `data:` logo, the chart's months,
Markdown escapes only where needed, and the small breaks (a runaway template loop,
`new-meeting --date`, temporary files left by a killed run)."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, run_cli

HOLM = "2025-001-holm"
NOW = "2026-11-30T10:00"


@pytest.fixture
def holm(tmp_path: Path) -> Path:
    """A copy of the examples where Sara also asked a question just before Christmas."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    agreements = root / "cases" / HOLM / "agreements.yaml"
    agreements.write_text(agreements.read_text(encoding="utf-8") + (
        "  - asked: 2026-12-21\n    by: sara\n    to: sb-familie\n"
        "    about: Hvem henter Emil i juleferien?\n    agreement: a1\n"), encoding="utf-8")
    return root


def _questions(runner, root: Path, *more: str, today: str = "2026-12-22") -> str:  # type: ignore[no-untyped-def]
    result = run_cli(runner, ["render-questions", HOLM, "--for", "sara", "--workspace", str(root), "--today", today,
                              "--now", NOW, "--output", "-", *more])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_question_log_shows_late_answers_and_open_questions_with_their_due_dates(runner, holm):
    text = _questions(runner, holm)
    rows = {line.split(" | ")[2]: line for line in text.splitlines() if line.startswith("| ") and " | " in line}
    # Asked 1 April 2026; Easter closes 2, 3 and 6 April: due 9 April, answered 13 April.
    easter = rows["Hvad skal der ske med Emils skema efter påske?"]
    assert "9. april 2026" in easter and "13. april 2026" in easter and "besvaret 2 hverdage for sent" in easter
    # Open, past its due date (23 November 2026).
    autumn = rows["Kan Emil få støtte i fritidsordningen?"]
    # From 24 November to 22 December: 21 working days late.
    assert "23. november 2026" in autumn and "**ikke besvaret, 21 hverdage for sent**" in autumn
    # Asked 21 December: 24 December is closed, 25 and 26 are holidays: due 28 December.
    christmas = rows["Hvem henter Emil i juleferien?"]
    assert "28. december 2026" in christmas and "ikke besvaret endnu" in christmas
    assert rows["Hvornår starter Emils støttepædagog?"].count("besvaret til tiden") == 1
    blank = [line for line in text.splitlines() if line.startswith("| &nbsp; |")]
    assert len(blank) == 6  # rows to write the next questions in by hand
    assert "Svar inden for 3 hverdage" in text or "svar inden for 3 hverdage" in text
    assert "Udarbejdet til Sara Holm, 30. november 2026 kl. 10." in text


def test_the_question_log_is_recorded_and_the_log_validates(runner, holm):
    out = holm / "out.html"
    result = run_cli(runner, ["render-questions", HOLM, "--for", "sara", "--workspace", str(holm), "-f", "html",
                              "--today", "2026-12-22", "--now", NOW, "--output", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<tr class="late">' in html and html.count('<tr class="blank">') == 6
    log = yaml.safe_load((holm / "cases" / HOLM / "disclosures.yaml").read_text(encoding="utf-8"))
    entry = log["disclosures"][-1]
    assert (entry["recipient"], entry["document"], entry["source"]) == ("sara", "questions", "agreements.yaml")
    assert entry["basis"] and entry["omitted"] == 0
    result = run_cli(runner, ["validate", "--workspace", str(holm), "--today", "2026-12-22"])
    assert result.exit_code == 0, result.output


def test_render_questions_needs_a_reader(runner, holm):
    result = run_cli(runner, ["render-questions", HOLM, "--workspace", str(holm), "--output", "-"])
    assert result.exit_code == 2
    assert "--for" in result.output


def test_the_family_copy_of_minutes_and_plan_lists_her_open_questions(runner, holm):
    for args in (["render-plan", HOLM], ["render-minutes", str(holm / "cases" / HOLM / "meetings" /
                                                             "2026-06-15-opfoelgning.yaml")]):
        base = [*args, "--workspace", str(holm), "--today", "2026-12-22", "--now", NOW, "--output", "-"]
        family = run_cli(runner, [*base, "--for", "sara"]).stdout
        assert "## Dine spørgsmål" in family
        section = family.split("## Dine spørgsmål", 1)[1]
        assert "Kan Emil få støtte i fritidsordningen?" in section and "svar senest 23. november 2026" in section
        assert "Hvornår starter Emils støttepædagog?" not in section  # answered: not open
        for reader in ([], ["--for", "sb-familie"]):  # the team's and a professional's copy: none
            assert "Dine spørgsmål" not in run_cli(runner, [*base, *reader]).stdout


# --- the consent matrix ---------------------------------------------------------------

def test_the_question_log_passes_the_consent_rule(runner, tmp_path):
    import test_consent_documents as matrix

    root = tmp_path / "ws"
    case = root / "cases" / matrix.CASE
    (case / "meetings").mkdir(parents=True)
    (root / "familieplan.yaml").write_text(matrix.SETTINGS, encoding="utf-8")
    agreements = matrix.AGREEMENTS + ("  - asked: 2026-06-10\n    by: laerer\n    to: behandler\n"
                                      "    about: Q-LAERER-ADDICTION\n    agreement: a2\n")
    for name, text in (("case.yaml", matrix.CASE_YAML), ("plan.yaml", matrix.PLAN), ("agreements.yaml", agreements),
                       ("meetings/2026-06-15-moede.yaml", matrix.MEETING)):
        (case / name).write_text(text, encoding="utf-8")

    def log(reader: str) -> str:
        result = run_cli(runner, ["render-questions", matrix.CASE, "--for", reader, "--workspace", str(root),
                                  "--today", "2026-06-16", "--now", "2026-06-16T10:00", "--output", "-"])
        assert result.exit_code == 0, result.output
        return result.stdout

    mother = log("mor")  # her own questions, whatever their area
    assert "Q-SCHOOL" in mother and "Q-ADDICTION" in mother and "Q-LAERER" not in mother
    # The teacher's own question is about addiction, which consent does not let him read.
    assert "Q-LAERER-ADDICTION" not in log("laerer")
    for reader in ("barn", "laege", "koord"):
        assert "Q-" not in log(reader)


# --- documents that can be sent --------------------------------------------------------

def test_the_sender_block_names_municipality_coordinator_contact_and_journal(runner):
    meeting = EXAMPLES / "cases" / HOLM / "meetings" / "2025-09-15-faellesmoede.yaml"
    text = run_cli(runner, ["render-minutes", str(meeting), "--for", "sara", "--output", "-", "--no-record",
                            "--today", "2026-11-30", "--now", NOW]).stdout
    assert "- **Afsender:** Eksempel Kommune" in text
    assert "- **Koordinerende sagsbehandler:** Hanne Dahl (Sagsbehandler, Jobcentret), 40 11 22 33, hd@eksempel.dk" in text
    assert "- **Kontaktperson:** Pia Nygaard (Underviser, Jobcentret)" in text
    assert "- **Journalnummer:** 27.24.00-G01-3-25" in text


def test_a_case_without_a_journal_number_prints_none(runner):
    text = run_cli(runner, ["render-plan", "2025-003-lund", "--workspace", str(EXAMPLES), "--output", "-",
                            "--today", "2026-11-30", "--now", NOW]).stdout
    assert "Journalnummer" not in text and "- **Afsender:** Eksempel Kommune" in text


def _pdf(runner, root: Path, out: Path, *args: str):  # type: ignore[no-untyped-def]
    pypdf = pytest.importorskip("pypdf")
    result = run_cli(runner, [*args, "--workspace", str(root), "-f", "pdf", "--output", str(out), "--no-record",
                              "--today", "2026-11-30", "--now", NOW, "--force"])
    assert result.exit_code == 0, result.output
    return pypdf.PdfReader(io.BytesIO(out.read_bytes()))


def test_the_pdf_is_tagged_numbered_and_still_pdf_a(runner, tmp_path):
    pytest.importorskip("weasyprint")
    reader = _pdf(runner, EXAMPLES, tmp_path / "plan.pdf", "render-plan", HOLM, "--for", "sara")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF
    structure = root["/StructTreeRoot"].get_object()
    kinds: set[str] = set()

    def walk(node, depth: int = 0) -> None:  # type: ignore[no-untyped-def]
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None and depth < 60:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid, depth + 1)

    walk(structure)
    assert {"/H1", "/H2", "/Table", "/L"} <= kinds, kinds
    assert str(root["/Lang"]) == "da"
    metadata = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfaid:part" in metadata and re.search(r"pdfaid:part[^0-9]*3", metadata)
    assert "OutputIntents" in str(root.keys())
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, 1):
        assert f"Side {number} af {pages}" in page.extract_text()


def test_a_workspace_template_with_a_data_logo_renders_to_pdf(runner, tmp_path):
    pytest.importorskip("weasyprint")
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 61, 145)).save(png, format="PNG")
    import base64

    logo = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    base = (Path(__file__).parent.parent / "templates" / "render" / "base.html.j2").read_text(encoding="utf-8")
    (root / "templates" / "render").mkdir(parents=True)
    # The logo, and a URL that must never be fetched (nothing listens there).
    (root / "templates" / "render" / "base.html.j2").write_text(base.replace(
        "<header>", f'<header>\n<img alt="Eksempel Kommune" src="{logo}">'
                    '<img alt="" src="http://127.0.0.1:9/tracker.png">', 1), encoding="utf-8")
    reader = _pdf(runner, root, tmp_path / "plan.pdf", "render-plan", HOLM, "--for", "sara")
    images = [name for name, obj in reader.pages[0]["/Resources"]["/XObject"].items()
              if obj.get_object().get("/Subtype") == "/Image"]
    assert len(images) == 1  # the data: logo, and nothing fetched


def test_the_chart_of_an_18_month_plan_names_january_with_its_year_in_both_years():
    import datetime as dt

    from familieplan.render.chart import weekly_chart

    monday = dt.date(2025, 9, 1)
    weeks = [(monday + dt.timedelta(weeks=i), 6.0) for i in range(78)]
    labels = re.findall(r'fill="#555555">([^<0-9][^<]*)</text>', str(weekly_chart(weeks, 20, "x", "da")))
    assert labels[0] == "sep. 2025"
    assert "jan. 2026" in labels and "jan. 2027" in labels
    assert all(re.fullmatch(r"(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\.?( \d{4})?", x) for x in labels)
    english = re.findall(r'fill="#555555">([^<0-9][^<]*)</text>', str(weekly_chart(weeks, 20, "x", "en")))
    assert "Jan 2026" in english and "Jan 2027" in english


ABBREVIATED_WITHOUT_PERIOD = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec) \d{4}\b")


def test_no_abbreviated_month_without_its_period(runner):
    text = run_cli(runner, ["report", "--workspace", str(EXAMPLES), "--today", "2026-11-30", "-f", "md"]).stdout
    assert "nov. 2025" in text or "okt. 2025" in text
    assert not ABBREVIATED_WITHOUT_PERIOD.search(text)
    plan = run_cli(runner, ["render-plan", HOLM, "--workspace", str(EXAMPLES), "-f", "html", "--output", "-",
                            "--today", "2026-11-30", "--now", NOW]).stdout
    assert not ABBREVIATED_WITHOUT_PERIOD.search(plan) and "jan. 2026" in plan


def test_markdown_documents_carry_no_needless_escapes(runner):
    meeting = EXAMPLES / "cases" / HOLM / "meetings" / "2025-09-15-faellesmoede.yaml"
    texts = [run_cli(runner, ["render-minutes", str(meeting), "--output", "-", "--today", "2026-11-30", "--now", NOW]).stdout,
             run_cli(runner, ["render-plan", HOLM, "--workspace", str(EXAMPLES), "--output", "-",
                              "--today", "2026-11-30", "--now", NOW]).stdout]
    for text in texts:
        assert "\\@" not in text and not re.search(r"\d\\\.", text), text
        assert "hd@eksempel.dk" in text


def test_markdown_escapes_what_would_be_markup():
    from familieplan.render.markdown import escape_inline

    assert escape_inline("navn@kommune.dk") == "navn@kommune.dk"
    assert escape_inline("Børne- & familiecentret, snake_case") == "Børne- & familiecentret, snake_case"
    assert escape_inline("*fed* [link](x) `kode` <b> &amp; _kursiv_") == \
        "\\*fed\\* \\[link\\](x) \\`kode\\` \\<b> \\&amp; \\_kursiv\\_"
    assert escape_inline("7. december", line_start=True) == "7\\. december"
    assert escape_inline("7. december") == "7. december"
    assert escape_inline("1.5 timer", line_start=True) == "1.5 timer"
    assert escape_inline("# ikke en overskrift", line_start=True) == "\\# ikke en overskrift"
    assert escape_inline("-5 grader", line_start=True) == "-5 grader"


# --- small breaks ----------------------------------------------------------------------

def test_a_runaway_loop_in_a_workspace_template_is_one_line(runner, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    (root / "templates" / "render").mkdir(parents=True)
    (root / "templates" / "render" / "plan.md.j2").write_text(
        "{% for i in range(10**12) %}{{ i }}{% endfor %}\n", encoding="utf-8")
    result = run_cli(runner, ["render-plan", HOLM, "--workspace", str(root), "--output", "-"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "range()" in lines[0], result.output


def test_new_meeting_names_the_date_option_it_rejects(runner, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    result = run_cli(runner, ["new-meeting", HOLM, "--workspace", str(root), "--date", "2026-02-30"])
    assert result.exit_code == 2
    assert "--date 2026-02-30" in result.output and "--today" not in result.output


def test_a_temporary_document_left_by_a_killed_run_is_removed_on_the_next_run(runner, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    folder = root / "output" / HOLM
    folder.mkdir(parents=True)
    stale = folder / ".faellesplan-til-sara.md.0123456789ab.tmp"
    fresh = folder / ".faellesplan-til-sara.md.ba9876543210.tmp"  # another run's write in progress
    other = folder / ".notes.tmp"  # not ours
    for path in (stale, fresh, other):
        path.write_text("half a document")
    os.utime(stale, (1_700_000_000, 1_700_000_000))
    os.utime(other, (1_700_000_000, 1_700_000_000))
    result = run_cli(runner, ["render-plan", HOLM, "--workspace", str(root), "--for", "sara", "--no-record"])
    assert result.exit_code == 0, result.output
    assert not stale.exists() and fresh.exists() and other.exists()


def test_a_letter_to_a_professional_names_title_and_department(runner):
    text = run_cli(runner, ["render-plan", HOLM, "--workspace", str(EXAMPLES), "--for", "sb-familie", "--output", "-",
                            "--today", "2026-11-30", "--now", NOW]).stdout
    assert "Udarbejdet til Jonas Berg (Sagsbehandler, Børne- og familiecentret), 30. november 2026 kl. 10." in text


def test_the_library_renders_a_question_log_and_for_all_makes_one_per_adult(runner, holm):
    import datetime as dt

    from familieplan import api

    settings, case = api.load_one(holm, HOLM)
    moment = dt.datetime(2026, 12, 22, 10, 0)
    request = api.DocumentRequest("questions", "md", "sara", "da", moment, dt.date(2026, 12, 22), record=False)
    documents = api.render_documents(holm, case, settings, request, Path("-"))
    [(reader, text)] = documents.texts
    assert reader == "sara" and "28. december 2026" in text and documents.recorded == []
    result = run_cli(runner, ["render-questions", HOLM, "--for", "all", "--workspace", str(holm), "--no-record",
                              "--today", "2026-12-22", "--now", NOW])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (holm / "output" / HOLM).iterdir()) == ["spoergelog-til-sara.md"]
