"""Words for the meeting cycle (`due`, `status`, the plans, `serve`): the warnings about
summons, the next meeting and the approval, and how a plan's approval is told — to the
team ("Godkendt af Anna 7. dec. 2026") and to the family ("Du godkendte planen …")."""

from __future__ import annotations

from collections.abc import Callable

from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.schedule.approvals import APPROVED, ApprovalState
from familieplan.schedule.cycle import NO_NEXT_MEETING, NOT_APPROVED, SUMMONS_NOTICE, CycleNotice


def cycle_title(lang: str) -> str:
    return catalog(lang).gettext("Summons, next meeting and approval")


def cycle_sentence(notice: CycleNotice, lang: str) -> str:
    """The warning in the reader's language."""
    _ = catalog(lang).gettext
    day = d.date_long(notice.date, lang) if notice.date else ""
    if notice.code == SUMMONS_NOTICE and notice.summoned is not None:
        return _("Meeting {meeting} on {date} was summoned on {summoned}: fewer than {n} working days before it"
                 ).format(meeting=notice.meeting, date=day, summoned=d.date_long(notice.summoned, lang), n=notice.days)
    if notice.code == SUMMONS_NOTICE:
        return _("Meeting {meeting} on {date} has not been summoned; give {n} working days' notice").format(
            meeting=notice.meeting, date=day, n=notice.days)
    if notice.code == NO_NEXT_MEETING:
        return _("The latest meeting, {meeting} on {date}, booked no next meeting, and no later meeting file "
                 "exists").format(meeting=notice.meeting, date=day)
    assert notice.code == NOT_APPROVED
    return _("Nobody of the family has approved the plan, which started {date}").format(date=day)


def cycle_json(notice: CycleNotice, sentence: str) -> dict[str, object]:
    return {"case": notice.case, "code": notice.code, "level": "warning", "meeting": notice.meeting,
            "date": notice.date.isoformat() if notice.date else None,
            "summoned": notice.summoned.isoformat() if notice.summoned else None,
            "source": str(notice.source), "message": sentence}


def approval_words(state: ApprovalState | None, name: Callable[[str], str], lang: str) -> str | None:
    """For the team: 'Godkendt af Anna 7. dec. 2026' or 'Ændret efter godkendelsen 7. dec. 2026'."""
    if state is None:
        return None
    _ = catalog(lang).gettext
    day = d.date_short(state.date, lang)
    if state.state == APPROVED:
        return _("Approved by {name} {date}").format(name=name(state.by), date=day)
    return _("Changed after the approval {date}").format(date=day)


def family_approval_words(state: ApprovalState | None, reader: str, lang: str) -> str | None:
    """For the family member who approved: 'Du godkendte planen 7. dec. 2026' or 'Planen er
    ændret, efter du godkendte den 7. dec. 2026' (None for anyone else)."""
    if state is None or state.by != reader:
        return None
    _ = catalog(lang).gettext
    day = d.date_short(state.date, lang)
    if state.state == APPROVED:
        return _("You approved the plan {date}.").format(date=day)
    return _("The plan has changed since you approved it {date}.").format(date=day)
