"""Outputs other tools rely on: every command's JSON against its published schema (with
check-jsonschema) and with `"format": 1`; CSV read back as Python's csv module reads it
equals the JSON, in the dialect a Danish spreadsheet opens; GitHub annotations in the
syntax GitHub documents."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from familieplan.render.output_schemas import COMMANDS, output_schema_texts
from tests.conftest import DATA, EXAMPLES, run_cli
from tests.gitrepo import Repo

TODAY = "2026-11-23"
KARIMI = "2026-002-karimi"


def _broken(root: Path) -> Path:
    """The examples with errors: a bad time in one plan, an unknown responsible in another case."""
    plan = root / "cases" / "2025-001-holm" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("from: 2025-", "from: 2025-13-", 1), encoding="utf-8")
    agreements = root / "cases" / KARIMI / "agreements.yaml"
    text = agreements.read_text(encoding="utf-8")
    agreements.write_text(text.replace("responsible: sb-familie", "responsible: nobody-here", 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """The examples in a git repository (one commit, then an agreement marked done in the
    working tree, for `changes`), and a copy with errors."""
    repo = Repo(tmp_path_factory.mktemp("outputs") / "ws", driver=False)
    shutil.copytree(EXAMPLES, repo.root, dirs_exist_ok=True)
    repo.commit("examples", date="2026-11-20T10:00:00+01:00")
    agreements = repo.root / "cases" / KARIMI / "agreements.yaml"
    text = agreements.read_text(encoding="utf-8")
    agreements.write_text(text.replace("status: open", "status: done\n    done: 2026-11-20", 1), encoding="utf-8")
    broken = Repo(tmp_path_factory.mktemp("outputs") / "broken", driver=False)
    shutil.copytree(EXAMPLES, broken.root, dirs_exist_ok=True)
    broken.commit("examples", date="2026-11-20T10:00:00+01:00")
    return {"examples": repo.root, "broken": _broken(broken.root)}


def invocations(ws: Path, valid: bool = True) -> dict[str, list[list[str]]]:
    """Each command with JSON output, as it is run on a workspace (several ways each; the
    views for a reader of one case only where that case is valid)."""
    w = ["--workspace", str(ws)]
    t = ["--today", TODAY]
    reader = ["--for", "sb-familie"]
    runs = {
        "validate": [["validate", *w]],
        "check-load": [["check-load", *w, *t], ["check-load", KARIMI, *w, *t, *reader]],
        "due": [["due", *w, *t], ["due", *w, *t, "--within", "60"]],
        "status": [["status", *w, *t]],
        "fit": [["fit", KARIMI, *w, *t, "--person", "nadia", "--length", "1h", "--per-week", "1"]],
        "changes": [["changes", KARIMI, *w, *t, "--since", "HEAD"]],
        "report": [["report", *w, *t], ["report", KARIMI, *w, *t, *reader]],
        "disclosures": [["disclosures", KARIMI if valid else "2025-003-lund", *w]],
        "record": [["agree", KARIMI, "Ring til Nadia", "--responsible", "sb-job", *w, *t, "--dry-run"]],
        "rules": [["rules", "--on", TODAY, *w]],
    }
    if not valid:
        runs = {name: [args for args in each if reader[0] not in args] for name, each in runs.items()}
    return runs


def run_json(runner, args: list[str]) -> dict:  # type: ignore[no-untyped-def]
    result = run_cli(runner, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_every_command_with_json_has_a_schema():
    from familieplan.cli import app
    from familieplan.render.reporters import MODULES, formats

    with_json = {name for name in MODULES if name != "invalid" and "json" in formats(name)}
    assert with_json == set(COMMANDS)
    assert app  # the commands above are the app's (tests/test_catalog.py checks the option choices)


@pytest.mark.parametrize("kind", ["examples", "broken"])
def test_json_validates_against_the_published_schema(workspaces, runner, tmp_path, kind):
    """Every command's JSON (on the examples and on a workspace with errors) passes
    check-jsonschema with the schema `familieplan schema` writes; each starts with "format": 1."""
    schemas = tmp_path / "schemas"
    result = run_cli(runner, ["schema", "--output", str(schemas), "--workspace", str(workspaces["examples"])])
    assert result.exit_code == 0, result.output
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    seen_problems = 0
    for command, runs in invocations(workspaces[kind], kind == "examples").items():
        files = []
        for index, args in enumerate(runs):
            result = run_cli(runner, [*args, "--format", "json"])
            assert result.exit_code in (0, 1), (args, result.output)
            assert result.stdout.startswith('{\n"format": 1,'), (args, result.stdout[:80])
            data = json.loads(result.stdout)
            assert data["format"] == 1 and list(data)[:2] == ["format", "problems"]
            seen_problems += sum(p["level"] != "info" for p in data["problems"])  # an info line is no problem
            path = outputs / f"{command}-{index}.json"
            path.write_text(result.stdout, encoding="utf-8")
            files.append(str(path))
        check = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                                str(schemas / "output" / f"{command}.json"), *files],
                               capture_output=True, text=True, check=False)
        assert check.returncode == 0, (command, check.stdout + check.stderr)
    assert (seen_problems > 0) == (kind == "broken")


def test_a_schema_rejects_a_key_it_does_not_know(tmp_path):
    """The schemas are closed: a reporter that adds a key without its schema fails the test above."""
    import jsonschema

    schema = json.loads(output_schema_texts()["output/status.json"])
    good = {"format": 1, "problems": [], "cases": []}
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "extra": 1}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "format": 2}, schema)


def test_the_examples_carry_the_current_output_schemas():
    for name, text in output_schema_texts().items():
        assert (EXAMPLES / "schemas" / name).read_text(encoding="utf-8") == text, name


# --- CSV ----------------------------------------------------------------------------------

def flat(row: dict, prefix: str = "") -> dict[str, object]:
    """The oracle: a JSON row's cells as the README says CSV writes them, made here on its own."""
    out: dict[str, object] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}_"))
        elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            out[prefix + key] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, list):
            out[prefix + key] = ", ".join(map(str, value))
        else:
            out[prefix + key] = value
    return out


