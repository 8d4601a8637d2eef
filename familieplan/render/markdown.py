"""Escaping user text for Markdown so that it renders as the text typed, never as markup.

Escaped everywhere: the characters that open inline markup (code, emphasis, links and
images, raw HTML and entities, table cells, strikethrough). Escaped at the start of a
line: what opens a block (headings, quotes, lists, thematic breaks, setext underlines).
URL schemes and "www." are broken up so that no renderer turns them into links.
"""

from __future__ import annotations

import re

from familieplan.format.cleantext import clean

_INLINE = re.compile(r"([\\`*_\[\]<>|&~])")
_SCHEME = re.compile(r"(?i)\b(https?|ftp|mailto|javascript|data|file|www)([:.])")
_BLOCK_START = re.compile(r"^([#>+=-])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def escape_inline(text: str) -> str:
    """One line of user text inside a paragraph, list item, heading or table cell."""
    text = clean(text).replace("\r", " ").replace("\n", " ").strip()
    text = _INLINE.sub(r"\\\1", text)
    text = _SCHEME.sub(r"\1\\\2", text)
    text = _BLOCK_START.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)
