"""The speed guard rails (docs/performance.md), each a ratio against a baseline measured in
the same run; prints a Markdown table and writes it to `--output`.

    python bench/run.py [--cases 2000] [--repeat 3] [--commits 20000] [--only SUBSTRING]
                        [--output FILE]

Every value is the median of `--repeat` runs of a whole command (start-up included) on
the examples or on a workspace made by bench/gen.py; how a run is measured and what each
cache state means is in bench/measure.py. A command that exits other than expected stops
the bench with its standard error.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen import busy_person, coordinator, generate, professionals  # noqa: E402
from history import big_history, examples_history  # noqa: E402
from measure import FP, PY, Caches, Measured, States, run  # noqa: E402
from serve import first_request  # noqa: E402

DAY = dt.date(2026, 11, 23)
TODAY = ["--today", DAY.isoformat()]
CHANGES_TODAY = ["--today", "2026-11-30"]
EXAMPLE = "2026-002-karimi"  # the examples' case of the one-case rows
HISTORY_CASE = "2025-001-holm"  # the examples' case given a history (bench/history.py)
FOUND = (0, 1)  # check-load, due and status exit 1 when they find something (README, "Exit codes")
HELP = "`familieplan --help`"

YAML_LOOP = """
import glob, sys, yaml
for f in sorted(glob.glob(sys.argv[1] + '/**/*.yaml', recursive=True)):
    with open(f, 'rb') as h:
        yaml.load(h, Loader=yaml.CSafeLoader)
"""


@dataclass(frozen=True)
class Row:
    name: str
    cache: str  # the cache state, and the trace of the measured run (hits/misses/writes)
    value: float
    baseline_name: str
    baseline: float
    most: float  # the goal: value / baseline at most this
    goal: str
    unit: str = "s"

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")

    @property
    def holds(self) -> bool:
        return self.ratio <= self.most


@dataclass(frozen=True)
class Spec:
    """A row to measure: its name (what `--only` matches) and how."""

    name: str
    measure: Callable[[Bench], Row]


class Bench:
    """The workspaces and baselines rows share, each made when a row first needs it."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work: Path = args.work
        self.states = States(Caches(self.work / "cache"), args.repeat)

    @functools.cached_property
    def help(self) -> float:
        return self.states.plain([*FP, "--help"]).value

    @functools.cached_property
    def big(self) -> Path:
        return self.valid(generate(self.work / f"ws-{self.args.cases}", self.args.cases))

    def valid(self, root: Path) -> Path:
        """A generated workspace, once `validate` has found no error in it (exit 0): a
        row must not time a command that skips invalid cases."""
        run([*FP, "validate", "--no-cache", *TODAY, "--workspace", str(root)], self.states.caches.fresh())
        return root

    @functools.cached_property
    def examples(self) -> Path:
        """The examples with a short history of one case, set up as `git-setup` does."""
        root = examples_history(HERE.parent / "examples", self.work / "examples")
        return self.git_setup(root)

    @functools.cached_property
    def history(self) -> tuple[Path, str]:
        root, case = big_history(self.work / "history", self.args.cases, self.args.commits)
        return self.git_setup(self.valid(root)), case

    def git_setup(self, root: Path) -> Path:
        run([*FP, "git-setup", "--workspace", str(root)], self.states.caches.fresh())
        info = root / ".git" / "objects" / "info"
        if not ((info / "commit-graph").exists() or (info / "commit-graphs").exists()):
            raise SystemExit(f"bench: git-setup wrote no commit-graph in {root}")
        return root

    def vs_help(self, name: str, cache: str, measured: Measured, most: float) -> Row:
        return Row(name, cache_cell(cache, measured), measured.value, HELP, self.help, most, f"≤ {most:g}×")


def cache_cell(state: str, measured: Measured) -> str:
    """The state, and what the measured run's cache did; "not used" when the command never
    opened the store (its trace line is missing)."""
    return f"{state} ({measured.trace})" if measured.trace else "not used"


# --- any command on one case (the examples) ------------------------------------------

