"""Cross-file checks of one case: identity and references (dates: `checks/dates.py`). Each is a registered unit.

A check is a function from a case (and its index) to problems, registered with its code
and level; its docstring is the user documentation (what, why, a failing example) from
which docs/codes.md is generated.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from familieplan import model as m
from familieplan.checks.registry import Unit, registrar
from familieplan.format.suggest import DID_YOU_MEAN, did_you_mean
from familieplan.problems import ERROR, N_, Problem, Source, Term, make_problem
from familieplan.settings import Record, Settings

# Each check: (case, index, settings) -> problems.
CHECKS: list[Unit] = []
check = registrar("check", CHECKS)
# More references for `unknown-reference`, from the modules that check other files.
REFERENCES: list[Callable[[m.Case, CaseIndex], Iterator[Problem]]] = []
_DAY = _dt.timedelta(days=1)


@dataclass
class CaseIndex:
    """Lookups shared by the checks, built once per case."""

    people: dict[str, m.Person]
    professionals: dict[str, m.Professional]
    parties: set[str]
    goals: set[str]
    phases: set[str]
    agreements: set[str]
    meetings: set[str]
    departments: set[str] | None
    interventions: dict[str, m.Intervention]
    today: _dt.date | None = None  # for checks against the date; None skips them

    @classmethod
    def build(cls, case: m.Case, settings: Settings, today: _dt.date | None = None) -> CaseIndex:
        people = case.people_by_id()
        professionals = case.professionals_by_id()
        plan = case.plan
        return cls(
            people=people,
            professionals=professionals,
            parties=set(people) | set(professionals),
            goals={g.id for g in plan.goals if g.id} if plan else set(),
            phases={p.id for p in plan.phases if p.id} if plan else set(),
            agreements={a.id for a in case.agreements if a.id},
            meetings={mt.name for mt in case.meetings},
            departments=set(settings.departments) if settings.departments is not None else None,
            interventions={iv.id: iv for iv in plan.interventions if iv.id} if plan else {},
            today=today,
        )


def run_checks(case: m.Case, settings: Settings, today: _dt.date | None = None) -> list[Problem]:
    """Every registered check on one case; `today` enables the checks against the date
    (an attendance recorded in the future)."""
    index = CaseIndex.build(case, settings, today)
    problems: list[Problem] = []
    for unit in CHECKS:
        problems.extend(unit.func(case, index, settings))
    return problems


def _p(code: str, source: Source, message: str, hint: str | None = None, **args: object) -> Problem:
    return make_problem(code, source, message, hint, **args)


def _what(what: str, rid: str | None = None) -> Term:
    """A record named in a message: a catalog word ('plan'), or one with its id ('phase {id}')."""
    return Term(what) if rid is None else Term(what, id=rid)


@check("case-id", ERROR)
def check_case_id(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """The `id` in case.yaml differs from the case's folder name.

    The folder name is the case id everywhere (commands, references, reports); a copied
    case whose id was not updated would otherwise be two cases with one name.

    Failing: folder `cases/2026-014-jensen/` with `id: 2026-013-jensen`.
    Passing: folder and id both `2026-014-jensen`."""
    info = case.info
    if info and info.id and info.id != case.folder_id:
        yield _p("case-id", info.pos("id"), N_("id '{id}' differs from the folder name '{folder}'"),
                 N_("rename the folder or change the id"), id=info.id, folder=case.folder_id)


def _ids_of(records: Iterable[Record]) -> Iterator[tuple[str, Record]]:
    for record in records:
        rid = getattr(record, "id", None)
        if rid:
            yield rid, record


@check("duplicate-id", ERROR)
def check_duplicate_ids(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """Two things share one id in the same scope.

    People and professionals share one id space in a case (a meeting participant may be
    either); phases, goals, interventions, agreements, consents and the measures of child
    welfare each have their own.

    Failing: a person `mette` and a professional `mette` in the same case.
    Passing: `mette` and `sb-mette`."""
    scopes: list[tuple[str, Iterable[Record]]] = []
    if case.info:
        scopes.append((N_("person or professional"), (*case.info.people, *case.info.professionals)))
        scopes.append((N_("consent"), case.info.consents))
        scopes.append((N_("child welfare measure"), [measure for person in case.info.people if person.child_welfare
                                                     for measure in person.child_welfare.measures]))
    if case.plan:
        scopes += [(N_("phase"), case.plan.phases), (N_("goal"), case.plan.goals),
                   (N_("intervention"), case.plan.interventions)]
    scopes.append((N_("agreement"), case.agreements))
    for what, records in scopes:
        seen: dict[str, Record] = {}
        for rid, record in _ids_of(records):
            first = seen.get(rid)
            if first is None:
                seen[rid] = record
            else:
                where = first.pos("id")
                if where.path == record.pos("id").path:
                    yield _p("duplicate-id", record.pos("id"), N_("{what} id '{id}' is used twice (first at line {line})"),
                             what=Term(what), id=rid, line=where.line)
                else:
                    yield _p("duplicate-id", record.pos("id"), N_("{what} id '{id}' is used twice (first at {place})"),
                             what=Term(what), id=rid, place=str(where))


def reference(func: Callable[[m.Case, CaseIndex], Iterator[Problem]]) -> Callable[[m.Case, CaseIndex], Iterator[Problem]]:
    """Add a function to the `unknown-reference` check."""
    REFERENCES.append(func)
    return func


def _ref(record: Record, key: str, value: str | None, known: set[str] | dict, what: str,
         message: str = N_("no {what} '{value}'"), index: int | None = None) -> tuple[Problem, ...]:
    """The problem of an unknown id (a tuple, empty for a known one: most references are
    known, and a call that returns () costs less than a generator)."""
    if not value or value in known:
        return ()
    suggestion = did_you_mean(value, known)
    where = record.pos(key) if index is None else record.item_pos(key, index)
    return (_p("unknown-reference", where, message, DID_YOU_MEAN if suggestion else None,
               what=Term(what), value=value, suggestion=suggestion),)


def _refs(record: Record, key: str, values: Iterable[str], known: set[str] | dict, what: str) -> list[Problem]:
    """Each item of a list of ids, reported at the item's own place."""
    return [problem for index, value in enumerate(values) if value and value not in known
            for problem in _ref(record, key, value, known, what, index=index)]


