"""The second edition of format 1: the model's new rules (effective area, consents in
force, entry keys), session periods in the scheduler and the new case files."""

from __future__ import annotations

import datetime as dt

from conftest import DATA, MINIMAL_CASE
from familieplan import model as m
from familieplan.commands.validate import validate
from familieplan.consent import effective_area
from familieplan.schedule.calendar import WorkCalendar
from familieplan.schedule.demands import build_schedules
from familieplan.schedule.progression import week_date
from familieplan.settings import CalendarSettings, Settings
from familieplan.workspace.read import load_workspace

D = dt.date


def _case(**kwargs: object) -> m.Case:
    plan = m.Plan(title="P", start=D(2026, 1, 1), end=D(2026, 12, 31), interventions=(
        m.Intervention(id="kursus", area="education", attendees=("mor",), start=D(2026, 3, 2), end=D(2026, 4, 30),
                       department="jobcenter", sessions=kwargs.pop("sessions", ())),  # type: ignore[arg-type]
        m.Intervention(id="behandling", area="addiction", attendees=("mor",)),
    ))
    info = m.CaseInfo(id="c", people=(m.Person(id="mor", name="Mor", role="parent"),))
    return m.Case("c", None, info, plan, **kwargs)  # type: ignore[arg-type]


def test_effective_area_own_then_intervention_then_agreement():
    agreements = (m.Agreement(id="a1", intervention="kursus"), m.Agreement(id="a2", area="family"),
                  m.Agreement(id="a3", intervention="kursus", area="health"), m.Agreement(id="a4"))
    case = _case(agreements=agreements)
    assert [effective_area(case, a) for a in agreements] == ["education", "family", "health", None]
    assert effective_area(case, m.Question(agreement="a1")) == "education"
    assert effective_area(case, m.Question(agreement="a1", area="school")) == "school"
    assert effective_area(case, m.Question(agreement="a4")) is None
    assert effective_area(case, m.Question()) is None
    assert effective_area(case, m.AgendaItem(intervention="behandling")) == "addiction"
    assert effective_area(case, m.AgendaItem(intervention="gone")) is None
    assert effective_area(case, m.NextMeeting(area="education")) == "education"
    assert effective_area(case, m.NextMeeting()) is None


def test_consent_in_force_honours_withdrawn():
    consent = m.Consent(start=D(2026, 3, 2), until=D(2027, 3, 1), withdrawn=D(2026, 9, 15))
    assert not consent.in_force(D(2026, 3, 1))
    assert consent.in_force(D(2026, 3, 2))
    assert consent.in_force(D(2026, 9, 14))
    assert not consent.in_force(D(2026, 9, 15))  # "no longer in force from this date"
    assert not consent.in_force(D(2027, 3, 1))
    assert m.Consent(start=D(2026, 3, 2), until=D(2027, 3, 1)).in_force(D(2027, 3, 1))


