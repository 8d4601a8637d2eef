"""The statutory rules at their boundaries: each deadline hand-computed (the last day in
time, the first day late), and a fact dated the day before and the day a rule came into
force. Months are calendar months; working days as `due` counts them."""

from __future__ import annotations

import datetime as dt

import pytest

from familieplan import facts
from familieplan import model as m
from familieplan.problems import Source
from familieplan.rules.outcomes import notices_on
from familieplan.rules.registry import (
    MET,
    OPEN,
    OVERDUE,
    RULES,
    add_months,
    in_force_on,
    late,
    state,
    statutory_facts,
)
from familieplan.schedule.calendar import WorkCalendar
from familieplan.settings import RuleSettings, Settings

D = dt.date


def _case(people: tuple[m.Person, ...] = (), interventions: tuple[m.Intervention, ...] = (), **kwargs: object) -> m.Case:
    info = m.CaseInfo(id="c", people=(m.Person(id="mor", name="Anna", role="parent"), *people))
    plan = m.Plan(title="P", start=D(2020, 1, 1), end=D(2029, 12, 31), interventions=interventions)
    return m.Case("c", None, info, plan, **kwargs)  # type: ignore[arg-type]


def _obligations(case: m.Case, rule: str, settings: Settings | None = None) -> list:
    settings = settings or Settings()
    found, _ = statutory_facts(case, settings, WorkCalendar(settings))
    return [o for o in found if o.rule == rule]


def _notices(case: m.Case, rule: str, settings: Settings | None = None) -> list:
    settings = settings or Settings()
    _, found = statutory_facts(case, settings, WorkCalendar(settings))
    return [n for n in found if n.rule == rule]


def _child(**welfare: object) -> m.Person:
    return m.Person(id="lilli", name="Lilli", role="child", child_welfare=facts.ChildWelfare(**welfare))  # type: ignore[arg-type]


def _on_time(item, met_day: dt.date) -> None:
    assert state(item, met_day) == MET and late(item, met_day) is False


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 10, 31), 4, D(2027, 2, 28)), (D(2027, 10, 31), 4, D(2028, 2, 29)), (D(2026, 8, 3), 4, D(2026, 12, 3)),
    (D(2026, 1, 31), 1, D(2026, 2, 28)), (D(2026, 11, 30), 3, D(2027, 2, 28)), (D(2026, 12, 15), 1, D(2027, 1, 15)),
])
def test_months_are_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


# --- barnets lov ------------------------------------------------------------------------

def test_bl_20_investigation_four_months_after_aware():
    running = _case((_child(aware=D(2026, 8, 3), investigation=facts.Investigation(started=D(2026, 8, 10))),))
    [item] = _obligations(running, "bl-20-investigation")
    assert item.date == D(2026, 12, 3) and item.area == "family" and item.person == "lilli"
    assert state(item, D(2026, 12, 3)) == OPEN and late(item, D(2026, 12, 3)) is None
    assert state(item, D(2026, 12, 4)) == OVERDUE and late(item, D(2026, 12, 4)) is True
    assert "foreløbig vurdering" in item.message
    done = _case((_child(aware=D(2026, 8, 3), investigation=facts.Investigation(concluded=D(2026, 12, 3))),))
    _on_time(_obligations(done, "bl-20-investigation")[0], D(2026, 12, 4))
    late_one = _case((_child(aware=D(2026, 8, 3), investigation=facts.Investigation(concluded=D(2026, 12, 4))),))
    assert late(_obligations(late_one, "bl-20-investigation")[0], D(2026, 12, 4)) is True
    month_end = _case((_child(aware=D(2026, 10, 31), investigation=facts.Investigation()),))
    assert _obligations(month_end, "bl-20-investigation")[0].date == D(2027, 2, 28)


