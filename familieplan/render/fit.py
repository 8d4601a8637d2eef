"""Words for `fit`: proposals and reasons in Danish (default) or English, as text, JSON
(whose `sessions` paste unchanged into plan.yaml) and Markdown."""

from __future__ import annotations

import datetime as dt
from typing import IO, TYPE_CHECKING

from familieplan.commands.fit_records import FitResult, Proposal, Reason
from familieplan.problems import N_
from familieplan.render import danish as d
from familieplan.render import terminal
from familieplan.render.catalog import catalog
from familieplan.render.finding_words import Describer
from familieplan.render.jsonout import problem_rows, rows_json, write_json
from familieplan.schedule.fit import WEEKDAY_IDS, Blocker, WeekLoad

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter

# The fixed words of this command: English message ids, translated by the one catalog
# (familieplan/locale); `FitWords.w[key]` gives them in the reader's language.
WORDS: dict[str, str] = {
    "title": N_("Where does it fit?"),
    "request": N_("{n} × {length} a week for {people}, {clock} on {days}, {period}"),
    "internal": N_("Internal view: names every department's appointments."),
    "for_reader": N_("For {name}: names only what the consent allows."),
    "from": N_("from {date}"),
    "at_most": N_("at most {hours} hours a week"),
    "at_most_for": N_("at most {parts}"),
    "hours_first": N_("{hours} hours a week for {name}"),
    "hours_for": N_("{hours} for {name}"),
    "warnings": N_("warnings"),
    "nothing": N_("Nothing fits."),
    "context": N_("Errors the plan already has (not held against the proposals):"),
    "hidden_context": N_("{n} more errors the consent does not allow showing."),
    "hours": N_("{need} hours a week cannot be fitted: {person} already has {existing} hours ({demands}) and a limit of {limit}"),
    "hours_none": N_("{need} hours a week cannot be fitted: {person} has a limit of {limit}"),
    "others": N_("other appointments"),
    "n_others": N_("{n} other appointments"),
    "times": N_("{length} on {n} days a week cannot be fitted {clock}: {free}"),
    "free_some": N_("only {days} have room"),
    "free_none": N_("no day has room"),
    "blocker": N_("{title} ({department}) {clock} for {person}"),
    "travel": N_(" with {n} minutes' travel each way"),
    "unavailable": N_("{person} is not available {clock}"),
    "no_days": N_("The period has only {k} days on which it can take place ({days}); {n} a week needs {n}"),
    "combination": N_("No combination of days has both free times and room under the weekly limit"),
    "weeks": N_("No run of {n} weeks within the plan (until {date}) can be fitted"),
    "earliest": N_("It fits from {date} (until {end})"),
    "hour_unit": N_("{n} hours"),
    "hour_one": N_("1 hour"),
    "minute_unit": N_("{n} minutes"),
    "one_other": N_("1 other appointment"),
    "proposal": N_("Proposal"),
    "times_col": N_("Times"),
    "period_col": N_("Period"),
    "load_col": N_("Hours a week"),
    "warn_col": N_("Warnings"),
    "code_busy-day": N_("busy day"),
    "code_short-gap": N_("short gap"),
    "code_too-many-departments": N_("many departments"),
    "code_off-focus": N_("off the phase's focus"),
}


