"""Plain data to bytes and back for the cache: pickle, restricted to the tool's own records.

The cache stores results (problems, findings, rows, deadlines) and must never be a way to
run code. Unpickling runs code only through the globals a pickle names, so `Codec.loads`
resolves no global but the classes reachable from the stored type's hints (dataclasses
and named tuples of the tool, found by walking the hints once), dates and times, paths and
the catalog word `Term`: a planted or corrupt entry can build those and nothing else, and
anything that fails to load is a `CodecError` (a miss). The folder the entries live in is
the user's own (0700, checked; `workspace/cache.py`), so no other account can plant one.

Why pickle and not JSON: a warm run of the whole caseload decodes 2,000 entries; the C
unpickler builds their objects several times faster than JSON parsing plus a generic
rebuild from type hints (measured on the bench workspace: 0.05 ms against 0.12 ms an entry).

`fingerprint` is a digest of the shapes (class names, fields and their hints) reachable
from the root: part of every cache key, so entries written for another shape are never read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import pickle
import types
import typing
from collections.abc import Callable
from pathlib import Path, PosixPath, PurePath, PurePosixPath
from typing import Any

from familieplan.problems import Term, _make_term


class CodecError(ValueError):
    """Data that does not load as the expected type (a corrupt or foreign entry)."""


def _is_record(tp: object) -> bool:
    return isinstance(tp, type) and (dataclasses.is_dataclass(tp) or (issubclass(tp, tuple) and hasattr(tp, "_fields")))


def _fields(tp: type) -> list[tuple[str, object]]:
    hints = typing.get_type_hints(tp)
    if dataclasses.is_dataclass(tp):
        return [(f.name, hints[f.name]) for f in dataclasses.fields(tp) if f.init]
    return [(name, hints.get(name, object)) for name in tp._fields]  # type: ignore[attr-defined]


# Globals every entry may name besides its records: values of untyped fields (message
# arguments, a finding's details) are dates, times, paths and catalog words.
_PLAIN: tuple[Any, ...] = (dt.date, dt.datetime, dt.time, dt.timedelta, Path, PosixPath, PurePath, PurePosixPath,
                           Term, _make_term, set, frozenset)


class Codec:
    """Dumping and loading of one root type (e.g. `tuple[CaseOutcome, CaseLoad | None]`)."""

    def __init__(self, root: object) -> None:
        self.root = root
        self._records: dict[type, list[tuple[str, object]]] = {}
        self._collect(root)
        self._allowed = {_global_name(g): g for g in (*self._records, *_PLAIN)}
        shape = sorted((_tag_name(t), [(n, repr(h)) for n, h in fs]) for t, fs in self._records.items())
        self.fingerprint = hashlib.sha256(repr((repr(root), shape)).encode()).hexdigest()[:16]
        self._shape = _shape_test(root)

    def _collect(self, tp: object) -> None:
        if _is_record(tp):
            assert isinstance(tp, type)
            if tp in self._records:
                return
            self._records[tp] = fields = _fields(tp)
            for _, hint in fields:
                self._collect(hint)
            return
        for arg in typing.get_args(tp):
            if arg is not Ellipsis:
                self._collect(arg)

    def dumps_entry(self, entry: tuple[Any, ...]) -> bytes:
        """A cache entry: a tuple of plain values (key, stamps, …) whose last item is a
        value of the root type."""
        try:
            return pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a value that cannot be stored is not cached
            raise CodecError(f"cannot store: {type(exc).__name__}") from None

    def conforms(self, value: Any) -> bool:
        """Whether `value` has the outer shape of the root type."""
        return self._shape(value)

    def loads_entry(self, data: bytes, shaped: bool = True) -> tuple[Any, ...]:
        """The entry `dumps_entry` wrote; CodecError for anything else (with `shaped`, also
        for an entry whose last item is not of the root type). Nothing but the allowed
        globals is ever resolved, so loading runs no code of the entry's choosing."""
        try:
            entry = _Unpickler(io.BytesIO(data), self._allowed).load()
        except CodecError:
            raise
        except Exception as exc:  # noqa: BLE001 - a corrupt entry fails in many ways: all are a miss
            raise CodecError(f"not an entry: {type(exc).__name__}") from None
        if type(entry) is not tuple or not entry or (shaped and not self._shape(entry[-1])):
            raise CodecError("an entry of another shape")
        return entry


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, allowed: dict[tuple[str, str], Any]) -> None:
        super().__init__(file)
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        found = self.allowed.get((module, name))
        if found is None:
            raise CodecError(f"{module}.{name} is not a stored type")
        return found


def _shape_test(tp: object) -> Callable[[Any], bool]:
    """A test whether a value has the outer shape of `tp`: tuples, lists and sets of the
    right kind and length whose items are of their record types (or None where allowed).
    Made once per codec (a warm run tests 2,000 entries). The fingerprint in the key keeps
    entries of other shapes apart; this catches an entry that is not one of ours."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if _is_record(tp):
        assert isinstance(tp, type)
        record = tp
        return lambda value: isinstance(value, record)
    if origin is tuple and args and args[-1] is not Ellipsis:
        tests = [_shape_test(a) for a in args]
        size = len(tests)
        return lambda value: (type(value) is tuple and len(value) == size
                              and all(test(item) for test, item in zip(tests, value, strict=True)))
    if origin in (tuple, list, set, frozenset):
        kind = origin
        each = _shape_test(args[0]) if args else None
        return lambda value: type(value) is kind and (each is None or all(map(each, value)))
    if origin in (typing.Union, types.UnionType):
        tests = [_shape_test(a) for a in args]
        return lambda value: any(test(value) for test in tests)
    if tp is type(None):
        return lambda value: value is None
    return lambda value: True


def _global_name(obj: Any) -> tuple[str, str]:
    return obj.__module__, obj.__qualname__


def _tag_name(tp: type) -> str:
    # With the module: two commands' records may share a name (report.CaseOutcome).
    return f"{tp.__module__}.{tp.__qualname__}"
