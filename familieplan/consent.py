"""Who may read what (FORMAT.md, "Who may read what").

An item without an area may be read by every recipient. An item with an area may be read
by one of the family's people, by the coordinating caseworker, and by a professional
whose department is named, together with that area, by a consent in force on the day in
question. Everyone else gets a neutral line instead. The same rule applies to agenda
items, to interventions and (our extension) to goals.
"""

from __future__ import annotations

import datetime as dt

from familieplan import model as m

EVERYONE = None  # the full, internal version


def may_read(case: m.Case, recipient: str | None, area: str | None, day: dt.date) -> bool:
    if area is None or recipient is EVERYONE:
        return True
    info = case.info
    if info is None:
        return False
    if recipient == info.coordinator or recipient in case.people_by_id():
        return True
    professional = case.professionals_by_id().get(recipient)
    if professional is None or professional.department is None:
        return False
    return any(consent.in_force(day) and area in consent.areas and professional.department in consent.departments
               for consent in info.consents)
