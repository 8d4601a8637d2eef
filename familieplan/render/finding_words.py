"""`check-load`'s findings in words (Danish by default, English on request): who is loaded,
by what, when and how often, and who must talk; for check-load's reporters, `fit` and the
case page of `serve`."""

from __future__ import annotations

import functools

from familieplan.commands.check_load import CaseSummary
from familieplan.render import danish as d
from familieplan.render import words
from familieplan.render.attendance import absence_message
from familieplan.render.catalog import catalog
from familieplan.schedule.findings import Finding
from familieplan.settings import Settings


def area_name(area: str, settings: Settings, lang: str) -> str:
    """An area in running text: 'beskæftigelse', 'employment'."""
    return words.area_name(area, settings, lang).lower()


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


# '3 gange', '1 uge': a count with its word, in the reader's language (made once per number).
@functools.lru_cache(maxsize=1024)
def _times(lang: str, n: int) -> str:
    return catalog(lang).ngettext("{n} time", "{n} times", n).format(n=n)


@functools.lru_cache(maxsize=1024)
def _weeks(lang: str, n: int) -> str:
    return catalog(lang).ngettext("{n} week", "{n} weeks", n).format(n=n)


@functools.lru_cache(maxsize=1024)
def _days(lang: str, n: int) -> str:
    return catalog(lang).ngettext("{n} day", "{n} days", n).format(n=n)


@functools.lru_cache(maxsize=512)
def _weekdays(weekdays: tuple[int, ...], lang: str) -> str:
    return d.join([d.weekday_plural(i, lang) for i in weekdays], lang)


class _Words:
    """The words of one settings and language that do not depend on a case (areas, the
    phases' focus, sentence templates), made once per report."""

    __slots__ = ("settings", "lang", "areas", "focus", "templates")

    def __init__(self, settings: Settings, lang: str) -> None:
        self.settings = settings  # held, so that its identity stays its own
        self.lang = lang
        self.areas: dict[str, str] = {}
        self.focus: dict[tuple[object, ...], tuple[str, str]] = {}
        self.templates: dict[str, str] = {}


