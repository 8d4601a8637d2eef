"""The cold path's shortcuts against the plain forms they replace: each fast form finds
exactly what the straightforward one finds."""

from __future__ import annotations

import re
import sys

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_loader import dump

from familieplan.format import cpr, nodes, scalars, specs, types
from familieplan.settings import BUILTIN_AREAS
from familieplan.workspace import read as loader

# The CPR pattern as first written (a lookbehind before the first digit): the oracle.
_PLAIN_CPR = re.compile(r"(?<![\d])(\d\d)(\d\d)(\d\d)" + cpr._SEPARATOR + r"\d{4}(?![\d])")

_PIECES = st.sampled_from(["0", "1", "3", "9", "12", "31", "0102", "310", "1234", "-", "\u2013", " ", "\u00a0",
                           "\n  ", "\\n", "\\-", "x", "\t", "\u0661", "\u0662", "<<<<<<< ", "=======",
                           ">>>>>>>", "|||||||", "\u200b", "\x07", "a: b", "\n"])
_TEXTS = st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=60)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_cpr_numbers_are_found_where_the_plain_pattern_finds_them(text):
    expected = [m.start() for m in _PLAIN_CPR.finditer(text) if cpr._valid_date(int(m[1]), int(m[2]))]
    assert list(cpr.find_cpr(text)) == expected
    assert cpr.mask_cpr(text) == _PLAIN_CPR.sub(lambda m: re.sub(r"\d", "#", m.group()), text)
    long = "– æ » 2. marts 2026 " * 12 + text  # past the length from which mask_cpr looks at bytes first
    assert cpr.mask_cpr(long) == _PLAIN_CPR.sub(lambda m: re.sub(r"\d", "#", m.group()), long)


def test_digit_leads_are_the_lead_bytes_of_every_digit_but_the_ascii_ones():
    leads = {chr(c).encode()[0] for c in range(0x80, sys.maxunicode + 1)
             if not 0xD800 <= c <= 0xDFFF and re.match(r"\d", chr(c))}
    assert leads == cpr.DIGIT_LEADS
    assert [c for c in range(0x80) if re.match(r"\d", chr(c))] == list(range(0x30, 0x3A))
    for zero in ("0", "\u0660", "\u06f0", "\u0966", "\uff10", "\U0001d7ce"):  # other scripts' digits
        number = "".join(chr(ord(zero) + int(d)) for d in "010203") + "-" + "".join(chr(ord(zero) + int(d)) for d in "1234")
        assert list(cpr.find_cpr(f"x: {number}")) == [3] and cpr.may_hold_cpr(f"x: {number}".encode()), zero
        assert "#" in cpr.mask_cpr("– " * 150 + number), zero
    for zero in ("0", "\u0660", "\u06f0", "\u0966", "\uff10", "\U0001d7ce"):  # other scripts' digits
        number = "".join(chr(ord(zero) + int(d)) for d in "010203") + "-" + "".join(chr(ord(zero) + int(d)) for d in "1234")
        assert list(cpr.find_cpr(f"x: {number}")) == [3] and cpr.may_hold_cpr(f"x: {number}".encode()), zero


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS | st.lists(st.sampled_from(["0", "12", "345", "\u0661", "\u0967", "\uff11", "æ", "-", " ", "\ufeff"]),
                         max_size=20).map("".join))
def test_a_text_whose_bytes_cannot_hold_a_cpr_number_holds_none(text):
    if not cpr.may_hold_cpr(text.encode("utf-8")):
        assert list(cpr.find_cpr(text)) == []


def _plain_prescan(text: str) -> list[tuple[int, int, str]]:
    found = []
    for pattern, code, at_end in ((nodes._CONFLICT, "conflict-marker", False), (nodes._CONTROL, "control-char", False),
                                  (nodes._BAD_INDENT, "bad-indent", True)):
        for match in pattern.finditer(text):
            found.append((*nodes._line_col(text, match.end() - 1 if at_end else match.start()), code))
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_the_prescan_finds_what_its_patterns_find(text):
    assert [(p.source.line, p.source.column, p.code) for p in nodes.prescan(text, "f")] == _plain_prescan(text)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 3 * 65536 + 7))
def test_a_file_is_read_whole_up_to_the_limit(tmp_path_factory, size):
    path = tmp_path_factory.mktemp("read") / "f.yaml"
    data = bytes(i % 251 for i in range(size))
    path.write_bytes(data)
    assert loader._read_bytes(path, "f.yaml") == (data, [])


def test_a_file_that_grows_after_fstat_is_read_to_its_end(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\n")
    with open(path, "rb") as handle:
        fd = handle.fileno()
        path.write_bytes(b"a: 1\n" * 30000)  # grows after the size was taken
        assert loader._read_all(fd, 5) == b"a: 1\n" * 30000
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * (nodes.MAX_BYTES + 10))
    with open(big, "rb") as handle:
        assert len(loader._read_all(handle.fileno(), 10)) == nodes.MAX_BYTES + 1


