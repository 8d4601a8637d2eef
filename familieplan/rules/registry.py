"""Statutory rules as registered units, like the checks: each has an id, a level, the law
and provision it comes from (in Danish, as caseworkers cite it), a source (a link), the
dates it is in force and a function from a case to its deadlines (`Obligation`) and its
other findings (`Notice`). `docs/rules.md` and `familieplan rules` are made from the
registry; the docstring is the rule's user documentation.

A rule applies to a fact as the law stood on the fact's date (`Rule.applies`): a fact dated
before a rule's `start` is judged by the rule before it (or by none), and a rule with an
`until` stops applying to facts dated after it. What happens on a given day (open, met,
overdue) is worked out later from the obligation and the day (`state`), so the facts can
be kept per case whatever the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from familieplan.problems import N_, Problem, Source, Term, make_problem, register

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import facts
    from familieplan import model as m
    from familieplan.schedule.calendar import WorkCalendar
    from familieplan.settings import RuleSettings, Settings

DEADLINE, WARNING, INFO = "error", "warning", "info"  # a rule's level: a deadline counts for the exit code
OPEN, MET, OVERDUE = "open", "done", "overdue"


class Obligation(NamedTuple):
    """A statutory deadline of one case: what must happen by `date`, and when it did
    (`met`, None: not yet according to the files). Plain data, kept per case."""

    rule: str
    date: dt.date
    met: dt.date | None
    message: str  # a message id (N_) with {fields}; the date and the law are added when shown
    fields: tuple[tuple[str, object], ...]  # values: user text, or a `Term` to translate
    person: str | None  # whom it is about (consent: `about`)
    area: str | None  # the consent area it belongs to (None: no area)
    source: Source
    law: str | None = None  # the provision when the rule cites one of several (else the rule's)


class Notice(NamedTuple):
    """A rule's finding that is not a deadline (a warning or information): it changes no
    exit code. `start`: the first day it holds (None: whatever the day)."""

    rule: str
    level: str  # WARNING | INFO
    message: str
    fields: tuple[tuple[str, object], ...]  # values: user text, or a `Term` to translate
    person: str | None
    area: str | None
    source: Source
    start: dt.date | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    law: str  # the provision, in Danish: "barnets lov § 91, stk. 2"
    source: str  # a link to the provision or the authority's guidance
    start: dt.date  # `from`: in force for facts dated on or after this day
    until: dt.date | None  # the last day of facts it applies to (None: still in force)
    func: Callable[[m.Case, Context], Iterable[Obligation | Notice]]
    off_by_default: bool = False  # a local standard: applies only when `rules.on` names it

    @property
    def doc(self) -> str:
        return self.func.__doc__ or ""

    def applies(self, day: dt.date | None) -> bool:
        """Whether the rule judges a fact dated `day` (the law as it stood on that day)."""
        return day is not None and self.start <= day and (self.until is None or day <= self.until)

    def in_force(self, day: dt.date) -> bool:
        return self.applies(day)


@dataclass(frozen=True)
class Context:
    """What a rule needs beside the case: the workspace's settings and calendar, and the
    rule itself (its dates)."""

    settings: Settings
    calendar: WorkCalendar
    rule: Rule

    @property
    def options(self) -> RuleSettings:
        return self.settings.rules


RULES: dict[str, Rule] = {}


def rule(rule_id: str, level: str, law: str, source: str, start: dt.date, until: dt.date | None = None,
         *, off_by_default: bool = False) -> Callable[[Callable], Callable]:
    """Register a rule (`@rule(id, level, law, source, from, until)`)."""

    def deco(func: Callable) -> Callable:
        RULES[rule_id] = Rule(rule_id, level, law, source, start, until, func, off_by_default)
        return func

    return deco


def switched_on(rule_id: str, options: RuleSettings) -> bool:
    """Whether a workspace applies a rule: not in `rules.off`, and, for a local standard,
    named in `rules.on`."""
    found = RULES.get(rule_id)
    if found is None or rule_id in options.off:
        return False
    return not found.off_by_default or rule_id in options.on


def statutory_facts(case: m.Case, settings: Settings, calendar: WorkCalendar) -> tuple[tuple[Obligation, ...],
                                                                                     tuple[Notice, ...]]:
    """Every deadline and notice of the rules the workspace applies, for one case."""
    obligations: list[Obligation] = []
    notices: list[Notice] = []
    if case.info is None:
        return (), ()
    for found in RULES.values():
        if not switched_on(found.id, settings.rules):
            continue
        for item in found.func(case, Context(settings, calendar, found)):
            if isinstance(item, Obligation):
                obligations.append(item)
            else:
                notices.append(item)
    return tuple(obligations), tuple(notices)


register("unknown-rule", "warning", "schema", """
    `rules.off` or `rules.on` in familieplan.yaml names a rule the tool does not have
    (`familieplan rules` lists them; docs/rules.md documents each).

    A misspelt id switches nothing off or on: the rule it meant still applies (or stays off).

    Failing: `off: [bl-156-tilsyn]`. Passing: `off: [bl-156-supervision]`.""")


def unknown_rule_problems(settings: Settings) -> list[Problem]:
    """A warning at each id of `rules.off` and `rules.on` that names no rule."""
    # Imported here: difflib is for the run that reads familieplan.yaml, not for a warm one.
    from familieplan.format.suggest import DID_YOU_MEAN, did_you_mean

    found = []
    for key in ("off", "on"):
        for index, rule_id in enumerate(getattr(settings.rules, key)):
            if rule_id in RULES:
                continue
            suggestion = did_you_mean(rule_id, RULES)
            found.append(make_problem("unknown-rule", settings.rules.item_pos(key, index),
                                      N_("rules.{key}: no rule '{value}'"), DID_YOU_MEAN if suggestion else None,
                                      key=key, value=rule_id, suggestion=suggestion))
    return found


def in_force_on(day: dt.date) -> list[Rule]:
    """The rules in force on `day`, in the registry's order."""
    return [found for found in RULES.values() if found.in_force(day)]


# --- dates --------------------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    """The same date `months` calendar months later, or that month's last day when it has
    no such date (31 October + 4 months = 28 February, 29 in a leap year)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)  # the first of the month after
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def next_working_day(day: dt.date, calendar: WorkCalendar) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


# --- outcomes on a day --------------------------------------------------------------------

def state(item: Obligation, today: dt.date) -> str:
    """An obligation as it stands on `today`: met (on or before today), overdue (past its
    date and not met by today) or open."""
    if item.met is not None and item.met <= today:
        return MET
    return OVERDUE if item.date < today else OPEN


def late(item: Obligation, today: dt.date) -> bool | None:
    """Whether it was (or is) late, once that is known: met after its date, or overdue;
    None while it is open."""
    current = state(item, today)
    if current == MET:
        return item.met is not None and item.met > item.date
    return True if current == OVERDUE else None


def person_name(case: m.Case, person_id: str | None) -> str:
    people = case.people_by_id()
    found = people.get(person_id or "")
    return (found.name or person_id or "") if found else (person_id or "")


def fields(**values: object) -> tuple[tuple[str, object], ...]:
    """A message's fields: a `Term` stays one (the renderer translates it), a date stays a
    date (shown in the reader's language), anything else is text as written."""
    return tuple((key, value if isinstance(value, (Term, dt.date)) else str(value)) for key, value in values.items())


def children_with_welfare(case: m.Case) -> Iterator[tuple[m.Person, facts.ChildWelfare]]:
    for person in case.info.people if case.info else ():
        if person.child_welfare is not None:
            yield person, person.child_welfare
