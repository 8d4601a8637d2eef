"""What the record commands refuse before they change anything (exit 2, one line): an id
the case does not have ("did you mean …?"), a day before the case was opened or after
today, a day on which an intervention does not ask the person to attend (with the nearest
days it does)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from familieplan import model as m
from familieplan.format.suggest import did_you_mean_text
from familieplan.problems import N_, Term, UsageError
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import PersonSchedule, build_schedules
from familieplan.schedule.progression import week_index
from familieplan.settings import Settings
from familieplan.workspace import paths
from familieplan.workspace import read as loader

T = TypeVar("T")

# What a record may name, as the words of its "unknown" line.
KINDS = {"person": N_("person or professional"), "family": N_("one of the family"), "agreement": N_("agreement"),
         "question": N_("question"), "goal": N_("goal"), "intervention": N_("intervention"), "meeting": N_("meeting"),
         "consent": N_("consent"), "department": N_("department"), "area": N_("life area")}


def pick(kind: str, value: str, known: Mapping[str, T], case: m.Case) -> T:
    """The entry `value` names among `known`, else a UsageError with the closest id."""
    if value in known:
        return known[value]
    hint = did_you_mean_text(value, list(known))
    if hint:
        raise UsageError(N_("{case}: unknown {kind} '{id}' ({hint})"), case=case.folder_id, kind=Term(KINDS[kind]),
                         id=value, hint=hint)
    raise UsageError(N_("{case}: unknown {kind} '{id}'"), case=case.folder_id, kind=Term(KINDS[kind]), id=value)


def ids(entries: Iterable[T]) -> dict[str, T]:
    return {entry.id: entry for entry in entries if getattr(entry, "id", None)}  # type: ignore[attr-defined]


def everyone(case: m.Case) -> dict[str, object]:
    return {**case.professionals_by_id(), **case.people_by_id()}


def happened(case: m.Case, day: dt.date, today: dt.date, option: str) -> dt.date:
    """A day on which something has happened: not before the case was opened, not after today."""
    not_before(case, day, option)
    if day > today:
        raise UsageError(N_("{option} {date}: after today ({today}); record what has happened"),
                         option=option, date=day, today=today)
    return day


def not_before(case: m.Case, day: dt.date, option: str) -> dt.date:
    opened = case.info.opened if case.info else None
    if opened is not None and day < opened:
        raise UsageError(N_("{option} {date}: before the case was opened ({opened})"),
                         option=option, date=day, opened=opened)
    return day


def _takes_place(schedule: PersonSchedule, iv_id: str, day: dt.date) -> bool:
    week, weekday = week_index(day), day.weekday()
    return any(slot.ref.id == iv_id and slot.weekday == weekday and slot.weeks.contains(week)
               for slot in schedule.slots) or any(
        o.ref.kind == "intervention" and o.ref.id == iv_id and o.date == day for o in schedule.oneoffs)


NEAREST_SPAN = 366  # days searched each way for the nearest occurrences


def occurrence(case: m.Case, settings: Settings, iv: m.Intervention, person: str, day: dt.date) -> None:
    """Refuse a day on which the intervention does not ask `person` to attend, naming the
    nearest days before and after it that it does."""
    if person not in iv.attendees:
        raise UsageError(N_("{case}: {person} does not attend intervention {id}"), case=case.folder_id,
                         person=person, id=iv.id)
    found = build_schedules(case, settings, WorkCalendar(settings), only_person=person)
    schedule = found[-1] if found else None
    if schedule is not None and _takes_place(schedule, iv.id or "", day):
        return
    nearest: list[dt.date] = []
    if schedule is not None:
        for step in (-1, 1):
            probe = day
            for _ in range(NEAREST_SPAN):
                probe += dt.timedelta(days=step)
                if _takes_place(schedule, iv.id or "", probe):
                    nearest.append(probe)
                    break
    if nearest:
        raise UsageError(N_("{case}: intervention {id} does not take place for {person} on {date}; "
                            "the nearest days it does: {nearest}"),
                         case=case.folder_id, id=iv.id, person=person, date=day, nearest=tuple(sorted(nearest)))
    raise UsageError(N_("{case}: intervention {id} does not take place for {person} on {date}"),
                     case=case.folder_id, id=iv.id, person=person, date=day)


@dataclass(frozen=True)
class CaseChoices:
    """The ids a record command may name in one case, for its prompts: the defaults it
    offers and the ids it lists (read without checks: a broken file leaves its part out)."""

    coordinator: str | None = None
    family: tuple[str, ...] = ()
    everyone: tuple[str, ...] = ()
    open_agreements: tuple[str, ...] = ()
    open_questions: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    consents: tuple[str, ...] = ()
    meetings: tuple[str, ...] = ()


def case_choices(root: Path, case_name: str) -> CaseChoices:
    """What `CaseChoices` says, for the case `case_name` names."""
    folder = paths.resolve_case(root, case_name)
    settings, _, _ = loader.load_settings(root)
    case, _ = loader.load_case(folder, settings)
    info = case.info or m.CaseInfo()
    plan = case.plan or m.Plan()
    return CaseChoices(
        coordinator=info.coordinator,
        family=tuple(case.people_by_id()),
        everyone=tuple(everyone(case)),
        open_agreements=tuple(a.id for a in case.agreements if a.id and a.status == "open"),
        open_questions=tuple(f"q{n}" for n, q in enumerate(case.questions, 1) if q.answered is None),
        goals=tuple(ids(plan.goals)),
        interventions=tuple(i.id for i in plan.interventions if i.id and i.ended is None),
        consents=tuple(c.id for c in info.consents if c.id and c.withdrawn is None),
        meetings=tuple(mt.name for mt in case.meetings),
    )
