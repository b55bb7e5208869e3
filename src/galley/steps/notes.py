"""The source note of each generated file: its step's script, data (short hashes) and notebook.

Kept apart from provenance.py, which a build imports only when it renders, so that a build can
compute notes without it."""

from __future__ import annotations

from typing import NamedTuple

from galley.project import Project
from galley.steps.cache import file_hashes
from galley.steps.config import Step, load_steps

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
