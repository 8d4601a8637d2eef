"""serve fits a phone (WCAG 1.4.10, reflow): no page scrolls sideways in a 320 px wide
viewport, the caseload, a case, a case seen as a professional ("Se som"), a meeting and the
problems page (Debian's Chromium through Playwright, as tests/test_serve_browser.py)."""

from __future__ import annotations

import pytest
from test_serve_browser import _pages, browser, site  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.slow

WIDTH = 320


def test_no_page_is_wider_than_320_px(browser, site):  # noqa: F811
    context = browser.new_context(viewport={"width": WIDTH, "height": 640}, locale="da-DK")
    tab = context.new_page()
    tab.goto(site.url)
    wide = {}
    for name, path in _pages(site).items():
        tab.goto(site.base + path)
        width = tab.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        if width > WIDTH:
            culprits = tab.evaluate("""(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 1)
                .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                                      + ' ' + Math.round(e.getBoundingClientRect().right))""", WIDTH)
            wide[name] = (width, culprits)
    context.close()
    assert wide == {}
