"""Typed wrappers for the few nbformat calls galley makes (nbformat ships no type hints)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbformat.notebooknode import NotebookNode


def code_cells(path: Path) -> list[str]:
    """The source of each code cell, in order."""
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    return [str(cell.source) for cell in notebook.cells if cell.cell_type == "code"]


def cell(
    kind: str, source: str, ident: str, outputs: list[NotebookNode] | None = None
) -> NotebookNode:
    """A markdown or code cell with a fixed id, so the notebook's bytes repeat."""
    if kind == "code":
        made = nbformat.v4.new_code_cell(source, id=ident, outputs=outputs or [])  # type: ignore[no-untyped-call]
    else:
        made = nbformat.v4.new_markdown_cell(source, id=ident)  # type: ignore[no-untyped-call]
    return made  # type: ignore[no-any-return]


def display(data: dict[str, str]) -> NotebookNode:
    return nbformat.v4.new_output("display_data", data=data)  # type: ignore[no-untyped-call,no-any-return]


def notebook(cells: list[NotebookNode], metadata: dict[str, Any]) -> NotebookNode:
    made: NotebookNode = nbformat.v4.new_notebook(cells=cells, metadata=metadata)  # type: ignore[no-untyped-call]
    nbformat.validate(made)
    return made


def writes(notebook: NotebookNode) -> str:
    return str(nbformat.writes(notebook))  # type: ignore[no-untyped-call]
