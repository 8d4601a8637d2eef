"""The one catalog of words: complete, compiled, and each language free of the other's words."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import json
import re
import string
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import EXAMPLES
from familieplan import api
from familieplan.render import danish as d
from familieplan.render.catalog import LOCALE_DIR, catalog
from familieplan.render.reporters import report, reporters

ROOT = Path(__file__).parent.parent
PO = LOCALE_DIR / "da" / "LC_MESSAGES" / "familieplan.po"
MO = PO.with_suffix(".mo")
TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 10, 0)


def po_messages() -> dict[tuple[str | None, str], object]:
    with PO.open("rb") as handle:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in read_po(handle) if m.id}


def extracted() -> set[tuple[str | None, str]]:
    """Every message in the code and the templates, as `pybabel extract -F babel.cfg` finds them."""
    from babel.messages import frontend

    # parse_mapping_cfg since Babel 2.14; parse_mapping (deprecated since) before it.
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse(handle)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(str(ROOT), method_map, options_map):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def test_every_message_has_both_languages():
    """English is the message id; Danish is the .po. No message is missing or stale, none is
    fuzzy, and each translation keeps the id's placeholders."""
    po = po_messages()
    in_code = extracted()
    assert len(in_code) > 150
    assert sorted(in_code - set(po), key=str) == [], "run pybabel extract/update (docs/development.md, Languages and the catalog)"
    assert sorted(set(po) - in_code, key=str) == [], "stale entries in the .po"
    for key, message in po.items():
        assert not message.fuzzy, key  # type: ignore[attr-defined]
        ids = [message.id] if isinstance(message.id, str) else list(message.id)  # type: ignore[attr-defined]
        strings = [message.string] if isinstance(message.string, str) else list(message.string)  # type: ignore[attr-defined]
        assert all(strings), f"no Danish for {key}"
        fields = {f for _, f, _, _ in string.Formatter().parse(ids[-1]) if f}
        for text in strings:
            assert {f for _, f, _, _ in string.Formatter().parse(text) if f} == fields, key


def test_compiled_catalog_is_current():
    """The committed .mo holds exactly the .po's translations (`pybabel compile` after an edit)."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for (context, msgid), message in po_messages().items():
        if isinstance(msgid, str) and isinstance(message.string, str):  # type: ignore[attr-defined]
            got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert got == message.string, (context, msgid)  # type: ignore[attr-defined]
        else:
            singular, plural = message.id  # type: ignore[attr-defined]
            for n, want in ((1, message.string[0]), (2, message.string[1])):  # type: ignore[attr-defined]
                got = compiled.npgettext(context, singular, plural, n) if context else compiled.ngettext(singular, plural, n)
                assert got == want, (context, singular, n)


def test_danish_forms_stay_as_they_were():
    assert d.date_long(dt.date(2026, 3, 2)) == "2. marts 2026"
    assert d.date_long(dt.date(2026, 3, 2), "en") == "2 March 2026"
    assert d.date_short(dt.date(2026, 10, 2)) == "2. okt. 2026"  # CLDR and Sprognævnet: the period
    assert d.period(dt.date(2026, 3, 2), dt.date(2026, 6, 26)) == "2. marts – 26. juni 2026"
    assert d.weeks_text([(2026, w) for w in range(10, 27)]) == "uge 10–26 2026"
    assert d.weeks_text([(2026, 10), (2026, 12), (2026, 14)], "en") == "week 10, 12 and 14 2026"
    assert d.time_range(dt.time(9, 30), dt.time(12, 0)) == "kl. 9.30–12"
    assert d.time_range(dt.time(9, 30), dt.time(12, 0), "en") == "09:30–12:00"
    assert d.join(["a", "b", "c"]) == "a, b og c"
    assert [d.weekday(i) for i in (0, 6)] == ["mandag", "søndag"]
    assert d.weekday_plural(2, "en") == "Wednesdays"
    assert (catalog("da").number(7.5), catalog("en").number(7.5), catalog("da").number(37.0)) == ("7,5", "7.5", "37")
    assert catalog("da").ngettext("{n} warning", "{n} warnings", 1).format(n=1) == "1 advarsel"


def test_every_command_and_format_has_a_reporter():
    for command in ("disclosures", "fit", "changes"):
        assert set(reporters(command)) == {"text", "json", "md"}
    for command in ("due", "status"):
        assert set(reporters(command)) == {"text", "json", "md", "csv"}
    assert set(reporters("check-load")) == {"text", "json", "md", "csv", "github"}
    assert set(reporters("report")) == {"text", "json", "md", "html", "csv"}
    assert set(reporters("validate")) == {"text", "json", "plain", "github"}


def test_the_format_choices_of_the_command_line_are_the_reporters():
    """cli.py names each command's --format choices without importing the reporters (so
    that --help stays fast); they are the reporter table's formats, no more, no fewer."""
    import typer

    from familieplan.cli import app
    from familieplan.render.reporters import formats

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in ("validate", "check-load", "due", "status", "fit", "changes", "report", "disclosures", "rules"):
        [option] = [p for p in commands[name].params if "--format" in getattr(p, "opts", [])]
        assert set(option.type.choices) == set(formats(name)), name


