"""Consents that end: those about to expire, and those expired or withdrawn while a
professional of a department they named still works in the case. Plain data for `due`
and `status`; they do not change the exit code (README, "Exit codes")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from familieplan.consent import consent_label
from familieplan.problems import Source
from familieplan.schedule.deadlines import OPEN, OVERDUE, agreement_state

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import model as m

EXPIRING, EXPIRED, WITHDRAWN = "expiring", "expired", "withdrawn"


@dataclass(frozen=True)
class ConsentNotice:
    case: str
    consent: str  # its id, or `consents[N]`
    person: str | None
    kind: str  # expiring | expired | withdrawn
    date: dt.date  # the last day in force (expiring, expired) or the withdrawal date
    departments: tuple[str, ...]  # the departments the consent named
    still_working: tuple[str, ...] = ()  # of them, those with open agreements or active interventions
    source: Source = Source("", 0, 0)


def working_departments(case: m.Case, today: dt.date) -> set[str]:
    """The departments whose professionals have open agreements or active interventions."""
    pros = case.professionals_by_id()
    found: set[str] = set()
    for agreement in case.agreements:
        pro = pros.get(agreement.responsible or "")
        if pro and pro.department and agreement_state(agreement, today) in (OPEN, OVERDUE):
            found.add(pro.department)
    for iv in case.plan.interventions if case.plan else ():
        active = (iv.start is not None and iv.end is not None and iv.start <= today <= iv.end) or any(
            a.date is not None and a.date >= today for a in iv.appointments)
        if active and iv.department:
            found.add(iv.department)
    return found


def consent_notices(case: m.Case, today: dt.date, within_days: int = 30) -> list[ConsentNotice]:
    """Consents that expire within `within_days` of `today`, and those that expired or
    were withdrawn on or before it while a department they named still works in the case."""
    if case.info is None:
        return []
    working: set[str] | None = None
    notices = []
    for consent in case.info.consents:
        label = consent_label(case, consent)
        ends = consent.until
        if consent.withdrawn is not None and consent.withdrawn <= today:
            kind, date, source = WITHDRAWN, consent.withdrawn, consent.pos("withdrawn")
        elif ends is not None and ends < today:
            kind, date, source = EXPIRED, ends, consent.pos("until")
        elif ends is not None and ends <= today + dt.timedelta(days=within_days) and (
                consent.withdrawn is None or consent.withdrawn > ends):
            notices.append(ConsentNotice(case.folder_id, label, consent.person, EXPIRING, ends,
                                         consent.departments, source=consent.pos("until")))
            continue
        else:
            continue
        if working is None:
            working = working_departments(case, today)
        still = tuple(d for d in consent.departments if d in working)
        if still:
            notices.append(ConsentNotice(case.folder_id, label, consent.person, kind, date, consent.departments,
                                         still, source))
    return notices
