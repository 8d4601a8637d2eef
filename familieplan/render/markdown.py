"""Escaping user text for Markdown so that it renders as the text typed, never as markup.

Escaped everywhere: the characters that open inline markup (code, emphasis, links and
images, raw HTML and entities, table cells, strikethrough) and the `@` of an e-mail
address (so that no renderer turns it into a link). Escaped only where a block could
start — at the start of a line or of a list item (`line_start`): headings, quotes, lists,
thematic breaks, setext underlines; "16. marts" in the middle of a line stays as typed.
URL schemes and "www." are broken up so that no renderer turns them into links.
"""

from __future__ import annotations

import re

from familieplan.format.cleantext import clean

_INLINE = re.compile(r"([\\`*_\[\]<>|&~@])")
_SCHEME = re.compile(r"(?i)\b(https?|ftp|mailto|javascript|data|file|www)([:.])")
_BLOCK_START = re.compile(r"^([#>+=-])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def escape_inline(text: str, line_start: bool = False) -> str:
    """One line of user text inside a paragraph, list item, heading or table cell; with
    `line_start`, text that begins a line or a list item (where a block could open)."""
    text = clean(text).replace("\r", " ").replace("\n", " ").strip()
    text = _INLINE.sub(r"\\\1", text)
    text = _SCHEME.sub(r"\1\\\2", text)
    if not line_start:
        return text
    text = _BLOCK_START.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)
