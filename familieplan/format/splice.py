"""Change a YAML file's text at the positions the loader keeps, leaving every other byte.

The record commands change one thing in a case file: they append an entry to a list, set
a scalar or add a key to a mapping. Dumping the file again would lose what a caseworker
wrote (comments, blank lines, quoting, flow lists, line endings), so the change is spliced
into the text: new lines in the indentation of their neighbours, a new value where the old
one was written. `Splice.verify` parses the result and compares it with the data the change
must give; anything else (a layout this module does not understand) is refused, never
written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from typing import Any

from familieplan.format.nodes import Mapping, Node, Scalar, Sequence, decode, parse, plain
from familieplan.problems import N_, FamilieplanError

# Values written into a file: a scalar as text, a list of scalars (a flow list), a mapping
# (a nested block) or a list of mappings (a block list).
Value = str | list[str] | dict[str, Any] | list[dict[str, Any]]
_PLAIN = re.compile(r"[A-Za-z0-9ÆØÅæøåÀ-ÿ(][^:#\n\r\t\"'`{}\[\]]*\Z")
_TIME = re.compile(r"\d{2}:\d{2}\Z")  # 09:30: our loader reads it as written (never base 60)
_RESERVED = frozenset(("", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
                       "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n"))


class Quoted(str):
    """A text always written double-quoted: an id or fingerprint that other YAML readers
    (editors, check-jsonschema) must read as text even when it looks like a number."""


def scalar_text(value: str) -> str:
    """A value as a YAML scalar: plain where it reads back as the same text and cannot be
    taken for anything else, else double-quoted (a JSON string is a valid YAML one)."""
    if isinstance(value, Quoted):
        return json.dumps(str(value), ensure_ascii=False)
    if _TIME.match(value):
        return value
    if _PLAIN.match(value) and value == value.strip() and value not in _RESERVED and "  " not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(scalar_text(v) for v in values) + "]"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _unsupported(what: str) -> FamilieplanError:
    return FamilieplanError(N_("{what}: the file is written in a way the record commands do not change; "
                               "edit it by hand"), what=what)


def _unreadable(path: str) -> FamilieplanError:
    return FamilieplanError(N_("{path} does not read as a case file; fix it first (familieplan validate shows where)"),
                            path=path)


@dataclass
class Splice:
    """A file's lines, each with its own line ending (kept as it was: LF, CRLF or none at
    the end of the file), and the BOM if it had one."""

    lines: list[str]
    ends: list[str]
    bom: bool
    path: str

    @classmethod
    def of(cls, data: bytes, path: str) -> Splice:
        bom = data.startswith(b"\xef\xbb\xbf")
        try:
            text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
        except UnicodeDecodeError:
            raise _unreadable(path) from None
        if re.search(r"\r(?!\n)", text):
            raise _unsupported(path)
        raw = text.split("\n")
        lines, ends = [], []
        for index, line in enumerate(raw):
            last = index == len(raw) - 1
            if last and line == "":
                break
            crlf = line.endswith("\r")
            lines.append(line[:-1] if crlf else line)
            ends.append("" if last else ("\r\n" if crlf else "\n"))
        return cls(lines, ends, bom, path)

    @property
    def newline(self) -> str:
        return "\r\n" if self.ends.count("\r\n") > self.ends.count("\n") else "\n"

    def data(self) -> bytes:
        body = "".join(line + end for line, end in zip(self.lines, self.ends, strict=True))
        return (b"\xef\xbb\xbf" if self.bom else b"") + body.encode("utf-8")

    def root(self) -> Mapping:
        text, problems = decode(self.data(), self.path)
        node, more = parse(text or "", self.path)
        if text is None or any(p.level == "error" for p in problems + more) or type(node) is not Mapping:
            raise _unreadable(self.path)
        return node

    def insert(self, after: int, new: list[str]) -> int:
        """Insert `new` lines after the line index `after` (-1: at the top); the 1-based
        number of the first line inserted."""
        if not new:
            return after + 2
        ending = self.newline
        ends = [ending] * len(new)
        if after == len(self.lines) - 1 and after >= 0 and self.ends[after] == "":
            self.ends[after] = ending  # the file had no final line break: the new last line has none
            ends[-1] = ""
        self.lines[after + 1:after + 1] = new
        self.ends[after + 1:after + 1] = ends
        return after + 2

    def block_end(self, start: int, indent: int, dashes: bool = False) -> int:
        """The last line (index) with content of the block that begins on line index `start`:
        the lines after it indented at least `indent` (a mapping's keys and what is under
        them) or, with `dashes`, deeper than `indent` or at it starting a list item (a
        list's items); comments and blank lines do not end it, nor belong to it."""
        last = start
        for index in range(start + 1, len(self.lines)):
            line = self.lines[index]
            if not _content(line):
                continue
            depth = _indent(line)
            item = line.lstrip(" ").startswith("-") and line.strip()[1:2] in ("", " ")
            if depth < indent or (dashes and depth == indent and not item):
                break
            last = index
        return last

    def _char(self, node: Node) -> str:
        line = self.lines[node.line - 1]
        return line[node.col - 1:node.col] if node.col - 1 < len(line) else ""

    # --- the three changes -------------------------------------------------------------

    def append_item(self, root: Mapping, key: str, fields: MappingABC[str, Value]) -> int:
        """Append a mapping to the list under the top-level `key` (the key is added at the
        end of the file where missing); the 1-based line of the new entry."""
        found = root.items.get(key)
        if found is None:
            end = self.block_end(root.line - 1, _indent(self.lines[root.line - 1])) if self.lines else -1
            return self.insert(end, [f"{key}:", *self._item_lines(2, 2, fields)]) + 1
        key_node, value = found
        key_indent = key_node.col - 1
        if type(value) is Sequence and self._char(value) == "-":
            dash = value.col - 1
            first = value.items[0] if value.items else None
            offset = first.col - value.col if type(first) is Mapping and first.line == value.line else 2
            end = self.block_end(value.line - 1, dash, dashes=True)
            return self.insert(end, self._item_lines(dash, offset, fields))
        line = self.lines[key_node.line - 1]
        if (type(value) is Sequence and not value.items and value.line == key_node.line) or (
                type(value) is Scalar and value.is_null and value.line == key_node.line):
            self._clear_value(key_node, value)
            return self.insert(key_node.line - 1, self._item_lines(key_indent + 2, 2, fields))
        raise _unsupported(f"{self.path}:{key_node.line}: {line.strip()}")

    def _clear_value(self, key_node: Scalar, value: Node) -> None:
        """`key: []` or `key: ~` becomes `key:` (a comment after it stays)."""
        index = key_node.line - 1
        line = self.lines[index]
        colon = line.index(":", key_node.col - 1 + len(key_node.value))
        rest = line[colon + 1:]
        comment = rest.find("#")
        written = rest if comment < 0 else rest[:comment]
        if type(value) is Sequence and written.strip() != "[]":
            raise _unsupported(f"{self.path}:{key_node.line}: {line.strip()}")
        token = written.strip()
        at = rest.find(token) if token else len(written.rstrip())
        kept = rest[:at].rstrip(" ") + rest[at + len(token):]
        self.lines[index] = line[:colon + 1] + (kept if comment >= 0 else kept.rstrip())

    def _item_lines(self, dash: int, offset: int, fields: MappingABC[str, Value]) -> list[str]:
        lines = self._mapping_lines(dash + offset, fields)
        lines[0] = " " * dash + "-" + " " * (offset - 1) + lines[0].lstrip(" ")
        return lines

    @staticmethod
    def _mapping_lines(indent: int, fields: MappingABC[str, Value], step: int = 2) -> list[str]:
        lines = []
        for key, value in fields.items():
            if isinstance(value, dict):
                lines.append(" " * indent + f"{key}:")
                lines += Splice._mapping_lines(indent + step, value, step)
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                lines.append(" " * indent + f"{key}:")
                for item in value:
                    inner = Splice._mapping_lines(indent + step + 2, item, step)  # type: ignore[arg-type]
                    inner[0] = " " * (indent + step) + "- " + inner[0].lstrip(" ")
                    lines += inner
            elif isinstance(value, list):
                lines.append(" " * indent + f"{key}: {_flow(value)}")  # type: ignore[arg-type]
            else:
                lines.append(" " * indent + f"{key}: {scalar_text(value)}")
        return lines

    def add_key(self, mapping: Mapping, key: str, value: Value, after: str | None = None) -> int:
        """Add `key: value` to a block mapping: after the key `after` (and its value) when
        the mapping has it, else at its end; the 1-based line of the new key."""
        if self._char(mapping) == "{":
            raise _unsupported(f"{self.path}:{mapping.line}: {self.lines[mapping.line - 1].strip()}")
        indent = mapping.col - 1
        keys = list(mapping.items.values())
        names = list(mapping.items)
        if after in mapping.items and names.index(after) < len(names) - 1:
            following = keys[names.index(after) + 1][0]
            end = following.line - 2
            while end > 0 and not _content(self.lines[end]):
                end -= 1
        else:
            end = self.block_end(mapping.line - 1, indent)
        return self.insert(end, self._mapping_lines(indent, {key: value}))

    def set_scalar(self, node: Node, value: str) -> None:
        """Write `value` where the scalar `node` was written (on one line)."""
        if type(node) is not Scalar:
            raise _unsupported(f"{self.path}:{node.line}")
        index, start = node.line - 1, node.col - 1
        line = self.lines[index]
        end = self._scalar_end(line, start, node)
        self.lines[index] = line[:start] + scalar_text(value) + line[end:]

    def _scalar_end(self, line: str, start: int, node: Scalar) -> int:
        quote = line[start:start + 1]
        if node.plain:
            if line[start:start + len(node.value)] != node.value:
                raise _unsupported(f"{self.path}:{node.line}: {line.strip()}")
            return start + len(node.value)
        at = start + 1
        while at < len(line):
            if quote == '"' and line[at] == "\\":
                at += 2
                continue
            if line[at] == quote:
                if quote == "'" and line[at + 1:at + 2] == "'":
                    at += 2
                    continue
                return at + 1
            at += 1
        raise _unsupported(f"{self.path}:{node.line}: {line.strip()}")

    def verify(self, expected: object) -> None:
        """The changed text must read as `expected` (plain data); else nothing is written."""
        if plain(self.root()) != expected:
            raise _unsupported(self.path)


def items_of(root: Mapping, key: str) -> list[Node]:
    """The entries of the list under the top-level `key` (none when missing or not a list)."""
    found = root.items.get(key)
    return list(found[1].items) if found is not None and type(found[1]) is Sequence else []