def test_bl_20_before_and_on_the_day_barnets_lov_came_into_force():
    before = _case((_child(aware=D(2023, 12, 31), investigation=facts.Investigation()),))
    assert _obligations(before, "bl-20-investigation") == []
    first = _case((_child(aware=D(2024, 1, 1), investigation=facts.Investigation()),))
    assert _obligations(first, "bl-20-investigation")[0].date == D(2024, 5, 1)


def _placement(**values: object) -> facts.WelfareMeasure:
    return facts.WelfareMeasure(**{"id": "s1", "section": "§ 46", "kind": "placement", "consent": True, **values})  # type: ignore[arg-type]


def test_bl_91_plan_three_months_after_the_decision():
    case = _case((_child(measures=(_placement(decided=D(2026, 12, 1)),)),))
    [item] = _obligations(case, "bl-91-plan")
    assert item.date == D(2027, 3, 1)
    assert state(item, D(2027, 3, 1)) == OPEN and state(item, D(2027, 3, 2)) == OVERDUE
    written = _case((_child(measures=(_placement(decided=D(2026, 12, 1), plan=D(2027, 3, 1)),)),))
    _on_time(_obligations(written, "bl-91-plan")[0], D(2027, 3, 2))


def test_bl_91_plan_without_consent_before_the_decision():
    case = _case((_child(measures=(_placement(decided=D(2026, 12, 1), consent=False, plan=D(2026, 12, 2)),)),))
    [item] = _obligations(case, "bl-91-plan")
    assert item.date == D(2026, 12, 1) and late(item, D(2026, 12, 2)) is True
    on_time = _case((_child(measures=(_placement(decided=D(2026, 12, 1), consent=False, plan=D(2026, 12, 1)),)),))
    _on_time(_obligations(on_time, "bl-91-plan")[0], D(2026, 12, 1))


def test_bl_91_only_placements_and_only_from_2024():
    support = facts.WelfareMeasure(id="s2", kind="support", decided=D(2026, 12, 1))
    assert _obligations(_case((_child(measures=(support,)),)), "bl-91-plan") == []
    assert _obligations(_case((_child(measures=(_placement(decided=D(2023, 12, 31)),)),)), "bl-91-plan") == []
    assert _obligations(_case((_child(measures=(_placement(decided=D(2024, 1, 1)),)),)), "bl-91-plan")[0].date == \
        D(2024, 4, 1)


def test_bl_95_first_follow_up():
    case = _case((_child(measures=(_placement(decided=D(2026, 12, 1), start=D(2026, 12, 7)),)),))
    [item] = _obligations(case, "bl-95-follow-up")
    assert item.date == D(2027, 3, 7)
    assert state(item, D(2027, 3, 7)) == OPEN and state(item, D(2027, 3, 8)) == OVERDUE
    held = _case((_child(measures=(_placement(decided=D(2026, 12, 1), start=D(2026, 12, 7),
                                              follow_ups=(D(2027, 3, 7),)),)),))
    _on_time(_obligations(held, "bl-95-follow-up")[0], D(2027, 3, 8))


def test_bl_95_the_investigation_concluded_after_the_start_comes_first():
    measure = _placement(decided=D(2026, 12, 1), start=D(2026, 12, 7))
    alongside = _case((_child(investigation=facts.Investigation(concluded=D(2027, 1, 15)), measures=(measure,)),))
    assert _obligations(alongside, "bl-95-follow-up")[0].date == D(2027, 1, 15)
    earlier = _case((_child(investigation=facts.Investigation(concluded=D(2026, 11, 30)), measures=(measure,)),))
    assert _obligations(earlier, "bl-95-follow-up")[0].date == D(2027, 3, 7)
    before = _case((_child(measures=(_placement(decided=D(2023, 12, 1), start=D(2023, 12, 31)),)),))
    assert _obligations(before, "bl-95-follow-up") == []


