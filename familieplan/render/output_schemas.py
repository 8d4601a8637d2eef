"""A JSON Schema for each command's `--format json` output (`familieplan schema` writes them
to `schemas/output/<command>.json`).

Every object is closed (`additionalProperties: false`) and names every key it has as
required, so that the test that runs each command and validates its output against its
schema (tests/test_output_schemas.py) fails when a reporter adds, drops or renames a key
without this module. The top-level `format` key is the version of these shapes: a script
that reads `"format": 1` knows the shape below; a change that is not an addition raises it.
"""

from __future__ import annotations

import json
from typing import Any

from familieplan.render.jsonout import JSON_FORMAT

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
DATE: Schema = {"type": "string", "format": "date"}
ANY: Schema = {}
LEVEL: Schema = {"enum": ["error", "warning", "info"]}


def null(schema: Schema) -> Schema:
    """`schema` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    """A closed object: the keys of `required` always there, those of `optional` sometimes."""
    return {"type": "object", "properties": {**required, **(optional or {})}, "required": list(required),
            "additionalProperties": False}


PROBLEM = obj({"path": STR, "line": INT, "column": INT, "level": LEVEL, "code": STR, "message": STR})

FINDING = obj({
    "case": STR, "person": STR, "code": STR, "level": LEVEL, "interventions": array(STR), "meetings": array(STR),
    "departments": array(STR), "responsible": array(STR), "first": DATE, "last": DATE, "weeks": array(STR),
    "occurrences": INT, "hours": null(obj({"hours": NUM, "limit": NUM, "week": null(STR)})), "sources": array(STR),
    "message": STR,
}, {"limit": NUM})

TALLY = obj({"case": STR, "person": STR, "intervention": STR, "department": null(STR), "from": DATE, "to": DATE,
             "planned": INT, "cancelled": INT, "no_show": INT, "attended": INT, "rate": null(NUM)})

DEADLINE = obj({
    "case": STR, "kind": STR, "state": STR, "date": DATE, "days_late": INT, "agreement": null(STR), "text": STR,
    "responsible": null(STR), "responsible_name": null(STR), "department": null(STR), "asked": null(DATE),
    "answered": null(DATE), "source": STR, "message": STR,
}, {  # a statutory deadline (kind "statutory"): `source` is the link to the provision, `where` its line
    "rule": STR, "law": STR, "late": null(BOOL), "person": null(STR), "person_name": null(STR), "area": null(STR),
    "where": STR,
})

RULE_NOTICE = obj({"case": STR, "rule": STR, "level": LEVEL, "law": STR, "source": STR, "person": null(STR),
                   "area": null(STR), "where": STR, "message": STR})

RULE = obj({"id": STR, "law": STR, "source": STR, "from": DATE, "until": null(DATE), "level": LEVEL,
            "off_by_default": BOOL, "on": null(BOOL), "summary": STR})

RULE_TALLY = obj({"rule": STR, "law": STR, "on_time": INT, "late": INT, "overdue": INT, "open": INT, "message": STR})

NOTICE = obj({"case": STR, "consent": null(STR), "person": STR, "state": STR, "date": DATE,
              "departments": array(STR), "still_working": array(STR), "source": STR, "message": STR})

CYCLE_NOTICE = obj({"case": STR, "code": STR, "level": LEVEL, "meeting": null(STR), "date": null(DATE),
                    "summoned": null(DATE), "source": STR, "message": STR})

APPROVAL = null(obj({"by": STR, "date": DATE, "state": {"enum": ["approved", "changed"]}, "message": null(STR)}))

STATUS_ROW = obj({
    "case": STR, "title": STR, "coordinator": null(STR), "coordinator_name": null(STR), "phase": null(STR),
    "phase_name": null(STR), "phase_week": null(INT), "phase_weeks": null(INT), "next_meeting": null(DATE),
    "next_purpose": null(STR), "next_meeting_passed": BOOL, "open_agreements": INT, "open_questions": INT,
    "overdue": INT, "load_errors": INT, "load_warnings": INT, "consents": array(NOTICE),
    "approval": APPROVAL, "cycle": array(CYCLE_NOTICE),
})

PROPOSAL = obj({
    "sessions": array(obj({"days": array(STR), "from": STR, "to": STR}, {"every": INT})),
    "start": DATE, "end": DATE, "max_hours": {"type": "object", "additionalProperties": NUM},
    "warnings": array(STR),
})

REASON = obj({"kind": STR, "message": STR}, {"person": STR, "date": DATE})

CHANGE = obj({
    "kind": STR, "item": STR, "id": null(STR), "title": null(STR), "area": null(STR), "areas": array(STR),
    "details": {"type": "object"}, "effective": ANY,
    "commit": null(obj({"sha": STR, "date": STR, "author": STR})), "path": null(STR), "line": null(INT),
    "message": STR,
})

POINT = null(obj({"date": DATE, "value": NUM}))

GOAL = obj({
    "case": STR, "goal": STR, "person": null(STR), "role": null(STR), "area": null(STR), "text": STR,
    "status": STR, "flags": array(STR), "indicator": null(STR), "unit": null(STR), "direction": null(STR),
    "baseline": POINT, "latest": POINT, "target": null(NUM), "target_by": null(DATE), "change": null(NUM),
    "achieved": null(DATE), "message": STR,
})

DISCLOSURE = obj({
    "case": STR, "at": null(STR), "recipient": STR, "document": STR, "source": null(STR), "about": array(STR),
    "areas": array(STR), "omitted": INT, "basis": array(STR), "by": null(STR), "line": STR,
})

# Each command's lists (besides `problems`) and its summary (None: it has none).
COMMANDS: dict[str, tuple[dict[str, Schema], Schema | None]] = {
    "validate": ({}, obj({"errors": INT, "warnings": INT, "files": INT, "cases": INT, "held_back": INT})),
    "check-load": ({"findings": FINDING, "attendance": TALLY},
                   obj({"errors": INT, "warnings": INT}, {"for": STR, "omitted": INT, "hidden_demands": INT})),
    "due": ({"deadlines": DEADLINE, "consents": NOTICE, "notices": RULE_NOTICE, "cycle": CYCLE_NOTICE},
            obj({"overdue": INT, "consents": INT, "notices": INT, "cycle": INT})),
    "status": ({"cases": STATUS_ROW}, None),
    "fit": ({"proposals": PROPOSAL, "reasons": REASON},
            obj({"case": null(STR), "fits": BOOL, "proposals": INT, "from": null(DATE), "to": null(DATE)},
                {"for": STR, "omitted": INT})),
    "changes": ({"changes": CHANGE, "notes": obj({"code": STR, "detail": ANY})},
                obj({"case": STR, "title": STR,
                     "since": obj({"rev": null(STR), "label": null(STR), "date": null(DATE), "meeting": null(STR)}),
                     "to": obj({"rev": null(STR), "label": null(STR), "date": null(DATE)}),
                     "for": null(STR), "omitted": INT, "changes": INT})),
    "report": ({"cases": obj({"case": STR, "title": STR, "omitted": INT, "goals": INT}), "goals": GOAL,
                "attendance": TALLY,
                "indicators": obj({"indicator": STR, "name": STR, "unit": null(STR), "people": INT,
                                   "mean_baseline": null(NUM), "mean_latest": null(NUM), "message": STR}),
                "shares": obj({"area": STR, "role": STR, "people": INT, "achieved": INT, "share": NUM,
                               "message": STR}),
                "rules": RULE_TALLY},
               obj({"today": DATE, "recipient": null(STR), "cases": INT, "omitted": INT})),
    "disclosures": ({"disclosures": DISCLOSURE}, obj({"case": STR, "disclosures": INT})),
    # The record commands (agree, done, absent, …, fit --book): the entry written, where.
    "record": ({"records": obj({"case": STR, "file": STR, "line": INT, "kind": STR, "entry": {"type": "object"},
                                "created": BOOL})},
               obj({"written": BOOL, "refused": BOOL, "text": STR}, {"diff": STR})),
    "rules": ({"rules": RULE}, obj({"on": DATE, "rules": INT})),
}


def output_schema(command: str) -> Schema:
    """The JSON Schema of `command`'s `--format json` output."""
    lists, summary = COMMANDS[command]
    properties: dict[str, Schema] = {"format": {"const": JSON_FORMAT}, "problems": array(PROBLEM)}
    properties.update({name: array(row) for name, row in lists.items()})
    if summary is not None:
        properties["summary"] = summary
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"familieplan-output-{command}.json",
        "title": f"familieplan {command} --format json",
        "description": f"The output of `familieplan {command} --format json`, format {JSON_FORMAT}.",
        **obj(properties),
    }


def output_schema_texts() -> dict[str, str]:
    """Each command's output schema as the text of its file, by its path under `schemas/`."""
    return {f"output/{command}.json": json.dumps(output_schema(command), ensure_ascii=False, indent=2) + "\n"
            for command in COMMANDS}


def row_heads(command: str, name: str) -> list[str]:
    """The CSV columns of a list's rows, from its schema (for a table with no rows): a nested
    object's keys as `key_sub`, as `csvout.flatten` names them."""
    row = COMMANDS[command][0][name]
    return _heads(row, "")


def _heads(schema: Schema, prefix: str) -> list[str]:
    heads: list[str] = []
    for key, value in schema.get("properties", {}).items():
        inner = next((s for s in value.get("anyOf", [value]) if s.get("type") == "object" and "properties" in s), None)
        heads += _heads(inner, f"{prefix}{key}_") if inner else [f"{prefix}{key}"]
    return heads