def as_cell(value: object, danish: bool) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return ("ja" if value else "nej") if danish else ("true" if value else "false")
    if isinstance(value, float):
        return repr(value).replace(".", ",") if danish else repr(value)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def tables(text: str, sep: str) -> list[list[dict[str, str]]]:
    """The CSV's tables (apart by an empty line), each as csv.DictReader reads it."""
    return [list(csv.DictReader(io.StringIO(part), delimiter=sep)) for part in text.split("\r\n\r\n")]


CSV_TABLES = {"status": ["cases"], "due": ["deadlines"], "report": ["goals", "indicators", "shares"],
              "check-load": ["findings", "attendance"]}


@pytest.mark.parametrize(("command", "run"), [(c, 0) for c in sorted(CSV_TABLES)]
                         + [("check-load", 1), ("report", 1)])  # 1: the view for a reader (--for)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_csv_has_the_rows_and_values_of_the_json(workspaces, runner, command, run, lang):
    """CSV read back with the csv module equals the JSON row by row, value by value — for a
    reader too (`--for`: the consent rule made the result both formats write)."""
    args = invocations(workspaces["examples"])[command][run]
    data = run_json(runner, [*args, "--lang", lang])
    result = run_cli(runner, [*args, "--format", "csv", "--lang", lang])
    assert result.exit_code in (0, 1), result.output
    raw = result.stdout_bytes
    danish = lang == "da"
    # Excel with Danish regional settings: a byte-order mark and ';'; English: plain UTF-8 and ','.
    assert raw.startswith(b"\xef\xbb\xbf") == danish
    text = raw.decode("utf-8-sig")
    sep = ";" if danish else ","
    assert text.splitlines()[0].count(sep) > 3
    found = tables(text, sep)
    assert len(found) == len(CSV_TABLES[command])
    total = 0
    for rows, name in zip(found, CSV_TABLES[command], strict=True):
        expected = [flat(row) for row in data[name]]
        assert len(rows) == len(expected), name
        for got, want in zip(rows, expected, strict=True):
            for key, value in want.items():
                if key in got:
                    assert got[key] == as_cell(value, danish), (name, key)
                else:  # a null object: its columns are empty
                    assert value is None and all(v == "" for k, v in got.items() if k.startswith(key + "_")), key
            # A column this row has no value for (an optional key, a null object's) is empty.
            assert all(v == "" for k, v in got.items() if k not in want), name
        total += len(rows)
    assert total > 0


