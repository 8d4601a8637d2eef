"""The file format, version 1, as declarative specs: one source for conversion, problems
and JSON Schema (the machinery is in `familieplan.schematypes`).

Every scalar arrives as the string the user wrote (see `familieplan.yamlnodes`); each type
converts it with an explicit format and reports a problem at the value's position when it
does not fit. Conversion never raises.
"""

from __future__ import annotations

from typing import Any

from familieplan import model as m
from familieplan.format.types import (  # noqa: F401  (re-exported for the loader, scaffolding and tests)
    _WEEKDAY_ALIASES,
    DID_YOU_MEAN,
    ID_RE,
    INVALID,
    MAX_YEAR,
    MIN_YEAR,
    Area,
    Boolean,
    Choice,
    Ctx,
    Date,
    DateTime,
    F,
    Hours,
    Id,
    Integer,
    ListOf,
    MapOf,
    Nullable,
    Number,
    ParticipantType,
    Record,
    Text,
    Time,
    choice,
    did_you_mean,
    did_you_mean_text,
)
from familieplan.problems import N_

# --- the specs --------------------------------------------------------------------------

ID, TEXT, DATE, TIME, HOURS, AREA = Id(), Text(), Date(), Time(), Hours(), Area()
WEEKDAY = Choice(N_("a weekday"), _WEEKDAY_ALIASES)
DAYS = ListOf(WEEKDAY, 1)

LOAD = Record(N_("load limits"), m.LoadLimits, {
    "max_hours_per_week": F(HOURS, "Total scheduled hours on one person in an ISO week"),
    "max_departments_per_week": F(Integer(1, 50), "Departments placing demands on one person in a week"),
    "max_appointments_per_day": F(Integer(1, 50), "Appointments on one person in a day"),
    "min_gap_minutes": F(Integer(0, 600), "Wanted free minutes between two appointments on one day"),
})

SETTINGS = Record(N_("familieplan.yaml"), m.Settings, {
    "format": F(Integer(1, 1, N_("format version 1")), "Format version", required=True),
    "municipality": F(TEXT, "The municipality's name"),
    "language": F(choice(N_("a language (da or en)"), "da", "en"), "Language of rendered documents"),
    "departments": F(MapOf(), "id: display name of every department cases may name"),
    "load": F(LOAD, "Defaults for check-load"),
    "calendar": F(Record(N_("calendar"), m.CalendarSettings, {
        "holidays": F(choice(N_("a holiday calendar (dk or none)"), "dk", "none"), "Public holidays"),
        "closed": F(ListOf(DATE), "Extra days the offices are closed"),
    }), "Working-day calendar"),
    "areas": F(MapOf(), "Extra life areas beyond the built-in ones"),
    "indicators": F(MapOf(), "id: display name of the outcome indicators goals measure"),
}, "Workspace settings")

UNAVAILABLE = Record(N_("an unavailable time"), m.Unavailability, {
    "days": F(DAYS, required=True),
    "from": F(TIME, required=True, attr="start"),
    "to": F(TIME, required=True, attr="end"),
    "reason": F(TEXT),
})

CASE = Record(N_("case.yaml"), m.CaseInfo, {
    "id": F(ID, "Case id: equals the folder name", required=True),
    "title": F(TEXT, required=True),
    "opened": F(DATE, required=True),
    "status": F(choice(N_("a case status"), "active", "paused", "closed"), required=True),
    "closed": F(Nullable(DATE), "Required when status is closed"),
    "coordinator": F(ID, "The coordinating caseworker: a professional's id", required=True),
    "contact": F(ID, "Whom the family calls first (optional)"),
    "people": F(ListOf(Record(N_("a person"), m.Person, {
        "id": F(ID, required=True),
        "name": F(TEXT, required=True),
        "role": F(choice(N_("a role"), "parent", "child", "other"), required=True),
        "born": F(Integer(1900, 2100, "a year"), "Birth year. Never a CPR number."),
        "load": F(LOAD, "Overrides of the workspace load defaults"),
        "unavailable": F(ListOf(UNAVAILABLE), "Recurring times the person cannot be booked"),
    })), "The family", required=True),
    "professionals": F(ListOf(Record(N_("a professional"), m.Professional, {
        "id": F(ID, required=True),
        "name": F(TEXT, required=True),
        "department": F(ID, required=True),
        "title": F(TEXT),
        "email": F(TEXT),
        "phone": F(TEXT),
    })), required=True),
    "consents": F(ListOf(Record(N_("a consent"), m.Consent, {
        "id": F(ID, "Unique among the case's consents; lets a disclosure name its basis"),
        "person": F(ID, required=True),
        "areas": F(ListOf(AREA, 1), required=True),
        "departments": F(ListOf(ID, 1), required=True),
        "from": F(DATE, required=True, attr="start"),
        "until": F(Nullable(DATE)),
        "withdrawn": F(DATE, "No longer in force from this date (forvaltningsloven § 28, stk. 4)"),
    })), "Samtykke: what may be shared with whom"),
}, "Who: the family, the professionals, consents")

