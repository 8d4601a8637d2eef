"""The codes of reading a file and checking its fields against the format: declared here
with their level and user documentation (docs/codes.md is generated from the registry)."""

from __future__ import annotations

from familieplan.problems import ERROR, INFO, WARNING, register

_FILE = "file"
_SCHEMA = "schema"

register("read-error", ERROR, _FILE, """The file could not be read (permissions, or it vanished).""")
register("symlink", ERROR, _FILE, """
    A symbolic link inside a case folder. Case files are read only where they are: a link
    could pull another family's file, or a file outside the repository, into this case.

    Fix: replace the link with the file itself.""")
register("too-large", ERROR, _FILE, """
    The file is over 1 MB. Case files are small; a huge one is a mistake or an attack.""")
register("encoding", ERROR, _FILE, """
    The file is not UTF-8. Save it as UTF-8 (a byte-order mark and CRLF line ends are fine).""")
register("control-char", ERROR, _FILE, """
    A NUL or other control character: usually a paste from another program. Written as an
    escape in a double-quoted value (`"\\e]0;X\\a"`, `"\\0"`, `"\\x85"`) it is the same
    character and the same error: it could reach a terminal or a document.""")
register("hidden-char", WARNING, _FILE, """
    An invisible character: a zero-width space or joiner, or a bidirectional control such as
    U+202E (right-to-left override), usually pasted from another program. It can make text
    in an editor look different from what it says. Rendered documents drop it.""")
register("conflict-marker", ERROR, _FILE, """
    A git conflict marker (`<<<<<<<`, `=======`, `>>>>>>>`): the file is half-merged.

    Fix: resolve the conflict, keep the lines that are right, delete the markers.""")
register("bad-indent", ERROR, _FILE, """
    A tab or a no-break space in the indentation. YAML indents with spaces only.""")
register("syntax", ERROR, _FILE, """
    The file is not valid YAML (or holds more than one document). The message says where
    the parser gave up; the mistake is often on the line before.""")
register("empty-file", ERROR, _FILE, """The file is empty (or holds only comments).""")
register("not-mapping", ERROR, _FILE, """
    The top level of the file is not a mapping of `key: value` lines.""")
register("duplicate-key", ERROR, _FILE, """
    The same key twice in one mapping. Plain YAML keeps the last value silently; we refuse.

    Failing:  `to: 2026-12-18` then `to: 2026-12-19` under the same intervention.""")
register("yaml-tag", ERROR, _FILE, """
    An explicit YAML tag (`!!str`, `!python/object`). Case files never need tags.""")
register("yaml-anchor", ERROR, _FILE, """
    A YAML anchor (`&name`) or alias (`*name`). Case files never need them, and refusing
    them defuses "billion laughs" alias bombs. Write the value out in full.""")
register("too-deep", ERROR, _FILE, """Nesting deeper than 20 levels.""")
register("missing-file", ERROR, _FILE, """
    A case folder lacks `case.yaml` or `plan.yaml`. `agreements.yaml`, `attendance.yaml`,
    `measurements.yaml`, `disclosures.yaml` and `meetings/` are optional.""")
register("torn-disclosure", ERROR, _FILE, """
    An entry of `disclosures.yaml` that an interrupted append left torn: it lacks one of
    the keys the tool always writes (`at`, `recipient`, `document`, `source`, `about`,
    `areas`, `omitted`, `basis`), or the file's last line has no line end. The tool undoes
    an append that fails; this is left only when the machine stopped during the write.

    Fix: the document this entry recorded may have been given: complete the entry from what
    you know (or remove it and note the gap in the case), and keep the rest of the log.""")
register("unknown-file", WARNING, _FILE, """
    A YAML file the format does not know, inside a case folder (a misspelt `plan.yml`?).
    It is not read.""")
register("meeting-filename", ERROR, _FILE, """
    A meeting file is not named `YYYY-MM-DD-slug.yaml` (slug: lower-case letters, digits, `-`).""")

register("wrong-type", ERROR, _SCHEMA, """
    A value of the wrong kind: a list where one value belongs, text where a number belongs.

    Failing: `days: mon` (write `days: [mon]`); `hours_per_week: to`.""")
register("missing-field", ERROR, _SCHEMA, """
    A required key is missing or has no value (e.g. an intervention without `title`).""")
register("unknown-key", ERROR, _SCHEMA, """
    A key the format does not know, usually a typo; the message suggests the closest key.
    Keys starting with `x-` are kept for local extensions and never reported.""")
register("bad-value", ERROR, _SCHEMA, """
    A value outside its set: a status, role, weekday, area or language that does not
    exist, or a number out of range.

    Failing: `status: aktiv` (write `active`); `days: [mandag]` (write `mon` or `man`).""")
register("bad-boolean", ERROR, _SCHEMA, """
    `yes`, `no`, `on` or `off` where true or false is expected. YAML 1.1 reads these as
    booleans and YAML 1.2 as text; write `true` or `false` so that nobody has to guess.""")
register("bad-date", ERROR, _SCHEMA, """
    Not a date written `YYYY-MM-DD`, a date not in the calendar (`2026-02-30`), or a year
    outside 1900–2199 (`9999-12-31` is a typo).""")
register("bad-time", ERROR, _SCHEMA, """
    Not a time written `HH:MM` on a 24-hour clock (`9:30` and `14:30` are fine, unquoted).""")
register("bad-id", ERROR, _SCHEMA, """
    An id that is not lower-case letters, digits, `-` and `_` (at most 64 characters,
    starting with a letter or digit). Ids name folders and are referred to across files.""")
register("cpr-number", WARNING, "privacy", """
    Something shaped like a CPR number (`DDMMYY-NNNN`, or ten digits starting with a valid
    date) appears in the file. Case files must never hold CPR numbers: the case is
    identified by its id. The message names the place, never the number.

    Failing: a note `CPR 010203-1234`. Passing: `born: 2003`.""")
register("department-without-areas", INFO, _SCHEMA, """
Some departments in `familieplan.yaml` name the areas they work in and these do not.

A department that names its areas (`misbrug: {name: Rusmiddelcentret, areas: [addiction]}`)
is shown to a reader who may read none of those areas only as "en fagperson": knowing that
a family meets it would reveal the area. The departments listed name no areas, so their
professionals are named to every reader. Said only when at least one department names its
areas; never changes the exit code.

Passes: every department written as `id: {name: …, areas: [...]}`.
Said: `jobcenter: Jobcentret` beside `misbrug: {name: Rusmiddelcentret, areas: [addiction]}`.
""")
