from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"
MINIMAL_CASE = "2026-001-test"

# The suite's cache entries go to a folder of its own, never the user's ~/.cache (the
# tools it starts as subprocesses inherit this too).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="familieplan-test-cache-")
# A workspace that does not name its language gets the locale's (render/language.py): the
# suite reads Danish whatever the machine's locale is. Tests of the rule set their own.
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(autouse=True)
def unwrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text is wrapped to the terminal's width, or to COLUMNS when it is set; the tests read
    the output as a pipe gets it, whole lines and tables at their full width (the caller's
    COLUMNS is not theirs). tests/test_terminal_text.py sets widths of its own."""
    monkeypatch.delenv("COLUMNS", raising=False)
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def minimal_ws(tmp_path: Path) -> Path:
    """A copy of the minimal valid workspace."""
    target = tmp_path / "ws"
    shutil.copytree(DATA / "minimal", target)
    return target


@pytest.fixture
def examples_ws(tmp_path: Path) -> Path:
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


def run_cli(runner: CliRunner, args: list[str]):  # type: ignore[no-untyped-def]
    from familieplan.cli import app

    result = runner.invoke(app, args, catch_exceptions=True)
    # Any exception other than SystemExit is a crash: bad input must never produce one.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


# How long a server's test waits for something that must happen (its start, an answer, its
# stop): a bound on a condition, never a pause, and generous, so that a machine busy with
# other work only makes the tests slower, never red.
PATIENCE = 120.0


class Served:
    """A `familieplan serve` process on a free port, for the server's tests; ready when the
    constructor returns (it has answered a request)."""

    def __init__(self, root: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        import os
        import re
        import subprocess
        import sys

        env = {**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"}
        self.root = root
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "familieplan", "serve", "--workspace", str(root), "--port", "0", "--no-open", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: list[str] = []
        assert self.proc.stdout is not None
        # The address line comes when the process has started (readline waits for it, or for
        # the end of a process that failed); the server is ready once it has answered.
        for line in self.proc.stdout:
            self.lines.append(line)
            match = re.search(r"http://(\[[^\]]+\]|[^:/\[]+):(\d+)/([A-Za-z0-9_-]+)/", line)
            if match:
                self.netloc, self.port, self.token = f"{match[1]}:{match[2]}", int(match[2]), match[3]
                self.host = match[1].strip("[]")
                self.base = f"http://{self.netloc}/{self.token}"  # every page's address starts so
                self.wait_ready()
                return
        self.proc.kill()
        raise AssertionError("serve did not print its address: " + "".join(self.lines) + self.proc.stderr.read())

    def wait_ready(self) -> None:
        """One request, answered: the socket listens before uvicorn runs (a connection waits
        in its backlog), and uvicorn takes over Ctrl-C before it answers anything, so after
        this a Ctrl-C is a clean stop, never an interrupted start."""
        status, _, _ = self.request("GET", "/static/live.js", capability=False)
        assert status == 403, status

    @property
    def url(self) -> str:
        """The address the server printed (its capability is the first part of the path)."""
        return f"{self.base}/"

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, capability: bool = True):  # type: ignore[no-untyped-def]
        """A raw request (no URL normalisation) to `path` below the run's capability (or,
        with `capability=False`, to `path` itself): status, headers, body."""
        import http.client

        conn = http.client.HTTPConnection(self.host, self.port, timeout=PATIENCE)
        sent = {"Host": self.netloc, **(headers or {})}
        conn.putrequest(method, f"/{self.token}{path}" if capability else path, skip_host=True,
                        skip_accept_encoding=True)
        for key, value in sent.items():
            conn.putheader(key, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def stop(self) -> int:
        """Ctrl-C, as a person would; the exit code (130, as for any command stopped by
        Ctrl-C). Nothing may be printed as a traceback."""
        import signal
        import subprocess

        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=PATIENCE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("serve did not stop on Ctrl-C") from None
        assert self.proc.stderr is not None
        errors = self.proc.stderr.read()
        assert "Traceback" not in errors, errors
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return self.proc.returncode


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """`serve` on a copy of examples/, on a fixed day, shared by a module's tests."""
    root = tmp_path_factory.mktemp("serve") / "examples"
    shutil.copytree(EXAMPLES, root)
    server = Served(root, "--today", "2026-05-20")
    yield server
    server.stop()
