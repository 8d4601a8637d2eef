"""`merge-file`: a git merge driver that merges case files by key instead of by line.

Two caseworkers who each append an agreement at the end of `agreements.yaml` make git's
line merge report a conflict (both inserted at the same place). Here each version is cut
into text blocks by the positions of its YAML nodes (`familieplan.format.blocks`): one
block per top-level key, one per list entry, one per field of an entry. Entries are
matched by `id`, or by the keys FORMAT.md gives for entries without one, and merged by
the rules of issue 11:

- an entry added on one side is kept; the same key added on both sides is one entry when
  the contents agree and a conflict when they differ;
- an entry deleted on one side and untouched on the other is deleted; deleted on one side
  and edited on the other is a conflict;
- edits to different fields of an entry combine; both sides changing the same field
  differently is a conflict, with git's markers around that entry only;
- `disclosures.yaml` is append-only: its entries merge as the union.

What is kept is the users' own text (comments and layout), taken from whichever side the
rule picks. A file that is not a case file, or that does not parse, is merged as plain
text by `git merge-file`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from familieplan.format import nodes
from familieplan.format.blocks import (
    Block,
    Cut,
    cut_mapping,
    cut_sequence,
    shift,
    split_lines,
)
from familieplan.workspace import git

CASE_FILE = re.compile(r"(?:^|/)cases/[^/]+/(?:(?:case|plan|agreements|attendance|measurements|disclosures)"
                       r"|meetings/[^/]+)\.yaml\Z")

# FORMAT.md, "Keys of entries without an id".
FIELD_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "questions": (("asked",), ("by",), ("about",)),
    "attendance": (("date",), ("person",), ("intervention", "meeting"), ("from",)),
    "measurements": (("goal",), ("date",)),
    "disclosures": (("at",), ("recipient",), ("document",), ("source",)),
    "requests": (("kind",), ("by",), ("received",)),
}
APPEND_ONLY = frozenset({"disclosures"})
LABELS = ("ours", "theirs")

_MISSING = object()


@dataclass(frozen=True)
class MergeResult:
    """The merged text, the number of conflicts left in it, and whether it was merged by
    key (False: plain text merge, because the file is not a case file or does not parse)."""

    text: str
    conflicts: int
    by_key: bool


class _Conflict(Exception):
    """Inside an entry a conflict is not marked in place: the whole entry is."""


def is_case_file(path: str) -> bool:
    return CASE_FILE.search(path.replace("\\", "/")) is not None


def merge_texts(base: str, ours: str, theirs: str, path: str, labels: tuple[str, str] = LABELS) -> MergeResult:
    """Merge three versions of the file at `path` (base may be empty: added on both sides)."""
    if is_case_file(path):
        merged = _merge_by_key(base, ours, theirs, labels)
        if merged is not None:
            return merged
    text, conflicts = git.merge_text(base, ours, theirs, labels)
    return MergeResult(text, conflicts, False)


def merge_file(base: Path, ours: Path, theirs: Path, path: str) -> MergeResult:
    """The merge driver (`%O %A %B %P`): merge and write the result into `ours`."""
    raw = [_read(p) for p in (base, ours, theirs)]
    texts = [nodes.decode(data, str(p))[0] if data is not None else None for data, p in zip(raw, (base, ours, theirs), strict=True)]
    if is_case_file(path) and texts[0] is not None and texts[1] is not None and texts[2] is not None:
        merged = _merge_by_key(texts[0], texts[1], texts[2], LABELS)
        if merged is not None:
            ours.write_bytes(_as_written(merged.text, raw[1] or b""))
            return merged
    conflicts = git.merge_files(base, ours, theirs, LABELS)
    return MergeResult(ours.read_text(encoding="utf-8", errors="replace"), conflicts, False)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _as_written(text: str, like: bytes) -> bytes:
    """The merged text with ours' byte-order mark and line ends."""
    if b"\r\n" in like:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if like.startswith(b"\xef\xbb\xbf") else data


def _parse(text: str) -> tuple[list[str], Cut] | None:
    """A version cut into top-level blocks; an empty text is an empty mapping."""
    lines = split_lines(text)
    root, problems = nodes.parse(text, "merge")
    if root is None:
        only_empty = all(p.code == "empty-file" for p in problems)
        return (lines, Cut(lines, [])) if only_empty else None
    if problems or type(root) is not nodes.Mapping:
        return None
    cut = cut_mapping(lines, 0, root)
    return None if cut is None else (lines, cut)


def _merge_by_key(base: str, ours: str, theirs: str, labels: tuple[str, str]) -> MergeResult | None:
    try:
        return _merge_versions(base, ours, theirs, labels)
    except RecursionError:
        return None  # a pathological file: git's plain merge is the safe answer


