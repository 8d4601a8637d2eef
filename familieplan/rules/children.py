"""Barnets lov (lov nr. 721 af 13. juni 2023, in force from 1 January 2024; LBK nr. 282 af
17. marts 2025): the investigation, barnets plan, the follow-up and the supervision visits.
A child's welfare facts belong to the area `family` and are about the child."""

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
    children_with_welfare,
    fields,
    rule,
)

if TYPE_CHECKING:
    from familieplan import facts
    from familieplan import model as m

BARNETS_LOV = dt.date(2024, 1, 1)
LOVGUIDEN = "https://www.lovguiden.dk/loven/bekendtgørelse-af-barnets-lov/"
FAMILY = "family"
YEARS_OF_SUPERVISION = 18  # a placement is judged for at most this many years from its start


@rule("bl-20-investigation", DEADLINE, "barnets lov § 20, stk. 3", LOVGUIDEN + "20", BARNETS_LOV)
def investigation(case: m.Case, ctx: Context) -> Iterator[Obligation]:
    """A børnefaglig undersøgelse is concluded at the latest 4 months after the
    municipality became aware that the child may need support (`aware`). Past that, it is
    overdue, and the law requires a foreløbig vurdering and the investigation concluded as
    soon as possible after it.

    Judged for a child with `child_welfare.aware` and an `investigation`, when `aware` is on
    or after 1 January 2024 (before, serviceloven § 50 applied; the tool does not judge it).

    Failing: `aware: 2026-08-03`, the investigation not `concluded` on 2026-12-04 (the
    deadline was 2026-12-03). Passing: `concluded: 2026-12-03`."""
    for child, welfare in children_with_welfare(case):
        if welfare.investigation is None or not ctx.rule.applies(welfare.aware):
            continue
        assert welfare.aware is not None
        yield Obligation(ctx.rule.id, add_months(welfare.aware, 4), welfare.investigation.concluded,
                         N_("The investigation of {name} is to be concluded by {date}; after that a "
                            "foreløbig vurdering is required"),
                         fields(name=child.name or child.id), child.id, FAMILY, welfare.pos("aware"))


def _placements(case: m.Case) -> Iterator[tuple[m.Person, facts.WelfareMeasure]]:
    for child, welfare in children_with_welfare(case):
        for measure in welfare.measures:
            if measure.kind == "placement":
                yield child, measure


@rule("bl-91-plan", DEADLINE, "barnets lov § 91, stk. 2", LOVGUIDEN + "91", BARNETS_LOV)
def child_plan(case: m.Case, ctx: Context) -> Iterator[Obligation]:
    """A placement needs barnets plan at the latest 3 months after the decision
    (`decided`); a placement without consent (`consent: false`, § 47) needs it on or
    before the decision. `plan` is the day the plan was written.

    Judged for placements decided on or after 1 January 2024.

    Failing: a placement `decided: 2026-12-01` with no `plan` on 2027-03-02. Passing:
    `plan: 2027-03-01`. Without consent, failing: `decided: 2026-12-01`, `plan: 2026-12-02`."""
    for child, measure in _placements(case):
        if not ctx.rule.applies(measure.decided):
            continue
        assert measure.decided is not None
        due = measure.decided if measure.consent is False else add_months(measure.decided, 3)
        yield Obligation(ctx.rule.id, due, measure.plan, N_("The child's plan for {name} ({measure}) is due by {date}"),
                         fields(name=child.name or child.id, measure=measure.section or measure.id), child.id,
                         FAMILY, measure.pos("decided"))


@rule("bl-95-follow-up", DEADLINE, "barnets lov § 95, stk. 2", LOVGUIDEN + "95", BARNETS_LOV)
def follow_up(case: m.Case, ctx: Context) -> Iterator[Obligation]:
    """The first follow-up of a measure takes place at the earlier of two days: when the
    investigation made alongside it is concluded (if it concludes after the measure's
    `start`), and 3 months after the `start`. `follow_ups` lists the days it took place.

    Judged for measures started on or after 1 January 2024.

    Failing: `start: 2026-12-07`, no follow-up by 2027-03-08. Passing:
    `follow_ups: [2027-03-07]`. With the investigation concluded 2027-01-15, the first
    follow-up is due 2027-01-15."""
    for child, welfare in children_with_welfare(case):
        concluded = welfare.investigation.concluded if welfare.investigation else None
        for measure in welfare.measures:
            if not ctx.rule.applies(measure.start):
                continue
            assert measure.start is not None
            due = add_months(measure.start, 3)
            if concluded is not None and measure.start < concluded < due:
                due = concluded
            done = min((day for day in measure.follow_ups if day >= measure.start), default=None)
            yield Obligation(ctx.rule.id, due, done, N_("The first follow-up of {measure} for {name} is due by {date}"),
                             fields(name=child.name or child.id, measure=measure.section or measure.id), child.id,
                             FAMILY, measure.pos("start"))


@rule("bl-156-supervision", DEADLINE, "barnets lov § 156, stk. 5", LOVGUIDEN + "156", BARNETS_LOV)
def supervision(case: m.Case, ctx: Context) -> Iterator[Obligation]:
    """A placement has at least two supervision visits (tilsynsbesøg) a year, where the
    municipality talks with the child. The tool counts years from the placement's `start`
    (the law says "årlige" without naming the calendar year; counted from the start, a
    placement begun in December is not asked for two visits in its first month, and every
    year of a placement gets two). The second visit of a year is due by the year's last
    day; a last year cut short by `ended` is not judged.

    Judged for placements started on or after 1 January 2024.

    Failing: `start: 2026-12-07`, `supervision: [2027-01-10]` on 2027-12-07. Passing:
    `supervision: [2027-01-10, 2027-12-06]`."""
    for child, measure in _placements(case):
        if not ctx.rule.applies(measure.start):
            continue
        assert measure.start is not None
        for year in range(YEARS_OF_SUPERVISION):
            first = add_months(measure.start, 12 * year)
            last = add_months(measure.start, 12 * (year + 1)) - dt.timedelta(days=1)
            if measure.ended is not None and measure.ended < last:
                break
            visits = sorted(day for day in measure.supervision if first <= day <= last)
            yield Obligation(ctx.rule.id, last, visits[1] if len(visits) >= 2 else None,
                             N_("Two supervision visits to {name} in the year from {first} are due by {date}"),
                             fields(name=child.name or child.id, first=first), child.id, FAMILY,
                             measure.pos("start"))
