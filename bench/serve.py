"""The `serve` row of bench/run.py: the caseload page's first request to a server just
started on a warm cache (filled by a server before it), timed from the client."""

from __future__ import annotations

import http.client
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from measure import FP, TRACE, Measured, Sample, median

TODAY = "2026-11-23"


class Server:
    """`familieplan serve` on a free port, its standard error kept for the cache's trace
    line (printed when it stops)."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([*FP, "serve", "--workspace", str(root), "--port", "0", "--no-open",
                                      "--today", TODAY], stdout=subprocess.PIPE, stderr=self.err, text=True, env=env)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            match = re.search(r"http://([^:/]+):(\d+)/([A-Za-z0-9_-]+)/", line)
            if match:
                self.host, self.port, self.prefix = match[1], int(match[2]), f"/{match[3]}"
                return
        self.proc.wait(timeout=30)
        raise SystemExit(f"bench: serve did not start ({self.proc.returncode}):\n{self.stderr()[-3000:]}")

    def stderr(self) -> str:
        self.err.seek(0)
        return self.err.read().decode("utf-8", "replace")

    def get(self, path: str) -> float:
        """Seconds for one whole request (connect, page, read)."""
        start = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
        conn.request("GET", self.prefix + path)  # every page is below the run's capability
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            self.stop()
            raise SystemExit(f"bench: serve: GET {path}: {response.status}:\n{self.stderr()[-3000:]}")
        return time.perf_counter() - start

    def stop(self) -> str:
        """Stop the server; the cache's trace of its whole life (`hits/misses/writes`)."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)
        found = TRACE.findall(self.stderr())
        self.err.close()
        return "/".join(found[-1]) if found else ""


def first_request(root: Path, env: dict[str, str], repeat: int) -> Measured:
    """A first server fills the cache (one request of the page); then each of `repeat`
    servers, started anew, is timed on its first request of the caseload page."""
    warming = Server(root, env)
    warming.get("/")
    warming.stop()
    samples = []
    for _ in range(repeat):
        server = Server(root, env)
        try:
            wall = server.get("/")
        finally:
            trace = server.stop()
        samples.append(Sample(wall, 0.0, 0, trace))
    return median(samples)
