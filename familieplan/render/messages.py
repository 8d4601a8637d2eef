"""Problems in the reader's language: the core makes a message id and its arguments, the
text is made here (arguments that are catalog words are translated too)."""

from __future__ import annotations

import datetime as dt

from familieplan.problems import Problem, Term
from familieplan.render.catalog import Catalog, catalog


def _arg(value: object, cat: Catalog) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        from familieplan.render.danish import date_long

        return date_long(value, cat.lang)  # "4. marts 2026", as every date the reader sees
    if isinstance(value, Term):
        text = cat.gettext(value.msgid)
        return text.format(**{k: _arg(v, cat) for k, v in value.fields.items()}) if value.fields else text
    if isinstance(value, tuple):
        items = [str(_arg(v, cat)) for v in value]
        if len(items) < 2:
            return "".join(items)
        return cat.gettext("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])
    return value


def problem_text(problem: Problem, lang: str) -> tuple[str, str | None]:
    """A problem's message and hint in the reader's language, made from its message id."""
    if lang == "en":
        return problem.message, problem.hint
    cat = catalog(lang)
    args = {k: _arg(v, cat) for k, v in problem.args}
    message = cat.gettext(problem.message_id)
    hint = cat.gettext(problem.hint_id) if problem.hint_id else None
    if args:
        message = message.format(**args)
        hint = hint.format(**args) if hint else None
    return message, hint


def problem_line(problem: Problem, lang: str) -> str:
    """`path:line:col: level code: message (hint)` in the reader's language."""
    if lang == "en":
        return problem.format_line()
    message, hint = problem_text(problem, lang)
    text = f"{problem.source}: {catalog(lang).level(problem.level)} {problem.code}: {message}"
    return f"{text} ({hint})" if hint else text


def error_line(message_id: str, args: dict[str, object], lang: str) -> str:
    """`familieplan: error: …` for a library error (a message id and its arguments), in
    the reader's language."""
    cat = catalog(lang)
    text = cat.gettext(message_id)
    if args:
        text = text.format(**{k: _arg(v, cat) for k, v in args.items()})
    return cat.gettext("familieplan: error: {message}").format(message=text)
