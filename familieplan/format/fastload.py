"""The file's record straight from the parser's events, for a file without a problem.

Most files are fine. For them, composing every scalar into a node and then walking the
nodes again to convert them is twice the work: here each event is converted as it comes,
against the spec (a key is looked up in its record, a value converted by its type's
`of_text`), without a node in between. The first thing that would make a problem (an
unknown or repeated key, a value that does not fit, a missing field, an anchor, a tag, a
second document, anything unusual) stops this reader, and the caller reads the file the
careful way (`nodes.parse` and `Record.convert`), which finds and words every problem.
So the result for a file without a problem is the record that way would build, and any
other file goes that way: the two agree by construction (tests compare them).
"""

from __future__ import annotations

from typing import Any

from yaml import events as ev

from familieplan import model as m
from familieplan.format import nodes
from familieplan.format.types import (
    INVALID,
    Ctx,
    Id,
    ListOf,
    Nullable,
    ParticipantType,
    Record,
    Type,
)
from familieplan.problems import Source

_new_source = tuple.__new__
_ID = Id()
_SCALAR, _MAP, _SEQ = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
_MAP_END, _SEQ_END = ev.MappingEndEvent, ev.SequenceEndEvent


class _Stop(Exception):
    """Something this reader leaves to the careful one."""


def read_record(text: str, path: str, record: Record, areas: frozenset[str],
                extra: dict[str, Any] | None = None) -> Any:
    """The record of a file whose text holds no problem at all (the text-level scans of
    `nodes.prescan` found none), or None: then read it with `nodes.parse` and convert."""
    if "\u2028" in text or "\u2029" in text:
        return None
    parser = nodes._CParser(text) if nodes.HAVE_LIBYAML and nodes._CParser is not None else nodes._PyParser(text)
    try:
        return _Reader(parser, path, areas).file(record, extra)
    except Exception:  # noqa: BLE001 - any surprise: the careful reader decides
        return None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _position(e: Any) -> tuple[int, int]:
    mark = e.start_mark
    return mark.line + 1, mark.column + 1


class _Reader:
    def __init__(self, parser: Any, path: str, areas: frozenset[str]) -> None:
        self.next = parser.get_event
        self.path = path
        self.ctx = Ctx(path, [], areas)

    def file(self, record: Record, extra: dict[str, Any] | None) -> Any:
        kinds = [type(self.next()), type(self.next())]
        start = self.next()
        if kinds != [ev.StreamStartEvent, ev.DocumentStartEvent] or type(start) is not _MAP:
            raise _Stop
        value = self.record(record, start, 1, extra)
        if type(self.next()) is not ev.DocumentEndEvent or type(self.next()) is not ev.StreamEndEvent:
            raise _Stop  # a second document
        return value

    def value(self, kind: Type, e: Any, depth: int, key: str | None, where: dict[str, Source] | None) -> Any:
        """A container's value (`e` is its start event) as `kind` converts it."""
        if e.anchor is not None or e.tag is not None or depth > nodes.MAX_DEPTH:
            raise _Stop
        if type(kind) is Nullable:
            kind = kind.inner
        if type(e) is _MAP:
            if type(kind) is Record:
                return self.record(kind, e, depth)
            if type(kind) is ParticipantType:
                return self.record(kind.record, e, depth)
        elif type(kind) is ListOf:
            return self.sequence(kind, depth, key, where)
        raise _Stop

    def scalar(self, e: Any) -> tuple[str, bool]:
        """A scalar's text and whether it is plain, when it holds no problem of its own."""
        text, style = e.value, e.style
        if e.anchor is not None or e.tag is not None or (style == '"' and nodes._CONTROL.search(text)):
            raise _Stop
        return text, not style

    def record(self, record: Record, start: Any, depth: int, extra: dict[str, Any] | None = None) -> Any:
        if start.anchor is not None or start.tag is not None:
            raise _Stop
        line, col = _position(start)
        fast, path, get, ctx = record._fast, self.path, self.next, self.ctx
        values: dict[str, Any] = {}
        where: dict[str, Source] = {}
        blank = False
        while True:
            e = get()
            if type(e) is _MAP_END:
                break
            if type(e) is not _SCALAR:
                raise _Stop
            key = self.scalar(e)[0] if e.style or e.anchor is not None or e.tag is not None else e.value
            spec = fast.get(key)
            if spec is None or key in where:
                raise _Stop  # unknown (an extension, too) or repeated
            e = get()
            mark = e.start_mark
            where[key] = _new_source(Source, (path, mark.line + 1, mark.column + 1))
            if type(e) is not _SCALAR:
                values[spec[0]] = self.value(record.fields[key].type, e, depth + 1, key, where)
                continue
            if e.style or e.anchor is not None or e.tag is not None:
                text, plain = self.scalar(e)
            else:
                text, plain = e.value, True
                if text in nodes._NULLS:
                    if spec[4]:
                        raise _Stop  # a required field left empty
                    values[spec[0]] = None
                    blank = True
                    continue
            value = INVALID if spec[1] is None else spec[1](text, plain, ctx)
            if value is INVALID:
                raise _Stop
            values[spec[0]] = value
        for key in record._required:
            if key not in where:
                raise _Stop  # a required key missing
        if blank:
            values = {k: v for k, v in values.items() if v is not None or k in record._nullable}
        if extra:
            values.update(extra)
        return record._build(_new_source(Source, (path, line, col)), where, {}, values)

    def sequence(self, kind: ListOf, depth: int, key: str | None, where: dict[str, Source] | None) -> tuple:
        item = kind.item
        participant = type(item) is ParticipantType
        of_text = getattr(_ID if participant else item, "of_text", None)
        out: list[Any] = []
        places: list[tuple[int, int] | None] = []
        get, ctx = self.next, self.ctx
        while True:
            e = get()
            t = type(e)
            if t is _SEQ_END:
                break
            if t is not _SCALAR:
                out.append(self.value(item, e, depth + 1, None, None))
                places.append(None)
                continue
            text, plain = self.scalar(e) if e.style or e.anchor is not None or e.tag is not None else (e.value, True)
            if (plain and text in nodes._NULLS) or of_text is None:
                raise _Stop
            value = of_text(text, plain, ctx)
            if value is INVALID:
                raise _Stop
            mark = e.start_mark
            position = (mark.line + 1, mark.column + 1)
            if participant:
                value = m.Participant(source=Source(self.path, *position), id=value)
            out.append(value)
            places.append(position)
        if len(out) < kind.min_items:
            raise _Stop
        if where is not None:  # each scalar item's place, as `types._item_places` keeps them
            for index, place in enumerate(places):
                if place is not None:
                    where[f"{key}[{index}]"] = _new_source(Source, (self.path, *place))
        return tuple(out)
