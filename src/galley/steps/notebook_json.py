"""The reviewer notebooks' cells as plain dictionaries, and a notebook's `.ipynb` text, byte for
byte as `nbformat.writes` writes it (nbformat 5, format 4.5).

nbformat itself takes a tenth of a second of CPU to import and as long again to compile its
JSON schema, which it checks on every cell it makes: a render writes the reviewer notebooks each
time, so that was a fifth of galley's own CPU in a cold render. galley's cells have a fixed
shape (the tests validate every notebook galley writes with nbformat); nbformat is still what
reads and runs a notebook step (galley.steps.nb).
"""

from __future__ import annotations

import copy
import json
from typing import Any

Notebook = dict[str, Any]
# nbformat's writer splits these into lines, as it does every `text/…` value (rwbase.py).
NON_TEXT_SPLIT = ("application/javascript", "image/svg+xml")


def cell(kind: str, source: str, ident: str, outputs: list[Notebook] | None = None) -> Notebook:
    """A markdown or code cell with a fixed id, so the notebook's bytes repeat."""
    if kind == "code":
        return {
            "id": ident,
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "source": source,
            "outputs": outputs or [],
        }
    return {"id": ident, "cell_type": "markdown", "source": source, "metadata": {}}


def display(data: dict[str, str]) -> Notebook:
    return {"output_type": "display_data", "metadata": {}, "data": data}


def notebook(cells: list[Notebook], metadata: dict[str, Any]) -> Notebook:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells}


def writes(notebook: Notebook) -> str:
    """The `.ipynb` text (without a final newline), as nbformat's JSON writer: multi-line texts
    as lists of lines, transient metadata left out, keys sorted, one space of indent."""
    copied = copy.deepcopy(notebook)
    for key in ("orig_nbformat", "orig_nbformat_minor", "signature"):
        copied["metadata"].pop(key, None)
    for item in copied["cells"]:
        _split_lines(item)
        item["metadata"].pop("trusted", None)
    return json.dumps(
        copied,
        indent=1,
        sort_keys=True,
        separators=(",", ": "),
        ensure_ascii=False,
        default=_ascii_bytes,
    )


def _split_lines(item: Notebook) -> None:
    source = item.get("source")
    if isinstance(source, str):
        item["source"] = source.splitlines(True)
    for attachment in item.get("attachments", {}).values():
        _split_bundle(attachment)
    if item["cell_type"] != "code":
        return
    for output in item["outputs"]:
        kind = output["output_type"]
        if kind in ("execute_result", "display_data"):
            _split_bundle(output.get("data", {}))
        elif kind == "stream" and isinstance(output["text"], str):
            output["text"] = output["text"].splitlines(True)


def _split_bundle(data: dict[str, Any]) -> None:
    for key, value in list(data.items()):
        if isinstance(value, str) and (key.startswith("text/") or key in NON_TEXT_SPLIT):
            data[key] = value.splitlines(True)


def _ascii_bytes(value: object) -> str:
    """nbformat's encoder writes bytes (base64 data) as their ASCII text."""
    if isinstance(value, bytes):
        return value.decode("ascii")
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
