"""Good administration: the municipality's own standard for minutes (off unless a
workspace switches it on) and Digital Post exemptions (lov om Digital Post fra offentlige
afsendere). Neither has an area: minutes concern the whole case, an exemption its person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from familieplan.problems import N_
from familieplan.rules.registry import (
    DEADLINE,
    INFO,
    Context,
    Notice,
    Obligation,
    fields,
    rule,
)

if TYPE_CHECKING:
    from familieplan import model as m

OFFENTLIGHEDSLOVEN = dt.date(2014, 1, 1)
DIGITAL_POST = dt.date(2014, 11, 1)  # Digital Post mandatory for citizens (LBK nr. 686 af 15. april 2021)
OFFL_13 = "https://www.retsinformation.dk/eli/lta/2020/145"
DIGITAL_POST_SOURCE = "https://digst.dk/it-loesninger/digital-post/om-loesningen/fritagelse/"


def _minutes_given(case: m.Case, meeting: m.Meeting) -> dt.date | None:
    """The first day the meeting's minutes were given to a recipient (the disclosure log)."""
    name = f"meetings/{meeting.name}.yaml"
    days = [d.at.date() for d in case.disclosures if d.document == "minutes" and d.at and d.source_file == name]
    return min(days, default=None)


@rule("minutes-sent", DEADLINE,
      "kommunens egen standard (god forvaltningsskik; jf. notatpligten, offentlighedsloven § 13)",
      OFFL_13, OFFENTLIGHEDSLOVEN, off_by_default=True)
def minutes_sent(case: m.Case, ctx: Context) -> Iterator[Obligation]:
    """Off unless `rules.on` names it. A meeting with decisions has its minutes given to
    a recipient (a `minutes` entry of the disclosure log) within `rules.minutes_within_days`
    working days (default 5); only meetings dated on or after `rules.minutes_from` are
    judged (all when it is not set), and a cancelled meeting is not.

    Failing: a meeting on 2027-01-11 with a decision, no minutes disclosed by 2027-01-18.
    Passing: minutes rendered for a recipient on 2027-01-18."""
    options = ctx.options
    for meeting in case.meetings:
        day = meeting.date
        if (not ctx.rule.applies(day) or (options.minutes_from and day and day < options.minutes_from)
                or getattr(meeting, "status", None) == "cancelled"
                or not any(item.decisions for item in meeting.agenda)):
            continue
        assert day is not None
        yield Obligation(ctx.rule.id, ctx.calendar.add_working_days(day, options.minutes_within_days),
                         _minutes_given(case, meeting), N_("The minutes of {title} are to be sent by {date}"),
                         fields(title=meeting.title or meeting.name), None, None, meeting.pos("date"))


@rule("dp-exemption", INFO, "lov om Digital Post fra offentlige afsendere", DIGITAL_POST_SOURCE, DIGITAL_POST)
def digital_post(case: m.Case, ctx: Context) -> Iterator[Notice]:
    """Information, not a breach: a person's exemption from Digital Post has run out
    (the day after `digital_post.exempt_until`): renew it or send digitally. While it
    runs, documents rendered for that person say they go by letter.

    Failing (information): `exempt_until: 2027-03-01`, on 2027-03-02. Passing: on
    2027-03-01."""
    for person in case.info.people if case.info else ():
        until = person.digital_post.exempt_until if person.digital_post else None
        if until is not None and ctx.rule.applies(until):
            yield Notice(ctx.rule.id, INFO, N_("{name}'s exemption from Digital Post ran out on {until}"),
                         fields(name=person.name or person.id, until=until), person.id, None,
                         person.digital_post.pos("exempt_until") if person.digital_post else person.source,
                         until + dt.timedelta(days=1))


def letter_until(person: m.Person, day: dt.date) -> dt.date | None:
    """The last day of the person's Digital Post exemption when it runs on `day` (their
    documents go by letter), else None."""
    until = person.digital_post.exempt_until if person.digital_post else None
    return until if until is not None and day <= until else None
