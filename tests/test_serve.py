"""`familieplan serve`: security against a running server, the pages, live reload, the access log."""

from __future__ import annotations

import datetime as dt
import http.client
import shutil
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, PATIENCE, Served, run_cli
from familieplan.render import pages
from familieplan.web.security import split_host
from familieplan.web.server import check_host

LUND = "2025-003-lund"
KARIMI = "2026-002-karimi"
HEALTH_TEXT = "Samtaler hos psykolog"  # an intervention in the health area of the Lund case
SECURITY_HEADERS = {
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def assert_security_headers(headers: dict[str, str]) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (name, headers)
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp and "'unsafe-eval'" not in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


# --- security ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", f"/cases/{LUND}", "/problems", "/static/live.js", "/events", "/nope"])
def test_without_the_capability_is_403(served, path):
    status, headers, body = served.request("GET", path, capability=False)
    assert status == 403
    assert_security_headers(headers)
    assert "Lund" not in body and "psykolog" not in body


@pytest.mark.parametrize("path", ["/{x}/", "/{x}/cases/" + LUND, "/?token={token}", "/cases/" + LUND + "?token={token}",
                                  "/{token}x/", "/x{token}/", "/%2F{token}/", "//{token}/", "/{upper}/"])
def test_a_wrong_or_misplaced_capability_is_403(served, path):
    wrong = path.format(x="x" * len(served.token), token=served.token, upper=served.token.swapcase())
    status, _, body = served.request("GET", wrong, capability=False)
    assert status == 403, wrong
    assert "Lund" not in body and served.token not in body


def test_no_cookie_is_ever_set_and_a_cookie_opens_nothing(served):
    """The capability is the path: nothing a browser would send to another port of the machine."""
    for path in ("/", f"/cases/{LUND}?for=thomas", "/problems", "/static/web.css"):
        status, headers, _ = served.request("GET", path)
        assert status == 200 and "set-cookie" not in headers, path
    for cookie in (f"familieplan-{served.port}={served.token}", f"token={served.token}"):
        status, _, _ = served.request("GET", "/", headers={"Cookie": cookie}, capability=False)
        assert status == 403


def test_the_capability_without_its_slash_redirects_below_it(served):
    status, headers, _ = served.request("GET", f"/{served.token}?sort=load", capability=False)
    assert status == 308 and headers["location"] == f"/{served.token}/?sort=load"


def test_every_address_on_a_page_carries_the_capability(served):
    import re

    _, _, body = served.request("GET", f"/cases/{LUND}?for=thomas")
    addresses = re.findall(r'(?:href|src|action|data-events)="([^"]*)"', body)
    local = [a for a in addresses if not a.startswith(("data:", "#", "http://www.w3.org"))]
    assert local and all(a.startswith(f"/{served.token}/") for a in local), local


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "localhost.evil.example:{port}",
                                  "", "[::1", "127.0.0.1:{port}x"])
def test_a_foreign_host_header_is_refused(served, host):
    status, headers, body = served.request("GET", "/", headers={"Host": host.format(port=served.port)})
    assert status in (400, 403)
    assert_security_headers(headers)
    assert "Familien" not in body


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "LOCALHOST:{port}"])
def test_localhost_and_the_bound_address_are_accepted(served, host):
    status, _, _ = served.request("GET", "/", headers={"Host": host.format(port=served.port)})
    assert status == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head(served, method):
    status, headers, _ = served.request(method, f"/cases/{LUND}")
    assert status == 405
    assert headers["allow"] == "GET, HEAD"
    assert_security_headers(headers)


def test_head_works(served):
    status, headers, body = served.request("HEAD", "/")
    assert status == 200 and body == ""
    assert_security_headers(headers)


@pytest.mark.parametrize("path", [
    "/cases/..", "/cases/../familieplan.yaml", "/cases/%2e%2e/familieplan.yaml", "/cases/..%2f..%2fetc%2fpasswd",
    "/cases/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/../../etc/passwd", "/static/..%2f..%2fpyproject.toml",
    "/static/document.css%00", "/cases/2099-999-ukendt-sag", f"/cases/{LUND}/meetings/..%2fcase.yaml",
    f"/cases/{LUND}/meetings/2099-01-01-ukendt-moede", f"/cases/{LUND}?for=ukendt-person",
    f"/cases/{LUND}/case.yaml", "/cases/.hidden", "/problems?case=2099-999-ukendt-sag",
])
def test_unknown_or_climbing_addresses_are_404_without_echo(served, path):
    status, headers, body = served.request("GET", path)
    assert status == 404, path
    assert_security_headers(headers)
    for echoed in ("..", "passwd", "ukendt", "pyproject", "case.yaml", "hidden", str(served.root)):
        assert echoed not in body, (path, echoed)
    assert "Siden findes ikke" in body


def test_check_host_needs_allow_remote_for_other_addresses():
    assert check_host("127.0.0.1", False) is None and check_host("localhost", False) is None
    from familieplan.problems import UsageError

    with pytest.raises(UsageError):
        check_host("0.0.0.0", False)
    warning = check_host("0.0.0.0", True)
    assert warning and "intet login" in warning
    assert "no login" in (check_host("0.0.0.0", True, "en") or "")