def one_case_commands() -> dict[str, tuple[list[str], tuple[int, ...]]]:
    """The commands on the examples' case, with the exit code each must give there (the
    Karimi case is built to have a collision and overdue agreements)."""
    case = HERE.parent / "examples" / "cases" / EXAMPLE
    meeting = sorted((case / "meetings").glob("*.yaml"))[0]
    return {
        f"validate {EXAMPLE}": (["validate", f"cases/{EXAMPLE}", *TODAY], (0,)),
        f"check-load {EXAMPLE}": (["check-load", EXAMPLE], (1,)),
        f"due {EXAMPLE}": (["due", EXAMPLE, *TODAY], (1,)),
        "status (the examples' 4 cases)": (["status", *TODAY], (1,)),
        f"render-plan {EXAMPLE} md": (["render-plan", EXAMPLE, "--format", "md", "--output", "-", *TODAY], (0,)),
        f"render-minutes {meeting.stem} md": (["render-minutes", f"cases/{EXAMPLE}/meetings/{meeting.name}",
                                               "--format", "md", "--output", "-", *TODAY], (0,)),
        f"export-ics {EXAMPLE}": (["export-ics", EXAMPLE], (0,)),
        f"fit {EXAMPLE}": (["fit", EXAMPLE, "--person", "nadia", "--length", "2h", "--per-week", "1", *TODAY], (0,)),
        f"changes {HISTORY_CASE}": (["changes", HISTORY_CASE, *CHANGES_TODAY], (0,)),
        f"report {EXAMPLE}": (["report", EXAMPLE, *TODAY], (0,)),
        # The record commands: everything but the file's replacement (--dry-run leaves the
        # examples as they are for the next run): the lock, two loads of the case, the splice.
        f"agree {EXAMPLE} --dry-run": (["agree", EXAMPLE, "Bench", "--responsible", "sb-job", "--dry-run", *TODAY], (0,)),
        f"absent {EXAMPLE} --dry-run": (["absent", EXAMPLE, "--person", "nadia", "--date", "2026-11-20",
                                         "--intervention", "misbrugsbehandling", "--dry-run", *TODAY], (0,)),
        f"done {EXAMPLE} a2 --dry-run": (["done", EXAMPLE, "a2", "--dry-run", *TODAY], (0,)),
        f"cancel {EXAMPLE} a2 --dry-run": (["cancel", EXAMPLE, "a2", "--dry-run", *TODAY], (0,)),
        f"ask {EXAMPLE} --dry-run": (["ask", EXAMPLE, "Bench", "--by", "nadia", "--to", "sb-job", "--dry-run", *TODAY],
                                     (0,)),
        f"answer {EXAMPLE} q1 --dry-run": (["answer", EXAMPLE, "q1", "--dry-run", *TODAY], (0,)),
        f"measure {EXAMPLE} m3 --dry-run": (["measure", EXAMPLE, "m3", "5", "--dry-run", *TODAY], (0,)),
        f"consent {EXAMPLE} --dry-run": (["consent", EXAMPLE, "--person", "nadia", "--departments", "jobcenter",
                                          "--areas", "employment", "--dry-run", *TODAY], (0,)),
        f"withdraw {EXAMPLE} c1 --dry-run": (["withdraw", EXAMPLE, "c1", "--dry-run", *TODAY], (0,)),
        f"end {EXAMPLE} brobygning --dry-run": (["end", EXAMPLE, "brobygning", "--from", "2026-05-04", "--dry-run",
                                                *TODAY], (0,)),
    }


def one_case_spec(label: str, words: list[str], ok: tuple[int, ...]) -> Spec:
    def measure(b: Bench) -> Row:
        root = b.examples
        # Case folders are named relative to the workspace (the history's copy of the examples).
        words_here = [str(root / w) if w.startswith("cases/") else w for w in words]
        got = b.states.warm([*FP, *words_here, "--workspace", str(root)], ok)
        return b.vs_help(f"one case: {label}", "warm", got, 2)

    return Spec(f"one case: {label}", measure)


# --- a coordinator's caseload --------------------------------------------------------

