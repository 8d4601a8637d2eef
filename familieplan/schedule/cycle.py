"""The meeting cycle as `due` and `status` follow it: summons sent with notice, a next
meeting booked, the plan approved by the family. Facts taken from a case once
(`cycle_facts`, kept by the engine with the case's other facts), notices worked out for
any day (`cycle_notices`). The notices are warnings: they never change an exit code.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from familieplan.problems import WARNING, Source, register
from familieplan.schedule.approvals import ApprovalState, approval_state

if TYPE_CHECKING:  # the case records: only where cases are read
    from familieplan import model as m
    from familieplan.schedule.calendar import WorkCalendar

SUMMONS_NOTICE, NO_NEXT_MEETING, NOT_APPROVED = "summons-notice", "no-next-meeting", "plan-not-approved"
DEFAULT_NOTICE_DAYS = 5
APPROVAL_WEEKS = 4
_GROUP = "follow-up"

register(SUMMONS_NOTICE, WARNING, _GROUP, """
    A meeting from `--today` on was summoned fewer than `rules.summons_notice_days` working
    days (default 5) before it, or has not been summoned and can no longer be with that
    notice within the days `due` looks ahead. A summons is an `invite` recorded in the
    disclosure log (`document: summons`). Shown by `due` and `status`; no exit code changes.

    Failing: a meeting on Monday 14 December summoned on Wednesday 9 December.
    Passing: summoned on Monday 30 November (10 working days before).""")
register(NO_NEXT_MEETING, WARNING, _GROUP, """
    An active case's latest meeting held has no `next_meeting`, and no later meeting file
    exists: nobody has booked the follow-up before everyone left. Shown by `due` and
    `status`; no exit code changes.

    Failing: the meeting of 15 June has no `next_meeting` and no meeting file follows it.""")
register(NOT_APPROVED, WARNING, _GROUP, """
    An active case's plan started four weeks ago or more, and no person of the case has
    approved it (`approvals` in plan.yaml, written by `familieplan approve`). Shown by `due`;
    no exit code changes.

    Failing: a plan `from: 2026-11-02`, no approval, on 1 December.""")


class MeetingCycle(NamedTuple):
    name: str
    date: dt.date | None
    cancelled: bool
    announced: bool  # it has a `next_meeting`
    summoned: tuple[dt.date, ...]  # the days its summons went out (the disclosure log)
    source: Source


class CycleFacts(NamedTuple):
    active: bool
    plan_start: dt.date | None
    plan_source: Source
    approval: ApprovalState | None
    meetings: tuple[MeetingCycle, ...]
    notice_days: int = DEFAULT_NOTICE_DAYS


class CycleNotice(NamedTuple):
    """One warning of the meeting cycle: `code`, the meeting's name (or None), the day it
    is about (the meeting's, or the plan's start), the day the summons went out."""

    case: str
    code: str
    meeting: str | None
    date: dt.date | None
    summoned: dt.date | None
    source: Source
    days: int = DEFAULT_NOTICE_DAYS  # the notice asked for, in working days


def _slug(name: str) -> str:
    return name[11:] if len(name) > 11 else name


def summons_entries(case: m.Case, meeting: m.Meeting) -> list[m.Disclosure]:
    """The disclosure log's summons entries of this meeting, also those made under a name
    it had before it was moved to another day (a file that no longer exists, same slug)."""
    names = {mt.name for mt in case.meetings}
    own = f"meetings/{meeting.name}.yaml"

    def of_meeting(source: str) -> bool:
        if source == own:
            return True
        old = source.removeprefix("meetings/").removesuffix(".yaml")
        return source.startswith("meetings/") and old not in names and _slug(old) == _slug(meeting.name)

    return [d for d in case.disclosures if d.document == "summons" and of_meeting(d.source_file or "")]


def cycle_facts(case: m.Case, notice_days: int = DEFAULT_NOTICE_DAYS) -> CycleFacts:
    """What the notices need of a case, whatever the day."""
    meetings = tuple(MeetingCycle(mt.name, mt.date, mt.status == "cancelled", mt.next_meeting is not None,
                                  tuple(sorted({d.at.date() for d in summons_entries(case, mt) if d.at})), mt.source)
                     for mt in case.meetings)
    plan = case.plan
    return CycleFacts(case.info is not None and case.info.status == "active", plan.start if plan else None,
                      plan.pos("from") if plan else Source("", 0, 0), approval_state(case), meetings, notice_days)


def cycle_notices(case_id: str, facts: CycleFacts, today: dt.date, calendar: WorkCalendar,
                  within_days: int = 7, approval: bool = True) -> list[CycleNotice]:
    """The warnings of the cycle on `today`: meetings summoned late or not yet (when the
    last day to summon them with notice is within `within_days`), a latest meeting with
    no follow-up booked, and (with `approval`) a plan not approved four weeks after it started."""
    notices = [n for mt in facts.meetings for n in _summons_notice(case_id, mt, facts.notice_days, today, calendar,
                                                                    within_days)]
    if not facts.active:
        return notices
    notices += _no_next_meeting(case_id, facts.meetings, today)
    start = facts.plan_start
    if approval and start and facts.approval is None and today >= start + dt.timedelta(weeks=APPROVAL_WEEKS):
        notices.append(CycleNotice(case_id, NOT_APPROVED, None, start, None, facts.plan_source))
    return notices


def _summons_notice(case_id: str, mt: MeetingCycle, days: int, today: dt.date, calendar: WorkCalendar,
                    within_days: int) -> list[CycleNotice]:
    if mt.date is None or mt.date < today or mt.cancelled:
        return []
    if mt.summoned:
        first = mt.summoned[0]
        if calendar.working_days_between(first, mt.date) >= days:
            return []
        return [CycleNotice(case_id, SUMMONS_NOTICE, mt.name, mt.date, first, mt.source, days)]
    last_day = _last_day_to_summon(mt.date, days, calendar)
    if last_day > today + dt.timedelta(days=within_days):
        return []
    return [CycleNotice(case_id, SUMMONS_NOTICE, mt.name, mt.date, None, mt.source, days)]


def _last_day_to_summon(day: dt.date, days: int, calendar: WorkCalendar) -> dt.date:
    """The last day a summons gives `days` working days' notice before `day`."""
    current = day
    while calendar.working_days_between(current, day) < days:
        current -= dt.timedelta(days=1)
    return current


def _no_next_meeting(case_id: str, meetings: tuple[MeetingCycle, ...], today: dt.date) -> list[CycleNotice]:
    held = sorted((mt for mt in meetings if mt.date and mt.date <= today and not mt.cancelled),
                  key=lambda mt: (mt.date, mt.name))
    if not held:
        return []
    latest = held[-1]
    later = any(mt.date and latest.date and mt.date > latest.date and not mt.cancelled for mt in meetings)
    if latest.announced or later:
        return []
    return [CycleNotice(case_id, NO_NEXT_MEETING, latest.name, latest.date, None, latest.source)]
