"""Generate a synthetic workspace: N cases, each with ~10 interventions, ~10 agreements and
~5 meetings, valid under `familieplan validate`. Deterministic for a given seed.

Each department has a team of `TEAM` professionals (`sb-jobcenter-01` …), dealt out to the
cases round-robin: one professional works on about N/TEAM cases (60 of 2,000), so that
`status --coordinator sb-jobcenter-07` and `due --responsible sb-familie-07` choose a
coordinator's caseload, not the whole workspace. The jobcenter's professional coordinates.

    python bench/gen.py OUT_DIR --cases 2000 [--months 18]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from pathlib import Path

DEPARTMENTS = ["jobcenter", "familie", "misbrug", "sundhed", "skole", "netvaerk"]
AREAS = ["employment", "education", "family", "school", "health", "addiction", "economy", "housing"]
DAYS = ["mon", "tue", "wed", "thu", "fri"]
# Professionals per department: 2,000 cases give each about 60.
TEAM = 33

SETTINGS = """format: 1
municipality: Benchmark Kommune
departments:
  jobcenter: Jobcentret
  familie: Børne- og familiecentret
  misbrug: Rusmiddelcentret
  sundhed: Sundhed
  skole: Skole og dagtilbud
  netvaerk: Netværk
indicators:
  skolefravaer: Skolefravær (%)
  timer-job-uddannelse: Timer i job eller uddannelse om ugen
calendar:
  holidays: dk
  closed: [2026-12-24, 2026-12-31]
