"""The fixed words of every document kind are Danish as the dictionary spells it.

Every document kind (minutes, the joint plan, the question log, the report) is rendered in
Danish from the examples, in Markdown and HTML, for the team, for one of the family and for
a professional. Its fixed words are the words that are in no file of the workspace (what
the user typed is theirs to spell); hunspell with Debian's hunspell-da dictionary must know
every one of them, abbreviations with their period ("kl.", "nov.", "Gns."), so that an
abbreviated month without its period is an unknown word too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from conftest import EXAMPLES, run_cli

pytestmark = pytest.mark.slow

DICTIONARY = "/usr/share/hunspell/da_DK.dic"
WORD = re.compile(r"[A-Za-zÆØÅæøåÉéÜü]+(?:-[A-Za-zÆØÅæøåÉéÜü]+)*\.?")
NOW = ["--today", "2026-11-30", "--now", "2026-11-30T10:00", "--output", "-", "--no-record"]


def _documents(runner) -> list[str]:  # type: ignore[no-untyped-def]
    texts = []
    for fmt in ("md", "html"):
        for case, family, professional in (("2025-001-holm", "sara", "laerer"), ("2025-003-lund", "thomas", "psykolog"),
                                           ("2026-002-karimi", "nadia", "sb-job"), ("2024-004-norup", "kasper", None)):
            readers = [[], ["--for", family]] + ([["--for", professional]] if professional else [])
            for reader in readers:
                base = ["--workspace", str(EXAMPLES), "-f", fmt, *NOW, *reader]
                texts.append(run_cli(runner, ["render-plan", case, *base]).stdout)
                for meeting in sorted((EXAMPLES / "cases" / case / "meetings").glob("*.yaml")):
                    texts.append(run_cli(runner, ["render-minutes", str(meeting), *base]).stdout)
            texts.append(run_cli(runner, ["render-questions", case, "--workspace", str(EXAMPLES), "-f", fmt, *NOW,
                                          "--for", family]).stdout)
        texts.append(run_cli(runner, ["report", "--workspace", str(EXAMPLES), "--today", "2026-11-30", "-f", fmt]).stdout)
    return texts


def _words(text: str) -> set[str]:
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>|&[a-z]+;|&#\d+;", " ", text)
    return set(WORD.findall(text))


def test_hunspell_da_knows_every_fixed_word_of_every_document(runner):
    if not (shutil.which("hunspell") and os.path.exists(DICTIONARY)):
        if os.environ.get("CI"):
            pytest.fail("hunspell and hunspell-da are missing: .ci/run installs them")
        pytest.skip("hunspell with hunspell-da is not installed here (apt-get install hunspell hunspell-da)")
    typed = {w.rstrip(".").lower() for path in EXAMPLES.rglob("*.yaml")
             for w in WORD.findall(path.read_text(encoding="utf-8"))}
    texts = _documents(runner)
    assert len(texts) > 40 and all(texts)
    fixed = sorted({w for text in texts for w in _words(text) if w.rstrip(".").lower() not in typed})
    assert len(fixed) > 100  # the words of the templates and the catalog are there
    unknown = subprocess.run(["hunspell", "-d", DICTIONARY.removesuffix(".dic"), "-l"], input="\n".join(fixed),
                             capture_output=True, text=True, check=True).stdout.split()
    assert unknown == []
