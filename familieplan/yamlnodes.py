"""Read YAML text into position-aware nodes, every scalar kept as the string written.

PyYAML's constructors silently change data (`14:30` becomes 870, `no` becomes False, a
duplicate key keeps the last value). We therefore stop at the event stream: the C parser
(libyaml) when present, the pure-Python parser otherwise, and compose our own nodes.
Conversion to dates, times and numbers happens in `familieplan.schema` with explicit
formats. This module never raises on bad input: it returns problems.
"""

from __future__ import annotations

import re
from typing import Union

import yaml
from yaml import events as ev

from familieplan.problems import ERROR, WARNING, Problem, Source

try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the machine
    _CParser = None  # type: ignore[assignment,misc]
    HAVE_LIBYAML = False

MAX_BYTES = 1_000_000
MAX_DEPTH = 20


class Scalar:
    """A scalar as written. `plain` is False for quoted and block scalars."""

    __slots__ = ("value", "line", "col", "plain")

    def __init__(self, value: str, line: int, col: int, plain: bool) -> None:
        self.value = value
        self.line = line
        self.col = col
        self.plain = plain

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in _NULLS


class Mapping:
    """A mapping; `items` maps each key string to (key node, value node) in file order."""

    __slots__ = ("items", "line", "col")

    def __init__(self, line: int, col: int) -> None:
        self.items: dict[str, tuple[Scalar, Node]] = {}
        self.line = line
        self.col = col


class Sequence:
    __slots__ = ("items", "line", "col")

    def __init__(self, line: int, col: int) -> None:
        self.items: list[Node] = []
        self.line = line
        self.col = col


Node = Union[Scalar, Mapping, Sequence]

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))

