"""Words for consents that end (`due`, `status`): message ids from the one catalog."""

from __future__ import annotations

from collections.abc import Callable

from familieplan.commands.consents import EXPIRED, EXPIRING, WITHDRAWN, ConsentNotice
from familieplan.problems import N_
from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.settings import Settings

ENDINGS = {
    EXPIRING: N_("expires on {date}"),
    EXPIRED: N_("expired on {date}"),
    WITHDRAWN: N_("was withdrawn on {date}"),
}


def consents_title(lang: str) -> str:
    return catalog(lang).gettext("Consents that expire or have ended")


def notice_sentence(notice: ConsentNotice, settings: Settings, name: Callable[[str], str], lang: str) -> str:
    """'Samtykket (c3, Nadia Karimi) til at dele oplysninger med Rusmiddelcentret udløber 1. marts 2027'."""
    _ = catalog(lang).gettext
    label = f"{notice.consent}, {name(notice.person)}" if notice.person else notice.consent
    departments = d.join([settings.department_name(x) for x in notice.departments], lang)
    consent = _("The consent ({label}) to share information with {departments}").format(
        label=label, departments=departments)
    text = f"{consent} {_(ENDINGS[notice.kind]).format(date=d.date_long(notice.date, lang))}"
    if notice.still_working:
        still = d.join([settings.department_name(x) for x in notice.still_working], lang)
        text += _(", but {departments} still has open agreements or active interventions in the case").format(
            departments=still)
    return text


def notice_json(notice: ConsentNotice, sentence: str) -> dict[str, object]:
    return {"case": notice.case, "consent": notice.consent, "person": notice.person,
            "state": notice.kind, "date": notice.date.isoformat(), "departments": list(notice.departments),
            "still_working": list(notice.still_working), "source": str(notice.source), "message": sentence}
