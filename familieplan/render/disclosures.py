"""Output of `disclosures`: text, JSON and Markdown. Fixed words in one da/en table."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO

from familieplan import model as m
from familieplan.commands.disclosures import DisclosureList
from familieplan.render import danish as d
from familieplan.render.words import area_name

WORDS = {
    "da": {
        "title": "Videregivne oplysninger", "none": "Intet er videregivet.",
        "minutes": "referat", "plan": "fællesplan", "report": "resultatopgørelse",
        "line": "{when}: {document} ({source}) til {recipient} om {about}; områder: {areas}; "
                "udeladt: {omitted}; grundlag: {basis}",
        "nobody": "ingen", "no_areas": "ingen", "when": "Hvornår", "recipient": "Modtager", "document": "Dokument",
        "about": "Om", "areas": "Områder", "omitted": "Udeladt", "basis": "Grundlag", "by": "dannet af {who}",
    },
    "en": {
        "title": "Disclosed information", "none": "Nothing has been disclosed.",
        "minutes": "minutes", "plan": "joint plan", "report": "outcome report",
        "line": "{when}: {document} ({source}) to {recipient} about {about}; areas: {areas}; "
                "left out: {omitted}; basis: {basis}",
        "nobody": "nobody", "no_areas": "none", "when": "When", "recipient": "Recipient", "document": "Document",
        "about": "About", "areas": "Areas", "omitted": "Left out", "basis": "Basis", "by": "made by {who}",
    },
}


def _cells(result: DisclosureList, entry: m.Disclosure, lang: str) -> dict[str, str]:
    w = WORDS[lang]
    when = entry.at
    return {
        "when": f"{d.date_long(when.date(), lang)} {d.time_hhmm(when.time())}" if when else "",
        "document": w.get(entry.document or "", entry.document or ""), "source": entry.source_file or "",
        "recipient": result.name(entry.recipient),
        "about": d.join([result.name(p) for p in entry.about], lang) or w["nobody"],
        "areas": d.join([area_name(a, result.settings, lang).lower() for a in entry.areas], lang) or w["no_areas"],
        "omitted": str(entry.omitted), "basis": ", ".join(entry.basis) or "–",
    }


def text_report(result: DisclosureList, out: IO[str], lang: str) -> None:
    w = WORDS[lang]
    lines = [f"{w['title']}: {result.case.title} ({result.case.folder_id})"]
    if not result.entries:
        lines.append(w["none"])
    for entry in result.entries:
        text = w["line"].format(**_cells(result, entry, lang))
        if entry.by:
            text += f"; {w['by'].format(who=result.name(entry.by))}"
        lines.append(f"  {text}  ({entry.source})")
    out.write("\n".join(lines) + "\n")


def json_report(result: DisclosureList, out: IO[str], lang: str) -> None:
    rows = [{"case": result.case.folder_id, "at": e.at.isoformat() if e.at else None, "recipient": e.recipient,
             "document": e.document, "source": e.source_file, "about": list(e.about), "areas": list(e.areas),
             "omitted": e.omitted, "basis": list(e.basis), "by": e.by, "line": str(e.source)}
            for e in result.entries]
    json.dump(rows, out, ensure_ascii=False, indent=1)
    out.write("\n")


def md_report(result: DisclosureList, out: IO[str], lang: str) -> None:
    from familieplan.render.markdown import escape_inline as esc

    w = WORDS[lang]
    keys = ("when", "document", "recipient", "about", "areas", "omitted", "basis")
    lines = [f"# {w['title']}: {esc(result.case.title)}", ""]
    if not result.entries:
        lines.append(w["none"])
    else:
        lines += ["| " + " | ".join(w[k] for k in keys) + " |", "|" + "---|" * len(keys)]
        for entry in result.entries:
            cells = _cells(result, entry, lang)
            lines.append("| " + " | ".join(esc(cells[k]) for k in keys) + " |")
    out.write("\n".join(lines) + "\n")


REPORTERS: dict[str, Callable[..., None]] = {"text": text_report, "json": json_report, "md": md_report}
