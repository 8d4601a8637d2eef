"""Words for `fit`: proposals and reasons in Danish (default) or English, as text, JSON
(whose `sessions` paste unchanged into plan.yaml) and Markdown."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import IO

from familieplan.commands.fit import FitResult, Proposal, Reason
from familieplan.render import danish as d
from familieplan.render.load import Describer, number
from familieplan.render.words import TEXT, time_range
from familieplan.schedule.fit import WEEKDAY_IDS, Blocker

# The fixed words of this command, Danish and English side by side.
WORDS = {
    "da": {
        "title": "Hvor passer det?",
        "request": "{n} × {length} om ugen for {people}, {clock} på {days}, {period}",
        "internal": "Intern visning: nævner alle afdelingers aftaler.",
        "for_reader": "Til {name}: nævner kun det, samtykket tillader.",
        "from": "fra {date}",
        "at_most": "højst {hours} timer om ugen",
        "at_most_for": "højst {parts}",
        "hours_first": "{hours} timer om ugen for {name}",
        "hours_for": "{hours} for {name}",
        "warnings": "advarsler",
        "nothing": "Intet passer.",
        "context": "Fejl, som planen allerede har (tæller ikke imod forslagene):",
        "hidden_context": "{n} fejl mere, som samtykket ikke tillader at vise.",
        "hours": "{need} timer om ugen kan ikke rummes: {person} har allerede {existing} timer ({demands}) og en grænse på {limit}",
        "hours_none": "{need} timer om ugen kan ikke rummes: {person} har en grænse på {limit}",
        "others": "andre aftaler",
        "n_others": "{n} andre aftaler",
        "times": "{length} {n} dage om ugen kan ikke rummes {clock}: {free}",
        "free_some": "kun {days} har plads",
        "free_none": "ingen dag har plads",
        "blocker": "{title} ({department}) {clock} for {person}",
        "travel": " med {n} minutters transport hver vej",
        "unavailable": "{person} kan ikke {clock}",
        "no_days": "Perioden har kun {k} dage, hvor forløbet kan finde sted ({days}); {n} om ugen kræver {n}",
        "combination": "Ingen kombination af dage har både ledige tider og plads under ugegrænsen",
        "weeks": "Intet forløb på {n} uger inden for planen (til {date}) kan rummes",
        "earliest": "Det kan rummes fra {date} (til {end})",
        "hour_unit": "{n} timer", "hour_one": "1 time", "minute_unit": "{n} minutter",
        "one_other": "1 anden aftale",
        "proposal": "Forslag", "times_col": "Tider", "period_col": "Periode", "load_col": "Timer om ugen",
        "warn_col": "Advarsler",
        "code_busy-day": "travl dag", "code_short-gap": "kort pause",
        "code_too-many-departments": "mange afdelinger", "code_off-focus": "uden for fasens fokus",
    },
    "en": {
        "title": "Where does it fit?",
        "request": "{n} × {length} a week for {people}, {clock} on {days}, {period}",
        "internal": "Internal view: names every department's appointments.",
        "for_reader": "For {name}: names only what the consent allows.",
        "from": "from {date}",
        "at_most": "at most {hours} hours a week",
        "at_most_for": "at most {parts}",
        "hours_first": "{hours} hours a week for {name}",
        "hours_for": "{hours} for {name}",
        "warnings": "warnings",
        "nothing": "Nothing fits.",
        "context": "Errors the plan already has (not held against the proposals):",
        "hidden_context": "{n} more errors the consent does not allow showing.",
        "hours": "{need} hours a week cannot be fitted: {person} already has {existing} hours ({demands}) and a limit of {limit}",
        "hours_none": "{need} hours a week cannot be fitted: {person} has a limit of {limit}",
        "others": "other appointments",
        "n_others": "{n} other appointments",
        "times": "{length} on {n} days a week cannot be fitted {clock}: {free}",
        "free_some": "only {days} have room",
        "free_none": "no day has room",
        "blocker": "{title} ({department}) {clock} for {person}",
        "travel": " with {n} minutes' travel each way",
        "unavailable": "{person} is not available {clock}",
        "no_days": "The period has only {k} days on which it can take place ({days}); {n} a week needs {n}",
        "combination": "No combination of days has both free times and room under the weekly limit",
        "weeks": "No run of {n} weeks within the plan (until {date}) can be fitted",
        "earliest": "It fits from {date} (until {end})",
        "hour_unit": "{n} hours", "hour_one": "1 hour", "minute_unit": "{n} minutes",
        "one_other": "1 other appointment",
        "proposal": "Proposal", "times_col": "Times", "period_col": "Period", "load_col": "Hours a week",
        "warn_col": "Warnings",
        "code_busy-day": "busy day", "code_short-gap": "short gap",
        "code_too-many-departments": "many departments", "code_off-focus": "off the phase's focus",
    },
}


def _time(value: int) -> dt.time:
    return dt.time(value // 60, value % 60)


def _hhmm(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def _clock(start: int, end: int, lang: str) -> str:
    return time_range(_time(start), _time(min(end, 23 * 60 + 59)), lang)


def _length(minutes: int, lang: str) -> str:
    w = WORDS[lang]
    if minutes == 60:
        return w["hour_one"]
    if minutes % 60 == 0 or minutes > 60:
        return w["hour_unit"].format(n=number(minutes / 60, lang))
    return w["minute_unit"].format(n=minutes)


def _hours(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


class FitWords:
    """Sentences for one result in one language."""

    def __init__(self, result: FitResult, lang: str) -> None:
        self.result = result
        self.lang = lang
        self.w = WORDS[lang]
        self.describer = Describer(result.settings, [result.case] if result.case else [], lang)

    def name(self, some_id: str | None) -> str:
        case = self.result.case
        return case.names.get(some_id or "", some_id or "") if case else (some_id or "")

    def days(self, days: tuple[int, ...]) -> str:
        names = d.WEEKDAYS[self.lang]
        if len(days) >= 3 and list(days) == list(range(days[0], days[-1] + 1)):
            return f"{names[days[0]]}–{names[days[-1]]}"
        return d.join([names[i] for i in days], self.lang)

    def sessions(self, proposal: Proposal) -> str:
        parts = [f"{self.days(days)} {_clock(start, end, self.lang)}" for days, start, end in proposal.sessions()]
        text = d.join(parts, self.lang)
        if proposal.every != 1:
            t = TEXT[self.lang]
            text += ", " + (t["every2"] if proposal.every == 2 else t["everyn"].format(n=proposal.every))
        return text

    def period(self, proposal: Proposal) -> str:
        request = self.result.request
        if request is not None and request.weeks:
            return d.period(proposal.start, proposal.end, self.lang)
        return self.w["from"].format(date=d.date_long(proposal.start, self.lang))

    def load(self, proposal: Proposal) -> str:
        hours = proposal.max_hours
        if len(hours) == 1:
            return self.w["at_most"].format(hours=number(next(iter(hours.values())), self.lang))
        parts = [self.w["hours_first" if i == 0 else "hours_for"].format(hours=number(h, self.lang), name=self.name(p))
                 for i, (p, h) in enumerate(hours.items())]
        return self.w["at_most_for"].format(parts=d.join(parts, self.lang))

    def warnings(self, proposal: Proposal) -> str:
        return ", ".join(self.w[f"code_{code}"] for code in proposal.warnings)

    def proposal(self, proposal: Proposal) -> str:
        text = f"{self.sessions(proposal)}, {self.period(proposal)} — {self.load(proposal)}"
        if proposal.warnings:
            text += f" ({self.w['warnings']}: {self.warnings(proposal)})"
        return text

    def header(self) -> str:
        result, w, lang = self.result, self.w, self.lang
        request = result.request
        assert request is not None and result.window is not None
        demand = request.demand
        people = d.join([self.name(p) for p in request.people], lang)
        return w["request"].format(n=demand.per_week, length=_length(demand.length, lang), people=people,
                                   clock=_clock(*demand.within, lang), days=self.days(tuple(sorted(demand.days))),
                                   period=d.period(*result.window, lang))

    def view(self) -> str:
        request = self.result.request
        if request is None or request.reader is None:
            return self.w["internal"]
        return self.w["for_reader"].format(name=self.name(request.reader))

    def demands(self, reason: Reason) -> str:
        titles = [r.title for r in reason.refs]
        if reason.hidden:
            titles.append(self.w["others"])
        return ", ".join(titles)

    def blocker(self, blocker: Blocker) -> str:
        clock = _clock(blocker.start, blocker.end, self.lang)
        if blocker.ref is None:
            text = self.w["unavailable"].format(person=self.name(blocker.person), clock=clock)
            return f"{text} ({blocker.reason})" if blocker.reason else text
        ref = blocker.ref
        department = self.result.settings.department_name(ref.department) if ref.department else ""
        text = self.w["blocker"].format(title=ref.title, department=department, clock=clock,
                                        person=self.name(blocker.person)).replace(" ()", "")
        return text + (self.w["travel"].format(n=blocker.travel) if blocker.travel else "")

    def reason_lines(self, reason: Reason) -> list[str]:
        """The reason's sentence and, for blocked days, one line per day."""
        w, lang = self.w, self.lang
        request = self.result.request
        assert request is not None
        demand = request.demand
        if reason.kind == "hours" and reason.load is not None:
            load = reason.load
            need = number(demand.per_week * demand.length / 60, lang)
            values = {"need": need, "person": self.name(reason.person), "limit": number(load.limit, lang),
                      "existing": number(load.existing, lang), "demands": self.demands(reason)}
            return [(w["hours"] if reason.refs or reason.hidden else w["hours_none"]).format(**values)]
        if reason.kind == "times":
            free = (w["free_some"].format(days=self.days(reason.free_days)) if reason.free_days else w["free_none"])
            lines = [w["times"].format(length=_length(demand.length, lang), n=demand.per_week,
                                       clock=_clock(*demand.within, lang), free=free)]
            for weekday, blockers, hidden in reason.blocked:
                parts = [self.blocker(b) for b in blockers]
                if hidden:
                    parts.append(w["one_other"] if hidden == 1 else w["n_others"].format(n=hidden))
                lines.append(f"{d.WEEKDAYS[lang][weekday]}: {'; '.join(parts)}")
            return lines
        if reason.kind == "no-days":
            return [w["no_days"].format(k=len(reason.free_days), days=self.days(reason.free_days),
                                        n=demand.per_week)]
        if reason.kind == "weeks" and reason.date is not None:
            return [w["weeks"].format(n=request.weeks, date=d.date_long(reason.date, lang))]
        if reason.kind == "earliest" and reason.date is not None and self.result.window is not None:
            return [w["earliest"].format(date=d.date_long(reason.date, lang),
                                         end=d.date_long(self.result.window[1], lang))]
        return [w["combination"]]


