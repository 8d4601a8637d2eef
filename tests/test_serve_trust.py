"""`familieplan serve` keeps the documents' promises: CPR-shaped numbers masked on every
route, every response with case data in the access log (never written through a link), `--host` accepted without `--allow-remote` only when every address it names is a
loopback address (and IPv6 printed as a URL wants it), and requests that share nothing: 60
at once while a case file is edited, then a consent edit of the same size seen at once."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import shutil
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import EXAMPLES, PATIENCE, Served, run_cli
from familieplan.problems import UsageError
from familieplan.web import server

KARIMI, LUND, HOLM = "2026-002-karimi", "2025-003-lund", "2025-001-holm"
KARIMI_MEETING = "2026-02-16-faellesmoede"
SPELLINGS = ("010203-1234", "0102031234", "010203 1234", "010203\u20131234")  # hyphen, none, space, en dash
CPR = " ".join(SPELLINGS)
FIELDS = [  # (file of the Karimi case, text as in the examples): eight fields a number may be typed into
    ("case.yaml", "title: Familien Karimi"),
    ("case.yaml", "name: Nadia Karimi"),
    ("case.yaml", "name: Mikkel Ravn"),
    ("plan.yaml", "title: Ambulant behandling for rusmidler"),
    ("plan.yaml", "text: Nadia fastholder sin ædruelighed"),
    ("plan.yaml", "name: Behandling og ro i familien"),
    ("agreements.yaml", "text: Aisha undersøger, om Ali kan få plads i vuggestue tættere på hjemmet"),
    ("agreements.yaml", "about: Hvornår kan Ali starte i den nye vuggestue?"),
]
HEALTH_TEXT = "Samtaler hos psykolog"  # the Lund case's health-area intervention


def _unmasked(body: str) -> list[str]:
    """Digits of the number in any spelling (an HTML entity for the dash included)."""
    return re.findall(r"010203|0102031234|\b1234\b", body.replace("\\-", "-"))


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("cpr") / "examples"
    shutil.copytree(EXAMPLES, root)
    case = root / "cases" / KARIMI
    for name, text in FIELDS:
        path = case / name
        original = path.read_text(encoding="utf-8")
        assert text in original, text
        path.write_text(original.replace(text, f"{text} {CPR}", 1), encoding="utf-8")
    meeting = case / "meetings" / f"{KARIMI_MEETING}.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "title: Familiebehandlingen", f"title: Familiebehandlingen {CPR}", 1), encoding="utf-8")
    served = Served(root, "--today", "2026-05-20")
    yield served
    assert served.stop() == 130


def _routes() -> list[str]:
    readers = ["nadia", "sami", "sb-job", "sb-familie", "misbrugsbehandler"]
    return ["/", "/?sort=load", "/?coordinator=Mikkel+Ravn+010203-1234", "/problems", f"/problems?case={KARIMI}",
            f"/cases/{KARIMI}", *(f"/cases/{KARIMI}?for={r}" for r in readers),
            f"/cases/{KARIMI}/meetings/{KARIMI_MEETING}",
            *(f"/cases/{KARIMI}/meetings/{KARIMI_MEETING}?for={r}" for r in readers),
            "/cases/2099-999-findes-ikke", "/static/web.css", "/static/document.css", "/static/live.js"]


@pytest.mark.parametrize("route", _routes())
def test_no_route_shows_a_cpr_number(leaky, route):
    status, headers, body = leaky.request("GET", route)
    assert status in (200, 404), (route, status)
    assert _unmasked(body) == [], (route, _unmasked(body))
    assert int(headers["content-length"]) == len(body.encode("utf-8"))


def test_the_numbers_are_on_the_pages_masked(leaky):
    """The fields reach the pages (so the test above looks at them), each spelling masked."""
    _, _, case = leaky.request("GET", f"/cases/{KARIMI}")
    for masked in ("######-####", "##########", "###### ####", "######\u2013####"):
        assert masked in case or masked.replace("\u2013", "&ndash;") in case, masked
    assert case.count("######") >= 4 * 7  # seven of the fields are on the case page
    _, _, meeting = leaky.request("GET", f"/cases/{KARIMI}/meetings/{KARIMI_MEETING}")
    assert "Familiebehandlingen ######-####" in meeting


def test_the_mask_is_applied_where_every_body_passes(leaky):
    """A HEAD answer and the event stream pass the same guard (its MaskingSend)."""
    from familieplan.render.privacy import mask_body

    assert mask_body(b"Nadia 010203-1234 og 0102031234") == b"Nadia ######-#### og ##########"
    assert mask_body(b"\xff\xfe010203-1234") == b"\xff\xfe010203-1234"  # not UTF-8: left as it is
    status, headers, body = leaky.request("HEAD", f"/cases/{KARIMI}")
    assert status == 200 and body == "" and int(headers["content-length"]) > 0


# --- the access log ------------------------------------------------------------------------

def test_every_response_with_case_data_is_in_the_access_log(served):
    log = served.root / "output" / "access-log.jsonl"
    before = len(log.read_text().splitlines()) if log.exists() else 0
    served.request("GET", f"/cases/{KARIMI}?for=nadia")
    served.request("GET", f"/cases/{KARIMI}?for=nadia")  # served from the memo: logged all the same
    served.request("GET", "/?sort=load")
    served.request("GET", "/cases/2025-001-holm/meetings/2025-09-15-faellesmoede?for=laerer")
    served.request("GET", f"/problems?case={LUND}")
    served.request("GET", "/problems")
    served.request("GET", "/static/web.css")  # no case data: not logged
    served.request("GET", "/cases/2099-999-ukendt-sag")  # nothing served: not logged
    entries = [json.loads(line) for line in log.read_text().splitlines()][before:]
    assert [(e["case"], e["view_as"], e["page"]) for e in entries] == [
        (KARIMI, "nadia", "case"), (KARIMI, "nadia", "case"), (None, None, "caseload"),
        ("2025-001-holm", "laerer", "meeting 2025-09-15-faellesmoede"), (LUND, None, "problems"),
        (None, None, "problems")]
    assert entries[0]["account"] and dt.datetime.fromisoformat(entries[0]["time"]).tzinfo is not None
    assert oct(log.stat().st_mode & 0o777) == "0o600"
    assert "cases" not in log.relative_to(served.root).parts


def test_the_event_stream_is_in_the_access_log(served):
    log = served.root / "output" / "access-log.jsonl"
    before = len(log.read_text().splitlines())
    conn = http.client.HTTPConnection(served.host, served.port, timeout=PATIENCE)
    conn.request("GET", f"/{served.token}/events", headers={"Host": served.netloc})
    response = conn.getresponse()
    assert response.status == 200 and response.readline().startswith(b"retry:")
    conn.close()
    assert [json.loads(line)["page"] for line in log.read_text().splitlines()[before:]] == ["events"]


@pytest.mark.parametrize("linked", ["output", "output/access-log.jsonl"])
def test_a_symbolic_link_in_place_of_the_log_or_its_folder_is_refused(tmp_path, runner, linked):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if linked == "output":
        (root / "output").symlink_to(elsewhere, target_is_directory=True)
    else:
        (root / "output").mkdir(exist_ok=True)
        (root / linked).symlink_to(elsewhere / "log.jsonl")
    result = run_cli(runner, ["serve", "--workspace", str(root), "--port", "0", "--no-open"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "symbolsk link" in lines[0] and str(root / linked) in lines[0], result.output
    assert list(elsewhere.iterdir()) == []  # nothing written through the link


def test_a_log_folder_swapped_for_a_link_while_serving_stops_the_page(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    server = Served(root, "--today", "2026-05-20")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    try:
        shutil.rmtree(root / "output")
        (root / "output").symlink_to(elsewhere, target_is_directory=True)
        status, _, body = server.request("GET", f"/cases/{LUND}")
        assert status == 500 and "Lund" not in body
        assert list(elsewhere.iterdir()) == []
    finally:
        server.proc.send_signal(2)
        _, errors = server.proc.communicate(timeout=PATIENCE)
    assert "symbolsk link" in errors and "Traceback" not in errors


# --- --host ------------------------------------------------------------------------------

def _resolving(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> None:
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in names:
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0))
                    for a in names[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize(("name", "addresses", "local"), [
    ("127.example.test", ["0.0.0.0"], False),
    ("127.example.test", ["192.0.2.7"], False),
    ("mixed.example.test", ["127.0.0.1", "192.0.2.7"], False),  # every address must be loopback
    ("loop.example.test", ["127.0.0.1", "::1"], True),
    ("mapped.example.test", ["::ffff:127.0.0.1"], True),
])
def test_a_host_name_is_local_only_when_every_address_is_loopback(monkeypatch, name, addresses, local):
    _resolving(monkeypatch, {name: addresses})
    assert server.is_local(name) is local
    if local:
        assert server.check_host(name, False) is None
    else:
        with pytest.raises(UsageError):
            server.check_host(name, False)
        with pytest.raises(UsageError):
            server.bind(name, 0)  # checked again where it is bound
        assert "intet login" in (server.check_host(name, True) or "")


def test_the_cli_refuses_a_name_resolving_elsewhere_without_allow_remote(runner, examples_ws, monkeypatch):
    _resolving(monkeypatch, {"127.example.test": ["0.0.0.0"]})
    result = run_cli(runner, ["serve", "--workspace", str(examples_ws), "--host", "127.example.test", "--no-open"])
    assert result.exit_code == 2 and "--allow-remote" in result.output


def test_a_host_that_names_nothing_is_one_line(runner, examples_ws):
    result = run_cli(runner, ["serve", "--workspace", str(examples_ws), "--host", "findes-ikke.invalid", "--no-open"])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0", "[::]"])
def test_addresses_are_printed_as_urls(host):
    shown = server.address(host, 8765, "T")
    if host in ("::1", "[::1]"):
        assert shown == "http://[::1]:8765/T/"
    elif host in ("0.0.0.0", "[::]"):
        assert shown == f"http://{socket.gethostname()}:8765/T/"
    else:
        assert shown == f"http://{host}:8765/T/"


@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_serving_on_ipv6_loopback(tmp_path, host):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    served = Served(root, "--today", "2026-05-20", "--host", host)
    try:
        assert any(re.search(rf"http://\[::1\]:{served.port}/{served.token}/\s*$", line) for line in served.lines)
        status, _, body = served.request("GET", f"/cases/{LUND}")
        assert status == 200 and "Familien Lund" in body
    finally:
        assert served.stop() == 130


# --- requests share nothing ----------------------------------------------------------------

def _edit_keeping_stat(path: Path, old: str, new: str) -> None:
    """Replace text by text of the same length and give the file its old mtime back: as an
    edit within the file system's timestamp granularity looks."""
    assert len(old.encode()) == len(new.encode())
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size