def _time(value: int) -> dt.time:
    return dt.time(value // 60, value % 60)


def _hhmm(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


class _Words:
    """The command's words in one language."""

    def __init__(self, lang: str) -> None:
        self.gettext = catalog(lang).gettext

    def __getitem__(self, key: str) -> str:
        return self.gettext(WORDS[key])


def number(value: float, lang: str) -> str:
    return catalog(lang).number(value)


def _clock(start: int, end: int, lang: str) -> str:
    return d.time_range(_time(start), _time(min(end, 23 * 60 + 59)), lang)


def _length(minutes: int, lang: str) -> str:
    w = _Words(lang)
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
        self.w = _Words(lang)
        self.describer = Describer(result.settings, [result.case] if result.case else [], lang)

    def name(self, some_id: str | None) -> str:
        case = self.result.case
        return case.names.get(some_id or "", some_id or "") if case else (some_id or "")

    def days(self, days: tuple[int, ...]) -> str:
        names = [d.weekday(i, self.lang) for i in range(7)]
        if len(days) >= 3 and list(days) == list(range(days[0], days[-1] + 1)):
            return f"{names[days[0]]}–{names[days[-1]]}"
        return d.join([names[i] for i in days], self.lang)

    def sessions(self, proposal: Proposal) -> str:
        parts = [f"{self.days(days)} {_clock(start, end, self.lang)}" for days, start, end in proposal.sessions()]
        text = d.join(parts, self.lang)
        if proposal.every != 1:
            cat = catalog(self.lang)
            text += ", " + (cat.gettext("every other week") if proposal.every == 2
                            else cat.gettext("every {n}th week").format(n=proposal.every))
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
            return [self._hours_sentence(reason, reason.load)]
        if reason.kind == "times":
            return self._times_lines(reason)
        if reason.kind == "no-days":
            return [w["no_days"].format(k=len(reason.free_days), days=self.days(reason.free_days),
                                        n=demand.per_week)]
        if reason.kind == "weeks" and reason.date is not None:
            return [w["weeks"].format(n=request.weeks, date=d.date_long(reason.date, lang))]
        if reason.kind == "earliest" and reason.date is not None and self.result.window is not None:
            return [w["earliest"].format(date=d.date_long(reason.date, lang),
                                         end=d.date_long(self.result.window[1], lang))]
        return [w["combination"]]

    def _hours_sentence(self, reason: Reason, load: WeekLoad) -> str:
        """Too many hours: what the new demand needs against the person's limit and load."""
        lang = self.lang
        assert self.result.request is not None
        demand = self.result.request.demand
        need = number(demand.per_week * demand.length / 60, lang)
        values = {"need": need, "person": self.name(reason.person), "limit": number(load.limit, lang),
                  "existing": number(load.existing, lang), "demands": self.demands(reason)}
        return (self.w["hours"] if reason.refs or reason.hidden else self.w["hours_none"]).format(**values)

    def _times_lines(self, reason: Reason) -> list[str]:
        """No free times: the sentence, then each blocked weekday with what blocks it."""
        w, lang = self.w, self.lang
        assert self.result.request is not None
        demand = self.result.request.demand
        free = (w["free_some"].format(days=self.days(reason.free_days)) if reason.free_days else w["free_none"])
        lines = [w["times"].format(length=_length(demand.length, lang), n=demand.per_week,
                                   clock=_clock(*demand.within, lang), free=free)]
        for weekday, blockers, hidden in reason.blocked:
            parts = [self.blocker(b) for b in blockers]
            if hidden:
                parts.append(w["one_other"] if hidden == 1 else w["n_others"].format(n=hidden))
            lines.append(f"{d.weekday(weekday, lang)}: {'; '.join(parts)}")
        return lines


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


def json_report(result: FitResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    """{"problems", "proposals", "reasons", "summary"} in the one JSON style (docs/guide.md,
    "JSON output"); each proposal's `sessions` paste unchanged into plan.yaml."""
    words = FitWords(result, lang)
    window = result.window
    write_json(out, {
        "problems": problem_rows(result.problems, lang),
        "proposals": rows_json([proposal_json(p) for p in result.proposals]),
        "reasons": rows_json([reason_json(r, words) for r in result.reasons]),
    }, {"case": result.case.case if result.case else None, "fits": result.fits, "proposals": len(result.proposals),
        "from": window[0].isoformat() if window else None, "to": window[1].isoformat() if window else None,
        **_reader_summary(result)})


def _reader_summary(result: FitResult) -> dict[str, object]:
    reader = result.request.reader if result.request else None
    return {"for": reader, "omitted": omitted(result)} if reader else {}


def omitted(result: FitResult) -> int:
    """How many demands and errors were left out for the reader (> 0 exactly when any was)."""
    blocked = sum(hidden for r in result.reasons for _, _, hidden in r.blocked)
    return result.hidden_context + sum(r.hidden for r in result.reasons) + blocked


def _context_lines(words: FitWords) -> list[str]:
    result = words.result
    lines = [words.describer.message(f) for f in result.context]
    if result.hidden_context:
        lines.append(words.w["hidden_context"].format(n=result.hidden_context))
    return lines


def text_report(result: FitResult, out: IO[str], lang: str, color: bool | None = None) -> None:
    words = FitWords(result, lang)
    title = result.case.title if result.case else ""
    with terminal.Writer(out, color) as lines:
        lines.line((title, "bold cyan"), f" ({result.case.case if result.case else ''}): {words.header()}")
        lines.line((words.view(), "dim"))
        lines.line()
        for index, proposal in enumerate(result.proposals, 1):
            lines.line(f"{index}. {words.proposal(proposal)}", indent=2, hang=3)
        if not result.proposals:
            lines.line((words.w["nothing"], "bold red"))
            for reason in result.reasons:
                first, *rest = words.reason_lines(reason)
                lines.line(f"- {first}.", indent=2)
                for line in rest:
                    lines.line(line, indent=6)
        context = _context_lines(words)
        if context:
            lines.line()
            lines.line((words.w["context"], "yellow"))
            for line in context:
                lines.line(f"- {line}", indent=2)


def md_report(result: FitResult, out: IO[str], lang: str, color: bool | None = None) -> None:
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


REPORTERS: dict[str, Reporter] = {"text": text_report, "json": json_report, "md": md_report}
