"""Packaging: the wheel carries the templates (init, new-case and validate work from it
alone), the sdist carries what its own tests need, and `serve` without its extra says which
to install."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import tomllib

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
    assert "familieplan/py.typed" in names  # the public API is typed (PEP 561)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    assert "Provides-Extra: serve" in metadata and "Provides-Extra: test" not in metadata
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
    from familieplan.commands.scaffold import schema_areas
    from familieplan.render.schemas import schema_texts

    for kind, text in schema_texts(schema_areas(EXAMPLES), "da").items():
        committed = (EXAMPLES / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == text, f"run: familieplan schema --workspace examples ({kind})"


# The tests the sdist must be able to run from its own unpacked tree: the ones that read
# docs/, .pre-commit-hooks.yaml, babel.cfg, pyproject.toml and the examples beside the package.
SDIST_TESTS = ["tests/test_cli.py", "tests/test_fit.py", "tests/test_second_edition.py", "tests/test_ci_recipes.py",
               "tests/test_catalog.py", "tests/test_docs.py", "tests/test_conventions.py", "tests/test_exit_codes.py",
               "tests/test_packaging.py::test_example_schemas_are_current",
               "tests/test_packaging.py::test_the_package_metadata"]


@pytest.mark.slow
def test_the_sdist_runs_its_own_tests(tmp_path):
    """The sdist, unpacked, holds what its tests read: a subset runs from it, importing the
    unpacked package rather than this checkout's."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(dist)], cwd=ROOT,
                   check=True, capture_output=True)
    sdist = next(dist.glob("familieplan-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    tree = next((tmp_path / "unpacked").iterdir())
    names = {p.relative_to(tree).as_posix() for p in tree.rglob("*")}
    for needed in ("LICENSE", "pyproject.toml", "README.md", "babel.cfg", ".pre-commit-hooks.yaml", "docs/format.md",
                   "familieplan/py.typed", "familieplan/locale/da/LC_MESSAGES/familieplan.mo",
                   "templates/scaffold/case.yaml.j2", "examples/familieplan.yaml", "tests/conftest.py"):
        assert needed in names, needed
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    where = subprocess.run([sys.executable, "-c", "import familieplan; print(familieplan.__file__)"], cwd=tree, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(tree)), where
    run = subprocess.run([sys.executable, "-m", "pytest", "-m", "not slow", "-p", "no:cacheprovider",
                          "-p", "no:xdist", *SDIST_TESTS], cwd=tree, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and " skipped" not in run.stdout, run.stdout[-2000:]


def test_the_package_metadata():
    """MIT as an SPDX expression with its licence file; `serve`'s stack is an extra and the test
    tools a dependency group (PEP 735), never a published extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    meta = project["project"]
    assert meta["license"] == "MIT" and meta["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "familieplan contributors" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert (ROOT / "familieplan" / "py.typed").is_file()
    assert "test" not in meta["optional-dependencies"] and "test" in project["dependency-groups"]
    serve = {dep.split(">=")[0] for dep in meta["optional-dependencies"]["serve"]}
    assert serve == {"starlette", "uvicorn", "watchfiles"}
    assert not serve & {dep.split(">=")[0].split("<")[0] for dep in meta["dependencies"]}


@pytest.mark.parametrize(("blocked", "lang", "line"), [
    ("starlette", None, "familieplan: fejl: serve kræver tilvalget: pip install 'familieplan[serve]'"),
    ("uvicorn", None, "familieplan: fejl: serve kræver tilvalget: pip install 'familieplan[serve]'"),
    ("watchfiles", "en", "familieplan: error: serve needs the extra: pip install 'familieplan[serve]'"),
])
def test_serve_without_its_extra_names_the_extra(blocked, lang, line):
    """Installed without the `serve` extra (one of its modules made unimportable), `serve`
    prints one line naming the extra, exit 2, and starts nothing."""
    argv = ["familieplan", "serve", "--workspace", str(EXAMPLES), "--no-open", *(["--lang", lang] if lang else [])]
    code = (f"import sys; sys.modules[{blocked!r}] = None; sys.argv = {argv!r}; "
            "from familieplan.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.splitlines() == [line] and proc.stdout == ""
