"""`data-markup`: a generated table (a step's output the article includes) holding raw HTML that
comes from the step's data.

galley takes a step's Markdown as the author's own, as Quarto takes an include, so an unescaped
`<img src=x onerror=alert(1)>` in a data file becomes a live element of the HTML. An HTML tag in
the output that is written, character for character, in one of the step's inputs came from
data: the script should escape what it writes (galley.steps.markdown.escape_cell). A tag the
script writes itself is the author's markup and is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from galley.findings import Finding
from galley.project import Project
from galley.reading.documents import Document

# An HTML tag (or a comment, processing instruction or declaration) as pandoc's Markdown reads
# raw HTML, not escaped by a backslash; code is masked already.
TAG = re.compile(r"(?<!\\)<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|!--.*?--|[?!][^<>]*)>")
FIX = (
    "escape the values the script writes (`from galley.steps.markdown import escape_cell`), so "
    "that the data stays text"
)


def _inputs_by_output(project: Project) -> dict[Path, list[Path]]:
    """Each declared output's step inputs, as `[tool.galley.steps]` declares them (read as
    leniently as galley.check.config.declared_outputs: `check_config` reports a bad one)."""
    steps = project.galley.get("steps", {})
    found: dict[Path, list[Path]] = {}
    for step in steps.values() if isinstance(steps, dict) else []:
        if not isinstance(step, dict):
            continue
        inputs = [project.root / str(p) for p in step.get("inputs", []) if isinstance(p, str)]
        for output in step.get("outputs", []):
            found[(project.root / str(output)).resolve()] = inputs
    return found


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""  # a missing input is the build's to report


def data_markup(project: Project, documents: tuple[Document, ...]) -> list[Finding]:
    by_output = _inputs_by_output(project)
    findings = []
    for document in documents:
        inputs = by_output.get(document.path.resolve())
        if not inputs:
            continue
        data = [(path, _text(path)) for path in inputs]
        masked = document.masked.text
        for tag in TAG.finditer(masked):
            written = document.text[tag.start() : tag.end()]
            source = next((path for path, text in data if written in text), None)
            if source is None:
                continue
            line = masked.count("\n", 0, tag.start()) + 1
            message = (
                f"`{written}` from {project.rel(source)} is raw HTML in this generated table: "
                "it becomes markup in the article, not text"
            )
            findings.append(Finding("data-markup", document.rel, line, message, FIX))
    return findings
