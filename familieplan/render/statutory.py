"""The statutory rules in words: a deadline's sentence naming its provision ("Barnets plan
for Lilli skal foreligge senest 1. marts 2027 (barnets lov § 91, stk. 2)"), a notice's
sentence, their JSON rows, and `familieplan rules` (text, JSON) and `docs/rules.md`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from familieplan.render import danish as d
from familieplan.render import terminal
from familieplan.render.catalog import catalog
from familieplan.render.jsonout import encode_row, problem_rows, write_json
from familieplan.render.messages import _arg, problem_line
from familieplan.rules.outcomes import notices_on, reader_may_see, statutory_deadlines
from familieplan.rules.registry import RULES, Notice, Rule, statutory_facts
from familieplan.schedule.deadlines import Deadline, last_meeting_before
from familieplan.schedule.facts import meeting_facts

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter


def sentence(message: str, fields: Iterable[tuple[str, object]], date: dt.date | None, lang: str) -> str:
    """A rule's message in the reader's language: its fields translated (a `Term`) or
    written as dates."""
    cat = catalog(lang)
    values = {key: (d.date_long(value, lang) if isinstance(value, dt.date) else _arg(value, cat))
              for key, value in fields}
    if date is not None:
        values["date"] = d.date_long(date, lang)
    return cat.gettext(message).format(**values)


def deadline_sentence(item: Deadline, lang: str) -> str:
    """"… senest 1. marts 2027 (barnets lov § 91, stk. 2)"."""
    return f"{sentence(item.message or item.text, item.fields, item.date, lang)} ({item.law})"


def rule_notice_sentence(notice: Notice, lang: str) -> str:
    law = RULES[notice.rule].law
    return f"{sentence(notice.message, notice.fields, None, lang)} ({law})"


def deadline_row(item: Deadline, name: str | None, lang: str) -> dict[str, Any]:
    """A statutory entry of `due --format json`: the keys every deadline has (`source` is
    the link to the provision, `answered` the day it was met), then the rule's own, with
    `where` the place in the case's files."""
    return {"case": item.case, "kind": item.kind, "state": item.state, "date": item.date.isoformat(),
            "days_late": item.days_late, "agreement": None, "text": item.text, "responsible": None,
            "responsible_name": None, "department": None, "asked": None,
            "answered": item.answered.isoformat() if item.answered else None, "source": item.link,
            "message": deadline_sentence(item, lang), "rule": item.rule, "law": item.law, "late": item.late,
            "person": item.person, "person_name": name, "area": item.area, "where": str(item.source)}


def notice_row(case: str, notice: Notice, lang: str) -> str:
    return encode_row({"case": case, "rule": notice.rule, "level": notice.level, "law": RULES[notice.rule].law,
                       "source": RULES[notice.rule].source, "person": notice.person, "area": notice.area,
                       "where": str(notice.source), "message": rule_notice_sentence(notice, lang)})


def level_word(level: str, lang: str) -> str:
    cat = catalog(lang)
    return cat.pgettext("level", "information") if level == "info" else cat.level(level)


def rule_kind_word(level: str, lang: str) -> str:
    """What a rule gives, in words: deadlines (level error), warnings or information."""
    return catalog(lang).pgettext("rule", "deadlines") if level == "error" else level_word(level, lang)


# --- familieplan rules ----------------------------------------------------------------------

def summary(found: Rule) -> str:
    """The rule's first paragraph, on one line."""
    return " ".join(found.doc.strip().split("\n\n")[0].split())


def _rule_json(found: Rule, switched: bool | None) -> dict[str, Any]:
    return {"id": found.id, "law": found.law, "source": found.source, "from": found.start.isoformat(),
            "until": found.until.isoformat() if found.until else None, "level": found.level,
            "off_by_default": found.off_by_default, "on": switched, "summary": summary(found)}


def rules_json(result: Any, out: IO[str], lang: str, color: bool | None = None) -> None:
    rows = (encode_row(_rule_json(found, result.switched.get(found.id))) for found in result.rules)
    write_json(out, {"problems": problem_rows(result.problems, lang), "rules": rows},
               {"on": result.day.isoformat(), "rules": len(result.rules)})