def test_bl_156_two_visits_in_each_year_from_the_start():
    visits = (D(2027, 1, 10), D(2027, 12, 6))
    case = _case((_child(measures=(_placement(decided=D(2026, 12, 1), start=D(2026, 12, 7), supervision=visits),)),))
    first = _obligations(case, "bl-156-supervision")[0]
    assert first.date == D(2027, 12, 6)
    _on_time(first, D(2027, 12, 7))
    one = _case((_child(measures=(_placement(decided=D(2026, 12, 1), start=D(2026, 12, 7),
                                             supervision=(D(2027, 1, 10),)),)),))
    item = _obligations(one, "bl-156-supervision")[0]
    assert state(item, D(2027, 12, 6)) == OPEN and state(item, D(2027, 12, 7)) == OVERDUE
    ended = _case((_child(measures=(_placement(decided=D(2026, 12, 1), start=D(2026, 12, 7),
                                               ended=D(2027, 6, 30)),)),))
    assert _obligations(ended, "bl-156-supervision") == []
    assert _obligations(_case((_child(measures=(_placement(decided=D(2023, 12, 1), start=D(2023, 12, 31)),)),)),
                        "bl-156-supervision") == []


# --- the employment act and L 66 ---------------------------------------------------------

def _jobsamtaler(*days: dt.date) -> m.Intervention:
    return m.Intervention(id="js", title="Jobsamtaler", department="jobcenter", area="employment", kind="jobsamtale",
                          attendees=("mor",), appointments=tuple(
                              m.Appointment(date=day, start=dt.time(10), end=dt.time(11)) for day in days))


def _on_benefit(since: dt.date, kind: str = "kontanthjaelp", category: str | None = "jobparat",
                exempt: bool = False) -> m.Person:
    return m.Person(id="mor", name="Anna", role="parent", contact_exempt=exempt,
                    benefits=(facts.Benefit(kind=kind, category=category, since=since),))


def _benefit_case(person: m.Person, *interventions: m.Intervention, **kwargs: object) -> m.Case:
    info = m.CaseInfo(id="c", people=(person,))
    plan = m.Plan(title="P", start=D(2020, 1, 1), end=D(2029, 12, 31), interventions=interventions)
    return m.Case("c", None, info, plan, **kwargs)  # type: ignore[arg-type]


FOUR = (D(2026, 2, 2), D(2026, 3, 2), D(2026, 4, 6))


def test_lab_31_four_jobsamtaler_in_the_first_six_months():
    case = _benefit_case(_on_benefit(D(2026, 1, 5)), _jobsamtaler(*FOUR, D(2026, 7, 4)))
    [item] = _obligations(case, "lab-31-jobsamtaler")
    assert item.date == D(2026, 7, 4) and item.met == D(2026, 7, 4) and item.area == "employment"
    _on_time(item, D(2026, 7, 5))
    three = _benefit_case(_on_benefit(D(2026, 1, 5)), _jobsamtaler(*FOUR, D(2026, 7, 5)))
    item = _obligations(three, "lab-31-jobsamtaler")[0]
    assert item.met is None and state(item, D(2026, 7, 4)) == OPEN and state(item, D(2026, 7, 5)) == OVERDUE


def test_lab_31_a_period_that_ends_within_six_months_is_not_judged():
    ended = m.Person(id="mor", name="Anna", role="parent", benefits=(
        facts.Benefit(kind="kontanthjaelp", since=D(2026, 1, 5), until=D(2026, 7, 3)),))
    assert _obligations(_benefit_case(ended), "lab-31-jobsamtaler") == []
    full = m.Person(id="mor", name="Anna", role="parent", benefits=(
        facts.Benefit(kind="kontanthjaelp", since=D(2026, 1, 5), until=D(2026, 7, 4)),))
    assert _obligations(_benefit_case(full), "lab-31-jobsamtaler")[0].date == D(2026, 7, 4)