@check("unknown-reference", ERROR)
def check_references(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A reference to something that does not exist.

    Checked: the coordinator (a professional), the contact, consents' people and
    departments, goals' people, interventions' departments, responsible, attendees,
    goals and phase, agreements' responsible, meeting and intervention, questions' asker,
    addressee and agreement, meetings' chair, minute-taker, participants and recipients,
    agenda items' intervention and the people they are `about`, and (in attendance.yaml,
    measurements.yaml and disclosures.yaml) the people, interventions, meetings, goals,
    recipients and consents their entries name. Departments are checked when
    `familieplan.yaml` lists them.

    Failing: `responsible: sb-famlie` where the professional is `sb-familie`
    (the message suggests the closest id)."""
    yield from _case_info_references(case, index)
    yield from _plan_references(case, index)
    parties = index.parties
    for agreement in case.agreements:
        yield from _ref(agreement, "responsible", agreement.responsible, parties, N_("person or professional"))
        yield from _ref(agreement, "meeting", agreement.meeting, index.meetings, N_("meeting file"))
        yield from _ref(agreement, "intervention", agreement.intervention, index.interventions, N_("intervention"))
    for question in case.questions:
        yield from _ref(question, "by", question.by, parties, N_("person or professional"))
        yield from _ref(question, "to", question.to, parties, N_("person or professional"))
        yield from _ref(question, "agreement", question.agreement, index.agreements, N_("agreement"))
    yield from _meeting_references(case, index)
    for more in REFERENCES:
        yield from more(case, index)


def _case_info_references(case: m.Case, index: CaseIndex) -> Iterator[Problem]:
    info, parties, departments = case.info, index.parties, index.departments
    if info is None:
        return
    if info.coordinator and info.coordinator not in index.professionals:
        message = (N_("no professional '{value}' among the professionals: the coordinator is a caseworker")
                   if info.coordinator in index.people
                   else N_("no professional '{value}': the coordinator is a caseworker"))
        suggestion = did_you_mean(info.coordinator, index.professionals)
        yield _p("unknown-reference", info.pos("coordinator"), message, DID_YOU_MEAN if suggestion else None,
                 value=info.coordinator, suggestion=suggestion)
    yield from _ref(info, "contact", info.contact, parties, N_("person or professional"))
    if departments is not None:
        for pro in info.professionals:
            yield from _ref(pro, "department", pro.department, departments,
                            N_("department"), N_("no {what} '{value}' in familieplan.yaml"))
    for consent in info.consents:
        yield from _ref(consent, "person", consent.person, index.people, N_("person"))
        if departments is not None:
            yield from _refs(consent, "departments", consent.departments, departments, N_("department"))


def _plan_references(case: m.Case, index: CaseIndex) -> Iterator[Problem]:
    plan, parties, departments = case.plan, index.parties, index.departments
    if plan is None:
        return
    for goal in plan.goals:
        yield from _ref(goal, "person", goal.person, index.people, N_("person"))
    for iv in plan.interventions:
        if departments is not None:
            yield from _ref(iv, "department", iv.department, departments,
                            N_("department"), N_("no {what} '{value}' in familieplan.yaml"))
        yield from _ref(iv, "responsible", iv.responsible, parties, N_("person or professional"))
        yield from _ref(iv, "phase", iv.phase, index.phases, N_("phase"))
        yield from _refs(iv, "goals", iv.goals, index.goals, N_("goal"))
        yield from _refs(iv, "attendees", iv.attendees, parties, N_("person or professional"))


def _meeting_references(case: m.Case, index: CaseIndex) -> Iterator[Problem]:
    parties = index.parties
    for meeting in case.meetings:
        yield from _ref(meeting, "chair", meeting.chair, parties, N_("person or professional"))
        yield from _ref(meeting, "minutes_by", meeting.minutes_by, parties, N_("person or professional"))
        for participant in meeting.participants:
            yield from _ref(participant, "id", participant.id, parties, N_("person or professional"))
        yield from _refs(meeting, "send_to", meeting.send_to, parties, N_("person or professional"))
        for item in meeting.agenda:
            yield from _ref(item, "intervention", item.intervention, index.interventions, N_("intervention"))
            yield from _refs(item, "about", item.about, index.people, N_("person"))


# For the modules that add references (see `reference`).
unknown_ref = _ref
unknown_refs = _refs
