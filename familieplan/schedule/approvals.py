"""The family's approval of the plan (FORMAT.md, third edition): the plan's fingerprint,
and where the latest approval stands.

The fingerprint is made from the plan's parsed content, the typed record the loader
builds, never from its text: comments, blank lines, quoting, flow or block lists and the
order of keys do not change it, nor do the `approvals` themselves (writing an approval
must not undo it). Any change of a value (an intervention's time, a goal's words, a
new phase) does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import model as m

FINGERPRINT_LENGTH = 8  # hex digits: a plan's versions are told apart, not guarded against forgery
_NOT_CONTENT = frozenset(("source", "where", "extensions", "approvals"))
APPROVED, CHANGED = "approved", "changed"


def _default(field: dataclasses.Field) -> object:  # type: ignore[type-arg]
    if field.default is not dataclasses.MISSING:
        return field.default
    return field.default_factory() if field.default_factory is not dataclasses.MISSING else dataclasses.MISSING


def _plain(value: object) -> object:
    """The content as plain data; a value left at its default is left out, so that a field
    the format gains later (absent from every plan written before) changes no fingerprint."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in _NOT_CONTENT and getattr(value, f.name) != _default(f)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def plan_fingerprint(plan: m.Plan) -> str:
    """The plan's fingerprint: the first hex digits of a SHA-256 over its content."""
    text = json.dumps(_plain(plan), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


class ApprovalState(NamedTuple):
    """The latest approval by a person of the case, and whether the plan is still the one
    approved (`state`: approved, or changed since)."""

    by: str
    date: dt.date
    channel: str | None
    state: str


def approval_state(case: m.Case) -> ApprovalState | None:
    """The plan's latest approval by a person of the case (by date; the last written of one
    day), or None when nobody of the case has approved it."""
    plan = case.plan
    if plan is None:
        return None
    people = case.people_by_id()
    approvals = [a for a in plan.approvals if a.by in people and a.date is not None]
    if not approvals:
        return None
    latest = max(enumerate(approvals), key=lambda pair: (pair[1].date, pair[0]))[1]
    assert latest.by is not None and latest.date is not None
    state = APPROVED if latest.plan == plan_fingerprint(plan) else CHANGED
    return ApprovalState(latest.by, latest.date, latest.channel, state)
