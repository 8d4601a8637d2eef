"""CPR-shaped numbers never leave the tool: every stream the command line writes to passes
through `MaskingStream`, and documents and calendars are masked as a whole before they are
written (`mask_cpr`, format/cpr.py). Masking whole outputs, not only the values known to
come from files, is what makes "every output" true: a number can reach a sentence through
an id, a title, a quoted line or a git author."""

from __future__ import annotations

import codecs
from typing import IO, Any

from familieplan.format.cpr import mask_cpr


class MaskingStream:
    """A text stream that masks CPR-shaped numbers in everything written through it.

    Text is held until a line ends (a number may be written in two pieces); a carriage
    return or `flush` also lets it through, so progress lines still show."""

    def __init__(self, inner: IO[str]) -> None:
        self.inner = inner
        self._pending = ""
        self._text_since_bytes = False  # text written to `inner` since the last bytes
        encoding = getattr(inner, "encoding", None)
        try:
            utf8 = encoding is not None and codecs.lookup(encoding).name == "utf-8"
        except LookupError:
            utf8 = False
        # Where masked UTF-8 bytes may go straight to the binary layer below the text.
        self._bytes = getattr(inner, "buffer", None) if utf8 and getattr(inner, "errors", None) == "strict" else None

    def write(self, text: str) -> int:
        self._text_since_bytes = True
        self._pending += text
        cut = max(self._pending.rfind("\n"), self._pending.rfind("\r"))
        if cut >= 0:
            self.inner.write(mask_cpr(self._pending[: cut + 1]))
            self._pending = self._pending[cut + 1:]
        return len(text)

    def write_masked(self, data: str | bytes) -> None:
        """Write text that `mask_cpr` has masked already (rows masked where they were made,
        and cached so): past the mask, after what is held. The text must not continue a
        number begun in what was written before it (a row starts with its own bracket).
        UTF-8 bytes go to the binary layer when the stream writes UTF-8 (no decoding and
        encoding again of a caseload's rows), else they are decoded."""
        if self._pending:
            self.inner.write(mask_cpr(self._pending))
            self._pending = ""
        if isinstance(data, bytes):
            if self._bytes is None:
                self.inner.write(data.decode("utf-8"))
                return
            if self._text_since_bytes:
                self.inner.flush()  # the text written before goes first
                self._text_since_bytes = False
            self._bytes.write(data)
            return
        self._text_since_bytes = True
        self.inner.write(data)

    def flush(self) -> None:
        if self._pending:
            self.inner.write(mask_cpr(self._pending))
            self._pending = ""
        self.inner.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def write_masked(out: IO[str], data: str | bytes) -> None:
    """`data` (text, or UTF-8 bytes), masked by `mask_cpr` where it was made, written to
    `out` without masking it again where `out` masks (`MaskingStream`); any other stream
    takes it as it is."""
    write = getattr(out, "write_masked", None)
    if write is not None:
        write(data)
    else:
        out.write(data.decode("utf-8") if isinstance(data, bytes) else data)


_APART = "\x00\n\x00"  # between two texts: no CPR-shaped number reaches across it


def mask_each(texts: list[str]) -> list[str]:
    """Each text masked as `mask_cpr` masks it alone, in one pass over them all."""
    joined = _APART.join(texts)
    if joined.count(_APART) != len(texts) - 1:  # a text holds the separator itself
        return [mask_cpr(text) for text in texts]
    return mask_cpr(joined).split(_APART) if texts else []
