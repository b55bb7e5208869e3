"""The source note of each generated file: its step's script, data (short hashes) and notebook;
and the note of each figure and table of the article that shows such a file.

Kept apart from provenance.py, which a build imports only when it renders, so that a build can
compute notes without it."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from galley.project import Project
from galley.steps.cache import file_hashes
from galley.steps.config import Step, load_steps

if TYPE_CHECKING:
    from galley.reading.sources import Source

NOTEBOOKS = "notebooks"


class SourceNote(NamedTuple):
    step: str
    script: str
    inputs: list[tuple[str, str]]  # (project-relative path, first 8 hex digits of its SHA-256)
    notebook: str  # relative to the output folder: notebooks/<step>.ipynb


def notebook_path(step: Step) -> str:
    return f"{NOTEBOOKS}/{step.name}.ipynb"


def source_notes(project: Project) -> dict[str, SourceNote]:
    """For every declared output, the note that names its script, data and notebook."""
    notes = {}
    for step in load_steps(project).values():
        hashes = file_hashes(project, step.inputs)
        inputs = [(path, digest[:8]) for path, digest in hashes.items()]
        note = SourceNote(step.name, step.script, inputs, notebook_path(step))
        for output in step.outputs:
            notes[output] = note
    return notes


CAPTION_ID = re.compile(r"\{#(tbl-[\w-]+)[^}]*\}\s*$")
# `](src "title"){#fig-x`. After the path comes a space or `)`, never more path: so a path that is
# a 300 KB `data:` URI is read once, where `[^)\s]+[^)]*` retried every split of it (minutes).
FIGURE_ID = re.compile(r"\]\(([^)\s]+)(?:\s[^)]*)?\)\{#(fig-[\w-]+)")


def element_notes(project: Project, source: Source) -> dict[str, dict[str, object]]:
    """Source notes keyed by element id: a figure whose image, or a table whose included file,
    is a declared step output gets that step's note."""
    if not project.galley.get("steps"):
        return {}
    from galley.steps.descriptor import DATAPACKAGE

    notes = source_notes(project)
    article_dir = project.article.parent
    # The edition's folder seen from its HTML page: the step's files are copied there, at their
    # places in the project (galley.steps.reviewer_files), and the notebooks beside them.
    from_article = Path(os.path.relpath(project.output_dir, project.output_path("html").parent))

    package = DATAPACKAGE if (project.root / DATAPACKAGE).is_file() else None

    def as_meta(note: SourceNote) -> dict[str, object]:
        meta: dict[str, object] = {
            "script": note.script,
            "script-href": (from_article / note.script).as_posix(),
            "inputs": [
                {"path": p, "sha": h, "href": (from_article / p).as_posix()} for p, h in note.inputs
            ],
            "notebook": (from_article / note.notebook).with_suffix(".html").as_posix(),
        }
        # The data package describes the data files beside it: their columns, units, sources.
        if package and any(Path(p).parent == package.parent for p, _ in note.inputs):
            meta["package"] = {
                "path": package.as_posix(),
                "href": (from_article / package).as_posix(),
            }
        return meta

    by_id: dict[str, dict[str, object]] = {}
    lines = source.body.split("\n")
    for index, line in enumerate(lines):
        for src, label in FIGURE_ID.findall(line):
            rel = project.rel(article_dir / src)
            if rel in notes:
                by_id[label] = as_meta(notes[rel])
        caption = CAPTION_ID.search(line)
        if caption:
            before = index - 1
            while before >= 0 and not lines[before].strip():
                before -= 1
            if before >= 0:
                rel = project.rel(source.origin(before).path)
                if rel in notes:
                    by_id[caption[1]] = as_meta(notes[rel])
    return by_id
