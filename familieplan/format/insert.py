"""Two small changes to a YAML file's text that leave every other byte as it was: a new
entry at the end of a top-level block list (`approve`: `approvals:`), and a new top-level
key after another (`invite`: `uid:` after `date:`).

The places come from the loader's own nodes; the result is parsed again and must read
as the old data plus the change (`plain`), else nothing is returned. A layout this module
does not understand (a flow list, a top-level flow mapping, CR line ends) is refused with
one line: the caseworker edits by hand. The record commands' engine (FORMAT's "the way
the record commands write") does the same for every record command; these two callers
can move to it.
"""

from __future__ import annotations

import re

from familieplan.format.nodes import Mapping, Scalar, Sequence, parse, plain
from familieplan.problems import N_, FamilieplanError

_CONTENT = re.compile(r"^[ \t]*[^ \t#\r\n]")
_EMPTY = re.compile(r"^(?P<key>[ ]*[^ #:][^:#]*:)[ \t]*(?:\[\]|~|null)?[ \t]*(?P<comment>#.*)?$")


def _refuse(path: str) -> FamilieplanError:
    return FamilieplanError(N_("{path}: the file is written in a way the tool does not change; edit it by hand"),
                            path=path)


def _root(text: str, path: str) -> Mapping:
    if "\r" in text.replace("\r\n", ""):
        raise _refuse(path)
    node, problems = parse(text, path)
    if problems or type(node) is not Mapping:
        raise _refuse(path)
    line = text.splitlines()[node.line - 1] if text.splitlines() else ""
    if line[node.col - 1:node.col] == "{":
        raise _refuse(path)
    return node


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _last_content(lines: list[str], before: int) -> int:
    """The index of the last line with content before line index `before`."""
    index = before - 1
    while index >= 0 and not _CONTENT.match(lines[index]):
        index -= 1
    return index


def _splice(text: str, after: int, new: list[str]) -> str:
    """`new` lines inserted after line index `after`, in the file's line ending."""
    end = _newline(text)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n") and after >= len(lines) - 1:
        lines[-1] += end
    block = "".join(line + end for line in new)
    return "".join(lines[:after + 1]) + block + "".join(lines[after + 1:])


def _next_key_line(root: Mapping, line: int) -> int | None:
    """The line of the first top-level key after `line` (None: it is the last)."""
    later = [key.line for key, _ in root.items.values() if key.line > line]
    return min(later) if later else None


def append_entry(text: str, path: str, key: str, entry: list[str]) -> str:
    """`text` with a new last entry of the top-level block list `key` (`entry`: its lines,
    the first starting with `- `, written at two spaces). The key is added at the end
    where missing, or filled where it is empty."""
    root = _root(text, path)
    lines = text.splitlines()
    found = root.items.get(key)
    if found is None:
        new = _splice(text, _last_content(lines, len(lines)), [f"{key}:", *("  " + x for x in entry)])
    elif type(found[1]) is Sequence and found[1].items and _starts_with_dash(lines, found[1]):
        new = _after_last_item(text, lines, root, found[0], found[1], entry)
    elif (type(found[1]) is Scalar and found[1].is_null) or (type(found[1]) is Sequence and not found[1].items):
        new = _fill_empty(text, lines, path, key, found[0], entry)
    else:
        raise _refuse(path)
    return _checked(new, path, key, plain(root))


def _starts_with_dash(lines: list[str], value: Sequence) -> bool:
    return lines[value.line - 1][value.col - 1:value.col] == "-"


def _after_last_item(text: str, lines: list[str], root: Mapping, key_node: Scalar, value: Sequence,
                     entry: list[str]) -> str:
    """The entry after the list's last item, at its items' indentation."""
    following = _next_key_line(root, key_node.line)
    after = _last_content(lines, (following - 1) if following else len(lines))
    return _splice(text, after, [" " * (value.col - 1) + x for x in entry])


def _fill_empty(text: str, lines: list[str], path: str, key: str, key_node: Scalar, entry: list[str]) -> str:
    """`key: []` (or `key:`, `key: ~`) becomes `key:` with the entry under it; a comment stays."""
    empty = _EMPTY.match(lines[key_node.line - 1])
    if empty is None or empty["key"].strip() != f"{key}:":
        raise _refuse(path)
    head = empty["key"] + (" " + empty["comment"] if empty["comment"] else "")
    return _splice(_replace_line(text, key_node.line - 1, head), key_node.line - 1,
                   [" " * (key_node.col + 1) + x for x in entry])


def _replace_line(text: str, index: int, line: str) -> str:
    lines = text.splitlines(keepends=True)
    ending = lines[index][len(lines[index].rstrip("\r\n")):]
    lines[index] = line + ending
    return "".join(lines)


def _checked(new: str, path: str, key: str, old: object) -> str:
    """The new text must read as the old data with one more entry under `key`."""
    root = _root(new, path)
    data, before = plain(root), dict(old)  # type: ignore[call-overload]
    assert isinstance(data, dict)
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise _refuse(path)
    earlier = before.get(key) or []
    if {**data, key: items[:-1]} != {**before, key: list(earlier)}:
        raise _refuse(path)
    return new


def add_key_after(text: str, path: str, after: str, line: str) -> str:
    """`text` with the top-level `line` (`key: value`) inserted after the key `after` and
    its value (at the end when `after` is missing)."""
    root = _root(text, path)
    lines = text.splitlines()
    if root.col != 1:
        raise _refuse(path)
    found = root.items.get(after)
    following = _next_key_line(root, found[0].line) if found else None
    index = _last_content(lines, (following - 1) if following else len(lines))
    new = _splice(text, index, [line])
    key = line.split(":", 1)[0]
    data = plain(_root(new, path))
    old = plain(root)
    assert isinstance(data, dict) and isinstance(old, dict)
    if key in old or {k: v for k, v in data.items() if k != key} != old:
        raise _refuse(path)
    return new
