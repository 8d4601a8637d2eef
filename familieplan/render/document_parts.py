"""What the minutes and the plan share: who a document is for, everyone's names and roles
in the reader's language, the header over every document, the agreement rows, and what a
document for a named reader disclosed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from familieplan import model as m
from familieplan.consent import ReaderFilter
from familieplan.format.suggest import did_you_mean_text
from familieplan.problems import N_, UsageError
from familieplan.render import danish as d
from familieplan.render.catalog import Catalog, catalog
from familieplan.rules.administration import letter_until
from familieplan.schedule.deadlines import CANCELLED, DONE, OVERDUE, agreement_state
from familieplan.settings import Settings


@dataclass(frozen=True)
class Reader:
    """For whom a document is rendered: an id from the case, or None for the full version."""

    id: str | None
    name: str
    description: str  # "Line Holm (Sagsbehandler, Jobcentret)"; a person of the family: the name


def role_word(role: str | None, cat: Catalog) -> str:
    """A person's role in the family as the reader's word ('forælder'); none for 'other'."""
    if role == "parent":
        return cat.pgettext("role", "parent")
    if role == "child":
        return cat.pgettext("role", "child")
    return ""


class Names:
    """Names, titles and departments of everyone in a case, in the document's language."""

    def __init__(self, case: m.Case, settings: Settings, lang: str, hidden: frozenset[str] = frozenset()) -> None:
        self.people = case.people_by_id()
        self.pros = case.professionals_by_id()
        self.settings = settings
        self.lang = lang
        # Professionals of a department whose areas the reader may not read: "en fagperson".
        self.hidden = hidden

    def name(self, some_id: str | None) -> str:
        if not some_id:
            return ""
        if some_id in self.hidden:
            return catalog(self.lang).pgettext("concealed", "a professional")
        if some_id in self.people:
            return self.people[some_id].name or some_id
        if some_id in self.pros:
            return self.pros[some_id].name or some_id
        return some_id

    def role(self, some_id: str | None) -> str:
        """'Sagsbehandler, Jobcentret' for a professional, 'forælder' for a person."""
        if some_id in self.hidden:
            return ""
        if some_id in self.pros:
            pro = self.pros[some_id]  # type: ignore[index]
            return ", ".join(x for x in (pro.title, self.settings.department_name(pro.department or "")) if x)
        if some_id in self.people:
            return role_word(self.people[some_id].role, catalog(self.lang))  # type: ignore[index]
        return ""

    def full(self, some_id: str | None) -> str:
        role = self.role(some_id)
        return f"{self.name(some_id)} ({role})" if role else self.name(some_id)

    def reader(self, some_id: str | None) -> Reader:
        if some_id is None:
            return Reader(None, "", "")
        if some_id not in self.people and some_id not in self.pros:
            hint = did_you_mean_text(some_id, [*self.people, *self.pros])
            if hint:
                raise UsageError(N_("--for {id}: neither a person nor a professional of the case ({hint})"),
                                 id=some_id, hint=hint)
            raise UsageError(N_("--for {id}: neither a person nor a professional of the case"), id=some_id)
        # A letter to one of the family names her, not her role ("Udarbejdet til Anna
        # Ødegård, …"); a professional with title and department, in brackets.
        role = self.role(some_id) if some_id in self.pros else ""
        return Reader(some_id, self.name(some_id), f"{self.name(some_id)} ({role})" if role else self.name(some_id))


def by_letter(case: m.Case, reader_id: str | None, day: dt.date, lang: str) -> str:
    """" Sendes med brev: …": a reader of the family exempt from Digital Post on `day` gets
    the document by letter (the rule `dp-exemption`), else ""."""
    person = case.people_by_id().get(reader_id or "")
    until = letter_until(person, day) if person is not None else None
    if until is None:
        return ""
    return " " + catalog(lang).gettext("Sent by letter: {name} is exempt from Digital Post until {date}.").format(
        name=person.name or person.id, date=d.date_long(until, lang))  # type: ignore[union-attr]


def document_header(reader: Reader, now: dt.datetime, lang: str, settings: Settings,
                    letter: str = "") -> dict[str, Any]:
    """The line over every document: confidential, for whom, when (Copenhagen time, "26.
    november 2026 kl. 9.45"), and the municipality; `letter`: that it goes by letter."""
    _ = catalog(lang).gettext
    when = d.moment_long(now, lang)
    return {
        "municipality": settings.municipality or "",
        "confidential": _("Confidential"),
        "for_whom": (_("Prepared for {who} on {when}.").format(who=reader.description, when=when) + letter
                     if reader.id else _("Made on {when}.").format(when=when)),
        "internal": None if reader.id else _("Internal version with every item. Do not pass it on; "
                                             "send each recipient the version made for them."),
    }


