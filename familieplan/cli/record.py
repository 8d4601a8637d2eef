"""The record commands: one event of a caseworker's day into a case's files, without an
editor (agree, done, cancel, ask, answer, absent, measure, consent, withdraw, end).

Each parses its options, asks for a missing required value when run in a terminal (and
only then: elsewhere it is a usage error), calls `api.record` with the event and prints
what was written (`render/record.py`). Exit 0 written, 1 refused because the record would
add an error to the case, 2 a refusal of the input.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from familieplan.cli.app import app
from familieplan.cli.options import (
    CaseArg,
    LangOpt,
    Language,
    TodayOpt,
    WorkspaceOpt,
    _cli_words,
    _complete_person,
    _date,
    _lang,
    _root,
    _today,
    complete_agreement,
    complete_consent,
    complete_goal,
    complete_intervention,
    complete_meeting,
    complete_question,
)
from familieplan.problems import N_, UsageError


class RecordFormat(str, Enum):
    text = "text"
    json = "json"


class AbsenceStatus(str, Enum):
    cancelled = "cancelled"
    no_show = "no-show"


FormatOpt = typer.Option("text", "--format", "-f", help="Output format (json: the new entry with its file and line).")
DryRunOpt = typer.Option(False, "--dry-run", "-n", help="Print the change as a diff; write nothing.")
DateOpt = typer.Option(None, "--date", help="The day it happened (default: today's date).")


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


class _Asker:
    """Missing required values: prompted in a terminal (in the reader's language, with a
    default and the ids to choose from), else a usage error. Ctrl-C writes nothing."""

    def __init__(self, workspace: Path | None, case: str, lang: Language | None) -> None:
        self.root = _root(workspace)
        self.case, self.given_lang = case, lang
        self.lang = _lang(lang, workspace=self.root)
        self._choices: Any = None

    @property
    def choices(self) -> Any:
        if self._choices is None:
            from familieplan.commands.record_checks import case_choices

            self._choices = case_choices(self.root, self.case)
        return self._choices

    def need(self, value: str | None, option: str, prompt: str, default: str | None = None,
             listed: Sequence[str] = ()) -> str:
        if value is not None:
            return value
        if not _interactive():
            raise UsageError(N_("{option} is missing: give it, or run the command in a terminal to be asked"),
                             option=option)
        _ = _cli_words(self.lang).gettext
        text = _(prompt)
        if listed:
            text += f" ({', '.join(listed)})"
        try:
            answer = typer.prompt(text, default=default) if default else typer.prompt(text)
        except typer.Abort:  # Ctrl-C or the end of input at the prompt
            typer.echo("")
            typer.echo(_("interrupted: nothing written"), err=True)
            raise typer.Exit(130) from None
        return str(answer).strip()

    def id(self, value: str | None, option: str, prompt: str, kind: str, default: str | None = None) -> str:
        """An id: asked for with the case's ids of `kind` listed (and `default` offered)."""
        asked = value is None and _interactive()
        return self.need(value, option, prompt, default if asked else None,
                         tuple(getattr(self.choices, kind)) if asked else ())

    def run(self, event: Any, today: str | None, dry_run: bool, fmt: RecordFormat) -> None:
        """Record the event and print what was written; exit 1 when it was refused."""
        from familieplan import api
        from familieplan.render.reporters import report

        result = api.record(self.root, self.case, event, today=_today(today), dry_run=dry_run)
        report("record", result, fmt.value, sys.stdout, self.lang)
        raise typer.Exit(1 if result.refused else 0)

    def coordinator(self) -> str | None:
        """The case's coordinator, the default of a prompt for a responsible (read only to be asked)."""
        return self.choices.coordinator if _interactive() else None

    def day(self, value: str | None, option: str, prompt: str) -> Any:
        from familieplan.clock import today

        return _date(self.need(value, option, prompt, today().isoformat()), option)



def _within(due: str | None, within: int | None) -> Any:
    if due is not None and within is not None:
        raise UsageError(N_("give --due or --within, not both"))
    return _date(due, "--due")


