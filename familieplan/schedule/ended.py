"""An intervention that ends early (`ended: {from, reason}`, FORMAT third edition): no
demand on or after `ended.from`; its period and sessions stay as written, as its history.
Pure: every place that counts an intervention's demand asks these."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from familieplan import model as m


def stopped(iv: m.Intervention) -> dt.date | None:
    """`ended.from`: the first day without demand (None: not ended early)."""
    return iv.ended.start if iv.ended is not None else None


def demands_on(iv: m.Intervention, day: dt.date) -> bool:
    """Whether the intervention may still ask time on `day` (not ended before it)."""
    stop = stopped(iv)
    return stop is None or day < stop


def last_day(iv: m.Intervention) -> dt.date | None:
    """The last day of its period that carries demand: `to`, or the day before `ended.from`
    when that comes first."""
    stop = stopped(iv)
    if stop is None or iv.end is None:
        return iv.end
    return min(iv.end, stop - dt.timedelta(days=1))
