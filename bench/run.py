"""Speed goals, measured as ratios against baselines in the same run; prints a table.

    python bench/run.py [--cases 2000] [--repeat 3] [--schema-cases 200]

Every timing is the median wall time of `--repeat` runs of a whole command (start-up
included) on a synthetic workspace made by bench/gen.py.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import busy_person, generate  # noqa: E402
from history import big_history, examples_history  # noqa: E402
from serve import serve_rows  # noqa: E402

PY = sys.executable
FP = [PY, "-m", "familieplan"]

YAML_BASELINE = """
import glob, sys, yaml
for f in sorted(glob.glob(sys.argv[1] + '/**/*.yaml', recursive=True)):
    with open(f, 'rb') as h:
        yaml.load(h, Loader=yaml.CSafeLoader)
"""

TYPER_BASELINE = """
import typer
app = typer.Typer()
@app.command()
def one() -> None:
    pass
@app.command()
def two() -> None:
    pass
app()
"""


def run_once(cmd: list[str], ok_codes: tuple[int, ...] = (0, 1), env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall time, CPU time (user+sys of the command and its worker processes) and peak
    resident memory (KiB, of the largest process) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss


def median_time(cmd: list[str], repeat: int, ok_codes: tuple[int, ...] = (0, 1), before=None) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        times.append(run_once(cmd, ok_codes)[0])
    return statistics.median(times)


def median_cpu(cmd: list[str], repeat: int, before=None) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        times.append(run_once(cmd)[1])
    return statistics.median(times)


def peak_memory(cmd: list[str]) -> int:
    """Peak RSS in KiB of the largest process of one run (measured in a fresh child, so
    that earlier runs do not count: RUSAGE_CHILDREN keeps the maximum ever seen)."""
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([PY, "-c", probe, *cmd], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def schema_check_cmds(ws: Path) -> list[list[str]]:
    cases = sorted((ws / "cases").iterdir())
    schemas = ws / "schemas"
    groups = {
        "familieplan": [ws / "familieplan.yaml"],
        "case": [c / "case.yaml" for c in cases],
        "plan": [c / "plan.yaml" for c in cases],
        "agreements": [c / "agreements.yaml" for c in cases],
        "meeting": [p for c in cases for p in sorted((c / "meetings").glob("*.yaml"))],
    }
    return [[PY, "-m", "check_jsonschema", "--schemafile", str(schemas / f"{kind}.schema.json"),
             *map(str, files)] for kind, files in groups.items()]


def rows_table(rows: list[tuple[str, float, str, float, str]]) -> str:
    out = ["| measurement | value | baseline | baseline value | ratio | goal |",
           "|---|---:|---|---:|---:|---|"]
    for name, secs, base_name, base_secs, goal in rows:
        ratio = secs / base_secs if base_secs else float("nan")
        unit = " MiB" if "memory" in name else ""
        scale = 1 / 1024 if unit else 1
        digits = 2 if unit or secs >= 0.1 else 3
        base_digits = 2 if unit or base_secs >= 0.1 else 3
        out.append(f"| {name} | {secs * scale:.{digits}f}{unit} | {base_name} | {base_secs * scale:.{base_digits}f}{unit} "
                   f"| {ratio:.2f}× | {goal} |")
    return "\n".join(out)


def touch_one_case(ws: Path) -> None:
    """Change one case (a different comment every time): a real edit, read again."""
    plan = sorted((ws / "cases").iterdir())[len(list((ws / "cases").iterdir())) // 2] / "plan.yaml"
    text = plan.read_text(encoding="utf-8").split("\n# bench ")[0]
    plan.write_text(f"{text}\n# bench {time.time_ns()}\n", encoding="utf-8")


def changes_rows(args: argparse.Namespace, help_s: float) -> list[tuple[str, float, str, float, str]]:
    """`changes` on one example case's history, and on one case of a big repository with
    many commits: it must read only that case's history."""
    r = max(args.repeat, 5)
    examples = examples_history(HERE.parent / "examples", args.work / "examples-history")
    small = median_time([*FP, "changes", "2025-001-holm", "--today", "2026-11-30", "--workspace", str(examples)], r)
    big, case = big_history(args.work / f"history-{args.cases}", args.cases, args.history_commits)
    many = median_time([*FP, "changes", case, "--today", "2026-11-30", "--workspace", str(big)], r)
    whole = median_time([*FP, "changes", case, "--since", "2025-12-31", "--today", "2026-11-30",
                         "--workspace", str(big)], r)
    return [
        ("changes 2025-001-holm (examples' history)", small, "familieplan --help", help_s, "≤ 2×"),
        (f"changes CASE, {args.cases} cases and {args.history_commits} commits", many, "familieplan --help", help_s,
         "≤ 4×"),
        ("the same, --since before the first commit (all 26 of the case's commits)", whole, "familieplan --help",
         help_s, "(info)"),
    ]


