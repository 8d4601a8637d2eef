"""One consent path for the pages: every page `serve` makes for a reader shows, item for
item, what that reader's documents show — the case page's plan (`render-plan --for`), the
meeting page (`render-minutes --for`), the outcomes (`report --for`), the changes since the
last meeting (`changes --for`) and "Se som" as a whole — for six readers, with a consent
withdrawn after the meeting, without `--today` and with a `--today` before the withdrawal.

The fixture is the one of test_consent_documents.py (marker words per area). The pages are
made by the web layer's `Site` (no server); the clock is set, so that "the real date"
is a date the test chooses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from gitrepo import Repo
from test_consent_documents import (
    AGREEMENTS,
    CASE,
    CASE_YAML,
    EARLIER,
    MEETING,
    MINUTES,
    PLAN,
    PLAN_MARKERS,
    SETTINGS,
)

from familieplan import api, clock
from familieplan.render.changes import sentence
from familieplan.render.documents import DocumentRequest
from familieplan.web.app import ServeOptions, Site
from familieplan.web.live import Watcher

MEETING_NAME = "2026-06-15-moede"
READERS = ("koord", "mor", "barn", "laerer", "laege", "behandler")  # c2 (addiction) withdrawn 2026-06-20
CHANGES = {"addiction": {"CHG-ADDICTION"}, "school": {"CHG-SCHOOL"}, "open": {"CHG-OPEN"}}
MARKERS = sorted({w for words in (*MINUTES.values(), *PLAN_MARKERS.values(), *CHANGES.values()) for w in words})
NEW_AGREEMENTS = """  - id: a5
    text: CHG-ADDICTION
    responsible: behandler
    made: 2026-06-16
    area: addiction
    status: open
  - id: a6
    text: CHG-SCHOOL
    responsible: laerer
    made: 2026-06-16
    intervention: lektier
    status: open
  - id: a7
    text: CHG-OPEN
    responsible: koord
    made: 2026-06-16
    status: open
questions:
"""
# (name, --today of serve and of the documents, the real date)
SCENARIOS = [
    ("withdrawn-after-the-meeting", None, dt.date(2026, 7, 1)),
    ("today-before-the-withdrawal", dt.date(2026, 6, 16), dt.date(2026, 7, 1)),
    ("before-the-withdrawal", dt.date(2026, 6, 16), dt.date(2026, 6, 16)),  # the control: addiction shows
]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture's workspace in git: the state of the meeting, then three agreements made
    the day after it (one per kind of area), so that "changes since the last meeting" has
    something for each reader to see or not."""
    repo = Repo(tmp_path_factory.mktemp("consent") / "repo", driver=False)
    case = f"ws/cases/{CASE}"
    repo.commit("the case", {"ws/familieplan.yaml": SETTINGS, f"{case}/case.yaml": CASE_YAML,
                             f"{case}/plan.yaml": PLAN, f"{case}/agreements.yaml": AGREEMENTS,
                             f"{case}/meetings/2026-05-01-forrige.yaml": EARLIER,
                             f"{case}/meetings/{MEETING_NAME}.yaml": MEETING}, date="2026-06-14T10:00:00+02:00")
    repo.commit("agreements after the meeting",
                {f"{case}/agreements.yaml": AGREEMENTS.replace("questions:\n", NEW_AGREEMENTS, 1)},
                date="2026-06-16T10:00:00+02:00")
    return repo.root / "ws"


def seen(text: str) -> set[str]:
    return {word for word in MARKERS if word in text}


def section(page: str, heading: str) -> str:
    return page.split(f"<h2>{heading}</h2>")[1].split("<h2>")[0]


class Scene:
    """The pages and the documents of one scenario, made with the clock at its real date."""

    def __init__(self, root: Path, today: dt.date | None, real: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.real_now = dt.datetime.combine(real, dt.time(10, 0), clock.COPENHAGEN)
        monkeypatch.setattr(clock, "now", lambda: self.real_now)
        self.today = today or real
        self.site = Site(ServeOptions(root, today=today), Watcher(root))
        loaded, _ = api.load_valid(root, [CASE])
        self.case, self.settings = loaded.cases[0], loaded.settings

    def document(self, kind: str, reader: str) -> str:
        req = DocumentRequest(kind, "html", reader, None, self.real_now, self.today,
                              meeting=MEETING_NAME if kind == "minutes" else None, record=False,
                              real_now=self.real_now)
        return api.render_documents(self.root, self.case, self.settings, req, Path("-")).texts[0][1]

    def report(self, reader: str) -> set[str]:
        options = api.ReportOptions(self.today, recipient=reader, real_today=self.real_now.date())
        result = api.report(self.root, [CASE], options)
        return seen(" ".join(goal.text for goal in result.cases[0].goals))

    def changes(self, reader: str) -> set[str]:
        options = api.ChangesOptions(self.today, recipient=reader, real_today=self.real_now.date())
        result = api.changes(self.root, CASE, options)
        return seen(" ".join(sentence(change, result, "da") for change in result.changes))


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("name", "today", "real"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_every_page_for_a_reader_shows_what_their_documents_show(ws, monkeypatch, reader, name, today, real):
    scene = Scene(ws, today, real, monkeypatch)
    plan, minutes = scene.document("plan", reader), scene.document("minutes", reader)
    case_page = scene.site.case(CASE, reader)
    meeting_page = scene.site.meeting(CASE, MEETING_NAME, reader)

    plan_block = case_page.split('<div class="document">')[1].split("<h2>Møder</h2>")[0]
    assert seen(plan_block) == seen(plan.split("<main>")[1])
    assert seen(meeting_page) == seen(minutes.split("<main>")[1])
    assert seen(section(case_page, "Resultater")) == scene.report(reader)
    assert seen(section(case_page, "Ændringer siden sidste møde")) == scene.changes(reader)
    # "Se som" as a whole (findings, deadlines, questions included) shows nothing its documents do not.
    assert seen(case_page) <= seen(plan) | seen(minutes) | scene.report(reader) | scene.changes(reader)

    addiction = MINUTES["addiction"] | PLAN_MARKERS["addiction"] | CHANGES["addiction"]
    # The treatment is the counsellor's own department's work (third edition): read whatever
    # the consents say; the rest of the addiction items only with the consent.
    own_work = {"IV-ADDICTION"} if reader == "behandler" else set()
    reads_addiction = reader in ("koord", "mor") or (reader == "behandler" and real < dt.date(2026, 6, 20))
    assert bool(seen(case_page + meeting_page) & (addiction - own_work)) == reads_addiction, (reader, name)
    assert own_work <= seen(case_page + meeting_page) or reader != "behandler"


def test_a_section_that_hid_items_says_how_many_never_none(ws, monkeypatch):
    """The doctor (no consent) reads no goal of the plan and no addiction agreement: the
    sections say what was left out, never "Ingen mål …"."""
    scene = Scene(ws, None, dt.date(2026, 7, 1), monkeypatch)
    page = scene.site.case(CASE, "laege")
    outcomes = section(page, "Resultater")
    assert "Ingen mål" not in outcomes and "2 punkter er udeladt" in outcomes
    internal = section(scene.site.case(CASE, None), "Resultater")
    assert "GOAL-ADDICTION" in internal and "udeladt" not in internal
