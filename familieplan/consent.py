"""Who may read what: the one rule (FORMAT.md, "Who may read what" and the second edition).

Everything made for a named reader passes through `Reading`: documents, reports, web pages,
calendars, messages. The rule, for one piece of information with an *area* (its own, or
the one it takes from its intervention or agreement: `effective_area`) and the
*people it is about*:

- without a reader (`recipient=None`) it is the coordinating team's internal view:
  everything is shown, and the output says so;
- information with no area is for every reader;
- the coordinating caseworker reads everything;
- one of the family's `people` reads everything, except that a child (`role: child`)
  reads only what is about themselves (their goals, interventions they attend, agenda
  items whose `about` names them or whose intervention they attend, agreements and
  questions tied to such an intervention);
- a professional reads it when a consent names both the professional's department and the
  area and is in force on every day that matters (the meeting's date and the day the
  document is made); a consent withdrawn on or before the real date of rendering never
  releases anything, whatever day the document is made "as of";
- anyone else (an id not in the case) reads nothing with an area.

`Reading.basis` names why something was released (for the disclosure log): the consent
ids (`consents[N]` for a consent without an id), `family`, `coordinator` or `no-area`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import model as m
    from familieplan.settings import Record


EVERYONE = None  # the full, internal version

TEAM, COORDINATOR, FAMILY, CHILD, PROFESSIONAL, STRANGER = (
    "team", "coordinator", "family", "child", "professional", "stranger")
NO_AREA = "no-area"


@dataclass(frozen=True)
class Subject:
    """What the rule needs to know about one piece of information."""

    area: str | None
    about: frozenset[str] = frozenset()


def effective_area(case: m.Case, item: Record) -> str | None:
    """The area that decides who may read an item (FORMAT.md, second edition).

    An item's own `area` wins; else an agenda item's or agreement's `intervention` gives
    its area; else a question takes its agreement's effective area. None: the item is for
    every reader. Works for agenda items, agreements, questions, the next meeting,
    interventions and goals (the last two always have their own area)."""
    own = getattr(item, "area", None)
    if own is not None:
        return own
    intervention = getattr(item, "intervention", None)
    if intervention is not None and case.plan is not None:
        for iv in case.plan.interventions:
            if iv.id == intervention:
                return iv.area
        return None
    from familieplan.model import Question  # (where cases are read)

    if isinstance(item, Question) and item.agreement is not None:
        for agreement in case.agreements:
            if agreement.id == item.agreement:
                return effective_area(case, agreement)
    return None


def consent_label(case: m.Case, consent: m.Consent) -> str:
    """How a disclosure names a consent: its id, else its position (`consents[2]`)."""
    if consent.id:
        return consent.id
    consents = case.info.consents if case.info else ()
    return f"consents[{next(i for i, c in enumerate(consents) if c is consent)}]"


class Reading:
    """The rule for one reader of one case.

    `days` are the days on which a consent must be in force (a meeting's date and the day
    the document is made); `real_today` is the real date of rendering, on or after which
    a withdrawal always applies (None: the latest of `days`)."""

    def __init__(self, case: m.Case, recipient: str | None, days: Iterable[dt.date],
                 real_today: dt.date | None = None) -> None:
        self.case = case
        self.recipient = recipient
        self.days = tuple(sorted(set(days)))
        # The core reads no clock: without a day at all, every recorded withdrawal applies.
        self.real_today = real_today or (self.days[-1] if self.days else dt.date.max)
        self.kind = self._kind()
        self._consents = self._usable_consents()

    def _kind(self) -> str:
        if self.recipient is EVERYONE:
            return TEAM
        info = self.case.info
        if info is None:
            return STRANGER
        if self.recipient == info.coordinator:
            return COORDINATOR
        person = self.case.people_by_id().get(self.recipient or "")
        if person is not None:
            return CHILD if person.role == "child" else FAMILY
        if self.recipient in self.case.professionals_by_id():
            return PROFESSIONAL
        return STRANGER

    def _usable_consents(self) -> tuple[m.Consent, ...]:
        """The consents naming the professional's department, in force on every day."""
        if self.kind != PROFESSIONAL or self.case.info is None:
            return ()
        department = self.case.professionals_by_id()[self.recipient or ""].department
        if department is None:
            return ()
        return tuple(
            c for c in self.case.info.consents
            if department in c.departments and all(c.in_force(day) for day in self.days)
            and (c.withdrawn is None or c.withdrawn > self.real_today))

    @property
    def internal(self) -> bool:
        return self.kind == TEAM

    def allows(self, area: str | None, about: Iterable[str] = ()) -> bool:
        """Whether the reader may read information of `area` about the people `about`."""
        return self.basis(area, about) is not None

    def basis(self, area: str | None, about: Iterable[str] = ()) -> str | None:
        """Why the reader may read it (None: they may not)."""
        if self.kind == TEAM:
            return TEAM
        if area is None:
            return NO_AREA
        if self.kind == COORDINATOR:
            return COORDINATOR
        if self.kind == FAMILY:
            return FAMILY
        if self.kind == CHILD:
            return FAMILY if self.recipient in set(about) else None
        for consent in self._consents:
            if area in consent.areas:
                return consent_label(self.case, consent)
        return None

    def allows_subject(self, subject: Subject) -> bool:
        return self.allows(subject.area, subject.about)


