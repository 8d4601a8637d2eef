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
- a professional always reads the work of their own department: the interventions it
  runs and the items tied to them (the goals they serve, agreements, questions and agenda
  items about them; FORMAT.md, third edition);
- otherwise a professional reads it when a consent names both the professional's
  department and the area and is in force on every day that matters (the meeting's date
  and the day the document is made); a consent withdrawn on or before the real date of
  rendering never releases anything, whatever day the document is made "as of";
- *whose* consent: a consent releases information about its `person` and, when that
  person is a parent, about the case's children; information about another adult needs
  that adult's consent; information about no one in particular is released by any
  consent of the family that covers the area;
- anyone else (an id not in the case) reads nothing with an area.

`Reading.basis` names why something was released (for the disclosure log): the consent
ids (`consents[N]` for a consent without an id), `family`, `coordinator`, `department`
or `no-area`.

A department may name the areas it works in (`familieplan.yaml`); a reader who may read
none of them does not learn who from that department takes part (`Reading.conceals`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import model as m
    from familieplan.settings import Record


EVERYONE = None  # the full, internal version

TEAM, COORDINATOR, FAMILY, CHILD, PROFESSIONAL, STRANGER = (
    "team", "coordinator", "family", "child", "professional", "stranger")
NO_AREA = "no-area"
DEPARTMENT = "department"  # the basis of a department reading its own work


@dataclass(frozen=True)
class Subject:
    """What the rule needs to know about one piece of information: its area, the people
    it is about, and the departments whose own work it is."""

    area: str | None
    about: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()


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
    a withdrawal always applies (None: the latest of `days`); `department_areas` are the
    areas each department works in (`Settings.department_areas`), for `conceals`."""

    def __init__(self, case: m.Case, recipient: str | None, days: Iterable[dt.date],
                 real_today: dt.date | None = None,
                 department_areas: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.case = case
        self.recipient = recipient
        self.days = tuple(sorted(set(days)))
        # The core reads no clock: without a day at all, every recorded withdrawal applies.
        self.real_today = real_today or (self.days[-1] if self.days else dt.date.max)
        self.department_areas = department_areas or {}
        self.kind = self._kind()
        self._people = case.people_by_id()
        self.department = self._department()
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

    def _department(self) -> str | None:
        """The reader's own department (a professional's), else None."""
        if self.kind not in (PROFESSIONAL, COORDINATOR):
            return None
        pro = self.case.professionals_by_id().get(self.recipient or "")
        return pro.department if pro is not None else None

    def _usable_consents(self) -> tuple[m.Consent, ...]:
        """The consents naming the professional's department, in force on every day."""
        if self.kind != PROFESSIONAL or self.case.info is None or self.department is None:
            return ()
        return tuple(
            c for c in self.case.info.consents
            if self.department in c.departments and all(c.in_force(day) for day in self.days)
            and (c.withdrawn is None or c.withdrawn > self.real_today))

    @property
    def internal(self) -> bool:
        return self.kind == TEAM

    def allows(self, area: str | None, about: Iterable[str] = (), departments: Iterable[str] = ()) -> bool:
        """Whether the reader may read information of `area` about the people `about`
        (the work of `departments`)."""
        return self.basis(area, about, departments) is not None

    def basis(self, area: str | None, about: Iterable[str] = (), departments: Iterable[str] = ()) -> str | None:
        """Why the reader may read it (None: they may not)."""
        bases = self.bases(area, about, departments)
        return bases[0] if bases else None

    def bases(self, area: str | None, about: Iterable[str] = (),
              departments: Iterable[str] = ()) -> tuple[str, ...]:
        """Every reason the reader may read it (empty: they may not): for a professional,
        the consents that together cover every person it is about."""
        if self.kind == TEAM:
            return (TEAM,)
        if area is None:
            return (NO_AREA,)
        if self.kind == COORDINATOR:
            return (COORDINATOR,)
        if self.kind == FAMILY:
            return (FAMILY,)
        if self.kind == CHILD:
            return (FAMILY,) if self.recipient in set(about) else ()
        if self.department is not None and self.department in set(departments):
            return (DEPARTMENT,)
        return self._consent_bases(area, about)

    def _consent_bases(self, area: str, about: Iterable[str]) -> tuple[str, ...]:
        usable = [c for c in self._consents if area in c.areas]
        people = [p for p in dict.fromkeys(about) if p in self._people]
        if not people:  # about no one in particular: any consent of the family
            return (consent_label(self.case, usable[0]),) if usable else ()
        labels: list[str] = []
        for person in people:
            consent = next((c for c in usable if self._covers(c, person)), None)
            if consent is None:
                return ()
            labels.append(consent_label(self.case, consent))
        return tuple(dict.fromkeys(labels))

    def _covers(self, consent: m.Consent, person: str) -> bool:
        """Whether `consent` speaks for `person`: its own person, or a parent's consent
        for a child of the case."""
        if consent.person == person:
            return True
        giver, subject = self._people.get(consent.person or ""), self._people.get(person)
        return (giver is not None and giver.role == "parent"
                and subject is not None and subject.role == "child")

    def allows_subject(self, subject: Subject) -> bool:
        return self.allows(subject.area, subject.about, subject.departments)

    def conceals(self, some_id: str | None) -> bool:
        """Whether a professional is shown to this reader only as "a professional": their
        department names areas and the reader may read none of them (and is not of it)."""
        pro = self.case.professionals_by_id().get(some_id or "")
        if pro is None or pro.department is None or self.internal:
            return False
        return pro.department in self.concealed_departments()

    def concealed_departments(self) -> frozenset[str]:
        """The departments whose areas the reader may read none of (about no one in
        particular; a child: about themselves), the reader's own excepted."""
        if self.internal:
            return frozenset()
        if self.kind == CHILD:
            own = self._child_areas()
            return frozenset(dept for dept, areas in self.department_areas.items() if not own & set(areas))
        return frozenset(dept for dept, areas in self.department_areas.items()
                         if areas and dept != self.department and not any(self.allows(a) for a in areas))

    def _child_areas(self) -> set[str]:
        """The areas of what a child reads about themselves: their goals and the
        interventions they attend."""
        plan = self.case.plan
        if plan is None:
            return set()
        return ({iv.area for iv in plan.interventions if self.recipient in iv.attendees and iv.area}
                | {g.area for g in plan.goals if g.person == self.recipient and g.area})


