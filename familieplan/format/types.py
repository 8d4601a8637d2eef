"""The type machinery of the file format: a type converts a node with an explicit format,
reports a problem at the value's position when it does not fit, and describes itself as
JSON Schema. The types of single values are in `scalars`, records and lists in `records`;
the format itself is declared with them in `specs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from familieplan.format.cpr import mask_cpr
from familieplan.format.nodes import Mapping, Node, Scalar, Sequence
from familieplan.problems import N_, Problem, Source, Term, make_problem

INVALID: Any = object()  # a value that failed conversion (its problem is already reported)


@dataclass(slots=True)
class Ctx:
    """What a conversion needs: the file's path, the problem list, the known areas."""

    path: str
    problems: list[Problem]
    areas: frozenset[str]

    def src(self, node: Node) -> Source:
        return Source(self.path, node.line, node.col)

    def report(self, node: Node, code: str, message: str, hint: str | None = None, **args: object) -> None:
        # Messages quote values: mask anything CPR-shaped before it can reach a screen.
        masked = {k: mask_cpr(v) if type(v) is str else v for k, v in args.items()}
        self.problems.append(make_problem(code, self.src(node), message, hint, **masked))


def found_kind(node: Node) -> Term:
    """What a node is, for "expected …, found …"."""
    if isinstance(node, Mapping):
        return Term(N_("a mapping"))
    if isinstance(node, Sequence):
        return Term(N_("a list"))
    return Term(N_("nothing") if node.is_null else N_("a single value"))


class Type:
    """A value type: converts a node, and describes itself as JSON Schema."""

    name = "value"

    def convert(self, node: Node, ctx: Ctx) -> Any:
        """The value, or INVALID after reporting why the node does not fit."""
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError


class SingleValue(Type):
    """A type of single values: a scalar that is not a plain null, read from its text."""

    def convert(self, node: Node, ctx: Ctx) -> Any:
        if type(node) is not Scalar or node.is_null:
            ctx.report(node, "wrong-type", N_("expected {name}, found {found}"), name=Term(self.name),
                       found=found_kind(node))
            return INVALID
        return self.read(node.value, node, ctx)

    def read(self, text: str, node: Scalar, ctx: Ctx) -> Any:
        """The value written as `text` (the scalar `node`'s), or INVALID after reporting."""
        raise NotImplementedError
