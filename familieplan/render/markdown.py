"""Escaping user text for Markdown so that it renders as the text typed, never as markup.

Escaped only where the text would otherwise be read as markup, so that a document pasted
into an e-mail reads as typed ("navn@kommune.dk", "Børne- & familiecentret", "7. december"
in a line): code, emphasis and strikethrough, links and images, table cells, an `_` at
the edge of a word (inside one it is no emphasis), a `<` that could open raw HTML or an
autolink, an `&` that could start an entity. Escaped only where a block could
start — at the start of a line or of a list item (`line_start`): headings, quotes, lists,
thematic breaks, setext underlines; "16. marts" in the middle of a line stays as typed.
URL schemes and "www." are broken up so that no renderer turns them into links.
"""

from __future__ import annotations

import re

from familieplan.format.cleantext import clean

_INLINE = re.compile(r"([\\`*\[\]|~]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])|&(?=#?\w+;))")
_SCHEME = re.compile(r"(?i)\b(https?|ftp|mailto|javascript|data|file|www)([:.])")
_BLOCK_START = re.compile(r"^(>|#{1,6}(?=\s|$)|[+-](?=\s|$)|=+\s*$|-+\s*$)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def escape_inline(text: str, line_start: bool = False) -> str:
    """One line of user text inside a paragraph, list item, heading or table cell; with
    `line_start`, text that begins a line or a list item (where a block could open)."""
    text = clean(text).replace("\r", " ").replace("\n", " ").strip()
    text = _INLINE.sub(r"\\\1", text)
    text = _SCHEME.sub(r"\1\\\2", text)
    if not line_start:
        return text
    text = _BLOCK_START.sub(lambda found: "\\" + found.group(1), text, count=1)
    return _ORDERED.sub(r"\1\\\2", text)
