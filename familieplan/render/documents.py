"""`render-minutes` and `render-plan`: the contexts of `render/minutes.py` and
`render/plan.py` rendered to Markdown, HTML or PDF, written atomically, and recorded in the
case's disclosure log for each named reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from familieplan import clock
from familieplan import model as m
from familieplan.problems import N_, FamilieplanError, UsageError
from familieplan.render.catalog import catalog
from familieplan.render.language import language
from familieplan.render.minutes import minutes_context
from familieplan.render.plan import plan_context
from familieplan.settings import Settings
from familieplan.workspace.disclosures import DisclosureEntry, record_disclosures
from familieplan.workspace.files import remove_stale_temps, write_atomic

OUTPUT_DIR = "output"


def render_text(kind: str, fmt: str, context: dict[str, Any], workspace: Path | None) -> str:
    from familieplan.format.cpr import mask_cpr
    from familieplan.render.env import render
    from familieplan.render.richtext import (
        html_block,
        html_inline,
        md_block,
        md_inline,
        md_inline_start,
    )

    cat = catalog(context["lang"])
    if fmt == "html":
        return mask_cpr(render(f"render/{kind}.html.j2", context, workspace, html=True,
                      filters={"text": html_block, "inline": html_inline, "inline_start": html_inline},
                      translations=cat.translations))
    return mask_cpr(render(f"render/{kind}.md.j2", context, workspace, html=False,
                  filters={"text": md_block, "inline": md_inline, "inline_start": md_inline_start},
                  translations=cat.translations))


def default_output(root: Path, case: m.Case, stem: str, recipient: str | None, fmt: str, lang: str) -> Path:
    """output/<case>/<stem>-til-<id>.<fmt> (English: -for-<id>), or <stem>-intern (-internal)."""
    pgettext = catalog(lang).pgettext
    if recipient:
        suffix = pgettext("file name", "-for-{reader}").format(reader=recipient)
    else:
        suffix = pgettext("file name", "-internal")
    return root / OUTPUT_DIR / case.folder_id / f"{stem}{suffix}.{fmt}"


def write_documents(root: Path, case: m.Case, stem: str, fmt: str, recipients: list[str | None],
                    make: Any, output: Path | None, force: bool, lang: str) -> list[Path]:
    """Render one document per recipient and write each atomically with mode 0600."""
    written = []
    many = len(recipients) > 1
    for recipient in recipients:
        text = make(recipient)
        if output is None:
            path = default_output(root, case, stem, recipient, fmt, lang)
        elif many or output.is_dir():
            path = output / default_output(root, case, stem, recipient, fmt, lang).name
        else:
            path = output
        # Inside the workspace no folder on the way may be a link (output/ is ignored by git).
        remove_stale_temps(path.parent)
        write_atomic(path, text, force=force, base=root if output is None else None)
        written.append(path)
    return written


def find_meeting(case: m.Case, name: str) -> m.Meeting:
    stem = Path(name).name.removesuffix(".yaml")
    for meeting in case.meetings:
        if meeting.name == stem:
            return meeting
    known = [mt.name for mt in case.meetings]
    if known:
        raise FamilieplanError(N_("no meeting '{meeting}' in case {case} (meetings: {known})"), meeting=stem,
                               case=case.folder_id, known=", ".join(known))
    raise FamilieplanError(N_("no meeting '{meeting}' in case {case}"), meeting=stem, case=case.folder_id)


@dataclass(frozen=True)
class DocumentRequest:
    """What `render-minutes` and `render-plan` are asked for."""

    kind: str  # minutes | plan | questions
    fmt: str  # md | html
    for_id: str | None  # a reader's id, "all", or None for the internal version
    lang: str | None  # None: by the language rule (the workspace's, else the locale's)
    now: dt.datetime  # the time of rendering, printed in the document
    today: dt.date  # the day that decides the current phase and the consents in force
    meeting: str | None = None  # the meeting file's name, for minutes
    record: bool = True  # append to the case's disclosures.yaml for each named recipient
    real_now: dt.datetime | None = None  # the real time of rendering (None: `now`; api.render_documents: the clock's)


@dataclass
class Documents:
    """Rendered documents: their texts by recipient, where they were written, and what was
    recorded in the disclosure log."""

    texts: list[tuple[str | None, str]]
    paths: list[Path]
    recorded: list[DisclosureEntry] = field(default_factory=list)


def _real_now(req: DocumentRequest) -> dt.datetime:
    return clock.local(req.real_now or req.now)


def _document_maker(req: DocumentRequest, case: m.Case, settings: Settings, root: Path,
                    lang: str) -> tuple[str, str, list[str | None], Any]:
    """The file stem, the source file, every possible recipient, and a function recipient ->
    (text, what it disclosed)."""
    real_today = _real_now(req).date()
    fmt = "html" if req.fmt == "pdf" else req.fmt
    if req.kind == "minutes":
        target = find_meeting(case, req.meeting or "")
        stem = catalog(lang).pgettext("file name", "{meeting}-minutes").format(meeting=target.name)

        def make_minutes(recipient: str | None) -> tuple[str, dict[str, Any]]:
            context = minutes_context(case, target, settings, recipient, lang, req.now, req.today, real_today)
            return render_text("minutes", fmt, context, root), context["disclosed"]

        return stem, f"meetings/{target.name}.yaml", list(target.send_to), make_minutes
    if req.kind == "questions":
        return _questions_maker(req, case, settings, root, lang, fmt, real_today)
    assert case.info is not None
    # `--for all` makes no plan for a child: name the child with --for to make one.
    everyone: list[str | None] = ([p.id for p in case.info.people if p.role != "child"]
                                  + [p.id for p in case.info.professionals])

    def make_plan(recipient: str | None) -> tuple[str, dict[str, Any]]:
        context = plan_context(case, settings, recipient, lang, req.now, req.today, charts=fmt == "html",
                               real_today=real_today)
        return render_text("plan", fmt, context, root), context["disclosed"]

    return catalog(lang).pgettext("file name", "joint-plan"), "plan.yaml", everyone, make_plan


def _questions_maker(req: DocumentRequest, case: m.Case, settings: Settings, root: Path, lang: str, fmt: str,
                     real_today: dt.date) -> tuple[str, str, list[str | None], Any]:
    """`render-questions`: the question log of each of the family's people (`--for all`)."""
    from familieplan.render.questions import questions_context

    people: list[str | None] = [p.id for p in case.info.people if p.role != "child"] if case.info else []

    def make_questions(recipient: str | None) -> tuple[str, dict[str, Any]]:
        if recipient is None:
            raise UsageError(N_("render-questions needs --for: whose question log"))
        context = questions_context(case, settings, recipient, lang, req.now, req.today, real_today)
        return render_text("questions", fmt, context, root), context["disclosed"]

    return catalog(lang).pgettext("file name", "questions"), "agreements.yaml", people, make_questions


