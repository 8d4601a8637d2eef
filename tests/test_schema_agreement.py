"""The exported JSON Schemas and `familieplan validate` agree on the same edits.

A corpus of edits of the minimal workspace runs through both the tool and
`check-jsonschema` with the schemas the workspace exports (Danish descriptions, the
workspace's own life areas). Each edit is expected valid or invalid by both, or is on the
explicit list of rules JSON Schema cannot express (`CANNOT_EXPRESS`): there the tool finds
an error and the schema, by construction, does not. The patterns themselves are checked
against the tool's own conversion (the oracle) on many values.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, MINIMAL_CASE
from familieplan import api
from familieplan.format import patterns, scalars, specs
from familieplan.format.nodes import Scalar
from familieplan.format.types import INVALID, Ctx

CASE = f"cases/{MINIMAL_CASE}"
SETTINGS, CASE_YAML, PLAN = "familieplan.yaml", f"{CASE}/case.yaml", f"{CASE}/plan.yaml"
AGREEMENTS, MEETING = f"{CASE}/agreements.yaml", f"{CASE}/meetings/2026-03-02-moede.yaml"
ATTENDANCE, MEASUREMENTS = f"{CASE}/attendance.yaml", f"{CASE}/measurements.yaml"
DISCLOSURES = f"{CASE}/disclosures.yaml"

ATTENDANCE_OK = "attendance:\n  - date: 2026-09-09\n    person: mor\n    intervention: kursus\n    status: cancelled\n"
MEASUREMENTS_OK = "measurements:\n  - goal: m2\n    date: 2026-06-01\n    value: 12\n"
DISCLOSURES_OK = ("disclosures:\n  - at: 2026-03-02T14:05:00+01:00\n    recipient: sb-familie\n"
                  "    document: minutes\n    source: meetings/2026-03-02-moede.yaml\n    about: [mor]\n"
                  "    areas: [family, no-area]\n    omitted: 0\n    basis: [family]\n")

VALID, INVALID_BOTH = "valid", "invalid"

# (name, file, old text (None: the file's whole text is `new`), new text, expectation)
CORPUS: list[tuple[str, str, str | None, str, str]] = [
    ("unchanged", CASE_YAML, "title: Familien Test", "title: Familien Test", VALID),
    # Values the editor used to flag and the tool accepts.
    ("born quoted", CASE_YAML, "born: 1990", 'born: "1985"', VALID),
    ("born with plus", CASE_YAML, "born: 1990", "born: +1985", VALID),
    ("travel minutes quoted", PLAN, "    except: [2026-10-14]", '    except: [2026-10-14]\n    travel_minutes: "20"', VALID),
    ("present quoted", MEETING, "present: false", 'present: "false"', VALID),
    ("present capitalised", MEETING, "present: false", "present: False", VALID),
    ("format quoted", SETTINGS, "format: 1", 'format: "1"', VALID),
    ("empty email", CASE_YAML, "    phone: 12345678", "    phone: 12345678\n    email:", VALID),
    ("empty optional date", PLAN, "    text: Job", "    text: Job\n    by:", VALID),
    ("title that is a number", CASE_YAML, "title: Familien Test", "title: 2026", VALID),
    ("title that is a boolean", CASE_YAML, "title: Familien Test", "title: true", VALID),
    ("numeric id", PLAN, "  - id: f1\n", "  - id: 1\n", VALID),
    ("danish weekday", PLAN, "days: [wed]", "days: [ons]", VALID),
    ("time without leading zero", MEETING, "from: 13:00", "from: 9:00", VALID),
    ("hours as decimals", PLAN, "    except: [2026-10-14]", "    except: [2026-10-14]\n    hours_per_week: 1.5", VALID),
    ("hours quoted", PLAN, "    except: [2026-10-14]", '    except: [2026-10-14]\n    hours_per_week: "2"', VALID),
    ("leap day", PLAN, "to: 2027-08-31\nphases", "to: 2028-02-29\nphases", VALID),
    ("closed with date", CASE_YAML, "status: active", "status: closed\nclosed: 2027-09-01", VALID),
    ("workspace area", PLAN, "focus: [family]", "focus: [family, danskundervisning]", VALID),
    ("extension key", PLAN, "title: Fællesplan", "title: Fællesplan\nx-note: lokalt", VALID),
    ("quoted measured value", MEASUREMENTS, None, MEASUREMENTS_OK.replace("value: 12", 'value: "12.5"'), VALID),
    ("attendance", ATTENDANCE, None, ATTENDANCE_OK, VALID),
    ("disclosure", DISCLOSURES, None, DISCLOSURES_OK, VALID),
    ("disclosure in UTC", DISCLOSURES, None, DISCLOSURES_OK.replace("+01:00", "Z"), VALID),
    ("agreement done with date", AGREEMENTS, "status: open", "status: done\n    done: 2026-03-05", VALID),
    # The third edition's meeting cycle.
    ("meeting purpose and questions", MEETING, "chair: sb-job",
     "chair: sb-job\npurpose: Overgang\nquestions:\n  - Skal mor have en mentor?", VALID),
    ("cancelled meeting with a uid", MEETING, "chair: sb-job", "chair: sb-job\nstatus: cancelled\nuid: a@familieplan",
     VALID),
    ("approval", PLAN, "title: Fællesplan",
     "title: Fællesplan\napprovals:\n  - by: mor\n    date: 2026-03-02\n    channel: mitid\n    plan: 9c1e3f2a", VALID),
    ("summons with a sequence", DISCLOSURES, None,
     DISCLOSURES_OK.replace("document: minutes", "document: summons") + "    sequence: 1\n", VALID),
    ("agreement cancelled with date and reason", AGREEMENTS, "status: open",
     "status: cancelled\n    cancelled: 2026-03-05\n    reason: Kurset er aflyst", VALID),
    ("intervention ended early", PLAN, "    except: [2026-10-14]",
     "    except: [2026-10-14]\n    ended:\n      from: 2026-11-02\n      reason: Afsluttet", VALID),
    ("statutory facts", CASE_YAML, "    born: 1990\n", "    born: 1990\n    benefits:\n      - kind: kontanthjaelp\n"
     "        category: jobparat\n        since: 2026-08-03\n    digital_post:\n      exempt_until: 2027-03-01\n"
     "    contact_exempt: true\n", VALID),
    ("child welfare", CASE_YAML, "    role: child\n", "    role: child\n    child_welfare:\n      aware: 2026-08-03\n"
     "      investigation: {started: 2026-08-10}\n      measures:\n        - id: s1\n          kind: placement\n"
     "          consent: false\n          decided: 2026-09-01\n          supervision: [2026-10-01]\n", VALID),
    ("a request", AGREEMENTS, "questions:", "requests:\n  - kind: indsigt\n    by: Journalist\n"
     "    received: 2026-12-01\nquestions:", VALID),
    ("an intervention's kind", PLAN, "    except: [2026-10-14]", "    except: [2026-10-14]\n    kind: jobsamtale", VALID),
    ("rules settings", SETTINGS, "format: 1", "format: 1\nrules:\n  off: [bl-156-supervision]\n"
     "  minutes_within_days: 3\n  minutes_from: 2027-01-01", VALID),
    # Values the editor used to accept and the tool rejects.
    ("impossible date", PLAN, "to: 2027-08-31\nphases", "to: 2026-02-30\nphases", INVALID_BOTH),
    ("29 February in a common year", PLAN, "to: 2027-08-31\nphases", "to: 2027-02-29\nphases", INVALID_BOTH),
    ("29 February 2100", PLAN, "to: 2027-08-31\nphases", "to: 2100-02-29\nphases", INVALID_BOTH),
    ("31 April", CASE_YAML, "opened: 2026-03-02", "opened: 2026-04-31", INVALID_BOTH),
    ("year out of range", CASE_YAML, "opened: 2026-03-02", "opened: 2226-03-02", INVALID_BOTH),
    ("closed without a date", CASE_YAML, "status: active", "status: closed", INVALID_BOTH),
    ("closed with an empty date", CASE_YAML, "status: active", "status: closed\nclosed:", INVALID_BOTH),
    ("unknown focus area", PLAN, "focus: [family]", "focus: [family, fritidsjob]", INVALID_BOTH),
    ("unknown goal area", PLAN, "area: employment\n    text: Job", "area: arbejde\n    text: Job", INVALID_BOTH),
    ("done without a date", AGREEMENTS, "status: open", "status: done", INVALID_BOTH),
    ("ended without a day", PLAN, "    except: [2026-10-14]", "    except: [2026-10-14]\n    ended:\n      reason: Slut",
     INVALID_BOTH),
    ("sessions without a period", PLAN, "    from: 2026-09-07\n    to: 2026-12-18\n", "", INVALID_BOTH),
    ("meeting from without to", MEETING, "to: 14:30\n", "", INVALID_BOTH),
    ("attendance without a target", ATTENDANCE, None, ATTENDANCE_OK.replace("    intervention: kursus\n", ""), INVALID_BOTH),
    ("attendance with two targets", ATTENDANCE, None,
     ATTENDANCE_OK.replace("intervention: kursus\n", "intervention: kursus\n    meeting: 2026-03-02-moede\n"),
     INVALID_BOTH),
    # And what both rejected before.
    ("unknown key", PLAN, "focus: [family]", "fokus: [family]", INVALID_BOTH),
    ("yes for a boolean", MEETING, "present: false", "present: no", INVALID_BOTH),
    ("word for a boolean", MEETING, "present: false", "present: maybe", INVALID_BOTH),
    ("born as text", CASE_YAML, "born: 1990", "born: nitten", INVALID_BOTH),
    ("born out of range", CASE_YAML, "born: 1990", 'born: "1850"', INVALID_BOTH),
    ("travel minutes too many", PLAN, "    except: [2026-10-14]", "    except: [2026-10-14]\n    travel_minutes: 601", INVALID_BOTH),
    ("negative travel minutes", PLAN, "    except: [2026-10-14]", "    except: [2026-10-14]\n    travel_minutes: -5", INVALID_BOTH),
    ("decimal comma", PLAN, "    except: [2026-10-14]", '    except: [2026-10-14]\n    hours_per_week: "1,5"', INVALID_BOTH),
    ("more hours than a week", PLAN, "    except: [2026-10-14]", "    except: [2026-10-14]\n    hours_per_week: 169", INVALID_BOTH),
    ("format 2", SETTINGS, "format: 1", "format: 2", INVALID_BOTH),
    ("bad status", CASE_YAML, "status: active", "status: aktiv", INVALID_BOTH),
    ("bad weekday", PLAN, "days: [wed]", "days: [onsdag]", INVALID_BOTH),
    ("bad time", MEETING, "from: 13:00", "from: 24:00", INVALID_BOTH),
    ("bad id", PLAN, "  - id: m1\n", "  - id: M1\n", INVALID_BOTH),
    ("id with a dot", PLAN, "  - id: m1\n", "  - id: 1.5\n", INVALID_BOTH),
    ("required field empty", CASE_YAML, "title: Familien Test", "title:", INVALID_BOTH),
    ("required field missing", CASE_YAML, "title: Familien Test\n", "", INVALID_BOTH),
    ("list for a text", CASE_YAML, "title: Familien Test", "title: [a, b]", INVALID_BOTH),
    ("text for a list", PLAN, "focus: [family]", "focus: family", INVALID_BOTH),
    ("empty days", PLAN, "days: [wed]", "days: []", INVALID_BOTH),
    ("measured value as text", MEASUREMENTS, None, MEASUREMENTS_OK.replace("value: 12", "value: tolv"), INVALID_BOTH),
    ("disclosure without offset", DISCLOSURES, None, DISCLOSURES_OK.replace("+01:00", ""), INVALID_BOTH),
    ("disclosure torn before its basis", DISCLOSURES, None, DISCLOSURES_OK.replace("    basis: [family]\n", ""),
     INVALID_BOTH),
    ("disclosure of an unknown area", DISCLOSURES, None, DISCLOSURES_OK.replace("no-area", "no-areas"), INVALID_BOTH),
    ("disclosure at 25 o'clock", DISCLOSURES, None, DISCLOSURES_OK.replace("T14:05", "T25:05"), INVALID_BOTH),
    ("bad document kind", DISCLOSURES, None, DISCLOSURES_OK.replace("minutes", "referat"), INVALID_BOTH),
    ("bad meeting status", MEETING, "chair: sb-job", "chair: sb-job\nstatus: aflyst", INVALID_BOTH),
    ("approval without a date", PLAN, "title: Fællesplan", "title: Fællesplan\napprovals:\n  - by: mor", INVALID_BOTH),
    ("bad approval channel", PLAN, "title: Fællesplan",
     "title: Fællesplan\napprovals:\n  - by: mor\n    date: 2026-03-02\n    channel: brev", INVALID_BOTH),
    ("negative sequence", DISCLOSURES, None, DISCLOSURES_OK + "    sequence: -1\n", INVALID_BOTH),
    ("bad benefit kind", CASE_YAML, "    born: 1990\n", "    born: 1990\n    benefits:\n      - kind: folkepension\n"
     "        since: 2026-01-05\n", INVALID_BOTH),
    ("benefit without since", CASE_YAML, "    born: 1990\n", "    born: 1990\n    benefits:\n      - kind: dagpenge\n",
     INVALID_BOTH),
    ("measure without a kind", CASE_YAML, "    role: child\n", "    role: child\n    child_welfare:\n      measures:\n"
     "        - id: s1\n          decided: 2026-09-01\n", INVALID_BOTH),
    ("bad request kind", AGREEMENTS, "questions:", "requests:\n  - kind: kopi\n    by: mor\n"
     "    received: 2026-12-01\nquestions:", INVALID_BOTH),
    ("bad intervention kind", PLAN, "    except: [2026-10-14]", "    except: [2026-10-14]\n    kind: samtale", INVALID_BOTH),
    ("contact_exempt yes", CASE_YAML, "    born: 1990\n", "    born: 1990\n    contact_exempt: yes\n", INVALID_BOTH),
    ("a question log disclosed", DISCLOSURES, None,
     DISCLOSURES_OK.replace("minutes", "questions").replace("meetings/2026-03-02-moede.yaml", "agreements.yaml"), VALID),
    ("journal number", CASE_YAML, "title: Familien Test", "title: Familien Test\njournal: 27.24.00-G01-14-26", VALID),
    ("journal number as a list", CASE_YAML, "title: Familien Test", "title: Familien Test\njournal: [1, 2]",
     INVALID_BOTH),
]

# The rules the tool checks and JSON Schema cannot express, each with an edit that the
# tool rejects and the schema accepts. The schemas say what one file may hold on its own.
CANNOT_EXPRESS: list[tuple[str, str, str | None, str, str]] = [
    ("references between files", PLAN, "person: mor", "person: moar",
     "an id must name a person, professional, goal, intervention or agreement of the case"),
    ("references to familieplan.yaml", CASE_YAML, "department: familie", "department: sundhed",
     "a department must be one of the workspace's; a schema is one file's"),
    ("dates in order", PLAN, "to: 2027-08-31\nphases", "to: 2026-01-01\nphases",
     "`to` before `from`, phases in order and inside the plan: comparisons of two values"),
    ("times in order", MEETING, "to: 14:30", "to: 12:00", "`to` after `from`: a comparison of two values"),
    ("file names", MEETING, "date: 2026-03-02", "date: 2026-03-03",
     "a meeting's date equals its file's name; a case's id its folder's name"),
    ("unique ids", PLAN, "  - id: m2\n", "  - id: m1\n", "ids unique across a case's files"),
    ("a whole number written with a decimal point", CASE_YAML, "born: 1990", "born: 1985.0",
     "YAML reads 1985.0 as the number 1985: a schema sees the number, not how it was written"),
    ("numbers in other notations", PLAN, "    except: [2026-10-14]", "    except: [2026-10-14]\n    travel_minutes: 2e1",
     "2e1 and 0x14 are the number 20 to YAML; the tool reads the digits as written"),
    ("a torn last line", DISCLOSURES, None, DISCLOSURES_OK.removesuffix("\n"),
     "a disclosure's last line ends with a line end: a schema sees values, not lines"),
    ("occurrences", ATTENDANCE, None, ATTENDANCE_OK.replace("2026-09-09", "2026-09-10"),
     "an attendance date must be a day the intervention asks the person to attend"),
    ("an approval by a person of the case", PLAN, "title: Fællesplan",
     "title: Fællesplan\napprovals:\n  - by: sb-job\n    date: 2026-03-02", "an approval's `by` names a person of the case"),
]


def _apply(ws: Path, name: str, old: str | None, new: str) -> Path:
    path = ws / name
    if old is None:
        path.write_text(new, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _kind(name: str) -> str:
    return "meeting" if "/meetings/" in name else Path(name).stem


def _workspace(tmp_path: Path, label: str) -> Path:
    ws = tmp_path / label
    shutil.copytree(DATA / "minimal", ws)
    settings_file = ws / SETTINGS
    settings_file.write_text(settings_file.read_text(encoding="utf-8")
                             + "areas:\n  danskundervisning: Danskundervisning\n", encoding="utf-8")
    return ws


def _schema_errors(schemas: Path, files: dict[str, list[Path]]) -> set[str]:
    """The files check-jsonschema rejects, one run per file kind."""
    rejected: set[str] = set()
    for kind, paths in files.items():
        run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--output-format", "json",
                              "--schemafile", str(schemas / f"{kind}.schema.json"), *map(str, paths)],
                             capture_output=True, text=True)
        out = json.loads(run.stdout)
        assert not out["parse_errors"], out["parse_errors"]
        rejected |= {str(Path(e["filename"]).resolve()) for e in out["errors"]}
    return rejected


@pytest.mark.slow
def test_tool_and_schema_agree_on_the_corpus(tmp_path):
    schemas = tmp_path / "schemas"
    base = _workspace(tmp_path, "base")
    api.write_schemas(base, folder=schemas)
    files: dict[str, list[Path]] = {}
    tool_rejects: dict[str, bool] = {}
    where: dict[str, str] = {}
    for number, (label, name, old, new, _) in enumerate([*CORPUS, *CANNOT_EXPRESS]):
        ws = _workspace(tmp_path, f"e{number}")
        path = _apply(ws, name, old, new)
        errors = [p for p in api.validate([], ws, jobs=1, today=None).problems if p.level == "error"]
        tool_rejects[label] = bool(errors)
        files.setdefault(_kind(name), []).append(path)
        where[str(path.resolve())] = label
    schema_rejects = {where[f] for f in _schema_errors(schemas, files)}
    disagree = []
    for label, _name, _old, _new, expected in CORPUS:
        got = (tool_rejects[label], label in schema_rejects)
        want = (expected == INVALID_BOTH,) * 2
        if got != want:
            disagree.append(f"{label}: tool {'rejects' if got[0] else 'accepts'}, schema "
                            f"{'rejects' if got[1] else 'accepts'}")
    for label, *_rest in CANNOT_EXPRESS:
        if not tool_rejects[label] or label in schema_rejects:
            disagree.append(f"{label} (cannot express): tool {tool_rejects[label]}, schema {label in schema_rejects}")
    assert disagree == []


def test_corpus_covers_every_file_kind():
    assert {_kind(name) for _, name, *_ in CORPUS} == set(specs.FILE_KINDS)


# --- Each pattern against the tool's own conversion ------------------------------------------

def _tool_accepts(type_: object, text: str) -> bool:
    problems: list = []
    node = Scalar(text, 1, 1, False)
    return type_.convert(node, Ctx("f.yaml", problems, frozenset())) is not INVALID  # type: ignore[attr-defined]


DATE_TEXT = st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(1890, 2210), st.integers(0, 13),
                      st.integers(0, 32))
NUMBER_TEXT = st.from_regex(r"\A[+-]?0{0,2}\d{1,6}(\.\d{0,2})?\Z") | st.text("0123456789+-.,e", max_size=8)


@settings(max_examples=400, deadline=None)
@given(DATE_TEXT)
def test_date_pattern_is_the_tools_date(text):
    assert bool(re.search(patterns.DATE, text)) == _tool_accepts(specs.DATE, text)


@settings(max_examples=300, deadline=None)
@given(DATE_TEXT, st.from_regex(r"\AT\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?\Z"))
def test_datetime_pattern_is_the_tools(day, time):
    text = day + time
    assert bool(re.search(patterns.DATE_TIME, text)) == _tool_accepts(scalars.DateTime(), text)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\A\d{1,3}:\d{1,3}\Z"))
def test_time_pattern_is_the_tools(text):
    assert bool(re.search(patterns.TIME, text)) == _tool_accepts(specs.TIME, text)


@settings(max_examples=400, deadline=None)
@given(NUMBER_TEXT)
def test_number_patterns_are_the_tools(text):
    for type_ in (scalars.Integer(1900, 2100), scalars.Integer(0, 600), scalars.Integer(1, 52), scalars.Integer(0, 100000),
                  scalars.Integer(1, 1)):
        pattern = type_.json_schema()["pattern"]
        assert bool(re.search(pattern, text)) == _tool_accepts(type_, text), (type_.low, type_.high, text)
    assert bool(re.search(patterns.HOURS, text)) == _tool_accepts(specs.HOURS, text), text
    assert bool(re.search(patterns.NUMBER, text)) == _tool_accepts(scalars.Number(), text), text


@pytest.mark.parametrize("text", ["true", "false", "True", "FALSE", "tRuE", "yes", "no", "1", "0", "on", "sand"])
def test_boolean_pattern_is_the_tools(text):
    assert bool(re.search(patterns.BOOLEAN, text)) == _tool_accepts(scalars.Boolean(), text)


def test_every_property_has_a_danish_description():
    """The exported schemas describe every property in Danish (the editor shows it on hover)."""
    from familieplan.render.schemas import schema_texts

    english = json.loads(json.dumps({k: specs.json_schema(k) for k in specs.FILE_KINDS}))
    danish = {k: json.loads(t) for k, t in schema_texts((), "da").items()}

    def properties(schema: object, trail: str = ""):
        if isinstance(schema, dict):
            for key, sub in schema.get("properties", {}).items():
                yield f"{trail}.{key}", sub
            for key, sub in schema.items():
                yield from properties(sub, f"{trail}/{key}")
        elif isinstance(schema, list):
            for i, sub in enumerate(schema):
                yield from properties(sub, f"{trail}[{i}]")

    checked = 0
    for kind in specs.FILE_KINDS:
        pairs = zip(properties(english[kind]), properties(danish[kind]), strict=True)
        for (trail, en), (_, da) in pairs:
            if "/if" in trail or "/then" in trail or "/allOf" in trail or "/oneOf" in trail:
                continue  # the rules' own property conditions are not properties to describe
            assert en.get("description") and da.get("description"), (kind, trail)
            assert en["description"] != da["description"] or en["description"] in {"Note"}, (kind, trail)
            checked += 1
    assert checked > 150