def _merge_versions(base: str, ours: str, theirs: str, labels: tuple[str, str]) -> MergeResult | None:
    versions = [_parse(t) for t in (base, ours, theirs)]
    if versions[0] is None or versions[1] is None or versions[2] is None:
        return None
    merger = _Merger(labels)
    lines = list(versions[1][1].head) + merger.fields(versions[0][1], versions[1][1], versions[2][1], 0, strict=False)
    text = "".join(lines)
    if not merger.conflicts and nodes.parse(text, "merge")[0] is None and text.strip():
        return None  # never hand back a clean result that does not parse
    return MergeResult(text, merger.conflicts, True)


def _order(ours: Cut, theirs: Cut) -> list[object]:
    """Ours' order; what only theirs has goes after its predecessor in theirs."""
    order = [key for key, _ in ours.blocks]
    known = set(order)
    in_theirs = {key for key, _ in theirs.blocks}
    after: object = _MISSING
    for key, _ in theirs.blocks:
        if key not in known:
            index = order.index(after) + 1 if after is not _MISSING else 0
            while index < len(order) and order[index] not in in_theirs:
                index += 1  # after what only ours added there
            order.insert(index, key)
            known.add(key)
        after = key
    return order


def _value(block: Block | None) -> object:
    return _MISSING if block is None else nodes.plain(block.node)


