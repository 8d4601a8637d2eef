"""The one Jinja2 environment: a workspace's own templates/ override the shipped ones."""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from familieplan.problems import FamilieplanError


def shipped_templates() -> Path:
    """The templates/ folder: inside the installed package (wheel) or beside it (checkout)."""
    packaged = Path(str(resources.files("familieplan"))) / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        return checkout
    raise FamilieplanError("the shipped templates are missing from the installation")


def yaml_string(value: Any) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def environment(workspace: Path | None = None, *, html: bool = False, filters: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    import jinja2

    paths = []
    if workspace is not None and (workspace / "templates").is_dir():
        paths.append(str(workspace / "templates"))
    paths.append(str(shipped_templates()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml_str"] = yaml_string
    if filters:
        env.filters.update(filters)
    return env


@functools.lru_cache(maxsize=16)
def _shared(workspace: Path | None, html: bool, filters: tuple[tuple[str, Any], ...]):  # type: ignore[no-untyped-def]
    """The environment for these settings, made once per process: a long-running server
    must not compile its templates again on every request (Jinja still reloads a template
    whose file changed)."""
    return environment(workspace, html=html, filters=dict(filters))


def _template(name: str, workspace: Path | None, html: bool, filters: dict[str, Any] | None):  # type: ignore[no-untyped-def]
    import jinja2

    overrides = workspace is not None and (workspace / "templates").is_dir()
    env = _shared(workspace if overrides else None, html, tuple(sorted((filters or {}).items())))
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as exc:
        raise FamilieplanError(f"template {exc.name} not found") from None


def render(name: str, context: dict[str, Any], workspace: Path | None = None, *, html: bool = False,
           filters: dict[str, Any] | None = None) -> str:
    return _template(name, workspace, html, filters).render(**context)


def render_block(name: str, block: str, context: dict[str, Any], workspace: Path | None = None, *,
                 html: bool = False, filters: dict[str, Any] | None = None) -> str:
    """One named block of a template, rendered alone: the web pages show a document's
    content (and serve its style) from the very template that renders the document."""
    template = _template(name, workspace, html, filters)
    if block not in template.blocks:
        raise FamilieplanError(f"template {name} has no block '{block}'")
    return "".join(template.blocks[block](template.new_context(dict(context))))
