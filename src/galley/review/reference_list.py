"""The article's own reference list, entry for entry as the article prints it in `#refs`.

The list comes from the article's own HTML pass (galley.engines.pandoc): the same expanded
sources, metadata and filters, and pandoc's citeproc with the project's CSL, bibliographies,
`nocite` and `lang`. So `2024a`/`2024b`, an editor's role and the punctuation after a title
ending in `?` are whatever the paper shows, by construction. reference-list.lua turns each entry
into HTML, Markdown and plain text in that one pandoc call.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from galley.errors import GalleyError
from galley.project import Project
from galley.reading.sources import load_source
from galley.review.html_reading import read_through
from galley.steps.config import load_steps

FILTER = resources.files("galley.engines") / "resources" / "reference-list.lua"


@dataclass(frozen=True)
class ReferenceList:
    """The entries in the list's order, in each format."""

    html: list[str]
    markdown: list[str]
    plain: list[str]


def reference_list(project: Project, every_entry: bool = False) -> ReferenceList:
    """The reference list the article prints (also when `suppress-bibliography` hides it: the
    list is what the command is asked for); with `every_entry`, as if the article cited every
    entry of its bibliographies (`nocite: "@*"`)."""
    _require_step_outputs(project)
    source = load_source(project)
    settings: dict[str, object] = {"suppress-bibliography": False}
    if every_entry:
        settings["nocite"] = "@*"
    source = dataclasses.replace(source, front_matter={**source.front_matter, **settings})
    lists = read_through(project, source, Path(str(FILTER)), "refs")
    return ReferenceList(html=lists["html"], markdown=lists["markdown"], plain=lists["plain"])


def _require_step_outputs(project: Project) -> None:
    """The files the steps make must be there: a generated table may cite, and the list is the one
    the built article prints (read without them, it could silently miss entries)."""
    for step in load_steps(project).values():
        for output in step.outputs:
            if not (project.root / output).exists():
                raise GalleyError(
                    f"`{output}` (made by step `{step.name}`) does not exist yet; run "
                    "`galley build` first, so that the list holds what generated files cite"
                )
