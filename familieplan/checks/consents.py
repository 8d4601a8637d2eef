"""Checks of who a document is sent to, against the one consent rule (`consent.Reading`)."""

from __future__ import annotations

from collections.abc import Iterator

from familieplan import model as m
from familieplan.checks.case import CaseIndex, check
from familieplan.consent import PROFESSIONAL, STRANGER, Reading, subject_of
from familieplan.problems import N_, WARNING, Problem, make_problem
from familieplan.settings import Record, Settings


def minutes_items(case: m.Case, meeting: m.Meeting) -> list[Record]:
    """What a meeting's minutes show a reader, item by item: the agenda, the agreements
    made at the meeting and the next meeting."""
    items: list[Record] = [*meeting.agenda, *(a for a in case.agreements if a.meeting == meeting.name)]
    if meeting.next_meeting is not None:
        items.append(meeting.next_meeting)
    return items


@check("send-to-nothing", WARNING)
def check_send_to_nothing(case: m.Case, index: CaseIndex, settings: Settings) -> Iterator[Problem]:
    """A meeting's `send_to` names a professional who may read none of its items.

    The consents do not cover the area of any agenda item, agreement made at the meeting
    or the next meeting for that professional's department on the meeting's date, so the
    minutes made for them would hold nothing but the neutral "left out" lines. Either a
    consent is missing, or the professional should not be on the list.

    Failing: `send_to: [misbrugsbehandler]` for a meeting whose every item has
    `area: employment` or `education`, with consents covering only `addiction` for the
    addiction centre."""
    if case.info is None:
        return
    for meeting in case.meetings:
        items = minutes_items(case, meeting)
        if not items or meeting.date is None:
            continue
        for recipient in dict.fromkeys(meeting.send_to):
            if recipient not in index.professionals:
                continue  # the rule is asked about professionals only
            reading = Reading(case, recipient, [meeting.date], meeting.date)
            if reading.kind not in (PROFESSIONAL, STRANGER):
                continue
            if not any(reading.allows_subject(subject_of(case, item)) for item in items):
                yield make_problem("send-to-nothing", meeting.item_pos("send_to", meeting.send_to.index(recipient)),
                                   N_("{recipient} may read none of the items of meeting {meeting} ({count} in all): "
                                      "the minutes for them would only say what was left out"),
                                   N_("add a consent that covers the areas, or take them off send_to"),
                                   recipient=recipient, meeting=meeting.name, count=len(items))