def render_documents(root: Path, case: m.Case, settings: Settings, req: DocumentRequest,
                     output: Path | None, force: bool = False) -> Documents:
    """Render minutes or a plan for one reader, every reader (`all`) or the team; write
    them (atomically, 0600) unless `output` is '-', in which case only the text is returned
    (a preview: nothing is recorded). Each document written for a named reader is recorded
    in the case's disclosures.yaml (unless `req.record` is false)."""
    lang = language(req.lang, settings.language)
    stem, source, everyone, make = _document_maker(req, case, settings, root, lang)
    recipients: list[str | None] = list(everyone) if req.for_id == "all" else [req.for_id]
    if output is not None and str(output) == "-":
        if len(recipients) != 1:
            raise UsageError(N_("--output - takes one recipient"))
        if req.fmt == "pdf":
            raise UsageError(N_("--format pdf writes a file: give --output a file or folder"))
        return Documents([(recipients[0], make(recipients[0])[0])], [])
    made: dict[str | None, dict[str, Any]] = {}

    def text_of(recipient: str | None) -> str | bytes:
        text, disclosed = make(recipient)
        made[recipient] = disclosed
        if req.fmt == "pdf":
            from familieplan.render.pdf import html_to_pdf

            return html_to_pdf(text)
        return text

    paths = write_documents(root, case, stem, req.fmt, recipients, text_of, output, force, lang)
    entries = [DisclosureEntry(at=_real_now(req).replace(microsecond=0), recipient=recipient,
                               document=req.kind, source=source, about=tuple(made[recipient]["about"]),
                               areas=tuple(made[recipient]["areas"]), omitted=made[recipient]["omitted"],
                               basis=tuple(made[recipient]["basis"]))
               for recipient in recipients if recipient is not None and recipient in made]
    if req.record and entries and case.path is not None:
        record_disclosures(case.path, entries)
        return Documents([], paths, entries)
    return Documents([], paths)
