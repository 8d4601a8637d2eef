"""`invite`: the summons (indkaldelse) of one participant, and the invitations written.

The summons says why we meet (`purpose`), what the meeting must answer (`questions`),
when and where, who is invited and who chairs; the family is also asked what they want
to talk about. The consent rule decides the agenda: a title the reader may not read is
counted, never shown (items without an area are for everyone). Each participant gets the
summons and an iCalendar invitation (`render/ics.py`); each summons is recorded in the
disclosure log (`document: summons`, with its `sequence`), and the meeting's UID is
written into its file on the first invitation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from familieplan import clock
from familieplan import model as m
from familieplan.commands.invite import SUMMONS, Invitation, plan_invitation, write_uid
from familieplan.consent import ReaderFilter
from familieplan.problems import N_, UsageError
from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.render.document_parts import (
    Names,
    case_line,
    concealed,
    disclosed,
    document_header,
    sender_block,
    shown_place,
)
from familieplan.render.documents import (
    _as_pdf,
    _entry,
    document_path,
    find_meeting,
    render_text,
    write_recorded,
)
from familieplan.render.ics import invitation_ics
from familieplan.render.language import language
from familieplan.settings import Settings
from familieplan.workspace.disclosures import DisclosureEntry
from familieplan.workspace.files import check_target, write_atomic


def summons_context(case: m.Case, inv: Invitation, settings: Settings, recipient: str, lang: str,
                    now: dt.datetime, today: dt.date, real_today: dt.date | None = None) -> dict[str, Any]:
    """The summons of one participant, filtered by consent before a template sees it."""
    cat = catalog(lang)
    _ = cat.gettext
    meeting = inv.meeting
    reader = Names(case, settings, lang).reader(recipient)
    assert meeting.date is not None
    share = ReaderFilter(case, recipient, [meeting.date, today], real_today, settings.department_areas)
    # A department whose areas the reader may not read is not named: "en fagperson", no place naming it.
    names = Names(case, settings, lang, concealed(share))
    shown = [item.title or "" for item in meeting.agenda if share.allows(item)]
    heading = _("Cancelled: {title}") if inv.method == "CANCEL" else _("Summons: {title}")
    context: dict[str, Any] = {
        "lang": lang, "kind": "summons", "title": heading.format(title=meeting.title or ""),
        "case_title": case.title, "case_id": case_line(case, share),
        "header": document_header(reader, now, lang, settings),
        "greeting": _("Dear {name}").format(name=reader.name),
        "cancelled": inv.method == "CANCEL",
        "date": d.date_long(meeting.date, lang), "time": d.time_range(meeting.start, meeting.end, lang),
        "place": shown_place(meeting.place, share, settings, names), "purpose": meeting.purpose,
        "questions": list(meeting.questions),
        "chair": names.full(meeting.chair) if meeting.chair else None,
        "invited": [names.full(a.id) for a in inv.attendees],
        "agenda": shown, "left_out": len(meeting.agenda) - len(shown),
        "family": share.reading.kind in ("family", "child"),
        "contact": names.full(case.info.contact or case.info.coordinator) if case.info else None,
        "sender": sender_block(case, settings, names),
    }
    context["disclosed"] = disclosed(share)
    context["concealed"] = (names.hidden, context["place"])  # for the reader's .ics (not shown)
    return context


@dataclass(frozen=True)
class InviteRequest:
    """What `invite` is asked for."""

    meeting: str  # the meeting file's name
    fmt: str  # md | html | pdf
    for_id: str | None  # one participant, or None for every one
    lang: str | None
    now: dt.datetime  # the time of writing, printed in the summons and the calendar's DTSTAMP
    today: dt.date  # decides "in the past" and the consents in force
    record: bool = True
    real_now: dt.datetime | None = None


@dataclass
class Invited:
    """What `invite` wrote: the files, the log entries, and whether the meeting was past."""

    paths: list[Path]
    recorded: list[DisclosureEntry] = field(default_factory=list)
    uid: str = ""
    sequence: int = 0
    past: bool = False
    texts: list[tuple[str, str]] = field(default_factory=list)


def send_invitations(root: Path, case: m.Case, settings: Settings, req: InviteRequest, output: Path | None,
                     force: bool = False) -> Invited:
    """The summons and the .ics of each participant (or `req.for_id`), written atomically
    (or only returned with `output` '-': a preview, nothing recorded), the UID written into
    the meeting file on the first invitation, and each summons recorded in the log."""
    lang = language(req.lang, settings.language)
    meeting = find_meeting(case, req.meeting)
    real_now = clock.local(req.real_now or req.now)
    inv = plan_invitation(case, meeting, req.today, req.for_id)
    fmt = "html" if req.fmt == "pdf" else req.fmt
    stem = catalog(lang).pgettext("file name", "{meeting}-summons").format(meeting=meeting.name)
    made, hiding = {}, {}
    for recipient in inv.recipients:
        context = summons_context(case, inv, settings, recipient, lang, req.now, req.today, real_now.date())
        made[recipient] = (render_text("summons", fmt, context, root), context["disclosed"])
        hiding[recipient] = context["concealed"]
    if output is not None and str(output) == "-":
        if len(inv.recipients) != 1:
            raise UsageError(N_("--output - takes one recipient"))
        return Invited([], uid=inv.uid, sequence=inv.sequence, past=inv.past,
                       texts=[(r, text) for r, (text, _) in made.items()])
    paths, texts = _files(root, case, inv, req, made, hiding, stem, output, lang)
    base = root if output is None else None  # inside the workspace no folder on the way may be a link
    for path in paths:  # every name before anything is written: all or nothing
        check_target(path, force=force, base=base)
    if inv.new_uid:
        write_uid(root, case, inv, req.today)
    entries = [dataclasses.replace(_entry(case, r, SUMMONS, inv.source, real_now, shown, text), sequence=inv.sequence)
               for r, (text, shown) in made.items()]
    if req.record and case.path is not None:
        recorded = write_recorded(case.path, paths, texts, entries, force=force, base=base)
        return Invited(paths, recorded, inv.uid, inv.sequence, inv.past)
    for path, data in zip(paths, texts, strict=True):
        write_atomic(path, data, force=force, base=base)
    return Invited(paths, [], inv.uid, inv.sequence, inv.past)


def _files(root: Path, case: m.Case, inv: Invitation, req: InviteRequest, made: dict[str, tuple[str, dict[str, Any]]],
           hiding: dict[str, Any], stem: str, output: Path | None, lang: str) -> tuple[list[Path], list[str | bytes]]:
    """Each participant's summons and .ics beside it: their paths and their contents."""
    paths: list[Path] = []
    texts: list[str | bytes] = []
    for recipient, (text, _) in made.items():
        target = document_path(root, case, stem, recipient, req.fmt, lang, output, len(made) > 1)
        hidden, place = hiding[recipient]
        paths += [target, target.with_suffix(".ics")]
        texts += [_as_pdf(text) if req.fmt == "pdf" else text, invitation_ics(case, inv, req.now, lang, hidden, place)]
    return paths, texts
