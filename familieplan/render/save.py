"""The words of `save`: the commit message, named by what changed in each case ("Anna og
børnene: aftale a5 udført, afbud 4. december 2026"), and the lines the command prints."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from familieplan.commands.save import CaseSave, SavePlan
from familieplan.format.cpr import mask_cpr
from familieplan.problems import N_
from familieplan.render import danish as d
from familieplan.render.catalog import catalog

# One short phrase per kind of change (`commands/plan_diff.py`); kinds not here (a consent
# that expired by itself) are no reason to save and are not named.
PHRASES: dict[str, str] = {
    "agreement-made": N_("agreement {id} made"),
    "agreement-changed": N_("agreement {id} changed"),
    "agreement-done": N_("agreement {id} done"),
    "agreement-cancelled": N_("agreement {id} cancelled"),
    "agreement-reopened": N_("agreement {id} reopened"),
    "agreement-removed": N_("agreement {id} deleted"),
    "question-asked": N_("question from {by} asked"),
    "question-answered": N_("question from {by} answered"),
    "question-removed": N_("question from {by} deleted"),
    "intervention-added": N_("intervention {id} added"),
    "intervention-ended": N_("intervention {id} ended"),
    "intervention-rescheduled": N_("intervention {id} rescheduled"),
    "intervention-changed": N_("intervention {id} changed"),
    "intervention-removed": N_("intervention {id} removed"),
    "goal-added": N_("goal {id} added"),
    "goal-achieved": N_("goal {id} achieved"),
    "goal-changed": N_("goal {id} changed"),
    "goal-removed": N_("goal {id} removed"),
    "phase-added": N_("phase {id} added"),
    "phase-changed": N_("phase {id} changed"),
    "phase-removed": N_("phase {id} removed"),
    "person-joined": N_("{title} joined"),
    "person-left": N_("{title} left"),
    "professional-joined": N_("{title} joined"),
    "professional-left": N_("{title} left"),
    "consent-given": N_("consent from {person} given"),
    "consent-changed": N_("consent from {person} changed"),
    "consent-withdrawn": N_("consent from {person} withdrawn"),
    "consent-removed": N_("consent from {person} deleted"),
    "meeting-held": N_("meeting {date}"),
    "meeting-planned": N_("meeting {date} planned"),
    "meeting-removed": N_("meeting {date} deleted"),
    "attendance-cancelled": N_("cancellation {date}"),
    "attendance-no-show": N_("no-show {date}"),
    "attendance-attended": N_("attendance {date}"),
    "measurement-recorded": N_("measurement of goal {goal} {date}"),
}


def case_line(case: CaseSave, lang: str) -> str:
    """'Anna og børnene: aftale a5 udført, afbud 4. december 2026'."""
    cat = catalog(lang)
    if case.new:
        phrases = [cat.gettext("new case")]
    elif case.removed:
        phrases = [cat.gettext("case removed")]
    else:
        phrases = list(dict.fromkeys(_phrase(change.kind, change.id, change.title, dict(change.details), case, lang)
                                     for change in case.changes if change.kind in PHRASES))
        if any(PurePosixPath(name).name == "disclosures.yaml" for name in case.files):
            phrases.append(cat.gettext("disclosures logged"))
        if not phrases:
            names = sorted({PurePosixPath(name).name for name in case.files})
            phrases = [cat.gettext("{files} changed").format(files=d.join(names, lang))]
    return mask_cpr(f"{case.title}: {', '.join(phrases)}")


def _phrase(kind: str, ident: str, title: str | None, details: dict[str, object], case: CaseSave, lang: str) -> str:
    values = {"id": ident, "title": title or ident}
    for key, value in details.items():
        if isinstance(value, dt.date):
            values[key] = d.date_long(value, lang)
        elif isinstance(value, str):
            values[key] = case.names.get(value, value)
        else:
            values[key] = str(value)
    return catalog(lang).gettext(PHRASES[kind]).format_map(_Blank(values))


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "–"


def commit_message(plan: SavePlan, lang: str) -> str:
    """The subject (the user's `-m`, else the one case's line, else how many cases) and a
    line per case below it."""
    lines = [case_line(case, lang) for case in plan.cases]
    if plan.message:
        subject = plan.message.strip()
    elif len(lines) == 1:
        return lines[0] + "\n"
    else:
        subject = catalog(lang).ngettext("{n} case saved", "{n} cases saved", len(lines)).format(n=len(lines))
    return "\n".join([subject, "", *lines]) + "\n"


def saved_lines(plan: SavePlan, lang: str) -> list[str]:
    """What `save` prints: the commit and its subject, or that there was nothing to save."""
    cat = catalog(lang)
    if plan.commit is None:
        return [cat.gettext("nothing to save: no case file changed since the last save")]
    subject = commit_message(plan, lang).splitlines()[0]
    count = len(plan.files)
    return [cat.ngettext("saved {n} file as {commit}: {subject}", "saved {n} files as {commit}: {subject}",
                         count).format(n=count, commit=plan.commit[:8], subject=subject)]
