"""Checks of the facts the statutory rules count (FORMAT.md, third edition): dates that
contradict each other within a benefit, an investigation, a measure or a request, and
fields that mean nothing where they are written. Each at the line of the value."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from familieplan import model as m
from familieplan.checks.case import CaseIndex, check
from familieplan.problems import ERROR, N_, WARNING, Problem, make_problem
from familieplan.settings import Record, Settings

CATEGORY_KINDS = ("kontanthjaelp", "uddannelseshjaelp")


def _before(code: str, record: Record, later_key: str, later: _dt.date | None, earlier_key: str,
            earlier: _dt.date | None) -> Iterator[Problem]:
    if later is not None and earlier is not None and later < earlier:
        yield make_problem(code, record.pos(later_key), N_("{later_key} {later} is before {earlier_key} {earlier}"),
                           N_("check both dates"), later_key=later_key, later=str(later),
                           earlier_key=earlier_key, earlier=str(earlier))


@check("fact-dates", ERROR)
def check_fact_dates(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A statutory fact's dates contradict each other: a benefit's `until` before its
    `since`, an investigation `concluded` before it `started`, a measure's `start` before
    it was `decided`, a request `answered` or `extended` before it was `received`.

    The rules count from these dates; one of the two is a typo.

    Failing: `since: 2026-08-03` with `until: 2026-07-31`. Passing: `until: 2027-06-30`."""
    for person in case.info.people if case.info else ():
        for benefit in person.benefits:
            yield from _before("fact-dates", benefit, "until", benefit.until, "since", benefit.since)
        welfare = person.child_welfare
        if welfare is None:
            continue
        if welfare.investigation is not None:
            found = welfare.investigation
            yield from _before("fact-dates", found, "concluded", found.concluded, "started", found.started)
        for measure in welfare.measures:
            yield from _before("fact-dates", measure, "start", measure.start, "decided", measure.decided)
    for request in case.requests:
        yield from _before("fact-dates", request, "answered", request.answered, "received", request.received)
        yield from _before("fact-dates", request, "extended", request.extended, "received", request.received)


@check("fact-not-applicable", WARNING)
def check_fact_fields(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A statutory fact has a field that means nothing where it is written: a `category`
    on a benefit other than kontanthjælp or uddannelseshjælp, or `consent` or
    `supervision` on a measure that is not a placement.

    No rule reads it there, so what it was meant to say is not checked.

    Failing: `kind: dagpenge` with `category: jobparat`. Passing: `kind: kontanthjaelp`."""
    for person in case.info.people if case.info else ():
        for benefit in person.benefits:
            if benefit.category is not None and benefit.kind not in CATEGORY_KINDS:
                yield make_problem("fact-not-applicable", benefit.pos("category"),
                                   N_("{key} means nothing for {kind}"), N_("remove it, or correct the kind"),
                                   key="category", kind=str(benefit.kind))
        for measure in person.child_welfare.measures if person.child_welfare else ():
            if measure.kind == "placement":
                continue
            for key, value in (("consent", measure.consent), ("supervision", measure.supervision)):
                if value not in (None, ()):
                    yield make_problem("fact-not-applicable", measure.pos(key),
                                       N_("{key} means nothing for {kind}"), N_("remove it, or correct the kind"),
                                       key=key, kind=str(measure.kind))