# --- what each kind of item is about -----------------------------------------------------

def _intervention(case: m.Case, intervention_id: str | None) -> m.Intervention | None:
    if not intervention_id or case.plan is None:
        return None
    return next((iv for iv in case.plan.interventions if iv.id == intervention_id), None)


def _attendees(case: m.Case, intervention_id: str | None) -> frozenset[str]:
    iv = _intervention(case, intervention_id)
    return frozenset(iv.attendees) if iv is not None else frozenset()


def _runs(case: m.Case, intervention_id: str | None) -> frozenset[str]:
    """The department running an intervention (its own work), as a set."""
    iv = _intervention(case, intervention_id)
    return frozenset([iv.department]) if iv is not None and iv.department else frozenset()


def _serving(case: m.Case, goal_id: str | None) -> frozenset[str]:
    """The departments running the interventions that serve a goal."""
    if not goal_id or case.plan is None:
        return frozenset()
    return frozenset(iv.department for iv in case.plan.interventions if goal_id in iv.goals and iv.department)


def subject_of(case: m.Case, item: Record) -> Subject:
    """The area, the people and the departments (whose own work it is) of any item a
    document shows: an intervention, a goal, an agenda item, an agreement, a question or a
    next meeting."""
    from familieplan import model as m

    area = effective_area(case, item)
    if isinstance(item, m.Intervention):
        return Subject(area, frozenset(item.attendees), frozenset([item.department] if item.department else []))
    if isinstance(item, m.Goal):
        return Subject(area, frozenset([item.person]) if item.person else frozenset(), _serving(case, item.id))
    if isinstance(item, m.AgendaItem):
        return Subject(area, frozenset(item.about) | _attendees(case, item.intervention),
                       _runs(case, item.intervention))
    if isinstance(item, m.Agreement):
        return Subject(area, _attendees(case, item.intervention), _runs(case, item.intervention))
    if isinstance(item, m.Question):
        agreement = next((a for a in case.agreements if a.id and a.id == item.agreement), None)
        if agreement is None:
            return Subject(area)
        return Subject(area, _attendees(case, agreement.intervention), _runs(case, agreement.intervention))
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
                 real_today: dt.date | None = None,
                 department_areas: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.case = case
        self.reading = Reading(case, recipient, days, real_today, department_areas)
        self.areas: set[str] = set()
        self.about: set[str] = set()
        self.basis: set[str] = set()
        self.omitted = 0

    @property
    def internal(self) -> bool:
        return self.reading.internal

    def _take(self, subject: Subject) -> bool:
        bases = self.reading.bases(subject.area, subject.about, subject.departments)
        if not bases:
            self.omitted += 1
            return False
        if subject.area:
            self.areas.add(subject.area)
        self.about |= subject.about
        self.basis.update(bases)
        return True

    def allows(self, item: Record) -> bool:
        """Whether the reader may read `item`; counted for the disclosure log."""
        return self._take(subject_of(self.case, item))

    def allows_fact(self, area: str | None, about: Iterable[str] = ()) -> bool:
        """Whether the reader may read a fact of `area` about the people `about` (a statutory
        deadline: `familieplan.rules`); counted for the disclosure log."""
        return self._take(Subject(area, frozenset(about)))

    def allows_area(self, area: str) -> bool:
        """Whether the reader may read that the plan concerns `area` (a phase's focus): by
        consent, or because their own department works in it there."""
        plan, own = self.case.plan, self.reading.department
        allowed = self.reading.allows(area) or (
            self.reading.kind == PROFESSIONAL and plan is not None
            and any(iv.area == area and iv.department == own for iv in plan.interventions))
        if allowed and not self.internal:
            self.areas.add(area)
        return allowed
