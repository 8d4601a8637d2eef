"""The one catalog of user-facing words: gettext catalogs, English message ids in the code.

Every word a reader sees — in reports, documents, calendars and the command line — is
looked up here, Danish from `familieplan/locale/da/LC_MESSAGES/familieplan.mo` and English
as written in the code (the message ids are the English text, so English needs no catalog
of its own: gettext's null translation gives the ids back, with English plural rules).
Number and date forms are catalog entries too (the decimal separator, "{day}. {month}
{year}"), so one place says how a language writes them.

The `.po` files are edited (or updated with `pybabel update`), the `.mo` files compiled
with `pybabel compile` and committed; a test checks that they agree and that every message
in the code and templates has a Danish translation (docs/development.md, "Languages and the catalog").
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "familieplan"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"


class Catalog:
    """The words of one language: `gettext`, `ngettext` and `pgettext` as in the standard
    library, plus the few number forms every reporter needs."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        self.lang = lang
        if lang == "en":
            self.translations: gettext.NullTranslations = gettext.NullTranslations()
        else:
            self.translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
        self.gettext = self.translations.gettext
        self.ngettext = self.translations.ngettext
        self.pgettext = self.translations.pgettext
        self.npgettext = self.translations.npgettext
        self.decimal_separator = self.pgettext("decimal separator", ".")

    def number(self, value: float, decimals: int = 1) -> str:
        """'7,5' / '7.5': at most `decimals` decimals, trailing zeros dropped."""
        text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
        return text.replace(".", self.decimal_separator)

    def level(self, level: str) -> str:
        """A problem's or finding's level as the reader's word for it."""
        if level == "error":
            return self.pgettext("level", "error")
        if level == "warning":
            return self.pgettext("level", "warning")
        if level == "info":
            return self.pgettext("level", "info")
        return level


@cache
def catalog(lang: str | None = None) -> Catalog:
    """The catalog of a language (default Danish); loaded once per process."""
    return Catalog(lang or DEFAULT_LANGUAGE)
