"""The editor: yaml-language-server, driven over stdio as an editor drives it (LSP JSON-RPC),
on a scaffolded case. The file's `# yaml-language-server: $schema=` line points it at the
workspace's schemas: completion offers the keys, hover shows the Danish description, and a
bad value gets a diagnostic.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from familieplan import api

ROOT = Path(__file__).parent.parent
SERVER = ROOT / "tests" / "node" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
TIMEOUT = 30.0

pytestmark = pytest.mark.slow


class Client:
    """A minimal LSP client: requests with ids, notifications, and the server's own
    requests (configuration, registration) answered."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.settings = settings
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.notes: list[dict[str, Any]] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while (line := out.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            self.inbox.put(json.loads(out.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def _pump(self, until: float) -> dict[str, Any] | None:
        try:
            message = self.inbox.get(timeout=max(0.05, until - time.monotonic()))
        except queue.Empty:
            return None
        if "method" in message and "id" in message:  # a request from the server
            result: Any = None
            if message["method"] == "workspace/configuration":
                result = [self.settings.get(item.get("section", ""), self.settings)
                          for item in message["params"]["items"]]
            self._send({"id": message["id"], "result": result})
            return None
        if "method" in message:
            self.notes.append(message)
            return None
        return message

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = self._pump(deadline)
            if message is not None and message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]
        raise TimeoutError(method)

    def diagnostics(self, uri: str, version: int, want: Any) -> list[dict[str, Any]]:
        """The latest diagnostics published for `uri` once `want(diagnostics)` holds."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for note in reversed(self.notes):
                params = note["params"]
                if note["method"] == "textDocument/publishDiagnostics" and params["uri"] == uri:
                    if params.get("version", version) == version and want(params["diagnostics"]):
                        return params["diagnostics"]
                    break
            self._pump(time.monotonic() + 0.2)
        raise TimeoutError(f"diagnostics for {uri}: {[n for n in self.notes if n['params'].get('uri') == uri][-1:]}")

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.proc.wait(timeout=5)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    if not SERVER.exists() or shutil.which("node") is None:
        pytest.skip("yaml-language-server is not installed (make node-tools)")
    ws = tmp_path / "ws"
    api.init_workspace(ws, git=False)
    created = api.new_case(ws, "Familien Test", coordinator="Line Holm", today=dt.date(2026, 3, 2))
    path = next(p for p in created.paths if p.name == "case.yaml")
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schemas/case.schema.json")
    return path


@pytest.fixture
def client(case_file: Path):
    settings = {"yaml": {"validate": True, "hover": True, "completion": True, "schemas": {},
                         "schemaStore": {"enable": False}}}
    lsp = Client(settings)
    lsp.request("initialize", {
        "processId": None, "rootUri": case_file.parent.parent.parent.as_uri(),
        "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                          "completion": {"completionItem": {"snippetSupport": False}},
                                          "publishDiagnostics": {}},
                         "workspace": {"configuration": True}},
    })
    lsp.notify("initialized", {})
    lsp.notify("workspace/didChangeConfiguration", {"settings": settings})
    yield lsp
    lsp.close()


def _position(text: str, needle: str, offset: int = 0) -> dict[str, int]:
    before = text[: text.index(needle) + offset]
    return {"line": before.count("\n"), "character": len(before) - (before.rfind("\n") + 1)}


def test_completion_hover_and_diagnostics(client: Client, case_file: Path):
    text = case_file.read_text(encoding="utf-8")
    uri = case_file.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    # The scaffolded file is valid to the editor as to the tool.
    assert client.diagnostics(uri, 1, lambda d: True) == []

    # Hover on a key shows its Danish description.
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": _position(text, "\nstatus:", 2)})
    shown = json.dumps(hover, ensure_ascii=False)
    assert "active (aktiv), paused (sat i bero) eller closed (lukket)" in shown, shown

    # Completion on a new line at the top level offers the keys not written yet.
    edited = text.replace("\nstatus:", "\n\nstatus:", 1)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": edited}]})
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": _position(edited, "\n\nstatus:", 1)})
    labels = {item["label"] for item in (items["items"] if isinstance(items, dict) else items)}
    assert {"closed", "contact"} <= labels and "title" not in labels, labels

    # A bad value gets a diagnostic at its line; an impossible date too.
    bad = text.replace("status: active", "status: aktiv", 1).replace("opened: 2026-03-02", "opened: 2026-02-30", 1)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": bad}]})
    found = client.diagnostics(uri, 3, lambda d: len(d) >= 2)
    lines = {d["range"]["start"]["line"] for d in found}
    assert _position(bad, "status: aktiv")["line"] in lines, found
    assert _position(bad, "opened: 2026-02-30")["line"] in lines, found