def _deadline(agreement: m.Agreement, lang: str) -> str:
    cat = catalog(lang)
    if agreement.answer_within_days is not None:
        n = agreement.answer_within_days
        return cat.ngettext("answer within {n} working day", "answer within {n} working days", n).format(n=n)
    if agreement.due:
        return cat.gettext("by {date}").format(date=d.date_long(agreement.due, lang))
    return cat.gettext("ongoing")


def _agreement_row(agreement: m.Agreement, names: Names, lang: str, as_of: dt.date) -> dict[str, Any]:
    _ = catalog(lang).gettext
    state = agreement_state(agreement, as_of)
    if state == CANCELLED:
        status = _("cancelled")
    elif state == DONE and agreement.done:
        status = _("done {date}").format(date=d.date_long(agreement.done, lang))
    elif state == OVERDUE:
        status = _("open, past its deadline")
    else:
        status = _("open")
    return {"id": agreement.id, "text": agreement.text or "", "responsible": names.full(agreement.responsible),
            "deadline": _deadline(agreement, lang), "status": status}


def agreement_rows(agreements: list[m.Agreement], share: ReaderFilter, names: Names, lang: str,
                    day: dt.date) -> list[dict[str, Any]]:
    return [_agreement_row(a, names, lang, day) for a in agreements if share.allows(a)]


def agreement_section(agreements: list[m.Agreement], share: ReaderFilter, names: Names, lang: str,
                      day: dt.date) -> tuple[list[dict[str, Any]], str | None]:
    """The rows the reader may read and the line saying how many were left out."""
    rows = agreement_rows(agreements, share, names, lang, day)
    return rows, left_out(len(agreements) - len(rows), lang)


def concealed(share: ReaderFilter) -> frozenset[str]:
    """The professionals shown to this reader only as "a professional"."""
    return frozenset(pid for pid in share.case.professionals_by_id() if share.reading.conceals(pid))


def shown_place(place: str | None, share: ReaderFilter, settings: Settings, names: Names) -> str | None:
    """A meeting's place, unless it names a department (or a professional) the reader may
    not learn of: "Sted: Rusmiddelcentret" would say what the minutes leave out."""
    if not place:
        return place
    words = [settings.department_name(dept) for dept in share.reading.concealed_departments()]
    words += list(share.reading.concealed_departments())
    words += [names.pros[pid].name or "" for pid in names.hidden]
    lowered = place.casefold()
    return None if any(w and w.casefold() in lowered for w in words) else place


def left_out(count: int, lang: str) -> str | None:
    """'2 punkter er udeladt, fordi samtykket ikke dækker dem.' (None: nothing left out)."""
    if count <= 0:
        return None
    return catalog(lang).ngettext("{n} item was left out because the consent does not cover it.",
                                  "{n} items were left out because the consent does not cover them.",
                                  count).format(n=count)


def omitted_note(share: ReaderFilter, lang: str) -> str | None:
    """The line under the header of a reader's document: how much was left out in all."""
    if share.internal or share.omitted <= 0:
        return None
    return catalog(lang).ngettext(
        "In all, {n} item was left out of this version because the consent does not cover it.",
        "In all, {n} items were left out of this version because the consent does not cover them.",
        share.omitted).format(n=share.omitted)


def disclosed(share: ReaderFilter) -> dict[str, Any]:
    """What a document for a named reader included (for the disclosure log; not shown)."""
    return {"areas": sorted(share.areas), "about": sorted(share.about), "omitted": share.omitted,
            "basis": sorted(share.basis)}


def case_line(case: m.Case, share: ReaderFilter) -> str | None:
    """The technical case id, for the team and the professionals; not in the family's version."""
    return None if share.reading.kind in ("family", "child") else case.folder_id


def sender_block(case: m.Case, settings: Settings, names: Names, people: bool = True) -> dict[str, Any]:
    """Who sends a document and whom to reach: the municipality, the coordinator's name and
    how to reach them, the contact person where there is one, and the journal number
    (without `people`, for the plan, which presents the coordinator and the contact itself)."""
    info = case.info

    def reach(pid: str | None) -> dict[str, str] | None:
        pro = names.pros.get(pid or "")
        if pid is None or (pro is None and pid not in names.people):
            return None
        # A professional the reader may not learn of: "en fagperson", and no way to reach them.
        ways = [w for w in (pro.phone, pro.email) if w] if pro is not None and pid not in names.hidden else []
        return {"name": names.full(pid), "reach": ", ".join(ways)}

    coordinator = reach(info.coordinator if info and people else None)
    contact = reach(info.contact if info and people else None)
    return {"municipality": settings.municipality or "", "coordinator": coordinator,
            "contact": contact if contact and contact != coordinator else None,
            "journal": (info.journal if info else None) or ""}
