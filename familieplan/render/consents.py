"""Words for consents that end (`due`, `status`), Danish and English in one table."""

from __future__ import annotations

from collections.abc import Callable

from familieplan.commands.consents import EXPIRED, EXPIRING, WITHDRAWN, ConsentNotice
from familieplan.model import Settings
from familieplan.render import danish as d

WORDS = {
    "da": {
        "title": "Samtykker, der udløber eller er ophørt",
        "consent": "Samtykket ({label}) til at dele oplysninger med {departments}",
        EXPIRING: "udløber {date}", EXPIRED: "udløb {date}", WITHDRAWN: "blev trukket tilbage {date}",
        "still": ", men {departments} har stadig åbne aftaler eller aktive indsatser i sagen",
        "column": "Samtykker",
    },
    "en": {
        "title": "Consents that expire or have ended",
        "consent": "The consent ({label}) to share information with {departments}",
        EXPIRING: "expires on {date}", EXPIRED: "expired on {date}", WITHDRAWN: "was withdrawn on {date}",
        "still": ", but {departments} still has open agreements or active interventions in the case",
        "column": "Consents",
    },
}


def notice_sentence(notice: ConsentNotice, settings: Settings, name: Callable[[str], str], lang: str) -> str:
    """'Samtykket (c3, Nadia Karimi) til at dele oplysninger med Rusmiddelcentret udløber 1. marts 2027'."""
    w = WORDS[lang]
    label = f"{notice.consent}, {name(notice.person)}" if notice.person else notice.consent
    departments = d.join([settings.department_name(x) for x in notice.departments], lang)
    text = f"{w['consent'].format(label=label, departments=departments)} " \
           f"{w[notice.kind].format(date=d.date_long(notice.date, lang))}"
    if notice.still_working:
        text += w["still"].format(departments=d.join([settings.department_name(x) for x in notice.still_working],
                                                     lang))
    return text


def notice_json(notice: ConsentNotice, sentence: str) -> dict[str, object]:
    return {"kind": "consent", "case": notice.case, "consent": notice.consent, "person": notice.person,
            "state": notice.kind, "date": notice.date.isoformat(), "departments": list(notice.departments),
            "still_working": list(notice.still_working), "source": str(notice.source), "message": sentence}
