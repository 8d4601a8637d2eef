"""`changes`: what changed in a case between two states of its git repository, in the
plan's own terms (never a line diff), each change with the commit that made it.

`--since` takes a revision, a date (the state at the end of that day, Copenhagen time) or
a meeting (the state at the end of the meeting's date: the agenda is usually committed
before the meeting); by default the case's latest meeting before today. Only the case's
own paths are read from git (`familieplan.workspace.history`). The result is plain data:
the minutes' "Siden sidste møde" can use it as well as the reporters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from familieplan import model as m
from familieplan.clock import COPENHAGEN
from familieplan.commands.plan_diff import Change, diff_cases
from familieplan.consent import Reading, Subject, subject_of
from familieplan.format.scalars import ID_RE
from familieplan.problems import N_, FamilieplanError, Problem, UsageError
from familieplan.schedule.calendar import WorkCalendar
from familieplan.settings import Record, Settings
from familieplan.workspace import history, paths
from familieplan.workspace import read as loader

MAX_ATTRIBUTED = 300  # commits examined to say who made each change
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

# Notes for the reader; the words are in render/changes.py.
NOTE_SHALLOW = "shallow"
NOTE_NO_MEETING = "no-meeting"
NOTE_NEW_CASE = "new-case"
NOTE_UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class ChangesOptions:
    today: dt.date
    since: str | None = None
    to: str = "HEAD"
    recipient: str | None = None
    real_today: dt.date | None = None  # the real date: a withdrawal on or before it always applies


@dataclass(frozen=True)
class Point:
    """One end of the comparison: the commit (None: before the case existed), what it was
    asked as, and the day the state stands for."""

    rev: str | None
    label: str
    day: dt.date | None
    meeting: str | None = None


@dataclass
class ChangesResult:
    case: str
    title: str
    since: Point
    to: Point
    changes: list[Change]
    settings: Settings
    names: dict[str, str] = field(default_factory=dict)
    recipient: str | None = None
    omitted: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, detail)
    # What is wrong in the files read: familieplan.yaml and the case at `to` (read first, so
    # that every problem of its files is here).
    problems: list[Problem] = field(default_factory=list)


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), COPENHAGEN)


class _States:
    """Case states by commit, read from git once and loaded with the project's reader."""

    def __init__(self, info: history.Repository, folder: str, case_id: str, settings: Settings) -> None:
        self.info, self.repo, self.folder, self.case_id, self.settings = info, info.root, folder, case_id, settings
        self.cases: dict[str, m.Case | None] = {}
        self.problems: dict[str, list[Problem]] = {}
        self.parsed: dict[tuple[str, bytes], object] = {}  # most files are the same in many states

    def load(self, revs: list[str]) -> None:
        wanted = [rev for rev in dict.fromkeys(revs) if rev not in self.cases]
        if not wanted:
            return
        for rev, files in history.read_states(self.repo, wanted, self.folder).items():
            if not files:
                self.cases[rev] = None
                continue
            self.cases[rev], self.problems[rev] = history.load_case_texts(self.case_id, files, self.folder,
                                                                          self.settings, self.parsed)

    def get(self, rev: str | None) -> m.Case | None:
        if rev is None:
            return None
        self.load([rev])
        return self.cases.get(rev)


def changes(root: Path, case_name: str, options: ChangesOptions) -> ChangesResult:
    """What changed in one case between `options.since` and `options.to`."""
    settings, _, settings_problems = loader.load_settings(root)
    case_id = _case_id(root, case_name)
    info = history.repository(root)
    repo = info.root
    folder = (root.resolve() / paths.CASES_DIR / case_id).relative_to(repo.resolve()).as_posix()
    to_sha = history.resolve(repo, options.to)
    if to_sha is None:
        raise UsageError(N_("'{rev}' is not a revision of this repository"), rev=options.to)
    states = _States(info, folder, case_id, settings)
    new = states.get(to_sha)
    if new is None:
        raise UsageError(N_("case {case} is not in {rev} (is it committed?)"), case=case_id, rev=options.to)
    notes: list[tuple[str, str]] = []
    to_day = options.today if options.to == "HEAD" else _commit_day(repo, to_sha, options.today)
    since = _since(info, folder, to_sha, new, options, notes)
    calendar = WorkCalendar(settings)
    found = diff_cases(states.get(since.rev), new, calendar, since.day, to_day)
    _attribute(found, states, history.commits(repo, since.rev, to_sha, [folder]), calendar, notes)
    result = ChangesResult(case_id, new.title, since, Point(to_sha, options.to, to_day), [], settings,
                           _names(new), options.recipient, 0, notes,
                           [*settings_problems, *states.problems.get(to_sha, [])])
    consents = _working_tree_case(root, case_id, new) if options.recipient is not None else new
    reading = Reading(consents, options.recipient, [to_day], options.real_today, settings.department_areas)
    result.changes, result.omitted = _visible(found, new, reading)
    result.changes.sort(key=_when)
    return result


