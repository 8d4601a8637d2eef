"""In a terminal, a record command asks for what is missing (in Danish, with a default and
the ids to choose from); Ctrl-C writes nothing. Run on a pseudo-terminal."""

from __future__ import annotations

import os
import select
import sys
import time
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")

CASE = "2026-002-karimi"
PATIENCE = 120.0  # a bound on waiting for the program, never a measured time


class Terminal:
    """The tool on a pseudo-terminal: what it wrote so far, and keys to send."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "LANG": "da_DK.UTF-8", "TERM": "dumb", "COLUMNS": "200"}
        # pty.fork: the child's controlling terminal is the pseudo-terminal, so Ctrl-C
        # there is SIGINT, as in a real terminal.
        self.pid, self.master = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.execve(sys.executable, [sys.executable, "-m", "familieplan", *args], env)
        self.seen = ""

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + PATIENCE
        while text not in self.seen:
            assert time.monotonic() < deadline, self.seen
            ready, _, _ = select.select([self.master], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the program has ended and closed the terminal
                    chunk = b""
                if not chunk:
                    assert text in self.seen, self.seen
                    break
                self.seen += chunk.decode("utf-8", "replace")
        return self.seen

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def finish(self) -> int:
        try:
            self.wait_for("\x00never")
        except AssertionError:
            pass
        _, status = os.waitpid(self.pid, 0)
        os.close(self.master)
        return os.waitstatus_to_exitcode(status)


def _files(ws: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (ws / "cases" / CASE).glob("*.yaml")}


def test_a_missing_id_is_asked_for_in_danish_with_the_ids_to_choose_from(examples_ws: Path) -> None:
    term = Terminal("withdraw", CASE, "--workspace", str(examples_ws), "--today", "2026-12-04")
    term.wait_for("Samtykke (c1, c2):")
    term.send("c2\r")
    assert term.finish() == 0, term.seen
    assert "Skrev " in term.seen and "samtykke c2" in term.seen
    assert "withdrawn: 2026-12-04" in (examples_ws / "cases" / CASE / "case.yaml").read_text(encoding="utf-8")


def test_a_default_is_accepted_with_enter(examples_ws: Path) -> None:
    import datetime as dt

    from familieplan.clock import today

    term = Terminal("end", CASE, "familiebehandling", "--workspace", str(examples_ws))
    day = today()
    term.wait_for(f"Første dag uden forløb [{day.isoformat()}]:")
    term.send("\r")
    assert term.finish() == 0, term.seen
    plan = (examples_ws / "cases" / CASE / "plan.yaml").read_text(encoding="utf-8")
    assert f"    ended:\n      from: {day.isoformat()}\n" in plan
    assert isinstance(day, dt.date)


def test_ctrl_c_at_a_prompt_writes_nothing(examples_ws: Path) -> None:
    before = _files(examples_ws)
    term = Terminal("agree", CASE, "--workspace", str(examples_ws), "--today", "2026-12-04")
    term.wait_for(":")
    term.send("Noget\r")
    term.wait_for("Hvem er ansvarlig")
    assert "[sb-job]" in term.seen  # the coordinator is the default
    term.send("\x03")
    code = term.finish()
    assert code != 0
    assert "afbrudt: intet skrevet" in term.seen
    assert "Traceback" not in term.seen
    assert _files(examples_ws) == before