def caseload_commands(root: Path) -> dict[str, tuple[Callable[[dt.date], list[str]], bool]]:
    """A coordinator's `status` and a professional's `due` (those of the 7th case: each has
    about 60 of 2,000 cases), as text (on a terminal) and as JSON; each a command for a day."""
    who, answers = coordinator(7), professionals(7)["familie"]
    W = ["--workspace", str(root)]

    def command(words: list[str], json: bool) -> Callable[[dt.date], list[str]]:
        return lambda day: [*FP, *words, "--today", day.isoformat(), *(["--format", "json"] if json else []), *W]

    out = {}
    for json in (False, True):
        kind = "json" if json else "text"
        out[f"status --coordinator {who}, {kind}"] = (command(["status", "--coordinator", who], json), not json)
        out[f"due --responsible {answers}, {kind}"] = (command(["due", "--responsible", answers], json), not json)
    return out


def coordinator_spec(state: str, label: str, most: float) -> Spec:
    def measure(b: Bench) -> Row:
        cmd, terminal = caseload_commands(b.big)[label]
        if state == "warm":
            got = b.states.warm(cmd(DAY), FOUND, terminal)
        elif state == "new day":
            got = b.states.new_day(cmd, DAY, FOUND, terminal)
        else:
            got = b.states.no_cache(cmd(DAY), FOUND, terminal)
        return b.vs_help(f"coordinator, {state}: {label}", state, got, most)

    return Spec(f"coordinator, {state}: {label}", measure)


# --- the whole caseload --------------------------------------------------------------

def whole_spec(command: str, most: float) -> Spec:
    def measure(b: Bench) -> Row:
        words = ["check-load"] if command == "check-load" else [command, *TODAY]
        got = b.states.warm([*FP, *words, "--format", "json", "--workspace", str(b.big)], FOUND)
        return b.vs_help(f"caseload, warm: {command} --format json", "warm", got, most)

    return Spec(f"caseload, warm: {command} --format json", measure)


def validate_cpu(b: Bench) -> Row:
    loop = b.states.plain([PY, "-c", YAML_LOOP, str(b.big)], metric="cpu")
    got = b.states.cold([*FP, "validate", *TODAY, "--workspace", str(b.big)], metric="cpu")
    return Row("caseload, cold: validate, CPU", cache_cell("cold", got), got.value,
               "a `yaml.load(CSafeLoader)` loop over the same files, CPU", loop.value, 1.3, "≤ 1.3×", "CPU-s")


def validate_vs_jsonschema(b: Bench) -> Row:
    n = min(b.args.schema_cases, b.args.cases)
    small = b.valid(generate(b.work / f"ws-schema-{n}", n))
    run([*FP, "schema", "--workspace", str(small)], b.states.caches.fresh())
    got = b.states.cold([*FP, "validate", *TODAY, "--workspace", str(small)])
    schemas = sum(b.states.plain(cmd).value for cmd in jsonschema_commands(small))
    return Row(f"caseload, cold: validate, per case ({n} cases)", cache_cell("cold", got), got.value / n,
               "`check-jsonschema` on the same files, per case", schemas / n, 0.1, "≥ 10× faster (≤ 0.1×)", "ms")


def jsonschema_commands(ws: Path) -> list[list[str]]:
    cases = sorted((ws / "cases").iterdir())
    groups = {
        "familieplan": [ws / "familieplan.yaml"],
        "case": [c / "case.yaml" for c in cases],
        "plan": [c / "plan.yaml" for c in cases],
        "agreements": [c / "agreements.yaml" for c in cases],
        "meeting": [p for c in cases for p in sorted((c / "meetings").glob("*.yaml"))],
    }
    return [[PY, "-m", "check_jsonschema", "--schemafile", str(ws / "schemas" / f"{kind}.schema.json"),
             *map(str, files)] for kind, files in groups.items()]


# --- history, serve, memory, one busy person -----------------------------------------

def changes_history(b: Bench) -> Row:
    root, case = b.history
    got = b.states.warm([*FP, "changes", case, *CHANGES_TODAY, "--workspace", str(root)])
    return b.vs_help(f"history: changes {case}, {b.args.commits} commits, after git-setup", "warm", got, 4)


def serve_caseload(b: Bench) -> Row:
    env = b.states.caches.fresh()
    got = first_request(b.big, env, b.args.repeat)
    return b.vs_help("serve: the caseload page, first request", "warm", got, 5)