def proposal_json(proposal: Proposal) -> dict[str, object]:
    sessions: list[dict[str, object]] = []
    for days, start, end in proposal.sessions():
        session: dict[str, object] = {"days": [WEEKDAY_IDS[i] for i in days], "from": _hhmm(start), "to": _hhmm(end)}
        if proposal.every != 1:
            session["every"] = proposal.every
        sessions.append(session)
    return {"sessions": sessions, "start": proposal.start.isoformat(), "end": proposal.end.isoformat(),
            "max_hours": {p: _hours(h) for p, h in proposal.max_hours.items()}, "warnings": list(proposal.warnings)}


def reason_json(reason: Reason, words: FitWords) -> dict[str, object]:
    out: dict[str, object] = {"kind": reason.kind, "message": "; ".join(words.reason_lines(reason))}
    if reason.person:
        out["person"] = reason.person
    if reason.date:
        out["date"] = reason.date.isoformat()
    return out


def json_report(result: FitResult, out: IO[str], lang: str) -> None:
    words = FitWords(result, lang)
    data = {"proposals": [proposal_json(p) for p in result.proposals],
            "reasons": [reason_json(r, words) for r in result.reasons]}
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _context_lines(words: FitWords) -> list[str]:
    result = words.result
    lines = [words.describer.message(f) for f in result.context]
    if result.hidden_context:
        lines.append(words.w["hidden_context"].format(n=result.hidden_context))
    return lines


