"""Words made from the model in the reader's language: area names and schedules in words."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from familieplan.render import danish as d
from familieplan.render.catalog import Catalog, catalog

if TYPE_CHECKING:
    from familieplan import model as m
    from familieplan.settings import Settings


def builtin_area(area: str, cat: Catalog) -> str | None:
    """The name of one of the format's built-in areas ('Beskæftigelse' / 'Employment')."""
    return _area_names(cat).get(area)


@lru_cache(maxsize=8)
def _area_names(cat: Catalog) -> dict[str, str]:
    # Made once per catalog: check-load names areas tens of thousands of times.
    pgettext = cat.pgettext
    return {"employment": pgettext("area", "Employment"), "education": pgettext("area", "Education"),
            "family": pgettext("area", "Family"), "school": pgettext("area", "School"), "health": pgettext("area", "Health"),
            "addiction": pgettext("area", "Addiction"), "economy": pgettext("area", "Economy"),
            "housing": pgettext("area", "Housing"), "network": pgettext("area", "Network"),
            "leisure": pgettext("area", "Leisure")}


def area_name(area: str, settings: Settings, lang: str) -> str:
    """An area's name: a workspace's own name for it in Danish, else the catalog's."""
    if lang == "da" and area in settings.areas:
        return settings.areas[area]
    return builtin_area(area, catalog(lang)) or settings.areas.get(area, area)


def session_words(session: m.Session, lang: str) -> str:
    """'mandag, onsdag og torsdag kl. 9–12, hver uge'."""
    cat = catalog(lang)
    order = {day: i for i, day in enumerate(d.WEEKDAY_IDS)}
    days = [d.weekday(order[day], lang) for day in sorted(set(session.days), key=order.__getitem__)]
    if session.every == 1:
        every = cat.gettext("every week")
    elif session.every == 2:
        every = cat.gettext("every other week")
    else:
        every = cat.gettext("every {n}th week").format(n=session.every)
    text = f"{d.join(days, lang)} {d.time_range(session.start, session.end, lang)}, {every}"
    # A session's own period (second edition): "fra 17. august 2026", "til og med 14. august 2026".
    if session.since:
        text += " " + cat.gettext("from {date}").format(date=d.date_long(session.since, lang))
    if session.until:
        text += " " + cat.gettext("up to and including {date}").format(date=d.date_long(session.until, lang))
    return text


def _follows(first: m.Session, then: m.Session) -> bool:
    """`then` takes over from `first`: it starts within the week after `first` ends."""
    return (first.until is not None and then.since is not None
            and 0 < (then.since - first.until).days <= 7)


def _session_chains(sessions: tuple[m.Session, ...]) -> list[list[m.Session]]:
    """The sessions in runs of consecutive periods (a therapy moved to another weekday
    from a date); a session that follows no other starts its own run."""
    chains: list[list[m.Session]] = []
    for session in sessions:
        chain = next((c for c in chains if _follows(c[-1], session)), None)
        if chain is None:
            chains.append([session])
        else:
            chain.append(session)
    return chains


def _chain_words(chain: list[m.Session], lang: str) -> str:
    """'tirsdag kl. 16.30–18 til og med 16. marts 2026, derefter torsdag kl. 10–12 hver
    anden uge': consecutive periods of one intervention as one sentence."""
    cat = catalog(lang)
    order = {day: i for i, day in enumerate(d.WEEKDAY_IDS)}
    text = ""
    for position, session in enumerate(chain):
        days = [d.weekday(order[day], lang) for day in sorted(set(session.days), key=order.__getitem__)]
        piece = f"{d.join(days, lang)} {d.time_range(session.start, session.end, lang)}"
        if session.every == 2:
            piece += " " + cat.gettext("every other week")
        elif session.every > 2:
            piece += " " + cat.gettext("every {n}th week").format(n=session.every)
        if position == 0 and session.since:
            piece += " " + cat.gettext("from {date}").format(date=d.date_long(session.since, lang))
        if session.until:
            piece += " " + cat.gettext("up to and including {date}").format(date=d.date_long(session.until, lang))
        text = piece if position == 0 else cat.gettext("{before}, then {after}").format(before=text, after=piece)
    return text


def intervention_schedule(iv: m.Intervention, lang: str) -> list[str]:
    cat = catalog(lang)
    parts = [session_words(c[0], lang) if len(c) == 1 else _chain_words(c, lang)
             for c in _session_chains(iv.sessions)]
    if iv.except_dates:
        dates = d.join([d.date_long(x, lang) for x in sorted(iv.except_dates)], lang)
        parts.append(cat.gettext("not {dates}").format(dates=dates))
    for appt in iv.appointments:
        if appt.date:
            parts.append(f"{d.date_long(appt.date, lang)} {d.time_range(appt.start, appt.end, lang)}".strip())
    if iv.hours_per_week:
        parts.append(cat.gettext("{hours} hours a week").format(hours=cat.number(iv.hours_per_week, 2)))
    return parts


def ended_text(iv: m.Intervention, lang: str) -> str:
    """'Indsatsen »Samtaler« blev afsluttet fra 3. februar 2025: Efter aftale' (FORMAT, third
    edition: an intervention that ends early); empty when it was not ended."""
    if iv.ended is None or iv.ended.start is None:
        return ""
    cat = catalog(lang)
    text = cat.gettext("The intervention “{title}” was ended from {date}").format(
        title=iv.title or iv.id or "", date=d.date_long(iv.ended.start, lang))
    return f"{text}: {iv.ended.reason}" if iv.ended.reason else text