# --- Each language free of the other's words --------------------------------------------------

WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def catalog_words() -> tuple[set[str], set[str]]:
    """(English-only, Danish-only) words of the catalog: the words of the ids that no
    translation has, and the words of the translations that no id has."""
    english: set[str] = set()
    danish: set[str] = set()
    for message in po_messages().values():
        ids = [message.id] if isinstance(message.id, str) else list(message.id)  # type: ignore[attr-defined]
        strings = [message.string] if isinstance(message.string, str) else list(message.string)  # type: ignore[attr-defined]
        for text in ids:
            english |= words(re.sub(r"\{[^}]*\}", " ", text))
        for text in strings:
            danish |= words(re.sub(r"\{[^}]*\}", " ", text))
    return english - danish, danish - english


def user_words() -> set[str]:
    """Every word written in the example files (names, titles, notes, ids) and the codes."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                found.update(words(str(key)))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            found.update(words(str(value)))

    for path in EXAMPLES.rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    from familieplan.checks import all_codes

    for code in all_codes():
        found.update(words(code))
    from familieplan.rules.registry import RULES  # rule ids are identifiers too, like the codes

    for rule_id in RULES:
        found.update(words(rule_id))
    return found


def visible_text(text: str) -> str:
    """What a reader sees: no style sheet, no tags, no file paths or ISO weeks."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\S+\.yaml(:\d+:\d+)?", " ", text)
    return re.sub(r"\d{4}-W\d\d", " ", text)


def outputs(lang: str) -> dict[str, str]:
    """The examples' reports and documents in one language."""
    from familieplan.commands.check_load import LoadOptions

    texts = {}
    from familieplan.commands.disclosures import list_disclosures

    load = api.check_load(EXAMPLES, [], LoadOptions(window=(None, None), person=None, overview=True, today=TODAY),
                          jobs=1)
    due = api.due(EXAMPLES, [], api.DueOptions(today=TODAY, within_days=60, overdue_only=False, responsible=None),
                  jobs=1)
    status = api.status(EXAMPLES, TODAY, None, jobs=1)
    outcomes = api.report(EXAMPLES, [], api.ReportOptions(today=TODAY), jobs=1)
    outcomes_for = api.report(EXAMPLES, ["2026-002-karimi"], api.ReportOptions(today=TODAY, recipient="sb-familie"),
                              jobs=1)
    log = list_disclosures(EXAMPLES, "2025-001-holm")
    assert due.consents and load.attendance and log.entries  # the followup words are scanned too
    for command, result, formats in (("check-load", load, ("text", "md")), ("due", due, ("text", "md")),
                                     ("status", status, ("text", "md")),
                                     ("report", outcomes, ("text", "md", "html")),
                                     ("report", outcomes_for, ("text", "md")), ("disclosures", log, ("text", "md"))):
        for fmt in formats:
            out = io.StringIO()
            report(command, result, fmt, out, lang, color=False)
            texts[f"{command} {fmt} {len(texts)}"] = out.getvalue()
    ws, _ = api.load_valid(EXAMPLES, ["2025-001-holm"])
    for kind, meeting, reader in (("minutes", "2025-09-15-faellesmoede", None), ("plan", None, None),
                                  ("minutes", "2025-09-15-faellesmoede", "sb-job")):
        for fmt in ("md", "html"):
            request = api.DocumentRequest(kind, fmt, reader, lang, NOW, TODAY, meeting)
            docs = api.render_documents(EXAMPLES, ws.cases[0], ws.settings, request, Path("-"))
            texts[f"{kind} {fmt} {reader}"] = docs.texts[0][1]
    return texts


