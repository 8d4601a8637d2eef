"""The checks: cross-file checks of one case (`case`) and the load checks of one person's
week (`weekly`), each a registered unit (`registry`)."""

from __future__ import annotations

from familieplan.checks import absence as _absence  # noqa: F401  (registers a load check)
from familieplan.checks import consents as _consents  # noqa: F401  (registers a check)
from familieplan.checks import dates as _dates  # noqa: F401  (registers its checks)
from familieplan.checks import names as _names  # noqa: F401  (registers a check)
from familieplan.checks import records as _records  # noqa: F401  (registers its checks and references)
from familieplan.checks import statutory as _statutory  # noqa: F401  (registers its checks)
from familieplan.problems import CODES, CodeDoc


def all_codes() -> dict[str, CodeDoc]:
    """Every code: importing the modules that declare codes registers theirs."""
    import familieplan.checks.absence  # noqa: F401
    import familieplan.checks.case  # noqa: F401
    import familieplan.checks.consents  # noqa: F401
    import familieplan.checks.dates  # noqa: F401
    import familieplan.checks.names  # noqa: F401
    import familieplan.checks.records  # noqa: F401
    import familieplan.checks.statutory  # noqa: F401
    import familieplan.checks.weekly  # noqa: F401
    import familieplan.format.codes  # noqa: F401
    import familieplan.rules  # noqa: F401  (registers unknown-rule)

    return CODES