def peak_memory(b: Bench) -> Row:
    W = ["--no-cache", "--workspace", str(b.big)]
    load = b.states.plain([*FP, "check-load", "--format", "json", *W], FOUND, metric="rss_kib")
    validate = b.states.plain([*FP, "validate", *TODAY, *W], metric="rss_kib")
    return Row("memory: check-load --format json --no-cache, peak", "no cache", load.value / 1024,
               "`validate --no-cache`'s peak", validate.value / 1024, 1.5, "≤ 1.5×", "MiB")


def busy(b: Bench) -> Row:
    times = {}
    for n in (50, 400):
        ws = b.valid(busy_person(b.work / f"busy-{n}", n))
        times[n] = b.states.no_cache([*FP, "check-load", "--format", "json", "--workspace", str(ws)], FOUND)
    return Row("busy person: check-load --format json --no-cache, 400 interventions", "no cache", times[400].value,
               "the same with 50 interventions", times[50].value, 2, "≤ 2×")


def specs() -> list[Spec]:
    out = [one_case_spec(label, words, ok) for label, (words, ok) in one_case_commands().items()]
    for state, most in (("warm", 3.0), ("new day", 3.0), ("no cache", 6.0)):
        out += [coordinator_spec(state, label, most) for label in caseload_commands(Path())]
    out += [whole_spec(c, 4) for c in ("status", "due", "validate")]
    out.append(whole_spec("check-load", 10))
    out += [Spec("caseload, cold: validate, CPU", validate_cpu),
            Spec("caseload, cold: validate, per case, vs check-jsonschema", validate_vs_jsonschema),
            Spec("history: changes CASE after git-setup", changes_history),
            Spec("serve: the caseload page, first request", serve_caseload),
            Spec("memory: check-load --format json --no-cache, peak", peak_memory),
            Spec("busy person: check-load, 400 interventions against 50", busy)]
    return out


# --- the table -----------------------------------------------------------------------

def number(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.2f} ms"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:.3f} {unit}" if value < 1 else f"{value:.2f} {unit}"


def table(rows: Sequence[Row]) -> str:
    out = ["| row | cache (hits/misses/writes) | measured | baseline | baseline value | ratio | goal | holds |",
           "|---|---|---:|---|---:|---:|---|:---:|"]
    for r in rows:
        out.append(f"| {r.name} | {r.cache} | {number(r.value, r.unit)} | {r.baseline_name} "
                   f"| {number(r.baseline, r.unit)} | {r.ratio:.2f}× | {r.goal} | {'✓' if r.holds else '✗'} |")
    return "\n".join(out)


def header(args: argparse.Namespace) -> str:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"`bench/run.py --cases {args.cases} --repeat {args.repeat} --commits {args.commits}"
            f"{' --only ' + repr(args.only) if args.only else ''}`, {when}; "
            f"each value the median of {args.repeat} run{'s' if args.repeat != 1 else ''}.")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000, help="cases of the generated caseload")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is shown)")
    parser.add_argument("--commits", type=int, default=20000, help="commits of the history row's workspace")
    parser.add_argument("--schema-cases", type=int, default=200, help="cases of the check-jsonschema comparison")
    parser.add_argument("--only", help="only the rows whose name holds this (case-insensitive)")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument("--work", type=Path, default=HERE / "_work", help="where the workspaces are made")
    args = parser.parse_args(argv)
    chosen = [s for s in specs() if not args.only or args.only.casefold() in s.name.casefold()]
    if not chosen:
        parser.error(f"--only {args.only!r}: no row's name holds it; the rows:\n  "
                     + "\n  ".join(s.name for s in specs()))
    # Commands are timed as installed: with the package's bytecode compiled, as pip does at
    # install (with PYTHONDONTWRITEBYTECODE=1 every timed run would compile every module).
    compileall.compile_dir(str(HERE.parent / "familieplan"), quiet=1)
    args.work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args)
    rows = []
    for spec in chosen:
        rows.append(spec.measure(bench))
        print(f"bench: {table(rows[-1:]).splitlines()[-1]}", file=sys.stderr, flush=True)
    text = f"{header(args)}\n\n{table(rows)}\n"
    print(text, end="")
    if args.output:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