def rules_text(result: Any, out: IO[str], lang: str, color: bool | None = None) -> None:
    _ = catalog(lang).gettext
    in_force = _("In force")
    with terminal.Writer(out, color) as lines:
        for problem in result.problems:  # familieplan.yaml's, which decide what is on here
            lines.line(problem_line(problem, lang))
        lines.line(_("Statutory rules in force on {date}").format(date=d.date_long(result.day, lang)))
        for found in result.rules:
            switched = result.switched.get(found.id)
            state = "" if switched is None else ("  " + (_("on here") if switched else _("off here")))
            until = f" – {d.date_long(found.until, lang)}" if found.until else ""
            lines.line()
            lines.line((found.id, "bold"), f"  {found.law}{state}", indent=2, hang=4)
            lines.line(f"{in_force}: {d.date_long(found.start, lang)}{until}  {rule_kind_word(found.level, lang)}",
                       indent=4)
            lines.line((found.source, "dim"), indent=4)


REPORTERS: dict[str, Reporter] = {"text": rules_text, "json": rules_json}


def cleandoc(text: str) -> str:
    """A docstring without its indentation (`inspect.cleandoc`, without importing inspect
    into the reporters of every run)."""
    lines = text.expandtabs().splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents, default=0)
    return "\n".join([lines[0].strip(), *(line[margin:].rstrip() for line in lines[1:])]).strip() if lines else ""


def rules_markdown() -> str:
    """`docs/rules.md`: every rule of the registry, from its docstring (tested current)."""
    lines = [
        "# Statutory rules", "",
        "Generated from the registry (`familieplan/rules/`) by "
        "`python -c 'from familieplan.render.statutory import rules_markdown; print(rules_markdown(), end=\"\")'`; "
        "a test checks that this page is current. `familieplan rules --on DATE` lists the rules in force on a day.",
        "",
        *ASSUMPTIONS, "",
        "| id | law | in force | level |", "|---|---|---|---|",
    ]
    for found in RULES.values():
        until = f" – {found.until.isoformat()}" if found.until else ""
        lines.append(f"| [`{found.id}`](#{found.id}) | {found.law} | {found.start.isoformat()}{until} | {found.level} |")
    for found in RULES.values():
        until = found.until.isoformat() if found.until else "—"
        lines += ["", f"## {found.id}", "",
                  f"- **Law:** {found.law}", f"- **Source:** <{found.source}>",
                  f"- **In force for facts dated:** {found.start.isoformat()} to {until}",
                  f"- **Level:** {found.level}" + (" (off unless `rules.on` names it)" if found.off_by_default else ""),
                  "", cleandoc(found.doc)]
    return "\n".join(lines) + "\n"


