"""The one consent rule (familieplan.consent): five kinds of reader, the days a consent
must be in force, withdrawals, children and what each kind of item is about."""

from __future__ import annotations

import datetime as dt

import pytest

from familieplan import model as m
from familieplan.consent import EVERYONE, Reading, subject_of

D = dt.date
MEETING = D(2026, 3, 2)
LATER = D(2026, 10, 1)


def case() -> m.Case:
    info = m.CaseInfo(
        id="c", title="Familien Test", coordinator="koord", status="active",
        people=(m.Person(id="mor", name="Mor", role="parent"), m.Person(id="barn", name="Barn", role="child"),
                m.Person(id="lillebror", name="Lillebror", role="child")),
        professionals=(m.Professional(id="koord", name="K", department="jobcenter"),
                       m.Professional(id="behandler", name="B", department="misbrug"),
                       m.Professional(id="laerer", name="L", department="skole"),
                       m.Professional(id="laege", name="Læ", department="sundhed")),
        consents=(
            m.Consent(id="c1", person="mor", areas=("family", "school"), departments=("skole", "misbrug"),
                      start=D(2026, 1, 1)),
            m.Consent(person="mor", areas=("addiction",), departments=("misbrug",), start=D(2026, 1, 1),
                      withdrawn=D(2026, 6, 1)),
        ))
    plan = m.Plan(interventions=(
        m.Intervention(id="behandling", area="addiction", attendees=("mor",)),
        m.Intervention(id="lektier", area="school", attendees=("barn",)),
    ), goals=(m.Goal(id="g1", person="barn", area="school"), m.Goal(id="g2", person="mor", area="addiction")))
    agreements = (m.Agreement(id="a1", text="x", intervention="lektier"),
                  m.Agreement(id="a2", text="y", area="addiction"),
                  m.Agreement(id="a3", text="z"))
    return m.Case("c", None, info, plan, agreements=agreements,  # type: ignore[arg-type]
                  questions=(m.Question(about="?", agreement="a1"),))


@pytest.mark.parametrize("reader, area, about, allowed", [
    (EVERYONE, "addiction", (), True),          # the team's internal view
    ("koord", "addiction", (), True),           # the coordinator reads everything
    ("mor", "addiction", ("mor",), True),       # the family reads everything...
    ("barn", None, (), True),                   # ...a child what has no area
    ("barn", "school", ("barn",), True),        # ...and what is about them
    ("barn", "addiction", ("mor",), False),     # but not a parent's treatment
    ("laerer", "school", (), True),             # professional, area and department in a consent
    ("laerer", "addiction", (), False),         # partial consent: not this area
    ("laege", "family", (), False),             # no consent at all
    ("laege", None, (), True),                  # no area: for every reader
    ("nobody", "family", (), False),            # not in the case
])
def test_five_kinds_of_reader(reader, area, about, allowed):
    assert Reading(case(), reader, [MEETING]).allows(area, about) is allowed


def test_a_consent_must_be_in_force_on_every_day_that_matters():
    c = case()
    # At the meeting (2 March) the addiction consent was in force; it was withdrawn on 1 June.
    assert Reading(c, "behandler", [MEETING]).allows("addiction")
    # Minutes made on 1 October for that meeting: the withdrawal since the meeting applies.
    assert not Reading(c, "behandler", [MEETING, LATER]).allows("addiction")
    # A back-dated render cannot undo a withdrawal dated before the real date of rendering.
    assert not Reading(c, "behandler", [MEETING], real_today=LATER).allows("addiction")
    assert Reading(c, "behandler", [MEETING, LATER]).allows("family")


def test_basis_names_the_consent_or_the_reason():
    c = case()
    assert Reading(c, "laerer", [MEETING]).basis("school") == "c1"
    assert Reading(c, "behandler", [MEETING]).basis("addiction") == "consents[1]"
    assert Reading(c, "laerer", [MEETING]).basis(None) == "no-area"
    assert Reading(c, "mor", [MEETING]).basis("addiction") == "family"
    assert Reading(c, "koord", [MEETING]).basis("addiction") == "coordinator"
    assert Reading(c, "laege", [MEETING]).basis("school") is None


def test_what_each_item_is_about():
    c = case()
    assert c.plan is not None
    behandling, lektier = c.plan.interventions
    assert subject_of(c, behandling).about == {"mor"}
    assert subject_of(c, c.plan.goals[0]).about == {"barn"}
    a1, a2, a3 = c.agreements
    assert (subject_of(c, a1).area, subject_of(c, a1).about) == ("school", {"barn"})
    assert (subject_of(c, a2).area, subject_of(c, a2).about) == ("addiction", frozenset())
    assert subject_of(c, a3).area is None
    assert subject_of(c, c.questions[0]).about == {"barn"}
    child = Reading(c, "barn", [MEETING])
    brother = Reading(c, "lillebror", [MEETING])
    assert child.allows_subject(subject_of(c, a1)) and not brother.allows_subject(subject_of(c, a1))
    assert not child.allows_subject(subject_of(c, a2))
    assert child.allows_subject(subject_of(c, a3)) and brother.allows_subject(subject_of(c, a3))