def _reference(node: yaml.Node) -> object:
    """PyYAML's own composer's tree in the same shape: the first of two equal keys kept,
    a pair whose key is not a scalar left out."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return ("s", node.value, line, col, node.style is None)
    if isinstance(node, yaml.SequenceNode):
        return ("q", line, col, [_reference(c) for c in node.value])
    pairs: dict[str, object] = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value not in pairs:
            pairs[key.value] = (_reference(key), _reference(value))
    return ("m", line, col, pairs)


# Text without control characters and line separators (the prescan refuses those first).
_LETTERS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(_LETTERS, max_size=12)
    | st.sampled_from(["14:30", "~", "a: b", "- x"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "from", "to", "days"]) | st.text(_LETTERS, max_size=6), children,
                      max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_VALUES, st.booleans(), st.lists(st.sampled_from(["id: 1\n", "id: 2\n", "to: [a, b]\n", "? [k]\n: v\n"]),
                                        max_size=3))
def test_the_composer_builds_the_tree_pyyamls_composer_builds(value, flow, extra):
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow)
    if type(value) is dict:
        text += "".join(extra)  # duplicate keys and a key that is a list
    if nodes.prescan(text, "f.yaml"):
        return  # refused before parsing (a no-break space in the indentation)
    try:
        expected = _reference(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        expected = None  # not YAML: no tree either way
    for flag in (True, False):
        root, _ = nodes.parse(text, "f.yaml", use_libyaml=flag)
        assert repr(dump(root)) == repr(expected), text  # repr: the keys in file order too


def _spec_types() -> list[types.Type]:
    """Every type the file specs use, each once."""
    found: dict[int, types.Type] = {}

    def visit(t: types.Type) -> None:
        if id(t) in found:
            return
        found[id(t)] = t
        for spec in getattr(t, "fields", {}).values():
            visit(spec.type)
        for inner in (getattr(t, "item", None), getattr(t, "record", None), getattr(t, "inner", None)):
            if inner is not None:
                visit(inner)

    for record in specs.FILE_KINDS.values():
        visit(record)
    return list(found.values())


def _single_value_types() -> list[types.SingleValue]:
    """One type of single values of each class and settings."""
    found: dict[str, types.SingleValue] = {}
    for t in _spec_types():
        if isinstance(t, types.SingleValue):
            found.setdefault(f"{type(t).__name__}{vars(t)}", t)
    return list(found.values())


_SINGLE_VALUE_TYPES = _single_value_types()
_SAMPLES = ["2026-03-02", "2026-02-30", "1899-12-31", "2199-12-31", "9:30", "24:00", "09:05", "1.5", "168", "168.5",
            "-2", "+3", "2100", "true", "False", "yes", "mon", "man", "family", "active", "a-b_c", "A", "x" * 65,
            "ja\n", "\u0662\u0660", "null", "~", ""]


def _value_or_problem(kind: types.SingleValue, text: str, plain: bool) -> None:
    """A scalar converts to a value without a problem, or to INVALID with one problem at
    its place; it never raises."""
    problems: list = []
    ctx = types.Ctx("f.yaml", problems, frozenset(BUILTIN_AREAS))
    converted = kind.convert(nodes.Scalar(text, 3, 5, plain), ctx)
    if converted is types.INVALID:
        assert [(p.source.line, p.source.column) for p in problems] == [(3, 5)], (kind, text)
    else:
        assert problems == [] and converted is not None, (kind, text)


def test_a_single_value_is_a_value_or_a_problem_on_chosen_values():
    assert len(_SINGLE_VALUE_TYPES) >= 11
    for kind in _SINGLE_VALUE_TYPES:
        for text in _SAMPLES:
            for plain in (True, False):
                _value_or_problem(kind, text, plain)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_SINGLE_VALUE_TYPES), st.text(max_size=12), st.booleans())
def test_a_single_value_is_a_value_or_a_problem_on_any_text(kind, text, plain):
    _value_or_problem(kind, text, plain)


def test_a_whole_number_of_thousands_of_digits_is_out_of_range_not_a_crash():
    text = "id: a\nname: A\nrole: child\nborn: " + "1" * 5000 + "\n"
    root, problems = nodes.parse(text, "f.yaml")
    assert root is not None and problems == []
    kind = scalars.Integer(1900, 2100)
    ctx = types.Ctx("f.yaml", problems, frozenset(BUILTIN_AREAS))
    assert kind.convert(root.items["born"][1], ctx) is types.INVALID
    assert [(p.code, p.source.line) for p in problems] == [("bad-value", 4)]
