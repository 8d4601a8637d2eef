"""`disclosures`: who was given what about whom, from a case's disclosure log (e.g. for
a citizen's request for access)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from familieplan import model as m
from familieplan.engine.cases import load_one
from familieplan.engine.filters import unknown_filter
from familieplan.settings import Settings


@dataclass
class DisclosureList:
    settings: Settings
    case: m.Case
    entries: list[m.Disclosure] = field(default_factory=list)

    def name(self, some_id: str | None) -> str:
        if not some_id:
            return ""
        people = self.case.people_by_id()
        pros = self.case.professionals_by_id()
        found = people.get(some_id) or pros.get(some_id)
        return (found.name if found and found.name else None) or some_id


def list_disclosures(root: Path, case_name: str, about: str | None = None,
                     recipient: str | None = None) -> DisclosureList:
    """The case's disclosures, oldest first, about one person and to one recipient when
    asked; a filter that names nobody of the case is a UsageError."""
    settings, case = load_one(root, case_name)
    ids = set(case.people_by_id())
    unknown_filter("--about", about, ids)
    unknown_filter("--recipient", recipient, ids | set(case.professionals_by_id()))
    entries = [d for d in case.disclosures
               if (about is None or about in d.about) and (recipient is None or d.recipient == recipient)]
    entries.sort(key=lambda d: (d.at.timestamp() if d.at else 0.0))
    return DisclosureList(settings, case, entries)
