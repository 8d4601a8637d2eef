"""Documents for the records system (ESDH): the HTML document printed to PDF/A.

Municipalities file what they send as PDF. The PDF is made from the same HTML (and its
print CSS, A4) as the HTML document, by WeasyPrint, as PDF/A-3b (archival): fonts embedded,
an output intent, XMP metadata. The title, language and author come from the HTML
(`<title>`, `<html lang>`, `<meta name="author">`), so a PDF carries the same words as the
document it was made from.
"""

from __future__ import annotations

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

    def refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        # The documents are self-contained; a URL in user text must never be fetched.
        raise ValueError(f"external resource refused: {url[:60]}")

    document = weasyprint.HTML(string=html, url_fetcher=refuse)
    return bytes(document.write_pdf(pdf_variant=PDF_VARIANT))
