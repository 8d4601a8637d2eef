"""The statutory rules: the registry (`registry`) and one module per law family: barnets
lov (`children`), the employment act and its 2026 reform (`employment`), good
administration and Digital Post (`administration`), access to records (`access`).
Importing the package registers every rule, in this order (the order of docs/rules.md and
of `familieplan rules`)."""

from __future__ import annotations

# isort: off
from familieplan.rules import children as _children  # noqa: F401  (registers its rules)
from familieplan.rules import employment as _employment  # noqa: F401
from familieplan.rules import administration as _administration  # noqa: F401
from familieplan.rules import access as _access  # noqa: F401
# isort: on
