"""A table in the terminal, byte for byte as rich prints a `Table(title=…)` with the
default box (HEAVY_HEAD), padding (0, 1), `expand=False` and columns of `overflow="fold"`,
but written directly: rich builds a Text, a Padding and their Segments for every cell
(about 1.2 ms a row of `status`), this module joins strings (a few µs a row).

The layout is rich's `Table._calculate_column_widths`: each column as wide as its widest
cell line (header included, plus the padding); when that is wider than the screen, the
widest columns give way first (`_collapse_widths`), then all evenly (`ratio_reduce`).
Cells are wrapped and justified by `render/cells.py` (rich's `Text.wrap`).

A cell is its text (plain), or a tuple of runs `(text, style)`: each run's text starts
on a new line of the cell and is written in its style (None: plain). Control codes must
be stripped (`cells.strip_controls`), and a styled run must not hold a tab (rich splits
the style at tab stops, which this module does not reproduce)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from familieplan.render import cells
from familieplan.render.screen import Screen

Runs = tuple[tuple[str, "str | None"], ...]
Cell = str | Runs

_EDGES = 2  # the left and right border
_PADDING = 2  # one space each side of a cell


@dataclass(frozen=True)
class Column:
    header: str
    justify: str = "left"  # left | right


def _runs(cell: Cell) -> Runs:
    return ((cell, None),) if isinstance(cell, str) else cell


def measure_cell(cell: Cell) -> tuple[int, int]:
    """(minimum, maximum) of a cell's text as rich's Text measures it; the minimum never
    above the maximum (rich's `Measurement.normalize`)."""
    low, high = cells.measure(cell if isinstance(cell, str) else "\n".join(text for text, _ in cell))
    return min(low, high), high


def column_ranges(header: str, column: Iterable[Cell]) -> tuple[int, int]:
    """A column's widest minimum and maximum over its header and cells."""
    measured = dict.fromkeys(column)  # each different cell once
    lows, highs = zip(measure_cell(header), *map(measure_cell, measured), strict=True)
    return max(lows), max(highs)


def _column_range(low: int, high: int, max_width: int) -> tuple[int, int]:
    """A column's measurement from its cells' widest minimum and maximum (rich's
    `_measure_column` over `Padding` over `Text`: every step is monotonic, so the widest
    of the cells' measurements is the measurement of the widest)."""
    if max_width < 1:
        return 0, 0
    if max_width - _PADDING < 1:
        return max_width, max_width
    if min(high, max_width) < 1:
        low = high = 0
    return min(low + _PADDING, max_width), min(high + _PADDING, max_width)


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    # rich's _ratio.ratio_reduce
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(most, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapse(widths: list[int], max_width: int) -> list[int]:
    # rich's Table._collapse_widths, every column wrappable
    total = sum(widths)
    excess = total - max_width
    while total and excess > 0:
        widest = max(widths)
        second = max(width if width != widest else 0 for width in widths)
        difference = widest - second
        ratios = [1 if width == widest else 0 for width in widths]
        if not any(ratios) or not difference:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
        total = sum(widths)
        excess = total - max_width
    return widths


def column_widths(ranges: Sequence[tuple[int, int]], max_width: int) -> list[int]:
    """The widths of the columns (padding included, borders not) from each column's
    widest cell minimum and maximum: rich's `Table._calculate_column_widths`."""
    max_width = max(0, max_width)
    widths = [_column_range(low, high, max_width)[1] or 1 for low, high in ranges]
    if sum(widths) > max_width:
        widths = _collapse(widths, max_width)
        if sum(widths) > max_width:
            widths = _ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
        widths = [_column_range(low, high, max(0, width))[1] for (low, high), width in zip(ranges, widths, strict=True)]
    return widths


class _Cells:
    """The cells of one table written at their columns' widths, each line with its padding."""

    def __init__(self, screen: Screen, columns: Sequence[Column], widths: Sequence[int]) -> None:
        self.screen = screen
        self.layout = [(width - _PADDING, column.justify) for column, width in zip(columns, widths, strict=True)]

    def lines(self, index: int, cell: Cell) -> list[str]:
        inner, justify = self.layout[index]
        if inner < 1:
            return []  # rich renders nothing in less than one cell
        lines: list[str] = []
        for text, style in _runs(cell):
            code = self.screen.codes[style] if style else ""
            for line in text.split("\n") if "\n" in text else (text,):
                if "\t" in line or not cells.one_cell_each(line):
                    lines += [_measured_line(before, piece, after, style and code, inner)
                              for before, piece, after in cells.wrap(line, inner, justify)]
                    continue
                # Every character one cell: a piece's length is its width, at most `inner`.
                pieces = [line] if len(line) <= inner else cells.one_cell_pieces(line, inner)
                if justify == "right":
                    pieces = [piece.rstrip() for piece in pieces]
                    lines += ([_line(inner - len(piece), piece, 0, code) for piece in pieces] if code
                              else [f" {piece:>{inner}} " for piece in pieces])
                else:
                    lines += ([_line(0, piece, inner - len(piece), code) for piece in pieces] if code
                              else [f" {piece:<{inner}} " for piece in pieces])
        return lines

    def header(self, index: int, text: str) -> list[str]:
        inner, justify = self.layout[index]
        if inner < 1:
            return []
        bold = self.screen.codes["bold"]
        # The header style covers the whole cell, a segment at a time.
        return [_painted(" ", bold) + _fitted([(" " * before + piece + " " * after, bold)], inner, bold) + _painted(" ", bold)
                for before, piece, after in cells.wrap(text, inner, justify)]


def _painted(text: str, code: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if code and text else text


def _line(before: int, piece: str, after: int, code: str) -> str:
    if code and piece:
        piece = f"\x1b[{code}m{piece}\x1b[0m"
    return f" {' ' * before}{piece}{' ' * after} "


def _fitted(segments: list[tuple[str, str]], length: int, pad_code: str = "") -> str:
    """Segments (text, code) of a line fitted to `length` cells as rich's
    `Segment.adjust_line_length` fits them, and painted. Each segment is measured on its
    own, and rich's widths do not always add up (a zero width joiner takes the character
    after it along, a space of the padding too): rich then pads such a line once more."""
    total = sum(cells.cell_len(text) for text, _ in segments)
    if total < length:
        segments = [*segments, (" " * (length - total), pad_code)]
    elif total > length:
        kept, used = [], 0
        for text, code in segments:
            size = cells.cell_len(text)
            if used + size < length:
                kept.append((text, code))
                used += size
            else:
                kept.append((cells.set_cell_size(text, length - used), code))
                break
        segments = kept
    return "".join(_painted(text, code) for text, code in segments)


def _measured_line(before: int, piece: str, after: int, code: str | None, inner: int) -> str:
    """A body line of text rich measures in its own way, as the segments rich makes of it:
    a styled piece (`code` not None, even when the style shows nothing) apart from the
    spaces around it, an unstyled line in one."""
    if code is not None and piece:
        return f" {_fitted([(' ' * before, ''), (piece, code), (' ' * after, '')], inner)} "
    return f" {_fitted([(' ' * before + piece + ' ' * after, '')], inner)} "


def _header(rendered: list[list[str]], blank: Sequence[str], empty: str) -> list[str]:
    """The header's lines from its cells' lines (each with the border on its left, the
    last also with the one on its right), the shorter cells filled up with blank lines
    above them: a header sits on the rule below it."""
    height = max(map(len, rendered))
    if height == 0:  # nothing fits anywhere: one unstyled empty line (rich's `Segment.set_shape`)
        return [empty]
    filled = [[blank[index]] * (height - len(lines)) + lines for index, lines in enumerate(rendered)]
    return list(map("".join, zip(*filled, strict=True)))


def _bordered(lines: list[str], vertical: str, last: bool) -> list[str]:
    return [f"{vertical}{line}{vertical}" for line in lines] if last else [vertical + line for line in lines]


def _body(written: _Cells, rows: Sequence[Sequence[Cell]], widths: Sequence[int]) -> list[str]:
    """The lines of the rows (the caseload: each step here runs thousands of times)."""
    last = len(widths) - 1
    blank = [_bordered([" " * width], "│", index == last)[0] for index, width in enumerate(widths)]
    empty = "".join(blank)
    # Each different cell (a count, a name) written once.
    known = [{cell: _bordered(written.lines(index, cell), "│", index == last)
              for cell in dict.fromkeys(row[index] for row in rows)} for index in range(len(widths))]
    lines_of = [column.__getitem__ for column in known]
    lines: list[str] = []
    for row in rows:
        rendered = [of(cell) for of, cell in zip(lines_of, row, strict=True)]
        height = max(map(len, rendered))
        if height == 0:  # nothing fits anywhere: one empty line (rich's `Segment.set_shape`)
            lines.append(empty)
            continue
        lines += map("".join, zip(*[found if len(found) == height else found + [blank[index]] * (height - len(found))
                                    for index, found in enumerate(rendered)], strict=True))
    return lines


def table_lines(screen: Screen, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> list[str] | None:
    """The lines of the table (no line ends), or None when it would be wider than the
    screen (rich then crops every line: left to rich)."""
    ranges = [column_ranges(column.header, (row[index] for row in rows)) for index, column in enumerate(columns)]
    widths = column_widths(ranges, screen.width - _EDGES - (len(columns) - 1))
    table_width = sum(widths) + _EDGES + len(columns) - 1
    if table_width > screen.width:
        return None
    last = len(columns) - 1
    lines = [screen.paint("italic", " " * before + piece + " " * after)
             for before, piece, after in cells.wrap(title, table_width, "center")]
    lines.append("┏" + "┳".join("━" * width for width in widths) + "┓")
    written = _Cells(screen, columns, widths)
    bold = screen.codes["bold"]
    lines += _header([_bordered(written.header(index, column.header), "┃", index == last)
                      for index, column in enumerate(columns)],
                     [_bordered([_painted(" " * width, bold)], "┃", index == last)[0] for index, width in enumerate(widths)],
                     "┃" + "┃".join(" " * width for width in widths) + "┃")
    lines.append("┡" + "╇".join("━" * width for width in widths) + "┩")
    lines += _body(written, rows, widths)
    lines.append("└" + "┴".join("─" * width for width in widths) + "┘")
    return lines


def paragraph_lines(screen: Screen, text: str, style: str | None = None) -> list[str]:
    """A line of text as rich's console prints it: word-wrapped at the screen's width."""
    return [screen.paint(style, piece) for _, piece, _ in cells.wrap(text, screen.width, "default")]
