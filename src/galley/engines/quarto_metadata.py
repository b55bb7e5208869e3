"""The source notes for a plain `quarto render`: `.galley/quarto-metadata.yml`, which the galley
Quarto extension's filters read. Every build makes it, whichever engine renders, so it lives
apart from the Quarto engine (galley.engines.quarto), which a build of the embedded engine does
not import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from galley.engines.options import RenderOptions
from galley.project import QUARTO_METADATA, Project
from galley.reading import settings_cache
from galley.util.atomic import write_text

HEADER = "# Written by `galley build` for the galley Quarto extension; do not edit.\n"


def quarto_metadata(options: RenderOptions, root: Path | None = None) -> str:
    """The metadata the galley extension's filters read, as YAML; with the cache of the project
    at `root` (None: none), YAML written before is not written again."""
    data: dict[str, Any] = {"galley-source-notes": options.source_notes}
    return HEADER + settings_cache.written(data, "quarto metadata", _yaml, root)


def _yaml(data: dict[str, Any]) -> str:
    import yaml  # only for notes not written before (galley.reading.settings_cache)

    # Every scalar quoted: Quarto reads YAML 1.2, where an unquoted hash such as 5e123456 is a
    # number.
    return yaml.safe_dump(data, sort_keys=True, allow_unicode=True, default_style='"')


def write_quarto_metadata(project: Project, options: RenderOptions) -> None:
    """Writes the file when its text changed: most builds leave the notes as they were."""
    path = project.root / QUARTO_METADATA
    text = quarto_metadata(options, project.root)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, ValueError):
        pass  # none yet, or not galley's: written
    write_text(path, text)
