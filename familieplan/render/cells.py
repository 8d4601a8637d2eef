"""Text in terminal cells, measured and wrapped exactly as rich measures and wraps a
markup-free `Text` (rich's `Text.__rich_measure__`, `Text.wrap`, `_wrap.divide_line`),
without rich's Text, Segment and Console objects: what `render/table.py` and the line
reports need to write rich's bytes at a fraction of its cost.

Widths: a text made only of characters rich counts as one cell each (Latin with æøå,
Greek, Cyrillic, box drawing: rich's `_SINGLE_CELL_UNICODE_RANGES`, the en dash, and any
character rich's tables give one cell, learned on first sight) is measured here as its
length; any other text (wide CJK, combining marks, control codes, emoji, joiners) is
measured by `rich.cells` itself, imported only then, so that the widths are always rich's
own (its Unicode tables, the `UNICODE_VERSION` it reads)."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

# rich's ranges of characters that are one cell wide (rich/cells.py), and the en dash the
# reports write themselves (one cell in every Unicode version rich knows: tested).
_ONE_CELL_RANGES = ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2500, 0x25FC), (0x2800, 0x28FF))
_ONE_CELL = {chr(code) for start, end in _ONE_CELL_RANGES for code in range(start, end + 1)} | {"\u2013"}
# Characters rich measures otherwise: control codes (no cell, by rich's own rule), and
# those found in its tables (or joining others: zero width joiner, variation selector).
_OTHER = {chr(code) for code in (*range(1, 0x20), *range(0x7F, 0xA0))}
# Never one cell each, whatever the tables say: the joiners (rich measures them with the
# characters around them) and the line and paragraph separators (`str.splitlines` breaks there).
_NEVER = frozenset("\u200d\ufe0f\u2028\u2029")


def one_cell_each(text: str) -> bool:
    """True when rich measures every character of `text` as one cell, so that its width
    is its length and it folds where its length does (characters not met before are
    looked up in rich's tables once)."""
    return _ONE_CELL.issuperset(text) or _learn(text)


def _learn(text: str) -> bool:
    for character in set(text) - _ONE_CELL - _OTHER:
        if character not in _NEVER and _cells().get_character_cell_size(character) == 1:
            _ONE_CELL.add(character)
        else:
            _OTHER.add(character)
    return _ONE_CELL.issuperset(text)


# What rich's Text strips from every text it is given: bell, backspace, vertical tab,
# form feed, carriage return (rich/control.py).
_STRIP = {7: None, 8: None, 11: None, 12: None, 13: None}
_WORD = re.compile(r"\s*\S+\s*")
_WORD_AND_SPACE = re.compile(r"(\s*\S+)\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
_SPACE = re.compile(r"\s")

_rich_cells: Any = None


def _cells() -> Any:
    global _rich_cells
    if _rich_cells is None:
        import rich.cells

        _rich_cells = rich.cells
    return _rich_cells


def strip_controls(text: str) -> str:
    """`text` without the control codes rich's Text drops."""
    return text if text.isprintable() else text.translate(_STRIP)


def cell_len(text: str) -> int:
    """Cells `text` takes in a terminal (rich's `cell_len`)."""
    if one_cell_each(text):
        return len(text)
    return int(_cells().cell_len(text))


def chop_cells(text: str, width: int) -> list[str]:
    """`text` in pieces of at most `width` cells (rich's `chop_cells`)."""
    if one_cell_each(text):
        return [text[index:index + width] for index in range(0, len(text), width)]
    return list(_cells().chop_cells(text, width))


def set_cell_size(text: str, total: int) -> str:
    """`text` cropped or padded with spaces to exactly `total` cells (rich's `set_cell_size`)."""
    if one_cell_each(text):
        size = len(text)
        return text + " " * (total - size) if size < total else text[:total]
    return str(_cells().set_cell_size(text, total))


def measure(text: str) -> tuple[int, int]:
    """(minimum, maximum) width of a text: its widest word and its widest line (rich's
    `Text.__rich_measure__`, on text whose control codes are stripped)."""
    if one_cell_each(text):  # no line breaks, no tabs: one line
        words = text.split()
        return (max(map(len, words)) if words else len(text)), len(text)
    if "\n" in text and one_cell_each(text.replace("\n", "")):  # lines of one-cell characters
        widest = max(map(len, text.split("\n")))
        words = text.split()
        return (max(map(len, words)) if words else widest), widest
    lines = text.splitlines()
    widest = max(map(cell_len, lines)) if lines else 0
    words = text.split()
    return (max(map(cell_len, words)) if words else widest), widest


def divide_line(text: str, width: int) -> list[int]:
    """Where a line breaks to fit `width` cells, words longer than a line folded (rich's
    `_wrap.divide_line` with `fold=True`)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start = match.start()
        word = match.group(0)
        word_length = cell_len(word.rstrip())
        if width - offset >= word_length:
            offset += cell_len(word)
        elif word_length > width:
            pieces = chop_cells(word, width)
            for index, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if index == len(pieces) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def expand_tabs(line: str, tab_size: int = 8) -> str:
    """A line's tabs as spaces up to the next tab stop (rich's `Text.expand_tabs`)."""
    parts = []
    position = 0
    for part in line.split("\t")[:-1]:
        part += " "
        position += cell_len(part)
        remainder = position % tab_size
        if remainder:
            part += " " * (tab_size - remainder)
            position += tab_size - remainder
        parts.append(part)
    return "".join(parts) + line.rsplit("\t", 1)[1]


def _rstrip_end(piece: str, size: int) -> str:
    # rich's Text.rstrip_end: counts characters, not cells.
    excess = len(piece) - size
    if excess > 0:
        found = _TRAILING_SPACE.search(piece)
        if found is not None:
            amount = min(len(found.group(0)), excess)
            if amount < len(piece):
                return piece[:-amount]
    return piece


def _divide_one_cell_each(line: str, width: int) -> list[int]:
    # divide_line where every character is one cell: lengths instead of measurements
    breaks: list[int] = []
    offset = 0
    for match in _WORD_AND_SPACE.finditer(line):
        start, end = match.span()
        word_length = match.end(1) - start
        if width - offset >= word_length:
            offset += end - start
        elif word_length > width:
            last = start + (end - start - 1) // width * width  # where the last folded piece starts
            breaks += range(start or width, last + 1, width)  # every piece's start but 0
            offset = end - last
        elif offset and start:
            breaks.append(start)
            offset = end - start
    return breaks


def one_cell_pieces(line: str, width: int) -> list[str]:
    """`wrap_pieces` of a line longer than `width` whose every character is one cell."""
    if _SPACE.search(line) is None:  # one word: folded
        return [line[start:start + width] for start in range(0, len(line), width)]
    bounds = [0, *_divide_one_cell_each(line, width), len(line)]
    return [_rstrip_end(line[start:end], width) for start, end in pairwise(bounds)]


def wrap_pieces(line: str, width: int) -> list[str]:
    """One line (no line break; control codes stripped) in the pieces rich's `Text.wrap`
    makes of it at `width` cells, before they are justified."""
    if "\t" in line:
        line = expand_tabs(line)
    if one_cell_each(line):
        # Within the width every word fits: no break, nothing beyond the width to strip.
        return [line] if len(line) <= width else one_cell_pieces(line, width)
    bounds = [0, *divide_line(line, width), len(line)]
    return [_rstrip_end(line[start:end], width) for start, end in pairwise(bounds)]


def _crop(piece: str, width: int) -> str:
    return set_cell_size(piece, width) if cell_len(piece) > width else piece


# A justified line: (spaces before, the text, spaces after); the text carries the line's
# style, the spaces around it do not (as rich's padding is outside the text's spans).
Justified = tuple[int, str, int]


def justify(piece: str, width: int, how: str) -> Justified:
    """One wrapped piece justified as rich's `Lines.justify` and `Text.truncate` do:
    'left', 'right' and 'center' fill the width, 'default' leaves the piece as it is
    (cropped to the width, as every justification)."""
    if how == "left":
        length = cell_len(piece)
        if length > width:
            return 0, set_cell_size(piece, width), 0
        return 0, piece, width - length
    if how == "right":
        piece = _crop(piece.rstrip(), width)
        return width - cell_len(piece), piece, 0
    if how == "center":
        piece = _crop(piece.rstrip(), width)
        length = cell_len(piece)
        before = (width - length) // 2
        return before, piece, width - length - before
    return 0, _crop(piece, width), 0


def wrap(text: str, width: int, how: str) -> list[Justified]:
    """A text (control codes stripped) wrapped to `width` cells and justified, every
    line as rich's `Text.wrap(width, justify=how, overflow="fold")` makes it."""
    return [justify(piece, width, how) for line in text.split("\n") for piece in wrap_pieces(line, width)]
