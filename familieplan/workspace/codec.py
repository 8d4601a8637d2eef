"""Plain data to JSON and back, generic over the fields of dataclasses and named tuples.

The cache stores results (problems, findings, rows, deadlines), never rendered text and
never code: every value becomes JSON built from the type hints of the classes that hold
it, and is rebuilt from the same hints. Nothing here names a field of any class, so a
class that gains, loses or renames a field is handled — and changes `fingerprint`, which
is part of every cache key, so entries written for the old shape are never read.

A dataclass or named tuple is a JSON list of its field values in field order; a date is
its ISO text; a tuple, list, set or frozenset a list; a dict with str keys a JSON object,
any other dict a list of [key, value] pairs. A field typed `object` (or `Any`) holds a tagged value instead, since its type is
not known in advance (a message argument that is a catalog `Term` keeps its message id and
fields, so that it is translated again when it is read back). A decoder raises `CodecError` on anything that does not fit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath
from typing import Any

from familieplan.problems import Term

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


class CodecError(ValueError):
    """Data that does not decode to the expected type (a corrupt or foreign entry)."""


def _is_record(tp: object) -> bool:
    return isinstance(tp, type) and (dataclasses.is_dataclass(tp) or (issubclass(tp, tuple) and hasattr(tp, "_fields")))


def _fields(tp: type) -> list[tuple[str, object]]:
    hints = typing.get_type_hints(tp)
    if dataclasses.is_dataclass(tp):
        return [(f.name, hints[f.name]) for f in dataclasses.fields(tp) if f.init]
    return [(name, hints.get(name, object)) for name in tp._fields]  # type: ignore[attr-defined]


class Codec:
    """Encoders and decoders for one root type (e.g. `list[CaseOutcome]`), compiled once."""

    def __init__(self, root: object) -> None:
        self._records: dict[type, list[tuple[str, object]]] = {}
        self._tagged: dict[str, type] = {}
        self._collect(root)
        self.encode: Encoder = self._encoder(root)
        self.decode: Decoder = self._decoder(root)
        shape = sorted((f"{t.__module__}.{t.__qualname__}", [(n, repr(h)) for n, h in fs])
                       for t, fs in self._records.items())
        self.fingerprint = hashlib.sha256(repr((repr(root), shape)).encode()).hexdigest()[:16]

    # -- the classes reachable from the root ---------------------------------------------
    def _collect(self, tp: object) -> None:
        if _is_record(tp):
            assert isinstance(tp, type)
            if tp in self._records:
                return
            self._records[tp] = fields = _fields(tp)
            self._tagged[_tag_name(tp)] = tp
            for _, hint in fields:
                self._collect(hint)
            return
        for arg in typing.get_args(tp):
            if arg is not Ellipsis:
                self._collect(arg)

    # -- encoding ---------------------------------------------------------------------
    def _encoder(self, tp: object) -> Encoder:  # noqa: C901 - one branch per kind of hint
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if tp in (str, int, bool, float, type(None)):
            return _same  # a float field holding an int stays an int (JSON keeps 2 and 2.0 apart)
        if tp in (dt.date, dt.datetime, dt.time):
            return _iso
        if tp in (Path, PurePath):
            return str
        if tp in (object, Any):
            return self._tag
        if _is_record(tp):
            return self._record_encoder(tp)  # type: ignore[arg-type]
        if origin in (typing.Union, types.UnionType):
            return self._union_encoder(args)
        if origin in (tuple, list, set, frozenset):
            if origin is tuple and args and args[-1] is not Ellipsis:
                parts = [self._encoder(a) for a in args]
                return lambda v: [enc(x) for enc, x in zip(parts, v, strict=True)]
            item = self._encoder(args[0] if args else object)
            return lambda v: [item(x) for x in v]
        if origin in (dict, Mapping):
            key, value = (self._encoder(a) for a in (args or (object, object)))
            if args and args[0] is str:  # a JSON object: decoded by the C parser, keys and all
                return lambda v: {k: value(x) for k, x in v.items()}
            return lambda v: [[key(k), value(x)] for k, x in v.items()]
        raise TypeError(f"cannot encode {tp!r}")

    def _record_encoder(self, tp: type) -> Encoder:
        names: list[str] = []
        parts: list[Encoder] = []

        def encode(v: Any) -> list[Any]:
            if not parts:  # compiled on first use: records may refer to themselves
                for name, hint in self._records[tp]:
                    names.append(name)
                    parts.append(self._encoder(hint))
            return [enc(getattr(v, name)) for name, enc in zip(names, parts, strict=True)]
        return encode

    def _union_encoder(self, args: tuple[object, ...]) -> Encoder:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            inner = self._encoder(rest[0])
            return lambda v: None if v is None else inner(v)
        return self._tag

    def _tag(self, v: Any) -> Any:  # noqa: C901 - one branch per kind of value
        """A value whose type the hints do not say: tagged, so that it decodes alone."""
        if isinstance(v, Term):  # a catalog word: its message id and fields, to translate again
            return {"term": [v.msgid, self._tag(v.fields)]}
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, dt.datetime):
            return {"datetime": v.isoformat()}
        if isinstance(v, dt.date):
            return {"date": v.isoformat()}
        if isinstance(v, dt.time):
            return {"time": v.isoformat()}
        if type(v) in self._records:
            return {"record": _tag_name(type(v)), "fields": self._encoder(type(v))(v)}
        if isinstance(v, tuple):
            return {"tuple": [self._tag(x) for x in v]}
        if isinstance(v, (set, frozenset)):
            return {"set": [self._tag(x) for x in sorted(v, key=repr)]}
        if isinstance(v, list):
            return [self._tag(x) for x in v]
        if isinstance(v, dict):
            return {"dict": [[self._tag(k), self._tag(x)] for k, x in v.items()]}
        raise TypeError(f"cannot encode a {type(v).__name__}")

    # -- decoding ---------------------------------------------------------------------
    def _decoder(self, tp: object) -> Decoder:  # noqa: C901 - one branch per kind of hint
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if tp in (str, int, bool):
            return _checked(tp)  # type: ignore[arg-type]
        if tp is float:
            return _float
        if tp is type(None):
            return _none
        if tp in (dt.date, dt.datetime, dt.time):
            return _from_iso(tp)  # type: ignore[arg-type]
        if tp in (Path, PurePath):
            return lambda v: Path(_checked(str)(v))
        if tp in (object, Any):
            return self._untag
        if _is_record(tp):
            return self._record_decoder(tp)  # type: ignore[arg-type]
        if origin in (typing.Union, types.UnionType):
            rest = [a for a in args if a is not type(None)]
            if len(rest) == 1:
                inner = self._decoder(rest[0])
                return lambda v: None if v is None else inner(v)
            return self._untag
        if origin in (tuple, list, set, frozenset):
            if origin is tuple and args and args[-1] is not Ellipsis:
                parts = [self._decoder(a) for a in args]
                return lambda v: tuple(dec(x) for dec, x in zip(parts, _list(v, len(parts)), strict=True))
            item = self._decoder(args[0] if args else object)
            return lambda v: origin(map(item, _list(v)))
        if origin in (dict, Mapping):
            key, value = (self._decoder(a) for a in (args or (object, object)))
            if args and args[0] is str:
                return self._str_dict_decoder(value)
            return lambda v: {key(k): value(x) for k, x in (_list(p, 2) for p in _list(v))}
        raise TypeError(f"cannot decode {tp!r}")

    def _str_dict_decoder(self, value: Decoder) -> Decoder:
        """A dict with str keys from a JSON object; untyped scalar values (most of a
        finding's `detail`) are taken as they are, without a call per value."""
        scalars = (str, int, float, bool, type(None))

        def decode(v: Any) -> dict[str, Any]:
            if type(v) is not dict:
                raise CodecError("expected an object")
            if value == self._untag:
                return {k: x if type(x) in scalars else value(x) for k, x in v.items()}
            return {k: value(x) for k, x in v.items()}
        return decode

    def _record_decoder(self, tp: type) -> Decoder:
        """A record from its list of field values: only the fields that are not plain
        JSON values are converted (this runs once per stored object, so it is lean)."""
        names: list[str] = []
        convert: list[tuple[int, Decoder]] = []
        ready: list[bool] = []
        by_name = dataclasses.is_dataclass(tp) and any(f.kw_only for f in dataclasses.fields(tp))

        def decode(v: Any) -> Any:
            if not ready:
                for i, (name, hint) in enumerate(self._records[tp]):
                    names.append(name)
                    if not _plain(hint):
                        convert.append((i, self._decoder(hint)))
                ready.append(True)
            if type(v) is not list or len(v) != len(names):
                raise CodecError(f"expected the {len(names)} fields of {tp.__name__}")
            values = v.copy()
            for i, dec in convert:
                values[i] = dec(values[i])
            return tp(**dict(zip(names, values, strict=True))) if by_name else tp(*values)
        return decode

    def _untag(self, v: Any) -> Any:  # noqa: C901 - one branch per tag
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, list):
            return [self._untag(x) for x in v]
        if not isinstance(v, dict) or len(v) not in (1, 2):
            raise CodecError("not a tagged value")
        if "record" in v:
            tp = self._tagged.get(v["record"])
            if tp is None:
                raise CodecError(f"unknown record {v['record']!r}")
            return self._decoder(tp)(v.get("fields"))
        (tag, data), = v.items()
        if tag == "term":
            msgid, fields = _list(data, 2)
            fields = self._untag(fields)
            if type(msgid) is not str or not isinstance(fields, dict) or not all(type(k) is str for k in fields):
                raise CodecError("not a term")
            try:
                return Term(msgid, **fields)
            except (KeyError, IndexError, ValueError) as exc:
                raise CodecError(f"not a term: {exc}") from None
        if tag == "date":
            return _from_iso(dt.date)(data)
        if tag == "datetime":
            return _from_iso(dt.datetime)(data)
        if tag == "time":
            return _from_iso(dt.time)(data)
        if tag == "tuple":
            return tuple(self._untag(x) for x in _list(data))
        if tag == "set":
            return {self._untag(x) for x in _list(data)}
        if tag == "dict":
            return {self._untag(k): self._untag(x) for k, x in (_list(p, 2) for p in _list(data))}
        raise CodecError(f"unknown tag {tag!r}")