def _case_id(root: Path, name: str) -> str:
    try:
        return paths.resolve_case(root, name).name
    except FamilieplanError:
        if ID_RE.match(name):
            return name  # a case that is gone from the working tree still has a history
        raise


def _commit_day(repo: Path, sha: str, today: dt.date) -> dt.date:
    found = history.commits(repo, None, f"{sha}^!", [])
    return found[0].date.astimezone(COPENHAGEN).date() if found else today


def _since(info: history.Repository, folder: str, to_sha: str, new: m.Case, options: ChangesOptions,
           notes: list[tuple[str, str]]) -> Point:
    """The state to compare with: `--since` as a meeting, a date or a revision; without
    it, the latest meeting before today (or the case's beginning when none was held)."""
    value = options.since
    if value is None:
        meeting = _last_meeting_before(new, options.today)
        if meeting is None:
            notes.append((NOTE_NO_MEETING, ""))
            return _beginning(info, folder, to_sha, notes)
    elif _DATE.match(value):
        return _at_day(info, folder, to_sha, _day(value), value, notes)
    else:
        meeting = next((mt for mt in new.meetings if mt.name == Path(value).name.removesuffix(".yaml")), None)
        if meeting is None:
            return _at_revision(info, value, options.today)
    return _at_day(info, folder, to_sha, meeting.date, meeting.name, notes, meeting.name)  # type: ignore[arg-type]


def _last_meeting_before(case: m.Case, today: dt.date) -> m.Meeting | None:
    """The case's latest meeting dated before today."""
    held = sorted((mt for mt in case.meetings if mt.date and mt.date < today), key=lambda mt: (mt.date, mt.name))
    return held[-1] if held else None


def _day(value: str) -> dt.date:
    """`--since` as a date; a usage error when it only looks like one."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(N_("'{value}' is not a date (YYYY-MM-DD)"), value=value) from None


def _at_revision(info: history.Repository, value: str, today: dt.date) -> Point:
    """`--since` as a revision of the repository."""
    sha = history.resolve(info.root, value)
    if sha is None:
        if info.shallow:
            raise UsageError(N_("'{value}' is neither a revision, a date nor a meeting of the case "
                                "(this is a shallow clone: older commits are not here)"), value=value)
        raise UsageError(N_("'{value}' is neither a revision, a date nor a meeting of the case"), value=value)
    return Point(sha, value, _commit_day(info.root, sha, today))


def _at_day(info: history.Repository, folder: str, to_sha: str, day: dt.date, label: str,
            notes: list[tuple[str, str]], meeting: str | None = None) -> Point:
    sha = history.last_commit_before(info.root, end_of_day(day), to_sha, [folder])
    if sha is None:
        point = _beginning(info, folder, to_sha, notes)
        return Point(point.rev, label, day, meeting)
    return Point(sha, label, day, meeting)


def _beginning(info: history.Repository, folder: str, to_sha: str, notes: list[tuple[str, str]]) -> Point:
    """Before the case's first commit; in a shallow clone, the oldest state it holds."""
    if info.shallow:
        oldest = history.oldest_commit(info.root, to_sha, [folder])
        if oldest is not None and oldest.sha in info.boundary:
            notes.append((NOTE_SHALLOW, oldest.date.astimezone(COPENHAGEN).date().isoformat()))
            return Point(oldest.sha, "", oldest.date.astimezone(COPENHAGEN).date())
    notes.append((NOTE_NEW_CASE, ""))
    return Point(None, "", None)


def _attribute(found: list[Change], states: _States, commits: list[history.Commit], calendar: WorkCalendar,
               notes: list[tuple[str, str]]) -> None:
    """Give each change the newest commit whose own diff made it (a merge only when no
    commit of either branch did: a conflict resolved by hand)."""
    if not found:
        return
    commits = commits[:MAX_ATTRIBUTED]
    boundary = states.info.boundary
    states.load([c.sha for c in commits] + [c.parents[0] for c in commits if c.parents and c.sha not in boundary])
    singles = [c for c in commits if len(c.parents) == 1] + [c for c in commits if len(c.parents) > 1]
    missing = _give_commits(found, _making_commits({c.key for c in found}, singles, states, calendar))
    if missing:
        notes.append((NOTE_UNATTRIBUTED, str(missing)))


