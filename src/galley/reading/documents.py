"""The files `galley check` reads: the article, each file it includes (with its own paths and
lines: a finding points at the file to edit), and the markdown cells of the notebooks; and the
texts pandoc reads as documents (the article with its includes expanded, each notebook cell),
with the file and line of every line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from galley.errors import ConfigError
from galley.project import Project, with_metadata_files
from galley.reading.front_matter import parse_front_matter
from galley.reading.include_paths import INCLUDE, include_problem, include_target
from galley.reading.markdown import Masked, front_matter_end, mask
from galley.reading.shortcodes import blank_shortcodes
from galley.reading.sources import read_text
from galley.util.findings import Finding

# Shortcodes are blanked in what pandoc reads (galley.reading.shortcodes.blank_shortcodes): a
# `{{< var >}}` value is literal text (galley.reading.sources), so neither it nor the shortcode
# itself ever cites.
CELL_LABEL = re.compile(r"^\s*(?:#|//|--|%)\|\s*label:\s*['\"]?(?P<label>[^\s'\"]+)")
# A listing's label in a code block's attributes, ```` ```{#lst-x .r lst-cap="..."} ````: with a
# caption, as floats.lua (and Quarto) make a listing of it.
FENCE_ID = re.compile(r"^(?=.*\blst-cap=)\{(?:[^}]*\s)?#(?P<id>lst-[^\s}#]+)")


@dataclass(frozen=True)
class Document:
    path: Path
    rel: str
    text: str
    masked: Masked
    group: str  # the cross-reference scope: "article", or the notebook's path
    cell: int | None = None
    code_labels: tuple[tuple[str, int], ...] = ()  # `#| label:` of executable code cells


@dataclass(frozen=True)
class Text:
    """Markdown that pandoc reads as one document, and the file and line of each of its lines."""

    text: str
    origins: tuple[tuple[str, int], ...]  # path relative to the project, 1-based line
    group: str
    cell: int | None = None


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    front_matter: dict[str, Any]
    findings: tuple[Finding, ...]
    pending: tuple[Path, ...] = field(default=())  # step outputs included but not built yet
    texts: tuple[Text, ...] = field(default=())
    excluded: frozenset[str] = field(default=frozenset())  # paths the checks leave out


def _cell_labels(lines: Iterable[str], first_line: int) -> list[tuple[str, int]]:
    labels = []
    for number, line in enumerate(lines, start=first_line):
        match = CELL_LABEL.match(line)
        if match:
            labels.append((match["label"], number))
    return labels


def _document(
    path: Path, project: Project, text: str, group: str, cell: int | None = None
) -> Document:
    masked = mask(text)
    labels = [
        label
        for block in masked.code_blocks
        if block.executable
        for label in _cell_labels(block.lines, block.first_line)
    ]
    for block in masked.code_blocks:
        fence_id = FENCE_ID.match(block.info.strip())
        if fence_id:
            labels.append((fence_id["id"], block.first_line - 1))
    return Document(path, project.rel(path), text, masked, group, cell, tuple(labels))


class _Reader:
    def __init__(self, project: Project, outputs: set[Path], excluded: set[Path]) -> None:
        self.project, self.outputs, self.excluded = project, outputs, excluded
        self.documents: list[Document] = []
        self.findings: list[Finding] = []
        self.pending: list[Path] = []
        self.front_matter: Masked | None = None

    def read(self, path: Path, stack: tuple[Path, ...]) -> list[tuple[str, tuple[str, int]]]:
        """Read a file and those it includes; return its lines with includes expanded (the
        front matter blank), each with the file and line it comes from."""
        document = _document(path, self.project, read_text(path), "article")
        if self.front_matter is None:
            self.front_matter = document.masked
        if path not in self.excluded:
            self.documents.append(document)
        lines = document.text.split("\n")
        front = front_matter_end(lines)
        expanded = []
        for number, line in enumerate(document.masked.text.split("\n"), start=1):
            match = INCLUDE.match(line)
            if match:
                expanded += self._include(document, match["target"], number, stack)
            else:
                text = "" if number <= front + 1 and front else lines[number - 1]
                text = blank_shortcodes(text)
                expanded.append((text, (document.rel, number)))
        return expanded

    def _include(
        self, parent: Document, target: str, line: int, stack: tuple[Path, ...]
    ) -> list[tuple[str, tuple[str, int]]]:
        path = include_target(target, parent.path, self.project.root)
        problem = include_problem(target, path, self.project.root, stack)
        if problem is None:
            return self.read(path, (*stack, path))
        if problem.rule == "missing-file" and path in self.outputs:
            self.pending.append(path)
        else:
            self.findings.append(
                Finding(problem.rule, parent.rel, line, problem.message, problem.fix)
            )
        return [("", (parent.rel, line))]


def _cell_text(document: Document) -> Text:
    origins = tuple((document.rel, number) for number in range(1, document.text.count("\n") + 2))
    return Text(document.text, origins, document.group, document.cell)


def _notebook(path: Path, project: Project) -> list[Document]:
    import nbformat  # only for projects with notebooks: off the build's no-op path

    rel = project.rel(path)
    try:
        notebook = nbformat.read(str(path), as_version=4)  # type: ignore[no-untyped-call]
    except FileNotFoundError:
        raise ConfigError(
            "notebook listed under `manuscript: notebooks:` in _quarto.yml does not exist",
            path=rel,
        ) from None
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        raise ConfigError(f"notebook does not parse: {exc}", path=rel) from None
    documents = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            documents.append(_document(path, project, cell.source, rel, index))
        elif cell.cell_type == "code":
            labels = tuple(_cell_labels(cell.source.split("\n"), 1))
            if labels:
                documents.append(Document(path, rel, "", mask(""), rel, index, labels))
    return documents


def load_corpus(project: Project, outputs: set[Path], excluded: set[Path]) -> Corpus:
    reader = _Reader(project, outputs, excluded)
    article = reader.read(project.article, (project.article,))
    assert reader.front_matter is not None
    # As the build reads it (galley.reading.sources): with its `metadata-files:`.
    yaml_lines = reader.front_matter.front_matter.split("\n")
    shown = project.rel(project.article)
    front = parse_front_matter(
        yaml_lines if reader.front_matter.front_matter else [], shown, project.root
    )
    front = with_metadata_files(front, project.article.parent, project.root, shown)
    documents = list(reader.documents)
    texts = [Text("\n".join(line for line, _ in article), tuple(o for _, o in article), "article")]
    for notebook in project.notebooks:
        if notebook not in excluded:
            cells = _notebook(notebook, project)
            documents += cells
            texts += [_cell_text(cell) for cell in cells if cell.text]
    return Corpus(
        tuple(documents),
        front,
        tuple(reader.findings),
        tuple(reader.pending),
        tuple(texts),
        frozenset(project.rel(path) for path in excluded),
    )
