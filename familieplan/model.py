"""The typed model of a workspace. Records are frozen; each keeps its `source` and the
source of every value it holds (`where`), apart from the user's data.

Fields that failed validation hold None; commands that need a valid model refuse to run
on a workspace with errors, so they may rely on required fields being set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from familieplan.facts import Benefit, ChildWelfare, DigitalPost, Request, request_key
from familieplan.settings import LoadLimits, Record, Settings

# --- case.yaml --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Unavailability(Record):
    days: tuple[str, ...] = ()
    start: dt.time | None = None
    end: dt.time | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Record):
    id: str | None = None
    name: str | None = None
    role: str | None = None
    born: int | None = None
    load: LoadLimits | None = None
    unavailable: tuple[Unavailability, ...] = ()
    benefits: tuple[Benefit, ...] = ()  # the statutory facts (third edition)
    digital_post: DigitalPost | None = None
    contact_exempt: bool = False
    child_welfare: ChildWelfare | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Professional(Record):
    id: str | None = None
    name: str | None = None
    department: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Consent(Record):
    id: str | None = None
    person: str | None = None
    areas: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    start: dt.date | None = None
    until: dt.date | None = None
    withdrawn: dt.date | None = None  # no longer in force from this date on

    def in_force(self, day: dt.date) -> bool:
        """In force on `day`: from `from` to `until` inclusive, and before `withdrawn`."""
        return ((self.start is None or self.start <= day) and (self.until is None or day <= self.until)
                and (self.withdrawn is None or day < self.withdrawn))


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseInfo(Record):
    id: str | None = None
    title: str | None = None
    opened: dt.date | None = None
    status: str | None = None
    closed: dt.date | None = None
    coordinator: str | None = None
    contact: str | None = None
    journal: str | None = None  # third edition: the number in the municipality's records system
    people: tuple[Person, ...] = ()
    professionals: tuple[Professional, ...] = ()
    consents: tuple[Consent, ...] = ()


# --- plan.yaml --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Phase(Record):
    id: str | None = None
    name: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    focus: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Baseline(Record):
    date: dt.date | None = None
    value: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Target(Record):
    value: float | None = None
    by: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Measure(Record):
    """How a goal is followed up in numbers (second edition)."""

    indicator: str | None = None
    unit: str | None = None
    direction: str | None = None  # "up" | "down": which way is better
    baseline: Baseline | None = None
    target: Target | None = None
    every_weeks: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Goal(Record):
    id: str | None = None
    person: str | None = None
    area: str | None = None
    text: str | None = None
    by: dt.date | None = None
    indicator: str | None = None
    measure: Measure | None = None
    achieved: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Session(Record):
    days: tuple[str, ...] = ()
    start: dt.time | None = None
    end: dt.time | None = None
    every: int = 1
    since: dt.date | None = None  # the session's own period, inclusive (second edition)
    until: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Appointment(Record):
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Ending(Record):
    start: dt.date | None = None  # `from`: no demand on or after it (third edition; schedule/ended.py)
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Intervention(Record):
    id: str | None = None
    title: str | None = None
    description: str | None = None
    department: str | None = None
    responsible: str | None = None
    area: str | None = None
    phase: str | None = None
    goals: tuple[str, ...] = ()
    attendees: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    sessions: tuple[Session, ...] = ()
    except_dates: tuple[dt.date, ...] = ()
    travel_minutes: int = 0
    appointments: tuple[Appointment, ...] = ()
    hours_per_week: float | None = None
    ended: Ending | None = None
    kind: str | None = None  # jobsamtale | ressourceforloeb | revalidering | other (third edition)


@dataclass(frozen=True, slots=True, kw_only=True)
class Approval(Record):
    by: str | None = None  # a person of the case
    date: dt.date | None = None
    channel: str | None = None  # meeting | paper | digital-post | mitid
    plan: str | None = None  # the plan's fingerprint when approved (written by the tool)


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan(Record):
    title: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    phases: tuple[Phase, ...] = ()
    goals: tuple[Goal, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    approvals: tuple[Approval, ...] = ()  # the family's approval of the plan (third edition)


# --- agreements.yaml --------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Agreement(Record):
    id: str | None = None
    text: str | None = None
    responsible: str | None = None
    made: dt.date | None = None
    meeting: str | None = None
    answer_within_days: int | None = None
    due: dt.date | None = None
    status: str | None = None
    done: dt.date | None = None
    area: str | None = None
    intervention: str | None = None
    cancelled: dt.date | None = None  # the day it was cancelled (with status cancelled)
    reason: str | None = None  # why it was cancelled


@dataclass(frozen=True, slots=True, kw_only=True)
class Question(Record):
    asked: dt.date | None = None
    by: str | None = None
    to: str | None = None
    about: str | None = None
    agreement: str | None = None
    answered: dt.date | None = None
    area: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgreementsFile(Record):
    agreements: tuple[Agreement, ...] = ()
    questions: tuple[Question, ...] = ()
    requests: tuple[Request, ...] = ()


# --- meetings/*.yaml --------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Participant(Record):
    id: str | None = None
    present: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class AgendaItem(Record):
    title: str | None = None
    area: str | None = None
    notes: str | None = None
    decisions: tuple[str, ...] = ()
    intervention: str | None = None
    about: tuple[str, ...] = ()  # ids of the case's people the item is about


@dataclass(frozen=True, slots=True, kw_only=True)
class NextMeeting(Record):
    date: dt.date | None = None
    purpose: str | None = None
    area: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting(Record):
    name: str = ""  # the file name without .yaml: what agreements refer to
    title: str | None = None
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    place: str | None = None
    chair: str | None = None
    minutes_by: str | None = None
    participants: tuple[Participant, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    next_meeting: NextMeeting | None = None
    send_to: tuple[str, ...] = ()
    purpose: str | None = None  # why we meet, for the summons (third edition)
    questions: tuple[str, ...] = ()  # what the meeting must answer
    status: str | None = None  # planned (None) | cancelled
    uid: str | None = None  # the invitation's UID, written by the tool on the first invitation


# --- attendance.yaml, measurements.yaml, disclosures.yaml (second edition) ----------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Attendance(Record):
    """A record of one occurrence that did not go (or went) as planned."""

    date: dt.date | None = None
    person: str | None = None
    intervention: str | None = None
    meeting: str | None = None
    status: str | None = None  # "cancelled" | "no-show" | "attended"
    start: dt.time | None = None  # `from`: which session of the day
    reason: str | None = None
    reported_by: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AttendanceFile(Record):
    attendance: tuple[Attendance, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Measurement(Record):
    goal: str | None = None
    date: dt.date | None = None
    value: float | None = None
    by: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasurementsFile(Record):
    measurements: tuple[Measurement, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Disclosure(Record):
    """One document given to a named recipient (written by the tool, append-only)."""

    at: dt.datetime | None = None  # the real time of rendering, with its UTC offset
    recipient: str | None = None
    document: str | None = None  # "minutes" | "plan" | "report" | "summons"
    source_file: str | None = None  # `source`: the case file the document was made from
    about: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    omitted: int = 0
    basis: tuple[str, ...] = ()
    by: str | None = None
    sequence: int | None = None  # a summons: 0 for the first invitation, raised after a change


@dataclass(frozen=True, slots=True, kw_only=True)
class DisclosuresFile(Record):
    disclosures: tuple[Disclosure, ...] = ()


# --- the folders ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Case:
    """One case folder: what its files hold (None where a file is missing or broken)."""

    folder_id: str
    path: Path
    info: CaseInfo | None
    plan: Plan | None
    agreements: tuple[Agreement, ...] = ()
    questions: tuple[Question, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    requests: tuple[Request, ...] = ()
    has_agreements: bool = False
    attendance: tuple[Attendance, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    disclosures: tuple[Disclosure, ...] = ()
    optional_files: frozenset[str] = frozenset()  # the optional case files that were read

    @property
    def id(self) -> str:
        return self.folder_id

    @property
    def title(self) -> str:
        return (self.info.title if self.info and self.info.title else self.folder_id)

    def people_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in (self.info.people if self.info else ()) if p.id}

    def professionals_by_id(self) -> dict[str, Professional]:
        return {p.id: p for p in (self.info.professionals if self.info else ()) if p.id}


@dataclass(frozen=True, slots=True)
class Workspace:
    root: Path
    settings: Settings
    settings_path: Path | None
    cases: tuple[Case, ...] = ()

    def case(self, case_id: str) -> Case | None:
        for case in self.cases:
            if case.folder_id == case_id:
                return case
        return None


# --- what merging needs -------------------------------------------------------------------

# The key FORMAT.md gives each kind of entry without an id ("Keys of entries without an id").
ENTRY_KEYS: dict[type, Callable[[Any], tuple[object, ...]]] = {
    Question: lambda q: (q.asked, q.by, q.about),
    Attendance: lambda a: (a.date, a.person, a.intervention if a.intervention is not None else a.meeting, a.start),
    Measurement: lambda e: (e.goal, e.date),
    Disclosure: lambda d: (d.at, d.recipient, d.document, d.source_file),
    Approval: lambda a: (a.by, a.date),  # third edition
    Request: request_key,
}


def entry_key(entry: Record) -> object:
    """The key of any list entry: its `id`, or the key FORMAT.md gives entries without one."""
    key = ENTRY_KEYS.get(type(entry))
    return key(entry) if key is not None else getattr(entry, "id", None)
