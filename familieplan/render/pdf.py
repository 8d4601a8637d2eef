"""Documents for the records system (ESDH): the HTML document printed to PDF/A.

Municipalities file what they send as PDF. The PDF is made from the same HTML (and its
print CSS, A4) as the HTML document, by WeasyPrint, as PDF/A-3b (archival): fonts embedded,
an output intent, XMP metadata. The title, language and author come from the HTML
(`<title>`, `<html lang>`, `<meta name="author">`), so a PDF carries the same words as the
document it was made from.
"""

from __future__ import annotations

from typing import Any

from familieplan.problems import N_, UsageError

PDF_VARIANT = "pdf/a-3b"


def html_to_pdf(html: str) -> bytes:
    """The PDF/A of a self-contained HTML document (no external resources are loaded)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the system's Pango library is missing
        raise UsageError(N_("PDF output needs WeasyPrint and the Pango library: "
                            "pip install 'familieplan[pdf]' ({error})"),
                         error=f"{exc.__class__.__name__}: {exc}") from None

    document = weasyprint.HTML(string=html, url_fetcher=data_only_fetcher(weasyprint))
    # Tagged (a screen reader gets headings, lists and tables), and still PDF/A-3b.
    return bytes(document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True))


def data_only_fetcher(weasyprint: Any) -> Any:
    """A URL fetcher that loads `data:` URLs only (a municipality's logo inlined in a
    workspace template) and refuses every other URL: the documents are self-contained,
    and a URL in user text must never be fetched. WeasyPrint 68 and later expect a
    `URLFetcher` object; earlier versions a function returning a dict."""
    urls = weasyprint.urls
    fetcher_class = getattr(urls, "URLFetcher", None)
    if fetcher_class is not None:
        return fetcher_class(allowed_protocols=("data",), allow_redirects=False)

    def fetch(url: str, *args: object, **kwargs: object) -> Any:
        if not url.lower().startswith("data:"):
            raise ValueError(f"external resource refused: {url[:60]}")
        return urls.default_url_fetcher(url, *args, **kwargs)

    return fetch
