"""Bench rows for `familieplan serve`: pages served by a running server, timed from the
client (median of 20 requests), against the start-up of `familieplan --help`."""

from __future__ import annotations

import http.client
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable


class Server:
    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen([PY, "-m", "familieplan", "serve", "--workspace", str(root), "--port", "0",
                                      "--no-open", "--today", "2026-11-23"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            match = re.search(r"http://([^:/]+):(\d+)/\?token=(\S+)", line)
            if match:
                self.host, self.port, token = match[1], int(match[2]), match[3]
                self.cookie = f"familieplan-{self.port}={token}"
                return
        raise SystemExit("serve did not start")

    def get(self, path: str) -> float:
        """Seconds for one whole request (connect, page, read)."""
        start = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
        conn.request("GET", path, headers={"Cookie": self.cookie})
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status}")
        return time.perf_counter() - start

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)


def serve_rows(root: Path, help_s: float, n: int = 20) -> list[tuple[str, float, str, float, str]]:
    cases = sorted(p.name for p in (root / "cases").iterdir())
    server = Server(root)
    try:
        cold = server.get("/")
        warm = statistics.median(server.get("/") for _ in range(n))
        first_case = server.get(f"/cases/{cases[0]}")
        case_warm = statistics.median(server.get(f"/cases/{cases[0]}") for _ in range(n))
        # A case page not made before: what every page costs until the per-case cache exists.
        case_cold = statistics.median(server.get(f"/cases/{c}") for c in cases[1:n + 1])
    finally:
        server.stop()
    count = len(cases)
    quarter = help_s / 4
    return [
        (f"serve: caseload page, {count} cases, first request", cold, "familieplan --help", help_s, "(info)"),
        (f"serve: caseload page, {count} cases, again (median of {n})", warm, "familieplan --help", help_s, "< 1.0×"),
        ("serve: a case page, first request", first_case, "¼ of familieplan --help", quarter, "(info)"),
        (f"serve: a case page, again (median of {n})", case_warm, "¼ of familieplan --help", quarter, "< 1.0×"),
        (f"serve: {n} case pages, each the first time (median)", case_cold, "¼ of familieplan --help", quarter, "(info)"),
    ]
