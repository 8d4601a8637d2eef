"""Lov om en aktiv beskæftigelsesindsats (LAB, lov nr. 548 af 7. maj 2019, in force from
1 January 2020) and its reform by lov nr. 1750 af 29. december 2025 (L 66), in force in two
steps, 1 February and 1 July 2026. Benefits and jobsamtaler belong to the area
`employment` and are about the person on the benefit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from familieplan.problems import N_, Term
from familieplan.rules.registry import (
    DEADLINE,
    WARNING,
    Context,
    Notice,
    Obligation,
    add_months,
    fields,
    rule,
)

if TYPE_CHECKING:
    from familieplan import facts
    from familieplan import model as m

EMPLOYMENT = "employment"
LAB = dt.date(2020, 1, 1)
REFORM = dt.date(2026, 7, 1)  # lov nr. 1750: the contact rules and the abolitions (see docs/rules.md)
LAB_31 = "https://www.elov.dk/lov-om-en-aktiv-beskaeftigelsesindsats/paragraf/31/"
L66 = "https://star.dk/da/implementering/beskaeftigelsesreform/proces"
JOBSAMTALER = 4
MISSED = ("cancelled", "no-show")


def jobsamtaler_met(case: m.Case, ctx: Context, person: m.Person, first: dt.date, last: dt.date) -> dt.date | None:
    """The day of the person's 4th jobsamtale from `first` to `last` (occurrences of
    interventions of kind `jobsamtale` the person attends, held or planned, less those
    recorded as cancelled or no-show); None when there are fewer."""
    # Imported here: the scheduler is for the run that reads a case, not for a warm `due`.
    from familieplan.schedule.attendance import demands_by_ref, occurrences_between
    from familieplan.schedule.demands import build_schedules

    ids = {iv.id for iv in case.plan.interventions if iv.kind == "jobsamtale" and iv.id} if case.plan else set()
    if not ids:
        return None
    schedules = build_schedules(case, ctx.settings, ctx.calendar, (first, last), only_person=person.id)
    if not schedules:
        return None
    schedule = schedules[0]
    by_ref = demands_by_ref(schedule)
    missed = [a.date for a in case.attendance if a.person == person.id and a.intervention in ids
              and a.status in MISSED and a.date]

    def held(until: dt.date) -> int:
        found = (occurrences_between(schedule, ref, first, until, by_ref) for ref in ids)
        return sum(n[2] for n in found if n) - sum(first <= day <= until for day in missed)

    if held(last) < JOBSAMTALER:
        return None
    low, high = first, last  # the first day by which four were held: a search over the days
    while low < high:
        middle = low + (high - low) // 2
        if held(middle) >= JOBSAMTALER:
            high = middle
        else:
            low = middle + dt.timedelta(days=1)
    return low


def _periods(case: m.Case, kinds: tuple[str, ...], jobparat_only: tuple[str, ...] = ()) -> Iterator[
        tuple[m.Person, facts.Benefit]]:
    for person in case.info.people if case.info else ():
        for benefit in person.benefits:
            if benefit.kind in kinds and not (benefit.kind in jobparat_only and benefit.category != "jobparat"):
                yield person, benefit


def _jobsamtaler(case: m.Case, ctx: Context, person: m.Person, benefit: facts.Benefit) -> Iterator[Obligation]:
    """The period's jobsamtaler; none when the period ended within its first 6 months."""
    assert benefit.since is not None
    last = add_months(benefit.since, 6) - dt.timedelta(days=1)
    if benefit.until is not None and benefit.until < last:
        return
    yield Obligation(ctx.rule.id, last, jobsamtaler_met(case, ctx, person, benefit.since, last),
                      N_("{count} jobsamtaler with {name} in the first 6 months of the benefit are due by {date}"),
                      fields(count=JOBSAMTALER, name=person.name or person.id), person.id, EMPLOYMENT,
                      benefit.pos("since"))


@rule("lab-31-jobsamtaler", DEADLINE, "LAB § 31, stk. 3", LAB_31, LAB, REFORM - dt.timedelta(days=1))
def jobsamtaler_before_reform(case: m.Case, ctx: Context) -> Iterator[Obligation]:
    """A period of kontanthjælp, uddannelseshjælp or ledighedsydelse that began before
    1 July 2026 has at least 4 individual jobsamtaler in its first 6 months: occurrences of
    interventions of `kind: jobsamtale` the person attends, held or planned (an attendance
    record of `cancelled` or `no-show` takes one away). Due by the last day of the 6 months;
    a period that ends (`until`) within its first 6 months is not judged.

    Failing: `since: 2026-01-05`, three jobsamtaler by 2026-07-04. Passing: a fourth on
    2026-07-04."""
    for person, benefit in _periods(case, ("kontanthjaelp", "uddannelseshjaelp", "ledighedsydelse")):
        if ctx.rule.applies(benefit.since):
            yield from _jobsamtaler(case, ctx, person, benefit)


@rule("lab-jobsamtaler", DEADLINE, "LAB, som ændret ved lov nr. 1750 af 29. december 2025 (L 66)", L66, REFORM)
def jobsamtaler(case: m.Case, ctx: Context) -> Iterator[Obligation | Notice]:
    """A period of jobparat kontanthjælp or of ledighedsydelse that begins on or after
    1 July 2026 has at least 4 jobsamtaler in its first 6 months, counted as for
    `lab-31-jobsamtaler`, unless the person is `contact_exempt`: the municipality may
    exempt up to one in four from the jobsamtaler; such a person gets a warning naming
    the exemption instead of a deadline.

    Failing: `kind: kontanthjaelp`, `category: jobparat`, `since: 2026-08-03`, two
    jobsamtaler by 2027-02-02. Passing: four by then, or `contact_exempt: true`."""
    for person, benefit in _periods(case, ("kontanthjaelp", "ledighedsydelse"), ("kontanthjaelp",)):
        if not ctx.rule.applies(benefit.since):
            continue
        if person.contact_exempt:
            yield Notice(ctx.rule.id, WARNING,
                         N_("{name} is exempted from the jobsamtaler (the municipality may exempt one in four, "
                            "lov nr. 1750 af 29. december 2025)"),
                         fields(name=person.name or person.id), person.id, EMPLOYMENT, person.pos("contact_exempt"))
        else:
            yield from _jobsamtaler(case, ctx, person, benefit)


ABOLISHED = {"ressourceforloeb": Term(N_("a ressourceforløb")), "revalidering": Term(N_("revalidering"))}


@rule("lab-abolished", WARNING, "lov nr. 1750 af 29. december 2025 (L 66)", L66, REFORM)
def abolished(case: m.Case, ctx: Context) -> Iterator[Notice]:
    """An intervention of `kind: ressourceforloeb` or `revalidering` that starts on or
    after 1 July 2026: the reform abolished both for new citizens (those already in one
    finish it). A warning naming the change.

    Failing: `kind: ressourceforloeb`, `from: 2026-07-01`. Passing: `from: 2026-06-30`
    (a course begun before the change)."""
    for iv in case.plan.interventions if case.plan else ():
        if iv.kind in ABOLISHED and ctx.rule.applies(iv.start):
            yield Notice(ctx.rule.id, WARNING,
                         N_("{title} is {kind}, abolished for new citizens from 1 July 2026 (lov nr. 1750 af "
                            "29. december 2025)"),
                         fields(title=iv.title or iv.id, kind=ABOLISHED[iv.kind or ""]), None, iv.area,
                         iv.pos("kind"))
