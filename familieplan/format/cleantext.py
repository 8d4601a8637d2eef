"""Characters that never reach a rendered document: controls, zero-width, bidi overrides."""

from __future__ import annotations

import re

_DROP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


_SEPARATORS = str.maketrans({"\u2028": " ", "\u2029": " "})


def clean(text: str) -> str:
    """The text without invisible characters; a line or paragraph separator becomes a space."""
    return _DROP.sub("", text).translate(_SEPARATORS)
