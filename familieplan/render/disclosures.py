"""Output of `disclosures`: text, JSON and Markdown, in the reader's words (the one catalog)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from familieplan import model as m
from familieplan.commands.disclosures import DisclosureList
from familieplan.render import danish as d
from familieplan.render import terminal
from familieplan.render.catalog import Catalog, catalog
from familieplan.render.jsonout import rows_json, write_json
from familieplan.render.words import area_name

if TYPE_CHECKING:
    from familieplan.render.reporter import Reporter

NONE = "–"


def _document(kind: str | None, cat: Catalog) -> str:
    """The kind of document in the reader's words ('referat', 'fællesplan', 'resultatopgørelse')."""
    pgettext = cat.pgettext
    words = {"minutes": pgettext("document", "minutes"), "plan": pgettext("document", "joint plan"),
             "report": pgettext("document", "outcome report")}
    return words.get(kind or "", kind or "")


def _area(area: str, result: DisclosureList, cat: Catalog, lang: str) -> str:
    if area == "no-area":  # items without an area were given
        return cat.pgettext("areas", "without an area")
    return area_name(area, result.settings, lang).lower()


def _cells(result: DisclosureList, entry: m.Disclosure, lang: str) -> dict[str, str]:
    cat = catalog(lang)
    when = entry.at
    return {
        "when": f"{d.date_long(when.date(), lang)} {d.time_hhmm(when.time())}" if when else "",
        "document": _document(entry.document, cat), "source": entry.source_file or "",
        "recipient": result.name(entry.recipient),
        "about": d.join([result.name(p) for p in entry.about], lang) or cat.pgettext("about", "nobody"),
        "areas": d.join([_area(a, result, cat, lang) for a in entry.areas], lang)
        or cat.pgettext("areas", "none"),
        "omitted": str(entry.omitted), "basis": ", ".join(entry.basis) or NONE,
    }


def _heads(lang: str) -> dict[str, str]:
    _ = catalog(lang).gettext
    return {"when": _("When"), "document": _("Document"), "recipient": _("Recipient"), "about": _("About"),
            "areas": _("Areas"), "omitted": _("Left out"), "basis": _("Basis")}


def _title(lang: str) -> str:
    return catalog(lang).gettext("Disclosed information")


def text_report(result: DisclosureList, out: IO[str], lang: str, color: bool | None = None) -> None:
    _ = catalog(lang).gettext
    with terminal.Writer(out, color) as lines:
        lines.line((f"{_title(lang)}: {result.case.title}", "bold cyan"), f" ({result.case.folder_id})")
        if not result.entries:
            lines.line(_("Nothing has been disclosed."))
        for entry in result.entries:
            text = _("{when}: {document} ({source}) to {recipient} about {about}; areas: {areas}; "
                     "left out: {omitted}; basis: {basis}").format(**_cells(result, entry, lang))
            if entry.by:
                text += "; " + _("made by {who}").format(who=result.name(entry.by))
            lines.line(f"{text}  ", (str(entry.source), "dim"), indent=2)


def json_report(result: DisclosureList, out: IO[str], lang: str, color: bool | None = None) -> None:
    """{"problems": [], "disclosures": [...], "summary": {"case", "disclosures"}} (docs/guide.md, "JSON output")."""
    rows = [{"case": result.case.folder_id, "at": e.at.isoformat() if e.at else None, "recipient": e.recipient,
             "document": e.document, "source": e.source_file, "about": list(e.about), "areas": list(e.areas),
             "omitted": e.omitted, "basis": list(e.basis), "by": e.by, "line": str(e.source)}
            for e in result.entries]
    write_json(out, {"problems": [], "disclosures": rows_json(rows)},
               {"case": result.case.folder_id, "disclosures": len(rows)})


def md_report(result: DisclosureList, out: IO[str], lang: str, color: bool | None = None) -> None:
    from familieplan.render.markdown import escape_inline as esc

    _ = catalog(lang).gettext
    heads = _heads(lang)
    keys = ("when", "document", "recipient", "about", "areas", "omitted", "basis")
    lines = [f"# {_title(lang)}: {esc(result.case.title)}", ""]
    if not result.entries:
        lines.append(_("Nothing has been disclosed."))
    else:
        lines += ["| " + " | ".join(heads[k] for k in keys) + " |", "|" + "---|" * len(keys)]
        for entry in result.entries:
            cells = _cells(result, entry, lang)
            lines.append("| " + " | ".join(esc(cells[k]) for k in keys) + " |")
    out.write("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter] = {"text": text_report, "json": json_report, "md": md_report}
