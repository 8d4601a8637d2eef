"""The merge driver: case files merged by key through real `git merge` (issue 11, item 4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gitrepo import Repo

from conftest import EXAMPLES, run_cli
from familieplan import api
from familieplan.commands.merge_file import merge_texts
from familieplan.format import nodes
from familieplan.format.nodes import plain

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

AGREEMENTS = "cases/2025-001-holm/agreements.yaml"
BASE = (EXAMPLES / AGREEMENTS).read_text(encoding="utf-8")

A6 = """  - id: a6
    text: Karim ringer til skolen om Emils skema
    responsible: sb-familie
    made: 2026-11-23
    status: open
"""
A7 = """  - id: a7
    text: Hanne finder en mentor til Sara
    responsible: sb-job
    made: 2026-11-23
    due: 2026-12-11
    status: open
"""


def append_agreement(text: str, entry: str) -> str:
    return text.replace("\nquestions:", entry + "\nquestions:", 1)


def merged(base: str, ours: str, theirs: str, path: str = AGREEMENTS):  # type: ignore[no-untyped-def]
    return merge_texts(base, ours, theirs, path)


def ids(text: str, key: str = "agreements") -> list[object]:
    root, problems = nodes.parse(text, "x")
    assert root is not None and not problems, problems
    return [entry.get("id") for entry in plain(root)[key]]  # type: ignore[index,union-attr]


# --- the rules, on texts -----------------------------------------------------------------

def test_appends_on_both_sides_are_both_kept_in_order():
    result = merged(BASE, append_agreement(BASE, A6), append_agreement(BASE, A7))
    assert result.conflicts == 0 and result.by_key
    assert ids(result.text) == ["a1", "a2", "a3", "a4", "a5", "a6", "a7"]
    assert result.text == append_agreement(BASE, A6 + A7)  # the users' text, comments included


def test_edits_to_different_fields_of_one_entry_combine_and_keep_comments():
    ours = BASE.replace("    due: 2025-09-18\n", "    due: 2025-09-19  # flyttet\n")
    theirs = BASE.replace("text: Hanne sender referatet til alle deltagere", "text: Hanne sender referatet til alle")
    result = merged(BASE, ours, theirs)
    assert result.conflicts == 0
    assert "    due: 2025-09-19  # flyttet\n" in result.text and "text: Hanne sender referatet til alle\n" in result.text


def test_same_field_changed_differently_marks_that_entry_only():
    ours = BASE.replace("    due: 2025-09-18\n", "    due: 2025-09-19\n")
    theirs = BASE.replace("    due: 2025-09-18\n", "    due: 2025-09-22\n")
    result = merged(BASE, ours, theirs)
    assert result.conflicts == 1
    lines = result.text.splitlines()
    start, middle, end = lines.index("<<<<<<< ours"), lines.index("======="), lines.index(">>>>>>> theirs")
    assert lines[start + 1] == lines[middle + 1] == "  - id: a3"
    assert end - start == 2 * 8 + 2  # the eight lines of a3 on each side, nothing else
    problems, _ = nodes.parse(result.text, "agreements.yaml")[1], None
    assert [(p.code, p.source.line) for p in problems] == [
        ("conflict-marker", start + 1), ("conflict-marker", middle + 1), ("conflict-marker", end + 1)]


def test_delete_untouched_is_deleted_delete_edited_is_a_conflict():
    a2_start = BASE.index("  - id: a2")
    a2 = BASE[a2_start:BASE.index("  - id: a3")]
    without_a2 = BASE.replace(a2, "")
    assert ids(merged(BASE, without_a2, append_agreement(BASE, A6)).text) == ["a1", "a3", "a4", "a5", "a6"]
    edited = BASE.replace("Pia Nygaard er Saras", "Pia Nygaard er fortsat Saras")
    result = merged(BASE, edited, without_a2)
    assert result.conflicts == 1
    assert "<<<<<<< ours\n  - id: a2\n" in result.text and "=======\n>>>>>>> theirs\n" in result.text


def test_same_key_added_on_both_sides():
    same = merged(BASE, append_agreement(BASE, A6), append_agreement(BASE, A6))
    assert same.conflicts == 0 and ids(same.text).count("a6") == 1
    other = merged(BASE, append_agreement(BASE, A6), append_agreement(BASE, A6.replace("Karim ringer", "Karim skriver")))
    assert other.conflicts == 1


def test_questions_are_keyed_by_asked_by_about():
    question = "  - asked: 2026-11-20\n    by: sara\n    to: sb-familie\n    about: {}\n"
    ours = BASE + question.format("Hvornår er næste møde?")
    theirs = BASE.replace("    about: Kan Emil få støtte i fritidsordningen?\n    agreement: a1\n",
                          "    about: Kan Emil få støtte i fritidsordningen?\n    agreement: a1\n    answered: 2026-11-20\n") \
        + question.format("Kan vi mødes hjemme?")
    result = merged(BASE, ours, theirs)
    assert result.conflicts == 0
    root = plain(nodes.parse(result.text, "x")[0])
    questions = root["questions"]  # type: ignore[index]
    assert [q["about"] for q in questions][-2:] == ["Hvornår er næste møde?", "Kan vi mødes hjemme?"]
    assert questions[3]["answered"] == "2026-11-20"


def test_disclosures_are_a_union():
    entry = "  - at: 2026-03-0{}T14:05:00+01:00\n    recipient: sb-familie\n    document: minutes\n    source: plan.yaml\n"
    base = "disclosures:\n" + entry.format(1)
    ours = "disclosures:\n" + entry.format(2)  # an append-only file never loses an entry
    theirs = base + entry.format(3)
    result = merged(base, ours, theirs, "cases/x/disclosures.yaml")
    assert result.conflicts == 0
    assert [d["at"][:10] for d in plain(nodes.parse(result.text, "x")[0])["disclosures"]] == [  # type: ignore[index]
        "2026-03-02", "2026-03-01", "2026-03-03"]


def test_scaffolded_empty_lists_take_first_entries_from_both_sides():
    base = "# Aftaler\nagreements: []\n\nquestions: []\n"
    ours = base.replace("agreements: []\n", "agreements:\n" + A6)
    theirs = base.replace("agreements: []\n", "agreements:\n" + A7)
    result = merged(base, ours, theirs)
    assert result.conflicts == 0 and ids(result.text) == ["a6", "a7"]


def test_new_file_on_both_sides_and_other_indentation():
    ours = "attendance:\n  - date: 2026-02-04\n    person: anna\n    intervention: jobsamtale\n    status: cancelled\n"
    theirs = "attendance:\n- date: 2026-02-11\n  person: anna\n  intervention: jobsamtale\n  status: no-show\n"
    result = merged("", ours, theirs, "cases/x/attendance.yaml")
    assert result.conflicts == 0
    assert result.text == ours + "  - date: 2026-02-11\n    person: anna\n    intervention: jobsamtale\n    status: no-show\n"


def test_meeting_participants_and_top_level_fields():
    base = "title: Fællesmøde\ndate: 2026-03-02\nparticipants:\n  - mette\n  - sb-job\n"
    ours = base.replace("title: Fællesmøde", "title: Opfølgning") + "  - id: underviser\n    present: false\n"
    theirs = base.replace("  - sb-job\n", "  - sb-job\n  - sb-familie\n")
    result = merged(base, ours, theirs, "cases/x/meetings/2026-03-02-moede.yaml")
    assert result.conflicts == 0
    # What only theirs added goes after what only ours added at the same place.
    assert result.text == ("title: Opfølgning\ndate: 2026-03-02\nparticipants:\n  - mette\n  - sb-job\n"
                           "  - id: underviser\n    present: false\n  - sb-familie\n")


def test_not_a_case_file_or_not_parsable_is_a_plain_text_merge():
    plain_result = merged("a\nb\n", "a\nb\nc\n", "a\nb\nd\n", "README.md")
    assert not plain_result.by_key and plain_result.conflicts == 1
    broken = BASE + "  - id: [\n"
    result = merged(BASE, broken, append_agreement(BASE, A6))
    assert not result.by_key


# --- through git -------------------------------------------------------------------------

def _two_branches(tmp_path: Path, ours: str, theirs: str, *, driver: bool = True) -> tuple[Repo, int]:
    repo = Repo(tmp_path / "repo", driver=driver)
    repo.commit("base", {AGREEMENTS: BASE})
    repo.git("checkout", "-q", "-b", "karim")
    repo.commit("a7", {AGREEMENTS: theirs}, author="karim")
    repo.git("checkout", "-q", "main")
    repo.commit("a6", {AGREEMENTS: ours})
    return repo, repo.merge("karim").returncode


def test_git_merge_with_the_driver_is_clean(tmp_path):
    repo, code = _two_branches(tmp_path, append_agreement(BASE, A6), append_agreement(BASE, A7))
    assert code == 0
    assert (repo.root / AGREEMENTS).read_text() == append_agreement(BASE, A6 + A7)


def test_without_the_driver_git_conflicts_as_before(tmp_path):
    _, code = _two_branches(tmp_path, append_agreement(BASE, A6), append_agreement(BASE, A7), driver=False)
    assert code != 0


def test_a_conflict_through_git_is_reported_by_validate(tmp_path, runner):
    ours = BASE.replace("    due: 2025-09-18\n", "    due: 2025-09-19\n")
    theirs = BASE.replace("    due: 2025-09-18\n", "    due: 2025-09-22\n")
    shutil.copytree(EXAMPLES, tmp_path / "repo")
    repo, code = _two_branches(tmp_path, ours, theirs)
    assert code == 1
    text = (repo.root / AGREEMENTS).read_text()
    marker_lines = [n for n, line in enumerate(text.splitlines(), 1) if line[:7] in ("<<<<<<<", "=======", ">>>>>>>")]
    result = run_cli(runner, ["validate", "--workspace", str(repo.root), "--format", "json"])
    import json

    found = [(p["line"], p["code"]) for p in json.loads(result.output)["problems"] if p["path"].endswith("agreements.yaml")]
    assert found == [(line, "conflict-marker") for line in marker_lines]


def test_init_and_git_setup_register_the_driver(tmp_path, runner):
    target = tmp_path / "ws"
    assert run_cli(runner, ["init", str(target)]).exit_code == 0
    assert (target / ".gitattributes").read_text() == "cases/**/*.yaml merge=familieplan\n"
    repo = Repo.__new__(Repo)
    repo.root = target
    assert repo.git("config", "merge.familieplan.driver").stdout.strip() == "familieplan merge-file %O %A %B %P"
    repo.git("config", "--unset", "merge.familieplan.driver")
    result = run_cli(runner, ["git-setup", "--workspace", str(target)])
    assert result.exit_code == 0, result.output
    assert repo.git("config", "merge.familieplan.driver").stdout.strip() == "familieplan merge-file %O %A %B %P"
    assert (target / ".gitattributes").read_text().count("merge=familieplan") == 1
    outside = tmp_path / "plain"
    assert run_cli(runner, ["init", str(outside), "--no-git"]).exit_code == 0
    failed = run_cli(runner, ["git-setup", "--workspace", str(outside)])
    assert failed.exit_code == 2 and "ligger ikke i et git-arkiv" in failed.output


def test_merge_file_command_writes_into_ours(tmp_path, runner):
    files = {name: tmp_path / name for name in ("base", "ours", "theirs")}
    for path, text in zip(files.values(), (BASE, append_agreement(BASE, A6), append_agreement(BASE, A7)), strict=True):
        path.write_text(text)
    result = run_cli(runner, ["merge-file", *(str(p) for p in files.values()), AGREEMENTS])
    assert result.exit_code == 0
    assert files["ours"].read_text() == append_agreement(BASE, A6 + A7)
    assert api.merge_texts is merge_texts


def test_init_and_git_setup_keep_a_commit_graph_with_changed_paths(tmp_path, runner):
    target = tmp_path / "ws"
    assert run_cli(runner, ["init", str(target)]).exit_code == 0
    repo = Repo.__new__(Repo)
    repo.root = target
    assert repo.git("config", "core.commitGraph").stdout.strip() == "true"
    assert repo.git("config", "gc.writeCommitGraph").stdout.strip() == "true"
    graph = target / ".git" / "objects" / "info" / "commit-graph"
    assert not graph.exists()  # no commit yet: nothing to write
    repo.git("-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A")
    # (init made the first commit when git knows who commits; then this one is empty)
    repo.git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "first")
    assert run_cli(runner, ["git-setup", "--workspace", str(target)]).exit_code == 0
    assert graph.exists()
    assert b"BIDX" in graph.read_bytes()  # the changed-path filters' index chunk
