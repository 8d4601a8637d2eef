"""Cut YAML text into blocks by the positions of its nodes: a mapping into one block of
lines per key, a block sequence into one block per entry.

The merge driver works on these blocks so that what it keeps is the users' own text,
comments and layout included, rather than a re-dumped document. A block owns the comment
and blank lines just above it (at or left of its own column), as a reader would group
them; everything else up to the next block belongs to the block.
"""

from __future__ import annotations

from dataclasses import dataclass

from familieplan.format.nodes import Mapping, Node, Sequence


@dataclass
class Block:
    """One key of a mapping or one entry of a sequence, as lines of text.

    `lines` are the block's lines (each ending in a newline), `first` the index in `lines`
    of the key line (for an entry, the line holding its dash): what comes before it is its
    lead of comments and blank lines. `node` is the value (for a key) or the entry, with
    positions in the original file. `inline` is False for an entry whose dash stands on a
    line of its own or whose mapping is written in flow style: it cannot be cut further.
    """

    lines: list[str]
    first: int
    node: Node
    col: int
    start: int
    inline: bool = True


@dataclass
class Cut:
    head: list[str]
    blocks: list[tuple[object, Block]]


def _lead_start(lines: list[str], index: int, floor: int, col: int) -> int:
    """Move up from `index` over blank lines and comments at or left of column `col`."""
    while index > floor:
        text = lines[index - 1]
        stripped = text.lstrip(" ")
        if stripped.strip() and not (stripped.startswith("#") and len(text) - len(stripped) < col):
            break
        index -= 1
    return index


def _char_at(lines: list[str], row: int, col: int) -> str:
    if not 0 <= row < len(lines):
        return ""
    line = lines[row]
    return line[col - 1] if 0 < col <= len(line) else ""


def cut_mapping(lines: list[str], offset: int, mapping: Mapping) -> Cut | None:
    """The blocks of a block mapping whose text is `lines`; `offset` is the 0-based line in
    the file of `lines[0]`. None for a flow mapping or keys not in one column."""
    if _char_at(lines, mapping.line - 1 - offset, mapping.col) == "{":
        return None
    rows: list[tuple[str, int, Node, int]] = []
    for key, (key_node, value) in mapping.items.items():
        row = key_node.line - 1 - offset
        if key_node.col != mapping.col or not 0 <= row < len(lines) or (rows and row <= rows[-1][1]):
            return None
        rows.append((key, row, value, key_node.col))
    return Cut(*_blocks(lines, rows, offset))


def cut_sequence(lines: list[str], offset: int, sequence: Sequence, floor: int) -> Cut | None:
    """The entries of a block sequence in `lines` (entries start at or after `floor`).
    Keys are filled in by the caller; here each entry is keyed by its position."""
    col = sequence.col
    if _char_at(lines, sequence.line - 1 - offset, col) != "-":
        return None
    rows: list[tuple[object, int, Node, int]] = []
    for position, item in enumerate(sequence.items):
        row = item.line - 1 - offset
        dash = row
        while dash >= floor and _char_at(lines, dash, col) != "-":
            dash -= 1
        if dash < floor or (rows and dash <= rows[-1][1]):
            return None
        rows.append((position, dash, item, col))
    head, blocks = _blocks(lines, rows, offset, floor)
    for _, block in blocks:
        block.inline = _entry_is_inline(lines, offset, block.node, col)
    return Cut(head, blocks)


def _entry_is_inline(lines: list[str], offset: int, node: Node, dash_col: int) -> bool:
    row = node.line - 1 - offset
    if _char_at(lines, row, dash_col) != "-":
        return False
    return type(node) is not Mapping or _char_at(lines, row, node.col) != "{"


def _blocks(lines: list[str], rows: list, offset: int,
            floor: int = 0) -> tuple[list[str], list[tuple[object, Block]]]:
    starts = []
    previous = floor
    for index, (_, row, _, col) in enumerate(rows):
        starts.append(_lead_start(lines, row, previous if index else floor, col))
        previous = row + 1
    head = lines[floor:starts[0]] if rows else lines[floor:]
    blocks = []
    for index, (key, row, node, col) in enumerate(rows):
        end = starts[index + 1] if index + 1 < len(rows) else len(lines)
        blocks.append((key, Block(lines[starts[index]:end], row - starts[index], node, col, offset + starts[index])))
    return head, blocks


def shift(lines: list[str], delta: int) -> list[str]:
    """Indent lines by `delta` columns (negative: remove up to that many leading spaces)."""
    if delta == 0:
        return list(lines)
    if delta > 0:
        pad = " " * delta
        return [pad + line if line.strip() else line for line in lines]
    out = []
    for line in lines:
        spaces = len(line) - len(line.lstrip(" "))
        out.append(line[min(spaces, -delta):])
    return out


def split_lines(text: str) -> list[str]:
    """Lines with their newlines; the last one gets a newline if it lacks one."""
    if not text:
        return []
    lines = [line + "\n" for line in text.split("\n")]
    if text.endswith("\n"):
        lines.pop()
    return lines
