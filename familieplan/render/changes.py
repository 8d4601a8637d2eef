"""Output of `changes`: text, JSON and Markdown, Danish by default (one da/en table here)."""

from __future__ import annotations

import datetime as dt
import io
from typing import IO, TYPE_CHECKING, Any

from familieplan.clock import COPENHAGEN
from familieplan.commands.changes import ChangesResult
from familieplan.commands.plan_diff import Change
from familieplan.format.cpr import mask_cpr
from familieplan.problems import N_
from familieplan.render import danish as d
from familieplan.render import terminal
from familieplan.render.catalog import catalog
from familieplan.render.jsonout import problem_rows, rows_json, write_json

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter

# The fixed words of this command: English message ids, translated by the one catalog.
WORDS: dict[str, str] = {
    "title": N_("Changes in {case}"),
    "since": N_("since {what}"),
    "to": N_("to {what}"),
    "meeting": N_("the meeting {name}"),
    "beginning": N_("the case's beginning"),
    "none": N_("No changes."),
    "internal": N_("Internal view: every change."),
    "for": N_("For {name}: only what consent allows."),
    "omitted": N_("{n} change(s) left out: consent does not cover them."),
    "shallow": N_("Shallow clone: the history before {detail} is not here; changes are counted from there."),
    "no-meeting": N_("No meeting before today: changes since the case began."),
    "new-case": N_("The case did not exist yet at the start: everything is new."),
    "unattributed": N_("{detail} change(s) could not be traced to a single commit."),
    "when": N_("When"),
    "who": N_("Who"),
    "what": N_("What"),
    "where": N_("Source"),
    "on_time": N_("on time"),
    "late": N_("{n} working days late"),
    "late1": N_("1 working day late"),
    "agreement-made": N_("Agreement {id} made: {title}"),
    "agreement-changed": N_("Agreement {id} changed ({fields}): {title}"),
    "agreement-done": N_("Agreement {id} done {done}: {title}"),
    "agreement-cancelled": N_("Agreement {id} cancelled: {title}"),
    "agreement-reopened": N_("Agreement {id} reopened: {title}"),
    "agreement-removed": N_("Agreement {id} deleted: {title}"),
    "question-asked": N_("{by} asked {to} on {asked}: {title}"),
    "question-answered": N_("Question from {by} answered {answered}, {late}: {title}"),
    "question-removed": N_("Question from {by} deleted: {title}"),
    "intervention-added": N_("Intervention added: {title}"),
    "intervention-ended": N_("Intervention ends {effective} (was {old_end}): {title}"),
    "intervention-rescheduled": N_("Intervention rescheduled from {effective} ({fields}): {title}"),
    "intervention-changed": N_("Intervention changed ({fields}): {title}"),
    "intervention-removed": N_("Intervention removed: {title}"),
    "goal-added": N_("Goal {id} added: {title}"),
    "goal-achieved": N_("Goal {id} achieved {achieved}: {title}"),
    "goal-changed": N_("Goal {id} changed ({fields}): {title}"),
    "goal-removed": N_("Goal {id} removed: {title}"),
    "phase-added": N_("Phase {id} added: {title}"),
    "phase-changed": N_("Phase {id} changed ({fields}): {title}"),
    "phase-removed": N_("Phase {id} removed: {title}"),
    "person-joined": N_("{title} joined the case"),
    "person-left": N_("{title} left the case"),
    "professional-joined": N_("{title} joined as a professional"),
    "professional-left": N_("{title} left as a professional"),
    "consent-given": N_("Consent from {person} given: {areas} to {departments}"),
    "consent-changed": N_("Consent from {person} changed ({fields})"),
    "consent-withdrawn": N_("Consent from {person} withdrawn {withdrawn}"),
    "consent-expired": N_("Consent from {person} expired {until}"),
    "consent-removed": N_("Consent from {person} deleted"),
    "meeting-held": N_("Meeting held {date}: {title}"),
    "meeting-planned": N_("Meeting planned {date}: {title}"),
    "meeting-removed": N_("Meeting {date} deleted: {title}"),
    "attendance-cancelled": N_("{person} cancelled {date}: {title}"),
    "attendance-no-show": N_("{person} did not show up {date}: {title}"),
    "attendance-attended": N_("{person} attended {date}: {title}"),
    "measurement-recorded": N_("Measurement of goal {goal} on {date}: {value}"),
}

