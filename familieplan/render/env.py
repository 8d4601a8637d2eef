"""The one Jinja2 environment: a workspace's own templates/ override the shipped ones."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from familieplan.format.cleantext import clean
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
        extensions=["jinja2.ext.i18n"],
    )
    if translations is not None:
        env.install_gettext_translations(translations, newstyle=False)  # type: ignore[attr-defined]
    else:
        env.install_null_translations(newstyle=False)  # type: ignore[attr-defined]
    env.filters["yaml_str"] = yaml_string
    if filters:
        env.filters.update(filters)
    return env


def render(name: str, context: dict[str, Any], workspace: Path | None = None, **kwargs: Any) -> str:
    import jinja2

    env = environment(workspace, **kwargs)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise FamilieplanError(f"template {exc.name} not found") from None
