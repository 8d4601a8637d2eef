"""`changes`: a scripted history (two authors, a branch, a merge) read back item by item."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from gitrepo import Repo

from conftest import DATA, MINIMAL_CASE, run_cli
from familieplan import api
from familieplan import model as m
from familieplan.commands.plan_diff import item_area

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

CASE = f"cases/{MINIMAL_CASE}"
AGREEMENTS = f"{CASE}/agreements.yaml"
PLAN = f"{CASE}/plan.yaml"
A1 = """agreements:
  - id: a1
    text: Svar inden for tre hverdage
    responsible: sb-familie
    made: 2026-03-02
    meeting: 2026-03-02-moede
    answer_within_days: 3
    status: open
"""
A2 = """  - id: a2
    text: Line sender referatet
    responsible: sb-job
    made: 2026-03-05
    status: open
"""
QUESTION = """questions:
  - asked: 2026-03-03
    by: mor
    to: sb-familie
    about: Hvornår starter forløbet?
    agreement: a1
"""
PSYKOLOG = """  - id: psykolog
    title: Samtaler hos psykolog
    department: jobcenter
    area: health
    attendees: [mor]
    appointments:
      - date: 2026-03-16
        from: 10:00
        to: 11:00
"""


def at(day: str, time: str = "10:00") -> str:
    return f"2026-03-{day}T{time}:00+01:00"


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Repo:
    """Line commits the case and the meeting's agenda on 1 March; Karim, on a branch, logs a
    question and adds a health intervention, then answers three working days late; Line
    makes agreement a2 and marks it done; Line merges the branch (through the merge driver:
    both changed agreements.yaml)."""
    repo = Repo(tmp_path_factory.mktemp("changes") / "ws")
    shutil.copytree(DATA / "minimal", repo.root, dirs_exist_ok=True)
    plan = (repo.root / PLAN).read_text()
    repo.commit("Sagen og dagsordenen", {AGREEMENTS: A1 + "questions: []\n"}, date=at("01"))
    repo.git("checkout", "-q", "-b", "karim")
    repo.commit("Spørgsmål og psykolog", {AGREEMENTS: A1 + QUESTION, PLAN: plan + PSYKOLOG},
                author="karim", date=at("04"))
    repo.commit("Svar", {AGREEMENTS: A1 + QUESTION + "    answered: 2026-03-11\n"}, author="karim", date=at("12"))
    repo.git("checkout", "-q", "main")
    repo.commit("a2", {AGREEMENTS: A1 + A2 + "questions: []\n"}, date=at("05"))
    repo.commit("a2 done", {AGREEMENTS: A1 + A2.replace("status: open", "status: done\n    done: 2026-03-06")
                            + "questions: []\n"}, date=at("06"))
    merged = repo.merge("karim", date=at("13"))
    assert merged.returncode == 0, merged.stdout + merged.stderr
    return repo


def changes_json(runner, root: Path, *args: str) -> dict:  # type: ignore[no-untyped-def]
    result = run_cli(runner, ["changes", MINIMAL_CASE, "--workspace", str(root), "--format", "json",
                              "--today", "2026-03-20", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def rows(data: dict) -> list[tuple]:
    return [(c["kind"], c["id"], c["commit"]["author"] if c["commit"] else None,
             c["commit"]["date"][:10] if c["commit"] else None, c["path"].rsplit("/", 1)[-1] if c["path"] else None,
             c["line"]) for c in data["changes"]]


EXPECTED = [
    ("question-asked", "2026-03-03 mor", "Karim Said", "2026-03-04", "agreements.yaml", 16),
    ("intervention-added", "psykolog", "Karim Said", "2026-03-04", "plan.yaml", 47),
    ("agreement-made", "a2", "Line Holm", "2026-03-05", "agreements.yaml", 9),
    ("agreement-done", "a2", "Line Holm", "2026-03-06", "agreements.yaml", 9),
    ("question-answered", "2026-03-03 mor", "Karim Said", "2026-03-12", "agreements.yaml", 16),
]


def test_changes_since_the_meeting_item_by_item(history, runner):
    data = changes_json(runner, history.root, "--since", "2026-03-02-moede")
    assert list(data) == ["format", "problems", "changes", "notes", "summary"] and data["problems"] == []
    summary = data["summary"]
    assert summary["since"]["meeting"] == "2026-03-02-moede" and summary["since"]["date"] == "2026-03-02"
    assert summary["case"] == MINIMAL_CASE and summary["changes"] == len(data["changes"])
    assert rows(data) == EXPECTED
    answered = data["changes"][4]
    assert answered["details"]["due"] == "2026-03-06" and answered["details"]["late_days"] == 3
    assert answered["message"] == "Spørgsmål fra Mor Test besvaret 11. marts 2026, 3 hverdage for sent: Hvornår starter forløbet?"
    assert data["changes"][3]["details"] == {"done": "2026-03-06"}
    assert data["changes"][1]["area"] == "health"


def test_the_default_is_the_latest_meeting_before_today(history, runner):
    assert rows(changes_json(runner, history.root)) == EXPECTED


def test_since_a_date_a_revision_and_to_a_revision(history, runner):
    assert rows(changes_json(runner, history.root, "--since", "2026-03-05")) == [EXPECTED[0], EXPECTED[1], EXPECTED[3],
                                                                          EXPECTED[4]]
    assert rows(changes_json(runner, history.root, "--since", "karim")) == [EXPECTED[2], EXPECTED[3]]
    to_branch = changes_json(runner, history.root, "--since", "2026-03-02", "--to", "karim")
    assert [r[0] for r in rows(to_branch)] == ["question-asked", "intervention-added", "question-answered"]


def test_consent_filters_like_a_document(history, runner):
    """sb-familie has consent for family only: the health intervention is left out."""
    data = changes_json(runner, history.root, "--for", "sb-familie")
    assert rows(data) == [EXPECTED[0], EXPECTED[2], EXPECTED[3], EXPECTED[4]]
    assert data["summary"]["omitted"] == 1
    assert rows(changes_json(runner, history.root, "--for", "mor")) == EXPECTED  # the family reads everything


def test_a_health_agreement_is_absent_without_health_consent(history, runner, tmp_path):
    repo = Repo.__new__(Repo)
    repo.root = tmp_path / "copy"
    shutil.copytree(history.root, repo.root)
    text = (repo.root / AGREEMENTS).read_text().replace("    text: Line sender referatet\n",
                                                        "    text: Line sender referatet\n    area: health\n")
    repo.commit("a2 om sundhed", {AGREEMENTS: text}, date=at("14"))
    data = changes_json(runner, repo.root, "--for", "sb-familie")
    assert "a2" not in [c["id"] for c in data["changes"]]


def test_item_area_follows_intervention_and_agreement():
    plan = m.Plan(interventions=(m.Intervention(id="psykolog", area="health"),))
    case = m.Case("x", Path("."), None, plan,
                  agreements=(m.Agreement(id="a1", intervention="psykolog"), m.Agreement(id="a2")))
    assert item_area(case, case.agreements[0]) == "health"
    assert item_area(case, m.Question(agreement="a1")) == "health"
    assert item_area(case, m.Question(agreement="a2")) is None
    assert item_area(case, m.Goal(area="school")) == "school"


def test_text_and_markdown_in_danish_and_english(history, runner):
    args = ["changes", MINIMAL_CASE, "--workspace", str(history.root), "--today", "2026-03-20"]
    text = run_cli(runner, args).output
    assert "siden mødet 2026-03-02-moede (2. marts 2026)" in text
    assert "5. marts 2026 · Line Holm: Aftale a2 indgået: Line sender referatet  (cases/2026-001-test/agreements.yaml:9)" in text
    english = run_cli(runner, [*args, "--lang", "en", "--format", "md"]).output
    assert "| 6 March 2026 | Line Holm | Agreement a2 done 6 March 2026: Line sender referatet |" in english


def test_library_returns_plain_data(history):
    result = api.changes(history.root, MINIMAL_CASE, api.ChangesOptions(today=dt.date(2026, 3, 20)))
    assert [c.kind for c in result.changes] == [row[0] for row in EXPECTED]
    assert result.changes[0].commit is not None and result.changes[0].commit.author == "Karim Said"


def test_shallow_clone_says_what_it_cannot_see(history, runner, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history.root}", str(clone)], check=True,
                   capture_output=True)
    data = changes_json(runner, clone, "--since", "2026-03-02")
    assert [n["code"] for n in data["notes"]] == ["shallow"]
    assert data["changes"] == []


def test_outside_git_is_one_line_exit_2(tmp_path, runner):
    ws = tmp_path / "ws"
    shutil.copytree(DATA / "minimal", ws)
    result = run_cli(runner, ["changes", MINIMAL_CASE, "--workspace", str(ws)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "ligger ikke i et git-arkiv" in result.output


def test_unknown_revision_is_a_usage_error(history, runner):
    result = run_cli(runner, ["changes", MINIMAL_CASE, "--workspace", str(history.root), "--since", "no-such-rev"])
    assert result.exit_code == 2 and "hverken en version, en dato eller et møde" in result.output