class Describer:
    """Turns findings into sentences that say who is loaded, by what, and who must talk."""

    def __init__(self, settings: Settings, summaries: list[CaseSummary], lang: str) -> None:
        self.settings = settings
        self.lang = lang
        self.cat = catalog(lang)
        self.cases = {s.case: s for s in summaries}
        self._demands: dict[tuple[str, str, str], str] = {}
        self._demand_lists: dict[tuple[int, ...], str] = {}  # by the identity of a finding's refs
        words = _Words(settings, lang)
        self._focus = words.focus
        self._areas = words.areas
        self._templates = words.templates

    def name(self, case: str, some_id: str | None) -> str:
        if not some_id:
            return ""
        summary = self.cases.get(case)
        return summary.names.get(some_id, some_id) if summary else some_id

    def demand(self, f: Finding, ref) -> str:  # type: ignore[no-untyped-def]
        key = (f.case, ref.kind, ref.id)
        text = self._demands.get(key)
        if text is None:
            who = [self.settings.department_name(ref.department)] if ref.department else []
            if ref.responsible:
                who.append(self.name(f.case, ref.responsible))
            text = self._demands[key] = f"{ref.title} ({', '.join(who)})" if who else ref.title
        return text

    def times(self, n: int) -> str:
        return _times(self.lang, n)

    def weeks(self, n: int) -> str:
        return _weeks(self.lang, n)

    def days(self, n: int) -> str:
        return _days(self.lang, n)

    def when(self, f: Finding) -> str:
        return d.period(f.first, f.last, self.lang)

    def weekdays(self, f: Finding) -> str:
        return _weekdays(f.weekdays, self.lang)

    def message(self, f: Finding) -> str:
        """The finding as one sentence: who is loaded, by what, when and how often."""
        if f.code in ("overlap", "short-gap"):
            return self._pair_message(f)
        if f.code == "unavailable":
            return self.cat.gettext("{demands} falls in a time {person} is not available{why}, {when} ({times})").format(
                demands=self._demands_of(f), person=self.name(f.case, f.person), when=self.when(f),
                why=f" ({f.detail['reason']})" if f.detail.get("reason") else "", times=self.times(f.occurrences))
        if f.code in ("over-capacity", "too-many-departments"):
            return self._weekly_message(f)
        if f.code == "busy-day":
            return self.cat.gettext("{person} has up to {most} appointments in one day (limit {limit}) "
                                    "on {days}, {when}: {demands}").format(
                person=self.name(f.case, f.person), most=f.detail.get("appointments"),
                limit=self.cat.number(f.limit or 0), days=self.days(f.occurrences), when=self.when(f),
                demands=self._demands_of(f))
        if f.code == "off-focus":
            return self._focus_message(f)
        if f.code == "absence-with-cause":
            return absence_message(f, self.settings, lambda some_id: self.name(f.case, some_id), self.lang)
        return f"{f.code}: {self._demands_of(f)}, {self.when(f)}"  # pragma: no cover - every code is handled above

    def _demands_of(self, f: Finding) -> str:
        key = tuple(map(id, f.refs))  # the refs live as long as the findings that hold them
        text = self._demand_lists.get(key)
        if text is None:
            text = self._demand_lists[key] = d.join([self.demand(f, r) for r in f.refs], self.lang)
        return text

    def _pair_message(self, f: Finding) -> str:
        _ = self.cat.gettext
        demands = self._demands_of(f)
        if len(f.refs) == 1:
            demands = demands + " (" + _("two appointments") + ")"
        days = f", {self.weekdays(f)}" if f.occurrences > 1 else ""
        if f.code == "overlap":
            sentence = _("{demands} overlap for {person}{days}, {when} ({times})")
        else:
            sentence = _("{demands} are less than {gap} minutes apart for {person}{days}, {when} ({times})")
        return sentence.format(demands=demands, gap=self._gap(f), person=self.name(f.case, f.person), days=days,
                               when=self.when(f), times=self.times(f.occurrences))

    def _weekly_message(self, f: Finding) -> str:
        _ = self.cat.gettext
        number = self.cat.number
        values = {"person": self.name(f.case, f.person), "weeks": d.weeks_text(f.weeks, self.lang),
                  "worst": d.weeks_text([f.worst_week], self.lang) if f.worst_week else "",
                  "n_weeks": self.weeks(f.occurrences), "demands": self._demands_of(f),
                  "hours": number(f.hours or 0), "limit": number(f.limit or 0)}
        if f.code == "over-capacity":
            return _("{person} has more than {limit} hours a week in {n_weeks}: {weeks}; "
                     "at most {hours} hours in {worst}. The demands come from {demands}").format(**values)
        departments = [self.settings.department_name(x) for x in _strings(f.detail.get("departments_in_worst_week"))]
        return _("{hours} departments place demands on {person} in one week (limit {limit}) "
                 "in {n_weeks}: {weeks}; in {worst}: {departments}").format(
            departments=d.join(departments, self.lang), **values)

    def _focus_message(self, f: Finding) -> str:
        detail = f.detail
        key = (detail.get("phase"), detail.get("phase_name"), *_strings(detail.get("focus")))
        words = self._focus.get(key)
        if words is None:
            words = self._focus[key] = (f"{key[0]} »{key[1]}«", d.join([self._area(str(a)) for a in key[2:]], self.lang))
        return self._focus_template.format(
            demands=self._demands_of(f), area=self._area(str(detail.get("area"))), phase=words[0], focus=words[1],
            when=d.period(f.first, f.last, self.lang), times=_times(self.lang, f.occurrences))

    @property
    def _focus_template(self) -> str:
        text = self._templates.get("off-focus")
        if text is None:
            text = self._templates["off-focus"] = self.cat.gettext(
                "{demands} is about {area} but falls in phase {phase}, whose focus is {focus}, {when} ({times})")
        return text

    def _area(self, area: str) -> str:
        text = self._areas.get(area)
        if text is None:
            text = self._areas[area] = area_name(area, self.settings, self.lang)
        return text

    def _gap(self, f: Finding) -> int:
        gap = f.detail.get("min_gap")
        return gap if isinstance(gap, int) and gap > 0 else 30

    def talk(self, f: Finding) -> str:
        """Who must talk to whom: the responsible professionals with their roles."""
        summary = self.cases.get(f.case)
        people = []
        for pro in f.responsible:
            role = summary.roles.get(pro, "") if summary else ""
            people.append(f"{self.name(f.case, pro)} ({role})" if role else self.name(f.case, pro))
        return d.join(people, self.lang)
