"""The files `galley check` reads: the article, each file it includes (with its own paths and
lines: a finding points at the file to edit), and the markdown cells of the notebooks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from galley.errors import ConfigError
from galley.findings import Finding
from galley.project import Project
from galley.reading.markdown import Masked, mask, parse_front_matter
from galley.sources import INCLUDE, include_problem, read_text

CELL_LABEL = re.compile(r"^\s*(?:#|//|--|%)\|\s*label:\s*['\"]?(?P<label>[^\s'\"]+)")


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
class Corpus:
    documents: tuple[Document, ...]
    front_matter: dict[str, Any]
    findings: tuple[Finding, ...]
    pending: tuple[Path, ...] = field(default=())  # step outputs included but not built yet


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
    return Document(path, project.rel(path), text, masked, group, cell, tuple(labels))


class _Reader:
    def __init__(self, project: Project, outputs: set[Path], excluded: set[Path]) -> None:
        self.project, self.outputs, self.excluded = project, outputs, excluded
        self.documents: list[Document] = []
        self.findings: list[Finding] = []
        self.pending: list[Path] = []
        self.front_matter: Masked | None = None

    def read(self, path: Path, stack: tuple[Path, ...]) -> None:
        document = _document(path, self.project, read_text(path), "article")
        if self.front_matter is None:
            self.front_matter = document.masked
        if path not in self.excluded:
            self.documents.append(document)
        for number, line in enumerate(document.masked.text.split("\n"), start=1):
            match = INCLUDE.match(line)
            if match:
                self._include(document, match["target"], number, stack)

    def _include(self, parent: Document, target: str, line: int, stack: tuple[Path, ...]) -> None:
        path = (parent.path.parent / target).resolve()
        problem = include_problem(target, path, self.project.root, stack)
        if problem is None:
            self.read(path, (*stack, path))
        elif problem.rule == "missing-file" and path in self.outputs:
            self.pending.append(path)
        else:
            self.findings.append(
                Finding(problem.rule, parent.rel, line, problem.message, problem.fix)
            )


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
    reader.read(project.article, (project.article,))
    assert reader.front_matter is not None
    front, problem = parse_front_matter(reader.front_matter)
    if problem:
        raise ConfigError(
            problem + "; fix the YAML between the `---` lines",
            path=project.rel(project.article),
            line=1,
        )
    documents = list(reader.documents)
    for notebook in project.notebooks:
        if notebook not in excluded:
            documents += _notebook(notebook, project)
    return Corpus(tuple(documents), front, tuple(reader.findings), tuple(reader.pending))
