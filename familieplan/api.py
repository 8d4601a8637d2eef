"""The public library API: every command of the CLI as a function returning plain data.

The CLI is a thin layer over these functions; they are usable from Python on their own::

    from familieplan import api
    result = api.validate([], workspace=Path("examples"))
    for problem in result.problems:
        print(problem.format_line())

Everything a command computes lives in `familieplan.commands` (the core, which imports
no template engine and no terminal library); what turns results into documents lives in
`familieplan.render`. This module wires the two where a command needs both (scaffolding
from templates, rendered documents).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from familieplan import clock
from familieplan import model as m
from familieplan.commands import scaffold as _scaffold
from familieplan.commands.approve import Approved, approve
from familieplan.commands.changes import ChangesOptions, ChangesResult
from familieplan.commands.changes import changes as _changes
from familieplan.commands.check_load import LoadOptions, LoadResult, check_load
from familieplan.commands.fit import fit as _fit
from familieplan.commands.fit_records import FitRequest, FitResult
from familieplan.commands.followup import DueOptions, FollowUp, due, status
from familieplan.commands.merge_file import MergeResult, merge_file, merge_texts
from familieplan.commands.record import Event, Recorded
from familieplan.commands.report import Report, ReportOptions
from familieplan.commands.report import report as _report
from familieplan.commands.rules import RulesResult, rules_on
from familieplan.commands.save import SavePlan
from familieplan.commands.scaffold import Created, GitSetup, git_setup
from familieplan.commands.validate import Validation, validate
from familieplan.engine.cases import CaseSet, Skipped, load_cases, load_one, load_valid
from familieplan.problems import N_, FamilieplanError
from familieplan.render.documents import DocumentRequest, Documents
from familieplan.render.documents import render_documents as _render_documents
from familieplan.render.env import render as _render_template
from familieplan.render.ics import export_ics
from familieplan.render.schemas import schema_texts
from familieplan.render.summons import Invited, InviteRequest, send_invitations
from familieplan.schedule.fit import Demand
from familieplan.settings import Settings
from familieplan.workspace.disclosures import DisclosureEntry, record_disclosures
from familieplan.workspace.paths import find_workspace, workspace_root
from familieplan.workspace.read import load_workspace

__all__ = [
    "CaseSet", "ChangesOptions", "ChangesResult", "Created", "Demand", "DisclosureEntry", "DocumentRequest",
    "Documents", "DueOptions", "FitRequest", "FitResult", "FollowUp", "GitSetup", "LoadOptions", "LoadResult",
    "Event", "MergeResult", "Recorded", "Report", "ReportOptions", "RulesResult", "SavePlan", "Skipped", "Validation", "changes", "check_load", "due",
    "export_ics", "find_workspace", "fit", "git_setup", "init_workspace", "load_cases", "load_one", "load_valid",
    "load_workspace", "merge_file", "merge_texts", "new_case", "new_meeting", "record", "record_disclosures",
    "render_documents", "report", "rules_on", "save", "status", "validate", "workspace_root", "write_report", "write_schemas",
    "Approved", "InviteRequest", "Invited", "approve", "invite",
]


# --- views for a named reader: the real date of making is the clock's -----------------------
# A withdrawal of consent dated on or before the real date always applies, whatever `today`
# names; the core reads no clock, so these fill it in when the caller did not.

def report(workspace: Path | None, case_names: list[str], options: ReportOptions, jobs: int | None = None,
           cache: bool = True) -> Report:
    """Outcomes of the named cases (`familieplan.commands.report.report`)."""
    if options.recipient is not None and options.real_today is None:
        options = dataclasses.replace(options, real_today=clock.today())
    return _report(workspace, case_names, options, jobs, cache)


def changes(root: Path, case_name: str, options: ChangesOptions) -> ChangesResult:
    """What changed in one case (`familieplan.commands.changes.changes`)."""
    if options.recipient is not None and options.real_today is None:
        options = dataclasses.replace(options, real_today=clock.today())
    return _changes(root, case_name, options)


def fit(root: Path | None, case_name: str, request: FitRequest) -> FitResult:
    """Where a new intervention fits (`familieplan.commands.fit.fit`)."""
    if request.reader is not None and request.real_today is None:
        request = dataclasses.replace(request, real_today=clock.today())
    return _fit(root, case_name, request)


def write_report(root: Path, result: Report, output: Path, text: str, *, force: bool = False,
                 record: bool = True) -> None:
    """Write a rendered report to a file (atomically, never over a file without `force`);
    a report made for a named reader is recorded in the case's disclosure log (unless
    `record` is False) as the documents are (`render.documents.write_recorded`): no
    document leaves without its entry."""
    from familieplan.format.cpr import mask_cpr
    from familieplan.render.documents import write_recorded
    from familieplan.workspace.files import write_atomic

    recipient = result.options.recipient
    if not record or recipient is None or not result.cases:
        write_atomic(output, mask_cpr(text), force=force, mode=0o600)
        return
    outcome = result.cases[0]
    entry = DisclosureEntry(at=clock.now(), recipient=recipient, document="report",
                            source="plan.yaml", about=tuple(sorted(outcome.about)), areas=tuple(sorted(outcome.areas)),
                            omitted=outcome.omitted, basis=tuple(sorted(outcome.basis)))
    write_recorded(outcome.folder or root / "cases" / outcome.case, [output], [mask_cpr(text)], [entry],
                   force=force, base=None)


def render_documents(root: Path, case: m.Case, settings: Settings, req: DocumentRequest,
                     output: Path | None, force: bool = False) -> Documents:
    """Render minutes or a plan for one reader, every reader (`all`) or the team
    (`familieplan.render.documents.render_documents`). The real time of rendering is the
    clock's unless `req.real_now` is given: a withdrawal of consent recorded on or before the
    real date always applies, whatever day `req.today` names."""
    if req.real_now is None:
        req = dataclasses.replace(req, real_now=clock.now())
    return _render_documents(root, case, settings, req, output, force)


def init_workspace(target: Path, *, municipality: str = "Eksempel Kommune", git: bool = True,
                   force: bool = False, lang: str | None = None) -> Created:
    """Create a workspace: familieplan.yaml, cases/, .gitignore, schemas and a git repository
    whose first commit they are (its message in `lang`, default the language rule's)."""
    from familieplan.render.catalog import catalog
    from familieplan.render.language import language

    message = catalog(language(lang)).gettext("New workspace ({municipality})").format(municipality=municipality)
    return _scaffold.init_workspace(
        target, settings_text=_render_template("scaffold/familieplan.yaml.j2", {"municipality": municipality}, None),
        gitignore_text=_render_template("scaffold/gitignore.j2", {"output_dir": _scaffold.OUTPUT_DIR}, None),
        schemas=_schema_files(schema_texts()), git=git, force=force, first_commit=message + "\n")


def save(root: Path, case: str | None = None, *, today: dt.date, message: str | None = None,
         lang: str | None = None) -> SavePlan:
    """Commit the workspace's changed case files (or one case's) to git, with a message
    naming what changed in each case (in `lang`) below `message` when one is given."""
    from familieplan.commands import save as _save
    from familieplan.render.language import language
    from familieplan.render.save import commit_message

    plan = _save.pending(root, case, today, message)
    return _save.commit(plan, commit_message(plan, language(lang)))


def new_case(root: Path, title: str, *, case_id: str | None = None, coordinator: str | None = None,
             department: str | None = None, today: dt.date, force: bool = False) -> Created:
    """Create `cases/<id>/` with case.yaml, plan.yaml and agreements.yaml (valid at once).
    Of two runs at once that choose the same number, one takes the next."""
    draft = _scaffold.case_draft(root, title, case_id=case_id, coordinator=coordinator, department=department,
                                 today=today, force=force)
    for _ in range(_scaffold.CLAIM_TRIES):
        files = {name: _render_template(f"scaffold/{name}.j2", dict(draft.context), root)
                 for name in _scaffold.CASE_FILES}
        created = _scaffold.create_case(draft, files)
        if created is not None:
            created.paths += write_schemas(root)
            return created
        draft = draft.next()
    raise FamilieplanError(N_("could not claim a new case id in {folder} after {tries} tries"),
                           folder=str(root / "cases"), tries=_scaffold.CLAIM_TRIES)


def new_meeting(root: Path, case_name: str, *, day: dt.date, title: str = "Fællesmøde",
                force: bool = False) -> Created:
    """Create a meeting file with the case's people as participants."""
    draft = _scaffold.meeting_draft(root, case_name, day=day, title=title, force=force)
    from familieplan.render.danish import date_long

    # The agenda's notes are Danish, its dates too ("blev udført 8. oktober 2025").
    text = _render_template("scaffold/meeting.yaml.j2", dict(draft.context), root, filters={"date_long": date_long})
    created = _scaffold.write_meeting(draft, text)
    write_schemas(root)
    return created


def _schema_files(texts: dict[str, str]) -> dict[str, str]:
    """Each file kind's schema text by its file name (`case.schema.json`)."""
    return {f"{kind}.schema.json": text for kind, text in texts.items()}


def write_schemas(root: Path | None, *, force: bool = False, lang: str | None = None,
                  folder: Path | None = None, outputs: bool = False) -> list[Path]:
    """Write the JSON Schemas, their descriptions in `lang` (the catalog's default language
    without one): into the workspace's `schemas/` folder, or into `folder`; with a workspace
    (`root`), its own life areas are included. With `outputs`, also the schema of each
    command's `--format json` output, as `output/<command>.json`."""
    files = _schema_files(schema_texts(_scaffold.schema_areas(root), lang))
    if outputs:
        from familieplan.render.output_schemas import output_schema_texts

        files.update(output_schema_texts())
    return _scaffold.write_schemas(root, files, force, folder)


def invite(root: Path, case_name: str, req: InviteRequest, output: Path | None = None,
           force: bool = False) -> Invited:
    """Summon a meeting's participants (`familieplan.render.summons.send_invitations`): a
    summons and an .ics each, the UID into the meeting file on the first invitation, each
    summons in the disclosure log. The real time is the clock's unless `req.real_now` is given."""
    if req.real_now is None:
        req = dataclasses.replace(req, real_now=clock.now())
    settings, case = load_one(root, case_name)
    return send_invitations(root, case, settings, req, output, force)


def record(root: Path, case_name: str, event: Event, *, today: dt.date, dry_run: bool = False) -> Recorded:
    """Record one event (`familieplan.commands.record_events`) into a case's files: checked
    before it is written, under the case's lock; a missing agreements, attendance or
    measurements file is made from its scaffold (with its schema line)."""
    from familieplan.commands.record import record as _record

    def scaffold(name: str, case: m.Case) -> str:
        context = {"schema_dir": f"../../{_scaffold.SCHEMA_DIR}", "today": today,
                   "coordinator_id": case.info.coordinator if case.info else "koordinator"}
        return _render_template(f"scaffold/{name}.j2", context, root)

    return _record(root, case_name, event, today=today, dry_run=dry_run, scaffold=scaffold)
