"""`invite`: what an invitation to a meeting is, before any word of it is written: who
is invited and who organises, the calendar UID (kept in the meeting file from the first
invitation on), the SEQUENCE (raised each time the meeting is invited again: kept in the
summons entries of the disclosure log) and whether it is a request or a cancellation.

A meeting moved to another day is renamed (its file name holds its date) but keeps its
slug: the summons entries of a meeting file that no longer exists with the same slug count
as this meeting's, so the SEQUENCE goes on rising.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from familieplan import model as m
from familieplan.commands.record import Change, record
from familieplan.format.splice import Quoted
from familieplan.format.suggest import did_you_mean_text
from familieplan.problems import N_, InvalidCaseError, UsageError
from familieplan.schedule.cycle import summons_entries
from familieplan.settings import Settings

REQUEST, CANCEL = "REQUEST", "CANCEL"
SUMMONS = "summons"  # the disclosure log's document kind
CHAIR, PARTICIPANT = "CHAIR", "REQ-PARTICIPANT"


@dataclass(frozen=True)
class Attendee:
    id: str
    name: str
    role: str  # CHAIR | REQ-PARTICIPANT
    address: str  # mailto:… where an e-mail is known, else urn:familieplan:<case>:<id>
    family: bool  # one of the case's people


@dataclass(frozen=True)
class Invitation:
    """One round of invitations to one meeting."""

    case: str
    meeting: m.Meeting
    source: str  # meetings/<name>.yaml, relative to the case folder
    uid: str
    new_uid: bool  # the UID is not yet in the meeting file: `invite` writes it there
    sequence: int
    method: str  # REQUEST | CANCEL
    organizer: Attendee
    attendees: tuple[Attendee, ...]
    recipients: tuple[str, ...]  # whom a summons is made for
    past: bool  # the meeting's day is before `today`


def meeting_uid(case: m.Case, meeting: m.Meeting) -> str:
    """The meeting's UID: the one in its file, else `<case>/<meeting>@familieplan`."""
    return meeting.uid or f"{case.folder_id}/{meeting.name}@familieplan"


def next_sequence(case: m.Case, meeting: m.Meeting) -> int:
    """0 for the first invitation; one more than the highest sent before."""
    sent = [d.sequence or 0 for d in summons_entries(case, meeting)]
    return max(sent) + 1 if sent else 0


def _attendee(case: m.Case, some_id: str, role: str) -> Attendee:
    people, pros = case.people_by_id(), case.professionals_by_id()
    pro = pros.get(some_id)
    person = people.get(some_id)
    name = (pro.name if pro else person.name if person else None) or some_id
    email = pro.email if pro and pro.email and "@" in pro.email else None
    address = f"mailto:{email.strip()}" if email else f"urn:familieplan:{case.folder_id}:{some_id}"
    return Attendee(some_id, name, role, address, person is not None)


def _not_a_participant(for_id: str, ids: list[str], meeting: m.Meeting) -> None:
    hint = did_you_mean_text(for_id, ids)
    if hint:
        raise UsageError(N_("--for {id}: not a participant of meeting {meeting} ({hint})"), id=for_id,
                         meeting=meeting.name, hint=hint)
    raise UsageError(N_("--for {id}: not a participant of meeting {meeting}"), id=for_id, meeting=meeting.name)


def plan_invitation(case: m.Case, meeting: m.Meeting, today: dt.date, for_id: str | None = None) -> Invitation:
    """The invitation of `meeting` on `today`: to every participant, or to `for_id` (one of
    them). A meeting without a time cannot be invited (UsageError)."""
    if meeting.date is None or meeting.start is None or meeting.end is None:
        raise UsageError(N_("meeting {meeting} has no time (from and to); give it one before inviting"),
                         meeting=meeting.name)
    info = case.info
    assert info is not None
    ids = [p.id for p in meeting.participants if p.id]
    if for_id is not None and for_id not in ids:
        _not_a_participant(for_id, ids, meeting)
    organizer_id = meeting.chair or info.coordinator or ids[0]
    attendees = tuple(_attendee(case, pid, CHAIR if pid == meeting.chair else PARTICIPANT) for pid in ids)
    return Invitation(case.folder_id, meeting, f"meetings/{meeting.name}.yaml", meeting_uid(case, meeting),
                      meeting.uid is None, next_sequence(case, meeting),
                      CANCEL if meeting.status == "cancelled" else REQUEST,
                      _attendee(case, organizer_id, CHAIR), attendees,
                      (for_id,) if for_id else tuple(ids), meeting.date < today)


def write_uid(root: Path, case: m.Case, inv: Invitation, today: dt.date) -> None:
    """The UID into the meeting file (one `uid:` line after `date:`), on the first invitation,
    the way every record command writes (`commands/record.py`): under the case's lock,
    spliced with every other byte kept, checked before it is written."""

    def event(_case: m.Case, _settings: Settings, _today: dt.date) -> Change:
        return Change(inv.source, "uid", sets={"uid": Quoted(inv.uid)}, after={"uid": "date"})

    done = record(root, case.folder_id, event, today=today)
    if done.refused:
        first = done.problems[0]
        raise InvalidCaseError(N_("{where}: the invitation's UID would add an error ({code}); nothing was written"),
                               where=str(first.source), code=first.code)
