"""The command line: each command parses its options, calls one library function (through
`familieplan.api` or the commands), prints through a reporter and exits. typer only: the
model, rich and jinja2 are imported inside the commands, so that `--help` stays fast.

One module per command family; importing them registers their commands on the one app, in
the order `--help` lists them.
"""

from __future__ import annotations

from familieplan.cli import analysis, caseload, documents, record, save, workspace  # noqa: F401  (registers the commands)
from familieplan.cli.app import app, main

__all__ = ["app", "main"]
