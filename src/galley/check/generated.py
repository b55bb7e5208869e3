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

from galley.project import Project
from galley.reading.documents import Document
from galley.util.findings import Finding

# An HTML tag (or a comment, processing instruction or declaration) as pandoc's Markdown reads
# raw HTML, not escaped by a backslash. No match restarts inside another (no `<` inside).
TAG = re.compile(r"(?<!\\)<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|!--[^<>]*?--|[?!][^<>]*)>")
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


def _in_code(document: Document, line: int, column: int) -> bool:
    """Whether the place is in a fenced code block, or after an odd number of backticks on its
    line (in a code span: text in every output)."""
    for block in document.masked.code_blocks:
        if block.first_line - 1 <= line <= block.first_line + len(block.lines):
            return True
    text = document.text.split("\n")[line - 1]
    return text[:column].count("`") % 2 == 1


def data_markup(project: Project, documents: tuple[Document, ...]) -> list[Finding]:
    by_output = _inputs_by_output(project)
    findings = []
    for document in documents:
        inputs = by_output.get(document.path.resolve())
        if not inputs:
            continue
        data = [(path, _text(path)) for path in inputs]
        for tag in TAG.finditer(document.text):
            source = next((path for path, text in data if tag[0] in text), None)
            line = document.text.count("\n", 0, tag.start()) + 1
            column = tag.start() - (document.text.rfind("\n", 0, tag.start()) + 1)
            if source is None or _in_code(document, line, column):
                continue
            message = (
                f"`{tag[0]}` from {project.rel(source)} is raw HTML in this generated table: "
                "it becomes markup in the article, not text"
            )
            findings.append(Finding("data-markup", document.rel, line, message, FIX))
    return findings
