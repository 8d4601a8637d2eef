"""Small text helpers shared by scaffolding and rendering."""

from __future__ import annotations

import re
import unicodedata

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str, max_len: int = 40) -> str:
    """'Familien Sørensen' -> 'familien-soerensen' (æ→ae, ø→oe, å→aa)."""
    text = text.translate(_DANISH).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:max_len].rstrip("-")
