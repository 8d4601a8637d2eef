"""The routes of `familieplan serve`: each checks the ids in its URL against the
workspace, asks the library for the results and `render.pages`, `render.caseload_page` or
`render.case_page` for the page.

No path is ever built from a URL: a case is looked up among the workspace's case folders
and a meeting among the case's loaded meetings; anything else is a 404 that echoes
nothing. Nothing is kept between requests: each page is made from the files as they are
now, through the library, whose store (one SQLite file, `engine/store.py`) decides per case
what it can use again — by the case folder's signature, so a change of the same size made
within the same second is seen by the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import gc
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route

from familieplan import api, clock
from familieplan import model as m
from familieplan.problems import ERROR, FamilieplanError, Problem
from familieplan.render import case_page, caseload_page, pages
from familieplan.render.env import shipped_templates
from familieplan.render.language import language
from familieplan.render.messages import error_line
from familieplan.schedule.approvals import CHANGED, approval_state
from familieplan.settings import Settings
from familieplan.web.accesslog import AccessLog, default_path
from familieplan.web.live import Watcher
from familieplan.web.security import Guard, host_names
from familieplan.workspace import paths
from familieplan.workspace import read as loader
from familieplan.workspace.git import GitUnavailable

STATIC = {  # name -> (template or file, content type); the only files served
    "document.css": ("document", "text/css; charset=utf-8"),
    "web.css": ("web/web.css", "text/css; charset=utf-8"),
    "live.js": ("web/live.js", "text/javascript; charset=utf-8"),
}


@dataclass(frozen=True)
class ServeOptions:
    root: Path
    host: str = "127.0.0.1"
    port: int = 8765
    lang: str | None = None  # --lang; None: the rule decides at each page (the workspace's, else the locale's)
    today: dt.date | None = None  # None: the real date at each request
    token: str = ""
    access_log: Path | None = None
    allow_remote: bool = False  # --allow-remote: an address other machines can reach may be bound


class NotFound(Exception):
    """An address that names nothing in the workspace."""


class Site:
    """The workspace behind the pages, and how each page is made."""

    def __init__(self, options: ServeOptions, watcher: Watcher) -> None:
        self.options = options
        self.root = options.root
        self.watcher = watcher
        self.log = AccessLog(options.access_log or default_path(self.root), self.root)

    def page(self, name: str, context: dict[str, Any]) -> str:
        """A page whose every address starts with the run's capability."""
        return pages.page(name, context, self.root, f"/{self.options.token}" if self.options.token else "")

    def moment(self) -> pages.Moment:
        """The dates a page is made with, as a document made now is: `--today` (else the real
        date) and the real date, on or after which a withdrawal always applies."""
        now = clock.now().replace(second=0, microsecond=0)
        return pages.Moment(clock.today_or(self.options.today), now, now.date())

    def lang(self, settings: Settings | None = None) -> str:
        """The pages' language by the one rule: --lang, else the workspace's `language` as
        the files say now (read again without `settings`), else the locale's."""
        if settings is None:
            settings, _, _ = loader.load_settings(self.root)
        return language(self.options.lang, settings.language)

    def case_folder(self, case_id: str) -> Path:
        folders = {folder.name: folder for folder in paths.case_folders(self.root)}
        if case_id not in folders:
            raise NotFound
        return folders[case_id]

    def known(self) -> list[str]:
        return [folder.name for folder in paths.case_folders(self.root)]

    # --- pages ---

    def caseload(self, coordinator: str | None, sort: str) -> str:
        moment = self.moment()
        result = api.status(self.root, moment.today)
        lang = self.lang(result.settings)
        context = caseload_page.caseload_context(result, self.known(), lang, moment, coordinator, sort)
        return self.page("caseload", context)

    def load_case(self, case_id: str) -> tuple[m.Case | None, Settings, list[Problem]]:
        folder = self.case_folder(case_id)
        ws, problems = api.load_valid(self.root, [str(folder.resolve())])
        case = ws.cases[0] if ws.cases else None
        if case is None or any(p.level == ERROR for p in problems) or case.info is None or case.plan is None:
            return None, ws.settings, problems
        return case, ws.settings, problems

    def case(self, case_id: str, for_id: str | None) -> str:
        case, settings, problems = self.load_case(case_id)
        moment = self.moment()
        if case is None:
            return self.problem_page(problems, settings, case_id)
        check_reader(case, for_id)
        history = self.history(case_id, for_id, moment)
        if for_id is None:  # the team's view: what changed in the plan since the family approved it
            history = dataclasses.replace(history, since_approval=self.since_approval(case, case_id, moment.today))
        context = case_page.case_context(case, settings, problems, self.lang(settings), moment, for_id, self.root, history)
        return self.page("case", context)

    def history(self, case_id: str, for_id: str | None, moment: pages.Moment) -> case_page.CaseHistory:
        """The case's outcomes and attendance (`report`, through the cache) and what changed
        since the last meeting (`changes`, when the workspace is in a git repository), both
        for the reader when there is one, with the dates `report --for` and `changes --for` use."""
        result = api.report(self.root, [case_id],
                            api.ReportOptions(moment.today, recipient=for_id, real_today=moment.real_today))
        try:
            changes = api.changes(self.root, case_id,
                                  api.ChangesOptions(moment.today, recipient=for_id, real_today=moment.real_today))
        except GitUnavailable:
            return case_page.CaseHistory(result, None, "no_git")
        except FamilieplanError:
            return case_page.CaseHistory(result, None, "changes_unavailable")
        return case_page.CaseHistory(result, changes)

    def since_approval(self, case: m.Case, case_id: str, today: dt.date) -> api.ChangesResult | None:
        """`changes` since the day of the plan's approval, when the plan changed after it."""
        state = approval_state(case)
        if state is None or state.state != CHANGED:
            return None
        try:
            return api.changes(self.root, case_id, api.ChangesOptions(today, since=state.date.isoformat()))
        except FamilieplanError:  # GitUnavailable included: the page says so under "changes"
            return None

    def meeting(self, case_id: str, name: str, for_id: str | None) -> str:
        case, settings, problems = self.load_case(case_id)
        if case is None:
            return self.problem_page(problems, settings, case_id)
        meeting = next((mt for mt in case.meetings if mt.name == name), None)
        if meeting is None:
            raise NotFound
        check_reader(case, for_id)
        context = case_page.meeting_context(case, meeting, settings, self.lang(settings), self.moment(), for_id, self.root)
        return self.page("meeting", context)

    def problems(self, case_id: str | None) -> str:
        if case_id is not None:
            self.case_folder(case_id)
        result = api.validate([], workspace=self.root)
        return self.problem_page(result.problems, result.settings, case_id)

    def problem_page(self, problems: list[Problem], settings: Settings, case_id: str | None) -> str:
        context = pages.problems_context(problems, self.root, self.known(), self.lang(settings), self.moment(), case_id)
        return self.page("problems", context)

    def not_found(self) -> str:
        return self.page("not_found", pages.not_found_context(self.lang(), self.moment()))

    def static(self, name: str) -> tuple[str, str]:
        if name not in STATIC:
            raise NotFound
        source, media = STATIC[name]
        if source == "document":
            return pages.document_css(self.root), media
        override = self.root / "templates" / source
        path = override if override.is_file() else shipped_templates() / source
        return path.read_text(encoding="utf-8"), media


