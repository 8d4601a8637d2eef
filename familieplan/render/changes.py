"""Output of `changes`: text, JSON and Markdown, Danish by default (one da/en table here)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import IO, Any

from familieplan.commands.changes import COPENHAGEN, ChangesResult
from familieplan.commands.plan_diff import Change
from familieplan.format.cpr import mask_cpr
from familieplan.render import danish as d

WORDS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Ændringer i {case}", "since": "siden {what}", "to": "til {what}", "meeting": "mødet {name}",
        "beginning": "sagens begyndelse", "none": "Ingen ændringer.", "internal": "Intern visning: alle ændringer.",
        "for": "Til {name}: kun det, samtykket tillader.", "omitted": "{n} ændring(er) er udeladt, fordi samtykket ikke omfatter dem.",
        "shallow": "Klonen er flad (shallow): historikken før {detail} er ikke med; ændringer tælles derfra.",
        "no-meeting": "Intet møde før i dag: ændringer siden sagens begyndelse.",
        "new-case": "Sagen fandtes ikke endnu ved starten: alt er nyt.",
        "unattributed": "{detail} ændring(er) kunne ikke føres tilbage til en enkelt commit.",
        "when": "Hvornår", "who": "Hvem", "what": "Hvad", "where": "Kilde",
        "on_time": "til tiden", "late": "{n} hverdage for sent", "late1": "1 hverdag for sent",
        "agreement-made": "Aftale {id} indgået: {title}",
        "agreement-changed": "Aftale {id} ændret ({fields}): {title}",
        "agreement-done": "Aftale {id} udført {done}: {title}",
        "agreement-cancelled": "Aftale {id} annulleret: {title}",
        "agreement-reopened": "Aftale {id} genåbnet: {title}",
        "agreement-removed": "Aftale {id} slettet: {title}",
        "question-asked": "{by} spurgte {to} {asked}: {title}",
        "question-answered": "Spørgsmål fra {by} besvaret {answered}, {late}: {title}",
        "question-removed": "Spørgsmål fra {by} slettet: {title}",
        "intervention-added": "Indsats tilføjet: {title}",
        "intervention-ended": "Indsats afsluttes {effective} (før {old_end}): {title}",
        "intervention-rescheduled": "Indsats flyttet fra {effective} ({fields}): {title}",
        "intervention-changed": "Indsats ændret ({fields}): {title}",
        "intervention-removed": "Indsats fjernet: {title}",
        "goal-added": "Mål {id} tilføjet: {title}", "goal-achieved": "Mål {id} nået {achieved}: {title}",
        "goal-changed": "Mål {id} ændret ({fields}): {title}", "goal-removed": "Mål {id} fjernet: {title}",
        "phase-added": "Fase {id} tilføjet: {title}", "phase-changed": "Fase {id} ændret ({fields}): {title}",
        "phase-removed": "Fase {id} fjernet: {title}",
        "person-joined": "{title} er kommet med i sagen", "person-left": "{title} er ikke længere med i sagen",
        "professional-joined": "{title} er kommet med som fagperson",
        "professional-left": "{title} er ikke længere med som fagperson",
        "consent-given": "Samtykke fra {person} givet: {areas} til {departments}",
        "consent-changed": "Samtykke fra {person} ændret ({fields})",
        "consent-withdrawn": "Samtykke fra {person} trukket tilbage {withdrawn}",
        "consent-expired": "Samtykke fra {person} udløb {until}",
        "consent-removed": "Samtykke fra {person} slettet",
        "meeting-held": "Møde holdt {date}: {title}", "meeting-planned": "Møde planlagt {date}: {title}",
        "meeting-removed": "Møde {date} slettet: {title}",
        "f:text": "tekst", "f:responsible": "ansvarlig", "f:due": "frist", "f:answer_within_days": "svartid",
        "f:start": "start", "f:end": "slut", "f:sessions": "mødetider", "f:except_dates": "undtagelser",
        "f:appointments": "aftaler", "f:hours_per_week": "timer om ugen", "f:travel_minutes": "transport",
        "f:title": "titel", "f:department": "afdeling", "f:area": "område", "f:goals": "mål",
        "f:attendees": "deltagere", "f:phase": "fase", "f:person": "person", "f:by": "senest",
        "f:indicator": "indikator", "f:name": "navn", "f:focus": "fokus", "f:areas": "områder",
        "f:departments": "afdelinger", "f:until": "til",
    },
    "en": {
        "title": "Changes in {case}", "since": "since {what}", "to": "to {what}", "meeting": "the meeting {name}",
        "beginning": "the case's beginning", "none": "No changes.", "internal": "Internal view: every change.",
        "for": "For {name}: only what consent allows.", "omitted": "{n} change(s) left out: consent does not cover them.",
        "shallow": "Shallow clone: the history before {detail} is not here; changes are counted from there.",
        "no-meeting": "No meeting before today: changes since the case began.",
        "new-case": "The case did not exist yet at the start: everything is new.",
        "unattributed": "{detail} change(s) could not be traced to a single commit.",
        "when": "When", "who": "Who", "what": "What", "where": "Source",
        "on_time": "on time", "late": "{n} working days late", "late1": "1 working day late",
        "agreement-made": "Agreement {id} made: {title}",
        "agreement-changed": "Agreement {id} changed ({fields}): {title}",
        "agreement-done": "Agreement {id} done {done}: {title}",
        "agreement-cancelled": "Agreement {id} cancelled: {title}",
        "agreement-reopened": "Agreement {id} reopened: {title}",
        "agreement-removed": "Agreement {id} deleted: {title}",
        "question-asked": "{by} asked {to} on {asked}: {title}",
        "question-answered": "Question from {by} answered {answered}, {late}: {title}",
        "question-removed": "Question from {by} deleted: {title}",
        "intervention-added": "Intervention added: {title}",
        "intervention-ended": "Intervention ends {effective} (was {old_end}): {title}",
        "intervention-rescheduled": "Intervention rescheduled from {effective} ({fields}): {title}",
        "intervention-changed": "Intervention changed ({fields}): {title}",
        "intervention-removed": "Intervention removed: {title}",
        "goal-added": "Goal {id} added: {title}", "goal-achieved": "Goal {id} achieved {achieved}: {title}",
        "goal-changed": "Goal {id} changed ({fields}): {title}", "goal-removed": "Goal {id} removed: {title}",
        "phase-added": "Phase {id} added: {title}", "phase-changed": "Phase {id} changed ({fields}): {title}",
        "phase-removed": "Phase {id} removed: {title}",
        "person-joined": "{title} joined the case", "person-left": "{title} left the case",
        "professional-joined": "{title} joined as a professional",
        "professional-left": "{title} left as a professional",
        "consent-given": "Consent from {person} given: {areas} to {departments}",
        "consent-changed": "Consent from {person} changed ({fields})",
        "consent-withdrawn": "Consent from {person} withdrawn {withdrawn}",
        "consent-expired": "Consent from {person} expired {until}",
        "consent-removed": "Consent from {person} deleted",
        "meeting-held": "Meeting held {date}: {title}", "meeting-planned": "Meeting planned {date}: {title}",
        "meeting-removed": "Meeting {date} deleted: {title}",
    },
}


def _word(lang: str, key: str) -> str:
    return WORDS[lang].get(key) or WORDS["da"].get(key) or key.removeprefix("f:")


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
    w = WORDS[lang]
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


def changes_text(result: ChangesResult, out: IO[str], lang: str) -> None:
    lines = _header(result, lang) + [""]
    if not result.changes:
        lines.append(WORDS[lang]["none"])
    for change in result.changes:
        who = f" · {change.commit.author}" if change.commit else ""
        where = f"  ({change.source.path}:{change.source.line})" if change.source else ""
        lines.append(f"{_when(change, lang)}{who}: {sentence(change, result, lang)}{where}")
    out.write(mask_cpr("\n".join(lines)) + "\n")


def changes_md(result: ChangesResult, out: IO[str], lang: str) -> None:
    from familieplan.render.markdown import escape_inline as esc

    w = WORDS[lang]
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


def changes_json(result: ChangesResult, out: IO[str], lang: str) -> None:
    data = {
        "case": result.case, "title": result.title,
        "since": {"rev": result.since.rev, "label": result.since.label, "date": _plain(result.since.day),
                  "meeting": result.since.meeting},
        "to": {"rev": result.to.rev, "label": result.to.label, "date": _plain(result.to.day)},
        "for": result.recipient, "omitted": result.omitted,
        "notes": [{"code": code, "detail": detail} for code, detail in result.notes],
        "changes": [change_json(c, result, lang) for c in result.changes],
    }
    out.write(mask_cpr(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


REPORTERS: dict[str, Callable[[ChangesResult, IO[str], str], None]] = {
    "text": changes_text, "json": changes_json, "md": changes_md,
}