def test_lab_31_a_no_show_does_not_count():
    absent = (m.Attendance(date=D(2026, 3, 2), person="mor", intervention="js", status="no-show"),)
    case = _benefit_case(_on_benefit(D(2026, 1, 5)), _jobsamtaler(*FOUR, D(2026, 7, 4)), attendance=absent)
    assert _obligations(case, "lab-31-jobsamtaler")[0].met is None
    extra = _benefit_case(_on_benefit(D(2026, 1, 5)), _jobsamtaler(*FOUR, D(2026, 5, 4), D(2026, 7, 4)),
                          attendance=absent)
    assert _obligations(extra, "lab-31-jobsamtaler")[0].met == D(2026, 7, 4)


def test_the_jobsamtaler_rule_by_the_day_the_period_began():
    before = _benefit_case(_on_benefit(D(2026, 6, 30), category="aktivitetsparat"))
    assert _obligations(before, "lab-31-jobsamtaler")[0].date == D(2026, 12, 29)
    assert _obligations(before, "lab-jobsamtaler") == []
    after = _benefit_case(_on_benefit(D(2026, 7, 1)))
    assert _obligations(after, "lab-31-jobsamtaler") == []
    assert _obligations(after, "lab-jobsamtaler")[0].date == D(2026, 12, 31)


def test_lab_jobsamtaler_jobparat_or_ledighedsydelse_unless_exempt():
    assert _obligations(_benefit_case(_on_benefit(D(2026, 8, 3))), "lab-jobsamtaler")[0].date == D(2027, 2, 2)
    assert _obligations(_benefit_case(_on_benefit(D(2026, 8, 3), category="aktivitetsparat")), "lab-jobsamtaler") == []
    assert _obligations(_benefit_case(_on_benefit(D(2026, 8, 3), "ledighedsydelse", None)), "lab-jobsamtaler")
    exempt = _benefit_case(_on_benefit(D(2026, 8, 3), exempt=True))
    assert _obligations(exempt, "lab-jobsamtaler") == []
    [notice] = _notices(exempt, "lab-jobsamtaler")
    assert notice.level == "warning" and "exempt" in notice.message


def test_lab_abolished_from_the_day_of_the_reform():
    def course(start: dt.date, kind: str = "ressourceforloeb") -> m.Case:
        return _case(interventions=(m.Intervention(id="rf", title="Ressourceforløb", kind=kind, area="employment",
                                                   department="jobcenter", start=start, end=D(2027, 6, 30)),))
    assert _notices(course(D(2026, 6, 30)), "lab-abolished") == []
    [notice] = _notices(course(D(2026, 7, 1)), "lab-abolished")
    assert notice.level == "warning" and notice.area == "employment"
    assert _notices(course(D(2026, 7, 1), "revalidering"), "lab-abolished")
    assert _notices(course(D(2026, 7, 1), "other"), "lab-abolished") == []


# --- access to records ---------------------------------------------------------------------

def _request(kind: str, received: dt.date, by: str = "mor", **values: object) -> m.Case:
    return _case(requests=(facts.Request(kind=kind, by=by, received=received, **values),))  # type: ignore[arg-type]


def test_aktindsigt_seven_working_days():
    [item] = _obligations(_request("aktindsigt", D(2026, 12, 1)), "access-request")
    assert item.date == D(2026, 12, 10) and item.law == "forvaltningsloven § 16, stk. 2" and item.area is None
    assert state(item, D(2026, 12, 10)) == OPEN and state(item, D(2026, 12, 11)) == OVERDUE
    _on_time(_obligations(_request("aktindsigt", D(2026, 12, 1), answered=D(2026, 12, 10)), "access-request")[0],
             D(2026, 12, 11))
    outsider = _obligations(_request("aktindsigt", D(2026, 12, 1), by="Journalist Hans Hansen"), "access-request")[0]
    assert outsider.law == "offentlighedsloven § 36, stk. 2" and outsider.person is None


