"""CPR-shaped numbers never leave the tool: every stream the command line writes to passes
through `MaskingStream`, documents and calendars are masked as a whole before they are
written (`mask_cpr`, format/cpr.py), and every response body of `serve` passes `mask_body`
(in the web layer's guard). Masking whole outputs, not only the values known to
come from files, is what makes "every output" true: a number can reach a sentence through
an id, a title, a quoted line or a git author."""

from __future__ import annotations

from typing import IO, Any

from familieplan.format.cpr import mask_cpr


class MaskingStream:
    """A text stream that masks CPR-shaped numbers in everything written through it.

    Text is held until a line ends (a number may be written in two pieces); a carriage
    return or `flush` also lets it through, so progress lines still show."""

    def __init__(self, inner: IO[str]) -> None:
        self.inner = inner
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        cut = max(self._pending.rfind("\n"), self._pending.rfind("\r"))
        if cut >= 0:
            self.inner.write(mask_cpr(self._pending[: cut + 1]))
            self._pending = self._pending[cut + 1:]
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.inner.write(mask_cpr(self._pending))
            self._pending = ""
        self.inner.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


_APART = "\x00\n\x00"  # between two texts: no CPR-shaped number reaches across it


def mask_each(texts: list[str]) -> list[str]:
    """Each text masked as `mask_cpr` masks it alone, in one pass over them all."""
    joined = _APART.join(texts)
    if joined.count(_APART) != len(texts) - 1:  # a text holds the separator itself
        return [mask_cpr(text) for text in texts]
    return mask_cpr(joined).split(_APART) if texts else []


def mask_body(body: bytes) -> bytes:
    """A UTF-8 body (a web page, a style sheet, an event) masked as `mask_cpr` masks text;
    bytes that are no UTF-8 text are left as they are (nothing of ours is)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    masked = mask_cpr(text)
    return body if masked == text else masked.encode("utf-8")
