"""Checks are small registered units: a code, a level and a function whose docstring is
its user documentation (docs/codes.md and `familieplan codes` are generated from the
registry; `familieplan.checks.all_codes()` makes sure it is complete)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from familieplan.problems import CODES, register


@dataclass(frozen=True)
class Unit:
    """A registered check: its code, level and function (the docstring documents it)."""

    code: str
    level: str
    func: Callable[..., Iterable[Any]]


def registrar(group: str, units: list[Unit]) -> Callable[[str, str], Callable[[Callable], Callable]]:
    """A decorator factory that registers checks of one group (`@check(code, level)`)."""

    def register_unit(code: str, level: str) -> Callable[[Callable], Callable]:
        def deco(func: Callable) -> Callable:
            register(code, level, group, func.__doc__ or "")
            units.append(Unit(code, level, func))
            return func

        return deco

    return register_unit


def documented(code: str) -> bool:
    return code in CODES and bool(CODES[code].doc.strip())