def test_csv_separator_can_be_chosen(workspaces, runner):
    args = invocations(workspaces["examples"])["due"][0]
    result = run_cli(runner, [*args, "--format", "csv", "--csv-sep", "tab"])
    text = result.stdout_bytes.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    assert rows and rows[0]["case"] and ";" not in text.splitlines()[0]
    bad = run_cli(runner, [*args, "--format", "csv", "--csv-sep", "|"])
    assert bad.exit_code == 2


def test_csv_neutralises_formulas_and_masks_cpr(tmp_path, runner):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLES, ws)
    case = ws / "cases" / KARIMI / "case.yaml"
    text = case.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)\n", text, re.MULTILINE)
    assert title
    case.write_text(text.replace(title.group(0), 'title: "=HYPERLINK(\\"http://x\\") 150387-4721"\n', 1),
                    encoding="utf-8")
    result = run_cli(runner, ["status", "--workspace", str(ws), "--today", TODAY, "--format", "csv"])
    rows = tables(result.stdout_bytes.decode("utf-8-sig"), ";")[0]
    texts = [row["title"] for row in rows if "HYPERLINK" in row["title"]]
    assert texts and all(t.startswith("'=") for t in texts)
    assert "150387-4721" not in result.stdout and "4721" not in "".join(texts)


def test_empty_csv_still_has_its_header(tmp_path, runner):
    ws = tmp_path / "ws"
    shutil.copytree(DATA / "minimal", ws)
    result = run_cli(runner, ["due", "--workspace", str(ws), "--today", "2020-01-01", "--format", "csv", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("case,kind,state,date,")


# --- GitHub annotations -------------------------------------------------------------------

# GitHub's workflow command: ::{command} {key=value,…}::{message}; properties escaped
# (%, CR, LF, ':' and ','), the message too (%, CR, LF).
ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:\r\n]+,line=\d+,col=\d+,title=[^,:\r\n]+::[^\r\n]*$")


def test_validate_github_one_annotation_per_problem(workspaces, runner):
    ws = workspaces["broken"]
    data = run_json(runner, ["validate", "--workspace", str(ws)])
    result = run_cli(runner, ["validate", "--workspace", str(ws), "--format", "github"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(data["problems"]) > 0
    assert all(ANNOTATION.match(line) for line in lines), lines
    first = data["problems"][0]
    assert lines[0].startswith(f"::{first['level']} file={first['path']},line={first['line']},col={first['column']},")


def test_check_load_github_annotates_findings(workspaces, runner):
    ws = workspaces["examples"]
    data = run_json(runner, ["check-load", "--workspace", str(ws), "--today", TODAY])
    result = run_cli(runner, ["check-load", "--workspace", str(ws), "--today", TODAY, "--format", "github"])
    lines = result.stdout.splitlines()
    assert len(lines) == len(data["findings"]) > 0
    assert all(ANNOTATION.match(line) for line in lines), lines


def test_annotation_escapes_what_github_reads():
    from familieplan.problems import Source
    from familieplan.render.github import line

    text = line("warning", Source("a,b:c.yaml", 3, 4), "x", "50% done\nnext")
    assert text == "::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=x::50%25 done%0Anext"
    assert ANNOTATION.match(text)