def first_person(case: Path) -> str:
    """The id of the first person of a case (for `fit` on an example case)."""
    import yaml

    info = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    return str(info["people"][0]["id"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--schema-cases", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / "_work")
    parser.add_argument("--example", default="2026-002-karimi", help="an example case for the single-case rows")
    parser.add_argument("--mem-cases", type=int, default=8000, help="cases for the memory row (0: skip it)")
    parser.add_argument("--history-commits", type=int, default=500)
    parser.add_argument("--only", choices=["fit", "changes", "serve", "cache", "cold"], help="only the rows of one command")
    args = parser.parse_args()
    # Commands are timed as installed: with the package's bytecode compiled, as pip does at
    # install (a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module
    # in every timed run, `--help` included). The .pyc files go to ignored __pycache__ folders.
    compileall.compile_dir(str(HERE.parent / "familieplan"), quiet=1)
    # The bench's cache entries stay beside its workspaces, not in the user's cache.
    os.environ["XDG_CACHE_HOME"] = str((args.work / "cache").resolve())
    if args.only == "fit":
        print(rows_table(fit_rows(args.work, args.repeat)))
        return
    if args.only == "changes":
        help_s = median_time([*FP, "--help"], max(args.repeat, 15))
        print(rows_table(changes_rows(args, help_s)))
        return
    if args.only == "serve":
        big = generate(args.work / f"ws-{args.cases}", args.cases)
        help_s = median_time([*FP, "--help"], max(args.repeat, 15))
        print(rows_table(serve_rows(big, help_s)))
        return
    if args.only == "cold":
        big = generate(args.work / f"ws-{args.cases}", args.cases)
        rows, _ = cold_rows(big, args.repeat, args.cases)
        print(rows_table(rows + (memory_rows(args.work, args.mem_cases) if args.mem_cases else [])))
        return
    if args.only == "cache":
        big = generate(args.work / f"ws-{args.cases}", args.cases)
        help_s = median_time([*FP, "--help"], max(args.repeat, 15))
        print(rows_table(cache_rows(big, help_s, args.repeat, args.cases)))
        return

    big = generate(args.work / f"ws-{args.cases}", args.cases)
    long = generate(args.work / f"ws-{args.cases}-10y", args.cases, months=120)
    small = generate(args.work / f"ws-{args.schema_cases}", args.schema_cases)
    subprocess.run([*FP, "schema", "--workspace", str(small)], check=True, stdout=subprocess.DEVNULL)
    r = args.repeat
    rows = []
    nc = ["--no-cache"]
    help_s = median_time([*FP, "--help"], max(r, 15))
    typer_s = median_time([PY, "-c", TYPER_BASELINE, "--help"], max(r, 15))

    rows += cache_rows(big, help_s, r, args.cases)
    cold, load_s = cold_rows(big, r, args.cases)
    rows += cold
    load_long = median_time([*FP, "check-load", "--format", "json", *nc, "--workspace", str(long)], r)
    rows.append(("check-load, plans stretched to 10 years", load_long, "check-load, 18-month plans", load_s, "≤ 1.2×"))

    # One person with 400 interventions and 300 meetings over 10 years against 50.
    busy = {n: busy_person(args.work / f"busy-{n}", n) for n in (50, 400)}
    busy_s = {n: median_time([*FP, "check-load", *nc, "--workspace", str(ws)], max(r, 5)) for n, ws in busy.items()}
    rows.append(("check-load, one person, 400 interventions, 300 meetings, 10 years", busy_s[400],
                 "the same with 50 interventions", busy_s[50], "≤ 2×"))

    small_validate = median_time([*FP, "validate", *nc, "--workspace", str(small)], r)
    jsonschema_s = 0.0
    for cmd in schema_check_cmds(small):
        jsonschema_s += median_time(cmd, 1)
    rows.append((f"validate --no-cache, {args.schema_cases} cases", small_validate, "check-jsonschema", jsonschema_s, "≤ 0.1×"))

    # Every read-only command on one example case (cache filled by a first run).
    examples = HERE.parent / "examples"
    ex = ["--workspace", str(examples)]
    case = examples / "cases" / args.example
    meeting = sorted((case / "meetings").glob("*.yaml"))[0]
    one_case = {
        "validate": ["validate", str(case)], "check-load": ["check-load", args.example],
        "due": ["due", args.example], "status": ["status"],
        "render-plan": ["render-plan", args.example, "--output", "-"],
        "render-plan html": ["render-plan", args.example, "--format", "html", "--output", "-"],
        "render-minutes": ["render-minutes", str(meeting), "--output", "-"],
        "export-ics": ["export-ics", args.example],
        "report": ["report", args.example],
        "fit": ["fit", args.example, "--person", first_person(case), "--length", "2h", "--per-week", "1"],
    }
    for name, args_ in one_case.items():
        run_once([*FP, *args_, *ex])
        secs = median_time([*FP, *args_, *ex], max(r, 5))
        rows.append((f"{name} {args.example} (examples)", secs, "familieplan --help", help_s, "≤ 2×"))

    rows.append(("familieplan --help", help_s, "two-command typer app --help", typer_s, "≤ 1.3×"))
    rows += changes_rows(args, help_s)
    rows.extend(serve_rows(big, help_s))

    rows += fit_rows(args.work, r)
    if args.mem_cases:
        rows += memory_rows(args.work, args.mem_cases)
    print(rows_table(rows))


Rows = list[tuple[str, float, str, float, str]]
TODAY = ["--today", "2026-11-23"]
# The daily commands as tools run them (JSON) and as caseworkers read them (the terminal's text).
DAILY = {"status": ["status", *TODAY, "--format", "json"], "due": ["due", *TODAY, "--format", "json"],
         "validate": ["validate", *TODAY], "check-load": ["check-load", "--format", "json"],
         "status (text)": ["status", *TODAY], "due (text)": ["due", *TODAY], "check-load (text)": ["check-load", *TODAY]}


def cache_rows(big: Path, help_s: float, r: int, cases: int) -> Rows:
    """The warm cache: every daily command once to fill it, then timed with nothing
    changed and with one case changed before each run."""
    W = ["--workspace", str(big)]
    rows = []
    subprocess.run([*FP, "cache", "clear", *W], check=True, stdout=subprocess.DEVNULL)
    for args_ in DAILY.values():
        run_once([*FP, *args_, *W])
    for name, args_ in DAILY.items():
        warm = median_time([*FP, *args_, *W], r)
        rows.append((f"{name}, warm cache, nothing changed, {cases} cases", warm, "familieplan --help", help_s, "≤ 3×"))
    for name, args_ in DAILY.items():
        one = median_time([*FP, *args_, *W], r, before=lambda: touch_one_case(big))
        rows.append((f"{name}, warm cache, one case changed, {cases} cases", one, "familieplan --help", help_s, "≤ 4×"))
    return rows


def cold_rows(big: Path, r: int, cases: int) -> tuple[Rows, float]:
    """Cold: the cache emptied before each run (what the first run of the day pays), and
    without the cache at all; with the time of check-load --no-cache."""
    W = ["--workspace", str(big)]
    nc = ["--no-cache"]
    rows = []
    yaml_cpu = median_cpu([PY, "-c", YAML_BASELINE, str(big / "cases")], r)
    clear = lambda: subprocess.run([*FP, "cache", "clear", *W], check=True, stdout=subprocess.DEVNULL)  # noqa: E731
    validate_cpu = median_cpu([*FP, "validate", *W], r, before=clear)
    validate_cpu_nc = median_cpu([*FP, "validate", *nc, *W], r)
    rows.append((f"validate CPU, empty cache, {cases} cases", validate_cpu, "yaml.load CSafeLoader CPU", yaml_cpu, "≤ 1.0×"))
    rows.append((f"validate CPU, --no-cache, {cases} cases", validate_cpu_nc, "yaml.load CSafeLoader CPU", yaml_cpu, "(info)"))
    validate_s = median_time([*FP, "validate", *nc, *W], r)
    load_s = median_time([*FP, "check-load", "--format", "json", *nc, *W], r)
    rows.append((f"check-load --format json --no-cache, {cases} cases", load_s, "validate --no-cache", validate_s, "≤ 1.2×"))
    status_s = median_time([*FP, "status", *TODAY, "--format", "json", *nc, *W], r)
    report_s = median_time([*FP, "report", *TODAY, "--format", "json", *nc, *W], r)
    rows.append((f"status --format json --no-cache, {cases} cases", status_s, "check-load", load_s, "≤ 1.5×"))
    rows.append((f"report --format json --no-cache, {cases} cases", report_s, "check-load", load_s, "≤ 1.3×"))
    return rows, load_s


def memory_rows(work: Path, cases: int) -> Rows:
    mem = generate(work / f"ws-{cases}", cases)
    M = ["--no-cache", "--workspace", str(mem)]
    validate_kb = peak_memory([*FP, "validate", *M])
    load_kb = peak_memory([*FP, "check-load", "--format", "json", *M])
    return [(f"peak memory, check-load --format json, {cases} cases", load_kb, "validate", validate_kb, "≤ 1.5×")]


def fit_rows(work: Path, repeat: int) -> list[tuple[str, float, str, float, str]]:
    """`fit` on one case with 20 interventions and 5 people, against check-load of that case."""
    case = "2026-0001-familie"
    rows = []
    for months, request, name, goal in (
        (18, ["--length", "3h", "--per-week", "3"], "fit 3 × 3 h, 18 months", "≤ 2×"),
        (120, ["--length", "4h", "--per-week", "4", "--weeks", "12"], "fit 4 × 4 h --weeks 12, 10 years", "≤ 3×"),
    ):
        ws = generate(work / f"ws-fit-{months}", 1, months=months, interventions=20, children=3)
        base = median_time([*FP, "check-load", case, "--format", "json", "--workspace", str(ws)], max(repeat, 5))
        secs = median_time([*FP, "fit", case, "--person", "mor", *request, "--today", "2026-01-01", "--format", "json",
                            "--workspace", str(ws)], max(repeat, 5))
        rows.append((name, secs, f"check-load {case}, {months} months", base, goal))
    return rows


if __name__ == "__main__":
    main()
