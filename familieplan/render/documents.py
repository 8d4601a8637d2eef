"""`render-minutes` and `render-plan`: the contexts of `render/minutes.py` and
`render/plan.py` rendered to Markdown, HTML or PDF, written atomically, and recorded in the
case's disclosure log for each named reader."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from familieplan import clock
from familieplan import model as m
from familieplan.consent import NO_AREA
from familieplan.problems import N_, FamilieplanError, UsageError
from familieplan.render.catalog import catalog
from familieplan.render.language import language
from familieplan.render.minutes import minutes_context
from familieplan.render.plan import plan_context
from familieplan.settings import Settings
from familieplan.workspace.disclosures import DisclosureEntry, open_log
from familieplan.workspace.files import (
    check_target,
    discard,
    move_in,
    remove_leftovers,
    remove_stale_temps,
    stage,
    write_atomic,
)

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


def document_path(root: Path, case: m.Case, stem: str, recipient: str | None, fmt: str, lang: str,
                  output: Path | None, many: bool) -> Path:
    """Where the document for `recipient` is written: the default name (in `output/`, or in
    the folder `output`), or the file `output`."""
    if output is None:
        return default_output(root, case, stem, recipient, fmt, lang)
    if many or output.is_dir():
        return output / default_output(root, case, stem, recipient, fmt, lang).name
    return output


def write_recorded(case_folder: Path, paths: list[Path], texts: list[str | bytes],
                   entries: list[DisclosureEntry], *, force: bool, base: Path | None) -> list[DisclosureEntry]:
    """Write named documents so that none exists without its record in the disclosure log:
    under the log's lock, the documents go to temporary files (what a killed run left
    beside them is removed first), the records are appended, then the documents are moved
    to their names. A failure before the move leaves neither; the entries as recorded."""
    with open_log(case_folder) as log:
        for path in paths:
            remove_leftovers(path)
        pending: list[tuple[Path, Path]] = []  # (staged file, its name): not moved in yet
        try:
            for path, text in zip(paths, texts, strict=True):
                data = text.encode("utf-8") if isinstance(text, str) else text
                pending.append((stage(path, data, force=force, base=base), path))
            recorded = log.append(entries)
            while pending:
                tmp, path = pending.pop(0)
                move_in(tmp, path, force=force)
        finally:
            for tmp, _ in pending:
                discard(tmp)
    return recorded


def _named_people(case: m.Case, text: str) -> set[str]:
    """The family's people a document names (by their name, or their first name, as a
    word): the disclosure log's `about` includes them, whatever the items said."""
    if case.info is None:
        return set()
    plain = html.unescape(text)
    named: set[str] = set()
    for person in case.info.people:
        if person.id is None:
            continue
        name = person.name or person.id  # a document names a person without a name by the id
        words = {w for w in (name, name.split(" ")[0]) if len(w) > 1}
        if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", plain) for w in words):
            named.add(person.id)
    return named


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
        return _preview(req, recipients, make)
    many = len(recipients) > 1
    paths = [document_path(root, case, stem, r, req.fmt, lang, output, many) for r in recipients]
    base = root if output is None else None  # inside the workspace no folder on the way may be a link
    for path in paths:  # every name before anything is written: `--for all` is all or nothing
        check_target(path, force=force, base=base)
    texts: list[str | bytes] = []
    entries = []
    at = _real_now(req)
    for recipient in recipients:
        text, disclosed = make(recipient)
        if recipient is not None:
            entries.append(_entry(case, recipient, req.kind, source, at, disclosed, text))
        texts.append(_as_pdf(text) if req.fmt == "pdf" else text)
    if req.record and entries and case.path is not None:
        recorded = write_recorded(case.path, paths, texts, entries, force=force, base=base)
        return Documents([], paths, recorded)
    for path, data in zip(paths, texts, strict=True):
        remove_stale_temps(path.parent)  # what a killed run left beside it (an hour old)
        write_atomic(path, data, force=force, base=base)
    return Documents([], paths)


def _preview(req: DocumentRequest, recipients: list[str | None], make: Any) -> Documents:
    """The text for `--output -`: one recipient, not PDF, nothing written or recorded."""
    if len(recipients) != 1:
        raise UsageError(N_("--output - takes one recipient"))
    if req.fmt == "pdf":
        raise UsageError(N_("--format pdf writes a file: give --output a file or folder"))
    return Documents([(recipients[0], make(recipients[0])[0])], [])


def _as_pdf(text: str) -> bytes:
    from familieplan.render.pdf import html_to_pdf

    return html_to_pdf(text)


def _entry(case: m.Case, recipient: str, kind: str, source: str, at: dt.datetime, disclosed: dict[str, Any],
           text: str) -> DisclosureEntry:
    """The true record of one document: the people it names among those it is about, and
    `no-area` among the areas when items without an area were given."""
    areas = list(disclosed["areas"])
    if NO_AREA in disclosed["basis"] and NO_AREA not in areas:
        areas.append(NO_AREA)
    return DisclosureEntry(at=at, recipient=recipient, document=kind, source=source,
                           about=tuple(sorted(set(disclosed["about"]) | _named_people(case, text))),
                           areas=tuple(areas), omitted=disclosed["omitted"], basis=tuple(disclosed["basis"]))