def text_report(result: FitResult, out: IO[str], lang: str) -> None:
    words = FitWords(result, lang)
    title = result.case.title if result.case else ""
    lines = [f"{title} ({result.case.case if result.case else ''}): {words.header()}", words.view(), ""]
    for index, proposal in enumerate(result.proposals, 1):
        lines.append(f"  {index}. {words.proposal(proposal)}")
    if not result.proposals:
        lines.append(words.w["nothing"])
        for reason in result.reasons:
            first, *rest = words.reason_lines(reason)
            lines.append(f"  - {first}.")
            lines += [f"      {line}" for line in rest]
    context = _context_lines(words)
    if context:
        lines += ["", words.w["context"], *[f"  - {line}" for line in context]]
    out.write("\n".join(lines) + "\n")


def md_report(result: FitResult, out: IO[str], lang: str) -> None:
    from familieplan.render.markdown import escape_inline as esc

    words = FitWords(result, lang)
    w = words.w
    title = result.case.title if result.case else ""
    lines = [f"# {w['title']} {esc(title)}", "", esc(words.header()), "", f"*{esc(words.view())}*", ""]
    if result.proposals:
        lines += [f"| # | {w['times_col']} | {w['period_col']} | {w['load_col']} | {w['warn_col']} |",
                  "|---:|---|---|---|---|"]
        for index, p in enumerate(result.proposals, 1):
            lines.append(f"| {index} | {esc(words.sessions(p))} | {esc(words.period(p))} | "
                         f"{esc(words.load(p))} | {esc(words.warnings(p))} |")
    else:
        lines += [w["nothing"], ""]
        for reason in result.reasons:
            first, *rest = words.reason_lines(reason)
            lines.append(f"- {esc(first)}.")
            lines += [f"  - {esc(line)}" for line in rest]
    context = _context_lines(words)
    if context:
        lines += ["", w["context"], "", *[f"- {esc(line)}" for line in context]]
    out.write("\n".join(lines) + "\n")


REPORTERS: dict[str, Callable[..., None]] = {"text": text_report, "json": json_report, "md": md_report}
