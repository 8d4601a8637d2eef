"""Speed goals, measured as ratios against baselines in the same run; prints a table.

    python bench/run.py [--cases 2000] [--repeat 3] [--schema-cases 200]

Every timing is the median wall time of `--repeat` runs of a whole command (start-up
included) on a synthetic workspace made by bench/gen.py.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import generate  # noqa: E402
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


def median_time(cmd: list[str], repeat: int, ok_codes: tuple[int, ...] = (0, 1)) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in ok_codes:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return statistics.median(times)


def schema_check_cmds(ws: Path) -> list[list[str]]:
    cases = sorted((ws / "cases").iterdir())
    schemas = ws / "schemas"
    groups = {
        "case": [c / "case.yaml" for c in cases],
        "plan": [c / "plan.yaml" for c in cases],
        "agreements": [c / "agreements.yaml" for c in cases],
        "meeting": [p for c in cases for p in sorted((c / "meetings").glob("*.yaml"))],
    }
    return [[PY, "-m", "check_jsonschema", "--schemafile", str(schemas / f"{kind}.schema.json"),
             *map(str, files)] for kind, files in groups.items()]


def rows_table(rows: list[tuple[str, float, str, float, str]]) -> str:
    out = ["| measurement | time (s) | baseline | baseline (s) | ratio | goal |",
           "|---|---:|---|---:|---:|---|"]
    for name, secs, base_name, base_secs, goal in rows:
        ratio = secs / base_secs if base_secs else float("nan")
        out.append(f"| {name} | {secs:.{2 if secs >= 0.1 else 3}f} | {base_name} | {base_secs:.{2 if base_secs >= 0.1 else 3}f} | {ratio:.2f}× | {goal} |")
    return "\n".join(out)


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--schema-cases", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / "_work")
    parser.add_argument("--example", default="2026-002-karimi", help="an example case for the single-case row")
    parser.add_argument("--history-commits", type=int, default=500)
    parser.add_argument("--only", choices=["fit", "changes", "serve"], help="only the rows of one command")
    args = parser.parse_args()
    if args.only == "fit":
        print(rows_table(fit_rows(args.work, args.repeat)))
    elif args.only == "changes":
        help_s = median_time([*FP, "--help"], max(args.repeat, 15))
        print(rows_table(changes_rows(args, help_s)))
    elif args.only == "serve":
        big = generate(args.work / f"ws-{args.cases}", args.cases)
        help_s = median_time([*FP, "--help"], max(args.repeat, 15))
        print(rows_table(serve_rows(big, help_s)))
        return

    big = generate(args.work / f"ws-{args.cases}", args.cases)
    long = generate(args.work / f"ws-{args.cases}-10y", args.cases, months=120)
    small = generate(args.work / f"ws-{args.schema_cases}", args.schema_cases)
    subprocess.run([*FP, "schema", "--workspace", str(small)], check=True, stdout=subprocess.DEVNULL)
    r = args.repeat
    rows = []

    yaml_s = median_time([PY, "-c", YAML_BASELINE, str(big / "cases")], r)
    validate_s = median_time([*FP, "validate", "--workspace", str(big)], r)
    validate_1 = median_time([*FP, "validate", "--jobs", "1", "--workspace", str(big)], r)
    rows.append((f"validate, {args.cases} cases", validate_s, "yaml.load CSafeLoader", yaml_s, "≤ 1.5×"))
    rows.append((f"validate --jobs 1, {args.cases} cases", validate_1, "yaml.load CSafeLoader", yaml_s, "(info)"))

    load_s = median_time([*FP, "check-load", "--format", "json", "--workspace", str(big)], r)
    status_s = median_time([*FP, "status", "--today", "2026-11-23", "--format", "json", "--workspace", str(big)], r)
    load_long = median_time([*FP, "check-load", "--format", "json", "--workspace", str(long)], r)
    rows.append((f"check-load --format json, {args.cases} cases", load_s, "validate", validate_s, "≤ 1.3×"))
    rows.append((f"status --format json, {args.cases} cases", status_s, "check-load", load_s, "≤ 1.5×"))
    report_s = median_time([*FP, "report", "--today", "2026-11-23", "--format", "json", "--workspace", str(big)], r)
    rows.append((f"report --format json, {args.cases} cases", report_s, "check-load", load_s, "≤ 1.3×"))
    rows.append(("check-load, plans stretched to 10 years", load_long, "check-load, 18-month plans", load_s, "≤ 1.2×"))
    examples = HERE.parent / "examples"
    one = median_time([*FP, "check-load", args.example, "--workspace", str(examples)], max(r, 5))
    rows.append((f"check-load {args.example} (examples), wall", one, "0.5 s", 0.5, "≤ 1.0× (< 0.5 s)"))

    small_validate = median_time([*FP, "validate", "--workspace", str(small)], r)
    jsonschema_s = 0.0
    for cmd in schema_check_cmds(small):
        jsonschema_s += median_time(cmd, 1)
    rows.append((f"validate, {args.schema_cases} cases", small_validate, "check-jsonschema", jsonschema_s, "≤ 0.1×"))

    help_s = median_time([*FP, "--help"], max(r, 15))
    typer_s = median_time([PY, "-c", TYPER_BASELINE, "--help"], max(r, 15))
    rows.append(("familieplan --help", help_s, "two-command typer app --help", typer_s, "≤ 1.3×"))
    rows += changes_rows(args, help_s)
    rows.extend(serve_rows(big, help_s))

    rows += fit_rows(args.work, r)
    print(rows_table(rows))


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
