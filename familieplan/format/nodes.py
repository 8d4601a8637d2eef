"""Read YAML text into position-aware nodes, every scalar kept as the string written.

PyYAML's constructors silently change data (`14:30` becomes 870, `no` becomes False, a
duplicate key keeps the last value). We therefore stop at the event stream: the C parser
(libyaml) when present, the pure-Python parser otherwise, and compose our own nodes.
Conversion to dates, times and numbers happens in `familieplan.schema` with explicit
formats. This module never raises on bad input: it returns problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Union

import yaml
from yaml import events as ev

from familieplan.format import codes as _codes  # noqa: F401  (registers the codes used here)
from familieplan.problems import N_, Problem, Source, make_problem

try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the machine
    _CParser = None  # type: ignore[assignment,misc]
    HAVE_LIBYAML = False

MAX_BYTES = 1_000_000
MAX_DEPTH = 20


@dataclass(slots=True, eq=False)
class Scalar:
    """A scalar as written. `plain` is False for quoted and block scalars."""

    value: str
    line: int
    col: int
    plain: bool

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in _NULLS


@dataclass(slots=True, eq=False)
class Mapping:
    """A mapping; `items` maps each key string to (key node, value node) in file order."""

    line: int
    col: int
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class Sequence:
    line: int
    col: int
    items: list[Node] = field(default_factory=list)


Node = Union[Scalar, Mapping, Sequence]

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


def plain(node: Node | None) -> object:
    """The value a node stands for, as plain Python data: scalars as written (quotes and
    comments do not matter), plain nulls as None."""
    if node is None:
        return None
    if type(node) is Scalar:
        return None if node.is_null else node.value
    if type(node) is Mapping:
        return {key: plain(value) for key, (_, value) in node.items.items()}
    assert type(node) is Sequence
    return [plain(item) for item in node.items]

_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?: |$)", re.M)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BAD_INDENT = re.compile(r"^[ \t\u00a0]*[\t\u00a0]", re.M)
_HIDDEN = re.compile("[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069]")
# YAML parsers count U+2028/U+2029 as line breaks, editors and our line numbers do not:
# they are parsed as spaces (and warned about as hidden characters) so that every line
# and column after them stays where the user sees it.
_LINE_SEPARATORS = str.maketrans({"\u2028": " ", "\u2029": " "})


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
            make_problem("too-large", Source(path, 1, 1), N_("the file is {size} bytes; the limit is {limit}"),
                         size=len(data), limit=MAX_BYTES)
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
            make_problem("encoding", Source(path, line, col), N_("byte {byte} is not UTF-8"),
                         N_("save the file as UTF-8"), byte=f"0x{data[start]:02x}")
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def prescan(text: str, path: str) -> list[Problem]:
    """Line-level problems that the YAML parser reports badly or not at all."""
    problems = []
    # Substring tests first (fast in C): most files hold no marker, tab or no-break space.
    if "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text or "|||||||" in text:
        for m in _CONFLICT.finditer(text):
            line, col = _line_col(text, m.start())
            problems.append(make_problem("conflict-marker", Source(path, line, col),
                                         N_("git conflict marker: the file is half-merged"),
                                         N_("resolve the merge conflict and remove the marker lines")))
    for m in _CONTROL.finditer(text):
        line, col = _line_col(text, m.start())
        problems.append(make_problem("control-char", Source(path, line, col), N_("control character {char} in the file"),
                                     char=f"U+{ord(m.group()):04X}"))
    if "\t" not in text and "\u00a0" not in text:
        return problems
    for m in _BAD_INDENT.finditer(text):
        line, col = _line_col(text, m.end() - 1)
        what = N_("a tab in the indentation") if m.group().endswith("\t") else N_("a no-break space in the indentation")
        problems.append(make_problem("bad-indent", Source(path, line, col), what, N_("indent with spaces only")))
    return problems


def hidden_chars(text: str, path: str) -> list[Problem]:
    """Warnings for invisible characters: zero-width and bidirectional controls can make
    text look different from what it says (rendered documents drop them)."""
    problems = []
    for m in _HIDDEN.finditer(text):
        line, col = _line_col(text, m.start())
        problems.append(make_problem("hidden-char", Source(path, line, col), N_("invisible character {char} in the text"),
                                     N_("delete it; it is dropped from rendered documents"), char=f"U+{ord(m.group()):04X}"))
    return problems


# The YAML parser's own words ("did not find expected key (while parsing a block mapping)")
# mean little to a caseworker: each becomes a sentence about the file and what to check.
_SYNTAX = (
    ("expected key", N_("a line here does not fit the lines around it"),
     N_("check the indentation (keys of one mapping start in the same column) and that every key ends with a colon")),
    ("expected ':'", N_("a key here has no colon after it"), N_("write the key as name: value")),
    ("mapping values are not allowed", N_("a colon here is read as the start of a new key"),
     N_("put text that contains ': ' in quotes, or check the indentation")),
    ("expected '-' indicator", N_("a list item here does not line up with the items before it"),
     N_("start every item of the list with '- ' in the same column")),
    ("expected <block end>", N_("a line here is indented differently from the lines before it"),
     N_("check the indentation of this line and the one above it")),
    ("found unexpected end of stream", N_("the file ends inside quoted text"),
     N_("close the quote that was opened (\" or ')")),
    ("quoted scalar", N_("quoted text here is not closed properly"),
     N_("close the quote that was opened (\" or '), or remove it")),
    ("flow", N_("a bracket [ or a brace here is not closed"), N_("close the bracket, or put the text in quotes")),
    ("cannot start any token", N_("a character here cannot start a value"),
     N_("put the value in quotes; indent with spaces only")),
)


def syntax_sentence(problem: str, context: str) -> tuple[str, str]:
    """A sentence about the file (message, hint) for the YAML parser's problem text."""
    said = f"{problem} {context}"
    for words, message, hint in _SYNTAX:
        if words in said:
            return message, hint
    return (N_("the file cannot be read as YAML from here on"),
            N_("check the indentation, the colons after keys and that quotes and brackets are closed"))