class _Merger:
    def __init__(self, labels: tuple[str, str]) -> None:
        self.labels = labels
        self.conflicts = 0

    def conflict(self, ours: list[str], theirs: list[str]) -> list[str]:
        self.conflicts += 1
        return [f"<<<<<<< {self.labels[0]}\n", *ours, "=======\n", *theirs, f">>>>>>> {self.labels[1]}\n"]

    def fields(self, base: Cut | None, ours: Cut, theirs: Cut, delta: int, strict: bool) -> list[str]:
        """Merge the keys of a mapping; `delta` indents theirs' text to ours' column."""
        b = dict(base.blocks) if base else {}
        o, t = dict(ours.blocks), dict(theirs.blocks)
        out: list[str] = []
        for key in _order(ours, theirs):
            out += self.three_way(str(key), b.get(key), o.get(key), t.get(key), delta, strict, self.deeper_field)
        return out

    def three_way(self, name: str, b: Block | None, o: Block | None, t: Block | None, delta: int,
                  strict: bool, deeper, append_only: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
        """The rules for one key or entry present in some of the three versions."""
        if o is None and t is None:
            return []
        theirs = shift(t.lines, delta) if t is not None else []
        if o is None or t is None:
            return self.one_side(b, o, t, theirs, strict, append_only)
        return self.both_sides(name, b, o, t, theirs, strict, deeper)

    def one_side(self, b: Block | None, o: Block | None, t: Block | None, theirs: list[str], strict: bool,
                 append_only: bool) -> list[str]:
        """A key or entry only one side has: added there (or kept: append-only), deleted
        on the other side, or deleted there and edited here (a conflict)."""
        present, value = (o.lines, _value(o)) if o is not None else (theirs, _value(t))
        if b is None or append_only:
            return present  # added on one side (or kept: append-only)
        if value == _value(b):
            return []  # deleted on one side, untouched on the other
        return self.mark(o.lines if o is not None else [], theirs, strict)

    def both_sides(self, name: str, b: Block | None, o: Block, t: Block, theirs: list[str], strict: bool,
                   deeper) -> list[str]:  # type: ignore[no-untyped-def]
        """A key or entry both sides have: the side that changed it wins; both changed
        it alike, or merged inside it (`deeper`), or a conflict."""
        if b is not None and t.lines == b.lines:
            return o.lines
        if b is not None and o.lines == b.lines:
            return theirs
        bv, ov, tv = _value(b), _value(o), _value(t)
        if ov == tv and ov != bv:
            return o.lines
        merged = deeper(name, b, o, t, strict)
        if merged is not None:
            return merged
        if b is not None and (ov == bv or tv == bv):
            # One side changed only comments or layout: the other side's change wins.
            return theirs if ov == bv and tv != bv else o.lines
        return self.mark(o.lines, theirs, strict)

    def mark(self, ours: list[str], theirs: list[str], strict: bool) -> list[str]:
        if strict:
            raise _Conflict
        return self.conflict(ours, theirs)

    def deeper_field(self, name: str, b: Block | None, o: Block, t: Block, strict: bool) -> list[str] | None:
        """Both sides changed a key's value: merge inside it where it is a mapping or a
        keyed list (inside an entry, lists stay whole: a changed field is a changed field)."""
        nodes_ = [x.node for x in (b, o, t) if x is not None]
        if all(type(n) is nodes.Mapping for n in nodes_):
            cuts = [_value_cut(x) if x is not None else None for x in (b, o, t)]
            if (b is not None and cuts[0] is None) or cuts[1] is None or cuts[2] is None:
                return None
            inner = self.fields(cuts[0], cuts[1], cuts[2], o.node.col - t.node.col, strict)  # type: ignore[arg-type]
            return o.lines[:o.first + 1] + inner
        if strict:
            return None
        return self.entries(name, b, o, t)

    def entries(self, name: str, b: Block | None, o: Block, t: Block) -> list[str] | None:
        lists = [_keyed(name, x) if x is not None else ({}, None) for x in (b, o, t)]
        if any(x is None for x in lists):
            return None
        (b_entries, _), (o_entries, o_cut), (t_entries, t_cut) = lists  # type: ignore[misc]
        key_line = o.lines[o.first]
        key_only = key_line[:key_line.index(":", o.col - 1) + 1]
        if o_cut is not None and o_cut.blocks:
            header = o.lines[:o.first + 1] + o_cut.head
            delta = o_cut.blocks[0][1].col - (t_cut.blocks[0][1].col if t_cut and t_cut.blocks else 0)
        else:
            header = o.lines[:o.first] + [key_only + "\n"]
            delta = o.col - t.col
        order = _order(Cut([], list(o_entries.items())), Cut([], list(t_entries.items())))
        out: list[str] = []
        for key in order:
            out += self.three_way(name, b_entries.get(key), o_entries.get(key), t_entries.get(key), delta,
                                  False, self.deeper_entry, name in APPEND_ONLY)
        if not out:
            return o.lines[:o.first] + [key_only + " []\n"]
        return header + out

    def deeper_entry(self, name: str, b: Block | None, o: Block, t: Block, strict: bool) -> list[str] | None:
        """Both sides changed one entry: combine edits to different fields."""
        if b is None or not all(x.inline and type(x.node) is nodes.Mapping for x in (b, o, t)):
            return None
        cuts = [_entry_cut(x) for x in (b, o, t)]
        if any(c is None for c in cuts):
            return None
        try:
            body = self.fields(cuts[0], cuts[1], cuts[2], o.node.col - t.node.col, True)  # type: ignore[arg-type]
        except _Conflict:
            return None
        return o.lines[:o.first] + _with_dash(body, o.col)


def _value_cut(block: Block) -> Cut | None:
    """The inner blocks of a key's value, when it is a block mapping."""
    node = block.node
    if type(node) is not nodes.Mapping:
        return None
    region = block.lines[block.first + 1:]
    return cut_mapping(region, block.start + block.first + 1, node)  # type: ignore[arg-type]


def _entry_cut(block: Block) -> Cut | None:
    """An entry's fields: its text with the dash made a space, cut as a mapping."""
    body = block.lines[block.first:]
    line = body[0]
    body = [line[:block.col - 1] + " " + line[block.col:], *body[1:]]
    return cut_mapping(body, block.start + block.first, block.node)  # type: ignore[arg-type]


def _with_dash(body: list[str], dash_col: int) -> list[str]:
    for index, line in enumerate(body):
        stripped = line.lstrip(" ")
        if stripped.strip() and not stripped.startswith("#"):
            if len(line) - len(stripped) > dash_col:
                body = list(body)
                body[index] = line[:dash_col - 1] + "-" + line[dash_col:]
                return body
            break
    return [" " * (dash_col - 1) + "- {}\n"] if not body else body


def entry_key(list_name: str, node: nodes.Node) -> object:
    """What identifies an entry: its `id` (or the id a plain string entry is), else the
    keys FORMAT.md gives for the list; None when the entry has neither."""
    if type(node) is nodes.Scalar:
        return ("id", node.value)
    if type(node) is not nodes.Mapping:
        return None
    found = node.items.get("id")
    if found is not None and type(found[1]) is nodes.Scalar:
        return ("id", found[1].value)
    fields = FIELD_KEYS.get(list_name)
    if fields is None:
        return None
    key = []
    for names in fields:
        values = [(name, nodes.plain(node.items[name][1])) for name in names if name in node.items]
        key.append(tuple(values))
    return (list_name, *key)


def _keyed(name: str, block: Block) -> tuple[dict[object, Block], Cut | None] | None:
    """The entries of a list value by key; None when the value is not a list of keyed
    entries (an empty or null value is an empty list)."""
    node = block.node
    if nodes.plain(node) in ([], None):
        return {}, None
    if type(node) is not nodes.Sequence:
        return None
    region = block.lines[block.first + 1:]
    cut = cut_sequence(region, block.start + block.first + 1, node, 0)
    if cut is None:
        return None
    entries: dict[object, Block] = {}
    for _, entry in cut.blocks:
        key = entry_key(name, entry.node)
        if key is None or key in entries:
            return None
        entries[key] = entry
    return entries, cut
