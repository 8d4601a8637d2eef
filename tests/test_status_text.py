"""`status` in the terminal is written without rich's Table (render/table.py, render/cells.py)
and must be byte for byte what rich's Table printed (`status_text_rich`, the reference):
random rows — titles and names that wrap and fold, wide and combining characters, tabs,
control codes, markup-like brackets —, at any width, in colour or not, Danish and English."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from familieplan.commands.consents import EXPIRED, EXPIRING, WITHDRAWN, ConsentNotice
from familieplan.commands.followup import CaseRow, FollowUp
from familieplan.model import Settings
from familieplan.render import cells, table
from familieplan.render.followup import _status_lines, status_text, status_text_rich
from familieplan.render.screen import screen

# Characters that rich measures, wraps or strips in its own way, beside plain words.
SPECIAL = ["æ", "ø", "Å", " ", "  ", "\t", "\n", "\xa0", "–", "—", "[", "]", "[bold]", "[/]", "\\", ":smile:",
           "漢", "字", "ｶ", "e\u0301", "\u0301", "😀", "👍🏽", "👨\u200d👩\u200d👧", "\u2764\ufe0f", "\u200d", "\ufe0f",
           "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b", "\x00", "\x85", "\u2028", "\x1c", "\u00ad", "\u200b"]
WORDS = ["Familien", "Holm", "Karimi", "Søren", "Ærø", "uddannelse", "støtte-kontaktperson", "a", "ab",
         "brobygningsforløbet", "x" * 30, "2026-001-holm", "f3"]

piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(SPECIAL), st.text(max_size=6))
text = st.lists(piece, max_size=8).map(" ".join) | st.lists(piece, max_size=5).map("".join)
some_text = st.one_of(st.none(), text)
count = st.one_of(st.integers(0, 12), st.integers(0, 10**7))


@st.composite
def notices(draw: st.DrawFn, case: str) -> ConsentNotice:
    return ConsentNotice(case, draw(text), draw(some_text), draw(st.sampled_from([EXPIRING, EXPIRED, WITHDRAWN])),
                         draw(st.dates()), tuple(draw(st.lists(text, max_size=2))),
                         tuple(draw(st.lists(text, max_size=2))))


@st.composite
def rows(draw: st.DrawFn) -> CaseRow:
    case = draw(text)
    week = draw(st.one_of(st.none(), st.integers(1, 60)))
    return CaseRow(case, draw(text), draw(some_text), draw(some_text), draw(some_text), draw(some_text),
                   week, None if week is None else draw(st.integers(1, 120)),
                   draw(st.one_of(st.none(), st.dates())), draw(some_text), draw(st.booleans()),
                   draw(count), draw(count), draw(count), draw(count), draw(count), "",
                   tuple(draw(st.lists(notices(case), max_size=2))))


@st.composite
def results(draw: st.DrawFn) -> FollowUp:
    result = FollowUp(Settings(departments=draw(st.sampled_from([None, {"jc": "Jobcentret", "bf": "Børn og familie"}]))))
    result.rows = draw(st.lists(rows(), max_size=4))
    for row in result.rows:
        for notice in row.consents:
            if notice.person is not None and draw(st.booleans()):
                result.names[(notice.case, notice.person)] = draw(text)
    return result


# (colour argument, environment): none, colour, NO_COLOR on a terminal (bold, dim and
# italic but no colours), a dumb terminal.
LOOKS = [(None, {}), (False, {}), (True, {}), (True, {"NO_COLOR": "1"}), (True, {"TERM": "dumb", "LINES": "40"})]


@contextlib.contextmanager
def environment(changes: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in (*changes, "NO_COLOR", "TERM", "LINES")}
    for name in ("NO_COLOR", "LINES"):
        os.environ.pop(name, None)
    os.environ["TERM"] = "xterm-256color"
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def both(result: FollowUp, lang: str, color: bool | None) -> tuple[str, str]:
    new, old = io.StringIO(), io.StringIO()
    status_text(result, new, lang, color)
    status_text_rich(result, old, lang, color)
    return new.getvalue(), old.getvalue()


def written_directly(result: FollowUp, lang: str, color: bool | None) -> bool:
    view = screen(io.StringIO(), color)
    return view is not None and _status_lines(result, view, lang) is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(result=results(), width=st.one_of(st.integers(1, 250), st.sampled_from([60, 80, 100, 200])),
       look=st.sampled_from(LOOKS), lang=st.sampled_from(["da", "en"]))
def test_status_text_is_what_richs_table_prints(result: FollowUp, width: int, look: tuple, lang: str) -> None:
    color, env = look
    with environment({"COLUMNS": str(width), **env}):
        new, old = both(result, lang, color)
    assert new == old


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(result=results(), width=st.integers(1, 250), look=st.sampled_from(LOOKS), lang=st.sampled_from(["da", "en"]))
def test_status_text_is_what_richs_table_prints_long_run(result: FollowUp, width: int, look: tuple, lang: str) -> None:
    color, env = look
    with environment({"COLUMNS": str(width), **env}):
        new, old = both(result, lang, color)
    assert new == old


def plain_row(n: int, title: str = "Familien Holm", passed: bool = False) -> CaseRow:
    return CaseRow(f"2025-{n:03d}-holm", title, "hd", "Hanne Dahl", "f3", "Overgang til uddannelse", 12, 26,
                   dt.date(2026, 12, 7), "Overgang til uddannelse; behov for mentor", passed, 3, 1, n % 3, n % 2, 7, "")


@pytest.mark.parametrize("width", [60, 80, 100, 200])
@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_caseload_is_written_directly_and_the_same(width: int, look: tuple, lang: str) -> None:
    """The usual rows are written without rich (not through the fallback), in every look."""
    color, env = look
    result = FollowUp(Settings())
    result.rows = [plain_row(n, title=f"Familien {'Holm-' * (n % 4)}{n}", passed=n % 5 == 0) for n in range(40)]
    with environment({"COLUMNS": str(width), **env}):
        new, old = both(result, lang, color)
        assert written_directly(result, lang, color)
    assert new == old
    if color and not env:
        assert "\x1b[1;31m" in new and "\x1b[2m2025" in new and "\x1b[31m" in new


@pytest.mark.parametrize("title", ["漢字のタイトル" * 3, "Cafe\u0301 Noe\u0308l " * 4, "👨\u200d👩\u200d👧 Familien", "a\tb\tc" * 5,
                                   "bel\x07 cr\r vt\x0b end", "[bold]x[/] [/]", "Familien\nHolm\n", "x" * 300])
@pytest.mark.parametrize("width", [20, 60, 80, 200])
def test_titles_that_wrap_fold_or_are_measured_specially(title: str, width: int) -> None:
    result = FollowUp(Settings())
    result.rows = [plain_row(1, title), plain_row(2, title[::-1], passed=True)]
    for color, env in LOOKS:
        with environment({"COLUMNS": str(width), **env}):
            new, old = both(result, "da", color)
        assert new == old


def test_a_tab_in_a_styled_cell_goes_to_rich() -> None:
    result = FollowUp(Settings())
    result.rows = [dataclasses.replace(plain_row(1, passed=True), next_purpose="a\tb")]
    with environment({"COLUMNS": "80"}):
        assert not written_directly(result, "da", True)
        new, old = both(result, "da", True)
    assert new == old


def test_no_active_cases_and_a_narrow_screen() -> None:
    for width in (1, 5, 9, 30, 80):
        with environment({"COLUMNS": str(width)}):
            new, old = both(FollowUp(Settings()), "da", True)
        assert new == old
    result = FollowUp(Settings())
    result.rows = [plain_row(1)]
    for width in (1, 5, 10, 20):
        with environment({"COLUMNS": str(width)}):
            assert written_directly(result, "da", None) is (width >= 10)  # wider than the screen: rich crops it
            new, old = both(result, "da", True)
        assert new == old


def test_the_en_dash_is_one_cell_in_every_unicode_version_rich_knows() -> None:
    """cells.py counts the en dash (in the reports' own words) as one cell without asking rich."""
    from rich._unicode_data import VERSIONS, load
    from rich.cells import get_character_cell_size

    for version in VERSIONS:
        assert get_character_cell_size("\u2013", version) == 1, version
        assert load(version) is not None


def test_no_rich_import_for_plain_danish_text() -> None:
    import subprocess
    import sys

    code = ("import io, sys; from familieplan.render.cells import wrap, measure; "
            "wrap('Familien Ærø – uge 12 af 26, støtte-kontaktperson', 7, 'left'); measure('a\\nb c'); "
            "print('rich' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_column_widths_are_richs() -> None:
    """The layout alone, against rich's Table on texts of given widths."""
    from rich.console import Console
    from rich.table import Table

    for widths in ([5, 30, 2, 50], [1, 1, 1, 1], [80, 80, 3, 3], [0, 12, 7, 200]):
        for console_width in (1, 10, 40, 80, 120):
            rich_table = Table(title="t")
            for index in range(len(widths)):
                rich_table.add_column(f"h{index}", overflow="fold")
            rich_table.add_row(*("x" * width for width in widths))
            console = Console(file=io.StringIO(), width=console_width)
            ranges = [table.column_ranges(f"h{index}", ["x" * width]) for index, width in enumerate(widths)]
            expected = rich_table._calculate_column_widths(console, console.options.update_width(max(0, console_width - 5)))
            assert table.column_widths(ranges, console_width - 5) == expected


def test_cells_measure_like_rich() -> None:
    from rich.text import Text

    for sample in ["", "a b", "Ærø  støtte", "漢字 a", "a\nbb ccc\n", "e\u0301e\u0301 x", "\x1c a\u2028bb", "a\tb"]:
        measured = Text(sample).__rich_measure__(None, None)  # type: ignore[arg-type]
        assert cells.measure(cells.strip_controls(sample)) == (measured.minimum, measured.maximum)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


SCREEN_ENVIRONMENTS = [{}, {"NO_COLOR": "1"}, {"NO_COLOR": ""}, {"TERM": "dumb"}, {"TERM": "Unknown"},
                       {"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""}, {"TTY_COMPATIBLE": "0"}, {"TTY_COMPATIBLE": "1"},
                       {"COLUMNS": "57"}, {"COLUMNS": "57", "LINES": "20"}, {"COLUMNS": "x"}, {"COLUMNS": "0"},
                       {"TERM": "dumb", "COLUMNS": "57"}, {"TERM": "dumb", "COLUMNS": "57", "LINES": "9"}]


@pytest.mark.parametrize("env", SCREEN_ENVIRONMENTS)
@pytest.mark.parametrize("color", [None, True, False])
@pytest.mark.parametrize("stream", [io.StringIO, Terminal])
def test_the_screen_is_the_one_richs_console_sees(env: dict[str, str], color: bool | None, stream: type) -> None:
    """Width and styles decided without rich are those of `terminal.console`."""
    from rich.segment import Segment
    from rich.style import Style

    from familieplan.render import terminal

    with environment({"COLUMNS": "", **env}):
        if "COLUMNS" not in env:
            os.environ.pop("COLUMNS")
        out = stream()
        view = screen(out, color)
        console = terminal.console(out, color)
        assert view is not None
        assert view.width == console.width
        for style in ("bold", "dim", "italic", "red", "yellow", "bold red"):
            rendered = console._render_buffer([Segment("x", Style.parse(style))])
            assert view.paint(style, "x") == rendered, (style, env)


def test_a_cpr_number_is_masked_where_the_table_folds_it() -> None:
    result = FollowUp(Settings())
    result.rows = [plain_row(1, title="Familien 010190-1234"), plain_row(2, title="x 0101901234")]
    result.rows[0] = dataclasses.replace(result.rows[0], consents=(
        ConsentNotice("2025-001-holm", "c1", "p1", EXPIRING, dt.date(2026, 3, 1), ("jc",)),))
    result.names[("2025-001-holm", "p1")] = "Ole 010190 1234"
    for width in (40, 60, 80, 200):
        with environment({"COLUMNS": str(width)}):
            new, old = both(result, "da", None)
        assert new == old
        assert "1234" not in new and "######" in new, new
        assert "0101" not in new


def test_status_on_a_terminal_is_richs_table() -> None:
    """The whole command on a pseudo-terminal (colour, its width, the output's mask) writes
    what rich's Table writes for the same rows."""
    import pty
    import subprocess

    from test_conventions import BIN, _drain

    from conftest import EXAMPLES
    from familieplan.commands.followup import status

    result = status(EXAMPLES, dt.date(2026, 11, 23), jobs=1)
    for env in ({}, {"NO_COLOR": "1"}):
        primary, secondary = pty.openpty()
        with environment({"COLUMNS": "100", **env}):
            proc = subprocess.run([str(BIN), "status", "--workspace", str(EXAMPLES), "--today", "2026-11-23"],
                                  stdout=secondary, stderr=subprocess.PIPE, env=dict(os.environ), timeout=60)
            os.close(secondary)
            written = _drain(primary).replace(b"\r\n", b"\n").decode()
            expected = Terminal()
            status_text_rich(result, expected, "da", None)
        assert proc.returncode == 1, proc.stderr
        assert written == expected.getvalue()
        assert ("\x1b[1;31m" in written) is not bool(env)
