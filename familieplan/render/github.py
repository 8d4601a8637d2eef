"""GitHub Actions annotations (`--format github`): one workflow command per problem or
finding, `::error file=…,line=…,col=…,title=…::message`, as GitHub documents them ("Workflow
commands for GitHub Actions": `error`, `warning`, `notice`). The runner shows each at its
line in the pull request's diff.

Values are escaped as the runner reads them: in the message `%`, CR and LF; in a property
also `:` and `,`. The message is CPR-masked (annotations are public to everyone who can read
the repository's runs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from familieplan.format.cpr import mask_cpr
from familieplan.problems import Problem, Source
from familieplan.render.messages import problem_text

# Our levels as GitHub's commands.
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def line(level: str, where: Source | None, title: str, message: str) -> str:
    """One annotation (without its newline)."""
    props = []
    if where is not None:
        props += [f"file={escape_property(where.path)}", f"line={where.line}", f"col={where.column}"]
    props.append(f"title={escape_property(title)}")
    return f"::{COMMANDS.get(level, 'notice')} {','.join(props)}::{escape_data(mask_cpr(message))}"


def write_annotation(out: IO[str], level: str, where: Source | None, title: str, message: str) -> None:
    out.write(line(level, where, title, message) + "\n")


def write_problems(out: IO[str], problems: Iterable[Problem], lang: str) -> None:
    """Each problem as an annotation at its place, its code as the title."""
    for problem in problems:
        message, hint = problem_text(problem, lang)
        write_annotation(out, problem.level, problem.source, problem.code, message + (f" ({hint})" if hint else ""))
