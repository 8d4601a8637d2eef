"""User text (plain text by the format's rule) rendered safely to Markdown and HTML.

Paragraphs and line breaks are kept, lines that begin with "- " become a bulleted list,
nothing else is interpreted. Control, zero-width and bidi override characters are dropped.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from familieplan.format.cleantext import clean
from familieplan.render.markdown import escape_inline


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """('p', lines) and ('ul', items) blocks of a plain text."""
    out: list[tuple[str, list[str]]] = []
    for paragraph in clean(text).replace("\r\n", "\n").split("\n\n"):
        fresh = True  # a blank line always starts a new block
        for line in (raw.strip() for raw in paragraph.split("\n")):
            if not line:
                continue
            kind, content = ("ul", line[2:].strip()) if line.startswith("- ") else ("p", line)
            if not fresh and out[-1][0] == kind:
                out[-1][1].append(content)
            else:
                out.append((kind, [content]))
            fresh = False
    return out


def md_block(text: str | None) -> str:
    if not text:
        return ""
    parts = []
    for kind, lines in blocks(text):
        if kind == "ul":
            parts.append("\n".join(f"- {escape_inline(line, line_start=True)}" for line in lines))
        else:
            # A backslash at the end of a line is a hard line break in CommonMark.
            parts.append("\\\n".join(escape_inline(line, line_start=True) for line in lines))
    return "\n\n".join(parts)


def md_inline(text: object) -> str:
    """User text in the middle of a line (after a label, in a table cell, in a heading)."""
    return escape_inline("" if text is None else str(text))


def md_inline_start(text: object) -> str:
    """User text that begins a line or a list item, where a block could open."""
    return escape_inline("" if text is None else str(text), line_start=True)


def html_block(text: str | None) -> Markup:
    if not text:
        return Markup("")
    parts = []
    for kind, lines in blocks(text):
        if kind == "ul":
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(str(escape(line)) for line in lines) + "</p>")
    return Markup("\n".join(parts))


def html_inline(text: object) -> Markup:
    return escape(clean("" if text is None else str(text)))
