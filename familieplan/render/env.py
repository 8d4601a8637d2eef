"""The one Jinja2 environment: a workspace's own templates/ override the shipped ones.

Templates run in Jinja2's sandbox (`jinja2.sandbox.SandboxedEnvironment`): a workspace's
own templates are files anyone with write access to the repository can change, so they must
not reach Python's internals (`{{ cycler.__init__.__globals__.os }}` is refused)."""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from familieplan.format.cleantext import clean
from familieplan.problems import N_, FamilieplanError


def shipped_templates() -> Path:
    """The templates/ folder: inside the installed package (wheel) or beside it (checkout)."""
    packaged = Path(str(resources.files("familieplan"))) / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        return checkout
    raise FamilieplanError(N_("the shipped templates are missing from the installation"))


def yaml_string(value: Any, block: bool = False) -> str:
    """The one filter for values written into a scaffolded YAML file: a double-quoted
    scalar (JSON strings are valid YAML), so no value can add a key or end a list; with
    `block`, one line of a literal block: line breaks and controls become spaces."""
    if block:
        return " ".join(clean(str(value)).split())
    return json.dumps(clean(str(value)), ensure_ascii=False)


def environment(workspace: Path | None = None, *, html: bool = False, filters: dict[str, Any] | None = None,  # type: ignore[no-untyped-def]
                translations: Any = None):
    """The environment; with `translations` (a gettext catalog, `render/catalog.py`) the
    templates' `_()`, `gettext()` and `ngettext()` speak the reader's language."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    paths = []
    if workspace is not None and (workspace / "templates").is_dir():
        paths.append(str(workspace / "templates"))
    paths.append(str(shipped_templates()))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(paths),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    if translations is not None:
        env.install_gettext_translations(translations, newstyle=False)  # type: ignore[attr-defined]
    else:
        env.install_null_translations(newstyle=False)  # type: ignore[attr-defined]
    env.filters["yaml_str"] = yaml_string
    env.globals["range"] = bounded_range
    if filters:
        env.filters.update(filters)
    return env


MAX_RANGE = 10_000  # no document needs more rows; a runaway loop in a workspace template stops at once


def bounded_range(*args: int) -> range:
    """`range` in templates, refused above MAX_RANGE items (Jinja2's sandbox allows 100,000
    and then raises OverflowError, which is no template error)."""
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise FamilieplanError(N_("a template's range() of {n} items is over the limit of {limit}"),
                               n=len(values), limit=MAX_RANGE)
    return values


@functools.lru_cache(maxsize=32)
def _shared(workspace: Path | None, html: bool, filters: tuple[tuple[str, Any], ...],  # type: ignore[no-untyped-def]
            translations: Any):
    """The environment for these settings, made once per process: a long-running server
    must not compile its templates again on every request (Jinja still reloads a template
    whose file changed). `translations` is one language's catalog (cached per language)."""
    return environment(workspace, html=html, filters=dict(filters), translations=translations)


def _template(name: str, workspace: Path | None, html: bool, filters: dict[str, Any] | None,  # type: ignore[no-untyped-def]
              translations: Any = None):
    import jinja2

    overrides = workspace is not None and (workspace / "templates").is_dir()
    env = _shared(workspace if overrides else None, html, tuple(sorted((filters or {}).items())), translations)
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as exc:
        raise FamilieplanError(N_("template {name} not found"), name=str(exc.name)) from None


def render(name: str, context: dict[str, Any], workspace: Path | None = None, *, html: bool = False,
           filters: dict[str, Any] | None = None, translations: Any = None) -> str:
    """A template rendered with `context`; with `translations` (one language's gettext
    catalog) its `_()` speaks that language."""
    import jinja2

    try:
        return _template(name, workspace, html, filters, translations).render(**context)
    except jinja2.exceptions.SecurityError as exc:
        raise FamilieplanError(N_("template {name}: refused by the sandbox: {error}"), name=name, error=str(exc)) from None
    except (jinja2.exceptions.TemplateError, OverflowError, RecursionError, MemoryError) as exc:
        raise FamilieplanError(N_("template {name}: {error}"), name=name, error=str(exc)) from None


def render_block(name: str, block: str, context: dict[str, Any], workspace: Path | None = None, *,
                 html: bool = False, filters: dict[str, Any] | None = None, translations: Any = None) -> str:
    """One named block of a template, rendered alone: the web pages show a document's
    content (and serve its style) from the very template that renders the document."""
    template = _template(name, workspace, html, filters, translations)
    if block not in template.blocks:
        raise FamilieplanError(N_("template {name} has no block '{block}'"), name=name, block=block)
    return "".join(template.blocks[block](template.new_context(dict(context))))
