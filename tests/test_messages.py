"""Every error a caseworker can read is a message id of the catalog: found in the code (ast),
and shown in Danish by default and in English with --lang en."""

from __future__ import annotations

import ast
import shutil
import string
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli
from familieplan.render.catalog import catalog

PACKAGE = Path(__file__).parent.parent / "familieplan"
ERRORS = {"FamilieplanError", "UsageError", "InvalidCaseError"}
# The same in both languages on purpose: a command or git's own line around a value.
SAME_IN_DANISH = {"git: {line}", "familieplan serve: {folder}"}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(PACKAGE.rglob("*.py"))}


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """FamilieplanError and every class of the package derived from it (GitUnavailable, …)."""
    names = set(ERRORS)
    classes = [node for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for cls in classes:
            if cls.name not in names and any(_name(base) in names for base in cls.bases):
                names.add(cls.name)
                grew = True
    return names


def _marked_constants(trees: dict[Path, ast.Module]) -> dict[str, str]:
    """Module-level `NAME = N_("…")`: constants that are message ids."""
    found = {}
    for tree in trees.values():
        for node in tree.body:
            if isinstance(node, ast.Assign) and _marked(node.value) is not None:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = _marked(node.value)  # type: ignore[assignment]
    return found


def _marked(node: ast.expr) -> str | None:
    """The message id of `N_("…")` (implicitly concatenated literals are one constant)."""
    if (isinstance(node, ast.Call) and _name(node.func) == "N_" and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return node.args[0].value
    return None


def error_calls() -> list[tuple[str, str | None, ast.Call]]:
    """(where, message id or None, call) for every construction of a FamilieplanError."""
    trees = _trees()
    classes = _error_classes(trees)
    constants = _marked_constants(trees)
    calls = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in classes:
                first = node.args[0] if node.args else None
                message = None
                if first is not None:
                    message = _marked(first)
                    if message is None and isinstance(first, ast.Name | ast.Attribute):
                        message = constants.get(_name(first) or "")
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                calls.append((where, message, node))
    return calls


def test_every_error_is_a_message_id_with_its_arguments():
    """No English-only message can come back: the first argument of every FamilieplanError
    (UsageError, InvalidCaseError, GitUnavailable, …) is `N_("…")` or a constant that is one,
    and the keyword arguments give exactly the id's {fields} (a missing one would crash)."""
    calls = error_calls()
    assert len(calls) > 60  # the finder finds them (there were 54 English ones before)
    not_ids = [where for where, message, _ in calls if message is None]
    assert not_ids == [], "wrap the message in N_() with its values as keyword arguments"
    for where, message, call in calls:
        assert message is not None
        fields = {f for _, f, _, _ in string.Formatter().parse(message) if f}
        given = {k.arg for k in call.keywords}
        assert "message" not in given, (where, "the message id is the first argument: name the field otherwise")
        if None in given:  # **arguments: checked when the error is made
            continue
        assert fields == given, (where, message)


def test_every_error_message_has_its_own_danish():
    da = catalog("da")
    for where, message, _ in error_calls():
        assert message is not None
        if message not in SAME_IN_DANISH:
            assert da.gettext(message) != message, (where, message)


def test_the_finder_sees_an_english_message():
    """The oracle for the test above: an f-string message is not a message id."""
    tree = ast.parse('raise UsageError(f"--x {y}: bad")\nraise UsageError(N_("--x {y}: bad"), y=y)')
    found = [_marked(node.args[0]) for node in ast.walk(tree) if isinstance(node, ast.Call) and _name(node.func) == "UsageError"]
    assert found == [None, "--x {y}: bad"]


def _both(runner, args: list[str]):  # type: ignore[no-untyped-def]
    return run_cli(runner, args), run_cli(runner, [*args, "--lang", "en"])


@pytest.mark.parametrize("args, danish, english", [
    (["fit", "2026-002-karimi", "--person", "nadia", "--length", "3x", "--per-week", "1"],
     "familieplan: fejl: --length 3x: skriv den som 3h, 90m eller 1:30",
     "familieplan: error: --length 3x: write it as 3h, 90m or 1:30"),
    (["fit", "2026-002-karimi", "--person", "nadia", "--length", "1h", "--per-week", "1", "--days", "mon,xyz"],
     "'xyz' er ikke en ugedag", "'xyz' is not a weekday"),
    (["fit", "2026-002-karimi", "--person", "nadia", "--length", "1h", "--per-week", "1", "--within", "16:00-08:00"],
     "to klokkeslæt, det første før det andet", "two times of day, the first before the second"),
    (["fit", "2026-002-karimi", "--person", "ghost", "--length", "1h", "--per-week", "1"],
     "--person ghost: ikke en af sagens personer (", "--person ghost: not one of the case's people ("),
    (["new-case", "A", "--id", "../x"], "ikke et gyldigt sags-id", "is not a valid case id"),
    (["new-case", "A", "--department", "jobcentre"],
     "der er ingen afdeling 'jobcentre' i familieplan.yaml (mente du 'jobcenter'?)",
     "no department 'jobcentre' in familieplan.yaml (did you mean 'jobcenter'?)"),
    (["render-minutes", "examples/cases/2025-001-holm/meetings/2099-01-01-ingen.yaml"],
     "intet møde '2099-01-01-ingen' i sag 2025-001-holm (møder: ", "no meeting '2099-01-01-ingen' in case 2025-001-holm (meetings: "),
    (["render-plan", "2025-001-holm", "--for", "all", "--output", "-"],
     "--output - kan kun bruges med én modtager", "--output - takes one recipient"),
    (["report", "--for", "sb-familie"], "--for kræver præcis én sag", "--for needs exactly one case"),
    (["check-load", "2025-001-holm", "2026-002-karimi", "--for", "nadia"],
     "--for kræver præcis én sag", "--for takes exactly one case"),
    (["changes", "2025-001-holm"], "ligger ikke i et git-arkiv", "is not inside a git repository"),
    (["serve", "--host", "0.0.0.0", "--no-open"],
     "gør siderne tilgængelige fra andre maskiner", "makes the pages reachable from other machines"),
])
def test_errors_are_danish_by_default_and_english_with_lang_en(runner, tmp_path, monkeypatch, args, danish, english):
    """English with --lang en; for the commands that write files (no --lang), with the
    workspace's `language: en`."""
    workspace = tmp_path / "examples"
    shutil.copytree(EXAMPLES, workspace)
    monkeypatch.chdir(tmp_path)  # outside any git repository, for `changes`
    args = [a.replace("examples/", f"{workspace}/") for a in args] + ["--workspace", str(workspace)]
    if args[0] in ("new-case", "new-meeting", "init"):
        da = run_cli(runner, args)
        settings = workspace / "familieplan.yaml"
        settings.write_text(settings.read_text().replace("language: da", "language: en"))
        en = run_cli(runner, args)
    else:
        da, en = _both(runner, args)
    assert da.exit_code == en.exit_code == 2, (da.output, en.output)
    assert da.stderr.startswith("familieplan: fejl: ") and danish in da.stderr, da.stderr
    assert en.stderr.startswith("familieplan: error: ") and english in en.stderr, en.stderr
    assert da.stderr.count("\n") == en.stderr.count("\n") == 1


def test_git_setup_and_cache_clear_speak_the_workspace_language(runner, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    workspace = tmp_path / "ws"
    shutil.copytree(EXAMPLES, workspace)
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    setup = run_cli(runner, ["git-setup", "--workspace", str(workspace)])
    assert setup.exit_code == 0, setup.output
    assert "merge-driveren er registreret: familieplan merge-file" in setup.stdout
    cleared = run_cli(runner, ["cache", "clear", "--workspace", str(workspace)])
    assert cleared.exit_code == 0 and cleared.stdout.startswith("fjernede "), cleared.output
    settings = workspace / "familieplan.yaml"
    settings.write_text(settings.read_text().replace("language: da", "language: en"))
    assert "registered merge driver: familieplan merge-file" in run_cli(
        runner, ["git-setup", "--workspace", str(workspace)]).stdout
    assert run_cli(runner, ["cache", "clear", "--workspace", str(workspace)]).stdout.startswith("removed ")


def test_a_problem_inside_an_error_is_translated_too():
    """The written file that does not validate names its first problem: a Term whose own
    arguments (a list of choices) are words of the catalog as well."""
    from familieplan.problems import N_, FamilieplanError, Term
    from familieplan.render.messages import error_line

    problem = Term(N_("'{value}' is not {name}; expected one of {choices}"), value="aktiv", name=Term(N_("an id")),
                   choices=("active", "closed"))
    exc = FamilieplanError(N_("the written file does not validate ({source}: {code}: {problem}); it was removed"),
                           source="case.yaml:3:9", code="bad-value", problem=problem)
    da = error_line(exc.message_id, exc.args_map, "da")
    assert da.startswith("familieplan: fejl: den skrevne fil er ikke gyldig (case.yaml:3:9: bad-value: ")
    assert "'aktiv' er ikke et id; skal være active eller closed); den er fjernet igen" in da
    assert error_line(exc.message_id, exc.args_map, "en").endswith("is not an id; expected one of active or closed); it was removed")
