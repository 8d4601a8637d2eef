"""The error that matters first: when a file cannot be read, its problem comes first, and
the problems that only follow from it are held back (counted, not listed).

One slip in `case.yaml` (a line indented wrongly) leaves the case without its people,
professionals and consents; every other file's reference to them is then an
`unknown-reference`, dozens of lines that bury the one that matters. So, per case:

- `case.yaml` or `plan.yaml` cannot be read (missing, not YAML, not a mapping, …): the
  `unknown-reference` problems of the case (what the file would have defined) are held
  back, and for `plan.yaml` also the `not-an-occurrence` ones (attendance checked against
  a plan that did not load);
- `plan.yaml` has a value that does not convert (a bad weekday drops a session): the `not-an-occurrence`
  problems of the case are held back, since the sessions they are checked against may be
  the ones that did not load;
- `familieplan.yaml` cannot be read: the `unknown-reference` problems of every case (its
  departments are unknown).

They come back on the next run once the file is fixed. The order is otherwise the one of
`Problem.sort_key`, with the problems of unreadable files first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from familieplan.problems import CODES, ERROR, Problem

# The codes after which a file's contents are not known at all.
UNREADABLE = frozenset(("read-error", "symlink", "too-large", "encoding", "control-char", "conflict-marker",
                        "bad-indent", "syntax", "empty-file", "not-mapping", "yaml-tag", "yaml-anchor", "too-deep",
                        "missing-file"))
_REFERENCE = "unknown-reference"
_OCCURRENCE = "not-an-occurrence"
_IN_CASE = re.compile(r"\A(?P<case>(?:.*/)?cases/[^/]+)/(?P<file>.+)\Z")


def _where(problem: Problem) -> tuple[str | None, str]:
    """The case folder a problem is in (None: outside a case) and its file's name there."""
    found = _IN_CASE.match(problem.source.path.replace("\\", "/"))
    if found is None:
        return None, problem.source.path.replace("\\", "/").rsplit("/", 1)[-1]
    return found["case"], found["file"]


def _follows(problems: Iterable[Problem]) -> tuple[set[str], dict[str | None, set[str]], set[int]]:
    """The codes held back everywhere, the codes held back per case, and the problems (by
    id) of unreadable files."""
    everywhere: set[str] = set()
    per_case: dict[str | None, set[str]] = {}
    unreadable: set[int] = set()
    for problem in problems:
        case, name = _where(problem)
        cannot_read = problem.code in UNREADABLE
        if cannot_read:
            unreadable.add(id(problem))
        if case is None and name == "familieplan.yaml" and cannot_read:
            everywhere.add(_REFERENCE)
        elif name == "case.yaml" and cannot_read:
            per_case.setdefault(case, set()).add(_REFERENCE)
        elif name == "plan.yaml" and cannot_read:
            per_case.setdefault(case, set()).update((_REFERENCE, _OCCURRENCE))
        elif name == "plan.yaml" and problem.level == ERROR and CODES[problem.code].group == "schema":
            per_case.setdefault(case, set()).add(_OCCURRENCE)
    return everywhere, per_case, unreadable


def first_errors(problems: list[Problem]) -> tuple[list[Problem], int]:
    """The problems to show, those of unreadable files first, and how many were held back
    because they only follow from a file that could not be read."""
    everywhere, per_case, unreadable = _follows(problems)
    shown = []
    held = 0
    for problem in problems:
        if problem.code in everywhere or problem.code in per_case.get(_where(problem)[0], ()):
            held += 1
        else:
            shown.append(problem)
    shown.sort(key=lambda p: (id(p) not in unreadable, p.sort_key()))
    return shown, held