"""


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def professionals(number: int) -> dict[str, str]:
    """The id of the case's professional of each department (a department's teams are
    shifted against each other, so two professionals share only some of their cases)."""
    return {dept: f"sb-{dept}-{(number - 1 + 7 * i) % TEAM + 1:02d}" for i, dept in enumerate(DEPARTMENTS[:5])}


def coordinator(number: int) -> str:
    """The professional who coordinates case `number` (its jobcenter caseworker)."""
    return professionals(number)["jobcenter"]


def case_files(number: int, rng: random.Random, months: int, interventions: int = 10,
               children: int = 2) -> dict[str, str]:
    cid = f"2026-{number:04d}-familie"
    start = dt.date(2026, 1 + rng.randrange(6), 1)
    end = add_months(start, months) - dt.timedelta(days=1)
    people = ["mor", "far", *(f"barn{i + 1}" for i in range(children))]
    pro = professionals(number)
    out = {}
    lines = [f"id: {cid}", f"title: Familien {number}", f"opened: {start}", "status: active",
             f"coordinator: {pro['jobcenter']}", f"contact: {pro['familie']}", "people:"]
    for i, pid in enumerate(people):
        role = "parent" if i < 2 else "child"
        lines += [f"  - id: {pid}", f"    name: Person {pid.title()} {number}", f"    role: {role}",
                  f"    born: {1980 + i * 7}"]
        if i == 0:
            lines += ["    unavailable:", "      - days: [mon, tue, wed, thu, fri]", "        from: 14:30",
                      "        to: 15:30", "        reason: Henter børn"]
        lines += statutory_person(number, i, start)
    lines.append("professionals:")
    for dept, pid in pro.items():
        lines += [f"  - id: {pid}", f"    name: Rådgiver {dept} {pid[-2:]}", f"    department: {dept}",
                  "    title: Sagsbehandler", f"    email: {pid}@eksempel.dk"]
    lines += ["consents:", "  - person: mor", "    areas: [family, employment, health]",
              "    departments: [jobcenter, familie]", f"    from: {start}"]
    out["case.yaml"] = "\n".join(lines) + "\n"

    phase_len = max(1, months // 3)
    lines = [f"title: Fællesplan for familien {number}", f"from: {start}", f"to: {end}", "phases:"]
    p_start = start
    for i in range(3):
        p_end = end if i == 2 else add_months(start, phase_len * (i + 1)) - dt.timedelta(days=1)
        lines += [f"  - id: f{i + 1}", f"    name: Fase {i + 1}", f"    from: {p_start}", f"    to: {p_end}",
                  f"    focus: [{', '.join(rng.sample(AREAS, 3))}]"]
        p_start = p_end + dt.timedelta(days=1)
    lines.append("goals:")
    goal_people = []
    for i in range(5):
        person = rng.choice(people)
        goal_people.append(person)
        lines += [f"  - id: m{i + 1}", f"    person: {person}", f"    area: {rng.choice(AREAS)}",
                  f"    text: Mål nummer {i + 1} for familien"]
        if i < 2:  # measured goals: school absence (down) and hours in work or education (up)
            indicator, direction, base, target = (("skolefravaer", "down", 10 + rng.randrange(15), 5) if i == 0
                                                  else ("timer-job-uddannelse", "up", 0, 15))
            lines += ["    measure:", f"      indicator: {indicator}", f"      direction: {direction}",
                      f"      baseline: {{date: {start}, value: {base}}}", f"      target: {{value: {target}, by: {end}}}",
                      "      every_weeks: 12"]
    lines.append("interventions:")
    appointments: list[tuple[str, str, dt.date, str]] = []  # one-off appointments, for attendance.yaml
    for i in range(interventions):
        dept = rng.choice(DEPARTMENTS[:5])
        attendee = rng.choice(people)
        i_start = start + dt.timedelta(days=rng.randrange(60))
        i_end = min(end, i_start + dt.timedelta(days=rng.randrange(90, 30 * months)))
        lines += [f"  - id: i{i + 1}", f"    title: Indsats {i + 1}", f"    department: {dept}",
                  f"    responsible: {pro[dept]}", f"    area: {rng.choice(AREAS)}", f"    goals: [m{1 + i % 5}]",
                  f"    attendees: [{attendee}]", f"    from: {i_start}", f"    to: {i_end}"]
        kind = i % 3
        if kind == 2 and attendee == "mor":  # one-off appointments with the mother: her jobsamtaler
            lines.append("    kind: jobsamtale")
        if kind == 0 or kind == 1:
            hour = 8 + rng.randrange(8)
            lines += ["    sessions:", f"      - days: [{', '.join(sorted(rng.sample(DAYS, 2), key=DAYS.index))}]",
                      f"        from: {hour:02d}:00", f"        to: {hour + 1:02d}:30",
                      f"        every: {1 + i % 2}"]
            if kind == 1:
                lines += [f"    except: [{i_start + dt.timedelta(days=14)}]", "    travel_minutes: 15"]
        else:
            lines += [f"    hours_per_week: {1 + i % 3}", "    appointments:"]
            for k in range(2):
                day = i_start + dt.timedelta(days=7 * k + 1)
                lines += [f"      - date: {day}", "        from: 10:00", "        to: 11:00"]
                appointments.append((f"i{i + 1}", attendee, day, "cancelled" if k == 0 else "no-show"))
    out["plan.yaml"] = "\n".join(lines) + "\n"
    out["measurements.yaml"] = "measurements:\n" + "".join(
        f"  - goal: m{1 + k % 2}\n    date: {start + dt.timedelta(days=40 * (k // 2 + 1))}\n"
        f"    value: {rng.randrange(20)}\n" for k in range(6))
    out["attendance.yaml"] = attendance_file(appointments)

    meetings = []
    for k in range(5):
        day = start + dt.timedelta(days=30 * k + 3)
        meetings.append(f"{day}-moede-{k + 1}")
    lines = ["agreements:"]
    for i in range(10):
        made = start + dt.timedelta(days=3 * i)
        lines += [f"  - id: a{i + 1}", f"    text: Aftale {i + 1} om næste skridt",
                  f"    responsible: {pro[rng.choice(DEPARTMENTS[:5])]}", f"    made: {made}",
                  f"    meeting: {meetings[i % 5]}"]
        if i % 3 == 0:
            lines += ["    answer_within_days: 3", "    status: open"]
        elif i % 3 == 1:
            lines += [f"    due: {made + dt.timedelta(days=14)}", "    status: open"]
        else:
            lines += [f"    due: {made + dt.timedelta(days=14)}", "    status: done", f"    done: {made + dt.timedelta(days=10)}"]
    lines.append("questions:")
    for i in range(5):
        asked = start + dt.timedelta(days=11 * i + 2)
        lines += [f"  - asked: {asked}", "    by: mor", f"    to: {pro['familie']}", f"    about: Spørgsmål {i + 1}",
                  "    agreement: a1"]
        if i % 2 == 0:
            lines.append(f"    answered: {asked + dt.timedelta(days=2)}")
    lines += requests(number, start)
    out["agreements.yaml"] = "\n".join(lines) + "\n"

    for k, name in enumerate(meetings):
        meeting_day = dt.date.fromisoformat(name[:10])
        lines = [f"title: Møde {k + 1}", f"date: {meeting_day}", "from: 10:00", "to: 11:30", "place: Jobcentret",
                 f"chair: {pro['jobcenter']}", f"minutes_by: {pro['jobcenter']}", "participants:", "  - mor",
                 "  - far", f"  - {pro['jobcenter']}", f"  - id: {pro['familie']}", "    present: false", "agenda:"]
        for j in range(4):
            lines += [f"  - title: Punkt {j + 1}", f"    area: {rng.choice(AREAS)}", "    notes: |",
                      "      Status på planen og de aftaler, der er lavet.", "      - første punkt",
                      "      - andet punkt", "    decisions:", "      - Vi følger op næste gang"]
        lines += ["next_meeting:", f"  date: {meeting_day + dt.timedelta(days=30)}",
                  "  purpose: Opfølgning", f"send_to: [mor, far, {pro['jobcenter']}, {pro['familie']}]"]
        out[f"meetings/{name}.yaml"] = "\n".join(lines) + "\n"
    return {f"{cid}/{k}": v for k, v in out.items()}


def statutory_person(number: int, index: int, start: dt.date) -> list[str]:
    """The facts the statutory rules count (FORMAT.md, third edition), without drawing on
    the random sequence (the rest of the workspace stays as it was): the mother on
    kontanthjælp from a day before or after 1 July 2026, every fifth exempt from Digital
    Post; the first child of every other case known to the child welfare services, with an
    investigation and a placement or support."""
    day = start + dt.timedelta(days=number % 120)
    if index == 0:
        lines = ["    benefits:", "      - kind: kontanthjaelp", "        category: jobparat", f"        since: {day}"]
        if number % 5 == 0:
            lines += ["    digital_post:", f"      exempt_until: {day + dt.timedelta(days=200)}"]
        if number % 4 == 0:
            lines.append("    contact_exempt: true")
        return lines
    if index != 2 or number % 2:
        return []
    decided = day + dt.timedelta(days=100)
    placement = number % 4 == 0
    lines = ["    child_welfare:", f"      aware: {day}", "      investigation:",
             f"        started: {day + dt.timedelta(days=7)}"]
    if number % 3:
        lines.append(f"        concluded: {day + dt.timedelta(days=90 + number % 60)}")
    lines += ["      measures:", "        - id: s1", f"          section: \"{'§ 46' if placement else '§ 32'}\"",
              f"          kind: {'placement' if placement else 'support'}", f"          decided: {decided}",
              f"          start: {decided + dt.timedelta(days=7)}",
              f"          follow_ups: [{decided + dt.timedelta(days=80 + number % 30)}]"]
    if placement:
        lines += ["          consent: true", f"          plan: {decided + dt.timedelta(days=60 + number % 50)}",
                  f"          supervision: [{decided + dt.timedelta(days=40)}, {decided + dt.timedelta(days=200)}]"]
    return lines


def requests(number: int, start: dt.date) -> list[str]:
    """A request for aktindsigt from the mother, and in every third case one for indsigt."""
    received = start + dt.timedelta(days=20 + number % 90)
    lines = ["requests:", "  - kind: aktindsigt", "    by: mor", f"    received: {received}"]
    if number % 2:
        lines.append(f"    answered: {received + dt.timedelta(days=5 + number % 7)}")
    if number % 3 == 0:
        lines += ["  - kind: indsigt", "    by: Journalist", f"    received: {received + dt.timedelta(days=3)}"]
    return lines


def attendance_file(appointments: list[tuple[str, str, dt.date, str]]) -> str:
    """A cancellation or no-show for each one-off appointment: always a real occurrence."""
    rows = [f"  - date: {day}\n    person: {person}\n    intervention: {iv}\n    status: {status}\n"
            for iv, person, day, status in appointments]
    return "attendance:\n" + "".join(rows) if rows else "attendance: []\n"


def generate(root: Path, cases: int, months: int = 18, seed: int = 1, interventions: int = 10,
             children: int = 2) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "cases").mkdir(parents=True)
    (root / "familieplan.yaml").write_text(SETTINGS, encoding="utf-8")
    rng = random.Random(seed)
    for number in range(1, cases + 1):
        for rel, text in case_files(number, rng, months, interventions, children).items():
            path = root / "cases" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return root


def busy_person(root: Path, interventions: int, meetings: int = 300, years: int = 10, seed: int = 1) -> Path:
    """A workspace of one case whose mother carries `interventions` weekly interventions
    and attends `meetings` meetings over `years` years (the check-load scaling row)."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    files = case_files(1, rng, years * 12)
    pro = professionals(1)
    cid = "2026-0001-familie"
    start = dt.date.fromisoformat(files[f"{cid}/case.yaml"].split("opened: ")[1][:10])
    end = add_months(start, years * 12) - dt.timedelta(days=1)
    plan = files[f"{cid}/plan.yaml"]
    lines = [plan[:plan.index("interventions:")].rstrip("\n"), "interventions:"]
    span = (end - start).days
    for i in range(interventions):
        dept = DEPARTMENTS[i % 5]
        i_start = start + dt.timedelta(days=rng.randrange(span - 30))
        i_end = min(end, i_start + dt.timedelta(days=rng.randrange(30, 720)))
        hour = 8 + rng.randrange(8)
        lines += [f"  - id: i{i + 1}", f"    title: Indsats {i + 1}", f"    department: {dept}",
                  f"    responsible: {pro[dept]}", f"    area: {rng.choice(AREAS)}", "    attendees: [mor]",
                  f"    from: {i_start}", f"    to: {i_end}", "    sessions:",
                  f"      - days: [{rng.choice(DAYS)}]", f"        from: {hour:02d}:00",
                  f"        to: {hour:02d}:45", f"        every: {1 + i % 3}"]
    files[f"{cid}/plan.yaml"] = "\n".join(lines) + "\n"
    files = {k: v for k, v in files.items() if "/meetings/" not in k}
    # The generated attendance is of the appointments of the interventions replaced above.
    files[f"{cid}/attendance.yaml"] = attendance_file([])
    agreements = files[f"{cid}/agreements.yaml"]
    files[f"{cid}/agreements.yaml"] = re.sub(r"\n    meeting: [^\n]*", "", agreements)
    for k in range(meetings):
        day = start + dt.timedelta(days=k * span // meetings)
        hour = 9 + k % 6
        files[f"{cid}/meetings/{day}-moede-{k + 1}.yaml"] = "\n".join([
            f"title: Møde {k + 1}", f"date: {day}", f"from: {hour:02d}:00", f"to: {hour:02d}:30",
            f"chair: {pro['jobcenter']}", "participants:", "  - mor", f"  - {pro['jobcenter']}", ""])
    (root / "cases").mkdir(parents=True)
    (root / "familieplan.yaml").write_text(SETTINGS, encoding="utf-8")
    for rel, text in files.items():
        path = root / "cases" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--months", type=int, default=18)
    args = parser.parse_args()
    generate(args.out, args.cases, args.months)
