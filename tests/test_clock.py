"""The one clock (familieplan/clock.py): Copenhagen time wherever the machine is, read in
one module only, and written on pages as the documents write it ("kl. 9.30")."""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from familieplan import clock
from familieplan.render import danish as d
from familieplan.web.app import ServeOptions, Site
from familieplan.web.live import Watcher

PACKAGE = Path(clock.__file__).parent
UTC = dt.timezone.utc


def test_now_is_aware_and_in_copenhagen():
    moment = clock.now()
    assert moment.tzinfo is clock.COPENHAGEN and moment.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))
    assert clock.today() in (moment.date(), moment.date() + dt.timedelta(days=1))  # unless midnight passed between


def test_the_today_policy_is_the_given_day_else_the_real_one():
    assert clock.today_or(dt.date(2026, 5, 20)) == dt.date(2026, 5, 20)
    assert clock.today_or(None) in (clock.today(), clock.today() - dt.timedelta(days=1))


def test_a_moment_in_copenhagen_time():
    # 23:30 UTC on New Year's Eve is already the next year in Copenhagen.
    assert clock.local(dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)).date() == dt.date(2027, 1, 1)
    naive = dt.datetime(2026, 7, 1, 9, 30)
    assert clock.local(naive) == naive.replace(tzinfo=clock.COPENHAGEN)


@pytest.mark.parametrize("moment, lang, text", [
    (dt.datetime(2026, 1, 15, 8, 5, tzinfo=UTC), "da", "15. januar 2026 kl. 9.05"),
    (dt.datetime(2026, 7, 1, 7, 30, tzinfo=UTC), "da", "1. juli 2026 kl. 9.30"),  # summer time
    (dt.datetime(2026, 7, 1, 7, 0, tzinfo=UTC), "da", "1. juli 2026 kl. 9"),
    (dt.datetime(2026, 7, 1, 7, 30, tzinfo=UTC), "en", "1 July 2026 at 09:30"),
    (dt.datetime(2026, 7, 1, 9, 30), "da", "1. juli 2026 kl. 9.30"),  # naive: already Copenhagen's
])
def test_moments_are_written_as_the_documents_write_them(moment, lang, text):
    assert d.moment_long(moment, lang) == text


def test_the_pages_footer_says_copenhagen_time_as_the_documents_do(tmp_path, monkeypatch):
    """The server's machine runs in UTC; the footer says the Danish time, 'kl. 9.30'."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 7, 1, 7, 30, 42, tzinfo=UTC).astimezone(clock.COPENHAGEN))
    site = Site(ServeOptions(root, today=dt.date(2026, 5, 20)), Watcher(root))
    footer = site.caseload(None, "case").split("<footer>")[1]
    assert "Dannet 1. juli 2026 kl. 9.30." in footer
    assert "07:30" not in footer and "7.30" not in footer
    english = Site(ServeOptions(root, lang="en", today=dt.date(2026, 5, 20)), Watcher(root))
    assert "1 July 2026 at 09:30" in english.caseload(None, "case").split("<footer>")[1]


def test_without_today_the_pages_count_from_the_clocks_date(tmp_path, monkeypatch):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 5, 19, 22, 30, tzinfo=UTC).astimezone(clock.COPENHAGEN))
    assert Site(ServeOptions(root), Watcher(root)).moment().today == dt.date(2026, 5, 20)


def _reads_the_clock(node: ast.AST) -> str | None:
    """`….now(…)`, `….today()`, `….utcnow()` or `ZoneInfo(…)`: a call that reads the clock
    or makes a time zone of its own."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name in ("utcnow", "ZoneInfo") or (name == "today" and not node.args and isinstance(func, ast.Attribute)
                                          and ast.unparse(func.value).endswith("date")):
        return name
    if name == "now" and isinstance(func, ast.Attribute) and ast.unparse(func.value).endswith("datetime"):
        return name
    return None


def test_only_the_clock_module_reads_the_clock():
    """One clock policy (STYLE.md): no other module calls datetime.now(), date.today() or
    makes a ZoneInfo of its own."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (what := _reads_the_clock(node)) is not None:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {what}")  # type: ignore[attr-defined]
    assert not found, found


def test_the_scan_finds_a_clock_read():
    """The scan above can fail."""
    calls = ["dt.datetime.now()", "datetime.datetime.now(tz)", "dt.date.today()", "ZoneInfo('UTC')", "x.utcnow()"]
    assert all(_reads_the_clock(ast.parse(call, mode="eval").body) for call in calls)
    assert _reads_the_clock(ast.parse("clock.now()", mode="eval").body) is None
