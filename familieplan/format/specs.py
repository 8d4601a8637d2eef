"""The file format, version 1, as declarative specs: one source for conversion, problems
and JSON Schema (the types are in `scalars` and `records`).

Every scalar arrives as the string the user wrote (see `nodes`); each type converts it with an
explicit format and reports a problem at the value's position when it does not fit (never raises).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from familieplan import model as m
from familieplan.format.records import (
    DepartmentMap,
    F,
    ListOf,
    MapOf,
    Nullable,
    ParticipantType,
    Record,
)
from familieplan.format.scalars import (
    WEEKDAY_ALIASES,
    Area,
    Boolean,
    Choice,
    Date,
    DateTime,
    Hours,
    Id,
    Integer,
    Number,
    Text,
    Time,
    choice,
)
from familieplan.format.statutory import BENEFIT, CHILD_WELFARE, DIGITAL_POST, REQUEST, RULES
from familieplan.problems import N_
from familieplan.settings import BUILTIN_AREAS, CalendarSettings, Department, LoadLimits, Settings

# --- the specs --------------------------------------------------------------------------
# Every field's description is an English message id of the one catalog (`N_`); the
# exported schemas carry the Danish (`render/schemas.py`), which editors
# show on hover. The words follow docs/format.md.

ID, TEXT, DATE, TIME, HOURS, AREA = Id(), Text(), Date(), Time(), Hours(), Area()
WEEKDAY = Choice(N_("a weekday"), WEEKDAY_ALIASES)
DAYS = ListOf(WEEKDAY, 1)


def _required_when(key: str, value: str, needed: str) -> dict[str, Any]:
    """JSON Schema for "`needed` has a value when `key` is `value`"."""
    return {"if": {"properties": {key: {"const": value}}, "required": [key]},
            "then": {"properties": {needed: {"not": {"type": "null"}}}, "required": [needed]}}


LOAD = Record(N_("load limits"), LoadLimits, {
    "max_hours_per_week": F(HOURS, N_("Total scheduled hours on one person in an ISO week")),
    "max_departments_per_week": F(Integer(1, 50), N_("Departments placing demands on one person in a week")),
    "max_appointments_per_day": F(Integer(1, 50), N_("Appointments on one person in a day")),
    "min_gap_minutes": F(Integer(0, 600), N_("Wanted free minutes between two appointments on one day")),
}, N_("Limits for check-load"))


class _SettingsRecord(Record):
    """familieplan.yaml: a department in its long form gives its name to `departments` and
    its areas to `department_areas` (the rest of the tool reads names only)."""

    def convert(self, node: Any, ctx: Any, extra: dict[str, Any] | None = None) -> Any:
        value = super().convert(node, ctx, extra)
        if not isinstance(value, Settings) or not value.departments:
            return value
        given: dict[str, Any] = dict(value.departments.items())
        names = {k: (v.name or k) if isinstance(v, Department) else v for k, v in given.items()}
        areas = {k: v.areas for k, v in given.items() if isinstance(v, Department) and v.areas}
        return dataclasses.replace(value, departments=names, department_areas=areas)


DEPARTMENT = Record(N_("a department"), Department, {
    "name": F(TEXT, N_("The department's name"), required=True),
    "areas": F(ListOf(AREA), N_("The life areas the department works in: who may read none of them "
                                "sees its professionals only as 'a professional'")),
}, N_("A department and the areas it works in"))

SETTINGS = _SettingsRecord(N_("familieplan.yaml"), Settings, {
    "format": F(Integer(1, 1, N_("format version 1")), N_("The format's version: 1"), required=True),
    "municipality": F(TEXT, N_("The municipality's name")),
    "language": F(choice(N_("a language (da or en)"), "da", "en"),
                  N_("The language of rendered documents: da or en")),
    "departments": F(DepartmentMap(DEPARTMENT), N_("id: name (or name and areas) of every department; "
                                                   "cases may name only these")),
    "load": F(LOAD, N_("Limits for check-load; a person may override each")),
    "calendar": F(Record(N_("calendar"), CalendarSettings, {
        "holidays": F(choice(N_("a holiday calendar (dk or none)"), "dk", "none"),
                      N_("Danish public holidays (dk) or none")),
        "closed": F(ListOf(DATE), N_("Extra days the offices are closed")),
    }, N_("The working-day calendar")), N_("The working-day calendar")),
    "areas": F(MapOf(), N_("Your own life areas, beside the built-in ones: id: name")),
    "indicators": F(MapOf(), N_("id: name of the outcome indicators goals measure")),
    "rules": F(RULES, N_("The statutory rules: which apply, and their parameters")),
}, N_("The workspace's settings"))

UNAVAILABLE = Record(N_("an unavailable time"), m.Unavailability, {
    "days": F(DAYS, N_("The weekdays: mon … sun or man … søn"), required=True),
    "from": F(TIME, N_("From (HH:MM)"), required=True, attr="start"),
    "to": F(TIME, N_("To (HH:MM)"), required=True, attr="end"),
    "reason": F(TEXT, N_("Why (optional)")),
}, N_("A recurring time the person cannot be booked"))

CASE = Record(N_("case.yaml"), m.CaseInfo, {
    "id": F(ID, N_("Case id: equals the folder name"), required=True),
    "title": F(TEXT, N_("The case's title, e.g. Familien Jensen"), required=True),
    "opened": F(DATE, N_("The day the case was opened"), required=True),
    "status": F(choice(N_("a case status"), "active", "paused", "closed"),
                N_("active, paused or closed"), required=True),
    "closed": F(Nullable(DATE), N_("The day the case was closed: required when status is closed")),
    "coordinator": F(ID, N_("The coordinating caseworker: a professional's id"), required=True),
    "contact": F(ID, N_("Whom the family calls first when in doubt: an id (optional)")),
    "journal": F(TEXT, N_("The case's number in the municipality's records system (optional)")),
    "people": F(ListOf(Record(N_("a person"), m.Person, {
        "id": F(ID, N_("The person's id in the case"), required=True),
        "name": F(TEXT, N_("Name"), required=True),
        "role": F(choice(N_("a role"), "parent", "child", "other"), N_("parent, child or other"), required=True),
        "born": F(Integer(1900, 2100, N_("a year")), N_("Birth year. Never a CPR number.")),
        "load": F(LOAD, N_("Overrides of the workspace's load limits")),
        "unavailable": F(ListOf(UNAVAILABLE), N_("Recurring times the person cannot be booked")),
        "benefits": F(ListOf(BENEFIT), N_("Benefits (ydelser), as periods")),
        "digital_post": F(DIGITAL_POST, N_("An exemption from Digital Post")),
        "contact_exempt": F(Boolean(), N_("Exempted from the jobsamtaler rule (one in four may be, from 2026-07-01)")),
        "child_welfare": F(CHILD_WELFARE, N_("Child welfare facts (barnets lov)")),
    }, N_("One of the family"))), N_("The family: whom the plan is for"), required=True),
    "professionals": F(ListOf(Record(N_("a professional"), m.Professional, {
        "id": F(ID, N_("The professional's id in the case"), required=True),
        "name": F(TEXT, N_("Name"), required=True),
        "department": F(ID, N_("A department of familieplan.yaml"), required=True),
        "title": F(TEXT, N_("Job title, e.g. Sagsbehandler")),
        "email": F(TEXT, N_("Email (optional)")),
        "phone": F(TEXT, N_("Phone (optional)")),
    }, N_("A professional working with the family"))), N_("The professionals around the family"), required=True),
    "consents": F(ListOf(Record(N_("a consent"), m.Consent, {
        "id": F(ID, N_("Unique among the case's consents; lets a disclosure name its basis")),
        "person": F(ID, N_("Who gave the consent: one of the family"), required=True),
        "areas": F(ListOf(AREA, 1), N_("The life areas the consent covers"), required=True),
        "departments": F(ListOf(ID, 1), N_("The departments that may receive the information"), required=True),
        "from": F(DATE, N_("In force from this day"), required=True, attr="start"),
        "until": F(Nullable(DATE), N_("The last day the consent is in force (optional)")),
        "withdrawn": F(DATE, N_("No longer in force from this date (forvaltningsloven § 28, stk. 4)")),
    }, N_("A consent: what may be shared with whom"))), N_("Consents: what may be shared with whom")),
}, N_("Who: the family, the professionals, consents"), rules=_required_when("status", "closed", "closed"))

SESSION = Record(N_("a session"), m.Session, {
    "days": F(DAYS, N_("The weekdays: mon … sun or man … søn"), required=True),
    "from": F(TIME, N_("From (HH:MM)"), required=True, attr="start"),
    "to": F(TIME, N_("To (HH:MM)"), required=True, attr="end"),
    "every": F(Integer(1, 52), N_("Every n-th week (default 1), counted from the week holding `since`")),
    "since": F(DATE, N_("The first date this session can take place (inclusive)")),
    "until": F(DATE, N_("The last date this session can take place (inclusive)")),
}, N_("A weekly appointment"))

MEASURE = Record(N_("a measure"), m.Measure, {
    "indicator": F(ID, N_("The indicator's id; the same id across cases is the same indicator"), required=True),
    "unit": F(TEXT, N_("The unit of the values, e.g. %")),
    "direction": F(choice(N_("a direction (up or down)"), "up", "down"),
                   N_("Which way is better: up or down"), required=True),
    "baseline": F(Record(N_("a baseline"), m.Baseline, {
        "date": F(DATE, N_("The day of the measurement"), required=True),
        "value": F(Number(), N_("The value"), required=True),
    }, N_("The value before the plan")), N_("The value before the plan")),
    "target": F(Record(N_("a target"), m.Target, {
        "value": F(Number(), N_("The value aimed for"), required=True),
        "by": F(DATE, N_("By when (optional)")),
    }, N_("The value aimed for, and by when")), N_("The value aimed for, and by when")),
    "every_weeks": F(Integer(1, 520), N_("A new measurement is due this often")),
}, N_("How the goal is followed up in numbers"))

APPOINTMENT = Record(N_("an appointment"), m.Appointment, {
    "date": F(DATE, N_("The day of the appointment"), required=True),
    "from": F(TIME, N_("From (HH:MM)"), required=True, attr="start"),
    "to": F(TIME, N_("To (HH:MM)"), required=True, attr="end"),
    "place": F(TEXT, N_("Where (optional)")),
}, N_("A one-off appointment"))

_NEEDS_PERIOD = {"then": {"required": ["from", "to"]}}

APPROVAL = Record(N_("an approval"), m.Approval, {
    "by": F(ID, N_("Who approved the plan: a person of the case"), required=True),
    "date": F(DATE, N_("The day the plan was approved"), required=True),
    "channel": F(choice(N_("a channel"), "meeting", "paper", "digital-post", "mitid"),
                 N_("How: meeting, paper, digital-post or mitid")),
    "plan": F(TEXT, N_("The plan's fingerprint when it was approved (written by the tool)")),
}, N_("The family's approval of the plan"))

PLAN = Record(N_("plan.yaml"), m.Plan, {
    "title": F(TEXT, N_("The plan's title"), required=True),
    "from": F(DATE, N_("The first day of the plan period"), required=True, attr="start"),
    "to": F(DATE, N_("The last day of the plan period"), required=True, attr="end"),
    "phases": F(ListOf(Record(N_("a phase"), m.Phase, {
        "id": F(ID, N_("The phase's id"), required=True),
        "name": F(TEXT, N_("Name"), required=True),
        "from": F(DATE, N_("The phase's first day"), required=True, attr="start"),
        "to": F(DATE, N_("The phase's last day"), required=True, attr="end"),
        "focus": F(ListOf(AREA), N_("The areas this phase prioritises")),
    }, N_("A phase of the plan"))), N_("Phases: one after the other, inside the plan period")),
    "goals": F(ListOf(Record(N_("a goal"), m.Goal, {
        "id": F(ID, N_("The goal's id"), required=True),
        "person": F(ID, N_("Whose goal: one of the family"), required=True),
        "area": F(AREA, N_("The goal's life area"), required=True),
        "text": F(TEXT, N_("The goal, in a sentence"), required=True),
        "by": F(DATE, N_("By when (optional)")),
        "indicator": F(TEXT, N_("How to see that the goal is reached, in a sentence")),
        "measure": F(MEASURE, N_("How the goal is followed up in numbers")),
        "achieved": F(DATE, N_("The date the goal was reached")),
    }, N_("A goal"))), N_("Goals")),
    "interventions": F(ListOf(Record(N_("an intervention"), m.Intervention, {
        "id": F(ID, N_("The intervention's id"), required=True),
        "title": F(TEXT, N_("Title"), required=True),
        "description": F(TEXT, N_("What the intervention is (optional)")),
        "department": F(ID, N_("The department that runs it"), required=True),
        "responsible": F(ID, N_("The responsible professional's id")),
        "area": F(AREA, N_("The intervention's life area"), required=True),
        "phase": F(ID, N_("The phase the intervention belongs to (optional)")),
        "goals": F(ListOf(ID), N_("The goals it works towards")),
        "attendees": F(ListOf(ID), N_("The people whose time it asks")),
        "from": F(DATE, N_("The first day: needed with sessions or hours_per_week"), attr="start"),
        "to": F(DATE, N_("The last day: needed with sessions or hours_per_week"), attr="end"),
        "sessions": F(ListOf(SESSION), N_("Recurring weekly appointments")),
        "except": F(ListOf(DATE), N_("Dates with no session"), attr="except_dates"),
        "travel_minutes": F(Integer(0, 600), N_("Travel minutes each way; widens every session")),
        "appointments": F(ListOf(APPOINTMENT), N_("One-off appointments")),
        "hours_per_week": F(HOURS, N_("Hours a week asked without fixed times")),
        "ended": F(Record(N_("an ending"), m.Ending, {
            "from": F(DATE, N_("The first day without demand"), required=True, attr="start"),
            "reason": F(TEXT, N_("Why it ended (optional)")),
        }, N_("The intervention ended early")), N_("Ended early: no demand on or after `from`; it stays in the plan")),
        "kind": F(choice(N_("a kind of intervention"), "jobsamtale", "ressourceforloeb", "revalidering", "other"),
                  N_("What kind of demand it is, where a rule counts it: jobsamtale, ressourceforloeb, revalidering or other")),
    }, N_("An intervention: a demand on the time of its attendees"), rules={"allOf": [
        {"if": {"properties": {"sessions": {"type": "array", "minItems": 1}}, "required": ["sessions"]},
         **_NEEDS_PERIOD},
        {"if": {"properties": {"hours_per_week": {"not": {"type": "null"}}}, "required": ["hours_per_week"]},
         **_NEEDS_PERIOD},
    ]})), N_("Interventions: each asks time of its attendees")),
    "approvals": F(ListOf(APPROVAL), N_("The family's approvals of the plan (written by `approve`)")),
}, N_("What and when: phases, goals, interventions"))

AGREEMENTS = Record(N_("agreements.yaml"), m.AgreementsFile, {
    "agreements": F(ListOf(Record(N_("an agreement"), m.Agreement, {
        "id": F(ID, N_("The agreement's id"), required=True),
        "text": F(TEXT, N_("What was agreed"), required=True),
        "responsible": F(ID, N_("Who keeps it: a person or professional id"), required=True),
        "made": F(DATE, N_("The day it was made"), required=True),
        "meeting": F(Text(), N_("The meeting file's name without .yaml")),
        "answer_within_days": F(Integer(0, 365), N_("Each question gets an answer within this many working days")),
        "due": F(DATE, N_("Due date (optional)")),
        "status": F(choice(N_("an agreement status"), "open", "done", "cancelled"),
                    N_("open, done or cancelled"), required=True),
        "done": F(DATE, N_("The day it was done: required when status is done")),
        "area": F(AREA, N_("Decides who may read the agreement")),
        "intervention": F(ID, N_("The intervention the agreement is about")),
        "cancelled": F(DATE, N_("The day it was cancelled")),
        "reason": F(TEXT, N_("Why it was cancelled")),
    }, N_("An agreement"), rules=_required_when("status", "done", "done"))), N_("Agreements")),
    "questions": F(ListOf(Record(N_("a question"), m.Question, {
        "asked": F(DATE, N_("The day the question was asked"), required=True),
        "by": F(ID, N_("Who asked"), required=True),
        "to": F(ID, N_("Whom it was asked"), required=True),
        "about": F(TEXT, N_("The question"), required=True),
        "agreement": F(ID, N_("The agreement that says when the answer is due")),
        "answered": F(DATE, N_("The day it was answered; absent while unanswered")),
        "area": F(AREA, N_("Decides who may read the question (default: its agreement's)")),
    }, N_("A question from the family"))), N_("The citizen's question log")),
    "requests": F(ListOf(REQUEST), N_("Requests for aktindsigt and indsigt")),
}, N_("Promises: agreements and the question log"))

PARTICIPANT = Record(N_("a participant"), m.Participant, {
    "id": F(ID, N_("A person or professional id"), required=True),
    "present": F(Boolean(), N_("false: absent from the meeting")),
}, N_("A participant marked present or absent"))

MEETING = Record(N_("a meeting file"), m.Meeting, {
    "title": F(TEXT, N_("The meeting's title"), required=True),
    "date": F(DATE, N_("Must equal the date in the file name"), required=True),
    "from": F(TIME, N_("From (HH:MM): from and to, both or neither"), attr="start"),
    "to": F(TIME, N_("To (HH:MM): from and to, both or neither"), attr="end"),
    "place": F(TEXT, N_("Where")),
    "chair": F(ID, N_("Who chairs the meeting")),
    "minutes_by": F(ID, N_("Who writes the minutes")),
    "participants": F(ListOf(ParticipantType(PARTICIPANT)),
                      N_("Ids from case.yaml; {id, present: false} for someone absent"), required=True),
    "agenda": F(ListOf(Record(N_("an agenda item"), m.AgendaItem, {
        "title": F(TEXT, N_("The item's title"), required=True),
        "area": F(AREA, N_("Decides who may read the item")),
        "notes": F(TEXT, N_("Notes")),
        "decisions": F(ListOf(TEXT), N_("Decisions")),
        "intervention": F(ID, N_("The intervention the item is about")),
        "about": F(ListOf(ID), N_("The people the item is about")),
    }, N_("An agenda item"))), N_("The agenda")),
    "next_meeting": F(Record(N_("next_meeting"), m.NextMeeting, {
        "date": F(DATE, N_("The next meeting's date"), required=True),
        "purpose": F(TEXT, N_("What it is for")),
        "area": F(AREA, N_("Decides who may read the next meeting")),
    }, N_("The next meeting")), N_("The next meeting")),
    "send_to": F(ListOf(ID), N_("Who receives the minutes")),
    "purpose": F(TEXT, N_("Why we meet (the summons says it)")),
    "questions": F(ListOf(TEXT), N_("What the meeting must answer (the summons lists them)")),
    "status": F(choice(N_("a meeting status (planned or cancelled)"), "planned", "cancelled"),
                N_("planned (the default) or cancelled")),
    "uid": F(TEXT, N_("The invitation's UID: written by the tool on the first invitation")),
}, N_("One meeting"), rules={"dependentRequired": {"from": ["to"], "to": ["from"]}})

ATTENDANCE = Record(N_("attendance.yaml"), m.AttendanceFile, {
    "attendance": F(ListOf(Record(N_("an attendance entry"), m.Attendance, {
        "date": F(DATE, N_("The day of the occurrence"), required=True),
        "person": F(ID, N_("One of the case's people"), required=True),
        "intervention": F(ID, N_("The intervention (or give `meeting`)")),
        "meeting": F(Text(), N_("The meeting file's name without .yaml (or give `intervention`)")),
        "status": F(choice(N_("an attendance status"), "cancelled", "no-show", "attended"),
                    N_("cancelled (afbud), no-show (udeblevet) or attended (mødt)"), required=True),
        "from": F(TIME, N_("Which session of the day, when there are several"), attr="start"),
        "reason": F(TEXT, N_("Why (optional)")),
        "reported_by": F(ID, N_("A professional or person id")),
    }, N_("One occurrence that did not go as planned"),
        rules={"oneOf": [{"required": ["intervention"]}, {"required": ["meeting"]}]})),
        N_("Cancellations and no-shows, per occurrence")),
}, N_("Attendance: what did not go as planned"))

MEASUREMENTS = Record(N_("measurements.yaml"), m.MeasurementsFile, {
    "measurements": F(ListOf(Record(N_("a measurement"), m.Measurement, {
        "goal": F(ID, N_("A goal with a `measure`"), required=True),
        "date": F(DATE, N_("The day of the measurement"), required=True),
        "value": F(Number(), N_("The value"), required=True),
        "by": F(TEXT, N_("Who measured")),
        "note": F(TEXT, N_("Note")),
    }, N_("One measurement"))), N_("Values of the goals' indicators")),
}, N_("Outcomes: measurements of the goals"))

# The keys of every disclosure the tool writes: one without them was torn by an interrupted
# write (`torn-disclosure`, `familieplan.workspace.disclosures.torn_entries`); the schema
# requires them all.
DISCLOSURE_KEYS = ("at", "recipient", "document", "source", "about", "areas", "omitted", "basis")


class DisclosedArea(Area):
    """A life area, or `no-area`: a disclosure names the items without an area it gave."""

    def read(self, text: str, node: Any, ctx: Any) -> Any:
        return text if text == "no-area" else super().read(text, node, ctx)

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [super().json_schema(), {"const": "no-area"}]}


DISCLOSURES = Record(N_("disclosures.yaml"), m.DisclosuresFile, {
    "disclosures": F(ListOf(Record(N_("a disclosure"), m.Disclosure, {
        "at": F(DateTime(), N_("The real time of rendering, with its offset"), required=True),
        "recipient": F(ID, N_("Who received the document"), required=True),
        "document": F(choice(N_("a document kind"), "minutes", "plan", "report", "questions", "summons"),
                      N_("minutes, plan, report, questions or summons"), required=True),
        "source": F(TEXT, N_("The case file the document was made from"), required=True, attr="source_file"),
        "about": F(ListOf(ID), N_("The people whose information the document included")),
        "areas": F(ListOf(DisclosedArea()), N_("The areas of the items the document included (no-area: items "
                                                "without an area)")),
        "omitted": F(Integer(0, 100000), N_("Items left out for this recipient")),
        "basis": F(ListOf(TEXT), N_("Consent ids (or consents[N]), family, coordinator, department or no-area")),
        "by": F(TEXT, N_("Who rendered it")),
        "sequence": F(Integer(0, 100000), N_("A summons: 0 for the first invitation, raised after each change")),
    }, N_("One document given to a named recipient"), rules={"required": list(DISCLOSURE_KEYS)})),
        N_("Documents given to named recipients (append-only)")),
}, N_("Disclosures: who was given what, when, on which basis (written by the tool)"))

FILE_KINDS: dict[str, Record] = {
    "familieplan": SETTINGS,
    "case": CASE,
    "plan": PLAN,
    "agreements": AGREEMENTS,
    "meeting": MEETING,
    "attendance": ATTENDANCE,
    "measurements": MEASUREMENTS,
    "disclosures": DISCLOSURES,
}

AREA_DOC = N_("A life area (livsområde): one of the built-in ones or the workspace's own")


def json_schema(kind: str, *, areas: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON Schema of one file kind, for editors (yaml-language-server): descriptions as
    their message ids (English; `render.schemas` gives them in the reader's language), life
    areas the built-in ones and `areas` (the workspace's own, which a schema written without
    the workspace cannot know)."""
    record = FILE_KINDS[kind]
    known = [*BUILTIN_AREAS, *(a for a in areas if a not in BUILTIN_AREAS)]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"familieplan-{kind}.schema.json",
        "title": f"familieplan {record.name} (format 1)",
        **record.json_schema(),
        "$defs": {"area": {"enum": known, "description": AREA_DOC}},
    }
