"""The compound types of the file format: a record (a mapping with known keys, built into
a model record that keeps the place of every value), lists, maps of id: name, and values
that may be left empty.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from familieplan import model as m
from familieplan.format.nodes import Mapping, Node, Scalar, Sequence, plain
from familieplan.format.scalars import Id, Text
from familieplan.format.suggest import DID_YOU_MEAN, did_you_mean
from familieplan.format.types import INVALID, Ctx, Type, found_kind
from familieplan.problems import N_, Source, Term


class ListOf(Type):
    def __init__(self, item: Type, min_items: int = 0) -> None:
        self.item = item
        self.min_items = min_items
        self.name = f"a list of {item.name}"

    def convert(self, node: Node, ctx: Ctx) -> Any:
        """The items that convert, as a tuple (each other one is reported)."""
        if type(node) is not Sequence:
            hint = N_("write a list: [{value}]") if type(node) is Scalar and not node.is_null else None
            ctx.report(node, "wrong-type", N_("expected a list, found {found}"), hint, found=found_kind(node),
                       value=node.value if type(node) is Scalar else "")
            return INVALID
        if len(node.items) < self.min_items:
            ctx.report(node, "missing-field", N_("the list needs at least {n} entry"), n=self.min_items)
            return INVALID
        values = (self.item.convert(child, ctx) for child in node.items)
        return tuple(value for value in values if value is not INVALID)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


class MapOf(Type):
    """id: display name — departments and extra areas in familieplan.yaml."""

    name = N_("a mapping of id: name")

    def convert(self, node: Node, ctx: Ctx) -> Any:
        if type(node) is not Mapping:
            ctx.report(node, "wrong-type", N_("expected {name}, found {found}"), name=Term(self.name),
                       found=found_kind(node))
            return INVALID
        out = {}
        for key, (key_node, value_node) in node.items.items():
            if Id().convert(key_node, ctx) is INVALID:
                continue
            value = Text().convert(value_node, ctx)
            if value is not INVALID:
                out[key] = value
        return out

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object", "propertyNames": {"type": "string", "pattern": Id().json_schema()["pattern"],
                                                    "maxLength": 64},
                "additionalProperties": Text().json_schema()}


class DepartmentMap(MapOf):
    """`departments:` in familieplan.yaml: id: name, or (third edition) id: a mapping with
    the name and the areas the department works in (`record`)."""

    def __init__(self, record: Record) -> None:
        self.record = record

    def convert(self, node: Node, ctx: Ctx) -> Any:
        if type(node) is not Mapping:
            return super().convert(node, ctx)
        out = {}
        for key, (key_node, value_node) in node.items.items():
            if Id().convert(key_node, ctx) is INVALID:
                continue
            value = (self.record.convert(value_node, ctx) if type(value_node) is Mapping
                     else Text().convert(value_node, ctx))
            if value is not INVALID:
                out[key] = value
        return out

    def json_schema(self) -> dict[str, Any]:
        schema = super().json_schema()
        return {**schema, "additionalProperties": {"anyOf": [Text().json_schema(), self.record.json_schema()]}}


def or_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, or nothing (`key:` left empty)."""
    if "type" in schema and "anyOf" not in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


_EXTENSION_DOC = N_("Your own key: keys starting with x- are kept and not checked")


class Nullable(Type):
    """A value that may be left empty: None, where an optional field left empty is absent."""

    def __init__(self, inner: Type) -> None:
        self.inner = inner
        self.name = inner.name

    def convert(self, node: Node, ctx: Ctx) -> Any:
        if type(node) is Scalar and node.is_null:
            return None
        return self.inner.convert(node, ctx)

    def json_schema(self) -> dict[str, Any]:
        return or_null(self.inner.json_schema())


@dataclass(slots=True)
class Field:
    """A record's key: its type, whether it is required, the model attribute it fills
    (empty: the key's own name, filled in by `Record`) and its user documentation."""

    type: Type
    required: bool = False
    attr: str = ""
    doc: str = ""

    @property
    def nullable(self) -> bool:
        return isinstance(self.type, Nullable)


def F(type_: Type, doc: str = "", *, required: bool = False, attr: str | None = None) -> Field:
    return Field(type_, required, attr or "", doc)


def _item_places(where: dict[str, Source], key: str, ctx: Ctx, node: Sequence) -> None:
    """`key[i]` for each scalar item of a list that converted whole: a check on one item
    (an unknown id in `send_to: [mor, nobody]`) points at that item, not at the list."""
    for index, item in enumerate(node.items):
        if type(item) is Scalar:
            where[f"{key}[{index}]"] = ctx.src(item)