SESSION = Record(N_("a session"), m.Session, {
    "days": F(DAYS, required=True),
    "from": F(TIME, required=True, attr="start"),
    "to": F(TIME, required=True, attr="end"),
    "every": F(Integer(1, 52), "Every n-th week (default 1), counted from the week holding `since`"),
    "since": F(DATE, "The first date this session can take place (inclusive)"),
    "until": F(DATE, "The last date this session can take place (inclusive)"),
})

MEASURE = Record(N_("a measure"), m.Measure, {
    "indicator": F(ID, "The indicator's id; the same id across cases is the same indicator", required=True),
    "unit": F(TEXT, "The unit of the values, e.g. %"),
    "direction": F(choice(N_("a direction (up or down)"), "up", "down"), "Which way is better", required=True),
    "baseline": F(Record(N_("a baseline"), m.Baseline, {
        "date": F(DATE, required=True),
        "value": F(Number(), required=True),
    }), "The value before the plan"),
    "target": F(Record(N_("a target"), m.Target, {
        "value": F(Number(), required=True),
        "by": F(DATE),
    }), "The value aimed for, and by when"),
    "every_weeks": F(Integer(1, 520), "A new measurement is due this often"),
})

APPOINTMENT = Record(N_("an appointment"), m.Appointment, {
    "date": F(DATE, required=True),
    "from": F(TIME, required=True, attr="start"),
    "to": F(TIME, required=True, attr="end"),
    "place": F(TEXT, "Where (extension)"),
})

PLAN = Record(N_("plan.yaml"), m.Plan, {
    "title": F(TEXT, required=True),
    "from": F(DATE, required=True, attr="start"),
    "to": F(DATE, required=True, attr="end"),
    "phases": F(ListOf(Record(N_("a phase"), m.Phase, {
        "id": F(ID, required=True),
        "name": F(TEXT, required=True),
        "from": F(DATE, required=True, attr="start"),
        "to": F(DATE, required=True, attr="end"),
        "focus": F(ListOf(AREA), "The areas this phase prioritises"),
    }))),
    "goals": F(ListOf(Record(N_("a goal"), m.Goal, {
        "id": F(ID, required=True),
        "person": F(ID, required=True),
        "area": F(AREA, required=True),
        "text": F(TEXT, required=True),
        "by": F(DATE),
        "indicator": F(TEXT),
        "measure": F(MEASURE, "How the goal is followed up in numbers"),
        "achieved": F(DATE, "The date the goal was reached"),
    }))),
    "interventions": F(ListOf(Record(N_("an intervention"), m.Intervention, {
        "id": F(ID, required=True),
        "title": F(TEXT, required=True),
        "description": F(TEXT, "What the intervention is (extension)"),
        "department": F(ID, required=True),
        "responsible": F(ID),
        "area": F(AREA, required=True),
        "phase": F(ID, "The phase the intervention belongs to (extension)"),
        "goals": F(ListOf(ID)),
        "attendees": F(ListOf(ID)),
        "from": F(DATE, attr="start"),
        "to": F(DATE, attr="end"),
        "sessions": F(ListOf(SESSION), "Recurring weekly appointments"),
        "except": F(ListOf(DATE), "Dates with no session", attr="except_dates"),
        "travel_minutes": F(Integer(0, 600), "Each way; widens every session"),
        "appointments": F(ListOf(APPOINTMENT), "One-off appointments"),
        "hours_per_week": F(HOURS, "Time demanded without fixed times"),
    }))),
}, "What and when: phases, goals, interventions")

