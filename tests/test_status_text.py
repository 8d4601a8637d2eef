"""`status` in the terminal: rich's Table, with user text masked before it is laid out
(a CPR-shaped number is masked even where the table folds it across two lines), for any
rows (titles and names that wrap and fold, wide and combining characters, tabs, control
codes, markup-like brackets), at any width, never a traceback."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import os
from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from familieplan.commands.consents import EXPIRED, EXPIRING, WITHDRAWN, ConsentNotice
from familieplan.commands.followup import CaseRow, FollowUp
from familieplan.render.status import status_text
from familieplan.settings import Settings

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
    return result


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


def written(result: FollowUp, lang: str, color: bool | None) -> str:
    out = io.StringIO()
    status_text(result, out, lang, color)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(result=results(), width=st.sampled_from([1, 20, 60, 80, 100, 200]), color=st.sampled_from([None, True, False]),
       lang=st.sampled_from(["da", "en"]))
def test_any_rows_at_any_width_are_written(result: FollowUp, width: int, color: bool | None, lang: str) -> None:
    with environment({"COLUMNS": str(width)}):
        out = written(result, lang, color)
    assert out.endswith("\n")


def plain_row(n: int, title: str = "Familien Holm", passed: bool = False) -> CaseRow:
    return CaseRow(f"2025-{n:03d}-holm", title, "hd", "Hanne Dahl", "f3", "Overgang til uddannelse", 12, 26,
                   dt.date(2026, 12, 7), "Overgang til uddannelse; behov for mentor", passed, 3, 1, n % 3, n % 2, 7, "")


def test_a_cpr_number_is_masked_where_the_table_folds_it() -> None:
    result = FollowUp(Settings())
    result.rows = [plain_row(1, title="Familien 010190-1234"), plain_row(2, title="x 0101901234")]
    result.rows[0] = dataclasses.replace(result.rows[0], consents=(
        ConsentNotice("2025-001-holm", "c1", "p1", EXPIRING, dt.date(2026, 3, 1), ("jc",)),))
    result.names[("2025-001-holm", "p1")] = "Ole 010190 1234"
    for width in (40, 60, 80, 200):
        with environment({"COLUMNS": str(width)}):
            out = written(result, "da", None)
        assert "1234" not in out and "######" in out, out
        assert "0101" not in out


def test_no_active_cases() -> None:
    with environment({"COLUMNS": "80"}):
        assert "Ingen aktive sager" in written(FollowUp(Settings()), "da", False)
