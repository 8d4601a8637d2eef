"""`absence-with-cause`: a cancellation or no-show that another department's demand on
the same person explains. A load check (registered with the others); it reads the
person's attendance records from the schedule and compares each absent occurrence with
what else was asked of the person that day and week, as `overlap`, `unavailable` and
`over-capacity` do. Recorded absences change no demand: the load is what was asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from familieplan import model as m
from familieplan.checks.weekly import Finding, Item, LoadFacts, load_check
from familieplan.problems import WARNING, level_of
from familieplan.schedule.attendance import ABSENT
from familieplan.schedule.demands import DemandRef, PersonSchedule, Unavailable
from familieplan.schedule.progression import minutes, week_index

OVERLAP, UNAVAILABLE, OVER_CAPACITY = "overlap", "unavailable", "over-capacity"


@dataclass(frozen=True, slots=True)
class Cause:
    """Why an absence may have had a reasonable cause."""

    kind: str  # overlap | unavailable | over-capacity
    ref: DemandRef | None = None  # the colliding demand (overlap)
    start: int | None = None  # minutes: the colliding appointment's or unavailable time's
    end: int | None = None
    reason: str | None = None  # unavailable: the person's reason
    hours: float | None = None  # over-capacity: the week's hours
    limit: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "with": self.ref.id if self.ref else None,
                "department": self.ref.department if self.ref else None, "start": self.start, "end": self.end,
                "reason": self.reason, "hours": self.hours, "limit": self.limit}


def items_on(schedule: PersonSchedule, day: dt.date) -> list[Item]:
    """The person's timed and untimed appointments on one day."""
    week, weekday = week_index(day), day.weekday()
    found: list[Item] = [s for s in schedule.slots if s.weekday == weekday and s.weeks.contains(week)]
    found += [o for o in schedule.oneoffs if o.date == day]
    return found


def _is_target(item: Item, entry: m.Attendance) -> bool:
    kind, target = ("intervention", entry.intervention) if entry.intervention else ("meeting", entry.meeting)
    if item.ref.kind != kind or item.ref.id != target:
        return False
    return entry.start is None or item.start == minutes(entry.start)


def _overlaps(a: Item, b: Item) -> bool:
    """The two appointments' windows, widened by travel, overlap (as in `overlap`)."""
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return False
    return max(a.start - a.travel, b.start - b.travel) < min(a.end + a.travel, b.end + b.travel)


def causes_of(schedule: PersonSchedule, entry: m.Attendance, over_weeks: dict[int, float]) -> list[Cause]:
    """What else asked for the person's time when the absent occurrence took place."""
    assert entry.date is not None
    today = items_on(schedule, entry.date)
    absent = [item for item in today if _is_target(item, entry)]
    causes = _colliding(absent, today)
    causes += [Cause(UNAVAILABLE, None, busy.start, busy.end, reason=busy.reason)
               for busy in schedule.unavailable
               if busy.weekday == entry.date.weekday() and any(_within(item, busy) for item in absent)]
    week = week_index(entry.date)
    if absent and week in over_weeks:
        causes.append(Cause(OVER_CAPACITY, hours=over_weeks[week], limit=schedule.limits.max_hours_per_week))
    return causes


def _colliding(absent: list[Item], today: list[Item]) -> list[Cause]:
    """The other appointments of the day that overlap the absent one, each once."""
    causes: list[Cause] = []
    seen: set[str] = set()
    for item in absent:
        for other in today:
            if other.ref.id != item.ref.id and other.ref.id not in seen and _overlaps(item, other):
                seen.add(other.ref.id)
                causes.append(Cause(OVERLAP, other.ref, other.start, other.end))
    return causes


def _within(item: Item, busy: Unavailable) -> bool:
    return item.start is not None and item.end is not None and max(item.start, busy.start) < min(item.end, busy.end)


def _over_weeks(facts: LoadFacts) -> dict[int, float]:
    """The weeks over `max_hours_per_week`, with their hours (the `over-capacity` weeks)."""
    limit = facts.schedule.limits.max_hours_per_week
    weeks: dict[int, float] = {}
    for progression, profile in facts.limit_classes:
        if profile.hours > limit:
            for week in progression.weeks():
                weeks[week] = profile.hours
    return weeks


def _absent_ref(schedule: PersonSchedule, entry: m.Attendance) -> DemandRef | None:
    return schedule.refs.get(entry.intervention or entry.meeting or "")


@load_check("absence-with-cause", WARNING)
def check_absence_with_cause(facts: LoadFacts) -> list[Finding]:
    """A cancellation or no-show that coincides with another demand on the person.

    An entry of attendance.yaml with `status: cancelled` or `no-show` whose occurrence an
    `overlap` with another intervention or meeting covers on that date (travel time
    included), or that falls in one of the person's `unavailable` times, or in a week
    over `max_hours_per_week` (`over-capacity`). A missed appointment "without reasonable
    cause" can cost a benefit; here the tool knows that another department asked for the
    same time. The finding names both departments so that they can talk. Recorded
    absences change no demand: the load stays what was asked.

    Failing: a no-show at the jobcenter's interview 4 March 12:00–13:00 while the
    jobcenter's bridging course runs 08:30–13:30 the same day.
    Passing: a cancellation on a day with nothing else planned, in a week within the limit."""
    schedule = facts.schedule
    entries = [e for e in schedule.attendance if e.status in ABSENT and e.date is not None]
    if not entries:
        return []
    over_weeks = _over_weeks(facts)
    findings = []
    for entry in entries:
        ref = _absent_ref(schedule, entry)
        if ref is None or entry.date is None:
            continue
        causes = causes_of(schedule, entry, over_weeks)
        if not causes:
            continue
        refs = (ref, *(c.ref for c in causes if c.ref is not None))
        findings.append(Finding("absence-with-cause", level_of("absence-with-cause"), schedule.case_id,
                                schedule.person.id or "", refs, entry.date, entry.date, 1,
                                detail={"status": entry.status, "causes": [c.as_dict() for c in causes],
                                        "absent_start": next((i.start for i in items_on(schedule, entry.date)
                                                              if _is_target(i, entry)), None),
                                        "reason": entry.reason},
                                at=entry.source))
    return findings