@app.command()
def agree(
    case: str = CaseArg,
    text: str | None = typer.Argument(None, help="What was agreed."),
    responsible: str | None = typer.Option(None, "--responsible", "-r", help="Who keeps it: a person or professional id.",
                                           autocompletion=_complete_person),
    due: str | None = typer.Option(None, "--due", help="Due date (YYYY-MM-DD)."),
    within: int | None = typer.Option(None, "--within", min=0, max=365, help="Due this many working days after it is made."),
    area: str | None = typer.Option(None, "--area", help="The life area: decides who may read it."),
    intervention: str | None = typer.Option(None, "--intervention", help="The intervention it is about.",
                                            autocompletion=complete_intervention),
    meeting: str | None = typer.Option(None, "--meeting", help="The meeting it was made at (file name without .yaml).",
                                       autocompletion=complete_meeting),
    date: str | None = typer.Option(None, "--date", help="The day it was made (default: today's date)."),
    today: str | None = TodayOpt, dry_run: bool = DryRunOpt, fmt: RecordFormat = FormatOpt,
    workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """Add an agreement with the next free id."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    said = ask.need(text, "TEXT", N_("What was agreed"))
    who = ask.id(responsible, "--responsible", N_("Who is responsible"), "everyone", ask.coordinator())
    ask.run(ev.agree(said, who, day=_date(date, "--date"), due=_within(due, within), within=within, area=area,
                     intervention=intervention, meeting=meeting), today, dry_run, fmt)


@app.command()
def done(
    case: str = CaseArg,
    agreement: str | None = typer.Argument(None, help="The agreement's id.", autocompletion=complete_agreement),
    date: str | None = DateOpt, today: str | None = TodayOpt, dry_run: bool = DryRunOpt,
    fmt: RecordFormat = FormatOpt, workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """Mark an agreement as done."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    name = ask.id(agreement, "AGREEMENT", N_("Agreement"), "open_agreements")
    ask.run(ev.done(name, day=_date(date, "--date")), today, dry_run, fmt)


@app.command()
def cancel(
    case: str = CaseArg,
    agreement: str | None = typer.Argument(None, help="The agreement's id.", autocompletion=complete_agreement),
    reason: str | None = typer.Option(None, "--reason", help="Why it no longer holds."),
    date: str | None = DateOpt, today: str | None = TodayOpt, dry_run: bool = DryRunOpt,
    fmt: RecordFormat = FormatOpt, workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """Cancel an open agreement."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    name = ask.id(agreement, "AGREEMENT", N_("Agreement"), "open_agreements")
    ask.run(ev.cancel(name, day=_date(date, "--date"), reason=reason), today, dry_run, fmt)


@app.command("ask")
def ask_question(
    case: str = CaseArg,
    about: str | None = typer.Argument(None, help="The question."),
    by: str | None = typer.Option(None, "--by", help="Who asked.", autocompletion=_complete_person),
    to: str | None = typer.Option(None, "--to", help="Whom it was asked (default in a terminal: the coordinator).",
                                  autocompletion=_complete_person),
    agreement: str | None = typer.Option(None, "--agreement", help="The agreement that says when the answer is due.",
                                         autocompletion=complete_agreement),
    area: str | None = typer.Option(None, "--area", help="The life area: decides who may read it."),
    date: str | None = DateOpt, today: str | None = TodayOpt, dry_run: bool = DryRunOpt,
    fmt: RecordFormat = FormatOpt, workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """Log a question from the family (it is named q and its position: q1 the first)."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    question = ask.need(about, "ABOUT", N_("The question"))
    who = ask.id(by, "--by", N_("Asked by"), "family")
    whom = ask.id(to, "--to", N_("Whom it was asked"), "everyone", ask.coordinator())
    ask.run(ev.ask(question, who, whom, day=_date(date, "--date"), agreement=agreement, area=area), today, dry_run, fmt)


@app.command()
def answer(
    case: str = CaseArg,
    question: str | None = typer.Argument(None, help="The question: q and its position in the log (q1 the first).",
                                          autocompletion=complete_question),
    date: str | None = DateOpt, today: str | None = TodayOpt, dry_run: bool = DryRunOpt,
    fmt: RecordFormat = FormatOpt, workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """Record the answer to a question of the log."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    name = ask.id(question, "QUESTION", N_("Question"), "open_questions")
    ask.run(ev.answer(name, day=_date(date, "--date")), today, dry_run, fmt)


@app.command()
def absent(
    case: str = CaseArg,
    person: str | None = typer.Option(None, "--person", "-p", help="Who was absent: one of the family.",
                                      autocompletion=_complete_person),
    date: str | None = typer.Option(None, "--date", help="The day of the session (with --meeting: the meeting's date by default)."),
    intervention: str | None = typer.Option(None, "--intervention", help="The intervention (or give --meeting).",
                                            autocompletion=complete_intervention),
    meeting: str | None = typer.Option(None, "--meeting", help="The meeting file's name without .yaml.",
                                       autocompletion=complete_meeting),
    status: AbsenceStatus = typer.Option("cancelled", "--status", help="cancelled (afbud) or no-show (udeblevet)."),
    reason: str | None = typer.Option(None, "--reason", help="Why (optional)."),
    reported_by: str | None = typer.Option(None, "--reported-by", help="Who reported it (optional).",
                                           autocompletion=_complete_person),
    today: str | None = TodayOpt, dry_run: bool = DryRunOpt, fmt: RecordFormat = FormatOpt,
    workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """Record a cancellation (afbud) or a no-show (udeblivelse)."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    who = ask.id(person, "--person", N_("Who was absent"), "family")
    day = _date(date, "--date") if meeting is not None else ask.day(date, "--date", N_("Date"))
    if meeting is None:
        intervention = ask.id(intervention, "--intervention", N_("Intervention"), "interventions")
    ask.run(ev.absent(who, day, intervention=intervention, meeting=meeting, status=status.value, reason=reason,
                      reported_by=reported_by), today, dry_run, fmt)


@app.command()
def measure(
    case: str = CaseArg,
    goal: str | None = typer.Argument(None, help="The goal's id (a goal with a measure).",
                                      autocompletion=complete_goal),
    value: str | None = typer.Argument(None, help="The value, e.g. 12 or 4.5."),
    by: str | None = typer.Option(None, "--by", help="Who measured (free text or an id)."),
    note: str | None = typer.Option(None, "--note", help="A note (optional)."),
    date: str | None = DateOpt, today: str | None = TodayOpt, dry_run: bool = DryRunOpt,
    fmt: RecordFormat = FormatOpt, workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """Record a measurement of a goal's indicator."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    name = ask.id(goal, "GOAL", N_("Goal"), "goals")
    number = ask.need(value, "VALUE", N_("Value"))
    ask.run(ev.measure(name, number, day=_date(date, "--date"), by=by, note=note), today, dry_run, fmt)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@app.command()
def consent(
    case: str = CaseArg,
    person: str | None = typer.Option(None, "--person", "-p", help="Who gives the consent: one of the family.",
                                      autocompletion=_complete_person),
    departments: str | None = typer.Option(None, "--departments", help="The departments that may receive it: D1,D2."),
    areas: str | None = typer.Option(None, "--areas", help="The life areas it covers: A1,A2."),
    date_from: str | None = typer.Option(None, "--from", help="In force from (default: today's date)."),
    until: str | None = typer.Option(None, "--until", help="The last day it is in force (optional)."),
    today: str | None = TodayOpt, dry_run: bool = DryRunOpt, fmt: RecordFormat = FormatOpt,
    workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """Record a consent, with the first id cN not used in the case."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    who = ask.id(person, "--person", N_("Who gives the consent"), "family")
    to = _split(ask.need(departments, "--departments", N_("Departments (comma-separated)")))
    about = _split(ask.need(areas, "--areas", N_("Life areas (comma-separated)")))
    ask.run(ev.consent(who, to, about, start=_date(date_from, "--from"), until=_date(until, "--until")),
            today, dry_run, fmt)


@app.command()
def withdraw(
    case: str = CaseArg,
    consent_id: str | None = typer.Argument(None, metavar="CONSENT", help="The consent's id (cN).",
                                            autocompletion=complete_consent),
    date: str | None = typer.Option(None, "--date", help="No longer in force from this day (default: today's date)."),
    today: str | None = TodayOpt, dry_run: bool = DryRunOpt, fmt: RecordFormat = FormatOpt,
    workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """Record that a consent is withdrawn."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    name = ask.id(consent_id, "CONSENT", N_("Consent"), "consents")
    ask.run(ev.withdraw(name, day=_date(date, "--date")), today, dry_run, fmt)


@app.command()
def end(
    case: str = CaseArg,
    intervention: str | None = typer.Argument(None, help="The intervention's id.",
                                              autocompletion=complete_intervention),
    date_from: str | None = typer.Option(None, "--from", help="The first day without demand."),
    reason: str | None = typer.Option(None, "--reason", help="Why it ended (optional)."),
    today: str | None = TodayOpt, dry_run: bool = DryRunOpt, fmt: RecordFormat = FormatOpt,
    workspace: Path | None = WorkspaceOpt, lang: Language | None = LangOpt,
) -> None:
    """End an intervention early: it stays in the plan, with no demand from the day."""
    from familieplan.commands import record_events as ev

    ask = _Asker(workspace, case, lang)
    name = ask.id(intervention, "INTERVENTION", N_("Intervention"), "interventions")
    day = ask.day(date_from, "--from", N_("First day without demand"))
    ask.run(ev.end(name, day, reason=reason), today, dry_run, fmt)
