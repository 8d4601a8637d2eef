"""Consents that end: those about to expire, and those expired or withdrawn while a
professional of a department they named still works in the case. Plain data for `due`
and `status`; they do not change the exit code (README, "Exit codes")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from familieplan.problems import Source
from familieplan.schedule.deadlines import OPEN, OVERDUE, agreement_state
from familieplan.schedule.facts import CaseFacts

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


def working_departments(case: CaseFacts, today: dt.date) -> set[str]:
    """The departments whose professionals have open agreements or active interventions."""
    found: set[str] = set()
    for agreement in case.agreements:
        if agreement.department and agreement_state(agreement, today) in (OPEN, OVERDUE):
            found.add(agreement.department)
    for iv in case.interventions:
        active = (iv.start is not None and iv.end is not None and iv.start <= today <= iv.end) or any(
            day >= today for day in iv.appointments)
        if active and iv.department:
            found.add(iv.department)
    return found


def consent_notices(case: CaseFacts, today: dt.date, within_days: int = 30) -> list[ConsentNotice]:
    """Consents that expire within `within_days` of `today`, and those that expired or
    were withdrawn on or before it while a department they named still works in the case."""
    working: set[str] | None = None
    notices = []
    for consent in case.consents:
        ends = consent.until
        if consent.withdrawn is not None and consent.withdrawn <= today:
            kind, date, source = WITHDRAWN, consent.withdrawn, consent.withdrawn_source
        elif ends is not None and ends < today:
            kind, date, source = EXPIRED, ends, consent.until_source
        elif ends is not None and ends <= today + dt.timedelta(days=within_days) and (
                consent.withdrawn is None or consent.withdrawn > ends):
            notices.append(ConsentNotice(case.case, consent.label, consent.person, EXPIRING, ends,
                                         consent.departments, source=consent.until_source))
            continue
        else:
            continue
        if working is None:
            working = working_departments(case, today)
        still = tuple(d for d in consent.departments if d in working)
        if still:
            notices.append(ConsentNotice(case.case, consent.label, consent.person, kind, date, consent.departments,
                                         still, source))
    return notices
