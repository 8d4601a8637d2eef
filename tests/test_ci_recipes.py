"""The CI recipes of docs/ci.md: valid YAML with the keys GitLab and GitHub need, and their
commands run against a copy of examples/ with the exit codes the page promises."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES

CI_DOC = Path(__file__).parent.parent / "docs" / "ci.md"
BIN = Path(sys.executable).parent


def yaml_blocks() -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), re.S)
    return [yaml.safe_load(block) for block in blocks]


def gitlab() -> dict:
    return next(b for b in yaml_blocks() if "validate" in b and "script" in b["validate"])


def github() -> dict:
    return next(b for b in yaml_blocks() if "jobs" in b)


def _on(workflow: dict) -> dict:
    # PyYAML reads YAML 1.1, where a bare `on` is the boolean true; GitHub reads it as a key.
    return workflow.get("on", workflow.get(True))  # type: ignore[return-value]


def commands() -> dict[str, list[str]]:
    """The commands each recipe's jobs run, by job: GitLab's `script` and GitHub's `run`
    steps except the install step."""
    found = {f"gitlab:{name}": job["script"] for name, job in gitlab().items() if isinstance(job, dict) and "script" in job}
    for name, job in github()["jobs"].items():
        found[f"github:{name}"] = [s["run"] for s in job["steps"] if "run" in s and not s.get("name", "").startswith("Install")]
    return found


def test_gitlab_recipe_has_the_keys_gitlab_needs():
    recipe = gitlab()
    assert recipe["default"]["image"].startswith("python:")
    assert any("pip install" in line for line in recipe["default"]["before_script"])
    sources = {name: [r["if"] for r in job["rules"]] for name, job in recipe.items() if name != "default"}
    assert sources == {
        "validate": ['$CI_PIPELINE_SOURCE == "merge_request_event"', '$CI_PIPELINE_SOURCE == "push"'],
        "overdue": ['$CI_PIPELINE_SOURCE == "schedule"'],
    }
    assert recipe["overdue"]["script"] == ["familieplan due --overdue"]


def test_github_recipe_has_the_keys_github_needs():
    workflow = github()
    on = _on(workflow)
    assert set(on) >= {"push", "pull_request", "schedule"}
    cron = on["schedule"][0]["cron"]
    assert len(cron.split()) == 5
    jobs = workflow["jobs"]
    assert set(jobs) == {"validate", "overdue"}
    assert "schedule" in jobs["overdue"]["if"] and "schedule" not in jobs["validate"]["if"]
    for job in jobs.values():
        assert job["runs-on"] == "ubuntu-latest"
        uses = [s["uses"] for s in job["steps"] if "uses" in s]
        assert uses[0].startswith("actions/checkout@") and uses[1].startswith("actions/setup-python@")
        assert any("pip install" in s.get("run", "") for s in job["steps"])


def test_precommit_recipe_is_the_shipped_hook_run_locally():
    """The local hook of docs/ci.md is the shipped hook with `language: system`."""
    local = next(b for b in yaml_blocks() if "repos" in b)["repos"][0]
    shipped = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text())[0]
    hook = local["hooks"][0]
    assert local["repo"] == "local" and hook["language"] == "system"
    for key in ("id", "entry", "files", "pass_filenames"):
        assert hook[key] == shipped[key], key


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    words = shlex.split(command)
    assert words[0] == "familieplan", command
    return subprocess.run([shutil.which("familieplan", path=env["PATH"]) or "familieplan", *words[1:]],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_recipe_commands_give_the_promised_exit_codes(tmp_path):
    """validate: 0 on the examples, 1 after a broken edit. due --overdue: 1 on the examples
    (their deadlines have passed by the real date the job runs on), 0 with nothing due."""
    found = commands()
    assert set(found) == {"gitlab:validate", "gitlab:overdue", "github:validate", "github:overdue"}
    assert found["gitlab:validate"] == ["familieplan validate"]
    assert found["github:validate"] == ["familieplan validate --format github"]
    assert found["gitlab:overdue"] == found["github:overdue"] == ["familieplan due --overdue"]
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    fresh = tmp_path / "fresh"
    assert _run(f"familieplan init {fresh} --no-git", tmp_path).returncode == 0
    assert _run("familieplan new-case 'Familien Test'", fresh).returncode == 0
    for job, lines in found.items():
        for line in lines:
            proc = _run(line, repo)
            if "validate" in job:
                assert proc.returncode == 0, (job, proc.stdout, proc.stderr)
            else:
                assert proc.returncode == 1 and proc.stdout.startswith("Forsinket"), (job, proc.stdout, proc.stderr)
                assert _run(line, fresh).returncode == 0, job
    case = repo / "cases" / "2025-001-holm" / "case.yaml"
    case.write_text(case.read_text().replace("status: active", "status: aktiv"))
    broken = _run("familieplan validate", repo)
    assert broken.returncode == 1 and "bad-value" in broken.stdout
    annotated = _run("familieplan validate --format github", repo)
    assert annotated.returncode == 1 and annotated.stdout.startswith("::error file=cases/2025-001-holm/case.yaml,line=")


def test_windows_job_runs_the_windows_tests():
    """The project's own Windows job: on windows-latest, the test files it names exist,
    and the step that must pass runs tests/test_windows.py."""
    workflow = next(b for b in yaml_blocks() if "jobs" in b and "tests" in b["jobs"])
    job = workflow["jobs"]["tests"]
    assert job["runs-on"] == "windows-latest"
    steps = [s for s in job["steps"] if "run" in s]
    assert 'pip install -e ".[serve]" --group test' in steps[0]["run"]  # as `make venv`, without the pdf extra
    assert "tests/test_windows.py" in steps[1]["run"] and not steps[1].get("continue-on-error")
    for step in steps[1:]:
        for word in shlex.split(step["run"]):
            path = word.removeprefix("--ignore=")
            if path.startswith("tests/"):
                assert (CI_DOC.parent.parent / path).is_file(), path
