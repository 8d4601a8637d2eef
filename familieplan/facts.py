"""The records of the facts the statutory rules count (FORMAT.md, third edition): a
person's benefits, Digital Post exemption and child-welfare facts, and the requests of
agreements.yaml. Apart from `familieplan.model` (which holds them in its records); import
these names from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from familieplan.settings import Record


@dataclass(frozen=True, slots=True, kw_only=True)
class Benefit(Record):
    """A period on a benefit (ydelse, third edition)."""

    kind: str | None = None  # kontanthjaelp | uddannelseshjaelp | dagpenge | ... | other
    category: str | None = None  # jobparat | aktivitetsparat
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DigitalPost(Record):
    exempt_until: dt.date | None = None  # exempt from Digital Post until (inclusive)


@dataclass(frozen=True, slots=True, kw_only=True)
class Investigation(Record):
    """A børnefaglig undersøgelse (barnets lov § 20)."""

    started: dt.date | None = None
    concluded: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WelfareMeasure(Record):
    """A measure decided under barnets lov (support or placement)."""

    id: str | None = None
    section: str | None = None
    kind: str | None = None  # support | placement
    consent: bool | None = None  # a placement with (True) or without (False) consent
    decided: dt.date | None = None
    start: dt.date | None = None
    plan: dt.date | None = None  # barnets plan written (§ 91)
    follow_ups: tuple[dt.date, ...] = ()  # § 95
    supervision: tuple[dt.date, ...] = ()  # § 156
    ended: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildWelfare(Record):
    aware: dt.date | None = None
    investigation: Investigation | None = None
    measures: tuple[WelfareMeasure, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Request(Record):
    """A request for aktindsigt or indsigt, with an answer time set by law (third edition)."""

    kind: str | None = None  # aktindsigt | indsigt
    by: str | None = None  # a person's id, or free text for someone outside the case
    received: dt.date | None = None
    answered: dt.date | None = None
    extended: dt.date | None = None  # the notified later date


def request_key(r: Request) -> tuple[object, ...]:
    """A request is identified by (kind, by, received)."""
    return (r.kind, r.by, r.received)
