"""Words for attendance: the `absence-with-cause` sentence and the attendance rows of
`check-load` and `report` (Danish by default, English on request), from the one catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from familieplan.problems import N_
from familieplan.render import danish as d
from familieplan.render.catalog import catalog
from familieplan.schedule.attendance import AttendanceTally
from familieplan.schedule.findings import Finding
from familieplan.settings import Settings

HEADS = {
    "cancelled": N_("Cancellation of {what} {when}"),
    "no-show": N_("No-show at {what} {when}"),
}
NONE = "–"


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def clock(start: int | None, end: int | None, lang: str) -> str:
    """'kl. 8.30–13.30' / '08:30–13:30' from minutes after midnight."""
    if start is None or end is None:
        return ""
    return d.time_range(_time(start), _time(end), lang)


def title(lang: str) -> str:
    return catalog(lang).gettext("Attendance")


def until(day: dt.date, lang: str) -> str:
    return catalog(lang).gettext("up to and including {date}").format(date=d.date_long(day, lang))


def rate_text(tally: AttendanceTally, lang: str) -> str:
    rate = tally.rate
    return NONE if rate is None else f"{catalog(lang).number(rate * 100)} %"


def absence_message(f: Finding, settings: Settings, name: Callable[[str], str], lang: str) -> str:
    """'Udeblivelse fra Samtaler i jobcentret (Jobcentret) 4. marts 2026 kl. 12 faldt
    sammen med Brobygningsforløb kl. 8.30–13.30 (Jobcentret) — mulig rimelig grund'."""
    cat = catalog(lang)
    _ = cat.gettext
    absent = f.refs[0]

    def labelled(ref_title: str, department: str | None, when: str = "") -> str:
        dept = f" ({settings.department_name(department)})" if department else ""
        return f"{ref_title}{' ' + when if when else ''}{dept}"

    refs = {r.id: r for r in f.refs}
    causes = []
    for cause in f.detail.get("causes", []):  # type: ignore[attr-defined]
        kind = cause["kind"]
        if kind == "overlap":
            ref = refs[cause["with"]]
            causes.append(labelled(ref.title, ref.department, clock(cause["start"], cause["end"], lang)))
        elif kind == "unavailable":
            why = f" ({cause['reason']})" if cause.get("reason") else ""
            text = _("a time {person} is not available{why}").format(person=name(f.person), why=why)
            causes.append(f"{text} {clock(cause['start'], cause['end'], lang)}")
        else:
            causes.append(_("a week of {hours} hours (limit {limit})").format(
                hours=cat.number(cause["hours"]), limit=cat.number(cause["limit"])))
    start = f.detail.get("absent_start")
    when = d.date_long(f.first, lang)
    if isinstance(start, int):
        when = _("{date} at {time}").format(date=when, time=d.clock(_time(start), lang))
    what = labelled(absent.title, absent.department)
    head = _(HEADS[str(f.detail.get("status"))]).format(what=what, when=when)
    coincided = _("coincided with {causes} — possibly a reasonable cause").format(causes=d.join(causes, lang))
    return f"{head} {coincided}"


def tally_line(tally: AttendanceTally, lang: str) -> str:
    return catalog(lang).gettext(
        "{what}: {planned} planned, {cancelled} cancelled, {no_show} no-show, attendance {rate}").format(
        what=tally.ref.title, planned=tally.planned, cancelled=tally.cancelled, no_show=tally.no_show,
        rate=rate_text(tally, lang))


def tally_json(tally: AttendanceTally) -> dict[str, object]:
    return {"case": tally.case, "person": tally.person, "intervention": tally.ref.id,
            "department": tally.ref.department, "from": tally.first.isoformat(), "to": tally.last.isoformat(),
            "planned": tally.planned, "cancelled": tally.cancelled, "no_show": tally.no_show,
            "attended": tally.attended, "rate": None if tally.rate is None else round(tally.rate, 4)}


def md_table(tallies: list[AttendanceTally], name: Callable[[str, str], str], lang: str,
             escape: Callable[[str], str]) -> list[str]:
    """A Markdown table of attendance rows (one per person and intervention)."""
    _ = catalog(lang).gettext
    heads = (_("Person"), _("Intervention"), _("Planned"), _("Cancelled"), _("No-show"), _("Attendance"))
    lines = ["| " + " | ".join(heads) + " |", "|---|---|---:|---:|---:|---:|"]
    for t in tallies:
        lines.append(f"| {escape(name(t.case, t.person))} | {escape(t.ref.title)} | {t.planned} | {t.cancelled} | "
                     f"{t.no_show} | {rate_text(t, lang)} |")
    return lines