_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?: |$)", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BAD_INDENT = re.compile(r"^[ \t\u00a0]*[\t\u00a0]", re.M)
_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]")


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """The pure-Python event parser, used where libyaml is missing (or when asked)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 only, BOM stripped, CRLF and CR turned into LF."""
    if len(data) > MAX_BYTES:
        return None, [
            Problem(Source(path, 1, 1), ERROR, "too-large",
                    f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        col = start - (data.rfind(b"\n", 0, start) + 1) + 1
        return None, [
            Problem(Source(path, line, col), ERROR, "encoding",
                    f"byte 0x{data[start]:02x} is not UTF-8", "save the file as UTF-8")
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def prescan(text: str, path: str) -> list[Problem]:
    """Line-level problems that the YAML parser reports badly or not at all."""
    problems = []
    for m in _CONFLICT.finditer(text):
        line, col = _line_col(text, m.start())
        problems.append(Problem(Source(path, line, col), ERROR, "conflict-marker",
                                "git conflict marker: the file is half-merged",
                                "resolve the merge conflict and remove the marker lines"))
    for m in _CONTROL.finditer(text):
        line, col = _line_col(text, m.start())
        problems.append(Problem(Source(path, line, col), ERROR, "control-char",
                                f"control character U+{ord(m.group()):04X} in the file"))
    for m in _BAD_INDENT.finditer(text):
        line, col = _line_col(text, m.end() - 1)
        what = "a tab" if m.group().endswith("\t") else "a no-break space"
        problems.append(Problem(Source(path, line, col), ERROR, "bad-indent",
                                f"{what} in the indentation", "indent with spaces only"))
    return problems


def hidden_chars(text: str, path: str) -> list[Problem]:
    """Warnings for invisible characters: zero-width and bidirectional controls can make
    text look different from what it says (rendered documents drop them)."""
    problems = []
    for m in _HIDDEN.finditer(text):
        line, col = _line_col(text, m.start())
        problems.append(Problem(Source(path, line, col), WARNING, "hidden-char",
                                f"invisible character U+{ord(m.group()):04X} in the text",
                                "delete it; it is dropped from rendered documents"))
    return problems


def parse(text: str, path: str, use_libyaml: bool | None = None) -> tuple[Node | None, list[Problem]]:
    """Compose one YAML document into nodes. Returns (root or None, problems)."""
    problems = prescan(text, path)
    if problems:
        return None, problems
    if use_libyaml is None:
        use_libyaml = HAVE_LIBYAML
    parser = _CParser(text) if use_libyaml and _CParser is not None else _PyParser(text)
    try:
        root = _compose(parser, path, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "syntax error"
        if exc.context and exc.problem:
            what = f"{exc.problem} ({exc.context})"
        problems.append(Problem(Source(path, line, col), ERROR, "syntax", f"YAML syntax: {what}"))
        return None, problems
    except yaml.YAMLError as exc:
        problems.append(Problem(Source(path, 1, 1), ERROR, "syntax", f"YAML syntax: {exc}"))
        return None, problems
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    if root is None and not problems:
        problems.append(Problem(Source(path, 1, 1), ERROR, "empty-file",
                                "the file is empty", "write the settings as key: value lines"))
    return root, problems


def _compose(parser: object, path: str, problems: list[Problem]) -> Node | None:
    get_event = parser.get_event  # type: ignore[attr-defined]
    stack: list[list] = []  # [container, pending key scalar or None or False(skip)]
    root: Node | None = None
    documents = 0
    too_deep = False

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        top = stack[-1]
        container = top[0]
        if type(container) is Sequence:
            container.items.append(node)
        elif top[1] is None:
            if type(node) is Scalar:
                top[1] = node
            else:
                problems.append(Problem(Source(path, node.line, node.col), ERROR, "syntax",
                                        "a key must be a plain name, not a list or mapping"))
                top[1] = False
        else:
            key = top[1]
            top[1] = None
            if key is False:
                return
            if node_key_free(container.items, key):
                container.items[key.value] = (key, node)

    def node_key_free(items: dict, key: Scalar) -> bool:
        if key.value not in items:
            return True
        first = items[key.value][0]
        problems.append(Problem(Source(path, key.line, key.col), ERROR, "duplicate-key",
                                f"key '{key.value}' appears twice in this mapping "
                                f"(first at line {first.line})",
                                "keep one; YAML would silently drop the first"))
        return False

    def check_props(e: ev.NodeEvent, line: int, col: int) -> None:
        if e.anchor is not None:
            problems.append(Problem(Source(path, line, col), ERROR, "yaml-anchor",
                                    f"anchor '&{e.anchor}': case files do not use anchors or aliases",
                                    "write the value out in full"))
        tag = getattr(e, "tag", None)
        if tag is not None and not (type(e) is ev.ScalarEvent and tag == "!"):
            problems.append(Problem(Source(path, line, col), ERROR, "yaml-tag",
                                    f"explicit tag '{tag}': case files do not use tags",
                                    "remove the tag"))

    ScalarEvent = ev.ScalarEvent
    node: Node
    while True:
        e = get_event()
        if e is None:
            break
        t = type(e)
        if t is ScalarEvent:
            m = e.start_mark
            line, col = m.line + 1, m.column + 1
            if e.anchor is not None or e.tag is not None:
                check_props(e, line, col)
            node = Scalar(e.value, line, col, not e.style)  # libyaml: "", Python: None
            # The common case inline: a value under a pending key of a mapping.
            if stack:
                top = stack[-1]
                key = top[1]
                if key is not None and key is not False and type(top[0]) is Mapping:
                    top[1] = None
                    items = top[0].items
                    if key.value not in items:
                        items[key.value] = (key, node)
                    else:
                        node_key_free(items, key)
                    continue
            attach(node)
        elif t is ev.MappingStartEvent or t is ev.SequenceStartEvent:
            m = e.start_mark
            line, col = m.line + 1, m.column + 1
            if e.anchor is not None or e.tag is not None:
                check_props(e, line, col)
            node = Mapping(line, col) if t is ev.MappingStartEvent else Sequence(line, col)
            attach(node)
            stack.append([node, None])
            if len(stack) > MAX_DEPTH and not too_deep:
                too_deep = True
                problems.append(Problem(Source(path, line, col), ERROR, "too-deep",
                                        f"nesting deeper than {MAX_DEPTH} levels"))
        elif t is ev.MappingEndEvent or t is ev.SequenceEndEvent:
            stack.pop()
        elif t is ev.AliasEvent:
            m = e.start_mark
            line, col = m.line + 1, m.column + 1
            problems.append(Problem(Source(path, line, col), ERROR, "yaml-anchor",
                                    f"alias '*{e.anchor}': case files do not use anchors or aliases",
                                    "write the value out in full"))
            attach(Scalar("", line, col, True))
        elif t is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                m = e.start_mark
                problems.append(Problem(Source(path, m.line + 1, m.column + 1), ERROR, "syntax",
                                        "more than one YAML document in the file",
                                        "remove the '---' line and what follows, or split the file"))
                # Keep reading to report syntax errors, but ignore the extra documents.
                return None if too_deep else root
        elif t is ev.StreamEndEvent:
            break
    return None if too_deep else root