# The names of the fields a change names, as the reader says them.
FIELDS: dict[str, str] = {
    "text": N_("field: wording"),
    "responsible": N_("field: responsible professional"),
    "due": N_("field: deadline"),
    "answer_within_days": N_("field: answer time"),
    "start": N_("field: start date"),
    "end": N_("field: end date"),
    "sessions": N_("field: session times"),
    "except_dates": N_("field: exceptions"),
    "appointments": N_("field: appointments"),
    "hours_per_week": N_("field: hours a week"),
    "travel_minutes": N_("field: travel"),
    "title": N_("field: title"),
    "department": N_("field: department"),
    "area": N_("field: area"),
    "goals": N_("field: goals"),
    "attendees": N_("field: attendees"),
    "phase": N_("field: phase"),
    "person": N_("field: person"),
    "by": N_("field: deadline"),
    "indicator": N_("field: indicator"),
    "name": N_("field: name"),
    "focus": N_("field: focus"),
    "areas": N_("field: areas"),
    "departments": N_("field: departments"),
    "until": N_("field: end of consent"),
}


class _Words:
    """The command's words in one language (`w[key]`)."""

    def __init__(self, lang: str) -> None:
        self.gettext = catalog(lang).gettext

    def __getitem__(self, key: str) -> str:
        return self.gettext(WORDS[key])

    def __contains__(self, key: str) -> bool:
        return key in WORDS


def _word(lang: str, key: str) -> str:
    if key.startswith("f:"):
        name = key[2:]
        label = FIELDS.get(name)
        return catalog(lang).gettext(label).removeprefix("field: ") if label else name
    return catalog(lang).gettext(WORDS[key])


def _value(value: object, result: ChangesResult, lang: str) -> str:
    if isinstance(value, dt.date):
        return d.date_long(value, lang)
    if isinstance(value, (list, tuple)):
        return d.join([_value(v, result, lang) for v in value], lang)
    if value is None:
        return "–"
    return result.names.get(str(value), str(value))


def sentence(change: Change, result: ChangesResult, lang: str) -> str:
    """One change as a sentence in the plan's own terms."""
    values: dict[str, str] = {"id": change.id, "title": change.title or change.id,
                              "effective": _value(change.effective, result, lang)}
    for key, value in change.details.items():
        if key == "fields":
            names = value if isinstance(value, list) else list(value)
            values["fields"] = d.join([_word(lang, f"f:{n}") for n in names], lang)
        else:
            values[key] = _value(value, result, lang)
    if change.areas:
        values["areas"] = d.join(list(change.areas), lang)
    if change.kind == "question-answered":
        n = int(change.details.get("late_days") or 0)
        values["late"] = _word(lang, "on_time") if n == 0 else (_word(lang, "late1") if n == 1
                                                                else _word(lang, "late").format(n=n))
    if change.kind == "question-asked" or change.kind == "question-answered":
        values.setdefault("asked", "–")
    return mask_cpr(_word(lang, change.kind).format_map(_Default(values)))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "–"


