"""Property: random pairs of edits to a copy of an example case, merged by real `git merge`
with the driver, against an oracle that applies the rules of issue 11 to plain data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gitrepo import Repo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from familieplan.format import nodes
from familieplan.format.nodes import plain

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

PATH = "cases/2025-001-holm/agreements.yaml"
HEADER = "# yaml-language-server: $schema=../../schemas/agreements.schema.json\n# Aftaler og spørgelog\n"
ORDER = {
    "agreements": ("id", "text", "responsible", "made", "meeting", "answer_within_days", "due", "status", "done"),
    "questions": ("asked", "by", "to", "about", "agreement", "answered"),
}
EDITABLE = {
    "agreements": {"text": ["Line ringer til skolen", "Karim sender planen", "Mødet flyttes"],
                   "responsible": ["sb-job", "sb-familie"], "due": ["2026-12-01", "2026-12-02"],
                   "status": ["open", "done", "cancelled"]},
    "questions": {"to": ["sb-job", "sb-familie"], "answered": ["2026-11-20", "2026-11-23"]},
}

Key = tuple[str, tuple[str, ...]]
State = dict[Key, dict[str, str]]


def key_of(kind: str, entry: dict[str, str]) -> Key:
    return (kind, (entry["id"],) if kind == "agreements" else (entry["asked"], entry["by"], entry["about"]))


def load_state(text: str) -> State:
    root, problems = nodes.parse(text, "x")
    assert root is not None and not problems, problems
    data = plain(root)
    state: State = {}
    for kind in ORDER:
        for entry in data.get(kind) or []:  # type: ignore[union-attr]
            state[key_of(kind, entry)] = entry
    return state


def dump_state(state: State) -> str:
    """Deterministic text: an untouched entry is the same text on every side."""
    out = [HEADER]
    for kind, fields in ORDER.items():
        entries = [entry for (k, _), entry in state.items() if k == kind]
        out.append(f"{kind}:\n" if entries else f"{kind}: []\n")
        for entry in entries:
            lines = [f"{name}: {entry[name]}\n" for name in fields if name in entry]
            out.append("  - " + "    ".join(lines))
        if kind == "agreements":
            out.append("\n")
    return "".join(out)


BASE = load_state((EXAMPLES / PATH).read_text(encoding="utf-8"))
BASE_KEYS = sorted(BASE)


def new_entry(kind: str, number: int, variant: int) -> dict[str, str]:
    if kind == "agreements":
        return {"id": f"n{number}", "text": ["Ny aftale", "En anden ny aftale"][variant], "responsible": "sb-job",
                "made": "2026-11-23", "status": "open"}
    return {"asked": "2026-11-2" + str(number), "by": "sara", "to": ["sb-familie", "sb-job"][variant],
            "about": f"Spørgsmål {number}?"}


edit = st.one_of(
    st.tuples(st.just("append"), st.sampled_from(list(ORDER)), st.integers(1, 3), st.integers(0, 1)),
    st.tuples(st.just("edit"), st.sampled_from(BASE_KEYS), st.integers(0, 3), st.integers(0, 2)),
    st.tuples(st.just("delete"), st.sampled_from(BASE_KEYS)),
)


def apply(edits: list[tuple], state: State) -> State:
    state = {key: dict(entry) for key, entry in state.items()}
    for op in edits:
        if op[0] == "append":
            entry = new_entry(op[1], op[2], op[3])
            state.setdefault(key_of(op[1], entry), entry)
        elif op[0] == "edit" and op[1] in state:
            choices = EDITABLE[op[1][0]]
            field = sorted(choices)[op[2] % len(choices)]
            values = choices[field]
            state[op[1]][field] = values[op[3] % len(values)]
        elif op[0] == "delete":
            state.pop(op[1], None)
    return state


def oracle(base: State, ours: State, theirs: State) -> tuple[State, bool]:
    """The rules, on plain data: the merged state, and whether a conflict must arise."""
    merged: State = {}
    conflict = False
    for key in [*ours, *(k for k in theirs if k not in ours)]:
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        if o is None or t is None:
            present = o if o is not None else t
            if b is None:
                merged[key] = present  # type: ignore[assignment]
            elif present != b:
                conflict = True  # deleted on one side, edited on the other
        elif b is None:
            conflict |= o != t
            merged[key] = o
        else:
            entry = {}
            for name in {*b, *o, *t}:
                bf, of, tf = b.get(name), o.get(name), t.get(name)
                if of != bf and tf != bf and of != tf:
                    conflict = True
                value = tf if of == bf else of
                if value is not None:
                    entry[name] = value
            merged[key] = entry
    return merged, conflict


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> tuple[Repo, str]:
    repo = Repo(tmp_path_factory.mktemp("property") / "repo")
    base = repo.commit("base", {PATH: dump_state(BASE)})
    return repo, base


def _round(repo: tuple[Repo, str], ours_edits: list[tuple], theirs_edits: list[tuple]) -> None:
    git, base_sha = repo
    ours, theirs = apply(ours_edits, BASE), apply(theirs_edits, BASE)
    expected, conflict = oracle(BASE, ours, theirs)
    git.git("checkout", "-q", "-f", "-B", "theirs", base_sha)
    git.commit("theirs", {PATH: dump_state(theirs)}, author="karim")
    git.git("checkout", "-q", "-f", "-B", "ours", base_sha)
    git.commit("ours", {PATH: dump_state(ours)})
    result = git.merge("theirs")
    text = (git.root / PATH).read_text(encoding="utf-8")
    try:
        if conflict:
            assert result.returncode != 0, text
            assert "<<<<<<< " in text
            for key in {*ours, *theirs} - set(BASE):
                assert key[1][0] in text  # an added item is never lost, even in a conflict
        else:
            assert result.returncode == 0, result.stdout + result.stderr + text
            assert load_state(text) == expected
            assert text.startswith(HEADER)
    finally:
        git.git("reset", "-q", "--hard")


edits = st.lists(edit, max_size=4)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ours=edits, theirs=edits)
def test_merge_rules_hold_through_git(repo, ours, theirs):
    _round(repo, ours, theirs)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ours=edits, theirs=edits)
def test_merge_rules_hold_through_git_200_rounds(repo, ours, theirs):
    _round(repo, ours, theirs)


def test_the_oracle_sees_a_conflict():
    """The oracle is not trivially conflict-free: both sides setting one due date differently."""
    key = ("agreements", ("a3",))
    ours = apply([("edit", key, 0, 0)], BASE)
    theirs = apply([("edit", key, 0, 1)], BASE)
    assert oracle(BASE, ours, theirs)[1] is True
    assert Path(PATH).name == "agreements.yaml"