@pytest.fixture(scope="module")
def both_languages() -> dict[str, dict[str, str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "200")  # words whole in the tables' cells
        return {"da": outputs("da"), "en": outputs("en")}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_word_of_the_other_language(both_languages, lang):
    english_only, danish_only = catalog_words()
    foreign = danish_only if lang == "en" else english_only
    own = english_only if lang == "en" else danish_only
    allowed = user_words()
    seen_own = set()
    for name, text in both_languages[lang].items():
        found = words(visible_text(text)) - allowed
        assert not found & foreign, f"{lang} {name}: {sorted(found & foreign)}"
        seen_own |= found & own
    # The scan can fail: each output is full of its own language's catalog words.
    assert len(seen_own) > 60


def test_english_documents_get_english_file_names(examples_ws):
    ws, _ = api.load_valid(examples_ws, ["2025-001-holm"])
    names = {}
    for lang in ("da", "en"):
        request = api.DocumentRequest("minutes", "md", "all", lang, NOW, TODAY, "2025-09-15-faellesmoede")
        docs = api.render_documents(examples_ws, ws.cases[0], ws.settings, request, None)
        names[lang] = sorted(p.name for p in docs.paths)
        plan = api.DocumentRequest("plan", "md", None, lang, NOW, TODAY)
        names[lang] += [p.name for p in api.render_documents(examples_ws, ws.cases[0], ws.settings, plan, None).paths]
    assert all("-referat-til-" in n for n in names["da"][:-1]) and names["da"][-1] == "faellesplan-intern.md"
    assert all("-minutes-for-" in n for n in names["en"][:-1]) and names["en"][-1] == "joint-plan-internal.md"


def _without_descriptions(schema: object) -> object:
    if isinstance(schema, dict):
        return {k: _without_descriptions(v) for k, v in schema.items() if k != "description"}
    if isinstance(schema, list):
        return [_without_descriptions(v) for v in schema]
    return schema


def test_fault_corpus_messages_read_in_each_language(tmp_path):
    """Every `validate` message of the fault corpus is Danish by default: no English word of
    the catalog in it (words of the faulty file itself, the codes and the format's keys and
    values aside), and the English messages hold no Danish word of the catalog."""
    import shutil

    from conftest import DATA, MINIMAL_CASE
    from familieplan.format import specs
    from familieplan.render.messages import problem_line, problem_text

    english_only, danish_only = catalog_words()
    format_words = words(" ".join(str(s) for s in specs.FILE_KINDS)) | user_words()
    # The minimal workspace's own data (ids such as `barn`) is user data too.
    format_words |= {w for f in (DATA / "minimal").rglob("*.yaml") for w in words(f.read_text(encoding="utf-8"))}
    # The format's keys and values (the schemas without their descriptions, which are catalog words).
    for kind in specs.FILE_KINDS:
        format_words |= words(json.dumps(_without_descriptions(specs.json_schema(kind))))
    checked = 0
    for fault in sorted((DATA / "faults").glob("*.yaml")):
        text = fault.read_text(encoding="utf-8")
        target = re.search(r"^# target: (\S+)", text, re.M)
        name = target.group(1) if target else "case.yaml"
        ws = tmp_path / fault.stem
        shutil.copytree(DATA / "minimal", ws)
        place = ws / name if name == "familieplan.yaml" else ws / "cases" / MINIMAL_CASE / name
        place.write_text(text, encoding="utf-8")
        allowed = words(text) | format_words | set(string.ascii_lowercase)
        for problem in api.validate([], ws, jobs=1).problems:
            assert problem_line(problem, "da") != problem_line(problem, "en")
            danish, english = " ".join(filter(None, problem_text(problem, "da"))), " ".join(
                filter(None, problem_text(problem, "en")))
            assert not (words(danish) - allowed) & english_only, (problem.code, danish)
            assert not (words(english) - allowed) & danish_only, (problem.code, english)
            checked += 1
    assert checked >= 30