def test_cli_refuses_a_remote_host_without_allow_remote(runner, examples_ws):
    result = run_cli(runner, ["serve", "--workspace", str(examples_ws), "--host", "0.0.0.0", "--no-open"])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output


def test_split_host():
    assert split_host("localhost:8765") == ("localhost", 8765)
    assert split_host("[::1]:80") == ("::1", 80)
    assert split_host("example") == ("example", None)
    assert split_host("a:b") is None and split_host("[::1") is None


# --- pages ---------------------------------------------------------------------------------

def test_caseload_lists_the_active_cases_as_the_teams_internal_view(served):
    status, headers, body = served.request("GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    for title in ("Familien Holm", "Familien Karimi", "Familien Lund"):
        assert title in body
    assert "Familien Norup" not in body  # closed
    assert "Teamets interne visning" in body
    assert f'<a href="/{served.token}/cases/2025-003-lund">' in body


def test_caseload_filters_by_coordinator_and_sorts(served):
    _, _, body = served.request("GET", "/?coordinator=Rasmus+Kj%C3%A6r")
    assert "Familien Lund" in body and "Familien Holm" not in body
    _, _, by_load = served.request("GET", "/?sort=load")
    rows = [line for line in by_load.splitlines() if line.startswith(f'<td data-label="Sag"><a href="/{served.token}/cases/')]
    assert len(rows) == 3 and KARIMI in rows[0]  # the case with load errors first
    assert f'aria-sort="descending"><a href="/{served.token}/?sort=load' in by_load


def test_case_page_internal_and_as_a_reader(served):
    _, _, internal = served.request("GET", f"/cases/{LUND}")
    assert HEALTH_TEXT in internal
    assert "Teamets interne visning" in internal
    for section in ("Familien", "Faser", "Belastning: fund pr. person", "Frister", "Spørgsmål", "Møder"):
        assert f">{section}" in internal, section
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="load-chart"' in internal
    _, _, school = served.request("GET", f"/cases/{LUND}?for=skolekonsulent")
    assert HEALTH_TEXT not in school and "Et punkt er udeladt" in school
    assert "Se som: Anders Bach" in school and "Teamets interne visning" not in school
    # the team's sections, filtered by the same rule (test_serve_sections.py): no health-area text in any
    assert "Belastning: fund pr. person" in school and "psykolog</" not in school
    _, _, jobcenter = served.request("GET", f"/cases/{LUND}?for=sb-job")  # the coordinator reads everything
    assert HEALTH_TEXT in jobcenter


def test_the_reader_view_is_the_documents_own_content(served):
    """Se som shows exactly what render-plan --for gives (same context builder and template)."""
    import re

    from familieplan import api
    from familieplan.render.documents import DocumentRequest

    ws, _ = api.load_valid(served.root, [LUND])
    now = dt.datetime(2026, 5, 20, 9, 0)
    req = DocumentRequest("plan", "html", "skolekonsulent", None, now, dt.date(2026, 5, 20))
    document = api.render_documents(served.root, ws.cases[0], ws.settings, req, Path("-")).texts[0][1]
    content = document.split("<main>")[1].split("</main>")[0].strip()
    _, _, page = served.request("GET", f"/cases/{LUND}?for=skolekonsulent")
    assert content in page
    assert re.search(r"<h2>Faser</h2>", page)


def test_load_findings_are_grouped_by_person_with_who_should_talk(served):
    _, _, body = served.request("GET", f"/cases/{KARIMI}")
    section = body.split("Belastning: fund pr. person")[1]
    assert "<h3>Nadia Karimi</h3>" in section
    assert "Bør tale sammen:" in section and "overlap" in section


def test_meeting_page_shows_the_minutes_for_a_reader(served):
    status, _, body = served.request("GET", "/cases/2025-001-holm/meetings/2025-09-15-faellesmoede?for=laerer")
    assert status == 200
    assert "Referat" in body and "Se som:" in body
    _, _, internal = served.request("GET", "/cases/2025-001-holm/meetings/2025-09-15-faellesmoede")
    assert "Dagsorden" in internal and "Teamets interne visning" in internal


def test_static_files_and_the_documents_css(served):
    status, headers, css = served.request("GET", "/static/document.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert "@page { size: A4;" in css
    _, _, script = served.request("GET", "/static/live.js")
    assert "EventSource" in script


def test_an_invalid_case_is_listed_with_its_problems_and_the_rest_stay(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    plan = root / "cases" / LUND / "plan.yaml"
    plan.write_text(plan.read_text().replace("area: health", "area: helth", 1))
    server = Served(root, "--today", "2026-05-20")
    try:
        _, _, body = server.request("GET", "/")
        assert "Familien Holm" in body and "Familien Karimi" in body
        assert "Sager, der ikke kan læses" in body and f'href="/{server.token}/problems?case={LUND}"' in body
        _, _, problems = server.request("GET", f"/problems?case={LUND}")
        assert "plan.yaml" in problems and "area: helth" in problems and "^" in problems
        assert "Forslag:" in problems  # the hint
        status, _, case_page = server.request("GET", f"/cases/{LUND}")
        assert status == 200 and "area: helth" in case_page  # its problems instead of a broken page
    finally:
        assert server.stop() == 130


def test_english_pages(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    server = Served(root, "--today", "2026-05-20", "--lang", "en")
    try:
        _, _, body = server.request("GET", "/")
        assert "<html lang=\"en\">" in body and "Cases" in body and "internal view" in body
        _, _, case = server.request("GET", f"/cases/{LUND}?for=thomas")
        assert "View as: Thomas Lund" in case and "<h2>Phases</h2>" in case
    finally:
        server.stop()


def test_a_workspace_in_english_is_served_in_english(tmp_path):
    """No --lang: the workspace's `language: en` decides (the one rule, render/language.py),
    for the pages, the 404 page and the lines in the terminal."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    settings = root / "familieplan.yaml"
    settings.write_text(settings.read_text().replace("language: da", "language: en"))
    server = Served(root, "--today", "2026-05-20")
    try:
        assert server.lines[-1].startswith("Open http://"), server.lines
        _, _, body = server.request("GET", "/")
        assert '<html lang="en">' in body and "internal view" in body and "Teamets interne visning" not in body
        _, _, case = server.request("GET", f"/cases/{LUND}?for=thomas")
        assert "View as: Thomas Lund" in case and "<h2>Phases</h2>" in case
        status, _, missing = server.request("GET", "/cases/2099-999-ukendt-sag")
        assert status == 404 and '<html lang="en">' in missing and "Siden findes ikke" not in missing
    finally:
        assert server.stop() == 130


# --- live reload, memo, access log, stopping ----------------------------------------------

def _read_event(served: Served, change, timeout: float = PATIENCE) -> str:
    conn = http.client.HTTPConnection(served.host, served.port, timeout=timeout)
    conn.request("GET", f"/{served.token}/events", headers={"Host": served.netloc})
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("content-type", "").startswith("text/event-stream")
    assert response.readline().startswith(b"retry:")
    response.readline()
    change()
    deadline = time.monotonic() + timeout
    lines = []
    while time.monotonic() < deadline:
        line = response.readline().decode()
        lines.append(line)
        if line.startswith("event: change"):
            break
    conn.close()
    return "".join(lines)


def test_a_changed_file_sends_a_change_event_and_new_pages(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    server = Served(root, "--today", "2026-05-20")
    try:
        _, _, before = server.request("GET", "/")
        assert "Familien Lund" in before
        case_file = root / "cases" / LUND / "case.yaml"

        def change() -> None:
            case_file.write_text(case_file.read_text().replace("title: Familien Lund", "title: Familien Lund-Berg"))

        assert "event: change" in _read_event(server, change)
        _, _, after = server.request("GET", "/")
        assert "Familien Lund-Berg" in after
    finally:
        server.stop()


def test_serve_access_log_prints_where_it_is(runner, examples_ws):
    result = run_cli(runner, ["serve", "--workspace", str(examples_ws), "--access-log"])
    assert result.exit_code == 0
    assert result.output.strip() == str((examples_ws / "output" / "access-log.jsonl").resolve())


def test_ctrl_c_stops_the_server_with_an_open_event_stream(tmp_path):
    """An open live-reload stream does not keep the server alive: Ctrl-C ends it and the
    process (stop() fails if it is still running after PATIENCE), with the exit code 130."""
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    server = Served(root)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=PATIENCE)
    conn.request("GET", f"/{server.token}/events", headers={"Host": server.netloc})
    response = conn.getresponse()
    assert response.status == 200
    assert response.readline().startswith(b"retry:")  # the stream is open and being served
    assert server.stop() == 130
    conn.close()


def test_case_of_finds_the_case_of_a_problem():
    assert pages.case_of("cases/2025-003-lund/plan.yaml", {"2025-003-lund"}) == "2025-003-lund"
    assert pages.case_of("/x/cases/cases/a/b.yaml", {"a"}) == "a"
    assert pages.case_of("familieplan.yaml", {"a"}) is None


def test_a_broken_workspace_template_is_one_line_and_a_500(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLES, root)
    (root / "templates" / "render").mkdir(parents=True)
    (root / "templates" / "render" / "plan.html.j2").write_text('{% extends "render/findes-ikke.html.j2" %}')
    server = Served(root, "--today", "2026-05-20")
    try:
        status, headers, body = server.request("GET", f"/cases/{LUND}")
        assert status == 500 and "plan.html" not in body
        assert_security_headers(headers)
        status, _, _ = server.request("GET", "/")
        assert status == 200  # the rest of the site goes on
    finally:
        server.proc.send_signal(2)
        _, errors = server.proc.communicate(timeout=PATIENCE)
    assert "familieplan: fejl: skabelonen render/plan.html.j2 har ingen blok 'content'" in errors
    assert "Traceback" not in errors
