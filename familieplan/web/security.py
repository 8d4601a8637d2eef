"""The guard every request passes, before any page is made.

The pages show health, addiction and child-welfare data on machines that municipal staff
share, so: the Host header must name the bound address or localhost (DNS rebinding); only
GET and HEAD exist (read-only by construction); every address starts with a random path
segment made for this run (a capability, `/<token>/…`), so another user of the same machine
cannot read the pages by finding the port. There is no cookie: browsers do not separate
cookies by port, so a cookie would also travel to any other server on the machine (another
account's included), and replayed there it would open the pages. The capability travels
only to this server: every response carries Referrer-Policy: no-referrer and a
Content-Security-Policy without external loads or inline script, as well as Cache-Control:
no-store and X-Frame-Options: DENY. CPR-shaped numbers are masked in every response body
here, where all of them pass (`render/privacy.py`'s `mask_body`, the mask of the command
line's streams), so a new page cannot forget it.
"""

from __future__ import annotations

import hmac
import secrets
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from familieplan.render.privacy import mask_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
METHODS = ("GET", "HEAD")
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def new_token() -> str:
    return secrets.token_urlsafe(32)


def host_names(bound: str) -> frozenset[str]:
    """The names a Host header may give: the bound address and localhost; for a wildcard
    address (0.0.0.0, ::) also this machine's own names."""
    name = bound.strip().strip("[]").lower()
    names = set(LOCAL_NAMES) | {name}
    if name in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names)


def split_host(value: str) -> tuple[str, int | None] | None:
    """'localhost:8765' -> ('localhost', 8765); '[::1]:80' -> ('::1', 80); None if malformed."""
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1:]
    else:
        name, _, port_text = value.partition(":")
        rest = f":{port_text}" if port_text else ""
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return None
    return name.lower(), int(rest[1:]) if rest else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class MaskingSend:
    """The `send` of one response: a whole body is held until its last part and sent
    masked, with its length; an event stream is masked part by part as it goes."""

    def __init__(self, send: Send, head: bool) -> None:
        self.send = send
        self.head = head
        self.start: Message | None = None
        self.parts: list[bytes] = []
        self.streaming = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [h for h in message.get("headers", []) if h[0] not in dict(SECURITY_HEADERS)]
            message["headers"] += SECURITY_HEADERS
            self.streaming = any(k == b"content-type" and v.startswith(b"text/event-stream")
                                 for k, v in message["headers"])
            if self.streaming:
                await self.send(message)
            else:
                self.start = message
            return
        if message["type"] != "http.response.body":
            await self.send(message)
            return
        if self.streaming:
            await self.send({**message, "body": mask_body(message.get("body", b""))})
            return
        self.parts.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = mask_body(b"".join(self.parts))
        assert self.start is not None
        if not self.head:  # a HEAD response keeps the length its GET would have
            self.start["headers"] = [h for h in self.start["headers"] if h[0] != b"content-length"]
            self.start["headers"].append((b"content-length", str(len(body)).encode()))
        await self.send(self.start)
        await self.send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: Host, method and capability checks, the security headers on every
    response (errors included) and the CPR mask on every body. Nothing of the request is
    echoed in an error."""

    def __init__(self, app: ASGIApp, *, token: str, hosts: frozenset[str], port: int) -> None:
        self.app = app
        self.token = token
        self.hosts = hosts
        self.port = port
        self.prefix = f"/{token}"

    def host_ok(self, value: str | None) -> bool:
        parsed = split_host(value or "")
        if parsed is None:
            return False
        name, port = parsed
        return name in self.hosts and (port or 80) == self.port

    def capability(self, path: str) -> str | None:
        """The path after the run's capability (None: it does not start with it)."""
        head, slash, rest = path[1:].partition("/")
        if not path.startswith("/") or not self.token or not hmac.compare_digest(head.encode(), self.token.encode()):
            return None
        return slash + rest

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send_masked = MaskingSend(send, scope.get("method") == "HEAD")
        if not self.host_ok(_header(scope, b"host")):
            await plain(send_masked, 400, "400 Bad Request: the Host header must name this server.")
            return
        if scope["method"] not in METHODS:
            await plain(send_masked, 405, "405 Method Not Allowed: the pages are read-only.",
                        [(b"allow", b"GET, HEAD")])
            return
        rest = self.capability(scope.get("path", ""))
        if rest is None:
            await plain(send_masked, 403, "403 Forbidden: open the address that 'familieplan serve' printed, "
                                          "with its whole path.")
            return
        if not rest:  # /<token> -> /<token>/ (the pages' addresses are below it)
            query = scope.get("query_string", b"")
            location = f"{self.prefix}/".encode("latin-1") + (b"?" + query if query else b"")
            await plain(send_masked, 308, "308 Permanent Redirect", [(b"location", location)])
            return
        # The pages see their own path; root_path tells Starlette where they are mounted.
        inner = dict(scope, path=rest, root_path=scope.get("root_path", "") + self.prefix)
        raw = scope.get("raw_path") or b""
        inner["raw_path"] = raw[len(self.prefix):] if raw.startswith(self.prefix.encode()) else rest.encode()
        await self.app(inner, receive, send_masked)


async def plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = (text + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        *(headers or [])]})
    await send({"type": "http.response.body", "body": body})