def _header(result: ChangesResult, lang: str) -> list[str]:
    w = _Words(lang)
    if result.since.meeting:
        since = w["meeting"].format(name=result.since.meeting)
    elif result.since.rev is None:
        since = w["beginning"]
    else:
        since = result.since.label or result.since.rev[:10]
    if result.since.day:
        since += f" ({d.date_long(result.since.day, lang)})"
    to = result.to.label + (f" ({d.date_long(result.to.day, lang)})" if result.to.day else "")
    lines = [f"{w['title'].format(case=f'{result.title} ({result.case})')} "
             f"{w['since'].format(what=since)} {w['to'].format(what=to)}"]
    if result.recipient is None:
        lines.append(w["internal"])
    else:
        lines.append(w["for"].format(name=result.names.get(result.recipient, result.recipient)))
        if result.omitted:
            lines.append(w["omitted"].format(n=result.omitted))
    lines += [w[code].format(detail=detail) for code, detail in result.notes if code in w]
    return lines


def _when(change: Change, lang: str) -> str:
    if change.commit is not None:
        return d.date_long(change.commit.date.astimezone(COPENHAGEN).date(), lang)
    return d.date_long(change.effective, lang) if change.effective else "–"


def changes_text(result: ChangesResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    header = _header(result, lang)
    with terminal.Writer(out, color) as lines:
        lines.line((header[0], "bold cyan"))
        for line in header[1:]:
            lines.line((line, "dim"))
        lines.line()
        if not result.changes:
            lines.line(_word(lang, "none"))
        for change in result.changes:
            who = f" · {change.commit.author}" if change.commit else ""
            where = f"  ({change.source.path}:{change.source.line})" if change.source else ""
            lines.line(f"{_when(change, lang)}{who}: {sentence(change, result, lang)}", (where, "dim"), hang=4)


def changes_md(result: ChangesResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    from familieplan.render.markdown import escape_inline as esc

    w = _Words(lang)
    header = _header(result, lang)
    lines = [f"# {esc(header[0])}", "", *(esc(line) + "  " for line in header[1:]), ""]
    if not result.changes:
        lines.append(w["none"])
    else:
        lines += [f"| {w['when']} | {w['who']} | {w['what']} | {w['where']} |", "|---|---|---|---|"]
        for change in result.changes:
            where = f"{change.source.path}:{change.source.line}" if change.source else ""
            lines.append(f"| {esc(_when(change, lang))} | {esc(change.commit.author if change.commit else '')} | "
                         f"{esc(sentence(change, result, lang))} | {esc(where)} |")
    out.write(mask_cpr("\n".join(lines).rstrip()) + "\n")


def _plain(value: object) -> Any:
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def change_json(change: Change, result: ChangesResult, lang: str) -> dict[str, Any]:
    commit = change.commit
    return {
        "kind": change.kind, "item": change.item, "id": change.id, "title": change.title,
        "area": change.area, "areas": list(change.areas), "details": _plain(dict(change.details)),
        "effective": _plain(change.effective),
        "commit": {"sha": commit.sha, "date": commit.date.isoformat(), "author": commit.author} if commit else None,
        "path": change.source.path if change.source else None, "line": change.source.line if change.source else None,
        "message": sentence(change, result, lang),
    }


def changes_json(result: ChangesResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    """{"problems", "changes", "notes", "summary"} in the one JSON style (docs/guide.md,
    "JSON output"): the summary says what was compared (case, since, to, for, omitted)."""
    summary: dict[str, object] = {
        "case": result.case, "title": result.title,
        "since": {"rev": result.since.rev, "label": result.since.label, "date": _plain(result.since.day),
                  "meeting": result.since.meeting},
        "to": {"rev": result.to.rev, "label": result.to.label, "date": _plain(result.to.day)},
        "for": result.recipient, "omitted": result.omitted, "changes": len(result.changes),
    }
    written = io.StringIO()  # masked as a whole, as the other formats (a sentence may hold a number)
    write_json(written, {
        "problems": problem_rows(result.problems, lang),
        "changes": rows_json([change_json(c, result, lang) for c in result.changes]),
        "notes": rows_json([{"code": code, "detail": detail} for code, detail in result.notes]),
    }, summary)
    out.write(mask_cpr(written.getvalue()))


REPORTERS: dict[str, Reporter] = {"text": changes_text, "json": changes_json, "md": changes_md}
