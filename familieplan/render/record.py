"""Output of the record commands (agree, done, ask, absent, …): what was written, in the
reader's words ("Skrev cases/…/agreements.yaml: aftale a5 »…« (Jobrådgiver, frist 12.
december 2026)"), the diff of a dry run, or the new problems that stopped the record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from familieplan.commands.record import Recorded
from familieplan.render import danish as d
from familieplan.render.catalog import Catalog, catalog
from familieplan.render.jsonout import encode_row, problem_rows, write_json
from familieplan.render.problems import text_report
from familieplan.render.terminal import Writer
from familieplan.render.words import builtin_area, session_words

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter


def _absence(facts: Mapping[str, Any], cat: Catalog, lang: str) -> str:
    words = {"cancelled": cat.gettext("cancellation (afbud) from {person} for {title} on {date}"),
             "no-show": cat.gettext("no-show by {person} at {title} on {date}"),
             "attended": cat.gettext("{person} attended {title} on {date}")}
    return words[facts["status"]].format(person=facts["person"], title=facts["title"],
                                         date=d.date_long(facts["date"], lang))


def _agreement(facts: Mapping[str, Any], cat: Catalog, lang: str) -> str:
    if facts.get("due") is not None:
        return cat.gettext("agreement {id} »{text}« ({who}, due {due})").format(
            id=facts["id"], text=facts["text"], who=facts["who"], due=d.date_long(facts["due"], lang))
    return cat.gettext("agreement {id} »{text}« ({who})").format(id=facts["id"], text=facts["text"], who=facts["who"])


def _with_reason(text: str, facts: Mapping[str, Any]) -> str:
    return f"{text} ({facts['reason']})" if facts.get("reason") else text


def what_text(result: Recorded, lang: str) -> str:
    """The event in the reader's words."""
    cat = catalog(lang)
    facts = result.facts
    date = d.date_long(facts["date"], lang) if facts.get("date") is not None else ""
    _ = cat.gettext
    simple = {
        "done": lambda: _("agreement {id} »{text}« done {date}").format(id=facts["id"], text=facts["text"], date=date),
        "cancel": lambda: _with_reason(_("agreement {id} »{text}« cancelled {date}").format(
            id=facts["id"], text=facts["text"], date=date), facts),
        "question": lambda: _("question {id} »{about}« to {who}").format(**facts),
        "answer": lambda: _("question {id} »{about}« answered {date}").format(
            id=facts["id"], about=facts["about"], date=date),
        "measurement": lambda: _("measurement of goal {id} »{text}«: {value} on {date}").format(
            id=facts["id"], text=facts["text"], value=facts["value"], date=date),
        "consent": lambda: _("consent {id} from {person}: {departments}; areas {areas}; from {date}").format(
            id=facts["id"], person=facts["person"], departments=d.join(list(facts["departments"]), lang),
            areas=d.join([(builtin_area(a, cat) or a).lower() for a in facts["areas"]], lang), date=date),
        "withdrawal": lambda: _("consent {id} ({person}) withdrawn from {date}").format(
            id=facts["id"], person=facts["person"], date=date),
        "end": lambda: _with_reason(_("intervention {id} »{title}« ends from {date}").format(
            id=facts["id"], title=facts["title"], date=date), facts),
        "booking": lambda: _("intervention {id} »{title}« booked: {when}").format(
            id=facts["id"], title=facts["title"], when="; ".join(session_words(s, lang) for s in facts["sessions"])
            + ", " + d.period(facts["start"], facts["end"], lang)),
        "absence": lambda: _absence(facts, cat, lang),
        "agreement": lambda: _agreement(facts, cat, lang),
    }
    return simple[result.what]()


def text_report_of(result: Recorded, out: IO[str], lang: str, color: bool | None = None) -> None:
    _ = catalog(lang).gettext
    if result.refused:
        text_report(list(result.problems), out, _("nothing written: the record would add these errors to the case"),
                    color, lang)
        return
    errors = [p for p in result.context if p.level == "error"]
    if errors:
        text_report(errors, out, _("the case had these errors already; they do not stop the record"), color, lang)
    with Writer(out, color) as lines:
        if not result.written:
            for row in result.diff.splitlines():
                style = "green" if row.startswith("+") else "red" if row.startswith("-") else None
                lines.line((row, style) if style else row, wrap=False)
            lines.line((_("Would write {path}: {what} (dry run: nothing written)").format(
                path=result.file, what=what_text(result, lang)), "yellow"))
            return
        lines.line((_("Wrote {path}: {what}").format(path=result.file, what=what_text(result, lang)), "green"))


def json_report(result: Recorded, out: IO[str], lang: str, color: bool | None = None) -> None:
    problems = result.problems if result.refused else result.context
    row = {"case": result.case, "file": result.file, "line": result.line, "kind": result.what,
           "entry": dict(result.entry), "created": result.created}
    write_json(out, {"problems": problem_rows(problems, lang), "records": [encode_row(row)]},
               {"written": result.written, "refused": result.refused, "text": what_text(result, lang),
                **({"diff": result.diff} if not result.written else {})})


REPORTERS: dict[str, Reporter] = {"text": text_report_of, "json": json_report}