def test_aktindsigt_over_christmas_and_extended():
    # 23, 24, 28, 29, 30, 31 December and 4 January: the 25th, the 26th, the weekends and
    # New Year's Day are not working days.
    assert _obligations(_request("aktindsigt", D(2026, 12, 22)), "access-request")[0].date == D(2027, 1, 4)
    closed = Settings(calendar=Settings().calendar.__class__(closed=(D(2026, 12, 24), D(2026, 12, 31))))
    assert _obligations(_request("aktindsigt", D(2026, 12, 22)), "access-request", closed)[0].date == D(2027, 1, 6)
    extended = _request("aktindsigt", D(2026, 12, 1), extended=D(2027, 1, 15))
    assert _obligations(extended, "access-request")[0].date == D(2027, 1, 15)
    assert _obligations(_request("aktindsigt", D(2013, 12, 31)), "access-request") == []
    assert _obligations(_request("aktindsigt", D(2014, 1, 1)), "access-request")


def test_gdpr_one_month_moved_to_a_working_day():
    item = _obligations(_request("indsigt", D(2027, 1, 31)), "gdpr-12-access")[0]
    assert item.date == D(2027, 3, 1)  # 28 February 2027 is a Sunday
    assert state(item, D(2027, 3, 1)) == OPEN and state(item, D(2027, 3, 2)) == OVERDUE
    assert _obligations(_request("indsigt", D(2026, 10, 31)), "gdpr-12-access")[0].date == D(2026, 11, 30)
    assert _obligations(_request("indsigt", D(2026, 11, 5)), "gdpr-12-access")[0].date == D(2026, 12, 7)
    assert _obligations(_request("indsigt", D(2026, 11, 25)), "gdpr-12-access")[0].date == D(2026, 12, 28)


def test_gdpr_extended_at_most_two_further_months():
    assert _obligations(_request("indsigt", D(2027, 1, 31), extended=D(2027, 3, 15)),
                        "gdpr-12-access")[0].date == D(2027, 3, 15)
    assert _obligations(_request("indsigt", D(2027, 1, 31), extended=D(2027, 6, 30)),
                        "gdpr-12-access")[0].date == D(2027, 4, 30)
    assert _obligations(_request("indsigt", D(2018, 5, 24)), "gdpr-12-access") == []
    assert _obligations(_request("indsigt", D(2018, 5, 25)), "gdpr-12-access")[0].date == D(2018, 6, 25)


# --- administration --------------------------------------------------------------------------

def _meeting_case(*disclosed: dt.datetime) -> m.Case:
    meeting = m.Meeting(name="2027-01-11-moede", title="Opfølgning", date=D(2027, 1, 11),
                        agenda=(m.AgendaItem(title="Job", decisions=("Anna starter i praktik",)),))
    log = tuple(m.Disclosure(at=at, recipient="mor", document="minutes", source_file="meetings/2027-01-11-moede.yaml")
                for at in disclosed)
    return _case(meetings=(meeting,), disclosures=log)


def test_minutes_sent_is_off_unless_switched_on():
    assert _obligations(_meeting_case(), "minutes-sent") == []
    on = Settings(rules=RuleSettings(on=("minutes-sent",)))
    [item] = _obligations(_meeting_case(), "minutes-sent", on)
    assert item.date == D(2027, 1, 18)
    assert state(item, D(2027, 1, 18)) == OPEN and state(item, D(2027, 1, 19)) == OVERDUE
    sent = _meeting_case(dt.datetime(2027, 1, 18, 15, 0, tzinfo=dt.timezone.utc))
    _on_time(_obligations(sent, "minutes-sent", on)[0], D(2027, 1, 19))
    later = Settings(rules=RuleSettings(on=("minutes-sent",), minutes_from=D(2027, 1, 12)))
    assert _obligations(_meeting_case(), "minutes-sent", later) == []
    same_day = Settings(rules=RuleSettings(on=("minutes-sent",), minutes_from=D(2027, 1, 11), minutes_within_days=2))
    assert _obligations(_meeting_case(), "minutes-sent", same_day)[0].date == D(2027, 1, 13)