@pytest.mark.slow
def test_sixty_requests_while_a_case_file_is_edited_then_a_same_size_consent_edit(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    served = Served(root, "--today", "2026-05-20")
    karimi = root / "cases" / KARIMI / "case.yaml"
    original = karimi.read_text(encoding="utf-8")
    routes = ["/", f"/cases/{KARIMI}", f"/cases/{KARIMI}?for=nadia", f"/cases/{LUND}?for=skolekonsulent",
              f"/cases/{LUND}", f"/cases/{HOLM}/meetings/2025-09-15-faellesmoede?for=laerer", "/problems",
              f"/cases/{KARIMI}/meetings/{KARIMI_MEETING}?for=sb-job", f"/problems?case={KARIMI}", f"/cases/{HOLM}"]
    try:
        for _ in range(3):
            stop = threading.Event()

            def edit(stop: threading.Event = stop) -> None:
                flip = False
                while not stop.is_set():
                    flip = not flip
                    karimi.write_text(original.replace("Familien Karimi", "Familien Kerimi") if flip else original,
                                      encoding="utf-8")

            editor = threading.Thread(target=edit)
            editor.start()
            try:
                with ThreadPoolExecutor(60) as pool:
                    statuses = list(pool.map(lambda path: served.request("GET", path)[0], routes * 6))
            finally:
                stop.set()
                editor.join()
            karimi.write_text(original, encoding="utf-8")
            assert len(statuses) == 60 and set(statuses) == {200}, statuses
        lund = root / "cases" / LUND / "case.yaml"
        _, _, before = served.request("GET", f"/cases/{LUND}?for=skolekonsulent")
        assert HEALTH_TEXT not in before
        # Thomas's health consent now names the school instead of the jobcentre: same size, same mtime.
        _edit_keeping_stat(lund, "departments: [jobcenter]\n    from: 2026-04-01",
                           "departments: [skole]    \n    from: 2026-04-01")
        _, _, after = served.request("GET", f"/cases/{LUND}?for=skolekonsulent")
        assert HEALTH_TEXT in after
    finally:
        assert served.stop() == 130


def test_pages_made_at_once_in_threads_equal_those_made_one_by_one(examples_ws):
    """The library keeps no per-case state between calls: pages made in 16 threads at once
    (as Starlette's pool makes them, with the store written in between) are the pages made
    one after another."""
    from familieplan.engine.store import clear
    from familieplan.web.app import ServeOptions, Site
    from familieplan.web.live import Watcher

    site = Site(ServeOptions(examples_ws, today=dt.date(2026, 5, 20)), Watcher(examples_ws))
    asked = [(KARIMI, None), (KARIMI, "sami"), (LUND, "skolekonsulent"), (LUND, None), (HOLM, "laerer"), (HOLM, None)]

    def made(job: tuple[str, str | None]) -> str:
        page = site.case(*job)
        return re.sub(r"<footer>.*</footer>", "", page, flags=re.S)  # the minute it was made

    clear(examples_ws)  # a cold store: every thread computes and writes
    with ThreadPoolExecutor(16) as pool:
        at_once = list(pool.map(made, asked * 4))
    one_by_one = [made(job) for job in asked]
    assert at_once == one_by_one * 4