def _give_commits(found: list[Change], by_key: dict[tuple[str, str, str], history.Commit]) -> int:
    """Give each change (in place) its commit; how many that should have one found none."""
    missing = 0
    for index, change in enumerate(found):
        found_commit = by_key.get(change.key)
        if found_commit is None and change.kind != "consent-expired":
            missing += 1
        found[index] = _with(change, found_commit)
    return missing


def _making_commits(wanted: set[tuple[str, str, str]], commits: list[history.Commit], states: _States,
                    calendar: WorkCalendar) -> dict[tuple[str, str, str], history.Commit]:
    """For each wanted change's key, the first of `commits` (newest first, merges last)
    whose own diff against its first parent makes it."""
    boundary = states.info.boundary
    by_key: dict[tuple[str, str, str], history.Commit] = {}
    for commit in commits:
        if not commit.parents or commit.sha in boundary:
            continue
        after = states.get(commit.sha)
        if after is None:
            continue
        day = commit.date.astimezone(COPENHAGEN).date()
        for change in diff_cases(states.get(commit.parents[0]), after, calendar, None, day):
            if change.key in wanted and change.key not in by_key:
                by_key[change.key] = commit
        if len(by_key) == len(wanted):
            break
    return by_key


def _with(change: Change, commit: history.Commit | None) -> Change:
    import dataclasses

    effective = change.effective
    if effective is None and commit is not None:
        effective = commit.date.astimezone(COPENHAGEN).date()
    return dataclasses.replace(change, commit=commit, effective=effective)


def _working_tree_case(root: Path, case_id: str, committed: m.Case) -> m.Case:
    """The case as it is now in the working tree: its consents decide what a reader may
    read (an uncommitted withdrawal applies); the committed state when it cannot be read."""
    from familieplan.engine.cases import load_one

    try:
        _, case = load_one(root, case_id)
    except FamilieplanError:
        return committed
    return case if case.info is not None else committed


def _visible(found: list[Change], case: m.Case, reading: Reading) -> tuple[list[Change], int]:
    """The consent rule, as for a document: an item with an area only for those it allows
    (about the people it concerns; a department reads its own work). `case` is the state
    compared with, `reading` the rule with the working tree's consents."""
    recipient = reading.recipient
    if recipient is None:
        return list(found), 0
    if recipient not in reading.case.people_by_id() and recipient not in reading.case.professionals_by_id():
        raise UsageError(N_("--for {id}: neither a person nor a professional of the case"), id=recipient)
    shown = [c for c in found if _may_read(reading, case, c)]
    return shown, len(found) - len(shown)


def _may_read(reading: Reading, case: m.Case, change: Change) -> bool:
    subject = _subject(case, change)
    return all(reading.allows(area, subject.about, subject.departments)
               for area in (change.area, *change.areas))


def _subject(case: m.Case, change: Change) -> Subject:
    """Whom a change is about and whose work it is, from its item in the newer state."""
    kinds: dict[str, tuple[Record, ...]] = {"agreement": case.agreements}
    if case.plan is not None:
        kinds.update(intervention=case.plan.interventions, goal=case.plan.goals)
    for record in kinds.get(change.item, ()):
        if getattr(record, "id", None) == change.id:
            return subject_of(case, record)
    if change.item == "question":  # identified by "asked by" (plan_diff) and its text
        for q in case.questions:
            if f"{q.asked.isoformat() if q.asked else ''} {q.by}" == change.id and q.about == change.title:
                return subject_of(case, q)
    return Subject(change.area)


def _when(change: Change) -> tuple[dt.datetime, str, int]:
    if change.commit is not None:
        moment = change.commit.date
    else:
        moment = dt.datetime.combine(change.effective or dt.date.max, dt.time(), COPENHAGEN)
    source = change.source
    return (moment, source.path if source else "", source.line if source else 0)


def _names(case: m.Case) -> dict[str, str]:
    names = {p.id: p.name or p.id for p in case.info.people if p.id} if case.info else {}
    if case.info:
        names.update({p.id: p.name or p.id for p in case.info.professionals if p.id})
    return names