def test_dp_exemption_information_after_it_ran_out():
    person = m.Person(id="mor", name="Anna", role="parent", digital_post=facts.DigitalPost(exempt_until=D(2027, 3, 1)))
    case = _benefit_case(person)
    found = _notices(case, "dp-exemption")
    assert notices_on(found, D(2027, 3, 1)) == []
    [notice] = notices_on(found, D(2027, 3, 2))
    assert notice.level == "info" and notice.area is None and notice.person == "mor"


# --- the registry and the workspace's settings ------------------------------------------------

def test_a_rule_switched_off_gives_none_of_its_deadlines():
    case = _case((_child(measures=(_placement(decided=D(2026, 12, 1), start=D(2026, 12, 7)),)),))
    assert _obligations(case, "bl-91-plan")
    off = Settings(rules=RuleSettings(off=("bl-91-plan",)))
    assert _obligations(case, "bl-91-plan", off) == []
    assert _obligations(case, "bl-95-follow-up", off)


def test_rules_in_force_on_the_day_of_the_reform():
    june = {r.id for r in in_force_on(D(2026, 6, 30))}
    july = {r.id for r in in_force_on(D(2026, 7, 1))}
    assert "lab-31-jobsamtaler" in june and "lab-jobsamtaler" not in june
    assert "lab-jobsamtaler" in july and "lab-31-jobsamtaler" not in july
    assert all(r.source.startswith("https://") for r in RULES.values())
    assert all("Failing" in r.doc and "Passing" in r.doc for r in RULES.values())


def test_every_obligation_points_at_its_line():
    case = _case((_child(aware=D(2026, 8, 3), investigation=facts.Investigation()),))
    assert all(isinstance(o.source, Source) for o in _obligations(case, "bl-20-investigation"))


def test_docs_rules_md_is_current():
    from pathlib import Path

    from familieplan.render.statutory import rules_markdown

    page = Path(__file__).parent.parent / "docs" / "rules.md"
    assert page.read_text(encoding="utf-8") == rules_markdown(), "regenerate docs/rules.md (see its first lines)"
    assert all(f"## {rule_id}" in page.read_text(encoding="utf-8") for rule_id in RULES)


def test_the_day_before_and_the_day_each_remaining_rule_came_into_force():
    # LAB (lov nr. 548 af 7. maj 2019) from 1 January 2020.
    assert _obligations(_benefit_case(_on_benefit(D(2019, 12, 31))), "lab-31-jobsamtaler") == []
    assert _obligations(_benefit_case(_on_benefit(D(2020, 1, 1))), "lab-31-jobsamtaler")[0].date == D(2020, 6, 30)
    # Digital Post, mandatory for citizens from 1 November 2014.
    def exempt(until: dt.date) -> m.Case:
        return _benefit_case(m.Person(id="mor", name="Anna", role="parent",
                                      digital_post=facts.DigitalPost(exempt_until=until)))
    assert _notices(exempt(D(2014, 10, 31)), "dp-exemption") == []
    assert notices_on(_notices(exempt(D(2014, 11, 1)), "dp-exemption"), D(2014, 11, 2))
    # The minutes standard judges meetings from 1 January 2014 (offentlighedsloven § 13).
    on = Settings(rules=RuleSettings(on=("minutes-sent",)))

    def meeting_on(day: dt.date) -> m.Case:
        meeting = m.Meeting(name=f"{day}-moede", title="Møde", date=day,
                            agenda=(m.AgendaItem(title="Job", decisions=("Besluttet",)),))
        return _case(meetings=(meeting,))
    assert _obligations(meeting_on(D(2013, 12, 31)), "minutes-sent", on) == []
    # 1 January 2014 was a Wednesday and a holiday: 2, 3, 6, 7 and 8 January.
    assert _obligations(meeting_on(D(2014, 1, 1)), "minutes-sent", on)[0].date == D(2014, 1, 8)
