"""Text that fits the terminal, under one colour policy (render/terminal.py).

Every text report of every command colours as rich's Console decides (FORCE_COLOR colours
a pipe, NO_COLOR takes colour away), wraps at words to the terminal's width (COLUMNS, or
the terminal's own under a pseudo-terminal) and leaves a pipe unwrapped; `status` breaks
no case id and no word at 80 columns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import io
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from rich.cells import cell_len
from test_conventions import _drain

from conftest import EXAMPLES

BIN = Path(sys.executable).parent / "familieplan"
TODAY = "2026-11-23"
WS = ["--workspace", str(EXAMPLES)]
# A colour among an SGR's parameters (bold and dim are not colour, no-color.org).
COLOUR = re.compile("\x1b\\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")
SGR = re.compile("\x1b\\[[0-9;]*m")

COMMANDS = {
    "validate": ["validate", *WS],
    "check-load": ["check-load", *WS, "--today", TODAY],
    "due": ["due", *WS, "--today", TODAY],
    "status": ["status", *WS, "--today", TODAY],
    "fit": ["fit", "2026-002-karimi", *WS, "--person", "nadia", "--length", "2h", "--per-week", "2",
            "--today", "2026-03-01"],
    "changes": ["changes", "2026-002-karimi", *WS, "--today", TODAY],
    "report": ["report", *WS, "--today", TODAY],
    "disclosures": ["disclosures", "2026-002-karimi", *WS],
    "error line": ["validate", "--workspace", str(EXAMPLES / "no-such-folder")],
    "problem lines": ["validate", "--workspace", "{broken}"],
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The examples with an error in a long line (an unknown key) and a bad date."""
    root = tmp_path_factory.mktemp("broken") / "ws"
    shutil.copytree(EXAMPLES, root)
    case = root / "cases" / "2025-001-holm" / "case.yaml"
    case.write_text(case.read_text() + "bemaerkning: " + "Familien har bedt om et møde om overgangen " * 4 + "\n")
    plan = root / "cases" / "2025-001-holm" / "plan.yaml"
    plan.write_text(plan.read_text().replace("to: 2027-02-28", "to: 2027-02-30", 1))
    return root


def command(name: str, broken: Path) -> list[str]:
    return [str(broken) if word == "{broken}" else word for word in COMMANDS[name]]


