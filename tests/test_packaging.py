"""The wheel carries the templates: init, new-case and validate work from it alone."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_wheel_works_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(ROOT)], check=True)
    wheel = next(wheels.glob("familieplan-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "familieplan/templates/scaffold/case.yaml.j2" in names
    assert "familieplan/locale/da/LC_MESSAGES/familieplan.mo" in names
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    work = tmp_path / "work"
    work.mkdir()

    def run(*args: str, cwd: Path = work) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "familieplan", *args], cwd=cwd, env=env,
                              capture_output=True, text=True)

    where = subprocess.run([sys.executable, "-c", "import familieplan, familieplan.render.env as t;"
                            "print(familieplan.__file__); print(t.shipped_templates())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert where[0].startswith(str(site)) and where[1].startswith(str(site))
    assert run("init", "demo-ws", "--no-git").returncode == 0
    created = run("new-case", "Familien Test", cwd=work / "demo-ws")
    assert created.returncode == 0, created.stderr
    checked = run("validate", cwd=work / "demo-ws")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The Danish catalog is read from the installed wheel.
    due = run("due", "--today", "2026-11-23", cwd=work / "demo-ws")
    assert due.returncode == 0 and "Ingen frister" in due.stdout, due.stdout + due.stderr


@pytest.mark.slow
def test_exported_schemas_accept_the_examples_and_reject_a_typo(tmp_path):
    from typer.testing import CliRunner

    from familieplan.cli import app

    out = tmp_path / "schemas"
    assert CliRunner().invoke(app, ["schema", "--output", str(out)]).exit_code == 0
    cli = [sys.executable, "-m", "check_jsonschema"]
    kinds = {"familieplan": ["familieplan.yaml"], "case": ["cases/*/case.yaml"], "plan": ["cases/*/plan.yaml"],
             "agreements": ["cases/*/agreements.yaml"], "meeting": ["cases/*/meetings/*.yaml"],
             "attendance": ["cases/*/attendance.yaml"], "measurements": ["cases/*/measurements.yaml"],
             "disclosures": ["cases/*/disclosures.yaml"]}
    for kind, patterns in kinds.items():
        files = [str(f) for pattern in patterns for f in EXAMPLES.glob(pattern)]
        assert files, kind  # every file kind has an example
        ok = subprocess.run([*cli, "--schemafile", str(out / f"{kind}.schema.json"), *files],
                            capture_output=True, text=True)
        assert ok.returncode == 0, ok.stdout
    bad = tmp_path / "plan.yaml"
    bad.write_text((EXAMPLES / "cases" / "2025-003-lund" / "plan.yaml").read_text().replace("focus:", "fokus:", 1))
    rejected = subprocess.run([*cli, "--schemafile", str(out / "plan.schema.json"), str(bad)],
                              capture_output=True, text=True)
    assert rejected.returncode == 1


def test_example_schemas_are_current():
    """examples/schemas are what `familieplan schema --workspace examples` writes: Danish
    descriptions, and the examples' own life areas beside the built-in ones."""
    from familieplan.commands.scaffold import schema_texts
    from familieplan.render.catalog import catalog

    for kind, text in schema_texts(EXAMPLES, catalog("da").gettext).items():
        committed = (EXAMPLES / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == text, f"run: familieplan schema --workspace examples ({kind})"
