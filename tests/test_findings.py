"""The load finding is a frozen value."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

import pytest

from familieplan.schedule.findings import Finding


def test_a_finding_is_still_a_frozen_value() -> None:
    day = dt.date(2026, 3, 2)
    a = Finding("overlap", "error", "c", "p", (), day, day, 2, weekdays=(0,), limit=3.0)
    b = Finding("overlap", "error", "c", "p", (), day, day, 2, weekdays=(0,), limit=3.0)
    assert a == b and a != dataclasses.replace(b, occurrences=3)
    assert a.detail == {} and a.detail is not b.detail
    assert a.weeks == () and a.hours is None and a.at is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.code = "busy-day"  # type: ignore[misc]
    c = dataclasses.replace(a, code="short-gap")
    assert c.code == "short-gap" and c.limit == 3.0 and c.weekdays == (0,)
    assert pickle.loads(pickle.dumps(a)) == a
    assert repr(a).startswith("Finding(code='overlap', level='error'")
