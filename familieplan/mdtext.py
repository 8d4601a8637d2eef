"""Escaping user text for Markdown so that it renders as the text typed, never as markup."""

from __future__ import annotations

import re

from familieplan.textclean import clean

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all
# that could start markup is simpler and safer than guessing which context matters.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=:&\"'$^])")


def escape_inline(text: str) -> str:
    """One line of user text inside a paragraph, heading or table cell."""
    text = clean(text).replace("\r", " ").replace("\n", " ")
    return _SPECIAL.sub(r"\\\1", text)