class Record(Type):
    """A mapping with known keys, built into a model record."""

    def __init__(self, name: str, cls: type, fields: dict[str, Field], doc: str = "",
                 rules: dict[str, Any] | None = None) -> None:
        self.name = name
        self.cls = cls
        self.fields = fields
        self.doc = doc
        # JSON Schema keywords for the rules between the record's own fields that a check
        # enforces (`status: closed` needs `closed`): what an editor can check as well.
        self.rules = rules or {}
        for key, spec in fields.items():
            if not spec.attr:
                spec.attr = key
        self.required = [k for k, f in fields.items() if f.required]
        defaults = {f.name: f.default for f in dataclasses.fields(cls)}
        assert all(spec.attr in defaults for spec in fields.values()), (name, cls)
        # Attributes whose default is None may take an explicit None (a failed value);
        # the others keep their default.
        self.takes_none = frozenset(attr for attr, default in defaults.items() if default is None)

    def convert(self, node: Node, ctx: Ctx, extra: dict[str, Any] | None = None) -> Any:
        """The record, or INVALID; `extra` are values of attributes that no key gives (a
        meeting's name, from its file name)."""
        if type(node) is not Mapping:
            ctx.report(node, "wrong-type", N_("expected {name} (a mapping of key: value), found {found}"),
                       name=Term(self.name), found=found_kind(node))
            return INVALID
        values: dict[str, Any] = {}
        where: dict[str, Source] = {}
        extensions: dict[str, object] = {}
        for key, (key_node, value_node) in node.items.items():
            spec = self.fields.get(key)
            if spec is None:
                self._unknown(key, key_node, value_node, ctx, extensions)
                continue
            where[key] = ctx.src(value_node)
            value = self._value(key, spec, value_node, ctx, where)
            # Absent fields keep the dataclass defaults; None (left empty, or a value that
            # failed) overrides them only where the dataclass allows it.
            if value is not None or spec.attr in self.takes_none:
                values[spec.attr] = value
        for key in self.required:
            if key not in node.items:
                ctx.report(node, "missing-field", N_("{name} is missing '{key}'"), name=Term(self.name), key=key)
        if extra:
            values.update(extra)
        return self.cls(source=ctx.src(node), where=where, extensions=extensions, **values)

    @staticmethod
    def _value(key: str, spec: Field, node: Node, ctx: Ctx, where: dict[str, Source]) -> Any:
        """A field's value: None where it is left empty or does not convert (reported)."""
        if type(node) is Scalar and node.is_null:
            # An optional field left empty counts as absent (a nullable one is None).
            if spec.required and not spec.nullable:
                ctx.report(node, "missing-field", N_("'{key}' has no value"), key=key)
            return None
        value = spec.type.convert(node, ctx)
        if value is INVALID:
            return None
        if type(node) is Sequence and type(value) is tuple and len(value) == len(node.items):
            _item_places(where, key, ctx, node)
        return value

    def _unknown(self, key: str, key_node: Scalar, value_node: Node, ctx: Ctx, extensions: dict[str, object]) -> None:
        """A key the record does not know: an `x-` extension is kept, any other reported."""
        if key.startswith("x-"):
            extensions[key] = plain(value_node)
            return
        suggestion = did_you_mean(key, self.fields)
        ctx.report(key_node, "unknown-key", N_("unknown key '{key}' in {name}"),
                   DID_YOU_MEAN if suggestion else None, key=key[:40], name=Term(self.name),
                   suggestion=suggestion)

    def json_schema(self) -> dict[str, Any]:
        props = {}
        for key, spec in self.fields.items():
            schema = spec.type.json_schema()
            if not spec.required and not spec.nullable:
                schema = or_null(schema)  # an optional field left empty counts as absent
            if spec.doc:
                schema = {**schema, "description": spec.doc}
            props[key] = schema
        out: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "patternProperties": {"^x-": {"description": _EXTENSION_DOC}},
            "additionalProperties": False,
        }
        if self.doc:
            out["description"] = self.doc
        if self.required:
            out["required"] = list(self.required)
        return {**out, **self.rules}


class ParticipantType(Type):
    """A participant: an id, or a mapping {id, present} to mark someone absent."""

    name = "a participant"

    def __init__(self, record: Record) -> None:
        self.record = record

    def convert(self, node: Node, ctx: Ctx) -> Any:
        if type(node) is Scalar:
            pid = Id().convert(node, ctx)
            if pid is INVALID:
                return INVALID
            return m.Participant(source=ctx.src(node), id=pid)
        return self.record.convert(node, ctx)

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [Id().json_schema(), self.record.json_schema()]}