def _tag_name(tp: type) -> str:
    # With the module: two commands' records may share a name (report.CaseOutcome).
    return f"{tp.__module__}.{tp.__qualname__}"


def _plain(hint: object) -> bool:
    """A hint whose JSON value is the value itself: no conversion when decoding."""
    if hint in (str, int, bool, float, type(None)):
        return True
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return all(_plain(a) for a in typing.get_args(hint))
    return False


def _same(v: Any) -> Any:
    return v


def _iso(v: dt.date | dt.time) -> str:
    return v.isoformat()


def _checked(tp: type) -> Decoder:
    def decode(v: Any) -> Any:
        if type(v) is not tp:
            raise CodecError(f"expected {tp.__name__}")
        return v
    return decode


def _float(v: Any) -> int | float:
    if type(v) not in (int, float):
        raise CodecError("expected a number")
    return v


def _none(v: Any) -> None:
    if v is not None:
        raise CodecError("expected null")


def _from_iso(tp: type[dt.date] | type[dt.time]) -> Decoder:
    def decode(v: Any) -> Any:
        if type(v) is not str:
            raise CodecError(f"expected an ISO {tp.__name__}")
        try:
            return tp.fromisoformat(v)
        except ValueError as exc:
            raise CodecError(str(exc)) from None
    return decode


def _list(v: Any, length: int | None = None) -> list[Any]:
    if type(v) is not list or (length is not None and len(v) != length):
        raise CodecError("expected a list" + (f" of {length}" if length is not None else ""))
    return v