def invoke(args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """Standard output and error of a run into a pipe (typer's runner: not a terminal)."""
    from typer.testing import CliRunner

    from familieplan.cli import app

    result = CliRunner().invoke(app, args, env={"TERM": "xterm-256color", "NO_COLOR": None, "FORCE_COLOR": None,
                                                "COLUMNS": None, **env})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.stdout, result.stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_force_color_colours_a_pipe_and_no_color_takes_it_away(name, broken):
    out, err = invoke(command(name, broken), {"FORCE_COLOR": "1"})
    assert COLOUR.search(out + err), out + err
    out, err = invoke(command(name, broken), {"NO_COLOR": "1"})
    assert out + err and not COLOUR.search(out + err)
    out, err = invoke(command(name, broken), {})  # a pipe: no escape codes at all
    assert out + err and not SGR.search(out + err)


def test_a_report_written_to_a_file_is_plain(tmp_path):
    target = tmp_path / "report.txt"
    invoke(["report", *WS, "--today", TODAY, "--output", str(target), "--no-record"], {"FORCE_COLOR": "1",
                                                                                      "COLUMNS": "40"})
    text = target.read_text()
    assert "Resultater" in text and not SGR.search(text)
    assert max(cell_len(line) for line in text.splitlines()) > 40  # not wrapped either


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("name", ["check-load", "due", "report", "changes", "fit", "status", "problem lines"])
def test_text_fits_the_width(name, width, broken):
    out, _ = invoke(command(name, broken), {"COLUMNS": str(width), "FORCE_COLOR": "1"})
    lines = SGR.sub("", out).splitlines()
    assert len(lines) > 1 and max(cell_len(line) for line in lines) <= width


def test_a_pipe_is_not_wrapped():
    out, _ = invoke(COMMANDS["check-load"], {})
    assert max(cell_len(line) for line in out.splitlines()) > 200  # the longest finding, whole
    assert any("Ambulant behandling for rusmidler (Rusmiddelcentret, Peter Vang) overlapper" in line
               for line in out.splitlines())


def _on_a_terminal(args: list[str], columns: int) -> str:
    """What a run writes to a pseudo-terminal `columns` wide (no COLUMNS in its environment)."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")}
    proc = subprocess.Popen([str(BIN), *args], stdin=secondary, stdout=secondary, stderr=secondary,
                            env={**env, "TERM": "xterm-256color"})
    os.close(secondary)
    out = _drain(primary)
    proc.wait(timeout=60)
    return SGR.sub("", out.decode()).replace("\r\n", "\n")


def test_check_load_fits_an_80_column_terminal():
    text = _on_a_terminal(COMMANDS["check-load"], 80)
    lines = text.splitlines()
    assert len(lines) > 40 and max(cell_len(line) for line in lines) <= 80
    assert "Nadia Karimi" in text and "fejl overlap:" in text


# --- status: no case id and no word broken ------------------------------------------------

def _status(result, width: int) -> str:  # type: ignore[no-untyped-def]
    from familieplan.render.status import status_text

    env = {"COLUMNS": str(width), "TERM": "xterm-256color", "TTY_COMPATIBLE": "1"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        out = io.StringIO()
        status_text(result, out, "da", None)
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    return out.getvalue()


def _unbroken(text: str, rows) -> None:  # type: ignore[no-untyped-def]
    lines = text.splitlines()
    for row in rows:
        assert any(row.case in line for line in lines), row.case
        for word in row.title.split():
            assert any(word in line for line in lines), word


def test_status_at_80_columns_breaks_no_id_or_word_of_the_examples():
    out, _ = invoke(COMMANDS["status"], {"COLUMNS": "80", "TTY_COMPATIBLE": "1"})
    lines = SGR.sub("", out).splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    for case in ("2025-001-holm", "2025-003-lund", "2026-002-karimi"):
        assert any(case in line for line in lines), case
    for word in ("Familien", "Karimi", "Mikkel", "Ravn", "støtte-kontaktperson", "brobygningsforløbet", "uddannelse,"):
        assert any(word in line for line in lines), word
    assert any(line.startswith("┃ Sag") for line in lines)  # still a table at 80


LONG_TITLES = ["Familien Christoffersen-Frederiksen", "Familien Holm og bedsteforældrene på Ærø",
               "Børnefamilieydelsesmodtagerne Michelle og Emil", "Familien Søndergaard-Kristiansen (ny sag)",
               "Anna"]


def _rows(count: int):  # type: ignore[no-untyped-def]
    from familieplan.commands.followup import CaseRow, FollowUp
    from familieplan.settings import Settings

    result = FollowUp(Settings())
    for n in range(count):
        title = LONG_TITLES[n % len(LONG_TITLES)]
        result.rows.append(CaseRow(f"2026-{n + 10:03d}-{title.split()[-1].lower()[:12]}", title, "hd",
                                   "Hanne Dahl-Christoffersen", "f2", "Arbejdsmarkedsparathedsafklaring og behandling",
                                   3, 26, dt.date(2026, 12, 7), "Opfølgning på uddannelsesplanlægningsforløbet",
                                   n % 2 == 0, n, n % 3, n % 4, n % 5, 12 * n, ""))
    return result


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_status_with_long_words_breaks_no_id_or_word(width):
    result = _rows(7)
    text = SGR.sub("", _status(result, width))
    assert max(cell_len(line) for line in text.splitlines()) <= width
    _unbroken(text, result.rows)
    for word in ("Arbejdsmarkedsparathedsafklaring", "uddannelsesplanlægningsforløbet", "Dahl-Christoffersen"):
        assert any(word in line for line in text.splitlines()), word


def test_status_chooses_a_layout_by_width():
    """The wide table needs 177 columns for these rows' longest words, the compact one 116."""
    result = _rows(3)
    wide, compact, listed = (SGR.sub("", _status(result, w)) for w in (177, 176, 115))
    assert "Koordinator" in wide and "Forsinket" in wide and "åbne aftaler" not in wide  # eight columns
    assert "┃ Sag" in compact and "Koordinator" not in compact and "│ 0 åbne aftaler" in compact
    assert "┃" not in listed and "  Koordinator: Hanne Dahl-Christoffersen" in listed
    assert "  2 åbne aftaler, 2 åbne spørgsmål, 2 forsinkede, belastning: 2 fejl og 24 advarsler" in listed
    assert "┃" in SGR.sub("", _status(result, 116))


def test_status_masks_a_cpr_number_in_every_layout():
    result = _rows(2)
    result.rows[0] = dataclasses.replace(result.rows[0], title="Familien 010190 1234 Holm")
    for width in (40, 60, 120, 250):
        text = _status(result, width)
        assert "1234" not in text and "######" in text
