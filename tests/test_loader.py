"""The loader: values as written, the same with and without libyaml, never raising."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, EXAMPLES
from familieplan.format import nodes as yamlnodes
from familieplan.format import specs as schema
from familieplan.format.types import Ctx
from familieplan.problems import Problem
from familieplan.settings import BUILTIN_AREAS
from familieplan.workspace import read as loader

AREAS = frozenset(BUILTIN_AREAS)


def convert(text: str, kind: str) -> tuple[object, list[Problem]]:
    root, problems = yamlnodes.parse(text, "f.yaml")
    value = loader.convert(root, kind, "f.yaml", AREAS, problems) if type(root) is yamlnodes.Mapping else None
    return value, problems


def dump(node: yamlnodes.Node | None) -> object:
    if node is None:
        return None
    if type(node) is yamlnodes.Scalar:
        return ("s", node.value, node.line, node.col, node.plain)
    if type(node) is yamlnodes.Sequence:
        return ("q", node.line, node.col, [dump(c) for c in node.items])
    return ("m", node.line, node.col, {k: (dump(kn), dump(v)) for k, (kn, v) in node.items.items()})


def test_times_are_times_not_base60():
    session, problems = convert("days: [mon]\nfrom: 9:30\nto: 14:30\n", "plan")
    assert problems  # a session is not a plan: wrong keys reported, nothing raised
    root, problems = yamlnodes.parse("from: 9:30\nto: 14:30\n", "f.yaml")
    ctx = Ctx("f.yaml", problems, AREAS)
    assert schema.TIME.convert(root.items["from"][1], ctx) == dt.time(9, 30)
    assert schema.TIME.convert(root.items["to"][1], ctx) == dt.time(14, 30)
    assert problems == []


def test_number_like_strings_are_kept_as_written():
    root, problems = yamlnodes.parse("phone: 0102 0312\nother: 012345\nx: 1e3\ny: 0o17\nz: no\n", "f.yaml")
    assert problems == []
    assert {k: v[1].value for k, v in root.items.items()} == {
        "phone": "0102 0312", "other": "012345", "x": "1e3", "y": "0o17", "z": "no"}


def test_examples_load_identically_with_and_without_libyaml():
    if not yamlnodes.HAVE_LIBYAML:
        pytest.skip("libyaml is not installed here")  # pragma: no cover
    files = sorted(EXAMPLES.rglob("*.yaml")) + sorted(DATA.rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        c_root, c_problems = yamlnodes.parse(text, str(path), use_libyaml=True)
        p_root, p_problems = yamlnodes.parse(text, str(path), use_libyaml=False)
        assert dump(c_root) == dump(p_root), path
        assert [(p.source, p.code) for p in c_problems] == [(p.source, p.code) for p in p_problems], path


def test_non_ascii_columns_agree_between_parsers():
    text = "æøå: 14:30\nnavn: 'Søren Ærø'\nliste: [ø, å]\n"
    results = [dump(yamlnodes.parse(text, "f", use_libyaml=flag)[0]) for flag in (True, False)]
    assert results[0] == results[1]
    assert results[0][3]["liste"][1][3][1][3] == 12  # "liste: [ø, å]": columns count characters


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.dates().map(lambda d: d.isoformat()) | st.sampled_from(["14:30", "9:30", "yes", "no", "~", "0102031234"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "from", "to", "days", "title", "people", "interventions",
                                       "sessions", "status", "x-a", "agreements", "participants"])
                      | st.text(max_size=8), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text):
    for flag in (True, False):
        root, problems = yamlnodes.parse(text, "f.yaml", use_libyaml=flag)
        assert all(isinstance(p, Problem) for p in problems)
        for kind in schema.FILE_KINDS:
            if type(root) is yamlnodes.Mapping:
                loader.convert(root, kind, "f.yaml", AREAS, list(problems))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_values, st.sampled_from(sorted(schema.FILE_KINDS)))
def test_arbitrary_yaml_never_raises(value, kind):
    text = yaml.safe_dump(value, allow_unicode=True)
    root, problems = yamlnodes.parse(text, "f.yaml")
    if type(root) is yamlnodes.Mapping:
        loader.convert(root, kind, "f.yaml", AREAS, problems)
    assert all(isinstance(p, Problem) for p in problems)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data):
    text, problems = yamlnodes.decode(data, "f.yaml")
    if text is not None:
        yamlnodes.parse(text, "f.yaml")


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    root, problems = yamlnodes.parse("\n".join(lines) + "\n", "bomb.yaml")
    assert {p.code for p in problems} == {"yaml-anchor"}


def test_python_tags_construct_nothing(tmp_path: Path):
    root, problems = yamlnodes.parse("a: !!python/object/apply:os.system ['echo hi']\n", "f.yaml")
    assert [p.code for p in problems] == ["yaml-tag"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_values)
def test_libyaml_and_python_parser_agree_on_any_yaml(value):
    if not yamlnodes.HAVE_LIBYAML:
        pytest.skip("libyaml is not installed here")  # pragma: no cover
    text = yaml.safe_dump(value, allow_unicode=True)
    with_c = yamlnodes.parse(text, "f.yaml", use_libyaml=True)
    with_py = yamlnodes.parse(text, "f.yaml", use_libyaml=False)
    assert dump(with_c[0]) == dump(with_py[0])
    assert [(p.source, p.code) for p in with_c[1]] == [(p.source, p.code) for p in with_py[1]]


def test_did_you_mean_picks_from_the_right_set():
    """A Danish word points at its English value, a unique prefix at its id, and only then
    the closest spelling (issue: `role: barn` suggested `parent`)."""
    from familieplan.format.suggest import did_you_mean

    assert did_you_mean("barn", ["parent", "child", "other"]) == "child"
    assert did_you_mean("soes", ["soes-jobcenter", "sb-familie", "mette"]) == "soes-jobcenter"
    assert did_you_mean("aktiv", {"active": 1, "paused": 1, "closed": 1}) == "active"
    assert did_you_mean("mete", ["mette", "noah"]) == "mette"
    assert did_you_mean("zzz", ["mette", "noah"]) is None
    _, problems = convert("id: x\ntitle: T\nopened: 2026-03-02\nstatus: active\ncoordinator: sb\n"
                          "people:\n  - id: b\n    name: B\n    role: barn\n", "case")
    [problem] = [p for p in problems if p.code == "bad-value"]
    assert problem.hint == "did you mean 'child'?"  # the English text of the hint
