"""The source notes for a plain `quarto render`: `.galley/quarto-metadata.yml`, which the galley
Quarto extension's filters read. Every build writes it, whichever engine renders, so it lives
apart from the Quarto engine (galley.engines.quarto), which a build of the embedded engine does
not import."""

from __future__ import annotations

from typing import Any

import yaml

from galley.engines.options import RenderOptions
from galley.project import QUARTO_METADATA, Project
from galley.util.atomic import write_text


def quarto_metadata(options: RenderOptions) -> str:
    """The metadata the galley extension's filters read, as YAML."""
    data: dict[str, Any] = {"galley-source-notes": options.source_notes}
    header = "# Written by `galley build` for the galley Quarto extension; do not edit.\n"
    # Every scalar quoted: Quarto reads YAML 1.2, where an unquoted hash such as 5e123456 is a
    # number.
    return header + yaml.safe_dump(data, sort_keys=True, allow_unicode=True, default_style='"')


def write_quarto_metadata(project: Project, options: RenderOptions) -> None:
    write_text(project.root / QUARTO_METADATA, quarto_metadata(options))