def test_entry_keys():
    at = dt.datetime(2026, 3, 2, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert m.entry_key(m.Question(asked=D(2026, 3, 10), by="mor", about="Hvornår?")) == (D(2026, 3, 10), "mor", "Hvornår?")
    assert m.entry_key(m.Attendance(date=D(2026, 2, 4), person="anna", meeting="2026-02-04-m")) == \
        (D(2026, 2, 4), "anna", "2026-02-04-m", None)
    assert m.entry_key(m.Attendance(date=D(2026, 2, 4), person="anna", intervention="i", start=dt.time(9))) == \
        (D(2026, 2, 4), "anna", "i", dt.time(9))
    assert m.entry_key(m.Measurement(goal="m2", date=D(2025, 11, 3), value=14)) == ("m2", D(2025, 11, 3))
    assert m.entry_key(m.Disclosure(at=at, recipient="sb", document="plan", source_file="plan.yaml")) == \
        (at, "sb", "plan", "plan.yaml")
    assert m.entry_key(m.Agreement(id="a1")) == "a1"


def _dates(case: m.Case) -> list[tuple[str, dt.date]]:
    [schedule] = build_schedules(case, Settings(), WorkCalendar(Settings(calendar=CalendarSettings(holidays="none"))))
    return sorted((s.item, week_date(w, s.weekday)) for s in schedule.slots for w in s.weeks.weeks())


def test_session_period_and_every_counted_from_since():
    sessions = (m.Session(days=("tue",), start=dt.time(16, 30), end=dt.time(18), until=D(2026, 3, 16)),
                m.Session(days=("thu",), start=dt.time(10), end=dt.time(12), since=D(2026, 3, 17), every=2))
    dates = _dates(_case(sessions=sessions))
    tuesdays = [d for item, d in dates if item == "s0"]
    thursdays = [d for item, d in dates if item == "s1"]
    assert tuesdays == [D(2026, 3, 3), D(2026, 3, 10)]
    # Every second week from the week holding 17 March (not from the intervention's 2 March).
    assert thursdays[:3] == [D(2026, 3, 19), D(2026, 4, 2), D(2026, 4, 16)]
    assert thursdays[-1] == D(2026, 4, 30)


def test_new_files_are_case_files_and_absence_means_none(tmp_path):
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(DATA / "minimal", ws)
    for name in ("attendance.yaml", "measurements.yaml", "disclosures.yaml"):
        shutil.copy(DATA / "second-edition" / name, ws / "cases" / MINIMAL_CASE / name)
    workspace, problems = load_workspace(ws)
    assert problems == []
    assert validate([], ws, today=D(2026, 11, 26)).problems == []
    case = workspace.cases[0]
    assert {"attendance.yaml", "measurements.yaml", "disclosures.yaml"} <= case.optional_files
    assert case.attendance[0].status == "cancelled" and case.measurements[0].value == 12.5
    assert case.disclosures[0].at == dt.datetime(2026, 3, 2, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert case.info and case.info.consents[0].id == "c1"
    for name in ("attendance.yaml", "measurements.yaml", "disclosures.yaml"):
        (ws / "cases" / MINIMAL_CASE / name).unlink()
    workspace, problems = load_workspace(ws)
    assert problems == [] and workspace.cases[0].attendance == () and workspace.cases[0].optional_files == {
        "agreements.yaml"}


def test_validate_today_is_a_parameter(tmp_path):
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(DATA / "minimal", ws)
    (ws / "cases" / MINIMAL_CASE / "attendance.yaml").write_text(
        "attendance:\n  - {date: 2026-09-16, person: mor, intervention: kursus, status: attended}\n")
    assert validate([], ws).problems == []  # without today: no check against the date
    assert [p.code for p in validate([], ws, today=D(2026, 9, 1)).problems] == ["attendance-in-future"]
    assert validate([], ws, today=D(2026, 9, 16)).problems == []


def test_examples_show_the_second_edition(runner):
    from conftest import EXAMPLES, run_cli

    plan = run_cli(runner, ["render-plan", "2026-002-karimi", "--workspace", str(EXAMPLES), "--output", "-"]).stdout
    # The Thursday moved to Wednesday from 17 August: one sentence (issue 11, item 3).
    assert "torsdag kl. 12.30–14.30 til og med 14. august 2026, derefter onsdag kl. 12.30–14.30" in plan
    ws, problems = load_workspace(EXAMPLES)
    assert problems == []
    karimi = ws.case("2026-002-karimi")
    assert karimi is not None and karimi.info is not None
    # The cancelled job interview falls on a day check-load reports an overlap with family treatment.
    [cancelled] = [a for a in karimi.attendance if a.status == "cancelled"]
    assert (cancelled.intervention, cancelled.date) == ("jobsamtaler", D(2026, 4, 16))
    withdrawn = [c for c in karimi.info.consents if c.withdrawn]
    assert withdrawn and not withdrawn[0].in_force(withdrawn[0].withdrawn)  # type: ignore[arg-type]
    assert {effective_area(karimi, a) for a in karimi.agreements if a.id == "a4"} == {"education"}
    assert sum(len(c.measurements) for c in ws.cases) >= 10 and any(c.disclosures for c in ws.cases)


def test_docs_format_names_every_file_and_key():
    """docs/format.md documents every key of every file kind (from the specs)."""
    from pathlib import Path

    from familieplan.format import specs
    from familieplan.format.records import ListOf, Nullable, ParticipantType, Record

    text = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")

    def keys(record: Record) -> set[str]:
        found = set(record.fields)
        for field in record.fields.values():
            inner = field.type
            while isinstance(inner, (ListOf, Nullable, ParticipantType)):
                inner = inner.item if isinstance(inner, ListOf) else inner.inner if isinstance(inner, Nullable) \
                    else inner.record
            if isinstance(inner, Record):
                found |= keys(inner)
        return found

    for kind, record in specs.FILE_KINDS.items():
        if kind not in ("familieplan", "meeting"):
            assert f"{kind}.yaml" in text
        missing = {key for key in keys(record) if f"{key}:" not in text}
        assert not missing, (kind, missing)