AGREEMENTS = Record(N_("agreements.yaml"), m.AgreementsFile, {
    "agreements": F(ListOf(Record(N_("an agreement"), m.Agreement, {
        "id": F(ID, required=True),
        "text": F(TEXT, required=True),
        "responsible": F(ID, required=True),
        "made": F(DATE, required=True),
        "meeting": F(Text(), "The meeting file's name without .yaml"),
        "answer_within_days": F(Integer(0, 365), "Each question gets an answer within this many working days"),
        "due": F(DATE),
        "status": F(choice(N_("an agreement status"), "open", "done", "cancelled"), required=True),
        "done": F(DATE, "Required when status is done"),
        "area": F(AREA, "Decides who may read the agreement"),
        "intervention": F(ID, "The intervention the agreement is about"),
    }))),
    "questions": F(ListOf(Record(N_("a question"), m.Question, {
        "asked": F(DATE, required=True),
        "by": F(ID, required=True),
        "to": F(ID, required=True),
        "about": F(TEXT, required=True),
        "agreement": F(ID),
        "answered": F(DATE),
        "area": F(AREA, "Decides who may read the question (default: its agreement's)"),
    })), "The citizen's question log"),
}, "Promises: agreements and the question log")

PARTICIPANT = Record(N_("a participant"), m.Participant, {
    "id": F(ID, required=True),
    "present": F(Boolean()),
})

MEETING = Record(N_("a meeting file"), m.Meeting, {
    "title": F(TEXT, required=True),
    "date": F(DATE, "Must equal the date in the file name", required=True),
    "from": F(TIME, attr="start"),
    "to": F(TIME, attr="end"),
    "place": F(TEXT),
    "chair": F(ID),
    "minutes_by": F(ID),
    "participants": F(ListOf(ParticipantType(PARTICIPANT)), required=True),
    "agenda": F(ListOf(Record(N_("an agenda item"), m.AgendaItem, {
        "title": F(TEXT, required=True),
        "area": F(AREA, "Decides who may read the item"),
        "notes": F(TEXT),
        "decisions": F(ListOf(TEXT)),
        "intervention": F(ID, "The intervention the item is about"),
        "about": F(ListOf(ID), "The people the item is about"),
    }))),
    "next_meeting": F(Record(N_("next_meeting"), m.NextMeeting, {
        "date": F(DATE, required=True),
        "purpose": F(TEXT),
        "area": F(AREA, "Decides who may read the next meeting"),
    })),
    "send_to": F(ListOf(ID), "Who receives the minutes"),
}, "One meeting")

ATTENDANCE = Record(N_("attendance.yaml"), m.AttendanceFile, {
    "attendance": F(ListOf(Record(N_("an attendance entry"), m.Attendance, {
        "date": F(DATE, required=True),
        "person": F(ID, "One of the case's people", required=True),
        "intervention": F(ID, "The intervention (or give `meeting`)"),
        "meeting": F(Text(), "The meeting file's name without .yaml (or give `intervention`)"),
        "status": F(choice(N_("an attendance status"), "cancelled", "no-show", "attended"),
                    "cancelled (afbud), no-show (udeblevet) or attended (mødt)", required=True),
        "from": F(TIME, "Which session of the day, when there are several", attr="start"),
        "reason": F(TEXT),
        "reported_by": F(ID, "A professional or person id"),
    })), "Cancellations and no-shows, per occurrence"),
}, "Attendance: what did not go as planned")

MEASUREMENTS = Record(N_("measurements.yaml"), m.MeasurementsFile, {
    "measurements": F(ListOf(Record(N_("a measurement"), m.Measurement, {
        "goal": F(ID, "A goal with a `measure`", required=True),
        "date": F(DATE, required=True),
        "value": F(Number(), required=True),
        "by": F(TEXT, "Who measured"),
        "note": F(TEXT),
    })), "Values of the goals' indicators"),
}, "Outcomes: measurements of the goals")

DISCLOSURES = Record(N_("disclosures.yaml"), m.DisclosuresFile, {
    "disclosures": F(ListOf(Record(N_("a disclosure"), m.Disclosure, {
        "at": F(DateTime(), "The real time of rendering, with its offset", required=True),
        "recipient": F(ID, required=True),
        "document": F(choice(N_("a document kind"), "minutes", "plan", "report"), required=True),
        "source": F(TEXT, "The case file the document was made from", required=True, attr="source_file"),
        "about": F(ListOf(ID), "The people whose information the document included"),
        "areas": F(ListOf(AREA), "The areas of the items the document included"),
        "omitted": F(Integer(0, 100000), "Items left out for this recipient"),
        "basis": F(ListOf(TEXT), "Consent ids (or consents[N]), family, coordinator or no-area"),
        "by": F(TEXT, "Who rendered it"),
    })), "Documents given to named recipients (append-only)"),
}, "Disclosures: who was given what, when, on which basis (written by the tool)")

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


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind, for editors (yaml-language-server)."""
    record = FILE_KINDS[kind]
    schema = record.json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"familieplan-{kind}.schema.json",
        "title": f"familieplan {record.name} (format 1)",
        **schema,
    }
