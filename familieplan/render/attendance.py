"""Words for attendance: the `absence-with-cause` sentence and the attendance rows of
`check-load` and `report` (Danish by default, English on request). Its fixed words are
in one da/en table, `WORDS`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from familieplan.checks.load import Finding
from familieplan.model import Settings
from familieplan.render import danish as d
from familieplan.schedule.attendance import AttendanceTally

WORDS = {
    "da": {
        "cancelled": "Afbud til {what} {when}", "no-show": "Udeblivelse fra {what} {when}",
        "coincided": "faldt sammen med {causes} — mulig rimelig grund",
        "unavailable": "et tidsrum, hvor {person} ikke kan{why}",
        "over": "en uge med {hours} timer (grænse {limit})",
        "title": "Fremmøde", "until": "til og med {date}",
        "row": "{what}: {planned} planlagt, {cancelled} afbud, {no_show} udeblevet, fremmøde {rate}",
        "person": "Person", "what": "Indsats", "planned": "Planlagt", "cancelled_h": "Afbud",
        "no_show_h": "Udeblevet", "rate": "Fremmøde", "none": "–",
    },
    "en": {
        "cancelled": "Cancellation of {what} {when}", "no-show": "No-show at {what} {when}",
        "coincided": "coincided with {causes} — possibly a reasonable cause",
        "unavailable": "a time {person} is not available{why}",
        "over": "a week of {hours} hours (limit {limit})",
        "title": "Attendance", "until": "up to and including {date}",
        "row": "{what}: {planned} planned, {cancelled} cancelled, {no_show} no-show, attendance {rate}",
        "person": "Person", "what": "Intervention", "planned": "Planned", "cancelled_h": "Cancelled",
        "no_show_h": "No-show", "rate": "Attendance", "none": "–",
    },
}


def _number(value: float, lang: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "da" else text


def clock(start: int | None, end: int | None, lang: str) -> str:
    """'kl. 8.30–13.30' / '08:30–13:30' from minutes after midnight."""
    if start is None or end is None:
        return ""
    a, b = dt.time(start // 60, start % 60), dt.time(end // 60, end % 60)
    if lang == "da":
        return f"kl. {d.time_short(a)}–{d.time_short(b)}"
    return f"{d.time_hhmm(a)}–{d.time_hhmm(b)}"


def rate_text(tally: AttendanceTally, lang: str) -> str:
    rate = tally.rate
    return WORDS[lang]["none"] if rate is None else f"{_number(rate * 100, lang)} %"


def absence_message(f: Finding, settings: Settings, name: Callable[[str], str], lang: str) -> str:
    """'Udeblivelse fra Samtaler i jobcentret (Jobcentret) 4. marts 2026 kl. 12–13 faldt
    sammen med Brobygningsforløb kl. 8.30–13.30 (Jobcentret) — mulig rimelig grund'."""
    w = WORDS[lang]
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
            text = w["unavailable"].format(person=name(f.person), why=why)
            causes.append(f"{text} {clock(cause['start'], cause['end'], lang)}")
        else:
            causes.append(w["over"].format(hours=_number(cause["hours"], lang), limit=_number(cause["limit"], lang)))
    start = f.detail.get("absent_start")
    when = d.date_long(f.first, lang)
    if isinstance(start, int):
        at = dt.time(start // 60, start % 60)
        when = f"{when} kl. {d.time_short(at)}" if lang == "da" else f"{when} at {d.time_hhmm(at)}"
    what = labelled(absent.title, absent.department)
    head = w[str(f.detail.get("status"))].format(what=what, when=when)
    return f"{head} {w['coincided'].format(causes=d.join(causes, lang))}"


def tally_line(tally: AttendanceTally, lang: str) -> str:
    w = WORDS[lang]
    return w["row"].format(what=tally.ref.title, planned=tally.planned, cancelled=tally.cancelled,
                           no_show=tally.no_show, rate=rate_text(tally, lang))


def tally_json(tally: AttendanceTally) -> dict[str, object]:
    return {"kind": "attendance", "case": tally.case, "person": tally.person, "intervention": tally.ref.id,
            "department": tally.ref.department, "from": tally.first.isoformat(), "to": tally.last.isoformat(),
            "planned": tally.planned, "cancelled": tally.cancelled, "no_show": tally.no_show,
            "attended": tally.attended, "rate": None if tally.rate is None else round(tally.rate, 4)}


def period_text(tally: AttendanceTally, lang: str) -> str:
    return d.period(tally.first, tally.last, lang)


def md_table(tallies: list[AttendanceTally], name: Callable[[str, str], str], lang: str,
             escape: Callable[[str], str]) -> list[str]:
    """A Markdown table of attendance rows (one per person and intervention)."""
    w = WORDS[lang]
    lines = [f"| {w['person']} | {w['what']} | {w['planned']} | {w['cancelled_h']} | {w['no_show_h']} | {w['rate']} |",
             "|---|---|---:|---:|---:|---:|"]
    for t in tallies:
        lines.append(f"| {escape(name(t.case, t.person))} | {escape(t.ref.title)} | {t.planned} | {t.cancelled} | "
                     f"{t.no_show} | {rate_text(t, lang)} |")
    return lines