# --- what each kind of item is about -----------------------------------------------------

def _attendees(case: m.Case, intervention_id: str | None) -> frozenset[str]:
    if not intervention_id or case.plan is None:
        return frozenset()
    for iv in case.plan.interventions:
        if iv.id == intervention_id:
            return frozenset(iv.attendees)
    return frozenset()


def subject_of(case: m.Case, item: Record) -> Subject:
    """The area and the people of any item a document shows: an intervention, a goal, an
    agenda item, an agreement, a question or a next meeting."""
    from familieplan import model as m

    area = effective_area(case, item)
    if isinstance(item, m.Intervention):
        return Subject(area, frozenset(item.attendees))
    if isinstance(item, m.Goal):
        return Subject(area, frozenset([item.person]) if item.person else frozenset())
    if isinstance(item, m.AgendaItem):
        return Subject(area, frozenset(item.about) | _attendees(case, item.intervention))
    if isinstance(item, m.Agreement):
        return Subject(area, _attendees(case, item.intervention))
    if isinstance(item, m.Question):
        agreement = next((a for a in case.agreements if a.id and a.id == item.agreement), None)
        return Subject(area, _attendees(case, agreement.intervention) if agreement else frozenset())
    return Subject(area)


def may_read(case: m.Case, recipient: str | None, area: str | None, day: dt.date) -> bool:
    """The rule for one item of `area` on one day (no children's refinement: nothing is
    known of whom the item is about). Prefer `Reading` for documents."""
    return Reading(case, recipient, [day]).allows(area)


class ReaderFilter:
    """The rule applied item by item while a document for one reader is built, keeping
    what the disclosure log needs: the areas and people of what was shown, how many items
    were left out, and on which basis the rest was released."""

    def __init__(self, case: m.Case, recipient: str | None, days: Iterable[dt.date],
                 real_today: dt.date | None = None) -> None:
        self.case = case
        self.reading = Reading(case, recipient, days, real_today)
        self.areas: set[str] = set()
        self.about: set[str] = set()
        self.basis: set[str] = set()
        self.omitted = 0

    @property
    def internal(self) -> bool:
        return self.reading.internal

    def _take(self, subject: Subject) -> bool:
        basis = self.reading.basis(subject.area, subject.about)
        if basis is None:
            self.omitted += 1
            return False
        if subject.area:
            self.areas.add(subject.area)
        self.about |= subject.about
        self.basis.add(basis)
        return True

    def allows(self, item: Record) -> bool:
        """Whether the reader may read `item`; counted for the disclosure log."""
        return self._take(subject_of(self.case, item))

    def allows_fact(self, area: str | None, about: Iterable[str] = ()) -> bool:
        """Whether the reader may read a fact of `area` about the people `about` (a statutory
        deadline: `familieplan.rules`); counted for the disclosure log."""
        return self._take(Subject(area, frozenset(about)))

    def allows_area(self, area: str) -> bool:
        """Whether the reader may read that the plan concerns `area` (a phase's focus)."""
        allowed = self.reading.allows(area)
        if allowed and not self.internal:
            self.areas.add(area)
        return allowed
