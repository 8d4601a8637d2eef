"""Access to records: aktindsigt (forvaltningsloven § 16 for a party, offentlighedsloven
§ 36 for anyone else, both in force in this form from 1 January 2014) and indsigt (GDPR
art. 12, stk. 3, from 25 May 2018, with months counted by Regulation 1182/71). Requests
have no area: they are about the person who asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from familieplan.problems import N_
from familieplan.rules.registry import (
    DEADLINE,
    Context,
    Obligation,
    add_months,
    fields,
    next_working_day,
    person_name,
    rule,
)

if TYPE_CHECKING:
    from familieplan import facts
    from familieplan import model as m

OFFENTLIGHEDSLOVEN = dt.date(2014, 1, 1)
GDPR = dt.date(2018, 5, 25)
WORKING_DAYS = 7
PARTY_LAW = "forvaltningsloven § 16, stk. 2"
PUBLIC_LAW = "offentlighedsloven § 36, stk. 2"
FVL = "https://www.retsinformation.dk/eli/lta/2014/433"
GDPR_SOURCE = "https://eur-lex.europa.eu/eli/reg/2016/679/oj"


def _requests(case: m.Case, kind: str, ctx: Context) -> Iterator[facts.Request]:
    for request in case.requests:
        if request.kind == kind and ctx.rule.applies(request.received):
            yield request


@rule("access-request", DEADLINE, f"{PARTY_LAW} / {PUBLIC_LAW}", FVL, OFFENTLIGHEDSLOVEN)
def aktindsigt(case: m.Case, ctx: Context) -> Iterator[Obligation]:
    """A request for aktindsigt is answered within 7 working days of its receipt
    (`received`), unless a later date was notified (`extended`). By a party (`by` names a
    person of the case) it is forvaltningsloven § 16, stk. 2; by anyone else
    offentlighedsloven § 36, stk. 2. Working days as `due` counts them.

    Failing: `received: 2026-12-01` (a Tuesday), unanswered on 2026-12-11. Passing:
    `answered: 2026-12-10`, the 7th working day."""
    people = case.people_by_id()
    for request in _requests(case, "aktindsigt", ctx):
        assert request.received is not None
        due = request.extended or ctx.calendar.add_working_days(request.received, WORKING_DAYS)
        party = request.by in people
        yield Obligation(ctx.rule.id, due, request.answered,
                         N_("The request for aktindsigt from {name}, received {received}, is to be answered by {date}"),
                         fields(name=person_name(case, request.by), received=request.received),
                         request.by if party else None, None, request.source, PARTY_LAW if party else PUBLIC_LAW)


def gdpr_deadline(received: dt.date, extended: dt.date | None, ctx: Context) -> dt.date:
    """One month from receipt (the same date of the next month, or its last day), at most
    three with a notified `extended` date; a last day that is not a working day moves to
    the next working day (Regulation 1182/71, art. 3(4))."""
    due = next_working_day(add_months(received, 1), ctx.calendar)
    if extended is not None and extended > due:
        due = min(extended, next_working_day(add_months(received, 3), ctx.calendar))
    return due


@rule("gdpr-12-access", DEADLINE, "GDPR art. 12, stk. 3", GDPR_SOURCE, GDPR)
def indsigt(case: m.Case, ctx: Context) -> Iterator[Obligation]:
    """A request for indsigt (GDPR art. 15) is answered within one month of its receipt:
    the same date of the next month, or that month's last day when it has no such date;
    a last day on a Saturday, Sunday, holiday or closed day moves to the next working day
    (Regulation 1182/71, art. 3(4)). A notified `extended` date moves it, by at most two
    further months.

    Failing: `received: 2027-01-31`, unanswered on 2027-03-02 (due Monday 1 March, 28
    February being a Sunday). Passing: `answered: 2027-03-01`."""
    for request in _requests(case, "indsigt", ctx):
        assert request.received is not None
        yield Obligation(ctx.rule.id, gdpr_deadline(request.received, request.extended, ctx), request.answered,
                         N_("The request for indsigt from {name}, received {received}, is to be answered by {date}"),
                         fields(name=person_name(case, request.by), received=request.received),
                         request.by if request.by in case.people_by_id() else None, None, request.source)
