"""The guard every request passes, before any page is made.

The pages show health, addiction and child-welfare data on machines that municipal staff
share, so: the Host header must name the bound address or localhost (DNS rebinding); only
GET and HEAD exist (read-only by construction); a random token per run is required on the
first request (like Jupyter) and then kept in an HttpOnly, SameSite=Strict cookie, so
another user of the same machine cannot read the pages by finding the port; and every
response carries a Content-Security-Policy without external loads or inline script,
Cache-Control: no-store, X-Frame-Options: DENY and Referrer-Policy: no-referrer.
"""

from __future__ import annotations

import hmac
import secrets
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_PARAM = "token"
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
    names = set(LOCAL_NAMES) | {bound.strip("[]").lower()}
    if bound in ("0.0.0.0", "::", ""):
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


def _cookie(scope: Scope, name: str) -> str | None:
    for header in (v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
    return None


class Guard:
    """ASGI middleware: Host, method and token checks, and the security headers on every
    response (errors included). Nothing of the request is echoed in an error."""

    def __init__(self, app: ASGIApp, *, token: str, hosts: frozenset[str], port: int) -> None:
        self.app = app
        self.token = token
        self.hosts = hosts
        self.port = port
        self.cookie = f"familieplan-{port}"

    def host_ok(self, value: str | None) -> bool:
        parsed = split_host(value or "")
        if parsed is None:
            return False
        name, port = parsed
        return name in self.hosts and (port or 80) == self.port

    def token_ok(self, value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [h for h in message.get("headers", []) if h[0] not in dict(SECURITY_HEADERS)]
                message["headers"] += SECURITY_HEADERS
            await send(message)

        if not self.host_ok(_header(scope, b"host")):
            await plain(send_with_headers, 400, "400 Bad Request: the Host header must name this server.")
            return
        if scope["method"] not in METHODS:
            await plain(send_with_headers, 405, "405 Method Not Allowed: the pages are read-only.",
                        [(b"allow", b"GET, HEAD")])
            return
        if self.token_ok(_cookie(scope, self.cookie)):
            await self.app(scope, receive, send_with_headers)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [v for k, v in query if k == TOKEN_PARAM]
        if given and self.token_ok(given[0]):
            # Trade the token for a cookie and drop it from the address (history, screen).
            rest = urlencode([(k, v) for k, v in query if k != TOKEN_PARAM])
            location = quote(scope.get("path", "/")) + (f"?{rest}" if rest else "")
            cookie = f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict"
            await plain(send_with_headers, 303, "303 See Other",
                        [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode("latin-1"))])
            return
        await plain(send_with_headers, 403, "403 Forbidden: open the address with its token, as "
                                            "'familieplan serve' printed it.")


async def plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = (text + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        *(headers or [])]})
    await send({"type": "http.response.body", "body": body})