def parse(text: str, path: str, use_libyaml: bool | None = None) -> tuple[Node | None, list[Problem]]:
    """Compose one YAML document into nodes. Returns (root or None, problems)."""
    problems = prescan(text, path)
    if problems:
        return None, problems
    if "\u2028" in text or "\u2029" in text:
        text = text.translate(_LINE_SEPARATORS)
    use_libyaml = HAVE_LIBYAML if use_libyaml is None else use_libyaml
    parser = _CParser(text) if use_libyaml and _CParser is not None else _PyParser(text)
    try:
        root = _Composer(path, problems).compose(parser)
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(exc, path))
        return None, problems
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    if root is None and not problems:
        problems.append(make_problem("empty-file", Source(path, 1, 1), N_("the file is empty"),
                                     N_("write the settings as key: value lines")))
    return root, problems


def _syntax_problem(exc: yaml.YAMLError, path: str) -> Problem:
    """The parser's error as a sentence about the file, at the place it gave up."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return make_problem("syntax", Source(path, 1, 1), *syntax_sentence("", ""))
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return make_problem("syntax", Source(path, line, col), *syntax_sentence(exc.problem or "", exc.context or ""))


class _Composer:
    """Turns parser events into nodes, refusing anchors, aliases, tags, duplicate keys, a
    container as a key, a second document and nesting deeper than MAX_DEPTH at their place.

    The open containers are on a stack (innermost last, never recursion: a file of many
    brackets must not exhaust Python's stack), each with the key waiting for its value in
    a mapping: None (no key yet), the key's node, or False (a refused key, whose value is
    left out)."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.root: Node | None = None
        self.open: list[list[Any]] = []  # [container, pending key]
        self.documents = 0
        self.too_deep = False

    def compose(self, parser: Any) -> Node | None:
        get_event = parser.get_event
        while (e := get_event()) is not None:
            t = type(e)
            if t is ev.ScalarEvent:  # most events: made here, without a method call
                m = e.start_mark
                node = Scalar(e.value, m.line + 1, m.column + 1, not e.style)  # style: libyaml "", Python None
                if e.anchor is not None or e.tag is not None or e.style == '"':
                    self.scalar_problems(e, node)
                self.place(node)
            elif t is ev.MappingStartEvent or t is ev.SequenceStartEvent:
                self.start(e)
            elif t is ev.MappingEndEvent or t is ev.SequenceEndEvent:
                self.open.pop()
            elif t is ev.AliasEvent:
                self.place(self.alias(e))
            elif (t is ev.DocumentStartEvent and not self.document(e)) or t is ev.StreamEndEvent:
                break
        return None if self.too_deep else self.root

    def place(self, node: Node) -> None:
        """Put `node` where the innermost open container wants it."""
        if not self.open:
            self.root = node
            return
        frame = self.open[-1]
        container, pending = frame
        if type(container) is Sequence:
            container.items.append(node)
        elif pending is None:
            frame[1] = node if type(node) is Scalar else self.not_a_key(node)
        else:
            frame[1] = None
            if pending is False:
                return
            if pending.value in container.items:
                self.duplicate(container.items, pending)
            else:
                container.items[pending.value] = (pending, node)

    def scalar_problems(self, e: Any, node: Scalar) -> None:
        if e.anchor is not None or e.tag is not None:
            self.check_props(e, node.line, node.col)
        if e.style == '"':
            self.escaped_control(node)

    def start(self, e: Any) -> None:
        """A container opens: placed in its parent, and open until its end event."""
        m = e.start_mark
        line, col = m.line + 1, m.column + 1
        if e.anchor is not None or e.tag is not None:
            self.check_props(e, line, col)
        container = Mapping(line, col) if type(e) is ev.MappingStartEvent else Sequence(line, col)
        self.place(container)
        self.open.append([container, None])
        if len(self.open) > MAX_DEPTH and not self.too_deep:
            self.too_deep = True
            self.report(container, "too-deep", N_("nesting deeper than {depth} levels"), depth=MAX_DEPTH)

    def report(self, node: Node, code: str, message: str, hint: str | None = None, **args: object) -> None:
        self.problems.append(make_problem(code, Source(self.path, node.line, node.col), message, hint, **args))

    def duplicate(self, items: dict, key: Scalar) -> None:
        first = items[key.value][0]
        self.report(key, "duplicate-key", N_("key '{key}' appears twice in this mapping (first at line {line})"),
                    N_("keep one; YAML would silently drop the first"), key=key.value, line=first.line)

    def not_a_key(self, node: Node) -> bool:
        """A container where a mapping's key belongs: reported, and its value left out (False)."""
        self.report(node, "syntax", N_("a key must be a plain name, not a list or mapping"))
        return False

    def check_props(self, e: Any, line: int, col: int) -> None:
        where = Source(self.path, line, col)
        if e.anchor is not None:
            self.problems.append(make_problem("yaml-anchor", where,
                                              N_("anchor '&{anchor}': case files do not use anchors or aliases"),
                                              N_("write the value out in full"), anchor=e.anchor))
        tag = getattr(e, "tag", None)
        if tag is not None and not (type(e) is ev.ScalarEvent and tag == "!"):
            self.problems.append(make_problem("yaml-tag", where, N_("explicit tag '{tag}': case files do not use tags"),
                                              N_("remove the tag"), tag=tag))

    def escaped_control(self, node: Scalar) -> None:
        """A double-quoted scalar whose escape ("\\e", "\\0", "\\x85") makes a control
        character: the same problem as a raw one."""
        char = _CONTROL.search(node.value)
        if char is not None:
            self.report(node, "control-char", N_("control character {char} in the file (written as an escape)"),
                        char=f"U+{ord(char.group()):04X}")

    def alias(self, e: Any) -> Scalar:
        m = e.start_mark
        node = Scalar("", m.line + 1, m.column + 1, True)
        self.report(node, "yaml-anchor", N_("alias '*{anchor}': case files do not use anchors or aliases"),
                    N_("write the value out in full"), anchor=e.anchor)
        return node

    def document(self, e: Any) -> bool:
        """False when a second document starts: the rest is not read."""
        self.documents += 1
        if self.documents > 1:
            m = e.start_mark
            self.problems.append(make_problem("syntax", Source(self.path, m.line + 1, m.column + 1),
                                              N_("more than one YAML document in the file"),
                                              N_("remove the '---' line and what follows, or split the file")))
            return False
        return True
