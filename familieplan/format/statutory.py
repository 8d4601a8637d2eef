"""The specs of the facts the statutory rules count (FORMAT.md, third edition): a person's
benefits and child-welfare facts, the requests of agreements.yaml and the `rules:` settings
of familieplan.yaml. `specs` puts them in their files' records."""

from __future__ import annotations

from familieplan import facts
from familieplan.format.records import F, ListOf, Record
from familieplan.format.scalars import Boolean, Date, Id, Integer, Text, choice
from familieplan.problems import N_
from familieplan.settings import RuleSettings

ID, TEXT, DATE = Id(), Text(), Date()

BENEFIT = Record(N_("a benefit"), facts.Benefit, {
    "kind": F(choice(N_("a kind of benefit"), "kontanthjaelp", "uddannelseshjaelp", "dagpenge", "sygedagpenge",
                     "ledighedsydelse", "foertidspension", "other"),
              N_("kontanthjaelp, uddannelseshjaelp, dagpenge, sygedagpenge, ledighedsydelse, foertidspension or other"),
              required=True),
    "category": F(choice(N_("a category (jobparat or aktivitetsparat)"), "jobparat", "aktivitetsparat"),
                  N_("jobparat or aktivitetsparat (kontanthjaelp, uddannelseshjaelp)")),
    "since": F(DATE, N_("The first day of the benefit period"), required=True),
    "until": F(DATE, N_("The last day of the benefit period (optional)")),
}, N_("A period on a benefit (ydelse)"))

MEASURE_KINDS = choice(N_("a kind of measure (support or placement)"), "support", "placement")

CHILD_WELFARE = Record(N_("child_welfare"), facts.ChildWelfare, {
    "aware": F(DATE, N_("The day the municipality became aware (underretning, henvendelse)")),
    "investigation": F(Record(N_("an investigation"), facts.Investigation, {
        "started": F(DATE, N_("The day the investigation started")),
        "concluded": F(DATE, N_("The day it was concluded; absent while it runs")),
    }, N_("The børnefaglig undersøgelse (barnets lov § 20)")), N_("The børnefaglig undersøgelse (barnets lov § 20)")),
    "measures": F(ListOf(Record(N_("a measure of child welfare"), facts.WelfareMeasure, {
        "id": F(ID, N_("The measure's id"), required=True),
        "section": F(TEXT, N_("The provision decided under, e.g. § 32")),
        "kind": F(MEASURE_KINDS, N_("support or placement"), required=True),
        "consent": F(Boolean(), N_("A placement: with (true) or without (false) the custody holder's consent")),
        "decided": F(DATE, N_("The day of the decision"), required=True),
        "start": F(DATE, N_("The day the measure started")),
        "plan": F(DATE, N_("The day barnets plan was written (§ 91); absent: not yet")),
        "follow_ups": F(ListOf(DATE), N_("The days of the follow-ups (§ 95)")),
        "supervision": F(ListOf(DATE), N_("The days of the supervision visits (§ 156), for a placement")),
        "ended": F(DATE, N_("The day the measure ended (optional)")),
    }, N_("A measure decided under barnets lov"))), N_("Measures decided under barnets lov")),
}, N_("Child welfare facts (barnets lov)"))

DIGITAL_POST = Record(N_("digital_post"), facts.DigitalPost, {
    "exempt_until": F(DATE, N_("Exempt from Digital Post until this day: documents go by letter")),
}, N_("An exemption from Digital Post"))

REQUEST = Record(N_("a request"), facts.Request, {
    "kind": F(choice(N_("a kind of request (aktindsigt or indsigt)"), "aktindsigt", "indsigt"),
              N_("aktindsigt (offentlighedsloven, forvaltningsloven) or indsigt (GDPR art. 15)"), required=True),
    "by": F(TEXT, N_("Who asked: a person's id, or a name outside the case"), required=True),
    "received": F(DATE, N_("The day the request was received"), required=True),
    "answered": F(DATE, N_("The day it was answered; absent while unanswered")),
    "extended": F(DATE, N_("The notified later date of the answer (optional)")),
}, N_("A request with an answer time set by law"))

RULES = Record(N_("rules"), RuleSettings, {
    "off": F(ListOf(ID), N_("Ids of statutory rules the workspace does not apply")),
    "on": F(ListOf(ID), N_("Rules that are off unless switched on here (local standards)")),
    "minutes_within_days": F(Integer(0, 365), N_("minutes-sent: working days after a meeting by which its minutes go out")),
    "minutes_from": F(DATE, N_("minutes-sent: judge meetings dated on or after this day")),
    "summons_notice_days": F(Integer(0, 365), N_("Working days between a summons and its meeting")),
}, N_("The statutory rules: which apply, and their parameters"))
