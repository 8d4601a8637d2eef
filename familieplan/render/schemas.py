"""The JSON Schemas as files, their descriptions in the reader's language.

`format.specs.json_schema` gives each file kind's schema with its descriptions as English
message ids; here they are made in the reader's language from the one catalog (editors
show them on hover), and each schema becomes the text of its file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from familieplan.format import specs
from familieplan.render.catalog import catalog


def schema_texts(areas: Iterable[str] = (), lang: str | None = None) -> dict[str, str]:
    """Each file kind's schema as the text of its file, in `lang` (the catalog's default
    without one), with the workspace's own life areas (`areas`)."""
    gettext = catalog(lang).gettext
    areas = tuple(areas)
    return {kind: json.dumps(translated(specs.json_schema(kind, areas=areas), gettext), ensure_ascii=False,
                             indent=2) + "\n"
            for kind in specs.FILE_KINDS}


def translated(schema: Any, gettext: Callable[[str], str]) -> Any:
    """The schema with every description (a message id) in the catalog's language."""
    if isinstance(schema, dict):
        return {key: gettext(value) if key == "description" and isinstance(value, str) else translated(value, gettext)
                for key, value in schema.items()}
    if isinstance(schema, list):
        return [translated(item, gettext) for item in schema]
    return schema
