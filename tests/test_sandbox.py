"""Workspace templates run in Jinja2's sandbox: a template in a workspace's own templates/
cannot reach Python's internals, and a refused template is one line, not a traceback."""

from __future__ import annotations

import shutil

from conftest import EXAMPLES, run_cli


def test_a_workspace_template_cannot_run_code(runner, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLES, ws)
    proof = tmp_path / "ran"
    (ws / "templates" / "render").mkdir(parents=True)
    (ws / "templates" / "render" / "plan.md.j2").write_text(
        "{{ cycler.__init__.__globals__.os.system('touch " + str(proof) + "') }}\n", encoding="utf-8")
    result = run_cli(runner, ["render-plan", "2026-002-karimi", "--workspace", str(ws), "--output", "-"])
    assert result.exit_code == 2, result.output
    assert not proof.exists()
    assert "afvist af sandkassen" in result.stderr and "Traceback" not in result.stderr


def test_an_ordinary_workspace_template_still_renders(runner, tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLES, ws)
    (ws / "templates" / "render").mkdir(parents=True)
    (ws / "templates" / "render" / "plan.md.j2").write_text("# {{ title }} ({{ _('Joint plan') }})\n", encoding="utf-8")
    result = run_cli(runner, ["render-plan", "2026-002-karimi", "--workspace", str(ws), "--output", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# ") and "Fællesplan" in result.stdout