def check_reader(case: m.Case, for_id: str | None) -> None:
    """A view as someone must name a person or professional of the case."""
    if for_id is None:
        return
    assert case.info is not None
    ids = {p.id for p in case.info.people} | {p.id for p in case.info.professionals}
    if for_id not in ids:
        raise NotFound


def _param(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    return value or None


def create_app(options: ServeOptions, watcher: Watcher | None = None) -> Guard:
    """The whole application: the routes behind the guard."""
    watcher = watcher or Watcher(options.root)
    site = Site(options, watcher)

    def html(text: str, status: int = 200) -> HTMLResponse:
        # What the engine froze while it read the cases (engine.paused_gc) is collectable
        # again once the page is made: a server lives on, a command ends.
        gc.unfreeze()
        return HTMLResponse(text, status_code=status)

    def caseload(request: Request) -> Response:
        coordinator, sort = _param(request, "coordinator"), _param(request, "sort") or "case"
        text = site.caseload(coordinator, sort)
        site.log.record(None, None, "caseload")
        return html(text)

    def case(request: Request) -> Response:
        case_id, for_id = request.path_params["case_id"], _param(request, "for")
        text = site.case(case_id, for_id)
        site.log.record(case_id, for_id, "case")
        return html(text)

    def meeting(request: Request) -> Response:
        case_id, name, for_id = request.path_params["case_id"], request.path_params["meeting"], _param(request, "for")
        text = site.meeting(case_id, name, for_id)
        site.log.record(case_id, for_id, f"meeting {name}")
        return html(text)

    def problems(request: Request) -> Response:
        case_id = _param(request, "case")
        text = site.problems(case_id)
        site.log.record(case_id, None, "problems")  # the problems quote the case files' lines
        return html(text)

    def static(request: Request) -> Response:
        text, media = site.static(request.path_params["name"])
        return Response(text, media_type=media)

    async def events(request: Request) -> Response:
        await asyncio.to_thread(site.log.record, None, None, "events")

        async def stream() -> AsyncIterator[str]:
            async for event in watcher.events():
                if await request.is_disconnected():
                    break
                yield event

        return StreamingResponse(stream(), media_type="text/event-stream")

    def not_found(request: Request, exc: Exception) -> Response:
        return html(site.not_found(), 404)

    def failed(request: Request, exc: Exception) -> Response:
        # An expected failure (a workspace template that is missing, …): one line in the
        # terminal that runs the server, a page that names nothing.
        line = (error_line(exc.message_id, exc.args_map, site.lang()) if isinstance(exc, FamilieplanError)
                else f"familieplan: error: {exc}")
        print(line, file=sys.stderr, flush=True)
        return Response("500: the page could not be made; the terminal running 'familieplan serve' says why.\n",
                        status_code=500, media_type="text/plain; charset=utf-8")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(watcher.run())
        try:
            yield
        finally:
            watcher.stop()
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(task, 2)

    app = Starlette(routes=[
        Route("/", caseload),
        Route("/cases/{case_id}", case),
        Route("/cases/{case_id}/meetings/{meeting}", meeting),
        Route("/problems", problems),
        Route("/static/{name}", static),
        Route("/events", events),
    ], exception_handlers={NotFound: not_found, 404: not_found, FamilieplanError: failed}, lifespan=lifespan)
    return Guard(app, token=options.token, hosts=host_names(options.host), port=options.port)