ASSUMPTIONS = (
    "## What the tool assumes",
    "",
    "- **A rule applies to facts as the law stood on their dates.** A fact (the day the "
    "municipality became aware, a decision, the start of a benefit period, a request's "
    "receipt) dated before a rule's `from` is judged by the rule before it, or by none; a "
    "rule with an `until` judges no fact dated after it.",
    "- **Months are calendar months.** 4 months from 31 October is 28 February (29 in a "
    "leap year): the same date in the later month, or that month's last day.",
    "- **Working days** are counted as `due` counts them: no Saturdays, Sundays, Danish "
    "public holidays (`calendar.holidays: dk`) or the workspace's `calendar.closed` days.",
    "- **Barnets lov** came into force on 1 January 2024; facts dated before it were under "
    "serviceloven, which the tool does not judge.",
    "- **Lov nr. 1750 af 29. december 2025 (L 66)** came into force in two steps, 1 February "
    "and 1 July 2026 (STAR, \"Lovgivningsproces og ikrafttrædelse\"). The tool takes 1 July "
    "2026 as the day both the new contact rules and the abolition of ressourceforløb and "
    "revalidering for new citizens apply: the law abolishes them \"for nye borgere fra lovens "
    "ikrafttrædelse\" without one date in the summaries we could check, and 1 July is the "
    "later, safer reading (an earlier course is not flagged). The second step expected on "
    "1 January 2027 (a new LAB) is not in the registry until it is passed.",
    "- **Supervision visits** (barnets lov § 156, stk. 5) are counted per year from the "
    "placement's start, not per calendar year.",
    "- **GDPR deadlines** follow Regulation 1182/71: one month from the day of receipt ends "
    "on the same date of the next month (or its last day); a last day that is not a working "
    "day moves to the next working day.",
    "- **Aktindsigt.** Offentlighedsloven § 36, stk. 2 says a request is dealt with within 7 "
    "working days; forvaltningsloven § 16, stk. 2 says a party not answered within 7 working "
    "days is told why and when to expect the answer. The tool reads both as: answered within "
    "7 working days, or by the `extended` date the requester was told of.",
    "- **Jobsamtaler** are the occurrences (held or planned) of interventions of "
    "`kind: jobsamtale` that the person attends, less those recorded as cancelled or no-show. "
    "LAB § 31, stk. 3 covers more groups than the tool's benefit kinds; the tool judges "
    "kontanthjælp, uddannelseshjælp and ledighedsydelse before the reform, jobparat "
    "kontanthjælp and ledighedsydelse after it.",
    "- **Who sees them.** Statutory deadlines name no responsible professional, so "
    "`due --responsible` leaves them out; `due` for the whole caseload lists them.",
    "",
    "## Sources checked",
    "",
    "The provisions were read on 6 December 2026 in the consolidated texts and the "
    "authorities' guidance linked from each rule: barnets lov §§ 20, 91, 95 and 156 (LBK nr. "
    "282 af 17. marts 2025); LAB § 31 (LBK nr. 280 af 1. marts 2024); lov nr. 1750 af 29. "
    "december 2025 and STAR's pages on the reform (in force 1 February and 1 July 2026; "
    "municipalities may exempt up to a quarter from jobsamtaler; four jobsamtaler in the "
    "first six months for jobparat kontanthjælp and ledighedsydelse); offentlighedsloven "
    "§ 36, stk. 2 (the Ombudsman on its 7 working days); Digital Post, mandatory for citizens "
    "from 1 November 2014 with exemptions granted by the municipality (Digitaliseringsstyrelsen; "
    "lovbekendtgørelse nr. 686 af 15. april 2021). Forvaltningsloven § 16, GDPR art. 12 and "
    "Regulation 1182/71 are cited from their official texts; their wording was not re-read "
    "for this version.")


def tally_sentence(row: Any, lang: str) -> str:
    """`report`: how one rule's deadlines came out ("bl-91-plan (barnets lov § 91, stk. 2):
    3 of 4 met on time, 1 late, 0 overdue, 2 open")."""
    text = catalog(lang).gettext("{rule} ({law}): {on_time} of {due} met on time, {late} late, {overdue} overdue, "
                                 "{open} open")
    return text.format(rule=row.rule, law=row.law, on_time=row.on_time, due=row.on_time + row.late + row.overdue,
                       late=row.late, overdue=row.overdue, open=row.open)


def rule_tally_json(row: Any) -> dict[str, Any]:
    return {"rule": row.rule, "law": row.law, "on_time": row.on_time, "late": row.late, "overdue": row.overdue,
            "open": row.open}


# --- serve's case page ----------------------------------------------------------------------

def statutory_on(case: Any, settings: Any, calendar: Any, today: dt.date, days: int,
                 reading: Any) -> tuple[list[Deadline], list[Deadline]]:
    """The case's statutory deadlines on `today` (overdue, due within `days`, met late since
    the latest meeting), and those the reader may see (the one consent rule)."""
    obligations, _ = statutory_facts(case, settings, calendar)
    since = last_meeting_before(meeting_facts(case), today)
    found = statutory_deadlines(case.folder_id, obligations, today, calendar, today + dt.timedelta(days=days), since)
    return found, [item for item in found if reading.internal or reader_may_see(reading, item.area, item.person)]


def rule_notices(case: Any, settings: Any, calendar: Any, lang: str, today: dt.date, reading: Any) -> list[dict[str, str]]:
    """The rules' notices that hold on `today` and the reader may see, as rows of the page."""
    _, notices = statutory_facts(case, settings, calendar)
    return [{"level": n.level, "level_word": level_word(n.level, lang), "rule": n.rule,
             "message": rule_notice_sentence(n, lang), "source": RULES[n.rule].source}
            for n in notices_on(notices, today) if reading.internal or reader_may_see(reading, n.area, n.person)]
