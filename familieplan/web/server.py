"""Start the server: bind the socket, make the token, print the address, serve until Ctrl-C.

Starlette on uvicorn, in one process: pages are made in Starlette's thread pool (the
library is synchronous), the event loop only carries the requests and the live-reload
stream. uvicorn handles Ctrl-C itself, closes the open streams after a second and
returns; nothing is left running.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from familieplan.problems import N_, FamilieplanError, UsageError
from familieplan.render.catalog import catalog
from familieplan.web.accesslog import AccessLog, default_path
from familieplan.web.app import ServeOptions, create_app
from familieplan.web.live import Watcher
from familieplan.web.security import new_token

WILDCARDS = ("", "0.0.0.0", "::")


def bare(host: str) -> str:
    """The host without the brackets of an IPv6 address in a URL ([::1] -> ::1)."""
    host = host.strip()
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def resolve(host: str) -> list[str]:
    """Every address `host` names (an address names itself); UsageError when it names none."""
    name = bare(host)
    if name in WILDCARDS:
        return [name or "0.0.0.0"]
    try:
        found = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UsageError(N_("--host {host}: no address by that name ({error})"), host=host,
                         error=getattr(exc, "strerror", None) or str(exc)) from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def is_loopback(address: str) -> bool:
    """An address of this machine only (127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def is_local(host: str) -> bool:
    """Whether every address `host` resolves to is a loopback address."""
    return all(is_loopback(address) for address in resolve(host))


def check_host(host: str, allow_remote: bool, lang: str = "da") -> str | None:
    """A warning to print for a non-local address (in `lang`), or UsageError without --allow-remote.
    A name is resolved: it is local only when every address it names is a loopback address."""
    if is_local(host):
        return None
    if not allow_remote:
        raise UsageError(N_("--host {host} makes the pages reachable from other machines; "
                            "add --allow-remote if that is what you want"), host=host)
    return catalog(lang).gettext("warning: serving on {host}: anyone who can reach this address and has the "
                                 "address with its token can read every case. There is no login.").format(host=host)


def bind(host: str, port: int, allow_remote: bool = False) -> socket.socket:
    """A listening socket on the address `host` resolves to, checked again here (a name may
    resolve otherwise by now): never another machine's reach without `allow_remote`."""
    check_host(host, allow_remote)
    address = resolve(host)[0]
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((address, port))
    except OSError as exc:
        sock.close()
        raise FamilieplanError(N_("cannot listen on {host}:{port}: {error}"), host=host, port=port,
                               error=exc.strerror or str(exc)) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def address(host: str, port: int, token: str) -> str:
    """The address to open: the capability is the first segment of the path."""
    name = bare(host)
    shown = socket.gethostname() if name in WILDCARDS else name
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/{token}/"


def serve(options: ServeOptions, *, open_browser: bool, echo: Callable[[str], None], lang: str) -> None:
    """Serve the workspace until interrupted, the lines for the terminal in `lang`.
    `options.port` 0 picks a free port."""
    AccessLog(options.access_log or default_path(options.root), options.root).check()
    sock = bind(options.host, options.port, options.allow_remote)
    options = dataclasses.replace(options, port=sock.getsockname()[1], token=new_token())
    import uvicorn

    watcher = Watcher(options.root)
    app = create_app(options, watcher)

    class Server(uvicorn.Server):
        stopped_by: int | None = None  # the signal that stopped it

        def handle_exit(self, sig: int, frame: object) -> None:
            self.stopped_by = sig
            watcher.stop_soon()  # end the live-reload streams first: nothing waits on them
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=1, server_header=False)
    url = address(options.host, options.port, options.token)
    _ = catalog(lang).gettext
    echo(_("familieplan serve: {folder}").format(folder=options.root))
    echo(_("Open {url}").format(url=url))
    echo(_("Access log: {path}").format(path=options.access_log))
    echo(_("Press Ctrl-C to stop."))
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server = Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if server.stopped_by is not None:
        # Stopped by Ctrl-C (or a termination signal): the exit code of any command stopped so
        # (130), also when uvicorn's re-raising of the signal it caught did not reach us.
        raise KeyboardInterrupt


def workspace_root(root: Path) -> Path:
    if not (root / "cases").is_dir() and not (root / "familieplan.yaml").is_file():
        raise FamilieplanError(N_("{path}: not a workspace (no familieplan.yaml or cases/)"), path=str(root))
    return root.resolve()
