"""`make demo` leaves the checkout unchanged: every document it renders for a named reader
is made with --no-record or on a temporary copy (the disclosure log is part of the case)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_demo_records_nothing_in_the_examples():
    recipe = ROOT.joinpath("Makefile").read_text(encoding="utf-8").split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    commands = re.sub(r"\\\n\s*", " ", recipe).splitlines()
    for command in commands:
        if re.search(r"--for \S+", command) and "--workspace examples" in command:
            assert "--no-record" in command or "--output -" in command, command
